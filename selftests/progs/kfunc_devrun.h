/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KFUNC_DEVRUN_H
#define KFUNC_DEVRUN_H

#include "offnic_kfuncs.h"

struct devrun_args {
	int ifindex;
	__u32 slot;
	__u32 short_buf;		/* pass a too-short buffer size */
	int ret;
};

struct devrun_buf {
	struct offnic_test_run_buf run;
	__u8 pkt[1536];			/* the packet follows run */
	struct offnic_prog_counters stats;
};

#endif
