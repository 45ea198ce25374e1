// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The JIT's cost at its limit: a program of exactly OJIT_MAX_INSNS
 * instructions, compiled at 4 lanes.  Blocks of ALU work, a stack spill
 * and reload and a forward branch, as in a long parsing program, so that
 * every stage (passes, isel, scheduling, regalloc) has blocks and
 * dependencies to work on.  The kernel compiles such a program once per
 * load, inside the bpf() syscall.
 */
#include <stdlib.h>
#include <string.h>

#include "tools.h"
#include "jit_limit.h"

#define LANES	4

static struct ojit_bpf_insn mk(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
			       int32_t imm)
{
	struct ojit_bpf_insn i = { code, dst, src, off, imm };

	return i;
}

static uint32_t gen(struct ojit_bpf_insn *p, uint32_t n)
{
	uint32_t k = 0, i = 0;

	p[k++] = mk(0xb7, 0, 0, 0, 0);			/* r0 = 0 */
	while (k + 8 + 2 <= n) {
		p[k++] = mk(0xb7, 1, 0, 0, (int32_t)(i++ & 0xffff));	/* r1 = i */
		p[k++] = mk(0x0f, 1, 0, 0, 0);		/* r1 += r0 */
		p[k++] = mk(0x57, 1, 0, 0, 0xff);	/* r1 &= 0xff */
		p[k++] = mk(0x7b, 10, 1, -8, 0);	/* *(u64 *)(r10 - 8) = r1 */
		p[k++] = mk(0x79, 2, 10, -8, 0);	/* r2 = *(u64 *)(r10 - 8) */
		p[k++] = mk(0x25, 2, 0, 1, 100);	/* if r2 > 100 goto +1 */
		p[k++] = mk(0x0f, 0, 2, 0, 0);		/* r0 += r2 */
		p[k++] = mk(0xa7, 0, 0, 0, 3);		/* r0 ^= 3 */
	}
	while (k + 2 < n)
		p[k++] = mk(0x07, 0, 0, 0, 1);		/* r0 += 1 */
	p[k++] = mk(0x57, 0, 0, 0, 3);			/* r0 &= 3 */
	p[k++] = mk(0x95, 0, 0, 0, 0);			/* exit */
	return k;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void bench_jit_limit(FILE *js, unsigned int reps)
{
	static struct ojit_bpf_insn prog[OJIT_MAX_INSNS];
	struct ojit_options opt = { .lanes = LANES };
	struct ojit_loaded l = { 0 };
	struct ojit_result res = { 0 };
	double t[16];
	uint32_t n = gen(prog, OJIT_MAX_INSNS);
	unsigned int i;
	int err = 0;

	if (reps > 16)
		reps = 16;
	if (ojit_load_insns(prog, n, &l)) {
		fprintf(js, "\"jit_limit\": {\"error\": \"out of memory\"}, ");
		return;
	}
	for (i = 0; i < reps && !err; i++) {
		ojit_free(res.image);
		err = ojit_compile_loaded(&l, &opt, &res);
		t[i] = res.stats.jit_ns / 1e3;
	}
	if (err) {
		fprintf(js, "\"jit_limit\": {\"insns\": %u, \"error\": \"%s\"}, ", n, res.msg);
	} else {
		qsort(t, reps, sizeof(t[0]), cmp_double);
		fprintf(js, "\"jit_limit\": {\"insns\": %u, \"lanes\": %u, \"reps\": %u, "
			"\"jit_us\": %.1f, \"min_us\": %.1f, \"max_us\": %.1f, "
			"\"bundles\": %u, \"uops\": %u, \"error\": \"\"}, ", n, LANES, reps,
			reps & 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2, t[0],
			t[reps - 1], res.stats.bundles, res.stats.uops);
	}
	ojit_free(res.image);
	ojit_loaded_free(&l);
}
