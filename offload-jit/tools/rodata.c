// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * .rodata folded to constants.  The device has no global data (and 6.1's
 * offload API cannot express direct map-value access), but most reads of
 * .rodata are loads at a constant offset from the section's address: the
 * loaded value is known when the program is loaded.  Each such load
 * becomes a move of the constant, and the LD_IMM64 that took the address
 * becomes a plain 0, so nothing left refers to the section.
 *
 * Which register holds which .rodata address is found by a forward
 * dataflow over the instructions (states joined where paths meet).  A
 * pointer that escapes (passed to a call, stored, returned, compared,
 * offset by a variable) or a load reached with different addresses on
 * different paths cannot be folded: the program is refused with the
 * reason.  The loaders share this: offnic-jit/offnic-run/the corpus on
 * ELF relocations, offnic-load on libbpf's relocated instructions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"
#include "ojit_names.h"

enum ro_kind { RO_NONE, RO_PTR, RO_MIXED };

struct ro_val {
	uint8_t kind;
	uint32_t ref;			/* the LD_IMM64 that took the address */
	int64_t off;			/* from the start of the data */
};

struct ro_state {
	uint8_t seen;
	struct ro_val r[11];
};

struct ro_ctx {
	struct ojit_bpf_insn *insns;
	uint32_t n;
	struct ojit_rodata_ref *refs;	/* per LD_IMM64 insn, bytes == NULL: none */
	struct ro_state *st;
	uint32_t *work;
	uint32_t n_work;
	char *msg;
	size_t msg_size;
};

static int same(const struct ro_ctx *c, const struct ro_val *a, const struct ro_val *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind != RO_PTR)
		return 1;
	return c->refs[a->ref].bytes == c->refs[b->ref].bytes &&
	       c->refs[a->ref].off + a->off == c->refs[b->ref].off + b->off;
}

/* Merge s into the state at insn i; queue i when it changed */
static void flow(struct ro_ctx *c, uint32_t i, const struct ro_state *s)
{
	struct ro_state *d = &c->st[i];
	int changed = 0, r;

	if (i >= c->n)
		return;
	if (!d->seen) {
		*d = *s;
		changed = 1;
	} else {
		for (r = 0; r < 11; r++) {
			if (same(c, &d->r[r], &s->r[r]) || d->r[r].kind == RO_MIXED)
				continue;
			d->r[r].kind = RO_MIXED;
			changed = 1;
		}
	}
	if (changed)
		c->work[c->n_work++] = i;
}

static const char *ref_name(const struct ro_ctx *c, const struct ro_val *v)
{
	return c->refs[v->ref].name ? c->refs[v->ref].name : ".rodata";
}

static int refuse(struct ro_ctx *c, uint32_t i, const struct ro_val *v, const char *why)
{
	if (v->kind == RO_PTR)
		snprintf(c->msg, c->msg_size,
			 "insn %u: reference to %s (insn %u) %s: global data is not supported, only constant loads from .rodata fold",
			 i, ref_name(c, v), v->ref, why);
	else
		snprintf(c->msg, c->msg_size,
			 "insn %u: a register that points to .rodata on some paths only is %s: global data is not supported, only constant loads from .rodata fold",
			 i, why);
	return -EOPNOTSUPP;
}

static int is_ro(const struct ro_val *v)
{
	return v->kind != RO_NONE;
}

static int step_alu(struct ro_ctx *c, uint32_t i, struct ro_state *s)
{
	const struct ojit_bpf_insn *in = &c->insns[i];
	struct ro_val *dst = &s->r[in->dst_reg & 0xf];
	const struct ro_val *src = &s->r[in->src_reg & 0xf];
	int x = OJIT_BPF_SRC(in->code) == OJIT_BPF_X;
	int alu64 = OJIT_BPF_CLASS(in->code) == OJIT_BPF_ALU64;
	uint8_t op = OJIT_BPF_OP(in->code);

	if (op == OJIT_BPF_MOV && alu64 && x && !in->off) {
		*dst = *src;
		return 0;
	}
	if (op == OJIT_BPF_MOV) {
		if (x && is_ro(src))
			return refuse(c, i, src, "copied to 32 bits");
		dst->kind = RO_NONE;
		return 0;
	}
	if (x && is_ro(src))
		return refuse(c, i, src, "used in arithmetic (a variable offset)");
	if (!is_ro(dst))
		return 0;
	if (alu64 && !x && dst->kind == RO_PTR && (op == OJIT_BPF_ADD || op == OJIT_BPF_SUB)) {
		dst->off += op == OJIT_BPF_ADD ? in->imm : -(int64_t)in->imm;
		return 0;
	}
	return refuse(c, i, dst, x && op == OJIT_BPF_ADD ? "offset by a variable" :
		      "used in arithmetic");
}

