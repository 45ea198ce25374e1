// SPDX-License-Identifier: GPL-2.0
/*
 * What the loader must name when it refuses: a kfunc call, and static
 * data (a section symbol, no variable name).  And a map its loader sizes
 * at run time (max_entries 0) that the translated program does not use.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_offnic_no_such_kfunc(__u32 x) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
} sized_later SEC(".maps");

SEC("xdp")
int calls_kfunc(struct xdp_md *ctx)
{
	return bpf_offnic_no_such_kfunc(ctx->rx_queue_index) ? XDP_PASS : XDP_DROP;
}

static const char table[13] = { 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 };

SEC("xdp")
int reads_rodata(struct xdp_md *ctx)
{
	return table[ctx->rx_queue_index % 13];
}

SEC("xdp")
int plain(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
