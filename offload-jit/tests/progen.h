/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef OJIT_PROGEN_H
#define OJIT_PROGEN_H

#include <stdint.h>

#include "ojit_bpf.h"

#define PROGEN_PKT_LEN	64
#define PROGEN_MAX	512

/* A random program the verifier would accept: scalar ALU/ALU32 mixes,
 * loads and stores on the stack and the 64-byte packet at r1, atomics on
 * the stack, forward branches, bounded loops; ends storing r0 to the
 * stack and exiting.  With *end_ptr set on return, r2 is the packet's end
 * pointer and the program has packet bounds checks, some failing to
 * "exit XDP_ABORTED" (removable), some to "exit XDP_DROP".  Returns the
 * instruction count. */
uint32_t progen(uint64_t *rng, struct ojit_bpf_insn *out, int *end_ptr);
uint64_t progen_rand(uint64_t *rng);

#endif
