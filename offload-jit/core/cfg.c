// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * cfg: basic blocks over the IR, their edges, reachability and liveness
 * of the BPF registers.  IR op i is BPF instruction i, so a block is a
 * range of instructions and a range of ops at once.
 */
#include "ojit_int.h"

#define REG_BIT(r)	((u16)(1U << (r)))
#define ARG_REGS(n)	((u16)(((1U << (n)) - 1) << 1))	/* r1..rn */

u16 ojit_op_uses(const struct ojit_op *op)
{
	u16 uses = 0;

	if (op->a != OJ_NOREG8)
		uses |= REG_BIT(op->a);
	if (op->b != OJ_NOREG8 && !(op->flags & OJ_F_IMM))
		uses |= REG_BIT(op->b);
	switch (op->kind) {
	case OJ_ATOMIC:
		if (op->alu == ONM_AOP_CMPXCHG)
			uses |= REG_BIT(0);
		break;
	case OJ_HCALL:
		uses |= ARG_REGS(ojit_helper_args((u32)op->imm));
		break;
	case OJ_CALL:
		uses |= ARG_REGS(5);
		break;
	case OJ_EXIT:
		if (!(op->flags & OJ_F_IMM))
			uses |= REG_BIT(0);
		break;
	}
	return uses;
}

u16 ojit_op_defs(const struct ojit_op *op)
{
	switch (op->kind) {
	case OJ_ALU:
	case OJ_LDK:
	case OJ_LDMAP:
	case OJ_LD:
		return REG_BIT(op->dst);
	case OJ_ATOMIC:
		if (op->alu == ONM_AOP_CMPXCHG)
			return REG_BIT(0);
		return op->flags & OJ_F_FETCH ? REG_BIT(op->b) : 0;
	case OJ_HCALL:
	case OJ_CALL:
		/* r1..r5 are clobbered as far as BPF is concerned */
		return REG_BIT(0) | ARG_REGS(5);
	}
	return 0;
}

/* No effect but its result: removable when the result is dead */
bool ojit_op_is_pure(const struct ojit_op *op)
{
	switch (op->kind) {
	case OJ_ALU:
	case OJ_LDK:
	case OJ_LDMAP:
		return true;
	case OJ_LD:
		return !(op->flags & OJ_F_WITNESS);
	}
	return false;
}

static bool is_terminator(const struct ojit_op *op)
{
	return op->kind == OJ_BR || op->kind == OJ_JA || op->kind == OJ_EXIT ||
	       op->kind == OJ_CALL;
}

static void mark_leaders(struct ojit_prog *p, u8 *leader)
{
	u32 i;

	leader[0] = 1;
	for (i = 0; i < p->n_subprogs; i++)
		leader[p->subprogs[i].first_insn] = 1;
	for (i = 0; i < p->n_ops; i++) {
		const struct ojit_op *op = &p->ops[i];

		if (op->kind == OJ_BR || op->kind == OJ_JA || op->kind == OJ_CALL)
			leader[op->target] = 1;
		if (is_terminator(op) && i + 1 < p->n_ops)
			leader[i + 1] = 1;
	}
}

static int link_block(struct ojit_prog *p, u32 b)
{
	struct ojit_block *blk = &p->blocks[b];
	struct ojit_op *last = &p->ops[blk->end_insn - 1];
	u32 next = b + 1 < p->n_blocks ? b + 1 : OJ_NONE;

	blk->succ[0] = OJ_NONE;
	blk->succ[1] = OJ_NONE;
	blk->subprog = ojit_subprog_of(p, blk->first_insn);
	if (last->kind == OJ_EXIT)
		return 0;
	if (last->kind == OJ_BR || last->kind == OJ_JA || last->kind == OJ_CALL) {
		last->target = p->block_of_insn[last->target];
		if (last->kind != OJ_CALL) {
			blk->succ[1] = last->target;
			blk->back_edge = last->target <= b;
		}
		if (last->kind == OJ_JA)
			return 0;
	}
	if (next == OJ_NONE || p->blocks[next].subprog_start)
		return ojit_fail(p, -OJIT_EINVAL, last->insn,
				 "falls off the end of its (sub)program");
	blk->succ[0] = next;
	return 0;
}