static int step_mem(struct ro_ctx *c, uint32_t i, struct ro_state *s)
{
	const struct ojit_bpf_insn *in = &c->insns[i];
	uint8_t cls = OJIT_BPF_CLASS(in->code);
	struct ro_val *dst = &s->r[in->dst_reg & 0xf];
	const struct ro_val *src = &s->r[in->src_reg & 0xf];

	if (cls == OJIT_BPF_LDX) {
		if (src->kind == RO_MIXED)
			return refuse(c, i, src, "loaded from");
		if (src->kind == RO_PTR && OJIT_BPF_MODE(in->code) != OJIT_BPF_MEM)
			return refuse(c, i, src, "loaded with sign extension");
		dst->kind = RO_NONE;
		return 0;
	}
	if (is_ro(dst))
		return refuse(c, i, dst, "written to (.rodata is read-only)");
	if (cls == OJIT_BPF_STX && is_ro(src))
		return refuse(c, i, src, "stored in memory");
	if (cls == OJIT_BPF_STX && OJIT_BPF_MODE(in->code) == OJIT_BPF_ATOMIC &&
	    (in->imm & OJIT_BPF_FETCH))
		s->r[in->imm == OJIT_BPF_CMPXCHG ? 0 : in->src_reg & 0xf].kind = RO_NONE;
	return 0;
}

static int step_jmp(struct ro_ctx *c, uint32_t i, struct ro_state *s)
{
	const struct ojit_bpf_insn *in = &c->insns[i];
	uint8_t op = OJIT_BPF_OP(in->code);
	int r;

	if (op == OJIT_BPF_CALL) {
		for (r = 1; r <= 5; r++) {
			char why[96];

			if (!is_ro(&s->r[r]))
				continue;
			if (in->src_reg == 0)
				snprintf(why, sizeof(why), "passed to helper %s in r%d",
					 ojit_bpf_helper_name((uint32_t)in->imm) ?: "?", r);
			else
				snprintf(why, sizeof(why), "passed to a function in r%d", r);
			return refuse(c, i, &s->r[r], why);
		}
		for (r = 0; r <= 5; r++)
			s->r[r].kind = RO_NONE;
		return 0;
	}
	if (op == OJIT_BPF_EXIT)
		return is_ro(&s->r[0]) ? refuse(c, i, &s->r[0], "returned") : 0;
	if (op == OJIT_BPF_JA)
		return 0;
	if (is_ro(&s->r[in->dst_reg & 0xf]))
		return refuse(c, i, &s->r[in->dst_reg & 0xf], "compared");
	if (OJIT_BPF_SRC(in->code) == OJIT_BPF_X && is_ro(&s->r[in->src_reg & 0xf]))
		return refuse(c, i, &s->r[in->src_reg & 0xf], "compared");
	return 0;
}

/* Successors of insn i in the state s after it */
static void successors(struct ro_ctx *c, uint32_t i, const struct ro_state *s)
{
	const struct ojit_bpf_insn *in = &c->insns[i];
	uint8_t cls = OJIT_BPF_CLASS(in->code), op = OJIT_BPF_OP(in->code);

	if (in->code == (OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW)) {
		flow(c, i + 2, s);
		return;
	}
	if (cls != OJIT_BPF_JMP && cls != OJIT_BPF_JMP32) {
		flow(c, i + 1, s);
		return;
	}
	if (op == OJIT_BPF_EXIT)
		return;
	if (op == OJIT_BPF_CALL) {
		/* a callee starts with nothing of the caller's (args checked) */
		if (in->src_reg == OJIT_BPF_PSEUDO_CALL) {
			struct ro_state entry = { .seen = 1 };

			flow(c, i + 1 + (uint32_t)in->imm, &entry);
		}
		flow(c, i + 1, s);
		return;
	}
	flow(c, i + 1 + (uint32_t)(int32_t)in->off, s);
	if (op != OJIT_BPF_JA)
		flow(c, i + 1, s);
}

