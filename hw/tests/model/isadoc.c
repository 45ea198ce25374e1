// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offnic_isa.h"
#include "isadoc.h"

struct buf {
	char *p;
	size_t len, cap;
};

static void add(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1);
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

static void units(struct buf *b)
{
	int u;

	add(b, "#### Functional units\n\n| unit | id | per bundle | latency (cycles) |\n"
	       "|---|---|---|---|\n");
	for (u = 0; u < ONM_NUM_UNITS; u++) {
		add(b, "| %s | %d | %d | ", onm_unit_table[u].name, u,
		    onm_unit_table[u].per_bundle);
		if (u == ONM_UNIT_HELPER)
			add(b, "per helper |\n");
		else
			add(b, "%d |\n", onm_unit_table[u].latency);
	}
}

static void opcodes(struct buf *b)
{
	int op;

	add(b, "\n#### Opcodes\n\n| opcode | name | mnemonic | format | unit |\n"
	       "|---|---|---|---|---|\n");
	for (op = 0; op < ONM_NUM_OPCODES; op++)
		if (onm_op_table[op].mnemonic)
			add(b, "| 0x%02x | %s | `%s` | %c | %s |\n", op,
			    onm_op_table[op].name, onm_op_table[op].mnemonic,
			    onm_fmt_letters[onm_op_table[op].fmt],
			    onm_unit_table[onm_op_table[op].unit].name);
}

static void named(struct buf *b, const char *title, const char *const *names,
		  int n)
{
	int i;

	add(b, "\n#### %s\n\n| code | mnemonic |\n|---|---|\n", title);
	for (i = 0; i < n; i++)
		if (names[i])
			add(b, "| %d | `%s` |\n", i, names[i]);
}

static void helpers(struct buf *b)
{
	int h;

	add(b, "\n#### Helpers (`hcall` imm32)\n\n| id | mnemonic | latency (cycles) |\n"
	       "|---|---|---|\n");
	for (h = 0; h < ONM_NUM_HELPERS; h++)
		if (onm_helper_table[h].mnemonic)
			add(b, "| %d | `%s` | %d |\n", h, onm_helper_table[h].mnemonic,
			    onm_helper_table[h].latency);
}

static void ctx_fields(struct buf *b)
{
	int i;

	add(b, "\n#### Context fields (CTX offset = index * 8)\n\n"
	       "| index | offset | field | writable |\n|---|---|---|---|\n");
	for (i = 0; i < ONM_ISA_CTX_FIELDS; i++)
		if (onm_ctx_table[i].mnemonic)
			add(b, "| %d | %d | `%s` | %s |\n", i, 8 * i,
			    onm_ctx_table[i].mnemonic,
			    onm_ctx_table[i].writable ? "yes" : "no");
}

char *isadoc_tables(void)
{
	struct buf b = { 0 };

	units(&b);
	opcodes(&b);
	named(&b, "Branch conditions (`br.<cond>`)", onm_cond_names, ONM_NUM_CONDS);
	named(&b, "Atomic operations (`atomic.<op>`)", onm_aop_names, ONM_NUM_AOPS);
	helpers(&b);
	named(&b, "Address spaces (pointer bits [63:60])", onm_space_names,
	      ONM_NUM_SPACES);
	ctx_fields(&b);
	named(&b, "Fault causes", onm_fault_names, ONM_NUM_FAULTS);
	named(&b, "Performance counters", onm_perf_names, ONM_NUM_PERFS);
	return b.p;
}

char *isadoc_splice(const char *doc, const char *tables)
{
	const char *begin = strstr(doc, ISADOC_BEGIN);
	const char *end = begin ? strstr(begin, ISADOC_END) : NULL;
	size_t head, n;
	char *out;

	if (!end)
		return NULL;
	head = (size_t)(begin - doc) + strlen(ISADOC_BEGIN);
	n = head + strlen(tables) + strlen(end) + 1;
	out = malloc(n);
	if (!out)
		return NULL;
	memcpy(out, doc, head);
	strcpy(out + head, tables);
	strcat(out, end);
	return out;
}
