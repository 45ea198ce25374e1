/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Internals of the reference model shared between its files (and its
 * tests).  Not an API: users include offnic_model.h only.
 */
#ifndef ONM_INTERNAL_H
#define ONM_INTERNAL_H

#include "offnic_model.h"
#include "offnic_isa.h"

#define ONM_EACCES		13
#define ONM_EFAULT		14
#define ONM_ETH_HLEN		14
#define ONM_META_MAX		32
#define ONM_KEY_MAX		256
#define ONM_VALUE_MAX		65536
#define ONM_CSUM_MAX		512	/* from_size + to_size, bytes */

/* One predecoded micro-op. */
struct onm_uop {
	uint8_t lane;
	uint8_t op;		/* enum onm_opcode */
	uint8_t fmt;
	uint8_t unit;
	uint8_t bad;		/* static fault cause for this lane, 0 = none */
	uint8_t rd, ra, rb;
	uint8_t use_imm;	/* operand B is imm, not rb */
	uint8_t w32;		/* R: fn.w32, B: b.w32, A: fn.aw32 */
	uint8_t ext;		/* R: fn.ext, M: fn.size, A: aop */
	uint8_t bswap, sext, fetch;
	uint8_t cond;
	uint8_t writes_rd;	/* the op writes rd (HCALL: p0) */
	uint8_t lat;		/* result latency */
	uint32_t target;	/* B, J */
	uint32_t srcs;		/* source register mask */
	int64_t imm;		/* sign-extended imm32 / imm24 */
};

struct onm_bundle {
	uint8_t n;		/* micro-ops in u[] (NOP lanes dropped) */
	uint8_t has_ctrl;
	uint32_t regs;		/* sources | destinations: the interlock set */
	struct onm_uop u[ONM_MAX_LANES];
};

/* decode.c */
int onm_decode_uop(uint64_t w, struct onm_uop *u);
void onm_decode_bundle(const uint64_t *words, uint32_t lanes,
		       uint32_t n_consts, struct onm_bundle *b);

/* exec_alu.c */
uint64_t onm_alu(uint8_t op, int w32, int ext, uint64_t a, uint64_t b);
int onm_cond_holds(uint8_t cond, int w32, uint64_t a, uint64_t b);
uint64_t onm_bswap_n(uint64_t v, unsigned int bytes);
uint64_t onm_atomic_new(uint8_t aop, uint64_t old, uint64_t operand);

struct onm_map {
	int used;
	int by_loader;		/* created by onm_load: freed by onm_unload */
	struct onm_map_def def;
	uint32_t stride;
	uint32_t n_buckets;
	uint32_t live;
	size_t bytes;
	uint8_t *values;
	uint8_t *keys;
	uint8_t *state;
};

struct onm_core {
	struct onm_arch_state st;
	uint64_t ready[ONM_NUM_REGS];	/* cycle each register is ready */
	uint64_t all_ready;		/* max of ready[]: no stall at or after it */
	int running;
};

struct onm_engine {
	struct onm_config cfg;
	struct onm_core *cores;
	struct onm_map maps[ONM_MAX_MAPS];
	uint64_t map_mem_used;
	/* loaded program */
	int loaded;
	uint32_t prog_type;
	uint32_t n_bundles;
	struct onm_bundle *bundles;
	uint32_t n_consts;
	uint64_t *consts;
	uint32_t n_maps;
	int32_t *map_slots;
	/* event ring */
	struct onm_event *events;
	uint32_t ev_head, ev_count;
	/* a helper's staged writes: one HCALL per bundle */
	struct onm_event ev_stage;
	uint8_t value_stage[ONM_VALUE_MAX];
};

/* A resolved memory operand */
struct onm_fault_info {
	uint32_t cause;
	uint64_t addr;
};

/* spaces.c: resolve ptr for an access of size bytes.  Returns a host
 * pointer, or NULL with f filled.  CTX is not resolved here (field
 * semantics): callers of onm_resolve_buf get BAD_SPACE for it.
 */
uint8_t *onm_resolve_buf(struct onm_engine *eng, struct onm_core *c,
			 uint64_t ptr, uint64_t size,
			 struct onm_fault_info *f);

