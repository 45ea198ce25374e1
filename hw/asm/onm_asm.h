/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offnic microcode assembler.  Syntax: docs/isa.md, "Assembly language".
 * The disassembler it inverts, and the encoder, are the ISA library's
 * (hw/isa/offnic_isa.h, hw/isa/codec.c).  Userspace only.
 */
#ifndef ONM_ASM_H
#define ONM_ASM_H

#include <stddef.h>
#include <stdint.h>

#include "offnic_isa.h"

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

#endif /* ONM_ASM_H */
