// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * What orders two micro-ops of a block: registers (RAW, WAR, WAW), memory
 * (may-alias by address space and constant stack offsets), effects and
 * control.  The distance is in bundles: 1 = a later bundle, 0 = the same
 * bundle is fine (a bundle reads everything before it writes anything).
 */
#include "sched.h"

u32 ojit_uop_reads(const struct ojit_uop *u, u16 *regs)
{
	u32 n = 0, r;

	if (u->opc == ONM_OP_RET) {
		regs[n++] = 0;	/* the caller's result */
		return n;
	}
	switch (onm_op_table[u->opc].fmt) {
	case ONM_FMT_H:
		for (r = 1; r <= u->target; r++)
			regs[n++] = r;
		return n;
	case ONM_FMT_J:
		if (u->opc == ONM_OP_CALL) {
			for (r = 1; r <= 5; r++)
				regs[n++] = r;
			regs[n++] = OJIT_BPF_REG_FP;
		}
		return n;
	case ONM_FMT_A:
		if (u->rd != OJ_NOREG && ONM_FN_GET(u->fn, FN_AOP) == ONM_AOP_CMPXCHG)
			regs[n++] = u->rd;
		break;
	}
	if (u->ra != OJ_NOREG)
		regs[n++] = u->ra;
	if (u->rb != OJ_NOREG && !u->i)
		regs[n++] = u->rb;
	return n;
}

u16 ojit_uop_writes(const struct ojit_uop *u)
{
	if (u->opc == ONM_OP_ST)
		return OJ_NOREG;
	return u->rd;
}

static bool reads_reg(const struct ojit_uop *u, u16 reg)
{
	u16 regs[OJ_MAX_READS];
	u32 n = ojit_uop_reads(u, regs), k;

	if (reg == OJ_NOREG)
		return false;
	for (k = 0; k < n; k++)
		if (regs[k] == reg)
			return true;
	return false;
}

static int space_class(u8 space)
{
	switch (space) {
	case OJIT_PTR_PKT:
	case OJIT_PTR_PKT_META:
	case OJIT_PTR_PKT_END:
		return 1;
	case OJIT_PTR_STACK:
		return 2;
	case OJIT_PTR_MAP_VALUE:
		return 3;
	case OJIT_PTR_CTX:
		return 4;
	}
	return 0;	/* unknown: may be anything */
}

static bool overlap(s32 a, u32 an, s32 b, u32 bn)
{
	return (s64)a < (s64)b + bn && (s64)b < (s64)a + an;
}

static bool may_alias(const struct ojit_uop *x, const struct ojit_uop *y)
{
	int cx = space_class(x->space), cy = space_class(y->space);

	/* the same base value: the constant offsets decide */
	if (x->ra == y->ra && x->base_ver == y->base_ver)
		return overlap(x->imm, x->size, y->imm, y->size);
	if (!cx || !cy)
		return true;
	if (cx != cy)
		return false;
	if (cx == 2 && x->has_stack_off && y->has_stack_off)
		return overlap(x->stack_off, x->size, y->stack_off, y->size);
	/* context fields: a ctx pointer cannot be moved, its offset is the field */
	if (cx == 4)
		return x->imm == y->imm;
	return true;
}

#define TOUCHES_MEM	(OJ_U_LOAD | OJ_U_STORE | OJ_U_BARRIER | OJ_U_FAULTY | OJ_U_EFFECT)

static int mem_dist(const struct ojit_uop *x, const struct ojit_uop *y)
{
	if (((x->flags & OJ_U_BARRIER) && (y->flags & TOUCHES_MEM)) ||
	    ((y->flags & OJ_U_BARRIER) && (x->flags & TOUCHES_MEM)))
		return 1;
	if (((x->flags & OJ_U_FAULTY) && (y->flags & OJ_U_EFFECT)) ||
	    ((x->flags & OJ_U_EFFECT) && (y->flags & OJ_U_FAULTY)))
		return 1;
	if ((x->flags & OJ_U_STORE) && (y->flags & (OJ_U_LOAD | OJ_U_STORE)) &&
	    may_alias(x, y))
		return 1;
	if ((x->flags & OJ_U_LOAD) && (y->flags & OJ_U_STORE) && may_alias(x, y))
		return 0;
	return -1;
}

/*
 * Distance from x to a later y, -1 if independent; *lat is the distance
 * that keeps the hardware from stalling.
 */
int ojit_dep(const struct ojit_uop *x, const struct ojit_uop *y, u32 *lat)
{
	u16 wx = ojit_uop_writes(x), wy = ojit_uop_writes(y);
	int d = -1, m;

	*lat = 0;
	if (y->flags & OJ_U_CONTROL)
		d = 0;
	if (wx != OJ_NOREG && reads_reg(y, wx)) {
		*lat = x->lat ? x->lat : 1;
		return 1;
	}
	if (wx != OJ_NOREG && wx == wy)
		d = 1;
	if (d < 0 && wy != OJ_NOREG && reads_reg(x, wy))
		d = 0;
	m = mem_dist(x, y);
	if (m > d)
		d = m;
	if (d > 0)
		*lat = (u32)d;
	return d;
}