static int transfer(struct ro_ctx *c, uint32_t i, struct ro_state *s)
{
	const struct ojit_bpf_insn *in = &c->insns[i];

	switch (OJIT_BPF_CLASS(in->code)) {
	case OJIT_BPF_LD:
		if (in->code == (OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW)) {
			struct ro_val *d = &s->r[in->dst_reg & 0xf];

			d->kind = c->refs[i].bytes ? RO_PTR : RO_NONE;
			d->ref = i;
			d->off = 0;
		} else {
			int r;

			for (r = 0; r <= 5; r++)
				s->r[r].kind = RO_NONE;
		}
		return 0;
	case OJIT_BPF_LDX:
	case OJIT_BPF_ST:
	case OJIT_BPF_STX:
		return step_mem(c, i, s);
	case OJIT_BPF_ALU:
	case OJIT_BPF_ALU64:
		return step_alu(c, i, s);
	default:
		return step_jmp(c, i, s);
	}
}

static uint64_t read_le(const uint8_t *p, uint32_t size)
{
	uint64_t v = 0;

	while (size--)
		v = v << 8 | p[size];
	return v;
}

static const uint32_t ldx_size[4] = { 4, 2, 1, 8 };

/* Each load through a .rodata pointer becomes a move of its value */
static int rewrite(struct ro_ctx *c, FILE *log)
{
	uint32_t i, folded = 0;

	for (i = 0; i < c->n; i++) {
		struct ojit_bpf_insn *in = &c->insns[i];
		const struct ro_val *v = &c->st[i].r[in->src_reg & 0xf];
		const struct ojit_rodata_ref *ref;
		uint32_t size;
		int64_t at;
		uint64_t val;

		if (!c->st[i].seen || OJIT_BPF_CLASS(in->code) != OJIT_BPF_LDX ||
		    OJIT_BPF_MODE(in->code) != OJIT_BPF_MEM || v->kind != RO_PTR)
			continue;
		ref = &c->refs[v->ref];
		size = ldx_size[OJIT_BPF_SIZE(in->code) >> 3];
		at = (int64_t)ref->off + v->off + in->off;
		if (at < 0 || at + size > ref->size)
			return refuse(c, i, v, "loaded from outside the section");
		val = read_le(ref->bytes + at, size);
		if (size == 8 && (int64_t)val != (int64_t)(int32_t)val)
			return refuse(c, i, v, "loaded as a 64-bit value that needs two instructions");
		if (log)
			fprintf(log, "insn %u: r%u = *(u%u *)(%s + %lld) folded to %#llx\n", i,
				in->dst_reg, size * 8, ref->name ? ref->name : ".rodata",
				(long long)(v->off + in->off), (unsigned long long)val);
		in->code = (uint8_t)((size == 8 ? OJIT_BPF_ALU64 : OJIT_BPF_ALU) |
				     OJIT_BPF_MOV | OJIT_BPF_K);
		in->src_reg = 0;
		in->off = 0;
		in->imm = (int32_t)val;
		folded++;
	}
	for (i = 0; i + 1 < c->n; i++) {
		if (!c->refs[i].bytes)
			continue;
		c->insns[i].src_reg = 0;
		c->insns[i].imm = 0;
		c->insns[i + 1].imm = 0;
	}
	return (int)folded;
}

int ojit_fold_rodata(struct ojit_bpf_insn *insns, uint32_t n, struct ojit_rodata_ref *refs,
		     FILE *log, char *msg, size_t msg_size)
{
	struct ro_ctx c = { .insns = insns, .n = n, .refs = refs, .msg = msg,
			    .msg_size = msg_size };
	struct ro_state entry = { .seen = 1 }, s;
	uint32_t i;
	int err = 0;

	for (i = 0; i < n && !refs[i].bytes; i++)
		;
	if (i == n)
		return 0;
	c.st = calloc(n, sizeof(*c.st));
	/* a state changes at most twice per register: bounded work */
	c.work = malloc(sizeof(uint32_t) * (n * 24 + 2));
	if (!c.st || !c.work) {
		err = -ENOMEM;
		goto out;
	}
	flow(&c, 0, &entry);
	while (c.n_work && !err) {
		i = c.work[--c.n_work];
		s = c.st[i];
		err = transfer(&c, i, &s);
		if (!err)
			successors(&c, i, &s);
	}
	if (!err)
		err = rewrite(&c, log);
out:
	free(c.st);
	free(c.work);
	return err;
}
