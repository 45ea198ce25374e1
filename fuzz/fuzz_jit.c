// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * libFuzzer harness: ojit_compile() on raw BPF, driven as `offnic-jit
 * --raw` drives it: the facts come from the tools' inference, so
 * instructions that inference never reaches get no facts, as dead code
 * gets none from the kernel's verifier.
 *
 * Input: an 8-byte header, then instructions (8 bytes each).
 *   byte 0  bit 0: tc program (else XDP); bits 1..3: lanes - 1
 *   byte 1  passes to disable (bit n: pass n)
 *   byte 2  bit 0: no renaming; bit 1: no branch merging
 * LD_IMM64 with a map pseudo source and imm < 3 names one of three maps:
 * an array, a hash and a perf event array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"
#include "offnic_image.h"

#define HDR	8

static const struct ojit_map_desc maps[] = {
	{ OFFNIC_MAP_ARRAY, 4, 8, 16, 0 },
	{ OFFNIC_MAP_HASH, 8, 16, 64, 0 },
	{ OFFNIC_MAP_PERF_EVENT, 4, 4, 4, 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ojit_options opt = { 0 };
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	uint32_t i, n;

	if (size < HDR + 8 || (size - HDR) / 8 > OJIT_MAX_INSNS)
		return -1;
	n = (uint32_t)((size - HDR) / 8);
	l.prog_type = data[0] & 1 ? OFFNIC_PROG_TC : OFFNIC_PROG_XDP;
	opt.lanes = ((data[0] >> 1) & 7) + 1;
	opt.disabled_passes = data[1] & ((1U << ojit_n_passes) - 1);
	if (data[2] & 1)
		opt.disabled_passes |= OJIT_NO_RENAME;
	if (data[2] & 2)
		opt.disabled_passes |= OJIT_NO_BRMERGE;
	if (ojit_load_insns((const struct ojit_bpf_insn *)(data + HDR), n, &l))
		return 0;
	memcpy(l.maps, maps, sizeof(maps));
	l.n_maps = sizeof(maps) / sizeof(maps[0]);
	for (i = 0; i < n; i++) {
		const struct ojit_bpf_insn *in = &l.insns[i];

		if (in->code == (OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW) &&
		    (in->src_reg == OJIT_BPF_PSEUDO_MAP_FD ||
		     in->src_reg == OJIT_BPF_PSEUDO_MAP_IDX) &&
		    in->imm >= 0 && (uint32_t)in->imm < l.n_maps)
			l.map_of_insn[i] = in->imm;
	}
	if (!ojit_compile_loaded(&l, &opt, &res))
		ojit_free(res.image);
	ojit_loaded_free(&l);
	return 0;
}