/* maps.c */
uint32_t onm_crc32c(const uint8_t *p, uint32_t n);
struct onm_map *onm_map_get(struct onm_engine *eng, int slot);
/* bucket of key, or -1 */
int64_t onm_hash_find(const struct onm_map *m, const uint8_t *key);
/* Decide an update: 0 with bucket and is_new set, or -errno */
int onm_map_plan_update(const struct onm_map *m, const uint8_t *key,
			uint64_t flags, uint32_t *bucket, int *is_new);
void onm_map_apply_update(struct onm_map *m, uint32_t bucket, int is_new,
			  const uint8_t *key, const uint8_t *value);
int onm_map_plan_delete(const struct onm_map *m, const uint8_t *key,
			uint32_t *bucket);
void onm_map_apply_delete(struct onm_map *m, uint32_t bucket);
void onm_maps_free_all(struct onm_engine *eng);

/* helpers.c: a helper's read phase computes p0 and a deferred effect,
 * applied in lane order with the bundle's other writes.
 */
struct onm_heffect {
	uint8_t kind;
	uint8_t is_new;
	uint32_t slot, bucket;
	uint32_t data_off, data_end_off, meta_off;
	uint32_t move_from, move_len, zero_from, zero_len;
	uint32_t prandom;
	uint64_t redirect_ifindex, redirect_flags;
	uint8_t key[ONM_KEY_MAX];
};

int onm_helper_exec(struct onm_engine *eng, struct onm_core *c,
		    uint32_t id, uint64_t t_issue, uint64_t *p0,
		    struct onm_heffect *e, struct onm_fault_info *f);
void onm_helper_commit(struct onm_engine *eng, struct onm_core *c,
		       struct onm_heffect *e);
uint32_t onm_csum_diff32(const uint8_t *from, uint32_t from_size,
			 const uint8_t *to, uint32_t to_size, uint32_t seed);

/* exec_mem.c: one bundle's memory and register effects */
struct onm_memw {
	uint8_t *p;		/* bytes to write, or NULL for a ctx field */
	uint64_t *ctx;
	uint8_t size;
	uint64_t v;
};

int onm_exec_load(struct onm_engine *eng, struct onm_core *c,
		  const struct onm_uop *u, uint64_t *val,
		  struct onm_fault_info *f);
int onm_exec_store(struct onm_engine *eng, struct onm_core *c,
		   const struct onm_uop *u, struct onm_memw *w,
		   struct onm_fault_info *f);
int onm_exec_atomic(struct onm_engine *eng, struct onm_core *c,
		    const struct onm_uop *u, uint64_t *rd_val,
		    struct onm_memw *w, struct onm_fault_info *f);
void onm_memw_apply(const struct onm_memw *w);

/* engine.c */
void onm_fault_core(struct onm_engine *eng, struct onm_core *c,
		    uint32_t cause, uint32_t pc, uint32_t lane, uint64_t addr);

/*
 * Little-endian memory access of n = 1, 2, 4 or 8 bytes.  The fixed-size
 * copies compile to single moves; big-endian hosts take the byte loop.
 */
static inline uint64_t onm_load_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v32;
	uint16_t v16;

	switch (n) {
	case 1:
		return *p;
	case 2:
		__builtin_memcpy(&v16, p, 2);
		return v16;
	case 4:
		__builtin_memcpy(&v32, p, 4);
		return v32;
	case 8:
		__builtin_memcpy(&v, p, 8);
		return v;
	}
#endif
	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static inline void onm_store_le(uint8_t *p, unsigned int n, uint64_t v)
{
	unsigned int i;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v32 = (uint32_t)v;
	uint16_t v16 = (uint16_t)v;

	switch (n) {
	case 1:
		*p = (uint8_t)v;
		return;
	case 2:
		__builtin_memcpy(p, &v16, 2);
		return;
	case 4:
		__builtin_memcpy(p, &v32, 4);
		return;
	case 8:
		__builtin_memcpy(p, &v, 8);
		return;
	}
#endif
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t onm_next_pow2(uint32_t v)
{
	uint32_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

#endif /* ONM_INTERNAL_H */
