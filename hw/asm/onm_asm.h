/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offnic microcode assembler and disassembler.  Syntax: docs/isa.md,
 * "Assembly language".
 *
 * The disassembler half (onm_disasm_*, onm_encode) is free of libc: it
 * formats into caller buffers, so the kernel module can list images in
 * debugfs.  The assembler (onm_asm*) is userspace only.
 */
#ifndef ONM_ASM_H
#define ONM_ASM_H

#include "offnic_isa.h"

#ifndef __KERNEL__
#include <stddef.h>
#endif

/* A micro-op as fields; onm_encode() places them by the op's format. */
struct onm_ufields {
	uint8_t op;
	uint8_t rd, ra, rb;
	uint8_t i;
	uint8_t fn;		/* the whole 8-bit fn field */
	uint8_t cond, w32;	/* B format */
	uint32_t target;	/* B, J formats */
	int64_t imm;		/* imm32, or imm24 for B */
};

uint64_t onm_encode(const struct onm_ufields *f);

/*
 * Text of one micro-op into buf (always NUL-terminated if size > 0).
 * Words that are not legal micro-ops print as ".word 0x...", which the
 * assembler accepts, so every word round-trips.  Returns the length the
 * full text has (like snprintf).
 */
size_t onm_disasm_uop(uint64_t w, char *buf, size_t size);
/* 1 if w is a legal micro-op (its disassembly is not ".word"). */
int onm_uop_legal(uint64_t w);
/* One bundle: lane texts joined by " ; ", trailing NOP lanes dropped. */
size_t onm_disasm_bundle(const uint64_t *words, uint32_t lanes, char *buf,
			 size_t size);

/*
 * A whole image as assembly source, one line per call of emit (no
 * newline in line).  Returns 0, a negative value if the image is
 * malformed, or emit's first non-zero return.  The output assembles back
 * to the same image (relocated constants print as ".const %mapN", the
 * assembler writes 0 there).
 */
typedef int (*onm_emit_fn)(void *arg, const char *line);
int onm_disasm_image(const void *img, size_t len, onm_emit_fn emit,
		     void *arg);

#ifndef __KERNEL__
struct onm_asm_out {
	void *img;		/* malloc'd image, free with onm_asm_free */
	size_t len;
	int line;		/* source line of the first error */
	char msg[200];		/* "line 3: unknown register p40" */
};

/* Assemble a source text.  0, or -1 with line and msg set. */
int onm_asm(const char *src, struct onm_asm_out *out);
void onm_asm_free(struct onm_asm_out *out);
/* Assemble one micro-op text (no labels, %map or =const forms). */
int onm_asm_uop(const char *text, uint64_t *w, char *msg, size_t size);
#endif

#endif /* ONM_ASM_H */
