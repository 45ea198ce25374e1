// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Assembler: source text -> image (offnic_image.h).  Mnemonics, suffix
 * meanings and field placement all come from offnic_isa.def (through
 * hw/isa/offnic_isa.h and onm_encode); docs/isa.md has the syntax.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onm_asm.h"
#include "offnic_image.h"

#define MAX_NAME	64

struct label {
	char name[MAX_NAME];
	uint32_t bundle;
};

struct fixup {
	char name[MAX_NAME];
	uint32_t word;		/* index into words */
	int line;
};

struct kconst {
	uint64_t value;
	int32_t map;		/* relocated to this map, or -1 */
};

struct amap {
	char name[MAX_NAME];
	struct offnic_image_map m;
};

/* Growable array of elements of size esz */
struct vec {
	void *p;
	size_t n, cap, esz;
};

struct asm_ctx {
	struct onm_asm_out *out;
	int line;
	uint32_t lanes;
	int lanes_fixed;	/* a bundle was seen: .lanes is final */
	struct offnic_image_hdr hdr;
	uint32_t cur_line;
	struct vec words, consts, maps, labels, fixups, lines;
};

static int vec_push(struct vec *v, const void *e)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		void *p = realloc(v->p, cap * v->esz);

		if (!p)
			return -1;
		v->p = p;
		v->cap = cap;
	}
	memcpy((char *)v->p + v->n++ * v->esz, e, v->esz);
	return 0;
}

#define VEC_AT(v, type, i)	(&((type *)(v).p)[i])

