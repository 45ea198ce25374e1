// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The verifier's facts, inferred in userspace: an abstract interpretation
 * of what each register holds (pointer kind, constant offset, constant
 * value) over the instructions.  Worklist, states joined where paths
 * meet, 8-byte stack spills tracked, no recursion: subprogram entries are
 * instructions like any other, entered with a fresh frame.
 */
#include <stdlib.h>
#include <string.h>

#include "tools.h"
#include "offnic_image.h"

#define N_SLOTS		(512 / 8)
#define MAX_STEPS	2000000

struct astate {
	struct ojit_reg_fact r[OJIT_BPF_NREGS];
	struct ojit_reg_fact slot[N_SLOTS];	/* spills at r10 - 8 * (i + 1) */
	int valid;
};

static const struct ojit_reg_fact unknown = { OJIT_PTR_NONE };

static struct ojit_reg_fact scalar(int is_const, int64_t v)
{
	struct ojit_reg_fact f = { OJIT_PTR_SCALAR, 0, (uint8_t)is_const, 0, 0, v };

	return f;
}

static int join(struct astate *into, const struct astate *s)
{
	struct astate old = *into;
	int i;

	if (!into->valid) {
		*into = *s;
		return 1;
	}
	for (i = 0; i < OJIT_BPF_NREGS; i++)
		ojit_reg_fact_join(&into->r[i], &s->r[i]);
	for (i = 0; i < N_SLOTS; i++)
		ojit_reg_fact_join(&into->slot[i], &s->slot[i]);
	return memcmp(&old, into, sizeof(old)) != 0;
}

static int is_ptr(const struct ojit_reg_fact *f)
{
	return f->kind >= OJIT_PTR_CTX;
}

static struct ojit_reg_fact ctx_load(uint32_t prog_type, int off)
{
	struct ojit_reg_fact f = { OJIT_PTR_PKT, 1, 0, 0, 0, 0 };
	int data = prog_type == OFFNIC_PROG_TC ? 76 : 0;
	int end = prog_type == OFFNIC_PROG_TC ? 80 : 4;
	int meta = prog_type == OFFNIC_PROG_TC ? 140 : 8;

	if (off == data)
		return f;
	f.const_off = 0;
	if (off == end)
		f.kind = OJIT_PTR_PKT_END;
	else if (off == meta)
		f.kind = OJIT_PTR_PKT_META;
	else
		return scalar(0, 0);
	return f;
}

static int slot_of(const struct ojit_reg_fact *base, int off, int size)
{
	int64_t at;

	if (base->kind != OJIT_PTR_STACK || !base->const_off)
		return -1;
	at = (int64_t)base->off + off;
	if (at >= 0 || at < -512 || size != 8 || (at & 7))
		return -1;
	return (int)(-at / 8) - 1;
}

static void note_depth(const struct ojit_reg_fact *base, int off, uint32_t *depth)
{
	int64_t at = (int64_t)base->off + off;

	/* deeper than the device's stack is refused later; keep it finite */
	if (at < -1024)
		at = -1024;
	if (base->kind == OJIT_PTR_STACK && base->const_off && at < 0 &&
	    (uint32_t)-at > *depth)
		*depth = (uint32_t)-at;
}

/* A pointer's constant offset moved by k; unknown once it leaves int32 */
static void move_off(struct ojit_reg_fact *d, int64_t k)
{
	int64_t off = (int64_t)d->off + k;

	if (off < INT32_MIN || off > INT32_MAX)
		d->const_off = 0;
	else
		d->off = (int32_t)off;
}

static void alu_ptr(struct ojit_reg_fact *d, const struct ojit_bpf_insn *in,
		    const struct ojit_reg_fact *s, int is_x)
{
	uint8_t op = OJIT_BPF_OP(in->code);
	int64_t k = is_x ? s->val : in->imm;
	int known = is_x ? s->kind == OJIT_PTR_SCALAR && s->is_const : 1;

	if (is_x && is_ptr(s)) {
		*d = scalar(0, 0);	/* pointer difference */
		return;
	}
	if (op != OJIT_BPF_ADD && op != OJIT_BPF_SUB) {
		*d = scalar(0, 0);
		return;
	}
	if (!known) {
		d->const_off = 0;
		return;
	}
	move_off(d, op == OJIT_BPF_ADD ? (int32_t)k : -(int64_t)(int32_t)k);
}

