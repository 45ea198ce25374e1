// SPDX-License-Identifier: GPL-2.0
/*
 * A tc classifier that redirects: UDP to port 9999 goes back out of the
 * port it came in on, source and destination MACs swapped (the device
 * sends it out of the wire); UDP to port 53 is redirected to ifindex 1,
 * a device the NIC cannot reach (dropped); the rest passes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_redirect(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *udp = (void *)(iph + 1);
	unsigned char mac[ETH_ALEN];

	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 ||
	    iph->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	if (udp->dest == bpf_htons(53))
		return bpf_redirect(1, 0);
	if (udp->dest != bpf_htons(9999))
		return TC_ACT_OK;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	return bpf_redirect(skb->ingress_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
