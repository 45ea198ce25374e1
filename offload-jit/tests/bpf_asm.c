// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * BPF text assembler for the test corpus (conformance-suite syntax).
 * Two passes: the first records label positions, the second encodes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_asm.h"

#define MAX_LABELS	256
#define MAX_TOKENS	6

struct label {
	char name[32];
	int pc;
};

struct asm_ctx {
	struct label labels[MAX_LABELS];
	int n_labels;
	int last_exit;		/* "exit" as a label: the last exit instruction */
	int line;
	char *err;
	size_t err_size;
};

struct mnemonic {
	const char *name;
	uint8_t code;
};

static const struct mnemonic alu_ops[] = {
	{ "add", OJIT_BPF_ADD }, { "sub", OJIT_BPF_SUB }, { "mul", OJIT_BPF_MUL },
	{ "div", OJIT_BPF_DIV }, { "or", OJIT_BPF_OR }, { "and", OJIT_BPF_AND },
	{ "lsh", OJIT_BPF_LSH }, { "rsh", OJIT_BPF_RSH }, { "neg", OJIT_BPF_NEG },
	{ "mod", OJIT_BPF_MOD }, { "xor", OJIT_BPF_XOR }, { "mov", OJIT_BPF_MOV },
	{ "arsh", OJIT_BPF_ARSH }, { "sdiv", OJIT_BPF_DIV }, { "smod", OJIT_BPF_MOD },
};

static const struct mnemonic jmp_ops[] = {
	{ "jeq", OJIT_BPF_JEQ }, { "jgt", OJIT_BPF_JGT }, { "jge", OJIT_BPF_JGE },
	{ "jset", OJIT_BPF_JSET }, { "jne", OJIT_BPF_JNE }, { "jsgt", OJIT_BPF_JSGT },
	{ "jsge", OJIT_BPF_JSGE }, { "jlt", OJIT_BPF_JLT }, { "jle", OJIT_BPF_JLE },
	{ "jslt", OJIT_BPF_JSLT }, { "jsle", OJIT_BPF_JSLE },
};

static const struct mnemonic sizes[] = {
	{ "b", OJIT_BPF_B }, { "h", OJIT_BPF_H }, { "w", OJIT_BPF_W }, { "dw", OJIT_BPF_DW },
};

static int fail(struct asm_ctx *c, const char *what, const char *tok)
{
	snprintf(c->err, c->err_size, "line %d: %s '%s'", c->line, what, tok ? tok : "");
	return -1;
}

static int reg(struct asm_ctx *c, const char *t)
{
	char *end;
	long r;

	if (t[0] != '%' || t[1] != 'r')
		return fail(c, "expected a register", t);
	r = strtol(t + 2, &end, 10);
	if (*end || r < 0 || r > 10)
		return fail(c, "bad register", t);
	return (int)r;
}

static int is_reg(const char *t)
{
	return t[0] == '%';
}

/* Decimal or 0x hex, optionally signed; 64-bit values wrap as in C */
static int64_t num(const char *t)
{
	if (t[0] == '-')
		return -(int64_t)strtoull(t + 1, NULL, 0);
	if (t[0] == '+')
		t++;
	return (int64_t)strtoull(t, NULL, 0);
}

/* "[%rN+off]" or "[%rN-off]" or "[%rN]" */
static int mem_operand(struct asm_ctx *c, const char *t, int *r, int16_t *off)
{
	char buf[32];
	const char *sign;

	if (t[0] != '[' || t[strlen(t) - 1] != ']' || strlen(t) >= sizeof(buf))
		return fail(c, "expected [%rN+off]", t);
	snprintf(buf, sizeof(buf), "%.*s", (int)strlen(t) - 2, t + 1);
	sign = strpbrk(buf, "+-");
	*off = sign ? (int16_t)num(sign[0] == '+' ? sign + 1 : sign) : 0;
	if (sign)
		buf[sign - buf] = 0;
	*r = reg(c, buf);
	return *r < 0 ? -1 : 0;
}

