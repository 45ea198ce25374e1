// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * isel: IR ops -> micro-ops on virtual registers (0..10 are BPF's r0..r10,
 * the rest temporaries).  Context fields become CTX-space loads, helpers
 * HCALLs, 64-bit constants and map references constant-pool loads.
 */
#include "ojit_int.h"
#include "isel.h"

#define SAVE_AREA	40	/* r6..r9 and the caller's r10, below its frame */

static const u8 isa_of_alu[OJ_N_ALU] = {
	[OJ_ADD] = ONM_OP_ADD, [OJ_SUB] = ONM_OP_SUB, [OJ_MUL] = ONM_OP_MUL,
	[OJ_DIV] = ONM_OP_DIV, [OJ_SDIV] = ONM_OP_SDIV, [OJ_MOD] = ONM_OP_MOD,
	[OJ_SMOD] = ONM_OP_SMOD, [OJ_OR] = ONM_OP_OR, [OJ_AND] = ONM_OP_AND,
	[OJ_XOR] = ONM_OP_XOR, [OJ_LSH] = ONM_OP_LSH, [OJ_RSH] = ONM_OP_RSH,
	[OJ_ARSH] = ONM_OP_ARSH, [OJ_NEG] = ONM_OP_NEG, [OJ_MOV] = ONM_OP_MOV,
	[OJ_MOVSX] = ONM_OP_MOVSX, [OJ_BSWAP] = ONM_OP_BSWAP,
};

static u8 size_code(u32 bytes)
{
	return bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3;
}

struct ojit_uop *isel_new(struct isel_ctx *c, u8 opc, u32 insn)
{
	struct ojit_uop *u;

	if (c->blk->n_uops == c->cap)
		return NULL;
	u = &c->blk->uops[c->blk->n_uops++];
	__builtin_memset(u, 0, sizeof(*u));
	u->opc = opc;
	u->rd = OJ_NOREG;
	u->ra = OJ_NOREG;
	u->rb = OJ_NOREG;
	u->insn = insn;
	u->unit = onm_op_table[opc].unit;
	u->lat = onm_unit_table[u->unit].latency;
	if (u->unit == ONM_UNIT_CTRL)
		u->flags |= OJ_U_CONTROL;
	return u;
}

u16 isel_temp(struct isel_ctx *c)
{
	return c->p->n_vregs < OJ_NOREG ? c->p->n_vregs++ : OJ_NOREG;
}

struct ojit_uop *isel_mov_imm(struct isel_ctx *c, u16 rd, s32 imm, u32 insn)
{
	struct ojit_uop *u = isel_new(c, ONM_OP_MOV, insn);

	if (u) {
		u->rd = rd;
		u->i = 1;
		u->imm = imm;
	}
	return u;
}

static int isel_alu(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u = isel_new(c, isa_of_alu[op->alu], op->insn);

	if (!u)
		return -OJIT_E2BIG;
	u->rd = op->dst;
	if (op->a != OJ_NOREG8 && op->alu != OJ_MOV && op->alu != OJ_MOVSX)
		u->ra = op->a;
	if (op->flags & OJ_F_IMM) {
		u->i = 1;
		u->imm = (s32)op->imm;
	} else if (op->b != OJ_NOREG8) {
		u->rb = op->b;
	}
	u->fn = ONM_FN_PUT(0, FN_W32, !!(op->flags & OJ_F_W32));
	if (op->alu == OJ_MOVSX || op->alu == OJ_BSWAP)
		u->fn = ONM_FN_PUT(u->fn, FN_EXT, size_code(op->size));
	return 0;
}

