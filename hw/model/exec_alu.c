// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * ALU, branch-condition and atomic-operation semantics: exactly BPF's
 * (RFC 9669), including division by zero, INT_MIN / -1 and shift masking.
 */
#include "onm_internal.h"

uint64_t onm_bswap_n(uint64_t v, unsigned int bytes)
{
	uint64_t r = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		r = (r << 8) | ((v >> (8 * i)) & 0xff);
	return r;
}

static uint64_t sext_bits(uint64_t v, unsigned int bits)
{
	unsigned int sh = 64 - bits;

	return (uint64_t)((int64_t)(v << sh) >> sh);
}

static uint64_t alu64(uint8_t op, int ext, uint64_t a, uint64_t b)
{
	switch (op) {
	case ONM_OP_ADD:	return a + b;
	case ONM_OP_SUB:	return a - b;
	case ONM_OP_MUL:	return a * b;
	case ONM_OP_DIV:
		return b ? a / b : 0;
	case ONM_OP_MOD:
		return b ? a % b : a;
	case ONM_OP_SDIV:
		if (!b)
			return 0;
		if ((int64_t)b == -1)
			return -a;	/* INT64_MIN / -1 = INT64_MIN */
		return (uint64_t)((int64_t)a / (int64_t)b);
	case ONM_OP_SMOD:
		if (!b)
			return a;
		if ((int64_t)b == -1)
			return 0;
		return (uint64_t)((int64_t)a % (int64_t)b);
	case ONM_OP_OR:		return a | b;
	case ONM_OP_AND:	return a & b;
	case ONM_OP_XOR:	return a ^ b;
	case ONM_OP_LSH:	return a << (b & 63);
	case ONM_OP_RSH:	return a >> (b & 63);
	case ONM_OP_ARSH:	return (uint64_t)((int64_t)a >> (b & 63));
	case ONM_OP_NEG:	return -a;
	case ONM_OP_MOV:	return b;
	case ONM_OP_MOVSX:	return sext_bits(b, 8U << ext);
	case ONM_OP_BSWAP:	return onm_bswap_n(a, 1U << ext);
	}
	return 0;
}

static uint32_t alu32(uint8_t op, int ext, uint32_t a, uint32_t b)
{
	switch (op) {
	case ONM_OP_ADD:	return a + b;
	case ONM_OP_SUB:	return a - b;
	case ONM_OP_MUL:	return a * b;
	case ONM_OP_DIV:
		return b ? a / b : 0;
	case ONM_OP_MOD:
		return b ? a % b : a;
	case ONM_OP_SDIV:
		if (!b)
			return 0;
		if ((int32_t)b == -1)
			return -a;
		return (uint32_t)((int32_t)a / (int32_t)b);
	case ONM_OP_SMOD:
		if (!b)
			return a;
		if ((int32_t)b == -1)
			return 0;
		return (uint32_t)((int32_t)a % (int32_t)b);
	case ONM_OP_OR:		return a | b;
	case ONM_OP_AND:	return a & b;
	case ONM_OP_XOR:	return a ^ b;
	case ONM_OP_LSH:	return a << (b & 31);
	case ONM_OP_RSH:	return a >> (b & 31);
	case ONM_OP_ARSH:	return (uint32_t)((int32_t)a >> (b & 31));
	case ONM_OP_NEG:	return -a;
	case ONM_OP_MOV:	return b;
	case ONM_OP_MOVSX:	return (uint32_t)sext_bits(b, 8U << ext);
	}
	return 0;
}

/* rd = a op b; w32 operates on the low halves and zero-extends. */
uint64_t onm_alu(uint8_t op, int w32, int ext, uint64_t a, uint64_t b)
{
	if (w32)
		return alu32(op, ext, (uint32_t)a, (uint32_t)b);
	return alu64(op, ext, a, b);
}

int onm_cond_holds(uint8_t cond, int w32, uint64_t a, uint64_t b)
{
	int64_t sa = (int64_t)a, sb = (int64_t)b;

	if (w32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
		sa = (int32_t)a;
		sb = (int32_t)b;
	}
	switch (cond) {
	case ONM_COND_EQ:	return a == b;
	case ONM_COND_NE:	return a != b;
	case ONM_COND_GT:	return a > b;
	case ONM_COND_GE:	return a >= b;
	case ONM_COND_LT:	return a < b;
	case ONM_COND_LE:	return a <= b;
	case ONM_COND_SGT:	return sa > sb;
	case ONM_COND_SGE:	return sa >= sb;
	case ONM_COND_SLT:	return sa < sb;
	case ONM_COND_SLE:	return sa <= sb;
	case ONM_COND_SET:	return (a & b) != 0;
	}
	return 0;
}

/* New memory value of an atomic (CMPXCHG is decided by the caller). */
uint64_t onm_atomic_new(uint8_t aop, uint64_t old, uint64_t operand)
{
	switch (aop) {
	case ONM_AOP_ADD:	return old + operand;
	case ONM_AOP_OR:	return old | operand;
	case ONM_AOP_AND:	return old & operand;
	case ONM_AOP_XOR:	return old ^ operand;
	default:		return operand;	/* XCHG, CMPXCHG on match */
	}
}