static void alu_scalar(struct ojit_reg_fact *d, const struct ojit_bpf_insn *in,
		       const struct ojit_reg_fact *s, int is_x)
{
	uint8_t op = OJIT_BPF_OP(in->code);
	int alu64 = OJIT_BPF_CLASS(in->code) == OJIT_BPF_ALU64;
	int known = d->kind == OJIT_PTR_SCALAR && d->is_const &&
		    (!is_x || (s->kind == OJIT_PTR_SCALAR && s->is_const));
	uint64_t a = (uint64_t)d->val, b = is_x ? (uint64_t)s->val : (uint64_t)(int64_t)in->imm;
	uint64_t r;

	if (!known) {
		*d = scalar(0, 0);
		return;
	}
	switch (op) {
	case OJIT_BPF_ADD: r = a + b; break;
	case OJIT_BPF_SUB: r = a - b; break;
	case OJIT_BPF_MUL: r = a * b; break;
	case OJIT_BPF_OR: r = a | b; break;
	case OJIT_BPF_AND: r = a & b; break;
	case OJIT_BPF_XOR: r = a ^ b; break;
	case OJIT_BPF_LSH: r = a << (b & (alu64 ? 63 : 31)); break;
	default:
		*d = scalar(0, 0);
		return;
	}
	*d = scalar(1, alu64 ? (int64_t)r : (int64_t)(uint32_t)r);
}

static void step_alu(struct astate *st, const struct ojit_bpf_insn *in)
{
	struct ojit_reg_fact *d = &st->r[in->dst_reg];
	const struct ojit_reg_fact *s = &st->r[in->src_reg];
	int is_x = OJIT_BPF_SRC(in->code) == OJIT_BPF_X;
	int alu64 = OJIT_BPF_CLASS(in->code) == OJIT_BPF_ALU64;
	uint8_t op = OJIT_BPF_OP(in->code);

	if (op == OJIT_BPF_MOV && !in->off) {
		if (!is_x)
			*d = scalar(1, alu64 ? in->imm : (int64_t)(uint32_t)in->imm);
		else if (alu64)
			*d = *s;
		else
			*d = scalar(s->kind == OJIT_PTR_SCALAR && s->is_const,
				    (int64_t)(uint32_t)s->val);
		return;
	}
	if (op == OJIT_BPF_END || op == OJIT_BPF_NEG || (op == OJIT_BPF_MOV && in->off)) {
		*d = scalar(0, 0);
		return;
	}
	if (alu64 && is_ptr(d)) {
		alu_ptr(d, in, s, is_x);
		return;
	}
	if (alu64 && op == OJIT_BPF_ADD && is_x && is_ptr(s) && d->kind == OJIT_PTR_SCALAR) {
		struct ojit_reg_fact p = *s;

		if (d->is_const)
			move_off(&p, (int32_t)d->val);
		else
			p.const_off = 0;
		*d = p;
		return;
	}
	alu_scalar(d, in, s, is_x);
}

