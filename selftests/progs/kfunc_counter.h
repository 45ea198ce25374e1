/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KFUNC_COUNTER_H
#define KFUNC_COUNTER_H

/* Context of progs/kfunc_counter.bpf.c, shared with offnic_kfunc.c */
struct kfunc_counter_args {
	int ifindex;
	__u32 id;
	__s64 ret;
};

#endif
