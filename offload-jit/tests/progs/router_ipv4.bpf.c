// SPDX-License-Identifier: GPL-2.0
/* After samples/bpf/xdp_router_ipv4_kern.c: exact-match route lookup,
 * MAC rewrite, TTL decrement with incremental checksum, redirect. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct route {
	__u8 dmac[6];
	__u8 smac[6];
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct route);
	__uint(max_entries, 64);
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);
} stats SEC(".maps");

static __always_inline void count(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xdp_router_ipv4(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	struct route *rt;
	__u32 dst, csum;

	if ((void *)(iph + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->ttl <= 1)
		return XDP_PASS;
	dst = iph->daddr;
	rt = bpf_map_lookup_elem(&routes, &dst);
	if (!rt) {
		count(1);
		return XDP_PASS;
	}
	__builtin_memcpy(eth->h_dest, rt->dmac, 6);
	__builtin_memcpy(eth->h_source, rt->smac, 6);
	csum = iph->check;
	csum += bpf_htons(0x0100);
	iph->check = (__u16)(csum + (csum >= 0xffff));
	iph->ttl--;
	count(0);
	return bpf_redirect(rt->ifindex, 0);
}

char _license[] SEC("license") = "GPL";
