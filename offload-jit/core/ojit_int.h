/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offload-jit internals: the data of each pipeline stage.
 *
 *   validate BPF insns + facts      -> refusal, or which insns are live
 *   import   BPF insns + facts      -> struct ojit_op[] (IR), subprogs
 *   cfg      IR                     -> struct ojit_block[], edges, liveness
 *   passes   IR in blocks           -> smaller IR (ojit_pass_list[])
 *   isel     IR                     -> struct ojit_uop[] per block (vregs)
 *   rename   uops                   -> uops with fewer false dependencies
 *   schedule uops                   -> bundle number per uop
 *   regalloc scheduled uops         -> physical registers p0..p31
 *   emit     everything             -> offnic image
 *   selfchk  image                  -> structural invariants hold
 */
#ifndef OJIT_INT_H
#define OJIT_INT_H

#include "../include/ojit.h"
#include "../../hw/include/offnic_image.h"
#include "../../hw/isa/offnic_isa.h"

/* The ISA's names, fields, tables and codec: hw/isa, generated from the .def */
static inline u32 ojit_isa_helper_latency(u32 helper)
{
	return helper < ONM_NUM_HELPERS && onm_helper_table[helper].mnemonic ?
	       onm_helper_table[helper].latency : 1;
}

/* ---- IR (import, passes) ---- */
enum ojit_op_kind {
	OJ_NOP = 0,	/* removed by a pass */
	OJ_ALU,		/* dst = a <alu> (b | imm) */
	OJ_LDK,		/* dst = imm (64-bit constant) */
	OJ_LDMAP,	/* dst = handle of map map_idx */
	OJ_LD,		/* dst = mem[a + off] */
	OJ_ST,		/* mem[a + off] = b | imm */
	OJ_ATOMIC,	/* mem[a + off] <aop>= b, fetch to b, cmpxchg via r0 */
	OJ_HCALL,	/* r0 = helper(r1..r5) */
	OJ_CALL,	/* BPF-to-BPF call, target = block of the callee */
	OJ_BR,		/* if (a <cond> (b | imm)) goto target */
	OJ_JA,		/* goto target */
	OJ_EXIT,	/* main program: verdict r0 (or imm); subprogram: return */
};

enum ojit_alu {
	OJ_ADD, OJ_SUB, OJ_MUL, OJ_DIV, OJ_SDIV, OJ_MOD, OJ_SMOD, OJ_OR, OJ_AND,
	OJ_XOR, OJ_LSH, OJ_RSH, OJ_ARSH, OJ_NEG, OJ_MOV, OJ_MOVSX, OJ_BSWAP,
	OJ_N_ALU
};

#define OJ_F_IMM	OJIT_BIT(0)	/* operand b is imm */
#define OJ_F_W32	OJIT_BIT(1)	/* 32-bit operation / comparison */
#define OJ_F_BSWAP	OJIT_BIT(2)	/* LD/ST: big-endian memory */
#define OJ_F_SEXT	OJIT_BIT(3)	/* LD: sign-extend */
#define OJ_F_FETCH	OJIT_BIT(4)	/* ATOMIC: old value to b */
#define OJ_F_WITNESS	OJIT_BIT(5)	/* LD/ST: stands in for a removed bounds check */
#define OJ_F_STACK_OFF	OJIT_BIT(6)	/* stack_off is the access's constant offset */

struct ojit_op {
	u8 kind;	/* enum ojit_op_kind */
	u8 alu;		/* enum ojit_alu, ONM_COND_* for BR, ONM_AOP_* */
	u8 size;	/* LD/ST/ATOMIC bytes; MOVSX/BSWAP/zext width in bits/8 */
	u8 flags;	/* OJ_F_* */
	u8 space;	/* enum ojit_ptr_kind of the address base */
	u8 dst;
	u8 a;
	u8 b;
	s32 off;
	s32 stack_off;	/* frame-relative offset of the access */
	s64 imm;
	u32 insn;	/* BPF instruction index */
	u32 target;	/* block index (BR, JA, CALL), map index (LDMAP) */
};

/* ---- micro-ops (isel .. emit) ---- */
#define OJ_NOREG	0xffff	/* micro-op register unused */
#define OJ_NOREG8	0xff	/* IR register unused */
#define OJ_FIRST_TEMP	11

#define OJ_U_LOAD	OJIT_BIT(0)
#define OJ_U_STORE	OJIT_BIT(1)
#define OJ_U_BARRIER	OJIT_BIT(2)	/* orders against every memory op */
#define OJ_U_CONTROL	OJIT_BIT(3)	/* ends the block */
#define OJ_U_FAULTY	OJIT_BIT(4)	/* may fault: keep after/before effects */
#define OJ_U_EFFECT	OJIT_BIT(5)	/* visible outside the packet */
#define OJ_U_FIXED	OJIT_BIT(6)	/* its registers are the convention's: no renaming */

