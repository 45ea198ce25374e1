/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef OJIT_BPF_INTERP_H
#define OJIT_BPF_INTERP_H

#include <stdint.h>

#include "ojit_bpf.h"

/* A plain BPF interpreter, the oracle of the differential tests.  The
 * program sees r1 = packet start, r2 = packet length (the offnic-run
 * prologue convention) or, with r2_is_end, the packet's end pointer,
 * and r10 = top of a zeroed 512-byte stack. */
struct bpf_interp_out {
	uint64_t r0;
	int error;		/* out-of-bounds access, bad insn, step limit */
	uint8_t stack[512];
	uint8_t pkt[4096];
};

void bpf_interp_run(const struct ojit_bpf_insn *insns, uint32_t n,
		    const uint8_t *pkt, uint32_t len, int r2_is_end,
		    struct bpf_interp_out *out);

#endif
