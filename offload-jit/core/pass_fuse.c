// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Peephole fusions inside a block, where the ISA does in one micro-op
 * what BPF needs two instructions for.
 */
#include "passes.h"

#define REG_BIT(r)	((u16)(1U << (r)))

/* The first later op of the block that reads reg (returned), unless an op
 * writing reg or any register in stop comes first (NULL).
 */
static struct ojit_op *first_reader(struct ojit_prog *p, struct ojit_block *blk,
				    u32 from, u8 reg, u16 stop)
{
	u32 i;

	for (i = from; i < blk->n_ops; i++) {
		struct ojit_op *op = ojit_block_op(p, blk, i);

		if (op->kind == OJ_NOP)
			continue;
		if (ojit_op_uses(op) & REG_BIT(reg))
			return op;
		if (ojit_op_defs(op) & (REG_BIT(reg) | stop))
			return NULL;
	}
	return NULL;
}

static bool reads_only_low32(const struct ojit_op *op)
{
	return (op->flags & OJ_F_W32) ||
	       (op->alu == OJ_BSWAP && op->size <= 4);
}

static bool commutative(u8 alu)
{
	return alu == OJ_ADD || alu == OJ_MUL || alu == OJ_AND || alu == OJ_OR ||
	       alu == OJ_XOR;
}

/* mov D, A; D = D op B  ->  D = A op B */
static int fuse_mov_reg(struct ojit_op *mov, struct ojit_op *op)
{
	u8 d = mov->dst, a = mov->b;

	if ((mov->flags & OJ_F_W32) && !reads_only_low32(op))
		return 0;
	op->a = a;
	if (!(op->flags & OJ_F_IMM) && op->b == d)
		op->b = a;
	mov->kind = OJ_NOP;
	return 1;
}

/* mov D, K; D = D op B  ->  D = B op K for commutative op */
static int fuse_mov_imm(struct ojit_op *mov, struct ojit_op *op)
{
	bool widen_ok = !(mov->flags & OJ_F_W32) || mov->imm >= 0 ||
			(op->flags & OJ_F_W32);

	if (!commutative(op->alu) || (op->flags & OJ_F_IMM) ||
	    op->b == mov->dst || !widen_ok)
		return 0;
	op->a = op->b;
	op->b = OJ_NOREG8;
	op->flags |= OJ_F_IMM;
	op->imm = mov->imm;
	mov->kind = OJ_NOP;
	return 1;
}

int ojit_pass_threeop(struct ojit_prog *p)
{
	u32 b, i;
	int n = 0;

	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		for (i = 0; i < blk->n_ops; i++) {
			struct ojit_op *mov = ojit_block_op(p, blk, i), *op;
			bool imm;
			u16 stop;

			if (mov->kind != OJ_ALU || mov->alu != OJ_MOV)
				continue;
			imm = mov->flags & OJ_F_IMM;
			if (!imm && mov->b == mov->dst)
				continue;
			stop = imm ? 0 : REG_BIT(mov->b);
			op = first_reader(p, blk, i + 1, mov->dst, stop);
			if (!op || op->kind != OJ_ALU || op->dst != mov->dst ||
			    op->a != mov->dst || op->alu == OJ_MOV || op->alu == OJ_MOVSX)
				continue;
			n += imm ? fuse_mov_imm(mov, op) : fuse_mov_reg(mov, op);
		}
	}
	return n;
}

/* What a following op on the loaded value does, for a load of size bytes */
static bool is_swap_of(const struct ojit_op *op, u8 dst, u8 size)
{
	return op->kind == OJ_ALU && op->alu == OJ_BSWAP && op->dst == dst &&
	       op->a == dst && op->size == size;
}

static bool is_redundant_zext(const struct ojit_op *op, u8 dst, u8 size)
{
	if (op->kind != OJ_ALU || op->dst != dst)
		return false;
	if (op->alu == OJ_AND && (op->flags & OJ_F_IMM) && op->a == dst &&
	    !(op->flags & OJ_F_W32) && op->imm == 0xffff)
		return size <= 2;
	if (op->alu == OJ_MOV && (op->flags & OJ_F_W32) &&
	    !(op->flags & OJ_F_IMM) && op->b == dst)
		return size <= 4;
	return false;
}

