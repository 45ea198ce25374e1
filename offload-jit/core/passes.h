/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef OJIT_PASSES_H
#define OJIT_PASSES_H

#include "ojit_int.h"

int ojit_pass_constprop(struct ojit_prog *p);
int ojit_pass_threeop(struct ojit_prog *p);
int ojit_pass_ldswap(struct ojit_prog *p);
int ojit_pass_ldcombine(struct ojit_prog *p);
int ojit_pass_widen(struct ojit_prog *p);
int ojit_pass_exit_imm(struct ojit_prog *p);
int ojit_pass_bounds(struct ojit_prog *p);
int ojit_pass_dce(struct ojit_prog *p);
int ojit_pass_hoist(struct ojit_prog *p);
int ojit_pass_jump_thread(struct ojit_prog *p);

/* Known constant values of BPF registers at a program point */
struct ojit_cstate {
	u16 known;
	s64 val[OJIT_BPF_NREGS];
};

/* Constant state on entry of every block; NULL on allocation failure */
struct ojit_cstate *ojit_const_analyze(struct ojit_prog *p);
void ojit_const_step(const struct ojit_op *op, struct ojit_cstate *st);

/* First non-NOP op at or after index i of a block, or NULL */
struct ojit_op *ojit_next_op(struct ojit_prog *p, struct ojit_block *b, u32 *i);
struct ojit_op *ojit_block_terminator(struct ojit_prog *p, struct ojit_block *b);

#endif /* OJIT_PASSES_H */
