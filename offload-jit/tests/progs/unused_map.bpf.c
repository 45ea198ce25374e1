// SPDX-License-Identifier: GPL-2.0
/*
 * An object with a map the device cannot hold (a per-CPU array): only
 * the program that uses it is refused, by the map's name and type; the
 * other program of the object translates.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} percpu_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} stats SEC(".maps");

static __always_inline int count(void *map)
{
	__u32 k = 1;
	__u64 *v = bpf_map_lookup_elem(map, &k);

	if (!v)
		return XDP_ABORTED;
	*v += 1;
	return XDP_PASS;
}

SEC("xdp")
int uses_percpu(struct xdp_md *ctx)
{
	return count(&percpu_stats);
}

SEC("xdp")
int uses_array(struct xdp_md *ctx)
{
	return count(&stats);
}

char _license[] SEC("license") = "GPL";
