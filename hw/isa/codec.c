// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The one encoder, decoder and disassembler of the ISA, driven by the
 * tables generated from offnic_isa.def.  No libc: a tiny formatter
 * writes into the caller's buffer, so the kernel module links it too.
 *
 * Legality is decided by re-encoding: the fields a micro-op's text shows
 * are encoded again and must give back the word, so any stray bit makes
 * the word illegal (it prints as ".word").  The reference model's
 * decoder applies the same rule independently; the tests compare them.
 */
#include "offnic_isa.h"
#include "../include/offnic_image.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_s(struct out *o, const char *s)
{
	while (*s)
		put_c(o, *s++);
}

static void put_u(struct out *o, __u64 v, unsigned int base)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16)
		put_s(o, "0x");
	while (n)
		put_c(o, tmp[--n]);
}

/* Small magnitudes in decimal, the rest in hex; the sign always leads. */
static void put_imm(struct out *o, __s64 v)
{
	__u64 mag = v < 0 ? -(__u64)v : (__u64)v;

	if (v < 0)
		put_c(o, '-');
	put_u(o, mag, mag < 4096 ? 10 : 16);
}

static void put_reg(struct out *o, unsigned int r)
{
	put_c(o, 'p');
	put_u(o, r, 10);
}

static size_t finish(struct out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len;
}

__u64 onm_encode(const struct onm_ufields *f)
{
	__u64 w = ONM_PUT(0, OPCODE, f->op);

	switch (onm_op_table[f->op].fmt) {
	case ONM_FMT_N:
		return w;
	case ONM_FMT_J:
		return ONM_PUT(w, B_TARGET, f->target);
	case ONM_FMT_B:
		w = ONM_PUT(w, B_COND, f->cond);
		w = ONM_PUT(w, B_W32, f->w32);
		w = ONM_PUT(w, RA, f->ra);
		w = ONM_PUT(w, RB, f->rb);
		w = ONM_PUT(w, I, f->i);
		w = ONM_PUT(w, B_TARGET, f->target);
		return ONM_PUT(w, B_IMM24, (__u64)f->imm);
	default:
		w = ONM_PUT(w, RD, f->rd);
		w = ONM_PUT(w, RA, f->ra);
		w = ONM_PUT(w, RB, f->rb);
		w = ONM_PUT(w, I, f->i);
		w = ONM_PUT(w, FN, f->fn);
		return ONM_PUT(w, IMM32, (__u64)f->imm);
	}
}

static const char size_suffix[4] = { 'b', 'h', 'w', 'd' };

/* The fn byte of a word that has only fn sub-fields set. */
static __u8 fn_of(__u64 w)
{
	return (__u8)ONM_GET(w, FN);
}

static void put_suffix(struct out *o, char c)
{
	put_c(o, '.');
	put_c(o, c);
}

/* Operand B: the immediate when i is set, else rb. */
static void put_b(struct out *o, __u64 w, struct onm_ufields *f,
		  int b_format)
{
	f->i = (__u8)ONM_GET(w, I);
	if (!f->i) {
		f->rb = (__u8)ONM_GET(w, RB);
		put_reg(o, f->rb);
	} else if (b_format) {
		f->imm = (__s64)(ONM_GET(w, B_IMM24) << 40) >> 40;
		put_imm(o, f->imm);
	} else {
		f->imm = (__s32)(__u32)ONM_GET(w, IMM32);
		put_imm(o, f->imm);
	}
}

static void put_mem(struct out *o, __u64 w, struct onm_ufields *f)
{
	f->ra = (__u8)ONM_GET(w, RA);
	f->imm = (__s32)(__u32)ONM_GET(w, IMM32);
	put_c(o, '[');
	put_reg(o, f->ra);
	if (f->imm) {
		put_c(o, f->imm < 0 ? '-' : '+');
		put_imm(o, f->imm < 0 ? -f->imm : f->imm);
	}
	put_c(o, ']');
}

/* R format: operands and sub-fields as ISA_RSHAPE says */
static int dis_r(struct out *o, __u64 w, struct onm_ufields *f)
{
	const struct onm_op_info *info = &onm_op_table[f->op];
	unsigned int ext = (unsigned int)ONM_GET(w, FN_EXT);
	unsigned int w32 = (unsigned int)ONM_GET(w, FN_W32);

	if (w32 && !info->w32_ok)
		return -1;
	f->fn = ONM_FN_PUT(0, FN_W32, w32);
	if (info->ext_mask) {
		if (!(info->ext_mask & (1U << ext)))
			return -1;
		put_suffix(o, size_suffix[ext]);
		f->fn = ONM_FN_PUT(f->fn, FN_EXT, ext);
	}
	if (w32)
		put_s(o, ".32");
	put_c(o, ' ');
	f->rd = (__u8)ONM_GET(w, RD);
	put_reg(o, f->rd);
	if (info->reads_ra) {
		f->ra = (__u8)ONM_GET(w, RA);
		put_s(o, ", ");
		put_reg(o, f->ra);
	}
	if (info->reads_b) {
		put_s(o, ", ");
		put_b(o, w, f, 0);
	}
	return 0;
}

