// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * import: BPF instructions + verifier facts -> IR, one op per instruction.
 * Two-operand BPF becomes the three-operand IR with a == dst; jump targets
 * stay instruction indices until cfg turns them into blocks.
 */
#include "ojit_int.h"

static const u8 alu_of_bpf[16] = {
	[OJIT_BPF_ADD >> 4] = OJ_ADD, [OJIT_BPF_SUB >> 4] = OJ_SUB,
	[OJIT_BPF_MUL >> 4] = OJ_MUL, [OJIT_BPF_DIV >> 4] = OJ_DIV,
	[OJIT_BPF_OR >> 4] = OJ_OR, [OJIT_BPF_AND >> 4] = OJ_AND,
	[OJIT_BPF_LSH >> 4] = OJ_LSH, [OJIT_BPF_RSH >> 4] = OJ_RSH,
	[OJIT_BPF_NEG >> 4] = OJ_NEG, [OJIT_BPF_MOD >> 4] = OJ_MOD,
	[OJIT_BPF_XOR >> 4] = OJ_XOR, [OJIT_BPF_MOV >> 4] = OJ_MOV,
	[OJIT_BPF_ARSH >> 4] = OJ_ARSH,
};

static const u8 cond_of_bpf[16] = {
	[OJIT_BPF_JEQ >> 4] = ONM_COND_EQ, [OJIT_BPF_JGT >> 4] = ONM_COND_GT,
	[OJIT_BPF_JGE >> 4] = ONM_COND_GE, [OJIT_BPF_JSET >> 4] = ONM_COND_SET,
	[OJIT_BPF_JNE >> 4] = ONM_COND_NE, [OJIT_BPF_JSGT >> 4] = ONM_COND_SGT,
	[OJIT_BPF_JSGE >> 4] = ONM_COND_SGE, [OJIT_BPF_JLT >> 4] = ONM_COND_LT,
	[OJIT_BPF_JLE >> 4] = ONM_COND_LE, [OJIT_BPF_JSLT >> 4] = ONM_COND_SLT,
	[OJIT_BPF_JSLE >> 4] = ONM_COND_SLE,
};

static const u8 size_of_bpf[4] = {
	[OJIT_BPF_W >> 3] = 4, [OJIT_BPF_H >> 3] = 2,
	[OJIT_BPF_B >> 3] = 1, [OJIT_BPF_DW >> 3] = 8,
};

static void set_operand_b(struct ojit_op *op, const struct ojit_bpf_insn *insn)
{
	if (OJIT_BPF_SRC(insn->code) == OJIT_BPF_X) {
		op->b = insn->src_reg;
	} else {
		op->flags |= OJ_F_IMM;
		op->imm = insn->imm;
	}
}

/* BPF_END: "to big endian" swaps on the little-endian device, "to little
 * endian" only truncates.
 */
static void import_end(struct ojit_op *op, const struct ojit_bpf_insn *insn,
		       bool alu64)
{
	op->a = insn->dst_reg;
	if (alu64 || OJIT_BPF_SRC(insn->code) == OJIT_BPF_TO_BE) {
		op->alu = OJ_BSWAP;
		op->size = insn->imm / 8;
		return;
	}
	switch (insn->imm) {
	case 16:
		op->alu = OJ_AND;
		op->flags |= OJ_F_IMM;
		op->imm = 0xffff;
		break;
	case 32:
		op->a = OJ_NOREG8;
		op->alu = OJ_MOV;
		op->flags |= OJ_F_W32;
		op->b = insn->dst_reg;
		break;
	default:
		op->kind = OJ_NOP;
		break;
	}
}

