// SPDX-License-Identifier: GPL-2.0
/*
 * After samples/bpf/xdp_rxq_info_kern.c: count every packet globally and
 * per receive queue (ctx->rx_queue_index), note packets that arrived on
 * an unexpected interface, then DROP, or swap the MACs and TX, as the
 * `rxq_config` map says.  The kernel sample uses per-CPU maps and plain
 * increments; the device's cores share one array, so the counters are
 * atomic adds here.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define RXQ_MAX		64

/* rxq_config.options */
#define RXQ_READ_MEM	0x1
#define RXQ_SWAP_MAC	0x2

/* The layouts the host (scripts/bench/traffic.c) writes and reads */
struct rxq_config {
	__u32 action;			/* verdict: XDP_DROP, XDP_TX, ... */
	__u32 ifindex;			/* expected ingress interface */
	__u32 options;			/* RXQ_READ_MEM | RXQ_SWAP_MAC */
};

struct rxq_rec {
	__u64 processed;
	__u64 issue;			/* wrong interface or queue */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct rxq_config);
	__uint(max_entries, 1);
} rxq_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct rxq_rec);
	__uint(max_entries, 1);
} rxq_global SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct rxq_rec);
	__uint(max_entries, RXQ_MAX);
} rxq_stats SEC(".maps");

static __always_inline void swap_src_dst_mac(void *data)
{
	unsigned short *p = data;
	unsigned short dst[3];

	dst[0] = p[0];
	dst[1] = p[1];
	dst[2] = p[2];
	p[0] = p[3];
	p[1] = p[4];
	p[2] = p[5];
	p[3] = dst[0];
	p[4] = dst[1];
	p[5] = dst[2];
}

SEC("xdp")
int rxq_info(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct rxq_config *cfg;
	struct rxq_rec *rec, *rxq;
	__u32 key = 0, ifindex;

	cfg = bpf_map_lookup_elem(&rxq_config, &key);
	if (!cfg)
		return XDP_ABORTED;
	rec = bpf_map_lookup_elem(&rxq_global, &key);
	if (!rec)
		return XDP_ABORTED;
	__sync_fetch_and_add(&rec->processed, 1);
	ifindex = ctx->ingress_ifindex;
	if (ifindex != cfg->ifindex)
		__sync_fetch_and_add(&rec->issue, 1);

	key = ctx->rx_queue_index;
	if (key >= RXQ_MAX) {
		__sync_fetch_and_add(&rec->issue, 1);
		return XDP_ABORTED;
	}
	rxq = bpf_map_lookup_elem(&rxq_stats, &key);
	if (!rxq)
		return XDP_ABORTED;
	__sync_fetch_and_add(&rxq->processed, 1);
	if (ifindex != cfg->ifindex)
		__sync_fetch_and_add(&rxq->issue, 1);

	if (cfg->options & (RXQ_READ_MEM | RXQ_SWAP_MAC)) {
		if (data + sizeof(struct ethhdr) > data_end)
			return XDP_ABORTED;
		if (cfg->options & RXQ_SWAP_MAC)
			swap_src_dst_mac(data);
	}
	return cfg->action;
}

char LICENSE[] SEC("license") = "GPL";
