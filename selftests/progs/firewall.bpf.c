// SPDX-License-Identifier: GPL-2.0
/*
 * offnic's built-in example: an L3/L4 firewall whose rules and per-rule
 * hit counters live in offloaded maps, so the host can read and change
 * them while the device filters.
 *
 * rules[i]: the first rule whose protocol (and destination port, when
 * not 0) matches the packet decides its verdict; hits[i] counts it.
 * hits[FW_DEFAULT] counts packets no rule matched, which pass.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "firewall.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct fw_rule);
	__uint(max_entries, FW_RULES);
} rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, FW_RULES + 1);
} hits SEC(".maps");

static __always_inline int count(__u32 idx, int verdict)
{
	__u64 *c = bpf_map_lookup_elem(&hits, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
	return verdict;
}

SEC("xdp")
int firewall(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	struct udphdr *l4 = (void *)(iph + 1);
	__u16 dport = 0;
	__u32 i;

	if ((void *)(iph + 1) > data_end)
		return count(FW_DEFAULT, XDP_PASS);
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return count(FW_DEFAULT, XDP_PASS);
	if ((iph->protocol == IPPROTO_UDP || iph->protocol == IPPROTO_TCP) &&
	    iph->ihl == 5 && (void *)(l4 + 1) <= data_end)
		dport = bpf_ntohs(l4->dest);

	/* i stays in a register; the map key is a copy.  Used as the key
	 * itself, the counter would live in a stack slot whose value 6.1's
	 * verifier does not track, and it would report an infinite loop.
	 */
	for (i = 0; i < FW_RULES; i++) {
		__u32 key = i;
		struct fw_rule *r = bpf_map_lookup_elem(&rules, &key);

		if (!r || !r->proto)
			break;
		if (r->proto != iph->protocol)
			continue;
		if (r->dport && r->dport != dport)
			continue;
		return count(i, r->action);
	}
	return count(FW_DEFAULT, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
