// SPDX-License-Identifier: GPL-2.0
/*
 * .rodata folded to constants: a loader's configuration in `const
 * volatile` globals, read at constant offsets, becomes moves of the
 * values; a .rodata address that escapes (here: passed to a helper as a
 * key) or a 64-bit value cannot be folded and is refused by name.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cfg {
	__u16 port;
	__u8 proto;
	__u8 pad;
	__u32 action;
	__u64 small;
};

const volatile struct cfg cfg = { .port = 53, .proto = 17, .action = XDP_TX, .small = 5 };
const volatile __u32 key = 1;
const volatile __u64 wide = 0x123456789ULL;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 2);
} counts SEC(".maps");

SEC("xdp")
int folds_config(struct xdp_md *ctx)
{
	if (cfg.port != 53 || cfg.proto != 17 || cfg.small != 5)
		return XDP_ABORTED;
	return cfg.action;
}

SEC("xdp")
int passes_rodata(struct xdp_md *ctx)
{
	__u32 *v = bpf_map_lookup_elem(&counts, (const void *)&key);

	return v ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int reads_wide(struct xdp_md *ctx)
{
	return wide >> 32 == 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