static void import_alu(struct ojit_op *op, const struct ojit_bpf_insn *insn)
{
	bool alu64 = OJIT_BPF_CLASS(insn->code) == OJIT_BPF_ALU64;
	u8 bop = OJIT_BPF_OP(insn->code);

	op->kind = OJ_ALU;
	op->dst = insn->dst_reg;
	if (!alu64)
		op->flags |= OJ_F_W32;
	if (bop == OJIT_BPF_END) {
		op->flags &= ~OJ_F_W32;
		import_end(op, insn, alu64);
		return;
	}
	op->alu = alu_of_bpf[bop >> 4];
	if (op->alu == OJ_DIV && insn->off == 1)
		op->alu = OJ_SDIV;
	if (op->alu == OJ_MOD && insn->off == 1)
		op->alu = OJ_SMOD;
	if (op->alu == OJ_MOV && insn->off) {
		op->alu = OJ_MOVSX;
		op->size = insn->off / 8;
	}
	if (op->alu != OJ_MOV && op->alu != OJ_MOVSX)
		op->a = insn->dst_reg;
	if (op->alu != OJ_NEG)
		set_operand_b(op, insn);
}

static void import_mem_space(struct ojit_op *op, const struct ojit_reg_fact *base,
			     s16 off)
{
	op->space = base->kind;
	if (base->kind == OJIT_PTR_STACK && base->const_off) {
		op->flags |= OJ_F_STACK_OFF;
		op->stack_off = base->off + off;
	}
}

static void import_mem(struct ojit_op *op, const struct ojit_bpf_insn *insn,
		       const struct ojit_insn_facts *f)
{
	u8 cls = OJIT_BPF_CLASS(insn->code);

	op->size = size_of_bpf[OJIT_BPF_SIZE(insn->code) >> 3];
	op->off = insn->off;
	if (cls == OJIT_BPF_LDX) {
		op->kind = OJ_LD;
		op->dst = insn->dst_reg;
		op->a = insn->src_reg;
		if (OJIT_BPF_MODE(insn->code) == OJIT_BPF_MEMSX)
			op->flags |= OJ_F_SEXT;
		import_mem_space(op, &f->src, insn->off);
		return;
	}
	op->a = insn->dst_reg;
	import_mem_space(op, &f->dst, insn->off);
	if (cls == OJIT_BPF_ST) {
		op->kind = OJ_ST;
		op->flags |= OJ_F_IMM;
		op->imm = insn->imm;
		return;
	}
	op->b = insn->src_reg;
	if (OJIT_BPF_MODE(insn->code) != OJIT_BPF_ATOMIC) {
		op->kind = OJ_ST;
		return;
	}
	op->kind = OJ_ATOMIC;
	if (insn->imm & OJIT_BPF_FETCH)
		op->flags |= OJ_F_FETCH;
	switch (insn->imm & ~OJIT_BPF_FETCH) {
	case OJIT_BPF_ADD:
		op->alu = ONM_AOP_ADD;
		break;
	case OJIT_BPF_OR:
		op->alu = ONM_AOP_OR;
		break;
	case OJIT_BPF_AND:
		op->alu = ONM_AOP_AND;
		break;
	case OJIT_BPF_XOR:
		op->alu = ONM_AOP_XOR;
		break;
	case OJIT_BPF_XCHG & ~OJIT_BPF_FETCH:
		op->alu = ONM_AOP_XCHG;
		break;
	default:
		op->alu = ONM_AOP_CMPXCHG;
		break;
	}
}

static int import_ld_imm64(struct ojit_prog *p, u32 idx)
{
	const struct ojit_bpf_insn *insn = &p->in->insns[idx];
	const struct ojit_insn_facts *f = &p->in->facts[idx];
	struct ojit_op *op = &p->ops[idx];

	op->dst = insn->dst_reg;
	if (insn->src_reg == 0) {
		op->kind = OJ_LDK;
		op->imm = (s64)((u64)(u32)insn->imm | ((u64)(u32)insn[1].imm << 32));
		return 0;
	}
	if (insn->src_reg != OJIT_BPF_PSEUDO_MAP_FD &&
	    insn->src_reg != OJIT_BPF_PSEUDO_MAP_IDX)
		return ojit_fail(p, -OJIT_EOPNOTSUPP, idx,
				 "direct map value address not supported");
	if (f->map_idx < 0 || (u32)f->map_idx >= p->in->n_maps)
		return ojit_fail(p, -OJIT_EINVAL, idx, "map reference not resolved");
	op->kind = OJ_LDMAP;
	op->target = f->map_idx;
	return 0;
}

