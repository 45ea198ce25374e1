// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Calls and exits.
 *
 * Helpers become one HCALL: the BPF calling convention (args r1..r5,
 * result r0) is the hardware's, p1..p5 survive the call.
 *
 * BPF-to-BPF calls use the hardware CALL/RET.  The caller stores its r10
 * and those of r6..r9 the callee writes (its own ops; deeper callees
 * restore theirs) in a 40-byte save area just below its frame, points r10
 * at that area (the callee's frame pointer) and calls; the callee's
 * exits reload them from [r10 + 0..32] and return.  So every frame costs
 * its own size plus 40 bytes of the 512-byte stack (checked).
 */
#include "isel.h"

#define TC_ACT_REDIRECT	7

static u32 isa_helper_of(u32 bpf_id)
{
	switch (bpf_id) {
	case OJIT_FN_map_lookup_elem:
		return ONM_HELPER_MAP_LOOKUP;
	case OJIT_FN_map_update_elem:
		return ONM_HELPER_MAP_UPDATE;
	case OJIT_FN_map_delete_elem:
		return ONM_HELPER_MAP_DELETE;
	case OJIT_FN_xdp_adjust_head:
		return ONM_HELPER_ADJ_HEAD;
	case OJIT_FN_xdp_adjust_tail:
		return ONM_HELPER_ADJ_TAIL;
	case OJIT_FN_xdp_adjust_meta:
		return ONM_HELPER_ADJ_META;
	case OJIT_FN_get_prandom_u32:
		return ONM_HELPER_PRANDOM;
	case OJIT_FN_ktime_get_ns:
		return ONM_HELPER_KTIME;
	case OJIT_FN_csum_diff:
		return ONM_HELPER_CSUM_DIFF;
	case OJIT_FN_perf_event_output:
		return ONM_HELPER_EVENT_OUT;
	case OJIT_FN_redirect:
		return ONM_HELPER_REDIRECT;
	case OJIT_FN_get_smp_processor_id:
		return ONM_HELPER_CORE_ID;
	case OJIT_FN_xdp_get_buff_len:
		return ONM_HELPER_BUFF_LEN;
	}
	return 0;
}

int isel_helper(struct isel_ctx *c, const struct ojit_op *op)
{
	u32 helper = isa_helper_of((u32)op->imm);
	struct ojit_uop *u;

	if (!helper)
		return ojit_fail_fmt(c->p, -OJIT_EOPNOTSUPP,
				     "insn %u: helper %lld (%s) not supported", op->insn,
				     (long long)op->imm, ojit_helper_name((u32)op->imm));
	u = isel_new(c, ONM_OP_HCALL, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->rd = 0;
	u->imm = helper;
	u->target = ojit_helper_args((u32)op->imm);
	u->lat = ojit_isa_helper_latency(helper);
	u->flags |= OJ_U_BARRIER | OJ_U_EFFECT;
	/* the device answers XDP_REDIRECT; a tc program expects TC_ACT_REDIRECT */
	if (helper == ONM_HELPER_REDIRECT && c->p->in->prog_type == OFFNIC_PROG_TC)
		return isel_mov_imm(c, 0, TC_ACT_REDIRECT, op->insn) ? 0 : -OJIT_E2BIG;
	return 0;
}

static struct ojit_uop *frame_op(struct isel_ctx *c, u8 opc, u16 reg, s32 off,
				 u32 insn)
{
	struct ojit_uop *u = isel_new(c, opc, insn);

	if (!u)
		return NULL;
	u->ra = OJIT_BPF_REG_FP;
	u->imm = off;
	u->fn = ONM_FN_PUT(0, FN_SIZE, 3);
	u->space = OJIT_PTR_STACK;
	u->size = 8;
	u->flags |= OJ_U_FIXED;
	if (opc == ONM_OP_LD) {
		u->rd = reg;
		u->flags |= OJ_U_LOAD;
	} else {
		u->rb = reg;
		u->flags |= OJ_U_STORE;
	}
	return u;
}

int isel_call(struct isel_ctx *c, const struct ojit_op *op, u32 save_area)
{
	u32 frame = c->p->subprogs[c->blk->subprog].frame;
	u16 saved = c->p->subprogs[c->p->blocks[op->target].subprog].clobbers;
	s32 base = -(s32)(frame + save_area);
	struct ojit_uop *u;
	u16 r;

	for (r = 6; r <= OJIT_BPF_REG_FP; r++)
		if ((saved & OJIT_BIT(r)) &&
		    !frame_op(c, ONM_OP_ST, r, base + 8 * (r - 6), op->insn))
			return -OJIT_E2BIG;
	u = isel_new(c, ONM_OP_ADD, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->rd = OJIT_BPF_REG_FP;
	u->ra = OJIT_BPF_REG_FP;
	u->i = 1;
	u->imm = base;
	u->flags |= OJ_U_FIXED;
	u = isel_new(c, ONM_OP_CALL, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->target = op->target;
	return 0;
}

int isel_exit(struct isel_ctx *c, const struct ojit_op *op)
{
	struct ojit_uop *u;
	u16 r;

	if (c->blk->subprog) {
		u16 saved = c->p->subprogs[c->blk->subprog].clobbers;

		for (r = 6; r <= OJIT_BPF_REG_FP; r++)
			if ((saved & OJIT_BIT(r)) &&
			    !frame_op(c, ONM_OP_LD, r, 8 * (r - 6), op->insn))
				return -OJIT_E2BIG;
		return isel_new(c, ONM_OP_RET, op->insn) ? 0 : -OJIT_E2BIG;
	}
	u = isel_new(c, ONM_OP_EXIT, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	if (op->flags & OJ_F_IMM) {
		u->i = 1;
		u->imm = (s32)op->imm;
	} else {
		u->ra = 0;
	}
	return 0;
}
