/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef OJIT_SCHED_H
#define OJIT_SCHED_H

#include "ojit_int.h"

#define OJ_MAX_READS	6
/* List scheduling works on regions of at most this many micro-ops; a
 * longer block is scheduled region after region
 */
#define OJ_SCHED_REGION	256

enum ojit_sched_mode {
	OJ_SCHED_LIST,		/* list scheduling by critical-path height */
	OJ_SCHED_SERIAL,	/* one micro-op per bundle, program order */
};

int ojit_dep(const struct ojit_uop *x, const struct ojit_uop *y, u32 *lat);
int ojit_schedule_block(struct ojit_prog *p, struct ojit_block *blk,
			enum ojit_sched_mode mode);
int ojit_rename_block(struct ojit_prog *p, struct ojit_block *blk);
int ojit_regalloc_block(struct ojit_prog *p, struct ojit_block *blk);

#endif /* OJIT_SCHED_H */
