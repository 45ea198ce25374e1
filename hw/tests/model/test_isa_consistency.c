// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * offnic_isa.def and its consumers agree: the assembler, the model's
 * decoder and the disassembler see the same name, format and unit for
 * every opcode; fields do not overlap within a format; the parameters in
 * offnic_model.h match the table; the RTL package (if generated yet)
 * carries every code with the same value; docs/isa.md's generated
 * opcode table is up to date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"
#include "variants.h"
#include "isadoc.h"

struct field {
	const char *name;
	int hi, lo;
};

static const struct field fields[] = {
#define ISA_FIELD(name, hi, lo) { #name, hi, lo },
#include "offnic_isa.def"
};

static const struct field *field(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(fields[i].name, name))
			return &fields[i];
	return NULL;
}

/* The named fields are disjoint and, if whole != 0, cover whole. */
static int layout_ok(const char *const *names, uint64_t whole)
{
	uint64_t seen = 0;

	for (; *names; names++) {
		const struct field *f = field(*names);
		uint64_t m;

		if (!f || f->hi < f->lo || f->hi > 63)
			return 0;
		m = onm_mask(f->hi, f->lo);
		if (seen & m)
			return 0;
		seen |= m;
	}
	return whole ? seen == whole : 1;
}

static void test_field_layout(void)
{
	static const char *const common[] = {
		"OPCODE", "RD", "RA", "RB", "I", "FN", "IMM32", NULL };
	static const char *const branch[] = {
		"OPCODE", "B_COND", "B_W32", "RA", "RB", "I", "B_TARGET",
		"B_IMM24", NULL };
	static const char *const fn_r[] = { "FN_W32", "FN_EXT", NULL };
	static const char *const fn_m[] = { "FN_SIZE", "FN_BSWAP", "FN_SEXT", NULL };
	static const char *const fn_a[] = { "FN_AOP", "FN_FETCH", "FN_AW32", NULL };
	static const char *const *const fns[] = { fn_r, fn_m, fn_a };
	uint64_t fn = ONM_MASK(FN);
	size_t i;
	int inside = 1;

	tap_ok(layout_ok(common, ~0ULL), "R/M/A/K/X/H fields are disjoint and cover 64 bits");
	tap_ok(layout_ok(branch, ~0ULL), "B-format fields are disjoint and cover 64 bits");
	for (i = 0; i < 3; i++) {
		const char *const *n;

		inside &= layout_ok(fns[i], 0);
		for (n = fns[i]; *n; n++)
			inside &= (onm_mask(field(*n)->hi, field(*n)->lo) & ~fn) == 0;
	}
	tap_ok(inside, "fn sub-fields of each format are disjoint and inside FN");
}

static void test_codes_unique_and_fit(void)
{
	int ops = 0, defined = 0, i;

#define ISA_OP(name, opcode, format, unit, mnemonic) ops++;
#include "offnic_isa.def"
	for (i = 0; i < ONM_NUM_OPCODES; i++)
		defined += onm_op_table[i].mnemonic != NULL;
	tap_ok(ops == defined, "%d ISA_OP entries, %d distinct opcodes", ops, defined);
	tap_ok(1
#define ISA_COND(name, code, mnemonic) && (code) < (1 << 4)
#define ISA_ATOMIC(name, code, mnemonic) && (code) < (1 << 4)
#define ISA_HELPER(name, id, latency, mnemonic) && (id) < ONM_NUM_HELPERS && (id) > 0
#define ISA_SPACE(name, tag, mnemonic) && (tag) < 16
#define ISA_CTX(name, index, writable, mnemonic) && (index) < ONM_ISA_CTX_FIELDS
#define ISA_FAULT(name, code, mnemonic) && (code) < ONM_NUM_FAULTS
#define ISA_PERF(name, index, mnemonic) && (index) < ONM_NUM_PERF
#include "offnic_isa.def"
	       , "every code fits its field and the tables");
}

static void test_params_match_model_header(void)
{
	tap_ok(ONM_ISA_NUM_REGS == ONM_NUM_REGS &&
	       ONM_ISA_MAX_LANES == ONM_MAX_LANES &&
	       ONM_ISA_STACK_BYTES == ONM_STACK_BYTES &&
	       ONM_ISA_PKT_BUF_BYTES == ONM_PKT_BUF_BYTES &&
	       ONM_ISA_CTX_FIELDS == ONM_CTX_FIELDS &&
	       ONM_ISA_RET_STACK_DEPTH == ONM_RET_STACK_DEPTH &&
	       ONM_ISA_REF_LANES == ONM_DEF_LANES,
	       "ISA_PARAMs equal the sizes in offnic_model.h");
}

struct agree {
	int checked, bad;
	int seen[ONM_NUM_OPCODES];
};

static void check_variant(void *arg, int op, const char *text)
{
	struct agree *a = arg;
	const struct onm_op_info *info = &onm_op_table[op];
	char dis[200], msg[200];
	struct onm_uop u;
	size_t n = strlen(info->mnemonic);
	uint64_t w;

	a->checked++;
	a->seen[op] = 1;
	if (onm_asm_uop(text, &w, msg, sizeof(msg)) ||
	    ONM_GET(w, OPCODE) != (uint64_t)op ||
	    onm_decode_uop(w, &u) || u.op != op || u.fmt != info->fmt ||
	    u.unit != info->unit) {
		if (a->bad++ < 5)
			tap_diag("'%s': assembler/model disagree with the table", text);
		return;
	}
	onm_disasm_uop(w, dis, sizeof(dis));
	if (strncmp(dis, info->mnemonic, n) || (dis[n] && dis[n] != ' ' &&
						 dis[n] != '.')) {
		if (a->bad++ < 5)
			tap_diag("'%s': disassembles as '%s'", text, dis);
	}
}

