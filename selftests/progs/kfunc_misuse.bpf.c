// SPDX-License-Identifier: GPL-2.0
/* An XDP program may not call the sleepable device test-run kfunc: the
 * verifier must refuse to load this.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_offnic_test_run(int ifindex, __u32 slot, void *buf,
			       __u32 buf__sz) __ksym;

SEC("xdp")
int xdp_calls_test_run(struct xdp_md *ctx)
{
	char buf[128] = {};

	return bpf_offnic_test_run(ctx->ingress_ifindex, 0, buf, sizeof(buf)) ?
	       XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
