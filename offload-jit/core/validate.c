// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * validate: the first pass.  Every instruction the JIT is given is
 * checked as the verifier checks the instructions it visits, whether the
 * verifier visited it or not: the kernel's verifier never looks at dead
 * code, yet hands it over (finalize runs before dead code is removed).
 * Opcodes, register numbers, reserved fields, immediates that matter
 * (shift amounts, divisors, swap widths), jump targets and LD_IMM64
 * pairs.  Then the facts: what the verifier did not visit is dead, and
 * the later stages see it only as a trap that nothing reaches.
 */
#include "ojit_int.h"

#define LD_IMM64	(OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW)
#define MAX_DST		(OJIT_BPF_REG_FP - 1)	/* r10 is read-only */

static bool is_ld_imm64(const struct ojit_bpf_insn *insn)
{
	return insn->code == LD_IMM64;
}

/* A register the instruction reads */
static const char *src_ok(u8 reg)
{
	return reg <= OJIT_BPF_REG_FP ? NULL : "source register out of range (r0..r10)";
}

/* A register the instruction writes */
static const char *dst_ok(u8 reg)
{
	if (reg > OJIT_BPF_REG_FP)
		return "destination register out of range (r0..r10)";
	return reg > MAX_DST ? "frame pointer r10 is read-only" : NULL;
}

static const char *alu_imm_ok(const struct ojit_bpf_insn *insn, bool alu64)
{
	u8 op = OJIT_BPF_OP(insn->code);

	if ((op == OJIT_BPF_DIV || op == OJIT_BPF_MOD) && insn->imm == 0)
		return "division by zero";
	if ((op == OJIT_BPF_LSH || op == OJIT_BPF_RSH || op == OJIT_BPF_ARSH) &&
	    (insn->imm < 0 || insn->imm >= (alu64 ? 64 : 32)))
		return "shift amount out of range";
	return NULL;
}

static const char *validate_alu(const struct ojit_bpf_insn *insn)
{
	bool alu64 = OJIT_BPF_CLASS(insn->code) == OJIT_BPF_ALU64;
	bool x = OJIT_BPF_SRC(insn->code) == OJIT_BPF_X;
	u8 op = OJIT_BPF_OP(insn->code);
	const char *why = dst_ok(insn->dst_reg);

	if (why)
		return why;
	if (op > OJIT_BPF_END)
		return "unknown ALU operation";
	if (op == OJIT_BPF_NEG)
		return x || insn->src_reg || insn->off || insn->imm ?
		       "NEG uses reserved fields" : NULL;
	if (op == OJIT_BPF_END) {
		if (insn->src_reg || insn->off || (alu64 && x))
			return "byte swap uses reserved fields";
		if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
			return "byte swap width is not 16, 32 or 64";
		return NULL;
	}
	if (op == OJIT_BPF_MOV && insn->off) {
		if (!x || insn->imm)
			return "sign-extending move uses reserved fields";
		if (insn->off != 8 && insn->off != 16 && !(alu64 && insn->off == 32))
			return "bad movsx width";
		return src_ok(insn->src_reg);
	}
	if (insn->off && !((op == OJIT_BPF_DIV || op == OJIT_BPF_MOD) && insn->off == 1))
		return "ALU uses reserved offset";
	if (x)
		return insn->imm ? "ALU uses reserved immediate" : src_ok(insn->src_reg);
	if (insn->src_reg)
		return "ALU uses reserved source register";
	return alu_imm_ok(insn, alu64);
}

static const char *validate_ld(const struct ojit_bpf_insn *insns, u32 n, u32 idx)
{
	const struct ojit_bpf_insn *insn = &insns[idx];

	if (OJIT_BPF_MODE(insn->code) == OJIT_BPF_ABS ||
	    OJIT_BPF_MODE(insn->code) == OJIT_BPF_IND)
		return "legacy packet access (LD_ABS/LD_IND) not supported";
	if (!is_ld_imm64(insn))
		return "unknown LD instruction";
	if (idx + 1 >= n)
		return "LD_IMM64 without its second half";
	if (insn->off || insns[idx + 1].code || insns[idx + 1].dst_reg ||
	    insns[idx + 1].src_reg || insns[idx + 1].off)
		return "LD_IMM64 uses reserved fields";
	return dst_ok(insn->dst_reg);
}