static void test_consumers_agree(void)
{
	struct agree a = { 0 };
	int op, missing = 0;

	for_each_variant(check_variant, &a);
	for (op = 0; op < ONM_NUM_OPCODES; op++)
		missing += onm_op_table[op].mnemonic && !a.seen[op];
	tap_ok(!a.bad && !missing,
	       "every opcode: assembler, model decoder and disassembler agree on opcode, name, format, unit (%d variants)",
	       a.checked);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* "  PREFIX_NAME = 8'h1f," -> value, or -1 */
static long sv_value(const char *pkg, const char *prefix, const char *name)
{
	char key[96];
	const char *p, *q;

	snprintf(key, sizeof(key), " %s_%s = ", prefix, name);
	p = strstr(pkg, key);
	if (!p)
		return -1;
	q = strchr(p + strlen(key), '\'');
	if (!q || q[1] != 'h')
		return -1;
	return strtol(q + 2, NULL, 16);
}

static void test_rtl_package(const char *root)
{
	char path[512];
	char *pkg;
	int bad = 0, n = 0;

	snprintf(path, sizeof(path), "%s/hw/rtl/offnic_isa_pkg.sv", root);
	pkg = slurp(path);
	if (!pkg) {
		tap_skip("hw/rtl/offnic_isa_pkg.sv not generated yet",
			 "RTL package carries every ISA code with the table's value");
		return;
	}
#define CHECK(prefix, name, value)					\
	do {								\
		long v = sv_value(pkg, prefix, #name);			\
		n++;							\
		if (v != (long)(value) && bad++ < 5)			\
			tap_diag("RTL %s_%s = %ld, table says %ld", prefix, \
				 #name, v, (long)(value));		\
	} while (0)
#define ISA_OP(name, opcode, format, unit, mnemonic) CHECK("OP", name, opcode);
#define ISA_UNIT(name, id, per_bundle, latency) CHECK("UNIT", name, id);
#define ISA_COND(name, code, mnemonic) CHECK("COND", name, code);
#define ISA_ATOMIC(name, code, mnemonic) CHECK("AOP", name, code);
#define ISA_HELPER(name, id, latency, mnemonic) CHECK("HELPER", name, id);
#define ISA_SPACE(name, tag, mnemonic) CHECK("SPACE", name, tag);
#define ISA_CTX(name, index, writable, mnemonic) CHECK("CTX", name, index);
#define ISA_FAULT(name, code, mnemonic) CHECK("FAULT", name, code);
#define ISA_PERF(name, index, mnemonic) CHECK("PERF", name, index);
#include "offnic_isa.def"
#undef CHECK
	tap_ok(!bad, "RTL package carries all %d ISA codes with the table's values", n);
	free(pkg);
}

static void test_docs_up_to_date(const char *root)
{
	char path[512];
	char *doc, *tables, *fresh;

	snprintf(path, sizeof(path), "%s/docs/isa.md", root);
	doc = slurp(path);
	tables = isadoc_tables();
	fresh = doc ? isadoc_splice(doc, tables) : NULL;
	if (!tap_ok(fresh && !strcmp(doc, fresh),
		    "docs/isa.md reference tables match offnic_isa.def"))
		tap_diag("run: make -C hw/model docs");
	free(doc);
	free(tables);
	free(fresh);
}

/* The example program in docs/isa.md assembles and does what it says. */
static void test_docs_example(const char *root)
{
	char path[512];
	char *doc, *start, *end;
	struct onm_engine *e;
	struct onm_pkt_out out;
	uint8_t frame[60] = { 0 };
	uint32_t key = 17;
	uint64_t count = 0;
	int i;

	snprintf(path, sizeof(path), "%s/docs/isa.md", root);
	doc = slurp(path);
	start = doc ? strstr(doc, "## Assembly language") : NULL;
	start = start ? strstr(start, "```\n") : NULL;
	end = start ? strstr(start + 4, "```") : NULL;
	if (!tap_ok(end != NULL, "docs/isa.md has an assembly example")) {
		free(doc);
		return;
	}
	*end = '\0';
	e = t_load(start + 4, NULL);
	frame[12] = 0x08;
	frame[23] = 17;		/* UDP */
	for (i = 0; i < 3; i++)
		t_run(e, frame, sizeof(frame), &out);
	frame[12] = 0x86;	/* not IPv4: not counted */
	t_run(e, frame, sizeof(frame), &out);
	onm_map_lookup(e, onm_prog_map_slot(e, 0), &key, &count);
	tap_ok(out.verdict == 2 && count == 3,
	       "the docs example counts IPv4 packets per protocol");
	onm_destroy(e);
	free(doc);
}

int main(void)
{
	const char *root = getenv("ROOT") ? getenv("ROOT") : "../..";

	test_field_layout();
	test_codes_unique_and_fit();
	test_params_match_model_header();
	test_consumers_agree();
	test_rtl_package(root);
	test_docs_up_to_date(root);
	test_docs_example(root);
	return tap_done();
}
