// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall programs around offnic's sleepable kfuncs: run a packet through
 * the program offloaded on a port (device test-run) and read a device
 * slot's counters.  The packet travels in the map `buf` (kfunc memory
 * arguments must be BPF memory with a known size).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "offnic_kfuncs.h"
#include "kfunc_devrun.h"

extern int bpf_offnic_test_run(int ifindex, __u32 slot, void *buf,
			       __u32 buf__sz) __ksym;
extern int bpf_offnic_prog_stats(int ifindex, __u32 slot, void *st,
				 __u32 st__sz) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct devrun_buf);
	__uint(max_entries, 1);
} buf SEC(".maps");

SEC("syscall")
int test_run(struct devrun_args *args)
{
	__u32 zero = 0;
	struct devrun_buf *b = bpf_map_lookup_elem(&buf, &zero);

	if (!b)
		return 1;
	args->ret = bpf_offnic_test_run(args->ifindex, args->slot, &b->run,
					args->short_buf ? 8 :
					sizeof(b->run) + sizeof(b->pkt));
	return 0;
}

SEC("syscall")
int prog_stats(struct devrun_args *args)
{
	__u32 zero = 0;
	struct devrun_buf *b = bpf_map_lookup_elem(&buf, &zero);

	if (!b)
		return 1;
	args->ret = bpf_offnic_prog_stats(args->ifindex, args->slot, &b->stats,
					  args->short_buf ? 8 : sizeof(b->stats));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
