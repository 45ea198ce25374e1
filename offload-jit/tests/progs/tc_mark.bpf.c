// SPDX-License-Identifier: GPL-2.0
/* A tc classifier: marks IPv4 UDP by destination port range, counts per
 * mark, redirects port 4789 (VXLAN) to ifindex 7, lets the rest through. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} marks SEC(".maps");

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	struct udphdr *udp = (void *)(iph + 1);
	__u32 mark;
	__u64 *cnt;
	__u16 port;

	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	if (skb->protocol != bpf_htons(ETH_P_IP) || iph->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	port = bpf_ntohs(udp->dest);
	if (port == 4789)
		return bpf_redirect(7, 0);
	mark = port < 1024 ? 1 : port < 49152 ? 2 : 3;
	skb->mark = mark;
	skb->priority = skb->len > 1000 ? 0 : 6;
	cnt = bpf_map_lookup_elem(&marks, &mark);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return TC_ACT_SHOT;
}

char _license[] SEC("license") = "GPL";