int ojit_cfg_build(struct ojit_prog *p)
{
	u32 n = p->n_ops, i, b;
	u8 *leader;
	int err = 0;

	leader = ojit_zalloc(n);
	p->block_of_insn = ojit_alloc(sizeof(u32) * n);
	if (!leader || !p->block_of_insn) {
		err = ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
		goto out;
	}
	mark_leaders(p, leader);
	for (i = 0; i < n; i++)
		p->n_blocks += leader[i];
	p->blocks = ojit_zalloc(sizeof(*p->blocks) * p->n_blocks);
	if (!p->blocks) {
		err = ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
		goto out;
	}
	for (i = 0, b = 0; i < n; i++) {
		if (leader[i] && i) {
			p->blocks[b].end_insn = i;
			b++;
		}
		if (leader[i]) {
			p->blocks[b].first_insn = i;
			p->blocks[b].op_first = i;
		}
		p->block_of_insn[i] = b;
	}
	p->blocks[b].end_insn = n;
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		blk->n_ops = blk->end_insn - blk->first_insn;
		blk->subprog_start = ojit_subprog_of(p, blk->first_insn) !=
			(b ? ojit_subprog_of(p, blk->first_insn - 1) : OJ_NONE);
	}
	for (b = 0; b < p->n_blocks && !err; b++)
		err = link_block(p, b);
out:
	ojit_free(leader);
	return err;
}

/* Worklist over blocks; the callee of a call is reachable too */
void ojit_cfg_reachability(struct ojit_prog *p)
{
	u32 *stack = (u32 *)p->block_of_insn;	/* reused: n_blocks <= n_ops */
	u32 top = 0, b, k;

	for (b = 0; b < p->n_blocks; b++)
		p->blocks[b].reachable = 0;
	p->blocks[0].reachable = 1;
	stack[top++] = 0;
	while (top) {
		struct ojit_block *blk = &p->blocks[stack[--top]];
		u32 next[3] = { blk->succ[0], blk->succ[1], OJ_NONE };
		struct ojit_op *last = blk->n_ops ?
			ojit_block_op(p, blk, blk->n_ops - 1) : NULL;

		if (last && last->kind == OJ_CALL)
			next[2] = last->target;
		for (k = 0; k < 3; k++) {
			if (next[k] == OJ_NONE || p->blocks[next[k]].reachable)
				continue;
			p->blocks[next[k]].reachable = 1;
			stack[top++] = next[k];
		}
	}
}

static void block_gen_kill(struct ojit_prog *p, struct ojit_block *blk,
			   u16 *gen, u16 *kill)
{
	u32 i;

	*gen = 0;
	*kill = 0;
	for (i = 0; i < blk->n_ops; i++) {
		const struct ojit_op *op = ojit_block_op(p, blk, i);

		*gen |= ojit_op_uses(op) & ~*kill;
		*kill |= ojit_op_defs(op);
	}
}

/* Backward dataflow to a fixed point; r10 is always live */
void ojit_cfg_liveness(struct ojit_prog *p)
{
	bool changed = true;
	u16 gen, kill;
	u32 b;

	for (b = 0; b < p->n_blocks; b++) {
		p->blocks[b].live_in = 0;
		p->blocks[b].live_out = 0;
	}
	while (changed) {
		ojit_yield();
		changed = false;
		for (b = p->n_blocks; b-- > 0;) {
			struct ojit_block *blk = &p->blocks[b];
			u16 out = REG_BIT(OJIT_BPF_REG_FP), in;

			if (blk->succ[0] != OJ_NONE)
				out |= p->blocks[blk->succ[0]].live_in;
			if (blk->succ[1] != OJ_NONE)
				out |= p->blocks[blk->succ[1]].live_in;
			block_gen_kill(p, blk, &gen, &kill);
			in = gen | (out & ~kill);
			if (in != blk->live_in || out != blk->live_out)
				changed = true;
			blk->live_in = in;
			blk->live_out = out;
		}
	}
}
