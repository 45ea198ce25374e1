// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * ALU, constant and branch-condition semantics: BPF's, corner cases
 * included (division by zero, INT_MIN / -1, shift masking, 32-bit
 * zero-extension, sign extension, byte swaps, imm sign extension).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

#define MIN64	0x8000000000000000ULL
#define ALL1	0xffffffffffffffffULL

struct alu_case {
	const char *op;		/* "add" or "add.32"; operand b from p4 */
	uint64_t a, b, want;
};

static const struct alu_case cases[] = {
	{ "add", ALL1, 1, 0 },
	{ "sub", 0, 1, ALL1 },
	{ "mul", 1ULL << 32, 1ULL << 32, 0 },
	{ "mul", (uint64_t)-3, 5, (uint64_t)-15 },
	{ "div", 7, 0, 0 },
	{ "div", ALL1, 2, ALL1 >> 1 },
	{ "sdiv", MIN64, ALL1, MIN64 },
	{ "sdiv", (uint64_t)-7, 2, (uint64_t)-3 },
	{ "sdiv", 5, 0, 0 },
	{ "mod", 7, 0, 7 },
	{ "mod", 7, 3, 1 },
	{ "smod", MIN64, ALL1, 0 },
	{ "smod", (uint64_t)-7, 2, ALL1 },
	{ "smod", 7, (uint64_t)-2, 1 },
	{ "smod", (uint64_t)-9, 0, (uint64_t)-9 },
	{ "or", 0xf0, 0x0f, 0xff },
	{ "and", 0xff00, 0x0ff0, 0x0f00 },
	{ "xor", ALL1, 1, ALL1 - 1 },
	{ "lsh", 1, 65, 2 },
	{ "lsh", 1, 63, MIN64 },
	{ "rsh", MIN64, 63, 1 },
	{ "rsh", MIN64, 64, MIN64 },
	{ "arsh", MIN64, 63, ALL1 },
	{ "arsh", MIN64, 127, ALL1 },
	{ "add.32", 0xffffffff, 1, 0 },
	{ "add.32", 0x1234567800000001ULL, 1, 2 },
	{ "sub.32", 0, 1, 0xffffffff },
	{ "mul.32", 0x10000, 0x10000, 0 },
	{ "div.32", 0x100000004ULL, 2, 2 },
	{ "div.32", 5, 0x100000000ULL, 0 },		/* low half of b is 0 */
	{ "sdiv.32", 0x80000000, 0xffffffff, 0x80000000 },
	{ "sdiv.32", 0xfffffff9, 2, 0xfffffffd },
	{ "mod.32", 0xdeadbeef00000007ULL, 0, 7 },
	{ "mod.32", 0xdeadbeef00000007ULL, 0x100000000ULL, 7 },
	{ "smod.32", 0x80000000, 0xffffffff, 0 },
	{ "smod.32", 0xfffffff9, 2, 0xffffffff },
	{ "lsh.32", 1, 33, 2 },
	{ "rsh.32", 0xffffffff80000000ULL, 31, 1 },
	{ "arsh.32", 0xffffffff80000000ULL, 31, 0xffffffff },
	{ "arsh.32", 0x80000000, 63, 0xffffffff },
	{ "or.32", 0xffffffff00000000ULL, 1, 1 },
	{ "and.32", ALL1, ALL1, 0xffffffff },
	{ "xor.32", ALL1, 0, 0xffffffff },
};

struct unary_case {
	const char *text;	/* operates on p3 = a into p5 */
	uint64_t a, want;
};

static const struct unary_case unary[] = {
	{ "neg p5, p3", 1, ALL1 },
	{ "neg p5, p3", MIN64, MIN64 },
	{ "neg.32 p5, p3", 1, 0xffffffff },
	{ "neg.32 p5, p3", 0xffffffff00000000ULL, 0 },
	{ "mov p5, p3", 0x123456789ULL, 0x123456789ULL },
	{ "mov.32 p5, p3", 0x123456789ULL, 0x23456789 },
	{ "mov p5, -1", 0, ALL1 },
	{ "mov.32 p5, -1", 0, 0xffffffff },
	{ "mov p5, 0x7fffffff", 0, 0x7fffffff },
	{ "movsx.b p5, p3", 0x80, 0xffffffffffffff80ULL },
	{ "movsx.b p5, p3", 0x17f, 0x7f },
	{ "movsx.h p5, p3", 0x8000, 0xffffffffffff8000ULL },
	{ "movsx.w p5, p3", 0x80000000, 0xffffffff80000000ULL },
	{ "movsx.b.32 p5, p3", 0x80, 0xffffff80 },
	{ "movsx.h.32 p5, p3", 0xffff7fff, 0x7fff },
	{ "movsx.w.32 p5, p3", 0xffffffff80000000ULL, 0x80000000 },
	{ "movsx.b p5, 255", 0, ALL1 },
	{ "bswap.h p5, p3", 0x1122334455667788ULL, 0x8877 },
	{ "bswap.w p5, p3", 0x1122334455667788ULL, 0x88776655 },
	{ "bswap.d p5, p3", 0x1122334455667788ULL, 0x8877665544332211ULL },
	{ "add p5, p3, -1", 0, ALL1 },
	{ "add.32 p5, p3, -1", 0, 0xffffffff },
	{ "sub p5, p3, 0x7fffffff", 0, (uint64_t)-0x7fffffffLL },
	{ "and p5, p3, -2", ALL1, ALL1 - 1 },
	{ "ldk p5, =0x8000000000000001", 0, MIN64 | 1 },
	{ "ldk p5, =-2", 0, ALL1 - 1 },
};

