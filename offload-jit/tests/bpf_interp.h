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

/*
 * With an environment: r1 = ctx, whose loads and stores go to the
 * environment's functions (the packet pointers it hands out point into
 * [data_meta, data_end)); helper calls and map references (LD_IMM64 of
 * a map index) too; BPF-to-BPF calls get 512-byte frames.  Map values
 * the helpers return lie in the regions.  A helper may move data,
 * data_end and data_meta.
 */
struct bpf_interp_env {
	uint8_t *ctx;
	uint32_t ctx_size;
	uint8_t *data, *data_end, *data_meta;
	struct { uint8_t *base; uint64_t size; } region[64];
	uint32_t n_regions;
	uint64_t (*ctx_load)(struct bpf_interp_env *env, uint32_t off, uint32_t size,
			     int *error);
	void (*ctx_store)(struct bpf_interp_env *env, uint32_t off, uint32_t size,
			  uint64_t v, int *error);
	uint64_t (*map_ptr)(struct bpf_interp_env *env, int32_t idx, int *error);
	uint64_t (*call)(struct bpf_interp_env *env, int32_t id, uint64_t *r1_r5,
			 int *error);
	void *priv;
};

void bpf_interp_run_env(const struct ojit_bpf_insn *insns, uint32_t n,
			struct bpf_interp_env *env, uint64_t *r0, int *error);

#endif