static int import_jmp(struct ojit_prog *p, u32 idx)
{
	const struct ojit_bpf_insn *insn = &p->in->insns[idx];
	struct ojit_op *op = &p->ops[idx];
	u8 bop = OJIT_BPF_OP(insn->code);
	s64 target;

	if (bop == OJIT_BPF_EXIT) {
		op->kind = OJ_EXIT;
		return 0;
	}
	if (bop == OJIT_BPF_CALL && insn->src_reg == 0) {
		op->kind = OJ_HCALL;
		op->imm = insn->imm;
		op->dst = 0;
		return 0;
	}
	if (bop == OJIT_BPF_JA && OJIT_BPF_CLASS(insn->code) == OJIT_BPF_JMP32)
		target = (s64)idx + insn->imm + 1;
	else if (bop == OJIT_BPF_CALL)
		target = (s64)idx + insn->imm + 1;
	else
		target = (s64)idx + insn->off + 1;
	/* validate checked the target; this keeps the indexing safe anyway */
	if (target < 0 || target >= p->in->n_insns)
		return ojit_fail(p, -OJIT_EINVAL, idx, "jump out of the program");
	op->target = (u32)target;
	if (bop == OJIT_BPF_CALL) {
		op->kind = OJ_CALL;
		return 0;
	}
	if (bop == OJIT_BPF_JA) {
		op->kind = OJ_JA;
		return 0;
	}
	/* a way the verifier never went is never taken: hard-wire the other */
	if (!p->live[target] && idx + 1 < p->in->n_insns && p->live[idx + 1]) {
		op->kind = OJ_NOP;
		return 0;
	}
	if (p->live[target] && (idx + 1 == p->in->n_insns || !p->live[idx + 1])) {
		op->kind = OJ_JA;
		return 0;
	}
	op->kind = OJ_BR;
	op->alu = cond_of_bpf[bop >> 4];
	op->a = insn->dst_reg;
	if (OJIT_BPF_CLASS(insn->code) == OJIT_BPF_JMP32)
		op->flags |= OJ_F_W32;
	set_operand_b(op, insn);
	return 0;
}

static int import_insn(struct ojit_prog *p, u32 idx)
{
	const struct ojit_bpf_insn *insn = &p->in->insns[idx];
	struct ojit_op *op = &p->ops[idx];

	switch (OJIT_BPF_CLASS(insn->code)) {
	case OJIT_BPF_ALU:
	case OJIT_BPF_ALU64:
		import_alu(op, insn);
		return 0;
	case OJIT_BPF_LD:
		return import_ld_imm64(p, idx);
	case OJIT_BPF_LDX:
	case OJIT_BPF_ST:
	case OJIT_BPF_STX:
		import_mem(op, insn, &p->in->facts[idx]);
		return 0;
	default:
		return import_jmp(p, idx);
	}
}

static int add_subprog(struct ojit_prog *p, u32 first, u32 call_idx)
{
	u32 i, j;

	for (i = 0; i < p->n_subprogs; i++)
		if (p->subprogs[i].first_insn == first)
			return 0;
	if (p->n_subprogs == OJIT_MAX_SUBPROGS)
		return ojit_fail(p, -OJIT_E2BIG, call_idx, "too many subprograms");
	for (i = 0; i < p->n_subprogs && p->subprogs[i].first_insn < first; i++)
		;
	for (j = p->n_subprogs; j > i; j--)
		p->subprogs[j] = p->subprogs[j - 1];
	p->subprogs[i].first_insn = first;
	p->subprogs[i].frame = 0;
	p->n_subprogs++;
	return 0;
}