static void step_mem(struct astate *st, const struct ojit_bpf_insn *in,
		     uint32_t prog_type, uint32_t *depth)
{
	static const int sizes[4] = { 4, 2, 1, 8 };
	uint8_t cls = OJIT_BPF_CLASS(in->code);
	int size = sizes[OJIT_BPF_SIZE(in->code) >> 3];
	const struct ojit_reg_fact *base = &st->r[cls == OJIT_BPF_LDX ? in->src_reg : in->dst_reg];
	int slot = slot_of(base, in->off, size);
	int64_t at;
	int i;

	note_depth(base, in->off, depth);
	if (cls == OJIT_BPF_LDX) {
		if (base->kind == OJIT_PTR_CTX)
			st->r[in->dst_reg] = ctx_load(prog_type, in->off);
		else if (slot >= 0 && OJIT_BPF_MODE(in->code) == OJIT_BPF_MEM)
			st->r[in->dst_reg] = st->slot[slot];
		else
			st->r[in->dst_reg] = scalar(0, 0);
		return;
	}
	if (OJIT_BPF_MODE(in->code) == OJIT_BPF_ATOMIC) {
		if (in->imm == OJIT_BPF_CMPXCHG)
			st->r[0] = scalar(0, 0);
		else if (in->imm & OJIT_BPF_FETCH)
			st->r[in->src_reg] = scalar(0, 0);
	}
	if (base->kind != OJIT_PTR_STACK)
		return;
	if (!base->const_off) {
		for (i = 0; i < N_SLOTS; i++)
			st->slot[i] = scalar(0, 0);
		return;
	}
	if (slot >= 0 && cls == OJIT_BPF_STX && OJIT_BPF_MODE(in->code) == OJIT_BPF_MEM) {
		st->slot[slot] = st->r[in->src_reg];
		return;
	}
	at = (int64_t)base->off + in->off;
	if (at < 0 && at >= -512)
		st->slot[(-at - 1) / 8] = scalar(0, 0);
	if (at + size - 1 < 0 && at + size - 1 >= -512)
		st->slot[(-(at + size - 1) - 1) / 8] = scalar(0, 0);
}

static void step_call(struct astate *st, const struct ojit_bpf_insn *in)
{
	int r;

	if (in->src_reg == 0 && in->imm == OJIT_FN_map_lookup_elem) {
		st->r[0].kind = OJIT_PTR_MAP_VALUE;
		st->r[0].const_off = 1;
		st->r[0].off = 0;
		st->r[0].is_const = 0;
	} else {
		st->r[0] = scalar(0, 0);
	}
	for (r = 1; r <= 5; r++)
		st->r[r] = unknown;
}

struct infer {
	const struct ojit_loaded *l;
	struct astate *in;
	uint32_t *work;
	uint8_t *queued;
	uint32_t n_work;
	uint32_t depth;
};

static void push(struct infer *x, uint32_t to, const struct astate *s)
{
	if (to >= x->l->n_insns || !join(&x->in[to], s) || x->queued[to])
		return;
	x->queued[to] = 1;
	x->work[x->n_work++] = to;
}

static void enter_subprog(struct infer *x, uint32_t to, const struct astate *caller)
{
	struct astate s;
	int r;

	memset(&s, 0, sizeof(s));
	s.valid = 1;
	for (r = 1; r <= 5; r++)
		s.r[r] = caller->r[r];
	s.r[OJIT_BPF_REG_FP].kind = OJIT_PTR_STACK;
	s.r[OJIT_BPF_REG_FP].const_off = 1;
	push(x, to, &s);
}

static void step(struct infer *x, uint32_t i)
{
	const struct ojit_bpf_insn *in = &x->l->insns[i];
	struct astate s = x->in[i];
	uint8_t cls = OJIT_BPF_CLASS(in->code), op = OJIT_BPF_OP(in->code);

	/* ojit_validate_prog() refuses these first; never index past r10 */
	if (in->dst_reg >= OJIT_BPF_NREGS || in->src_reg >= OJIT_BPF_NREGS ||
	    (cls == OJIT_BPF_LD && i + 1 >= x->l->n_insns))
		return;

	switch (cls) {
	case OJIT_BPF_ALU:
	case OJIT_BPF_ALU64:
		step_alu(&s, in);
		break;
	case OJIT_BPF_LD:
		if (x->l->map_of_insn[i] >= 0) {
			s.r[in->dst_reg] = unknown;
			s.r[in->dst_reg].kind = OJIT_PTR_MAP;
		} else {
			s.r[in->dst_reg] = scalar(1, (int64_t)((uint64_t)(uint32_t)in->imm |
							      ((uint64_t)(uint32_t)in[1].imm << 32)));
		}
		push(x, i + 2, &s);
		return;
	case OJIT_BPF_LDX:
	case OJIT_BPF_ST:
	case OJIT_BPF_STX:
		step_mem(&s, in, x->l->prog_type, &x->depth);
		break;
	default:
		if (op == OJIT_BPF_EXIT)
			return;
		if (op == OJIT_BPF_CALL) {
			if (in->src_reg == OJIT_BPF_PSEUDO_CALL)
				enter_subprog(x, i + in->imm + 1, &s);
			step_call(&s, in);
			break;
		}
		if (op == OJIT_BPF_JA) {
			push(x, i + 1 + (cls == OJIT_BPF_JMP32 ? in->imm : in->off), &s);
			return;
		}
		push(x, i + 1 + in->off, &s);
		break;
	}
	push(x, i + 1, &s);
}

