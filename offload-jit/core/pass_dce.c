// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Dead code elimination on register liveness, and jump threading.
 */
#include "passes.h"

static int dce_block(struct ojit_prog *p, struct ojit_block *blk)
{
	u16 live = blk->live_out;
	int n = 0;
	u32 i;

	for (i = blk->n_ops; i-- > 0;) {
		struct ojit_op *op = ojit_block_op(p, blk, i);
		u16 defs = ojit_op_defs(op);

		if (op->kind == OJ_NOP)
			continue;
		if (!blk->reachable || (ojit_op_is_pure(op) && !(defs & live))) {
			op->kind = OJ_NOP;
			n++;
			continue;
		}
		live = (live & ~defs) | ojit_op_uses(op);
	}
	return n;
}

int ojit_pass_dce(struct ojit_prog *p)
{
	int total = 0, n;
	u32 b;

	do {
		n = 0;
		for (b = 0; b < p->n_blocks; b++)
			n += dce_block(p, &p->blocks[b]);
		total += n;
		ojit_cfg_liveness(p);
	} while (n);
	return total;
}

/* A block that is only an exit or only a jump */
static struct ojit_op *lone_op(struct ojit_prog *p, u32 b)
{
	struct ojit_block *blk = &p->blocks[b];
	struct ojit_op *op;
	u32 i = 0;

	op = ojit_next_op(p, blk, &i);
	if (!op || (op->kind != OJ_EXIT && op->kind != OJ_JA))
		return NULL;
	i++;
	return ojit_next_op(p, blk, &i) ? NULL : op;
}

#define MAX_THREAD_HOPS	8

int ojit_pass_jump_thread(struct ojit_prog *p)
{
	struct ojit_op *op, *to;
	int n = 0;
	u32 b, hops;

	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		op = ojit_block_terminator(p, blk);
		if (!blk->reachable || !op || (op->kind != OJ_JA && op->kind != OJ_BR))
			continue;
		for (hops = 0; hops < MAX_THREAD_HOPS; hops++) {
			to = lone_op(p, op->target);
			if (!to || (to->kind == OJ_EXIT && op->kind == OJ_BR) ||
			    (to->kind == OJ_JA && to->target == op->target))
				break;
			n++;
			if (to->kind == OJ_EXIT) {
				op->kind = OJ_EXIT;
				op->flags = to->flags;
				op->imm = to->imm;
				blk->succ[1] = OJ_NONE;
				break;
			}
			op->target = to->target;
			blk->succ[1] = to->target;
			blk->back_edge = to->target <= b;
		}
		if (op->kind == OJ_JA && op->target == b + 1) {
			op->kind = OJ_NOP;
			blk->succ[0] = b + 1;
			blk->succ[1] = OJ_NONE;
			n++;
		}
	}
	return n;
}