static int target(struct asm_ctx *c, const char *t, int pc, int *off)
{
	int i;

	if (t[0] == '+' || t[0] == '-' || isdigit((unsigned char)t[0])) {
		*off = (int)num(t);
		return 0;
	}
	for (i = 0; i < c->n_labels; i++)
		if (!strcmp(c->labels[i].name, t)) {
			*off = c->labels[i].pc - pc - 1;
			return 0;
		}
	if (!strcmp(t, "exit") && c->last_exit >= 0) {
		*off = c->last_exit - pc - 1;
		return 0;
	}
	return fail(c, "unknown label", t);
}

static const struct mnemonic *find(const struct mnemonic *m, size_t n, const char *name,
				   size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(m[i].name) == len && !strncmp(m[i].name, name, len))
			return &m[i];
	return NULL;
}

static struct ojit_bpf_insn mk(uint8_t code, int dst, int src, int off, int32_t imm)
{
	struct ojit_bpf_insn in = { code, (uint8_t)dst, (uint8_t)src, (int16_t)off, imm };

	return in;
}

/* add/add32/neg/mov/sdiv/movsxNM/le/be/bswap */
static int enc_alu(struct asm_ctx *c, char **tok, int n, struct ojit_bpf_insn *o)
{
	const char *m = tok[0];
	size_t len = strlen(m);
	int w32 = len > 2 && !strcmp(m + len - 2, "32"), dst, src, bits;
	uint8_t cls = w32 ? OJIT_BPF_ALU : OJIT_BPF_ALU64;
	const struct mnemonic *op;

	if (!strncmp(m, "le", 2) || !strncmp(m, "be", 2) || !strncmp(m, "bswap", 5)) {
		bits = atoi(m + (m[0] == 'b' && m[1] == 's' ? 5 : 2));
		dst = reg(c, tok[1]);
		if (dst < 0)
			return -1;
		if (m[1] == 's')
			*o = mk(OJIT_BPF_ALU64 | OJIT_BPF_END, dst, 0, 0, bits);
		else
			*o = mk(OJIT_BPF_ALU | OJIT_BPF_END | (m[0] == 'b' ? OJIT_BPF_TO_BE : 0),
				dst, 0, 0, bits);
		return 1;
	}
	if (!strncmp(m, "movsx", 5)) {
		/* movsx<from><to>: movsx832 movsx1632 movsx864 movsx1664 movsx3264 */
		bits = m[5] == '8' ? 8 : m[5] == '1' ? 16 : 32;
		w32 = !strcmp(m + len - 2, "32");
		dst = reg(c, tok[1]);
		src = n > 2 ? reg(c, tok[2]) : -1;
		if (dst < 0 || src < 0)
			return -1;
		*o = mk((w32 ? OJIT_BPF_ALU : OJIT_BPF_ALU64) | OJIT_BPF_MOV | OJIT_BPF_X,
			dst, src, bits, 0);
		return 1;
	}
	op = find(alu_ops, sizeof(alu_ops) / sizeof(alu_ops[0]), m, w32 ? len - 2 : len);
	if (!op)
		return 0;
	dst = reg(c, tok[1]);
	if (dst < 0)
		return -1;
	if (op->code == OJIT_BPF_NEG) {
		*o = mk(cls | OJIT_BPF_NEG, dst, 0, 0, 0);
		return 1;
	}
	if (n < 3)
		return fail(c, "missing operand", m);
	/* off 1 makes div/mod signed (sdiv, smod); every other op has off 0 */
	*o = mk(cls | op->code, dst, 0,
		!strncmp(m, "sdiv", 4) || !strncmp(m, "smod", 4) ? 1 : 0, 0);
	if (is_reg(tok[2])) {
		src = reg(c, tok[2]);
		if (src < 0)
			return -1;
		o->code |= OJIT_BPF_X;
		o->src_reg = (uint8_t)src;
	} else {
		o->imm = (int32_t)num(tok[2]);
	}
	return 1;
}

