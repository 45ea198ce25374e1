/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * BPF instructions as the JIT reads them: the UAPI layout and opcode
 * values (include/uapi/linux/bpf.h, bpf_common.h) under the JIT's own
 * names, so the core needs no kernel header.
 */
#ifndef OJIT_BPF_INSN_H
#define OJIT_BPF_INSN_H

#include "ojit_port.h"

struct ojit_bpf_insn {
	u8 code;
	u8 dst_reg:4;
	u8 src_reg:4;
	s16 off;
	s32 imm;
};

#define OJIT_BPF_CLASS(code)	((code) & 0x07)
#define OJIT_BPF_SIZE(code)	((code) & 0x18)
#define OJIT_BPF_MODE(code)	((code) & 0xe0)
#define OJIT_BPF_OP(code)	((code) & 0xf0)
#define OJIT_BPF_SRC(code)	((code) & 0x08)

/* classes */
#define OJIT_BPF_LD		0x00
#define OJIT_BPF_LDX		0x01
#define OJIT_BPF_ST		0x02
#define OJIT_BPF_STX		0x03
#define OJIT_BPF_ALU		0x04
#define OJIT_BPF_JMP		0x05
#define OJIT_BPF_JMP32		0x06
#define OJIT_BPF_ALU64		0x07

/* sizes */
#define OJIT_BPF_W		0x00
#define OJIT_BPF_H		0x08
#define OJIT_BPF_B		0x10
#define OJIT_BPF_DW		0x18

/* modes */
#define OJIT_BPF_IMM		0x00
#define OJIT_BPF_ABS		0x20
#define OJIT_BPF_IND		0x40
#define OJIT_BPF_MEM		0x60
#define OJIT_BPF_MEMSX		0x80
#define OJIT_BPF_ATOMIC		0xc0

/* source */
#define OJIT_BPF_K		0x00
#define OJIT_BPF_X		0x08

/* ALU operations */
#define OJIT_BPF_ADD		0x00
#define OJIT_BPF_SUB		0x10
#define OJIT_BPF_MUL		0x20
#define OJIT_BPF_DIV		0x30
#define OJIT_BPF_OR		0x40
#define OJIT_BPF_AND		0x50
#define OJIT_BPF_LSH		0x60
#define OJIT_BPF_RSH		0x70
#define OJIT_BPF_NEG		0x80
#define OJIT_BPF_MOD		0x90
#define OJIT_BPF_XOR		0xa0
#define OJIT_BPF_MOV		0xb0
#define OJIT_BPF_ARSH		0xc0
#define OJIT_BPF_END		0xd0

/* BPF_END source bit: to little or big endian (BPF_ALU64 | BPF_END = bswap) */
#define OJIT_BPF_TO_LE		0x00
#define OJIT_BPF_TO_BE		0x08

/* jumps */
#define OJIT_BPF_JA		0x00
#define OJIT_BPF_JEQ		0x10
#define OJIT_BPF_JGT		0x20
#define OJIT_BPF_JGE		0x30
#define OJIT_BPF_JSET		0x40
#define OJIT_BPF_JNE		0x50
#define OJIT_BPF_JSGT		0x60
#define OJIT_BPF_JSGE		0x70
#define OJIT_BPF_CALL		0x80
#define OJIT_BPF_EXIT		0x90
#define OJIT_BPF_JLT		0xa0
#define OJIT_BPF_JLE		0xb0
#define OJIT_BPF_JSLT		0xc0
#define OJIT_BPF_JSLE		0xd0

/* atomic operations (imm of BPF_STX | BPF_ATOMIC) */
#define OJIT_BPF_FETCH		0x01
#define OJIT_BPF_XCHG		(0xe0 | OJIT_BPF_FETCH)
#define OJIT_BPF_CMPXCHG	(0xf0 | OJIT_BPF_FETCH)

/* src_reg of LD_IMM64 and CALL */
#define OJIT_BPF_PSEUDO_MAP_FD		1
#define OJIT_BPF_PSEUDO_MAP_VALUE	2
#define OJIT_BPF_PSEUDO_BTF_ID		3
#define OJIT_BPF_PSEUDO_FUNC		4
#define OJIT_BPF_PSEUDO_MAP_IDX		5
#define OJIT_BPF_PSEUDO_MAP_IDX_VALUE	6
#define OJIT_BPF_PSEUDO_CALL		1
#define OJIT_BPF_PSEUDO_KFUNC_CALL	2

/* helper ids (enum bpf_func_id) the device implements */
#define OJIT_FN_map_lookup_elem		1
#define OJIT_FN_map_update_elem		2
#define OJIT_FN_map_delete_elem		3
#define OJIT_FN_ktime_get_ns		5
#define OJIT_FN_get_prandom_u32		7
#define OJIT_FN_get_smp_processor_id	8
#define OJIT_FN_tail_call		12
#define OJIT_FN_redirect		23
#define OJIT_FN_perf_event_output	25
#define OJIT_FN_csum_diff		28
#define OJIT_FN_xdp_adjust_head		44
#define OJIT_FN_xdp_adjust_meta		54
#define OJIT_FN_xdp_adjust_tail		65
#define OJIT_FN_xdp_get_buff_len	188

#define OJIT_BPF_REG_FP		10
#define OJIT_BPF_NREGS		11

#endif /* OJIT_BPF_INSN_H */
