// SPDX-License-Identifier: GPL-2.0
/*
 * For the differential oracle: a result that depends on every context
 * field the device fills for XDP.  The program keeps ingress_ifindex and
 * rx_queue_index in metadata it makes with bpf_xdp_adjust_meta(), reads
 * them back through data_meta, writes them and the metadata length into
 * the source MAC, and branches on them: XDP_TX only for a real port on
 * queue 0, so a device that gets a field wrong changes bytes or verdict.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define META_LEN	8

SEC("xdp")
int ctx_fields(struct xdp_md *ctx)
{
	void *data, *data_end;
	__u32 *meta;
	__u8 *p;

	if (bpf_xdp_adjust_meta(ctx, -META_LEN))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	meta = (void *)(long)ctx->data_meta;
	p = data;
	if ((void *)(meta + 2) > data || (void *)(p + 14) > data_end)
		return XDP_ABORTED;
	meta[0] = ctx->ingress_ifindex;
	meta[1] = ctx->rx_queue_index;

	p[6] = 0x02;			/* locally administered, unicast */
	p[7] = (__u8)(data - (void *)meta);
	p[8] = meta[0] >> 24;
	p[9] = meta[0] >> 16;
	p[10] = meta[0] >> 8;
	p[11] = meta[0];
	p[13] ^= (__u8)meta[1];
	if (!meta[0])
		return XDP_DROP;	/* no port: what ifindex 0 claims */
	if (meta[1])
		return XDP_PASS;	/* offnic has one queue */
	if (bpf_xdp_adjust_meta(ctx, META_LEN))
		return XDP_ABORTED;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