static int enc_mem(struct asm_ctx *c, char **tok, int n, struct ojit_bpf_insn *o)
{
	const char *m = tok[0];
	const struct mnemonic *sz;
	int r, v;
	int16_t off;

	if (!strcmp(m, "lddw")) {
		uint64_t k = (uint64_t)num(tok[2]);

		r = reg(c, tok[1]);
		if (r < 0)
			return -1;
		o[0] = mk(OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW, r, 0, 0, (int32_t)(uint32_t)k);
		o[1] = mk(0, 0, 0, 0, (int32_t)(uint32_t)(k >> 32));
		return 2;
	}
	if (!strncmp(m, "ldxs", 4) && (sz = find(sizes, 4, m + 4, strlen(m + 4)))) {
		v = reg(c, tok[1]);
		if (v < 0 || mem_operand(c, tok[2], &r, &off))
			return -1;
		*o = mk(OJIT_BPF_LDX | OJIT_BPF_MEMSX | sz->code, v, r, off, 0);
		return 1;
	}
	if (!strncmp(m, "ldx", 3) && (sz = find(sizes, 4, m + 3, strlen(m + 3)))) {
		v = reg(c, tok[1]);
		if (v < 0 || mem_operand(c, tok[2], &r, &off))
			return -1;
		*o = mk(OJIT_BPF_LDX | OJIT_BPF_MEM | sz->code, v, r, off, 0);
		return 1;
	}
	if (!strncmp(m, "stx", 3) && (sz = find(sizes, 4, m + 3, strlen(m + 3)))) {
		if (n < 3 || mem_operand(c, tok[1], &r, &off))
			return -1;
		v = reg(c, tok[2]);
		if (v < 0)
			return -1;
		*o = mk(OJIT_BPF_STX | OJIT_BPF_MEM | sz->code, r, v, off, 0);
		return 1;
	}
	if (m[0] == 's' && m[1] == 't' && (sz = find(sizes, 4, m + 2, strlen(m + 2)))) {
		if (n < 3 || mem_operand(c, tok[1], &r, &off))
			return -1;
		*o = mk(OJIT_BPF_ST | OJIT_BPF_MEM | sz->code, r, 0, off, (int32_t)num(tok[2]));
		return 1;
	}
	return 0;
}

/* lock [fetch] add|or|and|xor|xchg|cmpxchg[32] [%rD+off], %rS */
static int enc_lock(struct asm_ctx *c, char **tok, int n, struct ojit_bpf_insn *o)
{
	int fetch = n > 1 && !strcmp(tok[1], "fetch"), k = 1 + fetch, r, s;
	const char *m;
	size_t len;
	int w32;
	int32_t imm;
	int16_t off;

	if (n < k + 3)
		return fail(c, "bad lock instruction", tok[0]);
	m = tok[k];
	len = strlen(m);
	w32 = len > 2 && !strcmp(m + len - 2, "32");
	if (w32)
		len -= 2;
	if (!strncmp(m, "add", len))
		imm = OJIT_BPF_ADD;
	else if (!strncmp(m, "or", len))
		imm = OJIT_BPF_OR;
	else if (!strncmp(m, "and", len))
		imm = OJIT_BPF_AND;
	else if (!strncmp(m, "xor", len))
		imm = OJIT_BPF_XOR;
	else if (!strncmp(m, "xchg", len))
		imm = OJIT_BPF_XCHG;
	else if (!strncmp(m, "cmpxchg", len))
		imm = OJIT_BPF_CMPXCHG;
	else
		return fail(c, "unknown atomic", m);
	if (fetch)
		imm |= OJIT_BPF_FETCH;
	if (mem_operand(c, tok[k + 1], &r, &off))
		return -1;
	s = reg(c, tok[k + 2]);
	if (s < 0)
		return -1;
	*o = mk(OJIT_BPF_STX | OJIT_BPF_ATOMIC | (w32 ? OJIT_BPF_W : OJIT_BPF_DW), r, s, off, imm);
	return 1;
}

