// SPDX-License-Identifier: GPL-2.0
/*
 * tx_ip_tunnel-like: IPv4 packets to a service VIP (10.100.0.0/24) are
 * encapsulated in an outer IPv4 header (IP-in-IP) toward the tunnel
 * endpoint named in the `tunnels` hash map (by destination port), grown
 * in front with bpf_xdp_adjust_head, and sent back out (XDP_TX).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct tunnel {
	__u32 saddr;
	__u32 daddr;
	__u8 dmac[ETH_ALEN];
	__u8 smac[ETH_ALEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u16);		/* destination port, network order */
	__type(value, struct tunnel);
	__uint(max_entries, 64);
} tunnels SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);		/* encapsulated, no tunnel */
} ipip_stats SEC(".maps");

static __always_inline void bump(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&ipip_stats, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
}

SEC("xdp")
int ipip_encap(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data, *neth;
	struct iphdr *iph = (void *)(eth + 1), *outer;
	struct udphdr *l4 = (void *)(iph + 1);
	struct tunnel *t;
	__u16 dport, inner_len;
	__u32 sum;

	if ((void *)(l4 + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5)
		return XDP_PASS;
	if ((bpf_ntohl(iph->daddr) & 0xffffff00) != 0x0a640000)
		return XDP_PASS;
	if (iph->protocol != IPPROTO_UDP && iph->protocol != IPPROTO_TCP)
		return XDP_PASS;
	dport = l4->dest;
	inner_len = bpf_ntohs(iph->tot_len);
	t = bpf_map_lookup_elem(&tunnels, &dport);
	if (!t) {
		bump(1);
		return XDP_DROP;
	}
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return XDP_ABORTED;
	data_end = (void *)(long)ctx->data_end;
	data = (void *)(long)ctx->data;
	neth = data;
	outer = (void *)(neth + 1);
	if ((void *)(outer + 1) > data_end)
		return XDP_ABORTED;

	__builtin_memcpy(neth->h_dest, t->dmac, ETH_ALEN);
	__builtin_memcpy(neth->h_source, t->smac, ETH_ALEN);
	neth->h_proto = bpf_htons(ETH_P_IP);
	outer->version = 4;
	outer->ihl = 5;
	outer->tos = 0;
	outer->tot_len = bpf_htons(inner_len + sizeof(struct iphdr));
	outer->id = 0;
	outer->frag_off = 0;
	outer->ttl = 64;
	outer->protocol = IPPROTO_IPIP;
	outer->check = 0;
	outer->saddr = t->saddr;
	outer->daddr = t->daddr;
	sum = bpf_csum_diff(0, 0, (__be32 *)outer, sizeof(*outer), 0);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	outer->check = ~sum;
	bump(0);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
