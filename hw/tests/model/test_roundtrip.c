// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Assembler and disassembler are inverses: text -> word -> text for every
 * opcode/format variant, word -> text -> word for random words (legal or
 * not), image -> listing -> image for whole programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"
#include "variants.h"

struct counts {
	int n, bad;
};

static void text_roundtrip(void *arg, int op, const char *text)
{
	struct counts *c = arg;
	char msg[200], back[200];
	uint64_t w;

	c->n++;
	if (onm_asm_uop(text, &w, msg, sizeof(msg))) {
		if (c->bad++ < 5)
			tap_diag("'%s' does not assemble: %s", text, msg);
		return;
	}
	onm_disasm_uop(w, back, sizeof(back));
	if (strcmp(text, back) && c->bad++ < 5)
		tap_diag("'%s' -> 0x%016llx -> '%s'", text,
			 (unsigned long long)w, back);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t variant_words[1024];
static int n_variant_words;

static void keep_word(void *arg, int op, const char *text)
{
	uint64_t w;

	if (n_variant_words < 1024 && !onm_asm_uop(text, &w, NULL, 0))
		variant_words[n_variant_words++] = w;
}

/* Near the legal set: a canonical variant with 0..2 random bits flipped
 * and random register/immediate fields, so legality edges get hit.
 */
static uint64_t random_word(void)
{
	uint64_t w = variant_words[rnd() % n_variant_words];
	int flips = (int)(rnd() % 3);

	if (onm_op_table[ONM_GET(w, OPCODE)].fmt != ONM_FMT_B &&
	    (rnd() & 1))
		w = ONM_PUT(w, IMM32, rnd());
	while (flips--)
		w ^= 1ULL << (rnd() % 64);
	return w;
}

static void test_random_words(void)
{
	int i, legal = 0, agree = 0, back = 0, n = 300000;

	for_each_variant(keep_word, NULL);

	for (i = 0; i < n; i++) {
		uint64_t w = random_word(), w2;
		struct onm_uop u;
		char text[200], msg[200];
		int model_ok, dis_ok;

		if (i % 4 == 0)
			w = rnd();	/* fully random too */
		model_ok = onm_decode_uop(w, &u) == 0;
		dis_ok = onm_uop_legal(w);
		legal += model_ok;
		if (model_ok == dis_ok)
			agree++;
		else if (n - agree < 5)
			tap_diag("0x%016llx: model %s, disassembler %s",
				 (unsigned long long)w, model_ok ? "legal" : "illegal",
				 dis_ok ? "legal" : "illegal");
		onm_disasm_uop(w, text, sizeof(text));
		if (!onm_asm_uop(text, &w2, msg, sizeof(msg)) && w2 == w)
			back++;
		else if (n - back < 3)
			tap_diag("0x%016llx -> '%s' -> %s", (unsigned long long)w,
				 text, msg);
	}
	tap_diag("%d random words, %d legal", n, legal);
	tap_ok(legal > n / 4, "random words include many legal micro-ops");
	tap_ok(agree == n, "model decoder and disassembler agree on legality of random words");
	tap_ok(back == n, "random words round-trip through text (illegal ones as .word)");
}

struct lines {
	char *buf;
	size_t len, cap;
};

static int collect(void *arg, const char *line)
{
	struct lines *l = arg;
	size_t n = strlen(line);

	if (l->len + n + 2 > l->cap) {
		l->cap = 2 * (l->cap + n + 2);
		l->buf = realloc(l->buf, l->cap);
		if (!l->buf)
			return 1;
	}
	memcpy(l->buf + l->len, line, n);
	l->len += n;
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	return 0;
}

static const char *const program =
	".lanes 4\n"
	".prog tc\n"
	".stack 16\n"
	".insns 42\n"
	".lines\n"
	".map flows hash key=8 value=16 entries=128\n"
	".map array key=4 value=4 entries=2 flags=1\n"
	".map perf_event key=4 value=4 entries=4\n"
	".const 0x1122334455667788\n"
	".line 3\n"
	"@start: { ld.d p2, [p1] ; ld.d p3, [p1+8] ; ldk p4, %flows ; ldk p5, =-1 }\n"
	"	ld.h.be p6, [p2+12] ; mov p7, 0 ; nop ; call @sub\n"
	".line 9\n"
	"	br.ne p6, 0x86dd, @out ; .word 0xff00000000000001   # raw word\n"
	"@out:	exit 2 // done\n"
	"@sub:	ret\n";

static void test_image_roundtrip(void)
{
	struct onm_asm_out a, b;
	struct lines l1 = { 0 }, l2 = { 0 };
	int ok;

	if (!tap_ok(onm_asm(program, &a) == 0, "sample program assembles")) {
		tap_diag("%s", a.msg);
		return;
	}
	ok = onm_disasm_image(a.img, a.len, collect, &l1) == 0;
	ok = ok && onm_asm(l1.buf, &b) == 0;
	tap_ok(ok && a.len == b.len && !memcmp(a.img, b.img, a.len),
	       "image -> listing -> image is the identity");
	if (!ok)
		tap_diag("listing:\n%s\nerror: %s", l1.buf ? l1.buf : "", b.msg);
	ok = ok && onm_disasm_image(b.img, b.len, collect, &l2) == 0;
	tap_ok(ok && l2.buf && !strcmp(l1.buf, l2.buf),
	       "listing of the reassembled image is the same text");
	onm_asm_free(&a);
	if (ok)
		onm_asm_free(&b);
	free(l1.buf);
	free(l2.buf);
}

static void test_asm_errors(void)
{
	static const char *const bad[] = {
		"add p1, p2",			/* operand count */
		"add p1, p2, p32",		/* register range */
		"ld.h p1, p2",			/* memory operand */
		"ld.b.be p1, [p2]",		/* bswap of one byte */
		"ld.d.s p1, [p2]",		/* sext of eight bytes */
		"st.w.s [p1], p2",		/* store sign-extends nothing */
		"bswap.b p1, p2",
		"bswap.h.32 p1, p2",
		"movsx.d p1, p2",
		"br.foo p1, p2, @1",
		"br.eq p1, 0x800000, @1",	/* imm24 range */
		"mov p1, 0x80000000",		/* imm32 range */
		"atomic.add [p1], p2",		/* missing size */
		"hcall no_such_helper",
		"frob p1",
		"ja @70000",
	};
	char msg[200];
	uint64_t w;
	size_t i;
	int rejected = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (onm_asm_uop(bad[i], &w, msg, sizeof(msg)))
			rejected++;
		else
			tap_diag("'%s' was accepted: 0x%016llx", bad[i],
				 (unsigned long long)w);
	}
	tap_ok(rejected == (int)i, "assembler rejects %zu malformed micro-ops", i);
}

static void test_program_errors(void)
{
	static const char *const bad[] = {
		"ja @nowhere\n",
		"@a: nop\n@a: exit 0\n",
		"nop ; nop ; nop ; nop ; nop\n",
		"exit 0\n.lanes 2\n",
		"@5: exit 0\n",
		"ldk p1, %map3\nexit 0\n",
		".map hash key=4 value=4\n.map tree key=1\nexit 0\n",
	};
	struct onm_asm_out out;
	size_t i;
	int rejected = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (onm_asm(bad[i], &out) && out.line > 0)
			rejected++;
		else
			tap_diag("program %zu was accepted", i);
		if (!out.line)
			onm_asm_free(&out);
	}
	tap_ok(rejected == (int)i,
	       "assembler rejects %zu malformed programs with a line number", i);
}

int main(void)
{
	struct counts c = { 0 };

	for_each_variant(text_roundtrip, &c);
	tap_ok(c.n > 150 && c.bad == 0,
	       "%d canonical variants of every opcode: text -> word -> same text",
	       c.n);
	test_random_words();
	test_image_roundtrip();
	test_asm_errors();
	test_program_errors();
	return tap_done();
}