struct ojit_uop {
	u8 opc;		/* ISA opcode */
	u8 fn;
	u8 cond;
	u8 i;		/* operand b / verdict is the immediate */
	u8 w32;		/* branch compares low 32 bits */
	u8 unit;
	u8 lat;
	u8 flags;	/* OJ_U_* */
	u16 rd, ra, rb;	/* virtual registers, OJ_NOREG if unused */
	u8 space;	/* memory: enum ojit_ptr_kind */
	u8 size;
	s32 imm;
	s32 stack_off;	/* valid if space == STACK and has_stack_off */
	u8 has_stack_off;
	u16 base_ver;	/* schedule: writes to ra before this op, in its block */
	u32 target;	/* block index of BR/JA/CALL; argument count of HCALL */
	u32 insn;
	u32 bundle;	/* schedule: bundle within the block */
};

/* ---- CFG ---- */
struct ojit_block {
	u32 first_insn;		/* BPF range [first_insn, end_insn) */
	u32 end_insn;
	u32 op_first;		/* IR ops [op_first, op_first + n_ops) */
	u32 n_ops;
	u32 succ[2];		/* [0] next block, [1] taken; OJ_NONE */
	u32 subprog;
	u16 live_in;		/* BPF registers live on entry (bit per reg) */
	u16 live_out;
	u8 reachable;
	u8 back_edge;		/* the taken edge goes backwards */
	u8 subprog_start;	/* first block of a (sub)program */
	/* isel .. emit */
	struct ojit_uop *uops;
	u32 n_uops;
	u32 uop_cap;
	u32 n_bundles;
	u32 start_bundle;
	u32 crit_path;
};

#define OJ_NONE		0xffffffffU

struct ojit_subprog {
	u32 first_insn;
	u32 frame;		/* bytes of its own stack frame, 8-aligned */
	u16 clobbers;		/* r6..r9 it writes, and r10: saved around calls */
};

/* The whole compilation, passed stage to stage */
struct ojit_prog {
	const struct ojit_input *in;
	const struct ojit_options *opt;
	struct ojit_result *res;
	u32 lanes;

	u8 *live;			/* per insn: the verifier visited it */
	struct ojit_op *ops;		/* n_ops entries, one per BPF insn */
	u32 n_ops;
	u32 *block_of_insn;		/* n_insns entries */

	struct ojit_block *blocks;
	u32 n_blocks;

	struct ojit_subprog subprogs[OJIT_MAX_SUBPROGS];
	u32 n_subprogs;

	u64 *consts;
	s32 *const_map;			/* map index of a const entry, or -1 */
	u32 n_consts;
	u32 n_vregs;			/* next free virtual register */
	u32 n_bundles;
	u32 stack_size;			/* bytes, frames and save areas included */
	char scratch[sizeof(((struct ojit_result *)0)->msg)];
};

/* Set res->msg and return err; insn < 0 means no instruction */
int ojit_fail(struct ojit_prog *p, int err, s32 insn, const char *why);
char *ojit_msgbuf(struct ojit_prog *p);
static inline int ojit_failed(int err, int printed)
{
	(void)printed;
	return err;
}

/* The core has no va_list (no <stdarg.h> in either world): format
 * straight into the message, keeping the first failure's message
 */
#define ojit_fail_fmt(p, err, fmt, ...) \
	ojit_failed((err), ojit_snprintf(ojit_msgbuf(p), sizeof((p)->scratch), \
					 fmt, ##__VA_ARGS__))

int ojit_validate(struct ojit_prog *p);
int ojit_import(struct ojit_prog *p);
int ojit_cfg_build(struct ojit_prog *p);
void ojit_cfg_liveness(struct ojit_prog *p);
void ojit_cfg_reachability(struct ojit_prog *p);
int ojit_run_passes(struct ojit_prog *p);
int ojit_isel(struct ojit_prog *p);
int ojit_rename(struct ojit_prog *p);
int ojit_schedule(struct ojit_prog *p);
int ojit_regalloc(struct ojit_prog *p);
int ojit_merge_branches(struct ojit_prog *p);
int ojit_emit(struct ojit_prog *p);
int ojit_selfcheck(struct ojit_prog *p, const void *image, unsigned long size);

/* Register use of IR ops and micro-ops */
u16 ojit_op_uses(const struct ojit_op *op);
u16 ojit_op_defs(const struct ojit_op *op);
bool ojit_op_is_pure(const struct ojit_op *op);
u32 ojit_uop_reads(const struct ojit_uop *u, u16 *regs);
u16 ojit_uop_writes(const struct ojit_uop *u);

int ojit_const_index(struct ojit_prog *p, u64 val);
u32 ojit_subprog_of(const struct ojit_prog *p, u32 insn);
const char *ojit_helper_name(u32 id);
u32 ojit_helper_args(u32 id);
bool ojit_eval_alu(u8 alu, u8 flags, u8 size, u64 a, u64 b, u64 *out);
bool ojit_eval_cond(u8 cond, bool w32, u64 a, u64 b);

static inline struct ojit_op *ojit_block_op(struct ojit_prog *p,
					    struct ojit_block *b, u32 i)
{
	return &p->ops[b->op_first + i];
}

#endif /* OJIT_INT_H */
