// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Parallel branching: a block that is nothing but one control op (a
 * conditional branch, a jump or an exit), reached only by falling through
 * from a block that ends in a conditional branch or in no control op at
 * all, joins that block's last bundle in a higher lane.  The hardware
 * takes the lowest lane whose condition holds, which is the order of the
 * two in the program; the non-control ops of the bundle run either way;
 * if nothing is taken, execution continues after the bundle, where the
 * merged block's next block now begins.
 *
 * The merged op must read nothing the bundle writes (a bundle reads
 * before it writes, so it would see older values than in the program).
 */
#include "sched.h"

static u32 *count_preds(struct ojit_prog *p)
{
	u32 *preds = ojit_zalloc(sizeof(u32) * p->n_blocks), b, i, k;

	if (!preds)
		return NULL;
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		if (!blk->reachable)
			continue;
		for (k = 0; k < 2; k++)
			if (blk->succ[k] != OJ_NONE)
				preds[blk->succ[k]]++;
		for (i = 0; i < blk->n_uops; i++)
			if (blk->uops[i].opc == ONM_OP_CALL)
				preds[blk->uops[i].target]++;
	}
	return preds;
}

/* blk's last bundle may take one more control op after its own */
static bool open_ended(const struct ojit_block *blk)
{
	const struct ojit_uop *last = &blk->uops[blk->n_uops - 1];

	return blk->n_uops && blk->n_bundles &&
	       (last->opc == ONM_OP_BR || !(last->flags & OJ_U_CONTROL));
}

/*
 * Room for one more control op in the last bundle of blk, not writing
 * what br reads
 */
static bool fits_last_bundle(const struct ojit_prog *p, const struct ojit_block *blk,
			     const struct ojit_uop *br)
{
	u32 last = blk->n_bundles - 1, lanes = 0, ctrl = 0, i;
	u16 regs[OJ_MAX_READS];
	u32 n = ojit_uop_reads(br, regs), k;

	for (i = 0; i < blk->n_uops; i++) {
		const struct ojit_uop *u = &blk->uops[i];
		u16 w = ojit_uop_writes(u);

		if (u->bundle != last)
			continue;
		lanes++;
		ctrl += u->unit == ONM_UNIT_CTRL;
		for (k = 0; k < n; k++)
			if (w != OJ_NOREG && w == regs[k])
				return false;
	}
	return lanes < p->lanes && ctrl < onm_unit_table[ONM_UNIT_CTRL].per_bundle;
}

static bool lone_control(const struct ojit_block *f)
{
	u8 opc = f->n_uops == 1 ? f->uops[0].opc : ONM_OP_NOP;

	return f->reachable && !f->subprog_start &&
	       (opc == ONM_OP_BR || opc == ONM_OP_JA || opc == ONM_OP_EXIT);
}

int ojit_merge_branches(struct ojit_prog *p)
{
	u32 *preds = count_preds(p), b, f;

	if (!preds)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		if (!blk->reachable || !blk->n_uops || !open_ended(blk))
			continue;
		for (f = b + 1; f < p->n_blocks && open_ended(blk); f++) {
			struct ojit_block *fb = &p->blocks[f];
			struct ojit_uop *op = &fb->uops[0];

			if (preds[f] != 1 || !lone_control(fb) ||
			    blk->n_uops == blk->uop_cap || !fits_last_bundle(p, blk, op))
				break;
			op->bundle = blk->n_bundles - 1;
			blk->uops[blk->n_uops++] = *op;
			fb->n_uops = 0;
			fb->n_bundles = 0;
			p->res->stats.merged_branches++;
		}
		b = f - 1;
	}
	ojit_free(preds);
	return 0;
}