static int err(struct asm_ctx *a, const char *fmt, ...)
{
	struct onm_asm_out *o = a->out;
	int n;
	va_list ap;

	if (o->line)
		return -1;	/* keep the first error */
	o->line = a->line ? a->line : -1;
	n = snprintf(o->msg, sizeof(o->msg), "line %d: ", a->line);
	va_start(ap, fmt);
	vsnprintf(o->msg + n, sizeof(o->msg) - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* ---- operands ---- */

static int parse_u64(struct asm_ctx *a, const char *s, uint64_t *v)
{
	char *end;

	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

	errno = 0;
	*v = strtoull(s, &end, hex ? 16 : 10);
	if (!*s || *end || errno || *s == '-' || *s == '+')
		return err(a, "bad number '%s'", s);
	return 0;
}

/* Signed immediate in [lo, hi]; "-0x10", "+5", "42", "0xffff". */
static int parse_imm(struct asm_ctx *a, const char *s, int64_t lo, int64_t hi,
		     __s64 *v)
{
	int neg = *s == '-';
	uint64_t mag;

	if (*s == '-' || *s == '+')
		s++;
	if (parse_u64(a, s, &mag))
		return -1;
	if (mag > (neg ? (uint64_t)-(lo + 1) + 1 : (uint64_t)hi))
		return err(a, "immediate %s%s out of range [%lld, %lld]",
			   neg ? "-" : "", s, (long long)lo, (long long)hi);
	*v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return 0;
}

static int parse_reg(struct asm_ctx *a, const char *s, uint8_t *r)
{
	uint64_t v;
	char *end;

	if (s[0] != 'p' || !isdigit((unsigned char)s[1]))
		return err(a, "expected a register p0..p31, got '%s'", s);
	v = strtoull(s + 1, &end, 10);
	if (*end || v >= ONM_ISA_NUM_REGS)
		return err(a, "unknown register '%s'", s);
	*r = (uint8_t)v;
	return 0;
}

/* Operand B: a register (i = 0) or an immediate (i = 1). */
static int parse_b(struct asm_ctx *a, const char *s, struct onm_ufields *f,
		   int64_t lo, int64_t hi)
{
	if (s[0] == 'p')
		return parse_reg(a, s, &f->rb);
	f->i = 1;
	return parse_imm(a, s, lo, hi, &f->imm);
}

/* "[pN]", "[pN+imm]", "[pN-imm]" */
static int parse_mem(struct asm_ctx *a, char *s, struct onm_ufields *f)
{
	size_t n = strlen(s);
	char *op;

	if (n < 3 || s[0] != '[' || s[n - 1] != ']')
		return err(a, "expected [pN+offset], got '%s'", s);
	s[n - 1] = '\0';
	s++;
	op = strpbrk(s, "+-");
	f->imm = 0;
	if (op) {
		char sign = *op;

		*op = '\0';
		if (parse_imm(a, trim(op + 1), 0, (int64_t)1 << 31, &f->imm))
			return -1;
		if (sign == '-')
			f->imm = -f->imm;
		if (f->imm > INT32_MAX)
			return err(a, "offset out of range");
	}
	return parse_reg(a, trim(s), &f->ra);
}

static int find_map(struct asm_ctx *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->maps.n; i++) {
		char num[24];

		snprintf(num, sizeof(num), "map%zu", i);
		if (!strcmp(name, num) ||
		    !strcmp(name, VEC_AT(a->maps, struct amap, i)->name))
			return (int)i;
	}
	return err(a, "unknown map '%%%s'", name);
}

static int add_const(struct asm_ctx *a, uint64_t value, int32_t map)
{
	struct kconst k = { value, map };

	if (vec_push(&a->consts, &k))
		return err(a, "out of memory");
	return (int)a->consts.n - 1;
}

/* ldk operand: "kN", "%map" (shared relocated entry) or "=value". */
static int parse_const(struct asm_ctx *a, const char *s, __s64 *idx)
{
	uint64_t v = 0;
	size_t i;
	int m;

	if (s[0] == 'k')
		return parse_imm(a, s + 1, 0, UINT32_MAX, idx);
	if (s[0] == '%') {
		m = find_map(a, s + 1);
		if (m < 0)
			return -1;
		for (i = 0; i < a->consts.n; i++)
			if (VEC_AT(a->consts, struct kconst, i)->map == m)
				break;
	} else if (s[0] == '=') {
		__s64 sv;

		if (s[1] == '-') {
			if (parse_imm(a, s + 1, INT64_MIN, INT64_MAX, &sv))
				return -1;
			v = (uint64_t)sv;
		} else if (parse_u64(a, s + 1, &v)) {
			return -1;
		}
		m = -1;
		for (i = 0; i < a->consts.n; i++) {
			struct kconst *k = VEC_AT(a->consts, struct kconst, i);

			if (k->map < 0 && k->value == v)
				break;
		}
	} else {
		return err(a, "expected kN, %%map or =value, got '%s'", s);
	}
	if (i == a->consts.n && add_const(a, m < 0 ? v : 0, m) < 0)
		return -1;
	*idx = (int64_t)i;
	return 0;
}

/* Branch/call target: "@label", "@N" or a bundle number. */
static int parse_target(struct asm_ctx *a, const char *s,
			struct onm_ufields *f, const char **label)
{
	__s64 v;

	if (s[0] == '@') {
		if (!s[1] || strlen(s + 1) >= MAX_NAME)
			return err(a, "bad label '%s'", s);
		*label = s + 1;
		return 0;
	}
	if (parse_imm(a, s, 0, 0xffff, &v))
		return -1;
	f->target = (uint32_t)v;
	return 0;
}

/* ---- micro-ops ---- */

static int split_operands(char *s, char **ops, int max)
{
	int n = 0;

	s = trim(s);
	if (!*s)
		return 0;
	while (n < max) {
		char *c = strchr(s, ',');

		if (c)
			*c = '\0';
		ops[n++] = trim(s);
		if (!c)
			return n;
		s = c + 1;
	}
	return -1;
}

static int find_name(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -1;
}

static int size_code(char c)
{
	switch (c) {
	case 'b': return 0;
	case 'h': return 1;
	case 'w': return 2;
	case 'd': return 3;
	}
	return -1;
}

struct suffixes {
	int size;		/* b/h/w/d, -1 if absent */
	int w32, be, sext, fetch;
	const char *named;	/* the cond / aop name */
};

static int parse_suffixes(struct asm_ctx *a, char *sfx, struct suffixes *x,
			  int want_name)
{
	char *tok;

	memset(x, 0, sizeof(*x));
	x->size = -1;
	char *save = NULL;

	for (tok = strtok_r(sfx, ".", &save); tok;
	     tok = strtok_r(NULL, ".", &save)) {
		if (want_name && !x->named) {
			x->named = tok;
		} else if (!strcmp(tok, "32") && !x->w32) {
			x->w32 = 1;
		} else if (!strcmp(tok, "be") && !x->be) {
			x->be = 1;
		} else if (!strcmp(tok, "s") && !x->sext) {
			x->sext = 1;
		} else if (!strcmp(tok, "fetch") && !x->fetch) {
			x->fetch = 1;
		} else if (strlen(tok) == 1 && size_code(tok[0]) >= 0 &&
			   x->size < 0) {
			x->size = size_code(tok[0]);
		} else {
			return err(a, "unexpected suffix '.%s'", tok);
		}
	}
	if (want_name && !x->named)
		return err(a, "missing condition or operation suffix");
	return 0;
}

static int need_ops(struct asm_ctx *a, int n, int want, const char *mn)
{
	if (n != want)
		return err(a, "%s takes %d operands, got %d", mn, want, n);
	return 0;
}

/* R format: operands and suffixes as ISA_RSHAPE says */
static int enc_r(struct asm_ctx *a, struct onm_ufields *f, struct suffixes *x,
		 char **ops, int n, const char *mn)
{
	const struct onm_op_info *info = &onm_op_table[f->op];
	int ext = info->ext_mask != 0;

	if (x->be || x->sext || x->fetch || (x->size >= 0) != ext)
		return err(a, "bad suffixes for %s", mn);
	if ((ext && !(info->ext_mask & (1U << x->size))) ||
	    (x->w32 && !info->w32_ok))
		return err(a, "%s has no such size", mn);
	f->fn = ONM_FN_PUT(0, FN_W32, x->w32);
	if (ext)
		f->fn = ONM_FN_PUT(f->fn, FN_EXT, x->size);
	if (need_ops(a, n, 1 + info->reads_ra + info->reads_b, mn) ||
	    parse_reg(a, ops[0], &f->rd))
		return -1;
	if (info->reads_ra && parse_reg(a, ops[1], &f->ra))
		return -1;
	if (!info->reads_b)
		return 0;
	return parse_b(a, ops[1 + info->reads_ra], f, INT32_MIN, INT32_MAX);
}

static int enc_m(struct asm_ctx *a, struct onm_ufields *f, struct suffixes *x,
		 char **ops, int n, const char *mn)
{
	int ld = f->op == ONM_OP_LD;

	if (x->size < 0 || x->w32 || x->fetch || (x->sext && !ld))
		return err(a, "bad suffixes for %s", mn);
	f->fn = (uint8_t)ONM_GET(ONM_PUT(0, FN_SIZE, x->size) |
				 ONM_PUT(0, FN_BSWAP, x->be) |
				 ONM_PUT(0, FN_SEXT, x->sext), FN);
	if (need_ops(a, n, 2, mn))
		return -1;
	if (ld)
		return parse_reg(a, ops[0], &f->rd) || parse_mem(a, ops[1], f) ? -1 : 0;
	return parse_mem(a, ops[0], f) || parse_reg(a, ops[1], &f->rb) ? -1 : 0;
}

static int enc_a(struct asm_ctx *a, struct onm_ufields *f, struct suffixes *x,
		 char **ops, int n, const char *mn)
{
	int aop = find_name(onm_aop_names, ONM_NUM_AOPS, x->named);

	if (aop < 0)
		return err(a, "unknown atomic operation '%s'", x->named);
	if (aop == ONM_AOP_XCHG || aop == ONM_AOP_CMPXCHG)
		x->fetch = 1;
	if ((x->size != 2 && x->size != 3) || x->w32 || x->be || x->sext)
		return err(a, "atomic needs .w or .d");
	f->fn = (uint8_t)ONM_GET(ONM_PUT(0, FN_AOP, aop) |
				 ONM_PUT(0, FN_FETCH, x->fetch) |
				 ONM_PUT(0, FN_AW32, x->size == 2), FN);
	if (need_ops(a, n, x->fetch ? 3 : 2, mn))
		return -1;
	if (x->fetch && parse_reg(a, ops[0], &f->rd))
		return -1;
	ops += x->fetch;
	return parse_mem(a, ops[0], f) || parse_reg(a, ops[1], &f->rb) ? -1 : 0;
}

static int enc_b(struct asm_ctx *a, struct onm_ufields *f, struct suffixes *x,
		 char **ops, int n, const char **label)
{
	int cond = find_name(onm_cond_names, ONM_NUM_CONDS, x->named);

	if (cond < 0)
		return err(a, "unknown condition '%s'", x->named);
	if (x->size >= 0 || x->be || x->sext || x->fetch)
		return err(a, "bad suffixes for br");
	f->cond = (uint8_t)cond;
	f->w32 = (uint8_t)x->w32;
	if (need_ops(a, n, 3, "br") || parse_reg(a, ops[0], &f->ra) ||
	    parse_b(a, ops[1], f, -(1 << 23), (1 << 23) - 1))
		return -1;
	return parse_target(a, ops[2], f, label);
}

static int enc_other(struct asm_ctx *a, struct onm_ufields *f, char **ops,
		     int n, const char *mn, const char **label)
{
	int h;

	switch (onm_op_table[f->op].fmt) {
	case ONM_FMT_N:
		return need_ops(a, n, 0, mn);
	case ONM_FMT_J:
		if (need_ops(a, n, 1, mn))
			return -1;
		return parse_target(a, ops[0], f, label);
	case ONM_FMT_K:
		if (need_ops(a, n, 2, mn) || parse_reg(a, ops[0], &f->rd))
			return -1;
		return parse_const(a, ops[1], &f->imm);
	case ONM_FMT_X:
		if (need_ops(a, n, 1, mn))
			return -1;
		if (ops[0][0] == 'p')
			return parse_reg(a, ops[0], &f->ra);
		f->i = 1;
		return parse_imm(a, ops[0], INT32_MIN, UINT32_MAX, &f->imm);
	case ONM_FMT_H:
		if (need_ops(a, n, 1, mn))
			return -1;
		for (h = 0; h < ONM_NUM_HELPERS; h++)
			if (onm_helper_table[h].mnemonic &&
			    !strcmp(onm_helper_table[h].mnemonic, ops[0]))
				break;
		if (h == ONM_NUM_HELPERS)
			return err(a, "unknown helper '%s'", ops[0]);
		f->imm = h;
		return 0;
	}
	return err(a, "cannot encode %s", mn);
}

static int find_op(const char *mn)
{
	int op;

	for (op = 0; op < ONM_NUM_OPCODES; op++)
		if (onm_op_table[op].mnemonic &&
		    !strcmp(onm_op_table[op].mnemonic, mn))
			return op;
	return -1;
}

/* One micro-op text -> word; *label is set for a symbolic target. */
static int parse_uop(struct asm_ctx *a, char *s, uint64_t *w,
		     const char **label)
{
	struct onm_ufields f = { 0 };
	struct suffixes x;
	char *ops[4], *mn = s, *sfx;
	int op, n, ret;
	uint8_t fmt;

	*label = NULL;
	s += strcspn(s, " \t");
	if (*s)
		*s++ = '\0';
	if (!strcmp(mn, ".word")) {
		uint64_t v;

		if (parse_u64(a, trim(s), &v))
			return -1;
		*w = v;
		return 0;
	}
	sfx = strchr(mn, '.');
	if (sfx)
		*sfx++ = '\0';
	op = find_op(mn);
	if (op < 0)
		return err(a, "unknown mnemonic '%s'", mn);
	f.op = (uint8_t)op;
	fmt = onm_op_table[op].fmt;
	n = split_operands(s, ops, 4);
	if (n < 0)
		return err(a, "too many operands");
	if (parse_suffixes(a, sfx ? sfx : (char[]){ 0 }, &x,
			   fmt == ONM_FMT_A || fmt == ONM_FMT_B))
		return -1;
	if (fmt == ONM_FMT_R)
		ret = enc_r(a, &f, &x, ops, n, mn);
	else if (fmt == ONM_FMT_M)
		ret = enc_m(a, &f, &x, ops, n, mn);
	else if (fmt == ONM_FMT_A)
		ret = enc_a(a, &f, &x, ops, n, mn);
	else if (fmt == ONM_FMT_B)
		ret = enc_b(a, &f, &x, ops, n, label);
	else if (sfx)
		ret = err(a, "%s takes no suffix", mn);
	else
		ret = enc_other(a, &f, ops, n, mn, label);
	if (ret)
		return -1;
	*w = onm_encode(&f);
	/* what else is illegal (ld.b.be, ld.d.s, ...) the ISA's decoder says */
	if (!onm_uop_legal(*w))
		return err(a, "%s: no such micro-op", mn);
	return 0;
}

/* ---- lines ---- */

static int parse_bundle(struct asm_ctx *a, char *s)
{
	uint64_t words[ONM_ISA_MAX_LANES] = { 0 };
	const char *labels[ONM_ISA_MAX_LANES] = { 0 };
	uint32_t n = 0, l;
	size_t len = strlen(s);
	char *lane;

	if (s[0] == '{') {
		if (s[len - 1] != '}')
			return err(a, "unbalanced braces");
		s[len - 1] = '\0';
		s++;
	}
	a->lanes_fixed = 1;
	char *save = NULL;

	for (lane = strtok_r(s, ";", &save); lane;
	     lane = strtok_r(NULL, ";", &save)) {
		char *t = trim(lane);

		if (n == a->lanes)
			return err(a, "more than %u micro-ops in a bundle",
				   a->lanes);
		if (!*t)
			return err(a, "empty lane");
		if (strlen(t) >= 256)
			return err(a, "micro-op too long");
		{
			char buf[256];
			struct fixup fx;

			strcpy(buf, t);
			if (parse_uop(a, buf, &words[n], &labels[n]))
				return -1;
			if (labels[n]) {
				snprintf(fx.name, sizeof(fx.name), "%s",
					 labels[n]);
				fx.word = (uint32_t)(a->words.n + n);
				fx.line = a->line;
				if (vec_push(&a->fixups, &fx))
					return err(a, "out of memory");
			}
		}
		n++;
	}
	if (!n)
		return err(a, "empty bundle");
	for (l = 0; l < a->lanes; l++)
		if (vec_push(&a->words, &words[l]))
			return err(a, "out of memory");
	if (vec_push(&a->lines, &a->cur_line))
		return err(a, "out of memory");
	return 0;
}

static int is_number(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int define_label(struct asm_ctx *a, const char *name)
{
	uint32_t here = (uint32_t)a->lines.n;
	struct label lb;
	size_t i;

	if (!*name || strlen(name) >= MAX_NAME)
		return err(a, "bad label '@%s'", name);
	if (is_number(name)) {
		if (strtoul(name, NULL, 10) != here)
			return err(a, "label @%s is bundle %u", name, here);
		return 0;
	}
	for (i = 0; i < a->labels.n; i++)
		if (!strcmp(VEC_AT(a->labels, struct label, i)->name, name))
			return err(a, "label @%s defined twice", name);
	snprintf(lb.name, sizeof(lb.name), "%s", name);
	lb.bundle = here;
	return vec_push(&a->labels, &lb) ? err(a, "out of memory") : 0;
}

static int kv(struct asm_ctx *a, const char *tok, const char *key,
	      uint32_t *v)
{
	size_t n = strlen(key);
	__s64 x;

	if (strncmp(tok, key, n) || tok[n] != '=')
		return 0;
	if (parse_imm(a, tok + n + 1, 0, UINT32_MAX, &x))
		return -1;
	*v = (uint32_t)x;
	return 1;
}

static int dir_map(struct asm_ctx *a, char *args)
{
	static const char *const types[] = {
		[OFFNIC_MAP_ARRAY] = "array", [OFFNIC_MAP_HASH] = "hash",
		[OFFNIC_MAP_PERF_EVENT] = "perf_event",
	};
	struct amap m = { 0 };
	char *save = NULL;
	char *tok = strtok_r(args, " \t", &save);
	int t;

	if (tok && find_name(types, 4, tok) < 0) {
		snprintf(m.name, sizeof(m.name), "%s", tok);
		tok = strtok_r(NULL, " \t", &save);
	}
	t = tok ? find_name(types, 4, tok) : -1;
	if (t < 0)
		return err(a, ".map needs a type: array, hash or perf_event");
	m.m.type = (uint32_t)t;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		int r = kv(a, tok, "key", &m.m.key_size);

		r = r ? r : kv(a, tok, "value", &m.m.value_size);
		r = r ? r : kv(a, tok, "entries", &m.m.max_entries);
		r = r ? r : kv(a, tok, "flags", &m.m.flags);
		if (r < 0)
			return -1;
		if (!r)
			return err(a, "unknown .map attribute '%s'", tok);
	}
	return vec_push(&a->maps, &m) ? err(a, "out of memory") : 0;
}

static int dir_const(struct asm_ctx *a, char *arg)
{
	__s64 sv;
	uint64_t v;
	int m;

	if (arg[0] == '%') {
		m = find_map(a, arg + 1);
		return m < 0 ? -1 : (add_const(a, 0, m) < 0 ? -1 : 0);
	}
	if (arg[0] == '-') {
		if (parse_imm(a, arg, INT64_MIN, INT64_MAX, &sv))
			return -1;
		v = (uint64_t)sv;
	} else if (parse_u64(a, arg, &v)) {
		return -1;
	}
	return add_const(a, v, -1) < 0 ? -1 : 0;
}

static int dir_number(struct asm_ctx *a, const char *arg, uint32_t max,
		      uint32_t *v)
{
	__s64 x;

	if (parse_imm(a, arg, 0, max, &x))
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int directive(struct asm_ctx *a, char *s)
{
	char *arg = s + strcspn(s, " \t");

	if (*arg)
		*arg++ = '\0';
	arg = trim(arg);
	if (!strcmp(s, ".lanes")) {
		if (a->lanes_fixed)
			return err(a, ".lanes must come before the first bundle");
		if (dir_number(a, arg, ONM_ISA_MAX_LANES, &a->lanes))
			return -1;
		return a->lanes ? 0 : err(a, ".lanes must be 1..%d",
					  ONM_ISA_MAX_LANES);
	}
	if (!strcmp(s, ".prog")) {
		if (!strcmp(arg, "xdp"))
			a->hdr.prog_type = OFFNIC_PROG_XDP;
		else if (!strcmp(arg, "tc"))
			a->hdr.prog_type = OFFNIC_PROG_TC;
		else
			return err(a, ".prog is xdp or tc");
		return 0;
	}
	if (!strcmp(s, ".stack"))
		return dir_number(a, arg, ONM_ISA_STACK_BYTES,
				  &a->hdr.stack_size);
	if (!strcmp(s, ".insns"))
		return dir_number(a, arg, UINT32_MAX, &a->hdr.bpf_insns);
	if (!strcmp(s, ".lines")) {
		a->hdr.flags |= OFFNIC_IMG_F_LINES;
		return 0;
	}
	if (!strcmp(s, ".line"))
		return dir_number(a, arg, UINT32_MAX, &a->cur_line);
	if (!strcmp(s, ".map"))
		return dir_map(a, arg);
	if (!strcmp(s, ".const"))
		return dir_const(a, arg);
	return err(a, "unknown directive '%s'", s);
}

static void strip_comment(char *s)
{
	char *c = strchr(s, '#');
	char *d = strstr(s, "//");

	if (d && (!c || d < c))
		c = d;
	if (c)
		*c = '\0';
}

static int parse_line(struct asm_ctx *a, char *s)
{
	strip_comment(s);
	s = trim(s);
	while (s[0] == '@') {
		char *colon = strchr(s, ':');
		char *sp = s + 1 + strcspn(s + 1, " \t;{");

		if (!colon || colon > sp)
			return err(a, "label definition needs a ':'");
		*colon = '\0';
		if (define_label(a, s + 1))
			return -1;
		s = trim(colon + 1);
	}
	if (!*s)
		return 0;
	if (s[0] == '.' && strncmp(s, ".word", 5))
		return directive(a, s);
	return parse_bundle(a, s);
}

/* ---- image ---- */

static int resolve_fixups(struct asm_ctx *a)
{
	size_t i, j;

	for (i = 0; i < a->fixups.n; i++) {
		struct fixup *fx = VEC_AT(a->fixups, struct fixup, i);
		uint64_t *w = VEC_AT(a->words, uint64_t, fx->word);
		uint64_t target;

		a->line = fx->line;
		if (is_number(fx->name)) {
			target = strtoull(fx->name, NULL, 10);
		} else {
			for (j = 0; j < a->labels.n; j++)
				if (!strcmp(VEC_AT(a->labels, struct label, j)->name,
					    fx->name))
					break;
			if (j == a->labels.n)
				return err(a, "undefined label @%s", fx->name);
			target = VEC_AT(a->labels, struct label, j)->bundle;
		}
		if (target > 0xffff)
			return err(a, "target @%s beyond bundle 65535", fx->name);
		*w = ONM_PUT(*w, B_TARGET, target);
	}
	return 0;
}

static int build_image(struct asm_ctx *a)
{
	struct offnic_image_hdr hdr = a->hdr, *h;
	struct offnic_image_reloc *r;
	struct offnic_image_map *m;
	uint64_t *k;
	size_t i, n_relocs = 0, len;
	char *p;

	for (i = 0; i < a->consts.n; i++)
		n_relocs += VEC_AT(a->consts, struct kconst, i)->map >= 0;
	hdr.magic = OFFNIC_IMG_MAGIC;
	hdr.version = OFFNIC_IMG_VERSION;
	hdr.lanes = a->lanes;
	hdr.n_bundles = (uint32_t)a->lines.n;
	hdr.n_consts = (uint32_t)a->consts.n;
	hdr.n_relocs = (uint32_t)n_relocs;
	hdr.n_maps = (uint32_t)a->maps.n;
	len = offnic_image_need(&hdr);
	p = calloc(1, len);
	if (!p)
		return err(a, "out of memory");
	h = (void *)p;
	*h = hdr;
	memcpy(h + 1, a->words.p, 8 * a->words.n);
	k = (void *)(p + offnic_image_consts_off(h));
	r = (void *)(p + offnic_image_relocs_off(h));
	for (i = 0; i < a->consts.n; i++) {
		struct kconst *c = VEC_AT(a->consts, struct kconst, i);

		k[i] = c->value;
		if (c->map >= 0) {
			r->const_idx = (uint32_t)i;
			r->map_idx = (uint32_t)c->map;
			r++;
		}
	}
	m = (void *)(p + offnic_image_maps_off(h));
	for (i = 0; i < a->maps.n; i++)
		*m++ = VEC_AT(a->maps, struct amap, i)->m;
	if (h->flags & OFFNIC_IMG_F_LINES)
		memcpy(p + offnic_image_lines_off(h), a->lines.p, 4 * a->lines.n);
	a->out->img = p;
	a->out->len = len;
	return 0;
}

static void ctx_free(struct asm_ctx *a)
{
	free(a->words.p);
	free(a->consts.p);
	free(a->maps.p);
	free(a->labels.p);
	free(a->fixups.p);
	free(a->lines.p);
}

int onm_asm(const char *src, struct onm_asm_out *out)
{
	struct asm_ctx a = {
		.out = out, .lanes = ONM_ISA_REF_LANES,
		.hdr.prog_type = OFFNIC_PROG_XDP,
		.words.esz = 8, .consts.esz = sizeof(struct kconst),
		.maps.esz = sizeof(struct amap),
		.labels.esz = sizeof(struct label),
		.fixups.esz = sizeof(struct fixup), .lines.esz = 4,
	};
	char *copy = strdup(src), *line, *next;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!copy)
		return err(&a, "out of memory");
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		a.line++;
		if (parse_line(&a, line))
			goto out;
	}
	a.line = 0;
	if (!a.lines.n) {
		err(&a, "no bundles");
		goto out;
	}
	if (resolve_fixups(&a))
		goto out;
	a.line = 0;
	ret = build_image(&a);
out:
	free(copy);
	ctx_free(&a);
	return ret;
}

void onm_asm_free(struct onm_asm_out *out)
{
	free(out->img);
	out->img = NULL;
	out->len = 0;
}

int onm_asm_uop(const char *text, uint64_t *w, char *msg, size_t size)
{
	struct onm_asm_out out = { 0 };
	struct asm_ctx a = { .out = &out, .lanes = 1, .line = 1,
			     .consts.esz = sizeof(struct kconst),
			     .maps.esz = sizeof(struct amap) };
	const char *label;
	char buf[256];
	int ret;

	snprintf(buf, sizeof(buf), "%s", text);
	ret = parse_uop(&a, trim(buf), w, &label);
	if (!ret && label && is_number(label) &&
	    strtoull(label, NULL, 10) <= 0xffff)
		*w = ONM_PUT(*w, B_TARGET, strtoull(label, NULL, 10));
	else if (!ret && label && is_number(label))
		ret = err(&a, "target @%s beyond bundle 65535", label);
	else if (!ret && label)
		ret = err(&a, "labels need a whole program");
	if (!ret && a.consts.n)
		ret = err(&a, "%%map and =const need a whole program");
	if (ret && msg && size)
		snprintf(msg, size, "%s", out.msg);
	free(a.consts.p);
	free(a.maps.p);
	return ret;
}