struct ojit_insn_facts *ojit_infer_facts(const struct ojit_loaded *l,
					 uint32_t *stack_depth, char *msg,
					 size_t msg_size)
{
	struct ojit_insn_facts *facts = calloc(l->n_insns, sizeof(*facts));
	struct infer x = { .l = l };
	struct astate s;
	uint32_t i, steps = 0;

	x.in = calloc(l->n_insns, sizeof(*x.in));
	x.work = calloc(l->n_insns, sizeof(*x.work));
	x.queued = calloc(l->n_insns, 1);
	if (!facts || !x.in || !x.work || !x.queued)
		goto fail;
	memset(&s, 0, sizeof(s));
	s.valid = 1;
	s.r[1].kind = OJIT_PTR_CTX;
	s.r[1].const_off = 1;
	s.r[OJIT_BPF_REG_FP].kind = OJIT_PTR_STACK;
	s.r[OJIT_BPF_REG_FP].const_off = 1;
	push(&x, 0, &s);
	while (x.n_work) {
		if (++steps > MAX_STEPS) {
			snprintf(msg, msg_size, "fact inference did not converge");
			goto fail;
		}
		/* LIFO keeps the worklist within n_insns entries */
		i = x.work[--x.n_work];
		x.queued[i] = 0;
		step(&x, i);
	}
	for (i = 0; i < l->n_insns; i++) {
		const struct ojit_bpf_insn *in = &l->insns[i];

		facts[i].map_idx = l->map_of_insn[i];
		if (!x.in[i].valid)
			continue;
		facts[i].flags = OJIT_FACT_SEEN;
		if (in->dst_reg < OJIT_BPF_NREGS)
			facts[i].dst = x.in[i].r[in->dst_reg];
		if (in->src_reg < OJIT_BPF_NREGS)
			facts[i].src = x.in[i].r[in->src_reg];
	}
	*stack_depth = (x.depth + 7) & ~7U;
	free(x.in);
	free(x.work);
	free(x.queued);
	return facts;
fail:
	free(facts);
	free(x.in);
	free(x.work);
	free(x.queued);
	return NULL;
}

int ojit_compile_loaded(const struct ojit_loaded *l, const struct ojit_options *opt,
			struct ojit_result *res)
{
	struct ojit_insn_facts *facts;
	struct ojit_input in = { 0 };
	uint32_t depth = 0;
	int err;

	memset(res, 0, sizeof(*res));
	/* the inference walks the program as it is: it must be well formed */
	err = ojit_validate_prog(l->insns, l->n_insns, res->msg, sizeof(res->msg));
	if (err)
		return err;
	facts = ojit_infer_facts(l, &depth, res->msg, sizeof(res->msg));
	if (!facts)
		return -OJIT_ENOMEM;
	in.insns = l->insns;
	in.n_insns = l->n_insns;
	in.facts = facts;
	in.maps = l->maps;
	in.n_maps = l->n_maps;
	in.prog_type = l->prog_type;
	in.stack_depth = depth > 512 ? 512 : depth;
	err = ojit_compile(&in, opt, res);
	free(facts);
	return err;
}
