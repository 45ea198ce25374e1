// SPDX-License-Identifier: GPL-2.0
/*
 * An L4 load balancer in the spirit of Katran: a TCP/UDP flow to the VIP
 * 10.100.0.1 is pinned to a backend in the `conns` hash map on its first
 * packet (backend = flow hash modulo the number of backends in `backends`)
 * and rewritten toward that backend's MAC and address (XDP_TX); per
 * backend packet counters in `lb_stats`.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define VIP		bpf_htonl(0x0a640001)	/* 10.100.0.1 */
#define MAX_BACKENDS	8

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 proto;
};

struct backend {
	__u32 addr;
	__u8 mac[ETH_ALEN];
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow_key);
	__type(value, __u32);		/* backend index */
	__uint(max_entries, 256);
} conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct backend);
	__uint(max_entries, MAX_BACKENDS);
} backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, MAX_BACKENDS);
} lb_stats SEC(".maps");

SEC("xdp")
int l4lb(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *l4 = (void *)(iph + 1);
	struct flow_key key = {};
	struct backend *be;
	__u32 *idx, pick, n = 0, i;
	__u64 *cnt;
	__u32 old, sum;

	if ((void *)(l4 + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 ||
	    iph->daddr != VIP)
		return XDP_PASS;
	if (iph->protocol != IPPROTO_UDP && iph->protocol != IPPROTO_TCP)
		return XDP_DROP;

	key.saddr = iph->saddr;
	key.daddr = iph->daddr;
	key.sport = l4->source;
	key.dport = l4->dest;
	key.proto = iph->protocol;
	idx = bpf_map_lookup_elem(&conns, &key);
	if (idx) {
		pick = *idx;
	} else {
		for (i = 0; i < MAX_BACKENDS; i++) {
			__u32 k = i;

			be = bpf_map_lookup_elem(&backends, &k);
			if (!be || !be->addr)
				break;
			n++;
		}
		if (!n)
			return XDP_DROP;
		pick = (key.saddr ^ key.sport ^ (key.dport << 16)) % n;
		if (bpf_map_update_elem(&conns, &key, &pick, BPF_NOEXIST))
			return XDP_DROP;
	}
	be = bpf_map_lookup_elem(&backends, &pick);
	if (!be)
		return XDP_ABORTED;
	cnt = bpf_map_lookup_elem(&lb_stats, &pick);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);

	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, be->mac, ETH_ALEN);
	old = iph->daddr;
	iph->daddr = be->addr;
	/* incremental checksum update for the changed address */
	sum = (__u16)~iph->check + (__u16)~(old & 0xffff) + (__u16)~(old >> 16) +
	      (be->addr & 0xffff) + (be->addr >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	iph->check = ~sum;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
