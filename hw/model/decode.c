// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Micro-op and bundle decoding.  Opcode numbers, formats, units and
 * latencies all come from offnic_isa.def through offnic_isa.h.
 *
 * A micro-op is legal only if every bit outside the fields its opcode
 * uses is zero; so each legal word has exactly one assembly text and the
 * disassembler round-trips.  Illegal words fault BAD_OP when issued.
 */
#include <string.h>

#include "onm_internal.h"

#define REG(r)		(1U << (r))
#define HCALL_SRCS	(REG(1) | REG(2) | REG(3) | REG(4) | REG(5))

/* Operand B: the immediate when i = 1 (then rb must be 0), else rb
 * (then imm32 must be 0).
 */
static uint64_t operand_b(uint64_t w, struct onm_uop *u, uint64_t imm_mask)
{
	u->use_imm = (uint8_t)ONM_GET(w, I);
	if (u->use_imm)
		return ONM_MASK(I) | imm_mask;
	u->srcs |= REG(u->rb);
	return ONM_MASK(RB);
}

static int decode_r(uint64_t w, struct onm_uop *u)
{
	uint64_t ok = ONM_MASK(OPCODE) | ONM_MASK(RD) | ONM_MASK(FN_W32);

	u->w32 = (uint8_t)ONM_GET(w, FN_W32);
	u->ext = (uint8_t)ONM_GET(w, FN_EXT);
	u->writes_rd = 1;
	switch (u->op) {
	case ONM_OP_NEG:
		ok |= ONM_MASK(RA);
		u->srcs |= REG(u->ra);
		break;
	case ONM_OP_BSWAP:
		/* ext 16/32/64 only; the result is zero-extended, so w32
		 * would be a second encoding of the same thing
		 */
		if (u->ext == 0 || u->w32)
			return ONM_FAULT_BAD_OP;
		ok |= ONM_MASK(RA) | ONM_MASK(FN_EXT);
		u->srcs |= REG(u->ra);
		break;
	case ONM_OP_MOVSX:
		if (u->ext == 3)
			return ONM_FAULT_BAD_OP;
		ok |= ONM_MASK(FN_EXT) | operand_b(w, u, ONM_MASK(IMM32));
		break;
	case ONM_OP_MOV:
		ok |= operand_b(w, u, ONM_MASK(IMM32));
		break;
	default:
		ok |= ONM_MASK(RA) | operand_b(w, u, ONM_MASK(IMM32));
		u->srcs |= REG(u->ra);
		break;
	}
	return (w & ~ok) ? ONM_FAULT_BAD_OP : 0;
}

static int decode_m(uint64_t w, struct onm_uop *u)
{
	uint64_t ok = ONM_MASK(OPCODE) | ONM_MASK(RA) | ONM_MASK(FN_SIZE) |
		      ONM_MASK(FN_BSWAP) | ONM_MASK(IMM32);

	u->ext = (uint8_t)ONM_GET(w, FN_SIZE);
	u->bswap = (uint8_t)ONM_GET(w, FN_BSWAP);
	u->sext = (uint8_t)ONM_GET(w, FN_SEXT);
	u->srcs |= REG(u->ra);
	/* swapping one byte or sign-extending eight would be aliases */
	if (u->bswap && u->ext == 0)
		return ONM_FAULT_BAD_OP;
	if (u->op == ONM_OP_LD) {
		if (u->sext && u->ext == 3)
			return ONM_FAULT_BAD_OP;
		ok |= ONM_MASK(RD) | ONM_MASK(FN_SEXT);
		u->writes_rd = 1;
	} else {
		ok |= ONM_MASK(RB);
		u->srcs |= REG(u->rb);
	}
	return (w & ~ok) ? ONM_FAULT_BAD_OP : 0;
}

static int decode_a(uint64_t w, struct onm_uop *u)
{
	uint64_t ok = ONM_MASK(OPCODE) | ONM_MASK(RA) | ONM_MASK(RB) |
		      ONM_MASK(FN_AOP) | ONM_MASK(FN_FETCH) |
		      ONM_MASK(FN_AW32) | ONM_MASK(IMM32);

	u->ext = (uint8_t)ONM_GET(w, FN_AOP);
	u->fetch = (uint8_t)ONM_GET(w, FN_FETCH);
	u->w32 = (uint8_t)ONM_GET(w, FN_AW32);
	if (u->ext >= ONM_NUM_AOPS || !onm_aop_names[u->ext])
		return ONM_FAULT_BAD_OP;
	/* XCHG and CMPXCHG always return the old value: fetch is required */
	if ((u->ext == ONM_AOP_XCHG || u->ext == ONM_AOP_CMPXCHG) && !u->fetch)
		return ONM_FAULT_BAD_OP;
	u->srcs |= REG(u->ra) | REG(u->rb);
	if (u->ext == ONM_AOP_CMPXCHG)
		u->srcs |= REG(u->rd);
	if (u->fetch) {
		ok |= ONM_MASK(RD);
		u->writes_rd = 1;
	}
	return (w & ~ok) ? ONM_FAULT_BAD_OP : 0;
}

