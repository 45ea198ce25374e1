// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * What the device can run, instruction by instruction.  The kernel's
 * verifier insn_hook calls ojit_check_insn() so that an unsupported
 * program is refused during verification with a message naming the
 * instruction; import calls it again for every instruction.
 */
#include "ojit_int.h"
#include "../include/ojit_names.h"

struct helper_support {
	u32 id;
	const char *name;
	u8 xdp;
	u8 tc;
};

static const struct helper_support helpers[] = {
	{ OJIT_FN_map_lookup_elem, "bpf_map_lookup_elem", 1, 1 },
	{ OJIT_FN_map_update_elem, "bpf_map_update_elem", 1, 1 },
	{ OJIT_FN_map_delete_elem, "bpf_map_delete_elem", 1, 1 },
	{ OJIT_FN_ktime_get_ns, "bpf_ktime_get_ns", 1, 1 },
	{ OJIT_FN_get_prandom_u32, "bpf_get_prandom_u32", 1, 1 },
	{ OJIT_FN_redirect, "bpf_redirect", 1, 1 },
	{ OJIT_FN_perf_event_output, "bpf_perf_event_output", 1, 1 },
	{ OJIT_FN_csum_diff, "bpf_csum_diff", 1, 1 },
	{ OJIT_FN_xdp_adjust_head, "bpf_xdp_adjust_head", 1, 0 },
	{ OJIT_FN_xdp_adjust_meta, "bpf_xdp_adjust_meta", 1, 0 },
	{ OJIT_FN_xdp_adjust_tail, "bpf_xdp_adjust_tail", 1, 0 },
	{ OJIT_FN_get_smp_processor_id, "bpf_get_smp_processor_id", 1, 1 },
	{ OJIT_FN_xdp_get_buff_len, "bpf_xdp_get_buff_len", 1, 0 },
};

static const struct helper_support *find_helper(u32 id)
{
	unsigned int i;

	for (i = 0; i < sizeof(helpers) / sizeof(struct helper_support); i++)
		if (helpers[i].id == id)
			return &helpers[i];
	return NULL;
}

u32 ojit_helper_args(u32 id)
{
	switch (id) {
	case OJIT_FN_ktime_get_ns:
	case OJIT_FN_get_prandom_u32:
	case OJIT_FN_get_smp_processor_id:
		return 0;
	case OJIT_FN_xdp_get_buff_len:
		return 1;
	case OJIT_FN_map_update_elem:
		return 4;
	case OJIT_FN_perf_event_output:
	case OJIT_FN_csum_diff:
		return 5;
	}
	return 2;
}

/* Every helper by the kernel's name (bpf_names.c) */
const char *ojit_helper_name(u32 id)
{
	const char *name = ojit_bpf_helper_name(id);

	return name ? name : "unknown";
}

static int check_call(const struct ojit_bpf_insn *insn, u32 idx, u32 prog_type,
		      char *msg, unsigned long msg_size)
{
	const struct helper_support *h;
	bool ok;

	if (insn->src_reg == OJIT_BPF_PSEUDO_CALL)
		return 0;
	if (insn->src_reg == OJIT_BPF_PSEUDO_KFUNC_CALL) {
		ojit_snprintf(msg, msg_size,
			      "insn %u: kfunc call (btf id %d) not supported on the device",
			      idx, insn->imm);
		return -OJIT_EOPNOTSUPP;
	}
	if (insn->src_reg != 0) {
		ojit_snprintf(msg, msg_size, "insn %u: call with src_reg %u not supported",
			      idx, insn->src_reg);
		return -OJIT_EOPNOTSUPP;
	}
	h = find_helper((u32)insn->imm);
	ok = h && (prog_type == OFFNIC_PROG_TC ? h->tc : h->xdp);
	if (ok)
		return 0;
	ojit_snprintf(msg, msg_size, "insn %u: helper %d (%s) not supported%s", idx,
		      insn->imm, ojit_helper_name((u32)insn->imm),
		      h && (h->xdp || h->tc) ? " for this program type" : "");
	return -OJIT_EOPNOTSUPP;
}

static const char *check_alu(const struct ojit_bpf_insn *insn)
{
	u8 op = OJIT_BPF_OP(insn->code);
	bool alu64 = OJIT_BPF_CLASS(insn->code) == OJIT_BPF_ALU64;

	if (op == OJIT_BPF_END) {
		if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
			return "byte swap width is not 16, 32 or 64";
		if (alu64 && OJIT_BPF_SRC(insn->code))
			return "reserved ALU64 END encoding";
		return NULL;
	}
	if (op == OJIT_BPF_DIV || op == OJIT_BPF_MOD)
		return insn->off == 0 || insn->off == 1 ? NULL : "bad div/mod offset";
	if (op == OJIT_BPF_MOV && insn->off) {
		if (!OJIT_BPF_SRC(insn->code))
			return "movsx needs a register source";
		if (insn->off == 8 || insn->off == 16 || (alu64 && insn->off == 32))
			return NULL;
		return "bad movsx width";
	}
	if (op > OJIT_BPF_END)
		return "unknown ALU operation";
	return NULL;
}

