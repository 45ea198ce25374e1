// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_xdp_get_buff_len and bpf_get_smp_processor_id: the verdict depends
 * on both, so the lockstep run compares the two helper units of model
 * and RTL.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int buff_len(struct xdp_md *ctx)
{
	__u32 len = bpf_xdp_get_buff_len(ctx);
	__u32 core = bpf_get_smp_processor_id();

	if (len != (__u32)(ctx->data_end - ctx->data))
		return XDP_ABORTED;
	return len > 60 + core ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
