// SPDX-License-Identifier: GPL-2.0
/* hXDP's XDP_TX microbenchmark: send every frame back out of its port,
 * source and destination MACs swapped so the peer accepts it. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	unsigned short *p = data, d0, d1, d2;

	if (data + sizeof(struct ethhdr) > data_end)
		return XDP_DROP;
	d0 = p[0];
	d1 = p[1];
	d2 = p[2];
	p[0] = p[3];
	p[1] = p[4];
	p[2] = p[5];
	p[3] = d0;
	p[4] = d1;
	p[5] = d2;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