static const char *check_atomic(const struct ojit_bpf_insn *insn)
{
	u8 size = OJIT_BPF_SIZE(insn->code);
	s32 aop = insn->imm & ~OJIT_BPF_FETCH;

	if (size != OJIT_BPF_W && size != OJIT_BPF_DW)
		return "atomic of 1 or 2 bytes";
	if (insn->imm == OJIT_BPF_XCHG || insn->imm == OJIT_BPF_CMPXCHG)
		return NULL;
	if (aop == OJIT_BPF_ADD || aop == OJIT_BPF_OR || aop == OJIT_BPF_AND ||
	    aop == OJIT_BPF_XOR)
		return NULL;
	return "unknown atomic operation";
}

static const char *check_ld(const struct ojit_bpf_insn *insns, u32 n, u32 idx)
{
	const struct ojit_bpf_insn *insn = &insns[idx];

	if (OJIT_BPF_MODE(insn->code) == OJIT_BPF_ABS ||
	    OJIT_BPF_MODE(insn->code) == OJIT_BPF_IND)
		return "legacy packet access (LD_ABS/LD_IND) not supported";
	if (insn->code != (OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW))
		return "unknown LD instruction";
	if (idx + 1 >= n)
		return "LD_IMM64 without its second half";
	switch (insn->src_reg) {
	case 0:
	case OJIT_BPF_PSEUDO_MAP_FD:
	case OJIT_BPF_PSEUDO_MAP_IDX:
		return NULL;
	case OJIT_BPF_PSEUDO_MAP_VALUE:
	case OJIT_BPF_PSEUDO_MAP_IDX_VALUE:
		return "direct map value address not supported";
	case OJIT_BPF_PSEUDO_BTF_ID:
		return "ksym address (BPF_PSEUDO_BTF_ID) not supported";
	case OJIT_BPF_PSEUDO_FUNC:
		return "function pointer (callback) not supported";
	}
	return "unknown LD_IMM64 source";
}

static const char *check_mem(const struct ojit_bpf_insn *insn)
{
	u8 cls = OJIT_BPF_CLASS(insn->code);
	u8 mode = OJIT_BPF_MODE(insn->code);

	if (cls == OJIT_BPF_STX && mode == OJIT_BPF_ATOMIC)
		return check_atomic(insn);
	if (mode == OJIT_BPF_MEM)
		return NULL;
	if (cls == OJIT_BPF_LDX && mode == OJIT_BPF_MEMSX &&
	    OJIT_BPF_SIZE(insn->code) != OJIT_BPF_DW)
		return NULL;
	return "unknown load/store mode";
}

static const char *check_jmp(const struct ojit_bpf_insn *insn)
{
	u8 op = OJIT_BPF_OP(insn->code);

	if (OJIT_BPF_CLASS(insn->code) == OJIT_BPF_JMP32 &&
	    (op == OJIT_BPF_CALL || op == OJIT_BPF_EXIT))
		return "reserved JMP32 encoding";
	if (op == OJIT_BPF_CALL)
		return "indirect call (callx) not supported";
	if ((op == OJIT_BPF_EXIT || op == OJIT_BPF_JA) && OJIT_BPF_SRC(insn->code))
		return "reserved jump encoding";
	if (op > OJIT_BPF_JSLE)
		return "unknown jump";
	return NULL;
}

int ojit_check_insn(const struct ojit_bpf_insn *insns, u32 n_insns, u32 idx,
		    u32 prog_type, char *msg, unsigned long msg_size)
{
	const struct ojit_bpf_insn *insn = &insns[idx];
	const char *reason = NULL;
	int err;

	err = ojit_validate_insn(insns, n_insns, idx, msg, msg_size);
	if (err)
		return err;
	switch (OJIT_BPF_CLASS(insn->code)) {
	case OJIT_BPF_ALU:
	case OJIT_BPF_ALU64:
		reason = check_alu(insn);
		break;
	case OJIT_BPF_LD:
		reason = check_ld(insns, n_insns, idx);
		break;
	case OJIT_BPF_LDX:
	case OJIT_BPF_ST:
	case OJIT_BPF_STX:
		reason = check_mem(insn);
		break;
	case OJIT_BPF_JMP:
	case OJIT_BPF_JMP32:
		if (insn->code == (OJIT_BPF_JMP | OJIT_BPF_CALL)) {
			if (insn->imm == OJIT_FN_tail_call && !insn->src_reg) {
				reason = "tail calls not supported on the device";
				goto refuse;
			}
			return check_call(insn, idx, prog_type, msg, msg_size);
		}
		reason = check_jmp(insn);
		break;
	}
	if (!reason)
		return 0;
refuse:
	ojit_snprintf(msg, msg_size, "insn %u: %s", idx, reason);
	return -OJIT_EOPNOTSUPP;
}
