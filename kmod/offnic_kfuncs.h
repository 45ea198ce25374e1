/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offnic kfuncs: the types they exchange with BPF programs.  BPF programs
 * include this header and declare the kfuncs they call (docs/kfuncs.md):
 *
 *   extern __s64 bpf_offnic_dev_counter(int ifindex, __u32 id) __ksym;
 *   extern int bpf_offnic_rx_meta(struct xdp_md *ctx,
 *                                 struct offnic_rx_meta *meta, __u32 meta__sz) __ksym;
 *   extern int bpf_offnic_test_run(int ifindex, __u32 slot,
 *                                  void *buf, __u32 buf__sz) __ksym;
 *   extern int bpf_offnic_prog_stats(int ifindex, __u32 slot,
 *                                    void *st, __u32 st__sz) __ksym;
 */
#ifndef OFFNIC_KFUNCS_H
#define OFFNIC_KFUNCS_H

#include <linux/types.h>

/* Program slots on the device, as in the device ABI */
#define OFFNIC_KF_SLOT_XDP	0
#define OFFNIC_KF_SLOT_TC	1

#define OFFNIC_RX_META_ENGINE	0x1U	/* the device ran a program */

/* What the device did with the packet a driver-mode XDP program sees */
struct offnic_rx_meta {
	__u32 flags;			/* OFFNIC_RX_META_* */
	__u32 verdict;			/* the offloaded program's verdict */
	__u32 hash;			/* device flow hash */
	__u32 meta_len;			/* bytes of meta[] the device program left */
	__u64 tstamp;			/* device cycle counter at wire RX */
	__u64 cycles;			/* device cycles spent on the packet */
	__u8  meta[32];
};

/*
 * The buffer of bpf_offnic_test_run(): this header, then the packet.  In:
 * len and the packet; out: the rest, and the output packet in its place.
 */
struct offnic_test_run_buf {
	__u32 len;			/* packet bytes after the header, in and out */
	__u32 verdict;
	__u64 cycles;
	__u64 bundles;
	__u32 fault_cause;		/* 0: none; else the ISA fault code */
	__u32 fault_pc;
};

/* Statistics of the program in a device slot */
struct offnic_prog_counters {
	__u64 packets;
	__u64 verdicts[5];		/* XDP ABORTED, DROP, PASS, TX, REDIRECT */
	__u64 faults;
	__u64 cycles_total;
	__u64 cycles_min;
	__u64 cycles_max;
	__u32 loaded;
	__u32 n_bundles;
};

#endif /* OFFNIC_KFUNCS_H */
