// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * BPF ALU semantics on constants, for constant folding.  Exactly the
 * semantics the device implements (docs/isa.md): x/0 = 0, x%0 = x,
 * MIN/-1 = MIN, MIN%-1 = 0, shift counts masked, 32-bit results
 * zero-extended.
 */
#include "ojit_int.h"

static u64 sext(u64 v, u32 bits)
{
	u32 sh = 64 - bits;

	return bits >= 64 ? v : (u64)((s64)(v << sh) >> sh);
}

static u64 bswap(u64 v, u32 bytes)
{
	u64 r = 0;
	u32 i;

	for (i = 0; i < bytes; i++)
		r |= ((v >> (8 * i)) & 0xff) << (8 * (bytes - 1 - i));
	return r;
}

static u64 eval_div(u8 alu, u64 a, u64 b, u32 bits)
{
	s64 sa = (s64)sext(a, bits), sb = (s64)sext(b, bits);
	u64 min = 1ULL << (bits - 1);

	switch (alu) {
	case OJ_DIV:
		return b ? a / b : 0;
	case OJ_MOD:
		return b ? a % b : a;
	case OJ_SDIV:
		if (!b)
			return 0;
		if (sext(a, bits) == sext(min, bits) && sb == -1)
			return a;
		return (u64)(sa / sb);
	default:	/* OJ_SMOD */
		if (!b)
			return a;
		if (sb == -1)
			return 0;
		return (u64)(sa % sb);
	}
}

/* The result of dst = a <alu> b, or false if the op cannot be folded */
bool ojit_eval_alu(u8 alu, u8 flags, u8 size, u64 a, u64 b, u64 *out)
{
	bool w32 = flags & OJ_F_W32;
	u32 bits = w32 ? 32 : 64;
	u64 mask = w32 ? 0xffffffffULL : ~0ULL;
	u64 r;

	a &= mask;
	if (alu != OJ_MOVSX)
		b &= mask;
	switch (alu) {
	case OJ_ADD:
		r = a + b;
		break;
	case OJ_SUB:
		r = a - b;
		break;
	case OJ_MUL:
		r = a * b;
		break;
	case OJ_OR:
		r = a | b;
		break;
	case OJ_AND:
		r = a & b;
		break;
	case OJ_XOR:
		r = a ^ b;
		break;
	case OJ_LSH:
		r = a << (b & (bits - 1));
		break;
	case OJ_RSH:
		r = a >> (b & (bits - 1));
		break;
	case OJ_ARSH:
		r = (u64)((s64)sext(a, bits) >> (b & (bits - 1)));
		break;
	case OJ_NEG:
		r = -a;
		break;
	case OJ_MOV:
		r = b;
		break;
	case OJ_MOVSX:
		r = sext(b, size * 8);
		break;
	case OJ_BSWAP:
		r = bswap(a, size);
		break;
	case OJ_DIV:
	case OJ_MOD:
	case OJ_SDIV:
	case OJ_SMOD:
		r = eval_div(alu, a, b, bits);
		break;
	default:
		return false;
	}
	*out = r & mask;
	return true;
}

/* Branch condition on constants */
bool ojit_eval_cond(u8 cond, bool w32, u64 a, u64 b)
{
	s64 sa, sb;

	if (w32) {
		a = (u32)a;
		b = (u32)b;
		sa = (s32)a;
		sb = (s32)b;
	} else {
		sa = (s64)a;
		sb = (s64)b;
	}
	switch (cond) {
	case ONM_COND_EQ:
		return a == b;
	case ONM_COND_NE:
		return a != b;
	case ONM_COND_GT:
		return a > b;
	case ONM_COND_GE:
		return a >= b;
	case ONM_COND_LT:
		return a < b;
	case ONM_COND_LE:
		return a <= b;
	case ONM_COND_SGT:
		return sa > sb;
	case ONM_COND_SGE:
		return sa >= sb;
	case ONM_COND_SLT:
		return sa < sb;
	case ONM_COND_SLE:
		return sa <= sb;
	default:
		return (a & b) != 0;
	}
}