static int dis_m(struct out *o, __u64 w, struct onm_ufields *f)
{
	unsigned int size = (unsigned int)ONM_GET(w, FN_SIZE);
	unsigned int bswap = (unsigned int)ONM_GET(w, FN_BSWAP);
	unsigned int sext = (unsigned int)ONM_GET(w, FN_SEXT);
	int ld = f->op == ONM_OP_LD;

	if ((bswap && size == 0) || (sext && (!ld || size == 3)))
		return -1;
	put_suffix(o, size_suffix[size]);
	if (bswap)
		put_s(o, ".be");
	if (sext)
		put_s(o, ".s");
	f->fn = fn_of(ONM_PUT(0, FN_SIZE, size) | ONM_PUT(0, FN_BSWAP, bswap) |
		      ONM_PUT(0, FN_SEXT, sext));
	put_c(o, ' ');
	if (ld) {
		f->rd = (__u8)ONM_GET(w, RD);
		put_reg(o, f->rd);
		put_s(o, ", ");
		put_mem(o, w, f);
		return 0;
	}
	put_mem(o, w, f);
	put_s(o, ", ");
	f->rb = (__u8)ONM_GET(w, RB);
	put_reg(o, f->rb);
	return 0;
}

static int dis_a(struct out *o, __u64 w, struct onm_ufields *f)
{
	unsigned int aop = (unsigned int)ONM_GET(w, FN_AOP);
	unsigned int fetch = (unsigned int)ONM_GET(w, FN_FETCH);
	unsigned int aw32 = (unsigned int)ONM_GET(w, FN_AW32);
	int always = aop == ONM_AOP_XCHG || aop == ONM_AOP_CMPXCHG;

	if (aop >= ONM_NUM_AOPS || !onm_aop_names[aop] || (always && !fetch))
		return -1;
	put_c(o, '.');
	put_s(o, onm_aop_names[aop]);
	if (fetch && !always)
		put_s(o, ".fetch");
	put_suffix(o, aw32 ? 'w' : 'd');
	f->fn = fn_of(ONM_PUT(0, FN_AOP, aop) | ONM_PUT(0, FN_FETCH, fetch) |
		      ONM_PUT(0, FN_AW32, aw32));
	put_c(o, ' ');
	if (fetch) {
		f->rd = (__u8)ONM_GET(w, RD);
		put_reg(o, f->rd);
		put_s(o, ", ");
	}
	put_mem(o, w, f);
	put_s(o, ", ");
	f->rb = (__u8)ONM_GET(w, RB);
	put_reg(o, f->rb);
	return 0;
}

static void put_target(struct out *o, __u32 target)
{
	put_c(o, '@');
	put_u(o, target, 10);
}

static int dis_b(struct out *o, __u64 w, struct onm_ufields *f)
{
	f->cond = (__u8)ONM_GET(w, B_COND);
	f->w32 = (__u8)ONM_GET(w, B_W32);
	if (!onm_cond_names[f->cond])
		return -1;
	put_c(o, '.');
	put_s(o, onm_cond_names[f->cond]);
	if (f->w32)
		put_s(o, ".32");
	put_c(o, ' ');
	f->ra = (__u8)ONM_GET(w, RA);
	put_reg(o, f->ra);
	put_s(o, ", ");
	put_b(o, w, f, 1);
	put_s(o, ", ");
	f->target = (__u32)ONM_GET(w, B_TARGET);
	put_target(o, f->target);
	return 0;
}

static int dis_other(struct out *o, __u64 w, struct onm_ufields *f)
{
	switch (onm_op_table[f->op].fmt) {
	case ONM_FMT_N:
		return 0;
	case ONM_FMT_J:
		f->target = (__u32)ONM_GET(w, B_TARGET);
		put_c(o, ' ');
		put_target(o, f->target);
		return 0;
	case ONM_FMT_K:
		f->rd = (__u8)ONM_GET(w, RD);
		f->imm = (__s32)(__u32)ONM_GET(w, IMM32);
		put_c(o, ' ');
		put_reg(o, f->rd);
		put_s(o, ", k");
		put_u(o, (__u32)f->imm, 10);
		return 0;
	case ONM_FMT_X:
		put_c(o, ' ');
		f->i = (__u8)ONM_GET(w, I);
		if (f->i) {
			f->imm = (__s32)(__u32)ONM_GET(w, IMM32);
			put_imm(o, f->imm);
		} else {
			f->ra = (__u8)ONM_GET(w, RA);
			put_reg(o, f->ra);
		}
		return 0;
	case ONM_FMT_H:
		f->imm = (__s32)(__u32)ONM_GET(w, IMM32);
		if ((__u64)f->imm >= ONM_NUM_HELPERS ||
		    !onm_helper_table[f->imm].mnemonic)
			return -1;
		put_c(o, ' ');
		put_s(o, onm_helper_table[f->imm].mnemonic);
		return 0;
	}
	return -1;
}

