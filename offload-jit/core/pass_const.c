// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Constant propagation over the CFG (a forward dataflow on "register r
 * holds constant v"), constant folding, branch folding and the
 * parametrised exit.
 */
#include "passes.h"

#define REG_BIT(r)	((u16)(1U << (r)))

/* validate keeps IR registers within r0..r10; the bound keeps val[] safe */
static bool reg_known(const struct ojit_cstate *st, u8 r)
{
	return r < OJIT_BPF_NREGS && (st->known & REG_BIT(r));
}

struct ojit_op *ojit_next_op(struct ojit_prog *p, struct ojit_block *b, u32 *i)
{
	for (; *i < b->n_ops; (*i)++) {
		struct ojit_op *op = ojit_block_op(p, b, *i);

		if (op->kind != OJ_NOP)
			return op;
	}
	return NULL;
}

struct ojit_op *ojit_block_terminator(struct ojit_prog *p, struct ojit_block *b)
{
	u32 i;

	for (i = b->n_ops; i-- > 0;) {
		struct ojit_op *op = ojit_block_op(p, b, i);

		if (op->kind == OJ_NOP)
			continue;
		if (op->kind == OJ_BR || op->kind == OJ_JA || op->kind == OJ_EXIT ||
		    op->kind == OJ_CALL)
			return op;
		return NULL;
	}
	return NULL;
}

static bool operand_b(const struct ojit_op *op, const struct ojit_cstate *st,
		      u64 *v)
{
	if (op->flags & OJ_F_IMM) {
		*v = (u64)op->imm;
		return true;
	}
	if (!reg_known(st, op->b))
		return false;
	*v = (u64)st->val[op->b];
	return true;
}

static bool alu_result(const struct ojit_op *op, const struct ojit_cstate *st,
		       u64 *v)
{
	u64 a = 0, b = 0;

	if (op->a != OJ_NOREG8) {
		if (!reg_known(st, op->a))
			return false;
		a = (u64)st->val[op->a];
	}
	if (op->alu != OJ_NEG && op->alu != OJ_BSWAP && !operand_b(op, st, &b))
		return false;
	return ojit_eval_alu(op->alu, op->flags, op->size, a, b, v);
}

void ojit_const_step(const struct ojit_op *op, struct ojit_cstate *st)
{
	u64 v;

	if (op->dst != OJ_NOREG8 && op->dst >= OJIT_BPF_NREGS)
		return;
	if (op->kind == OJ_ALU && alu_result(op, st, &v)) {
		st->known |= REG_BIT(op->dst);
		st->val[op->dst] = (s64)v;
		return;
	}
	if (op->kind == OJ_LDK) {
		st->known |= REG_BIT(op->dst);
		st->val[op->dst] = op->imm;
		return;
	}
	st->known &= ~ojit_op_defs(op);
}

static bool merge(struct ojit_cstate *into, const struct ojit_cstate *from,
		  u8 *seen)
{
	u16 known = into->known;
	u32 r;

	if (!*seen) {
		*into = *from;
		*seen = 1;
		return true;
	}
	known &= from->known;
	for (r = 0; r < OJIT_BPF_NREGS; r++)
		if ((known & REG_BIT(r)) && into->val[r] != from->val[r])
			known &= ~REG_BIT(r);
	if (known == into->known)
		return false;
	into->known = known;
	return true;
}

struct ojit_cstate *ojit_const_analyze(struct ojit_prog *p)
{
	struct ojit_cstate *entry, st;
	bool changed = true;
	u8 *seen;
	u32 b, i, k;

	entry = ojit_zalloc(sizeof(*entry) * p->n_blocks);
	seen = ojit_zalloc(p->n_blocks);
	if (!entry || !seen) {
		ojit_free(entry);
		ojit_free(seen);
		return NULL;
	}
	for (b = 0; b < p->n_blocks; b++)
		seen[b] = p->blocks[b].subprog_start;
	while (changed) {
		changed = false;
		for (b = 0; b < p->n_blocks; b++) {
			struct ojit_block *blk = &p->blocks[b];

			if (!seen[b] || !blk->reachable)
				continue;
			st = entry[b];
			for (i = 0; i < blk->n_ops; i++)
				ojit_const_step(ojit_block_op(p, blk, i), &st);
			for (k = 0; k < 2; k++)
				if (blk->succ[k] != OJ_NONE &&
				    merge(&entry[blk->succ[k]], &st, &seen[blk->succ[k]]))
					changed = true;
		}
	}
	ojit_free(seen);
	return entry;
}

