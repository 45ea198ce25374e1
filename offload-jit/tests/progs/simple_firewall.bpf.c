// SPDX-License-Identifier: GPL-2.0
/* A stateful UDP/TCP firewall in the spirit of hXDP's simple_firewall:
 * traffic from the inside port opens a flow, outside traffic passes only
 * on an open flow. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct flow {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow);
	__type(value, __u64);
	/* sized for the reference engine's on-chip map memory (2048 key
	 * rows of 8 bytes); 1024 flows of 16-byte keys would not fit
	 */
	__uint(max_entries, 256);
} flows SEC(".maps");

#define INSIDE_IFINDEX	1

SEC("xdp")
int simple_firewall(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	struct udphdr *l4 = (void *)(iph + 1);
	struct flow f = {};
	__u64 one = 1, *seen;

	if ((void *)(l4 + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5)
		return XDP_PASS;
	if (iph->protocol != IPPROTO_UDP && iph->protocol != IPPROTO_TCP)
		return XDP_PASS;
	f.proto = iph->protocol;
	if (ctx->ingress_ifindex == INSIDE_IFINDEX) {
		f.saddr = iph->saddr;
		f.daddr = iph->daddr;
		f.sport = l4->source;
		f.dport = l4->dest;
		bpf_map_update_elem(&flows, &f, &one, BPF_ANY);
		return XDP_TX;
	}
	f.saddr = iph->daddr;
	f.daddr = iph->saddr;
	f.sport = l4->dest;
	f.dport = l4->source;
	seen = bpf_map_lookup_elem(&flows, &f);
	if (!seen)
		return XDP_DROP;
	__sync_fetch_and_add(seen, 1);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