static uint64_t run(const char *body, uint64_t a, uint64_t b)
{
	char src[512];
	uint64_t r[32];

	snprintf(src, sizeof(src),
		 "ldk p3, =0x%" PRIx64 " ; ldk p4, =0x%" PRIx64 "\n"
		 "%s\nexit 0\n", a, b, body);
	t_exec(src, r, NULL);
	return r[5];
}

static void test_binary(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct alu_case *c = &cases[i];
		char body[64];
		uint64_t got;

		snprintf(body, sizeof(body), "%s p5, p3, p4", c->op);
		got = run(body, c->a, c->b);
		if (!tap_ok(got == c->want, "%s 0x%" PRIx64 ", 0x%" PRIx64 " = 0x%" PRIx64,
			    c->op, c->a, c->b, c->want))
			tap_diag("got 0x%" PRIx64, got);
	}
}

static void test_unary(void)
{
	size_t i;

	for (i = 0; i < sizeof(unary) / sizeof(unary[0]); i++) {
		const struct unary_case *c = &unary[i];
		uint64_t got = run(c->text, c->a, 0);

		if (!tap_ok(got == c->want, "%s with p3 = 0x%" PRIx64 " gives 0x%" PRIx64,
			    c->text, c->a, c->want))
			tap_diag("got 0x%" PRIx64, got);
	}
}

struct cond_case {
	uint64_t a, b;
	const char *taken;	/* conditions that hold, space separated */
};

static const struct cond_case conds[] = {
	{ ALL1, 1, " ne gt ge slt sle set " },
	{ 1, ALL1, " ne lt le sgt sge set " },
	{ 5, 5, " eq ge le sge sle set " },
	{ 4, 2, " ne gt ge sgt sge " },
};

static int holds(const char *list, const char *cond)
{
	char key[16];

	snprintf(key, sizeof(key), " %s ", cond);
	return strstr(list, key) != NULL;
}

static void test_conditions(void)
{
	static const char *const names[] = {
		"eq", "ne", "gt", "ge", "lt", "le", "sgt", "sge", "slt",
		"sle", "set",
	};
	size_t i, n;
	int bad = 0, total = 0, w;

	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
		for (n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			for (w = 0; w < 2; w++) {
				/* .32 sees the same low halves under junk */
				uint64_t hi = w ? 0xabcd000000000000ULL : 0;
				uint64_t a = w ? (uint32_t)conds[i].a | hi : conds[i].a;
				uint64_t b = w ? (uint32_t)conds[i].b : conds[i].b;
				struct onm_pkt_out out;
				char src[256];

				snprintf(src, sizeof(src),
					 "ldk p3, =0x%" PRIx64 " ; ldk p4, =0x%" PRIx64 "\n"
					 "br.%s%s p3, p4, @t\nexit 0\n@t: exit 1\n",
					 a, b, names[n], w ? ".32" : "");
				t_exec(src, NULL, &out);
				total++;
				if ((int)out.verdict != holds(conds[i].taken, names[n]) &&
				    bad++ < 5)
					tap_diag("br.%s%s 0x%" PRIx64 ", 0x%" PRIx64 ": %s",
						 names[n], w ? ".32" : "", a, b,
						 out.verdict ? "taken" : "not taken");
			}
		}
	}
	tap_ok(!bad, "all %d condition/operand/width combinations branch as BPF's jumps",
	       total);
}

static void test_branch_immediate_sign_extends(void)
{
	struct onm_pkt_out out;

	t_exec("mov p3, -1\nbr.eq p3, -1, @t\nexit 0\n@t: exit 1\n", NULL, &out);
	tap_ok(out.verdict == 1, "branch imm24 is sign-extended to 64 bits");
	t_exec("mov p3, 0x7fffff\nbr.eq p3, 0x7fffff, @t\nexit 0\n@t: exit 1\n",
	       NULL, &out);
	tap_ok(out.verdict == 1, "largest positive imm24 compares as itself");
}

int main(void)
{
	test_binary();
	test_unary();
	test_conditions();
	test_branch_immediate_sign_extends();
	return tap_done();
}
