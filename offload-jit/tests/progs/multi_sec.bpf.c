// SPDX-License-Identifier: GPL-2.0
/*
 * Several programs in one section and programs in a "?" section (not
 * autoloaded by libbpf): each must get its own map references, relocated
 * from its own offset in the section.  Each program looks key 5 up in a
 * map of 8 entries; a wrong map (small, of 1 entry) or none fails the
 * lookup and the verdict shows it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAP(name, n)						\
	struct {						\
		__uint(type, BPF_MAP_TYPE_ARRAY);		\
		__type(key, __u32);				\
		__type(value, __u32);				\
		__uint(max_entries, n);				\
	} name SEC(".maps")

MAP(small, 1);
MAP(big_a, 8);
MAP(big_b, 8);
MAP(big_c, 8);

static __always_inline int probe(void *map)
{
	__u32 k = 5, *v = bpf_map_lookup_elem(map, &k);

	return v ? XDP_TX : XDP_PASS;
}

SEC("xdp")
int first(struct xdp_md *ctx)
{
	__u32 k = 0, *v = bpf_map_lookup_elem(&small, &k);

	return v ? XDP_TX : XDP_PASS;
}

SEC("xdp")
int second(struct xdp_md *ctx)
{
	return probe(&big_a);
}

SEC("xdp")
int third(struct xdp_md *ctx)
{
	return probe(&big_b);
}

SEC("?xdp")
int optional(struct xdp_md *ctx)
{
	return probe(&big_c);
}

char _license[] SEC("license") = "GPL";