static const char *validate_mem(const struct ojit_bpf_insn *insn)
{
	u8 cls = OJIT_BPF_CLASS(insn->code);
	u8 mode = OJIT_BPF_MODE(insn->code);
	const char *why;

	if (cls == OJIT_BPF_LDX) {
		if (mode != OJIT_BPF_MEM && !(mode == OJIT_BPF_MEMSX &&
					      OJIT_BPF_SIZE(insn->code) != OJIT_BPF_DW))
			return "unknown load mode";
		if (insn->imm)
			return "LDX uses reserved fields";
		why = dst_ok(insn->dst_reg);
		return why ? why : src_ok(insn->src_reg);
	}
	why = src_ok(insn->dst_reg);
	if (why)
		return why;
	if (cls == OJIT_BPF_ST) {
		if (mode != OJIT_BPF_MEM || insn->src_reg)
			return "ST uses reserved fields";
		return NULL;
	}
	if (mode == OJIT_BPF_MEM)
		return insn->imm ? "STX uses reserved fields" : src_ok(insn->src_reg);
	if (mode != OJIT_BPF_ATOMIC)
		return "unknown store mode";
	/* fetching atomics write their source register; cmpxchg writes r0 */
	if ((insn->imm & OJIT_BPF_FETCH) && insn->imm != OJIT_BPF_CMPXCHG)
		return dst_ok(insn->src_reg);
	return src_ok(insn->src_reg);
}

static bool is_cond_jump(u8 op)
{
	return op != OJIT_BPF_JA && op != OJIT_BPF_CALL && op != OJIT_BPF_EXIT &&
	       op <= OJIT_BPF_JSLE;
}

/* *delta: the jump's distance, when the instruction jumps */
static const char *validate_jmp(const struct ojit_bpf_insn *insn, s64 *delta,
				bool *jumps)
{
	bool jmp32 = OJIT_BPF_CLASS(insn->code) == OJIT_BPF_JMP32;
	bool x = OJIT_BPF_SRC(insn->code) == OJIT_BPF_X;
	u8 op = OJIT_BPF_OP(insn->code);

	*jumps = false;
	if (op == OJIT_BPF_EXIT)
		return jmp32 || insn->code & OJIT_BPF_X || insn->dst_reg ||
		       insn->src_reg || insn->off || insn->imm ?
		       "EXIT uses reserved fields" : NULL;
	if (op == OJIT_BPF_CALL) {
		/* a kfunc call's off selects the module BTF */
		if (jmp32 || x || insn->dst_reg ||
		    (insn->off && insn->src_reg != OJIT_BPF_PSEUDO_KFUNC_CALL) ||
		    insn->src_reg > OJIT_BPF_PSEUDO_KFUNC_CALL)
			return "CALL uses reserved fields";
		if (insn->src_reg == OJIT_BPF_PSEUDO_CALL) {
			*jumps = true;
			*delta = insn->imm;
		}
		return NULL;
	}
	if (op == OJIT_BPF_JA) {
		if (x || insn->dst_reg || insn->src_reg || (jmp32 ? insn->off : insn->imm))
			return "JA uses reserved fields";
		*jumps = true;
		*delta = jmp32 ? insn->imm : insn->off;
		return NULL;
	}
	if (!is_cond_jump(op))
		return "unknown jump";
	if (x ? insn->imm != 0 : insn->src_reg != 0)
		return "conditional jump uses reserved fields";
	*jumps = true;
	*delta = insn->off;
	if (src_ok(insn->dst_reg))
		return src_ok(insn->dst_reg);
	return x ? src_ok(insn->src_reg) : NULL;
}

