/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef OJIT_ISEL_H
#define OJIT_ISEL_H

#include "ojit_int.h"

/* Most micro-ops one IR op becomes (a call: 5 saves, frame, call) */
#define ISEL_MAX_EXPANSION	8

struct isel_ctx {
	struct ojit_prog *p;
	struct ojit_block *blk;
	u32 cap;
};

struct ojit_uop *isel_new(struct isel_ctx *c, u8 opc, u32 insn);
struct ojit_uop *isel_mov_imm(struct isel_ctx *c, u16 rd, s32 imm, u32 insn);
u16 isel_temp(struct isel_ctx *c);

int isel_ctx_load(struct isel_ctx *c, const struct ojit_op *op);
int isel_ctx_store(struct isel_ctx *c, const struct ojit_op *op);
int isel_helper(struct isel_ctx *c, const struct ojit_op *op);
int isel_call(struct isel_ctx *c, const struct ojit_op *op, u32 save_area);
int isel_exit(struct isel_ctx *c, const struct ojit_op *op);
int ojit_map_const(struct ojit_prog *p, u32 map_idx);

#endif /* OJIT_ISEL_H */