static bool fits_s32(s64 v)
{
	return v == (s64)(s32)v;
}

static int fold_alu(struct ojit_op *op, const struct ojit_cstate *st)
{
	u64 v, b;

	if (alu_result(op, st, &v)) {
		if (op->alu == OJ_MOV && (op->flags & OJ_F_IMM))
			return 0;
		op->a = OJ_NOREG8;
		op->b = OJ_NOREG8;
		op->size = 0;
		if (fits_s32((s64)v) || (op->flags & OJ_F_W32)) {
			op->alu = OJ_MOV;
			op->flags = (op->flags & OJ_F_W32) | OJ_F_IMM;
			op->imm = (s32)v;
		} else {
			op->kind = OJ_LDK;
			op->flags = 0;
			op->imm = (s64)v;
		}
		return 1;
	}
	if (op->alu == OJ_MOV || op->alu == OJ_MOVSX || (op->flags & OJ_F_IMM) ||
	    !operand_b(op, st, &b))
		return 0;
	if (!(op->flags & OJ_F_W32) && !fits_s32((s64)b))
		return 0;
	op->flags |= OJ_F_IMM;
	op->b = OJ_NOREG8;
	op->imm = (s32)b;
	return 1;
}

static int fold_branch(struct ojit_block *blk, struct ojit_op *op,
		       const struct ojit_cstate *st)
{
	bool w32 = op->flags & OJ_F_W32;
	u64 b;

	if (!operand_b(op, st, &b))
		return 0;
	if (reg_known(st, op->a)) {
		if (ojit_eval_cond(op->alu, w32, (u64)st->val[op->a], b)) {
			op->kind = OJ_JA;
			blk->succ[0] = OJ_NONE;
		} else {
			op->kind = OJ_NOP;
			blk->succ[1] = OJ_NONE;
		}
		return 1;
	}
	if ((op->flags & OJ_F_IMM) || (!w32 && !fits_s32((s64)b)))
		return 0;
	op->flags |= OJ_F_IMM;
	op->b = OJ_NOREG8;
	op->imm = (s32)b;
	return 1;
}

int ojit_pass_constprop(struct ojit_prog *p)
{
	struct ojit_cstate *entry = ojit_const_analyze(p), st;
	int n = 0;
	u32 b, i;

	if (!entry)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		if (!blk->reachable)
			continue;
		st = entry[b];
		for (i = 0; i < blk->n_ops; i++) {
			struct ojit_op *op = ojit_block_op(p, blk, i);

			if (op->kind == OJ_ALU)
				n += fold_alu(op, &st);
			else if (op->kind == OJ_BR)
				n += fold_branch(blk, op, &st);
			ojit_const_step(op, &st);
		}
	}
	ojit_free(entry);
	return n;
}

/* exit with a known r0 -> exit K; only the main program's exits are
 * verdicts, a subprogram's exit is a return
 */
int ojit_pass_exit_imm(struct ojit_prog *p)
{
	struct ojit_cstate *entry = ojit_const_analyze(p), st;
	int n = 0;
	u32 b, i;

	if (!entry)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		if (!blk->reachable || blk->subprog)
			continue;
		st = entry[b];
		for (i = 0; i < blk->n_ops; i++) {
			struct ojit_op *op = ojit_block_op(p, blk, i);

			if (op->kind == OJ_EXIT && !(op->flags & OJ_F_IMM) &&
			    (st.known & REG_BIT(0))) {
				op->flags |= OJ_F_IMM;
				op->imm = (s32)st.val[0];
				n++;
			}
			ojit_const_step(op, &st);
		}
	}
	ojit_free(entry);
	return n;
}
