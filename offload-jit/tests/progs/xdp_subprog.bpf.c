// SPDX-License-Identifier: GPL-2.0
/* A BPF-to-BPF call (a __noinline function in .text): CALL/RET on the
 * device, frames and callee-saved registers. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} cnt SEC(".maps");
static __noinline int bump(__u32 k, void *data, void *end)
{
	__u64 *v = bpf_map_lookup_elem(&cnt, &k);
	if (!v)
		return 0;
	*v += 1;
	return (data + 14 <= end) ? 2 : 1;
}
SEC("xdp")
int xdp_sub(struct xdp_md *ctx)
{
	return bump(ctx->ingress_ifindex & 3, (void *)(long)ctx->data, (void *)(long)ctx->data_end);
}
char _license[] SEC("license") = "GPL";