/* Is the instruction at idx well formed?  NULL, or the reason it is not */
static const char *validate_one(const struct ojit_bpf_insn *insns, u32 n, u32 idx)
{
	const struct ojit_bpf_insn *insn = &insns[idx];
	bool jumps = false;
	const char *why;
	s64 delta = 0, target;

	switch (OJIT_BPF_CLASS(insn->code)) {
	case OJIT_BPF_ALU:
	case OJIT_BPF_ALU64:
		return validate_alu(insn);
	case OJIT_BPF_LD:
		return validate_ld(insns, n, idx);
	case OJIT_BPF_LDX:
	case OJIT_BPF_ST:
	case OJIT_BPF_STX:
		return validate_mem(insn);
	}
	why = validate_jmp(insn, &delta, &jumps);
	if (why || !jumps)
		return why;
	target = (s64)idx + 1 + delta;
	if (target < 0 || target >= n)
		return "jump out of the program";
	/* a well-formed second half has code 0, so this is a first half */
	if (target > 0 && is_ld_imm64(&insns[target - 1]))
		return "jump into the middle of LD_IMM64";
	return NULL;
}

int ojit_validate_insn(const struct ojit_bpf_insn *insns, u32 n_insns, u32 idx,
		       char *msg, unsigned long msg_size)
{
	const char *why;

	if (idx >= n_insns)
		why = "instruction index out of range";
	else
		why = validate_one(insns, n_insns, idx);
	if (!why)
		return 0;
	ojit_snprintf(msg, msg_size, "insn %u: %s", idx, why);
	return -OJIT_EINVAL;
}

/* The whole program, walking LD_IMM64 pairs as pairs */
static int validate_all(const struct ojit_bpf_insn *insns, u32 n, char *msg,
			unsigned long msg_size)
{
	u32 i;
	int err;

	if (!n || n > OJIT_MAX_INSNS) {
		ojit_snprintf(msg, msg_size, "program of %u instructions (max %u)", n,
			      OJIT_MAX_INSNS);
		return -OJIT_E2BIG;
	}
	for (i = 0; i < n; i++) {
		if ((i & 1023) == 1023)
			ojit_yield();
		err = ojit_validate_insn(insns, n, i, msg, msg_size);
		if (err)
			return err;
		if (is_ld_imm64(&insns[i]))
			i++;
	}
	return 0;
}

int ojit_validate_prog(const struct ojit_bpf_insn *insns, u32 n_insns, char *msg,
		       unsigned long msg_size)
{
	return validate_all(insns, n_insns, msg, msg_size);
}

static const char *fact_bad(const struct ojit_reg_fact *f)
{
	if (f->kind >= OJIT_PTR_KINDS)
		return "unknown pointer kind in the verifier's facts";
	/* frames are measured from these: keep them near the device stack */
	if (f->kind == OJIT_PTR_STACK && f->const_off &&
	    (f->off < -ONM_ISA_STACK_BYTES || f->off > ONM_ISA_STACK_BYTES))
		return "stack pointer outside the device stack";
	return NULL;
}

int ojit_validate(struct ojit_prog *p)
{
	const struct ojit_input *in = p->in;
	const char *why;
	u32 i;
	int err;

	err = validate_all(in->insns, in->n_insns, p->res->msg, sizeof(p->res->msg));
	if (err)
		return err;
	if (in->n_maps > OJIT_MAX_MAPS)
		return ojit_fail_fmt(p, -OJIT_E2BIG, "%u maps (max %u)", in->n_maps,
				     OJIT_MAX_MAPS);
	if (in->stack_depth > ONM_ISA_STACK_BYTES)
		return ojit_fail_fmt(p, -OJIT_E2BIG, "stack of %u bytes (device has %u)",
				     in->stack_depth, ONM_ISA_STACK_BYTES);
	p->live = ojit_zalloc(in->n_insns);
	if (!p->live)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	for (i = 0; i < in->n_insns; i++) {
		const struct ojit_insn_facts *f = &in->facts[i];

		p->live[i] = !!(f->flags & OJIT_FACT_SEEN);
		why = fact_bad(&f->dst) ? fact_bad(&f->dst) : fact_bad(&f->src);
		if (p->live[i] && why)
			return ojit_fail(p, -OJIT_EINVAL, i, why);
		if (is_ld_imm64(&in->insns[i])) {
			i++;
			p->live[i] = p->live[i - 1];
		}
	}
	if (!p->live[0])
		return ojit_fail(p, -OJIT_EINVAL, 0, "never verified (no facts)");
	return 0;
}
