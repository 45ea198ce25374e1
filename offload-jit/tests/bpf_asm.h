/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef OJIT_BPF_ASM_H
#define OJIT_BPF_ASM_H

#include <stddef.h>
#include <stdint.h>

#include "ojit_bpf.h"

/*
 * A small BPF text assembler in the syntax of the BPF conformance suite's
 * "-- asm" sections (ubpf style): "add32 %r0, 1", "ldxh %r2, [%r1+12]",
 * "lock fetch add [%r10-8], %r1", "jne %r0, 15, label", "call local f",
 * labels "name:", comments "#".  Returns the instruction count, or -1 with
 * a message naming the line.
 */
int bpf_asm(const char *text, struct ojit_bpf_insn *out, int max, char *err,
	    size_t err_size);

#endif