u32 ojit_subprog_of(const struct ojit_prog *p, u32 insn)
{
	u32 s = 0;

	while (s + 1 < p->n_subprogs && p->subprogs[s + 1].first_insn <= insn)
		s++;
	return s;
}

/* A frame is as deep as the lowest stack offset any access or pointer of
 * the subprogram reaches; helpers read forward from a pointer, so the
 * pointers count too.
 */
static void measure_frames(struct ojit_prog *p)
{
	u32 i;

	for (i = 0; i < p->in->n_insns; i++) {
		const struct ojit_insn_facts *f = &p->in->facts[i];
		const struct ojit_op *op = &p->ops[i];
		struct ojit_subprog *sp = &p->subprogs[ojit_subprog_of(p, i)];
		s64 low = 0;

		if (!p->live[i])
			continue;
		if (f->dst.kind == OJIT_PTR_STACK && f->dst.const_off && f->dst.off < low)
			low = f->dst.off;
		if (f->src.kind == OJIT_PTR_STACK && f->src.const_off && f->src.off < low)
			low = f->src.off;
		if ((op->flags & OJ_F_STACK_OFF) && op->stack_off < low)
			low = op->stack_off;
		if (op->kind == OJ_ALU && op->alu == OJ_ADD && (op->flags & OJ_F_IMM) &&
		    f->dst.kind == OJIT_PTR_STACK && f->dst.const_off &&
		    f->dst.off + op->imm < low)
			low = f->dst.off + op->imm;
		/* deeper than the device stack: refused later, without overflow */
		if (low < -ONM_ISA_STACK_BYTES)
			low = -ONM_ISA_STACK_BYTES - 8;
		if ((u32)-low > sp->frame)
			sp->frame = ((u32)-low + 7) & ~7U;
	}
}

/*
 * Dead code (the verifier never went there, and no live jump leads
 * there): NOPs, ended by a trap so that the block structure stays sound.
 * Returns the last index it consumed.
 */
static u32 import_dead(struct ojit_prog *p, u32 i)
{
	u32 last = i, k;

	if (p->in->insns[i].code == (OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW))
		last = i + 1;
	for (k = i; k <= last; k++) {
		p->ops[k].insn = k;
		p->ops[k].kind = OJ_NOP;
		p->ops[k].a = OJ_NOREG8;
		p->ops[k].b = OJ_NOREG8;
		p->ops[k].dst = OJ_NOREG8;
	}
	if (last + 1 == p->in->n_insns || p->live[last + 1]) {
		p->ops[last].kind = OJ_EXIT;
		p->ops[last].flags = OJ_F_IMM;
	}
	return last;
}

int ojit_import(struct ojit_prog *p)
{
	const struct ojit_input *in = p->in;
	char msg[sizeof(p->res->msg)];
	u32 i;
	int err;

	/* validate checked the limits and every instruction */
	p->ops = ojit_zalloc(sizeof(*p->ops) * in->n_insns);
	if (!p->ops)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	p->n_ops = in->n_insns;
	p->n_subprogs = 1;
	for (i = 0; i < in->n_insns; i++) {
		struct ojit_op *op = &p->ops[i];

		if (!p->live[i]) {
			i = import_dead(p, i);
			continue;
		}
		err = ojit_check_insn(in->insns, in->n_insns, i, in->prog_type, msg,
				      sizeof(msg));
		if (err) {
			ojit_snprintf(p->res->msg, sizeof(p->res->msg), "%s", msg);
			return err;
		}
		op->insn = i;
		op->a = OJ_NOREG8;
		op->b = OJ_NOREG8;
		op->dst = OJ_NOREG8;
		err = import_insn(p, i);
		if (err)
			return err;
		if (op->kind == OJ_CALL) {
			err = add_subprog(p, op->target, i);
			if (err)
				return err;
		}
		if (op->kind == OJ_LDK || op->kind == OJ_LDMAP) {
			i++;
			p->ops[i].insn = i;
			p->ops[i].kind = OJ_NOP;
		}
	}
	measure_frames(p);
	return 0;
}