static int isel_ldk(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u;
	int idx;

	if (op->imm == (s64)(s32)op->imm)
		return isel_mov_imm(c, op->dst, (s32)op->imm, op->insn) ? 0 : -OJIT_E2BIG;
	idx = ojit_const_index(c->p, (u64)op->imm);
	if (idx < 0)
		return ojit_fail(c->p, idx, op->insn, "constant pool full");
	u = isel_new(c, ONM_OP_LDK, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->rd = op->dst;
	u->imm = idx;
	return 0;
}

static int isel_ldmap(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u;
	int idx = ojit_map_const(c->p, op->target);

	if (idx < 0)
		return ojit_fail(c->p, idx, op->insn, "constant pool full");
	u = isel_new(c, ONM_OP_LDK, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->rd = op->dst;
	u->imm = idx;
	return 0;
}

static void set_mem(struct isel_ctx *c, struct ojit_uop *u, const struct ojit_op *op)
{
	u->space = op->space;
	u->size = op->size;
	u->imm = op->off;
	u->ra = op->a;
	/* stack offsets are frame-relative: trust them only through r10 of
	 * the frame itself once a program has subprograms
	 */
	if ((op->flags & OJ_F_STACK_OFF) &&
	    (c->p->n_subprogs == 1 || op->a == OJIT_BPF_REG_FP)) {
		u->has_stack_off = 1;
		u->stack_off = op->stack_off;
	}
	if (op->flags & OJ_F_WITNESS)
		u->flags |= OJ_U_FAULTY;
}

static int isel_ld(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u;

	if (op->space == OJIT_PTR_CTX)
		return isel_ctx_load(c, op);
	u = isel_new(c, ONM_OP_LD, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	set_mem(c, u, op);
	u->rd = op->dst;
	u->fn = ONM_FN_PUT(0, FN_SIZE, size_code(op->size));
	u->fn = ONM_FN_PUT(u->fn, FN_BSWAP, !!(op->flags & OJ_F_BSWAP));
	u->fn = ONM_FN_PUT(u->fn, FN_SEXT, !!(op->flags & OJ_F_SEXT));
	u->flags |= OJ_U_LOAD;
	return 0;
}

static int isel_st(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u;
	u16 val = op->b;

	if (op->space == OJIT_PTR_CTX)
		return isel_ctx_store(c, op);
	if (op->flags & OJ_F_IMM) {
		val = isel_temp(c);
		if (val == OJ_NOREG || !isel_mov_imm(c, val, (s32)op->imm, op->insn))
			return -OJIT_E2BIG;
	}
	u = isel_new(c, ONM_OP_ST, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	set_mem(c, u, op);
	u->rb = val;
	u->fn = ONM_FN_PUT(0, FN_SIZE, size_code(op->size));
	u->flags |= OJ_U_STORE;
	if (op->space != OJIT_PTR_STACK && op->space != OJIT_PTR_PKT &&
	    op->space != OJIT_PTR_PKT_META)
		u->flags |= OJ_U_EFFECT;
	return 0;
}

static int isel_atomic(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u = isel_new(c, ONM_OP_ATOMIC, op->insn);

	if (!u)
		return -OJIT_E2BIG;
	set_mem(c, u, op);
	u->rb = op->b;
	u->fn = ONM_FN_PUT(0, FN_AOP, op->alu);
	u->fn = ONM_FN_PUT(u->fn, FN_AW32, op->size == 4);
	if (op->flags & OJ_F_FETCH) {
		u->fn = ONM_FN_PUT(u->fn, FN_FETCH, 1);
		u->rd = op->alu == ONM_AOP_CMPXCHG ? 0 : op->b;
	}
	u->flags |= OJ_U_LOAD | OJ_U_STORE | OJ_U_BARRIER | OJ_U_EFFECT;
	return 0;
}

static int isel_br(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u;
	u16 rb = op->b;
	bool imm24 = false;

	if (op->flags & OJ_F_IMM) {
		imm24 = op->imm >= -(1 << 23) && op->imm < (1 << 23);
		if (!imm24) {
			rb = isel_temp(c);
			if (rb == OJ_NOREG || !isel_mov_imm(c, rb, (s32)op->imm, op->insn))
				return -OJIT_E2BIG;
		}
	}
	u = isel_new(c, ONM_OP_BR, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->cond = op->alu;
	u->w32 = !!(op->flags & OJ_F_W32);
	u->ra = op->a;
	if (imm24) {
		u->i = 1;
		u->imm = (s32)op->imm;
	} else {
		u->rb = rb;
	}
	u->target = op->target;
	return 0;
}

static int isel_op(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u;

	switch (op->kind) {
	case OJ_NOP:
		return 0;
	case OJ_ALU:
		return isel_alu(c, op);
	case OJ_LDK:
		return isel_ldk(c, op);
	case OJ_LDMAP:
		return isel_ldmap(c, op);
	case OJ_LD:
		return isel_ld(c, op);
	case OJ_ST:
		return isel_st(c, op);
	case OJ_ATOMIC:
		return isel_atomic(c, op);
	case OJ_HCALL:
		return isel_helper(c, op);
	case OJ_CALL:
		return isel_call(c, op, SAVE_AREA);
	case OJ_EXIT:
		return isel_exit(c, op);
	case OJ_BR:
		return isel_br(c, op);
	}
	u = isel_new(c, ONM_OP_JA, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->target = op->target;
	return 0;
}

/* The deepest chain of frames plus save areas must fit the device stack */
static int check_stack(struct ojit_prog *p)
{
	u32 need[OJIT_MAX_SUBPROGS] = { 0 }, round, s, i;

	for (s = 0; s < p->n_subprogs; s++)
		need[s] = p->subprogs[s].frame;
	/* no recursion in BPF: call depth < n_subprogs rounds settle it */
	for (round = 0; round < p->n_subprogs; round++) {
		for (i = 0; i < p->n_ops; i++) {
			const struct ojit_op *op = &p->ops[i];
			u32 from, to;

			if (op->kind != OJ_CALL)
				continue;
			from = ojit_subprog_of(p, op->insn);
			to = p->blocks[op->target].subprog;
			if (need[from] < p->subprogs[from].frame + SAVE_AREA + need[to])
				need[from] = p->subprogs[from].frame + SAVE_AREA + need[to];
		}
	}
	p->stack_size = p->in->stack_depth;
	if (p->n_subprogs > 1 && need[0] > p->stack_size)
		p->stack_size = need[0];
	if (p->stack_size > ONM_ISA_STACK_BYTES)
		return ojit_fail_fmt(p, -OJIT_E2BIG,
				     "call frames need %u bytes of stack, device has %u",
				     need[0], ONM_ISA_STACK_BYTES);
	return 0;
}

/* The callee-saved registers each subprogram writes, r10 always */
static void find_clobbers(struct ojit_prog *p)
{
	u16 callee_saved = OJIT_BIT(6) | OJIT_BIT(7) | OJIT_BIT(8) | OJIT_BIT(9);
	u32 b, i;

	for (i = 0; i < p->n_subprogs; i++)
		p->subprogs[i].clobbers = OJIT_BIT(OJIT_BPF_REG_FP);
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		for (i = 0; blk->reachable && i < blk->n_ops; i++)
			p->subprogs[blk->subprog].clobbers |=
				ojit_op_defs(ojit_block_op(p, blk, i)) & callee_saved;
	}
}

int ojit_isel(struct ojit_prog *p)
{
	struct isel_ctx c = { .p = p };
	u32 b, i;
	int err;

	err = check_stack(p);
	if (err)
		return err;
	find_clobbers(p);
	p->n_vregs = OJ_FIRST_TEMP;
	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		if (!blk->reachable)
			continue;
		c.blk = blk;
		c.cap = blk->n_ops * ISEL_MAX_EXPANSION + ISEL_MAX_EXPANSION;
		blk->uops = ojit_alloc(sizeof(*blk->uops) * c.cap);
		blk->uop_cap = c.cap;
		if (!blk->uops)
			return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
		for (i = 0; i < blk->n_ops; i++) {
			const struct ojit_op *op = ojit_block_op(p, blk, i);

			err = isel_op(&c, op);
			if (err == -OJIT_E2BIG && !p->res->msg[0])
				return ojit_fail(p, err, op->insn, "too many temporaries");
			if (err)
				return err;
		}
	}
	return 0;
}
