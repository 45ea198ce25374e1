// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <stdio.h>

#include "offnic_isa.h"
#include "variants.h"

static const char *const sizes[] = { "b", "h", "w", "d" };

static void emit(variant_fn fn, void *arg, int op, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static void emit(variant_fn fn, void *arg, int op, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fn(arg, op, buf);
}

static void r_variants(variant_fn fn, void *arg, int op, const char *mn)
{
	const char *w[2] = { "", ".32" };
	int s, i;

	for (i = 0; i < 2; i++) {
		switch (op) {
		case ONM_OP_NEG:
			emit(fn, arg, op, "%s%s p1, p2", mn, w[i]);
			break;
		case ONM_OP_MOV:
			emit(fn, arg, op, "%s%s p1, p31", mn, w[i]);
			emit(fn, arg, op, "%s%s p1, -0x80000000", mn, w[i]);
			break;
		case ONM_OP_BSWAP:
			for (s = 1; s < 4 && !i; s++)
				emit(fn, arg, op, "%s.%s p3, p4", mn, sizes[s]);
			break;
		case ONM_OP_MOVSX:
			for (s = 0; s < 3; s++) {
				emit(fn, arg, op, "%s.%s%s p3, p4", mn, sizes[s], w[i]);
				emit(fn, arg, op, "%s.%s%s p3, 255", mn, sizes[s], w[i]);
			}
			break;
		default:
			emit(fn, arg, op, "%s%s p1, p2, p3", mn, w[i]);
			emit(fn, arg, op, "%s%s p31, p0, -7", mn, w[i]);
			emit(fn, arg, op, "%s%s p5, p6, 0x7fffffff", mn, w[i]);
			break;
		}
	}
}

static void m_variants(variant_fn fn, void *arg, int op, const char *mn)
{
	int s, be, sx;

	for (s = 0; s < 4; s++) {
		for (be = 0; be < 2; be++) {
			if (be && !s)
				continue;
			for (sx = 0; sx < 2; sx++) {
				const char *sfx = be ? ".be" : "";

				if (sx && (op != ONM_OP_LD || s == 3))
					continue;
				if (op == ONM_OP_LD)
					emit(fn, arg, op, "%s.%s%s%s p3, [p2+12]", mn,
					     sizes[s], sfx, sx ? ".s" : "");
				else
					emit(fn, arg, op, "%s.%s%s [p10-8], p4", mn,
					     sizes[s], sfx);
			}
		}
	}
	emit(fn, arg, op, op == ONM_OP_LD ? "%s.d p0, [p1]" : "%s.d [p1], p0", mn);
}

static void a_variants(variant_fn fn, void *arg, int op, const char *mn)
{
	int aop, w;

	for (aop = 0; aop < ONM_NUM_AOPS; aop++) {
		int always = aop == ONM_AOP_XCHG || aop == ONM_AOP_CMPXCHG;

		if (!onm_aop_names[aop])
			continue;
		for (w = 0; w < 2; w++) {
			const char *sz = w ? "w" : "d";

			if (!always)
				emit(fn, arg, op, "%s.%s.%s [p10-8], p4", mn,
				     onm_aop_names[aop], sz);
			emit(fn, arg, op, "%s.%s%s.%s p5, [p3+16], p4", mn,
			     onm_aop_names[aop], always ? "" : ".fetch", sz);
		}
	}
}

static void b_variants(variant_fn fn, void *arg, int op, const char *mn)
{
	int c;

	for (c = 0; c < ONM_NUM_CONDS; c++) {
		if (!onm_cond_names[c])
			continue;
		emit(fn, arg, op, "%s.%s p3, p4, @7", mn, onm_cond_names[c]);
		emit(fn, arg, op, "%s.%s.32 p3, -0x800000, @65535", mn,
		     onm_cond_names[c]);
		emit(fn, arg, op, "%s.%s p3, 0x7fffff, @0", mn, onm_cond_names[c]);
	}
}

void for_each_variant(variant_fn fn, void *arg)
{
	int op, h;

	for (op = 0; op < ONM_NUM_OPCODES; op++) {
		const char *mn = onm_op_table[op].mnemonic;

		if (!mn)
			continue;
		switch (onm_op_table[op].fmt) {
		case ONM_FMT_R:
			r_variants(fn, arg, op, mn);
			break;
		case ONM_FMT_M:
			m_variants(fn, arg, op, mn);
			break;
		case ONM_FMT_A:
			a_variants(fn, arg, op, mn);
			break;
		case ONM_FMT_B:
			b_variants(fn, arg, op, mn);
			break;
		case ONM_FMT_N:
			emit(fn, arg, op, "%s", mn);
			break;
		case ONM_FMT_J:
			emit(fn, arg, op, "%s @123", mn);
			break;
		case ONM_FMT_K:
			emit(fn, arg, op, "%s p7, k3", mn);
			break;
		case ONM_FMT_X:
			emit(fn, arg, op, "%s 2", mn);
			emit(fn, arg, op, "%s p0", mn);
			emit(fn, arg, op, "%s -1", mn);
			break;
		case ONM_FMT_H:
			for (h = 0; h < ONM_NUM_HELPERS; h++)
				if (onm_helper_table[h].mnemonic)
					emit(fn, arg, op, "%s %s", mn,
					     onm_helper_table[h].mnemonic);
			break;
		}
	}
}