int ojit_pass_ldswap(struct ojit_prog *p)
{
	u32 b, i;
	int n = 0;

	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		for (i = 0; i < blk->n_ops; i++) {
			struct ojit_op *ld = ojit_block_op(p, blk, i), *op;

			if (ld->kind != OJ_LD || (ld->flags & (OJ_F_SEXT | OJ_F_BSWAP)) ||
			    ld->space == OJIT_PTR_CTX)
				continue;
			op = first_reader(p, blk, i + 1, ld->dst, 0);
			if (!op)
				continue;
			if (is_swap_of(op, ld->dst, ld->size) && ld->size > 1) {
				ld->flags |= OJ_F_BSWAP;
				op->kind = OJ_NOP;
				n++;
			} else if (is_redundant_zext(op, ld->dst, ld->size)) {
				op->kind = OJ_NOP;
				n++;
			}
		}
	}
	return n;
}

/* Nothing after op i of the block reads reg before writing it */
static bool dead_after(struct ojit_prog *p, struct ojit_block *blk, u32 i, u8 reg)
{
	for (i++; i < blk->n_ops; i++) {
		const struct ojit_op *op = ojit_block_op(p, blk, i);

		if (ojit_op_uses(op) & REG_BIT(reg))
			return false;
		if (ojit_op_defs(op) & REG_BIT(reg))
			return true;
	}
	return !(blk->live_out & REG_BIT(reg));
}

/* The ops of a block after index i, skipping NOPs: the k-th one */
static struct ojit_op *nth_after(struct ojit_prog *p, struct ojit_block *blk,
				 u32 i, u32 k, u32 *at)
{
	struct ojit_op *op = NULL;

	for (*at = i + 1; k--; (*at)++) {
		op = ojit_next_op(p, blk, at);
		if (!op)
			return NULL;
	}
	(*at)--;
	return op;
}

static bool is_byte_load(const struct ojit_op *op)
{
	return op->kind == OJ_LD && op->size == 1 &&
	       !(op->flags & (OJ_F_SEXT | OJ_F_BSWAP)) && op->space != OJIT_PTR_CTX &&
	       op->dst != op->a;
}

/*
 * x = *(u8 *)(b + o); y = *(u8 *)(b + o + 1); y <<= 8; y |= x  (x dead)
 *   -> y = *(u16 *)(b + o)
 * (either load first), what compilers emit for 2-byte-aligned fields.
 */
static int combine_at(struct ojit_prog *p, struct ojit_block *blk, u32 i)
{
	struct ojit_op *l1 = ojit_block_op(p, blk, i), *l2, *sh, *orr, *lo, *hi;
	u32 at;

	l2 = nth_after(p, blk, i, 1, &at);
	sh = nth_after(p, blk, i, 2, &at);
	orr = nth_after(p, blk, i, 3, &at);
	if (!l2 || !sh || !orr || !is_byte_load(l1) || !is_byte_load(l2) ||
	    l1->a != l2->a || l1->dst == l2->dst || l1->space != l2->space)
		return 0;
	lo = l1->off + 1 == l2->off ? l1 : l2;
	hi = lo == l1 ? l2 : l1;
	if (hi->off != lo->off + 1)
		return 0;
	if (sh->kind != OJ_ALU || sh->alu != OJ_LSH || !(sh->flags & OJ_F_IMM) ||
	    sh->imm != 8 || sh->dst != hi->dst || sh->a != hi->dst)
		return 0;
	if (orr->kind != OJ_ALU || orr->alu != OJ_OR || (orr->flags & OJ_F_IMM) ||
	    orr->dst != hi->dst || !((orr->a == hi->dst && orr->b == lo->dst) ||
				     (orr->b == hi->dst && orr->a == lo->dst)))
		return 0;
	if (!dead_after(p, blk, at, lo->dst))
		return 0;
	l1->dst = hi->dst;
	l1->off = lo->off;
	l1->size = 2;
	l1->flags |= l2->flags & OJ_F_WITNESS;
	if (l1->flags & OJ_F_STACK_OFF)
		l1->stack_off = lo->stack_off;
	l2->kind = OJ_NOP;
	sh->kind = OJ_NOP;
	orr->kind = OJ_NOP;
	return 3;
}

int ojit_pass_ldcombine(struct ojit_prog *p)
{
	u32 b, i;
	int n = 0;

	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		for (i = 0; i < blk->n_ops; i++)
			n += combine_at(p, blk, i);
	}
	return n;
}
