// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Hoisting across a conditional branch: the first ops of the not-taken
 * block move up before the branch, so they share its bundle.
 *
 * Safe when the not-taken successor F has the branch block B as its only
 * predecessor and each moved op
 *  - cannot fault and has no effect (ALU, constants): it now also runs on
 *    the taken path;
 *  - writes nothing the branch reads, nor anything live on entry to the
 *    taken target T, so the taken path cannot tell.
 * Loads stay: one guarded by this very branch (a null check) would fault.
 * Loop latches are left alone, so loops do not grow.
 */
#include "passes.h"

static u32 *count_preds(struct ojit_prog *p)
{
	u32 *preds = ojit_zalloc(sizeof(u32) * p->n_blocks), b, k;

	if (!preds)
		return NULL;
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];
		struct ojit_op *t = ojit_block_terminator(p, blk);

		if (!blk->reachable)
			continue;
		for (k = 0; k < 2; k++)
			if (blk->succ[k] != OJ_NONE)
				preds[blk->succ[k]]++;
		if (t && t->kind == OJ_CALL)
			preds[t->target]++;
	}
	return preds;
}

static bool hoistable(const struct ojit_op *op, u16 branch_uses, u16 taken_live)
{
	u16 defs = ojit_op_defs(op);

	if (op->kind != OJ_ALU && op->kind != OJ_LDK && op->kind != OJ_LDMAP)
		return false;
	return !(defs & (branch_uses | taken_live));
}

/* Move F's first op (at index j of the ops array) in front of B's branch */
static void move_up(struct ojit_prog *p, struct ojit_block *blk, struct ojit_block *f,
		    u32 j)
{
	u32 at = blk->op_first + blk->n_ops - 1;
	struct ojit_op moved = p->ops[j];

	for (; j > at; j--)
		p->ops[j] = p->ops[j - 1];
	p->ops[at] = moved;
	blk->n_ops++;
	f->op_first++;
	f->n_ops--;
}

static int hoist_into(struct ojit_prog *p, u32 b, const u32 *preds)
{
	struct ojit_block *blk = &p->blocks[b], *f;
	struct ojit_op *br = ojit_block_terminator(p, blk), *op;
	u32 moved = 0, i;

	if (!blk->reachable || !br || br->kind != OJ_BR || blk->back_edge ||
	    br != ojit_block_op(p, blk, blk->n_ops - 1) ||
	    blk->succ[0] != b + 1 || blk->succ[1] == b + 1 || preds[b + 1] != 1)
		return 0;
	f = &p->blocks[b + 1];
	while (moved + 1 < p->lanes) {
		i = 0;
		op = ojit_next_op(p, f, &i);
		if (!op || !hoistable(op, ojit_op_uses(br),
				      p->blocks[blk->succ[1]].live_in))
			break;
		move_up(p, blk, f, f->op_first + i);
		br = ojit_block_op(p, blk, blk->n_ops - 1);
		moved++;
	}
	return (int)moved;
}

int ojit_pass_hoist(struct ojit_prog *p)
{
	u32 *preds = count_preds(p), b;
	int n = 0;

	if (!preds)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	for (b = 0; b + 1 < p->n_blocks; b++)
		n += hoist_into(p, b, preds);
	ojit_free(preds);
	return n;
}