static int dis_fmt(struct out *o, __u64 w, struct onm_ufields *f)
{
	switch (onm_op_table[f->op].fmt) {
	case ONM_FMT_R:
		return dis_r(o, w, f);
	case ONM_FMT_M:
		return dis_m(o, w, f);
	case ONM_FMT_A:
		return dis_a(o, w, f);
	case ONM_FMT_B:
		return dis_b(o, w, f);
	}
	return dis_other(o, w, f);
}

/* Text of a legal word into o; -1 (o partly written) if not legal. */
static int dis_uop(struct out *o, __u64 w, struct onm_ufields *f)
{
	*f = (struct onm_ufields){ 0 };
	f->op = (__u8)ONM_GET(w, OPCODE);
	if (!onm_op_table[f->op].mnemonic)
		return -1;
	put_s(o, onm_op_table[f->op].mnemonic);
	if (dis_fmt(o, w, f))
		return -1;
	return onm_encode(f) == w ? 0 : -1;
}

int onm_decode(__u64 w, struct onm_ufields *f)
{
	char tmp[1];
	struct out o = { tmp, 0, 0 };

	return dis_uop(&o, w, f);
}

int onm_uop_legal(__u64 w)
{
	struct onm_ufields f;

	return onm_decode(w, &f) == 0;
}

#define REG(r)		(1U << (r))

/* Operand B's register, when it is not the immediate */
static __u32 reads_b(const struct onm_ufields *f)
{
	return f->i ? 0 : REG(f->rb);
}

__u32 onm_uop_reads(const struct onm_ufields *f)
{
	switch (onm_op_table[f->op].fmt) {
	case ONM_FMT_R:
		return (onm_op_table[f->op].reads_ra ? REG(f->ra) : 0) |
		       (onm_op_table[f->op].reads_b ? reads_b(f) : 0);
	case ONM_FMT_M:
		return REG(f->ra) | (f->op == ONM_OP_ST ? REG(f->rb) : 0);
	case ONM_FMT_A:
		/* CMPXCHG compares with rd */
		return REG(f->ra) | REG(f->rb) |
		       (ONM_FN_GET(f->fn, FN_AOP) == ONM_AOP_CMPXCHG ? REG(f->rd) : 0);
	case ONM_FMT_B:
		return REG(f->ra) | reads_b(f);
	case ONM_FMT_X:
		return f->i ? 0 : REG(f->ra);
	case ONM_FMT_H:
		return REG(1) | REG(2) | REG(3) | REG(4) | REG(5);
	}
	return 0;
}

int onm_uop_writes_rd(const struct onm_ufields *f)
{
	switch (onm_op_table[f->op].fmt) {
	case ONM_FMT_R:
	case ONM_FMT_K:
	case ONM_FMT_H:
		return 1;
	case ONM_FMT_M:
		return f->op == ONM_OP_LD;
	case ONM_FMT_A:
		return ONM_FN_GET(f->fn, FN_FETCH);
	}
	return 0;
}

static void put_uop(struct out *o, __u64 w)
{
	size_t start = o->len;
	struct onm_ufields f;

	if (dis_uop(o, w, &f) == 0)
		return;
	o->len = start;
	put_s(o, ".word ");
	put_u(o, w, 16);
}

size_t onm_disasm_uop(__u64 w, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };

	put_uop(&o, w);
	return finish(&o);
}

size_t onm_disasm_bundle(const void *bundle, __u32 lanes, char *buf,
			 size_t size)
{
	const __u64 *words = bundle;
	struct out o = { buf, size, 0 };
	__u32 n = lanes, l;

	while (n > 1 && !words[n - 1])
		n--;
	for (l = 0; l < n; l++) {
		if (l)
			put_s(&o, " ; ");
		put_uop(&o, words[l]);
	}
	return finish(&o);
}

/* ---- images ---- */

#define LINE_MAX_CHARS	(ONM_ISA_MAX_LANES * 48 + 32)

struct img_view {
	const struct offnic_image_hdr *h;
	const __u64 *words;
	const __u64 *consts;
	const struct offnic_image_reloc *relocs;
	const struct offnic_image_map *maps;
	const __u32 *lines;
};