static int decode_b(uint64_t w, struct onm_uop *u)
{
	uint64_t ok = ONM_MASK(OPCODE) | ONM_MASK(B_COND) | ONM_MASK(B_W32) |
		      ONM_MASK(RA) | ONM_MASK(B_TARGET);

	u->cond = (uint8_t)ONM_GET(w, B_COND);
	u->w32 = (uint8_t)ONM_GET(w, B_W32);
	u->target = (uint32_t)ONM_GET(w, B_TARGET);
	u->imm = (int64_t)(ONM_GET(w, B_IMM24) << 40) >> 40;
	if (!onm_cond_names[u->cond])
		return ONM_FAULT_BAD_OP;
	u->srcs |= REG(u->ra);
	ok |= operand_b(w, u, ONM_MASK(B_IMM24));
	return (w & ~ok) ? ONM_FAULT_BAD_OP : 0;
}

static int decode_fmt(uint64_t w, struct onm_uop *u)
{
	uint64_t ok = ONM_MASK(OPCODE);

	switch (u->fmt) {
	case ONM_FMT_R:
		return decode_r(w, u);
	case ONM_FMT_M:
		return decode_m(w, u);
	case ONM_FMT_A:
		return decode_a(w, u);
	case ONM_FMT_B:
		return decode_b(w, u);
	case ONM_FMT_N:
		break;
	case ONM_FMT_J:
		u->target = (uint32_t)ONM_GET(w, B_TARGET);
		ok |= ONM_MASK(B_TARGET);
		break;
	case ONM_FMT_K:
		ok |= ONM_MASK(RD) | ONM_MASK(IMM32);
		u->writes_rd = 1;
		break;
	case ONM_FMT_X:
		u->use_imm = (uint8_t)ONM_GET(w, I);
		if (u->use_imm) {
			ok |= ONM_MASK(I) | ONM_MASK(IMM32);
		} else {
			ok |= ONM_MASK(RA);
			u->srcs |= REG(u->ra);
		}
		break;
	case ONM_FMT_H:
		if ((uint64_t)u->imm >= ONM_NUM_HELPERS ||
		    !onm_helper_table[u->imm].mnemonic)
			return ONM_FAULT_BAD_OP;
		ok |= ONM_MASK(IMM32);
		u->rd = 0;
		u->writes_rd = 1;
		u->srcs |= HCALL_SRCS;
		u->lat = onm_helper_table[u->imm].latency;
		break;
	default:
		return ONM_FAULT_BAD_OP;
	}
	return (w & ~ok) ? ONM_FAULT_BAD_OP : 0;
}

/* Decode one word.  Returns 0 or ONM_FAULT_BAD_OP (u is then partial). */
int onm_decode_uop(uint64_t w, struct onm_uop *u)
{
	const struct onm_op_info *info;

	memset(u, 0, sizeof(*u));
	u->op = (uint8_t)ONM_GET(w, OPCODE);
	info = &onm_op_table[u->op];
	if (!info->mnemonic)
		return ONM_FAULT_BAD_OP;
	u->fmt = info->fmt;
	u->unit = info->unit;
	u->lat = onm_unit_table[info->unit].latency;
	u->rd = (uint8_t)ONM_GET(w, RD);
	u->ra = (uint8_t)ONM_GET(w, RA);
	u->rb = (uint8_t)ONM_GET(w, RB);
	u->imm = (int32_t)(uint32_t)ONM_GET(w, IMM32);
	/* NOP is the all-zero word and nothing else */
	if (u->op == ONM_OP_NOP)
		return w ? ONM_FAULT_BAD_OP : 0;
	return decode_fmt(w, u);
}

/*
 * Predecode a bundle: drop NOP lanes and attach each lane's static fault
 * (BAD_OP, then BUNDLE for a unit over its cap or an rd written twice).
 */
void onm_decode_bundle(const uint64_t *words, uint32_t lanes,
		       uint32_t n_consts, struct onm_bundle *b)
{
	uint8_t used[ONM_NUM_UNITS] = { 0 };
	uint32_t written = 0;
	uint32_t l;

	memset(b, 0, sizeof(*b));
	for (l = 0; l < lanes; l++) {
		struct onm_uop *u = &b->u[b->n];

		if (!words[l])
			continue;
		b->n++;
		u->bad = (uint8_t)onm_decode_uop(words[l], u);
		u->lane = (uint8_t)l;
		if (u->bad)
			continue;
		if (u->fmt == ONM_FMT_K && (uint64_t)(uint32_t)u->imm >= n_consts) {
			u->bad = ONM_FAULT_BAD_OP;
			continue;
		}
		/* legal micro-ops interlock even when the bundle is not */
		b->regs |= u->srcs | (u->writes_rd ? REG(u->rd) : 0);
		if (++used[u->unit] > onm_unit_table[u->unit].per_bundle)
			u->bad = ONM_FAULT_BUNDLE;
		else if (u->writes_rd && (written & REG(u->rd)))
			u->bad = ONM_FAULT_BUNDLE;
		if (u->writes_rd)
			written |= REG(u->rd);
		if (u->unit == ONM_UNIT_CTRL)
			b->has_ctrl = 1;
	}
}
