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

/*
 * ---- ISA: names for the values of hw/isa/offnic_isa.def ----
 * Written out (X-macro enumerators upset checkpatch); isa.c checks every
 * one against the .def at compile time, so they cannot drift.
 */
enum ojit_isa_op {
	ISA_OP_NOP = 0x00, ISA_OP_ADD = 0x01, ISA_OP_SUB = 0x02, ISA_OP_MUL = 0x03,
	ISA_OP_DIV = 0x04, ISA_OP_SDIV = 0x05, ISA_OP_MOD = 0x06, ISA_OP_SMOD = 0x07,
	ISA_OP_OR = 0x08, ISA_OP_AND = 0x09, ISA_OP_XOR = 0x0a, ISA_OP_LSH = 0x0b,
	ISA_OP_RSH = 0x0c, ISA_OP_ARSH = 0x0d, ISA_OP_NEG = 0x0e, ISA_OP_MOV = 0x0f,
	ISA_OP_MOVSX = 0x10, ISA_OP_BSWAP = 0x11, ISA_OP_LDK = 0x12,
	ISA_OP_LD = 0x20, ISA_OP_ST = 0x21, ISA_OP_ATOMIC = 0x22,
	ISA_OP_BR = 0x30, ISA_OP_JA = 0x31, ISA_OP_CALL = 0x32, ISA_OP_RET = 0x33,
	ISA_OP_EXIT = 0x34, ISA_OP_HCALL = 0x38,
};

enum ojit_isa_unit {
	ISA_UNIT_ALU, ISA_UNIT_MUL, ISA_UNIT_DIV, ISA_UNIT_MEM, ISA_UNIT_ATOMIC,
	ISA_UNIT_HELPER, ISA_UNIT_CTRL,
	ISA_N_UNITS
};

enum ojit_isa_cond {
	ISA_COND_EQ, ISA_COND_NE, ISA_COND_GT, ISA_COND_GE, ISA_COND_LT, ISA_COND_LE,
	ISA_COND_SGT, ISA_COND_SGE, ISA_COND_SLT, ISA_COND_SLE, ISA_COND_SET,
};

enum ojit_isa_atomic {
	ISA_ATOMIC_ADD, ISA_ATOMIC_OR, ISA_ATOMIC_AND, ISA_ATOMIC_XOR, ISA_ATOMIC_XCHG,
	ISA_ATOMIC_CMPXCHG,
};

enum ojit_isa_helper {
	ISA_HELPER_MAP_LOOKUP = 1, ISA_HELPER_MAP_UPDATE, ISA_HELPER_MAP_DELETE,
	ISA_HELPER_ADJ_HEAD, ISA_HELPER_ADJ_TAIL, ISA_HELPER_ADJ_META,
	ISA_HELPER_PRANDOM, ISA_HELPER_KTIME, ISA_HELPER_CSUM_DIFF,
	ISA_HELPER_EVENT_OUT, ISA_HELPER_REDIRECT, ISA_HELPER_CORE_ID,
	ISA_HELPER_BUFF_LEN,
	ISA_N_HELPERS
};

enum ojit_isa_ctx {
	ISA_CTX_DATA, ISA_CTX_DATA_END, ISA_CTX_DATA_META, ISA_CTX_IFINDEX,
	ISA_CTX_RXQ, ISA_CTX_EGRESS_IF, ISA_CTX_LEN, ISA_CTX_PROTOCOL, ISA_CTX_MARK,
	ISA_CTX_HASH, ISA_CTX_PRIORITY, ISA_CTX_TC_INDEX, ISA_CTX_CB0,
};

/* The parameters the JIT depends on: the .def's ISA_PARAM, by name */
enum ojit_isa_param {
	ojit_isa_param_NUM_REGS = 32,
	ojit_isa_param_REF_LANES = 4,
	ojit_isa_param_MAX_LANES = 8,
	ojit_isa_param_STACK_BYTES = 512,
	ojit_isa_param_PKT_BUF_BYTES = 4096,
	ojit_isa_param_CTX_FIELDS = 16,
	ojit_isa_param_RET_STACK_DEPTH = 8,
	ojit_isa_param_MAX_BUNDLES = 65536,
};

#define ISA_NUM_REGS	ojit_isa_param_NUM_REGS
#define ISA_STACK_BYTES	ojit_isa_param_STACK_BYTES
#define ISA_MAX_BUNDLES	ojit_isa_param_MAX_BUNDLES

/* Bit positions of the micro-op fields */
enum ojit_isa_field {
	ISA_F_OPCODE_HI = 63, ISA_F_OPCODE_LO = 56,
	ISA_F_RD_HI = 55, ISA_F_RD_LO = 51,
	ISA_F_RA_HI = 50, ISA_F_RA_LO = 46,
	ISA_F_RB_HI = 45, ISA_F_RB_LO = 41,
	ISA_F_I_HI = 40, ISA_F_I_LO = 40,
	ISA_F_FN_HI = 39, ISA_F_FN_LO = 32,
	ISA_F_IMM32_HI = 31, ISA_F_IMM32_LO = 0,
	ISA_F_B_COND_HI = 55, ISA_F_B_COND_LO = 52,
	ISA_F_B_W32_HI = 51, ISA_F_B_W32_LO = 51,
	ISA_F_B_TARGET_HI = 39, ISA_F_B_TARGET_LO = 24,
	ISA_F_B_IMM24_HI = 23, ISA_F_B_IMM24_LO = 0,
	ISA_F_FN_W32_HI = 32, ISA_F_FN_W32_LO = 32,
	ISA_F_FN_EXT_HI = 34, ISA_F_FN_EXT_LO = 33,
	ISA_F_FN_SIZE_HI = 33, ISA_F_FN_SIZE_LO = 32,
	ISA_F_FN_BSWAP_HI = 34, ISA_F_FN_BSWAP_LO = 34,
	ISA_F_FN_SEXT_HI = 35, ISA_F_FN_SEXT_LO = 35,
	ISA_F_FN_AOP_HI = 35, ISA_F_FN_AOP_LO = 32,
	ISA_F_FN_FETCH_HI = 36, ISA_F_FN_FETCH_LO = 36,
	ISA_F_FN_AW32_HI = 37, ISA_F_FN_AW32_LO = 37,
};

enum ojit_isa_format { FMT_N, FMT_R, FMT_M, FMT_A, FMT_B, FMT_J, FMT_X, FMT_H, FMT_K };

struct ojit_isa_opinfo {
	const char *mnemonic;
	u8 valid;
	u8 format;	/* enum ojit_isa_format */
	u8 unit;	/* enum ojit_isa_unit */
};

extern const struct ojit_isa_opinfo ojit_isa_ops[256];
u32 ojit_isa_unit_cap(u32 unit);
u32 ojit_isa_unit_lat(u32 unit);
u32 ojit_isa_helper_latency(u32 helper);
const char *ojit_isa_helper_name(u32 helper);
const char *ojit_isa_cond_name(u32 cond);
const char *ojit_isa_atomic_name(u32 aop);

u64 ojit_isa_field_get(u64 word, u32 hi, u32 lo);
u64 ojit_isa_field_put(u64 word, u32 hi, u32 lo, u64 val);
#define ISA_GET(word, f)	ojit_isa_field_get(word, ISA_F_##f##_HI, ISA_F_##f##_LO)
#define ISA_PUT(word, f, v)	ojit_isa_field_put(word, ISA_F_##f##_HI, ISA_F_##f##_LO, v)

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
	u8 alu;		/* enum ojit_alu, ISA_COND_* for BR, ISA_ATOMIC_* */
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