static int view_image(const void *img, size_t len, struct img_view *v)
{
	const struct offnic_image_hdr *h = img;

	if (len < sizeof(*h) || h->magic != OFFNIC_IMG_MAGIC ||
	    h->version != OFFNIC_IMG_VERSION || !h->lanes ||
	    h->lanes > ONM_ISA_MAX_LANES || offnic_image_need(h) > len)
		return -1;
	v->h = h;
	v->words = offnic_image_words(h);
	v->consts = offnic_image_consts(h);
	v->relocs = offnic_image_relocs(h);
	v->maps = offnic_image_maps(h);
	v->lines = offnic_image_lines(h);
	return 0;
}

static const char *const map_type_names[] = {
	[OFFNIC_MAP_ARRAY] = "array",
	[OFFNIC_MAP_HASH] = "hash",
	[OFFNIC_MAP_PERF_EVENT] = "perf_event",
};

static void put_kv(struct out *o, const char *key, __u64 v)
{
	put_c(o, ' ');
	put_s(o, key);
	put_c(o, '=');
	put_u(o, v, 10);
}

static void put_map(struct out *o, const struct offnic_image_map *m)
{
	put_s(o, ".map ");
	if (m->type < 4 && m->type && map_type_names[m->type])
		put_s(o, map_type_names[m->type]);
	else
		put_u(o, m->type, 10);
	put_kv(o, "key", m->key_size);
	put_kv(o, "value", m->value_size);
	put_kv(o, "entries", m->max_entries);
	if (m->flags)
		put_kv(o, "flags", m->flags);
}

/* Map of const entry c, or -1: the last reloc naming it wins. */
static __s64 reloc_of(const struct img_view *v, __u32 c)
{
	__s64 map = -1;
	__u32 i;

	for (i = 0; i < v->h->n_relocs; i++)
		if (v->relocs[i].const_idx == c)
			map = v->relocs[i].map_idx;
	return map;
}

static void put_const(struct out *o, const struct img_view *v, __u32 c)
{
	__s64 map = reloc_of(v, c);

	put_s(o, ".const ");
	if (map < 0) {
		put_u(o, v->consts[c], 16);
		return;
	}
	put_s(o, "%map");
	put_u(o, (__u64)map, 10);
}

static int emit_line(struct out *o, onm_emit_fn emit, void *arg)
{
	finish(o);
	o->len = 0;
	return emit(arg, o->buf);
}

static int emit_header(struct out *o, const struct img_view *v,
		       onm_emit_fn emit, void *arg)
{
	const struct offnic_image_hdr *h = v->h;
	__u32 i;
	int ret;

	put_s(o, ".lanes ");
	put_u(o, h->lanes, 10);
	ret = emit_line(o, emit, arg);
	put_s(o, h->prog_type == OFFNIC_PROG_TC ? ".prog tc" : ".prog xdp");
	ret = ret ? ret : emit_line(o, emit, arg);
	put_s(o, ".stack ");
	put_u(o, h->stack_size, 10);
	ret = ret ? ret : emit_line(o, emit, arg);
	put_s(o, ".insns ");
	put_u(o, h->bpf_insns, 10);
	ret = ret ? ret : emit_line(o, emit, arg);
	if (h->flags & OFFNIC_IMG_F_LINES) {
		put_s(o, ".lines");
		ret = ret ? ret : emit_line(o, emit, arg);
	}
	for (i = 0; !ret && i < h->n_maps; i++) {
		put_map(o, &v->maps[i]);
		ret = emit_line(o, emit, arg);
	}
	for (i = 0; !ret && i < h->n_consts; i++) {
		put_const(o, v, i);
		ret = emit_line(o, emit, arg);
	}
	return ret;
}

int onm_disasm_image(const void *img, size_t len, onm_emit_fn emit,
		     void *arg)
{
	char line[LINE_MAX_CHARS];
	struct out o = { line, sizeof(line), 0 };
	struct img_view v;
	__u32 b, prev_line = 0;
	int ret;

	if (view_image(img, len, &v))
		return -1;
	if (v.h->prog_type != OFFNIC_PROG_XDP && v.h->prog_type != OFFNIC_PROG_TC)
		return -1;
	ret = emit_header(&o, &v, emit, arg);
	for (b = 0; !ret && b < v.h->n_bundles; b++) {
		if (v.lines && v.lines[b] != prev_line) {
			prev_line = v.lines[b];
			put_s(&o, ".line ");
			put_u(&o, prev_line, 10);
			ret = emit_line(&o, emit, arg);
			if (ret)
				break;
		}
		put_s(&o, "@");
		put_u(&o, b, 10);
		put_s(&o, ":\t");
		o.len += onm_disasm_bundle(v.words + (size_t)b * v.h->lanes,
					   v.h->lanes, line + o.len,
					   sizeof(line) - o.len);
		ret = emit_line(&o, emit, arg);
	}
	return ret;
}
