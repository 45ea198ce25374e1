// SPDX-License-Identifier: GPL-2.0
/* The smallest XDP program: pass everything (a host-side companion). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
