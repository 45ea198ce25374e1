/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SPLIT_H
#define SPLIT_H

/* seen[] counters of progs/split_host.bpf.c */
enum {
	SPLIT_PACKETS,			/* packets the host program saw */
	SPLIT_DEVICE_RAN,		/* ... on which the device ran a program */
	SPLIT_DEVICE_PASSED,		/* ... which it passed */
	SPLIT_HAVE_CYCLES,		/* ... with a device cycle count */
	SPLIT_COUNTERS
};

#endif
