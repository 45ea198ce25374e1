// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Removal of packet bounds checks the hardware enforces identically.
 *
 * A check "X = B + N; if X > data_end goto FAIL" may go only when taking
 * it out changes nothing a host can observe:
 *  - the program is XDP, so a hardware fault ends the packet with the
 *    same verdict as FAIL: FAIL must be exactly "exit XDP_ABORTED" (0);
 *  - on the success path, before anything with an effect outside the
 *    packet (helper, atomic, map-value store), before any branch or exit,
 *    there is a packet access through B (unchanged) that covers byte
 *    N - 1 exactly: B + off + size == N.  That access, the "witness",
 *    faults precisely when the check would have failed, so the packet
 *    aborts with nothing else having happened.
 * The witness is marked so no later pass deletes or reorders it past an
 * effect (the scheduler orders faulting accesses against effects).
 */
#include "passes.h"

#define REG_BIT(r)	((u16)(1U << (r)))

struct bounds_check {
	u8 x;		/* register holding B + N */
	u8 base;	/* B */
	s64 n;
	u32 ok;		/* block of the success path */
	u32 fail;
	bool ok_is_taken;
};

/* Which of the branch's forms this is, from the verifier's pointer kinds */
static bool match_branch(struct ojit_prog *p, struct ojit_block *blk,
			 const struct ojit_op *br, struct bounds_check *c)
{
	const struct ojit_insn_facts *f = &p->in->facts[br->insn];
	u8 ka = f->dst.kind, kb = f->src.kind;

	if (br->flags & (OJ_F_W32 | OJ_F_IMM))
		return false;
	if (ka == OJIT_PTR_PKT && kb == OJIT_PTR_PKT_END &&
	    (br->alu == ONM_COND_GT || br->alu == ONM_COND_LE)) {
		c->x = br->a;
		c->ok_is_taken = br->alu == ONM_COND_LE;
	} else if (ka == OJIT_PTR_PKT_END && kb == OJIT_PTR_PKT &&
		   (br->alu == ONM_COND_LT || br->alu == ONM_COND_GE)) {
		c->x = br->b;
		c->ok_is_taken = br->alu == ONM_COND_GE;
	} else {
		return false;
	}
	c->ok = c->ok_is_taken ? blk->succ[1] : blk->succ[0];
	c->fail = c->ok_is_taken ? blk->succ[0] : blk->succ[1];
	return c->ok != OJ_NONE && c->fail != OJ_NONE;
}

/* X = B + N (or X = B; X += N) with B a packet pointer at a known
 * non-negative offset, B untouched up to the branch
 */
static bool match_def(struct ojit_prog *p, struct ojit_block *blk, u32 br_i,
		      struct bounds_check *c)
{
	const struct ojit_reg_fact *bf;
	struct ojit_op *add = NULL;
	u16 clobbered = 0;
	u32 i;

	for (i = br_i; i-- > 0;) {
		struct ojit_op *op = ojit_block_op(p, blk, i);

		if (op->kind == OJ_NOP)
			continue;
		if (!add && (ojit_op_defs(op) & REG_BIT(c->x))) {
			if (op->kind != OJ_ALU || op->alu != OJ_ADD ||
			    !(op->flags & OJ_F_IMM) || (op->flags & OJ_F_W32))
				return false;
			add = op;
			c->n = op->imm;
			if (op->a != c->x) {
				c->base = op->a;
				break;
			}
			continue;
		}
		if (add) {
			/* X = B; X += N */
			if (op->kind != OJ_ALU || op->alu != OJ_MOV || op->dst != c->x ||
			    (op->flags & (OJ_F_IMM | OJ_F_W32)))
				return false;
			c->base = op->b;
			clobbered = 0;
			break;
		}
		clobbered |= ojit_op_defs(op);
	}
	if (!add || c->base == c->x || c->n <= 0 || (clobbered & REG_BIT(c->base)))
		return false;
	for (i = add - ojit_block_op(p, blk, 0) + 1; i < br_i; i++)
		if (ojit_op_defs(ojit_block_op(p, blk, i)) & REG_BIT(c->base))
			return false;
	bf = &p->in->facts[add->insn].dst;
	return bf->kind == OJIT_PTR_PKT && bf->const_off && bf->off >= 0;
}

static bool fail_is_abort(struct ojit_prog *p, u32 b)
{
	struct ojit_block *blk = &p->blocks[b];
	struct ojit_op *op;
	u32 i = 0;

	op = ojit_next_op(p, blk, &i);
	if (op && op->kind == OJ_ALU && op->alu == OJ_MOV && op->dst == 0 &&
	    (op->flags & OJ_F_IMM) && op->imm == 0) {
		i++;
		op = ojit_next_op(p, blk, &i);
		return op && op->kind == OJ_EXIT && !(op->flags & OJ_F_IMM);
	}
	return op && op->kind == OJ_EXIT && (op->flags & OJ_F_IMM) && op->imm == 0;
}

static bool harmless_before_witness(const struct ojit_op *op)
{
	switch (op->kind) {
	case OJ_ALU:
	case OJ_LDK:
	case OJ_LDMAP:
	case OJ_LD:
		return true;
	case OJ_ST:
		return op->space == OJIT_PTR_STACK || op->space == OJIT_PTR_PKT;
	}
	return false;
}

static struct ojit_op *find_witness(struct ojit_prog *p, const struct bounds_check *c)
{
	struct ojit_block *blk = &p->blocks[c->ok];
	struct ojit_op *op;
	u32 i;

	for (i = 0; (op = ojit_next_op(p, blk, &i)); i++) {
		if ((op->kind == OJ_LD || op->kind == OJ_ST) && op->a == c->base &&
		    op->space == OJIT_PTR_PKT && op->off >= 0 &&
		    (s64)op->off + op->size == c->n)
			return op;
		if (!harmless_before_witness(op) ||
		    (ojit_op_defs(op) & REG_BIT(c->base)))
			return NULL;
	}
	return NULL;
}

int ojit_pass_bounds(struct ojit_prog *p)
{
	struct bounds_check c = { 0 };
	struct ojit_op *br, *witness;
	int n = 0;
	u32 b;

	if (p->in->prog_type != OFFNIC_PROG_XDP)
		return 0;
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		br = ojit_block_terminator(p, blk);
		if (!blk->reachable || !br || br->kind != OJ_BR ||
		    !match_branch(p, blk, br, &c) ||
		    !match_def(p, blk, br - ojit_block_op(p, blk, 0), &c) ||
		    !fail_is_abort(p, c.fail))
			continue;
		witness = find_witness(p, &c);
		if (!witness)
			continue;
		witness->flags |= OJ_F_WITNESS;
		if (c.ok_is_taken) {
			br->kind = OJ_JA;
			br->target = c.ok;
			blk->succ[0] = OJ_NONE;
		} else {
			br->kind = OJ_NOP;
			blk->succ[1] = OJ_NONE;
		}
		n++;
	}
	return n;
}
