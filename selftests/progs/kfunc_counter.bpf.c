// SPDX-License-Identifier: GPL-2.0
/* A syscall program that reads a device counter through offnic's kfunc. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "kfunc_counter.h"

extern __s64 bpf_offnic_dev_counter(int ifindex, __u32 id) __ksym;

SEC("syscall")
int read_counter(struct kfunc_counter_args *args)
{
	args->ret = bpf_offnic_dev_counter(args->ifindex, args->id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
