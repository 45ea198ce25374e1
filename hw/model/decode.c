// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Micro-op and bundle decoding.  Opcode numbers, formats, units and
 * latencies all come from offnic_isa.def through hw/isa/offnic_isa.h,
 * and the fields and legality from the ISA's one decoder, onm_decode().
 *
 * A micro-op is legal only if every bit outside the fields its opcode
 * uses is zero; so each legal word has exactly one assembly text and the
 * disassembler round-trips.  Illegal words fault BAD_OP when issued.
 */
#include <string.h>

#include "onm_internal.h"

#define REG(r)		(1U << (r))

/* The sub-fields the engine executes with, and helper latencies */
static void semantics(const struct onm_ufields *f, struct onm_uop *u)
{
	switch (u->fmt) {
	case ONM_FMT_R:
		u->w32 = ONM_FN_GET(f->fn, FN_W32);
		u->ext = ONM_FN_GET(f->fn, FN_EXT);
		break;
	case ONM_FMT_M:
		u->ext = ONM_FN_GET(f->fn, FN_SIZE);
		u->bswap = ONM_FN_GET(f->fn, FN_BSWAP);
		u->sext = ONM_FN_GET(f->fn, FN_SEXT);
		break;
	case ONM_FMT_A:
		u->ext = ONM_FN_GET(f->fn, FN_AOP);
		u->fetch = ONM_FN_GET(f->fn, FN_FETCH);
		u->w32 = ONM_FN_GET(f->fn, FN_AW32);
		break;
	case ONM_FMT_B:
		u->w32 = f->w32;
		break;
	case ONM_FMT_H:
		u->lat = onm_helper_table[u->imm].latency;
		break;
	}
}

/*
 * Decode one word with the ISA's decoder (hw/isa/codec.c), which decides
 * legality.  Returns 0 or ONM_FAULT_BAD_OP (u then holds only the op).
 */
int onm_decode_uop(uint64_t w, struct onm_uop *u)
{
	const struct onm_op_info *info;
	struct onm_ufields f;

	memset(u, 0, sizeof(*u));
	u->op = (uint8_t)ONM_GET(w, OPCODE);
	if (onm_decode(w, &f))
		return ONM_FAULT_BAD_OP;
	info = &onm_op_table[f.op];
	u->fmt = info->fmt;
	u->unit = info->unit;
	u->lat = onm_unit_table[info->unit].latency;
	u->rd = f.rd;
	u->ra = f.ra;
	u->rb = f.rb;
	u->use_imm = f.i;
	u->imm = f.imm;
	u->cond = f.cond;
	u->target = f.target;
	u->srcs = onm_uop_reads(&f);
	u->writes_rd = (uint8_t)onm_uop_writes_rd(&f);
	semantics(&f, u);
	return 0;
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