static int enc_jmp(struct asm_ctx *c, char **tok, int n, int pc, struct ojit_bpf_insn *o)
{
	const char *m = tok[0];
	size_t len = strlen(m);
	int w32 = len > 2 && !strcmp(m + len - 2, "32"), dst, src, off;
	const struct mnemonic *op;

	if (!strcmp(m, "exit")) {
		*o = mk(OJIT_BPF_JMP | OJIT_BPF_EXIT, 0, 0, 0, 0);
		return 1;
	}
	if (!strcmp(m, "call")) {
		if (n > 2 && !strcmp(tok[1], "local")) {
			if (target(c, tok[2], pc, &off))
				return -1;
			*o = mk(OJIT_BPF_JMP | OJIT_BPF_CALL, 0, OJIT_BPF_PSEUDO_CALL, 0, off);
			return 1;
		}
		*o = mk(OJIT_BPF_JMP | OJIT_BPF_CALL, 0, 0, 0, (int32_t)num(tok[1]));
		return 1;
	}
	if (!strcmp(m, "ja") || !strcmp(m, "ja32")) {
		if (n < 2 || target(c, tok[1], pc, &off))
			return -1;
		*o = w32 ? mk(OJIT_BPF_JMP32 | OJIT_BPF_JA, 0, 0, 0, off)
			 : mk(OJIT_BPF_JMP | OJIT_BPF_JA, 0, 0, off, 0);
		return 1;
	}
	op = find(jmp_ops, sizeof(jmp_ops) / sizeof(jmp_ops[0]), m, w32 ? len - 2 : len);
	if (!op)
		return 0;
	if (n < 4)
		return fail(c, "missing operand", m);
	dst = reg(c, tok[1]);
	if (dst < 0 || target(c, tok[3], pc, &off))
		return -1;
	*o = mk((w32 ? OJIT_BPF_JMP32 : OJIT_BPF_JMP) | op->code, dst, 0, off, 0);
	if (is_reg(tok[2])) {
		src = reg(c, tok[2]);
		if (src < 0)
			return -1;
		o->code |= OJIT_BPF_X;
		o->src_reg = (uint8_t)src;
	} else {
		o->imm = (int32_t)num(tok[2]);
	}
	return 1;
}

/* Split "op a, b, c" into tokens; returns the count */
static int tokenize(char *line, char **tok)
{
	int n = 0;
	char *p = strtok(line, " \t,");

	while (p && n < MAX_TOKENS) {
		tok[n++] = p;
		p = strtok(NULL, " \t,");
	}
	return n;
}

static int encode(struct asm_ctx *c, char **tok, int n, int pc, struct ojit_bpf_insn *o)
{
	int k;

	if (!strcmp(tok[0], "lock"))
		return enc_lock(c, tok, n, o);
	k = enc_mem(c, tok, n, o);
	if (!k)
		k = enc_jmp(c, tok, n, pc, o);
	if (!k)
		k = enc_alu(c, tok, n, o);
	if (!k)
		return fail(c, "unknown instruction", tok[0]);
	return k;
}

static int width_of(char **tok)
{
	return !strcmp(tok[0], "lddw") ? 2 : 1;
}

int bpf_asm(const char *text, struct ojit_bpf_insn *out, int max, char *err,
	    size_t err_size)
{
	struct asm_ctx c = { .err = err, .err_size = err_size, .last_exit = -1 };
	char line[256], *tok[MAX_TOKENS];
	int pass, pc, n, k;
	const char *p, *nl;

	for (pass = 0; pass < 2; pass++) {
		pc = 0;
		c.line = 0;
		for (p = text; *p; p = *nl ? nl + 1 : nl) {
			nl = strchr(p, '\n');
			if (!nl)
				nl = p + strlen(p);
			c.line++;
			snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
			line[strcspn(line, "#")] = 0;
			n = tokenize(line, tok);
			if (!n)
				continue;
			k = (int)strlen(tok[0]);
			if (tok[0][k - 1] == ':') {
				if (!pass && c.n_labels < MAX_LABELS) {
					snprintf(c.labels[c.n_labels].name, 32, "%.*s", k - 1, tok[0]);
					c.labels[c.n_labels++].pc = pc;
				}
				continue;
			}
			if (!pass) {
				if (!strcmp(tok[0], "exit"))
					c.last_exit = pc;
				pc += width_of(tok);
				continue;
			}
			if (pc + 2 > max)
				return fail(&c, "program too long", tok[0]);
			k = encode(&c, tok, n, pc, &out[pc]);
			if (k < 0)
				return -1;
			pc += k;
		}
	}
	return pc;
}
