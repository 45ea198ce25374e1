// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_adjust_tail-like: answer an ICMP echo request to 10.99.0.1 with an
 * echo reply built in place and sent back out of the port (XDP_TX); the
 * reply is trimmed to 64 bytes of ICMP with bpf_xdp_adjust_tail.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define ME		bpf_htonl(0x0a630001)	/* 10.99.0.1 */
#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8

/* <linux/icmp.h> drags in libc's socket headers: the fields used here */
struct icmphdr {
	__u8 type;
	__u8 code;
	__u16 checksum;
	__u16 id;
	__u16 sequence;
};
#define REPLY_ICMP	64

static __always_inline __u16 fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

SEC("xdp")
int icmp_reply(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct icmphdr *icmp = (void *)(iph + 1);
	__u8 mac[ETH_ALEN];
	__u32 addr, sum, total;
	int trim;

	if ((void *)(icmp + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 ||
	    iph->protocol != IPPROTO_ICMP || iph->daddr != ME ||
	    icmp->type != ICMP_ECHO)
		return XDP_PASS;

	total = bpf_ntohs(iph->tot_len);
	trim = (int)(sizeof(*eth) + sizeof(*iph) + REPLY_ICMP) - (int)(data_end - data);
	if (trim < 0 && bpf_xdp_adjust_tail(ctx, trim))
		return XDP_ABORTED;
	data_end = (void *)(long)ctx->data_end;
	data = (void *)(long)ctx->data;
	eth = data;
	iph = (void *)(eth + 1);
	icmp = (void *)(iph + 1);
	if ((void *)icmp + REPLY_ICMP > data_end && trim < 0)
		return XDP_ABORTED;
	if ((void *)(icmp + 1) > data_end)
		return XDP_ABORTED;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;
	if (trim < 0)
		total = sizeof(*iph) + REPLY_ICMP;
	iph->tot_len = bpf_htons(total);
	iph->check = 0;
	sum = bpf_csum_diff(0, 0, (__be32 *)iph, sizeof(*iph), 0);
	iph->check = fold(sum);

	/* echo -> echo reply changes the type word by 0x0800 */
	icmp->type = ICMP_ECHOREPLY;
	sum = (__u16)~icmp->checksum + (__u16)~bpf_htons(0x0800);
	icmp->checksum = fold(sum);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
