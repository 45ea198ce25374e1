/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * onm: the offnic microcode engine's C reference model.
 *
 * This is the executable specification of the ISA in hw/isa/offnic_isa.def
 * (prose: docs/isa.md).  Users: the RTL lockstep harness (steps one bundle
 * at a time and compares struct onm_arch_state after every retired
 * bundle), offnic-sim's functional mode, the JIT's tests and offnic-run.
 *
 * Pure C99 + <stdint.h>/<stddef.h>.  One engine = N cores sharing map
 * memory and the event ring.  The model is single-threaded: callers
 * serialise calls on one engine (the simulator runs cores one packet at a
 * time, which is how "arbitrated, atomic" map updates are modelled).
 *
 * Errors are negative errno values (Linux numbering, listed below so the
 * header does not depend on <errno.h>).
 *
 * Rules the model fixes where docs/prompts left a choice (docs/isa.md has
 * the full text; the RTL must do the same):
 *  - Timing: cycle c starts at 0.  A bundle issues at t = max(c, ready[r])
 *    over its source AND destination registers (WAW interlock), stalls +=
 *    t - c, each destination gets ready[rd] = t + latency, c = t + 1.
 *    HCALL sources are p1..p5, destination p0.  Cycles = bundles + stalls.
 *  - Watchdog: before issuing a bundle, if c >= watchdog budget, fault
 *    WATCHDOG (pc = that bundle, lane 0, addr = c); the bundle is not
 *    issued.
 *  - BAD_PC is raised when fetching pc >= n_bundles (record pc = the bad
 *    pc, lane 0, addr = pc); the bundle that jumped there retired.
 *  - A faulting bundle is issued (counts in cycles/bundles/uops) and
 *    retires nothing.  The fault reported is that of the lowest faulting
 *    lane; within a lane BAD_OP, then BUNDLE, then operand faults.
 *  - KTIME returns (clock + t) * ns_per_cycle with t the HCALL's issue
 *    cycle; clock = the core's cycles of all earlier packets.
 */
#ifndef OFFNIC_MODEL_H
#define OFFNIC_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Architectural sizes (must equal the ISA_PARAMs; checked in the tests) */
#define ONM_NUM_REGS		32
#define ONM_MAX_LANES		8
#define ONM_STACK_BYTES		512
#define ONM_PKT_BUF_BYTES	4096
#define ONM_CTX_FIELDS		16
#define ONM_RET_STACK_DEPTH	8
#define ONM_MAX_MAPS		64
#define ONM_NUM_PERF		8	/* ISA_PERF entries */

/* Defaults used when a struct onm_config field is 0 */
#define ONM_DEF_LANES		4
#define ONM_DEF_CORES		1
#define ONM_DEF_MAP_MEM		(16U << 20)	/* bytes of map memory */
#define ONM_DEF_WATCHDOG	100000		/* cycles per packet */
#define ONM_DEF_NS_PER_CYCLE	4		/* 250 MHz */
#define ONM_DEF_HEADROOM	256		/* bytes before the frame */
#define ONM_DEF_EVENT_SLOTS	64		/* event ring records */
/* Largest frame a program may grow a packet to: the port's maximum
 * frame length without FCS (OFFNIC_MAX_FRAME of offnic_abi.h).
 */
#define ONM_DEF_MAX_FRAME	1514

/* Largest event record payload (bytes from memory + packet bytes) */
#define ONM_EVENT_MAX_BYTES	1024

/* Verdicts (XDP numbering; tc programs return TC_ACT_* as-is) */
#define ONM_XDP_ABORTED		0
#define ONM_XDP_DROP		1
#define ONM_XDP_PASS		2
#define ONM_XDP_TX		3
#define ONM_XDP_REDIRECT	4

/* Errno values returned by the API and by helpers in p0 */
#define ONM_ENOENT		2
#define ONM_E2BIG		7
#define ONM_ENOMEM		12
#define ONM_EBUSY		16
#define ONM_EEXIST		17
#define ONM_EINVAL		22
#define ONM_ENOSPC		28
#define ONM_ENOEXEC		8	/* malformed image */

/* Map update flags, as BPF's */
#define ONM_ANY			0
#define ONM_NOEXIST		1
#define ONM_EXIST		2

/* Map types: the OFFNIC_MAP_* values of offnic_image.h */
#define ONM_MAP_ARRAY		1
#define ONM_MAP_HASH		2
#define ONM_MAP_PERF_EVENT	3

struct onm_engine;

struct onm_config {
	uint32_t lanes;			/* micro-ops per bundle: 1..8 */
	uint32_t cores;			/* >= 1 */
	uint64_t map_mem_bytes;		/* budget for all map storage */
	uint64_t watchdog_cycles;	/* per-packet cycle budget */
	uint32_t ns_per_cycle;		/* KTIME scale */
	uint32_t event_slots;		/* event ring capacity, records */
	uint32_t prandom_seed;		/* core c starts at seed + c (0 -> 1) */
	/*
	 * Frame length limit (data_end - data) of adjust_head/adjust_tail:
	 * a call that would grow the frame past it answers -EINVAL and
	 * leaves the frame unchanged.  14..PKT_BUF_BYTES.
	 */
	uint32_t max_frame;
};

/* Error detail for onm_load: code is a negative errno, msg is readable. */
struct onm_err {
	int code;
	char msg[160];
};

/* ---- engine ------------------------------------------------------- */

/* NULL config = all defaults.  Returns NULL on allocation failure or an
 * invalid config (lanes not 1..8, max_frame not 14..PKT_BUF_BYTES).
 */
struct onm_engine *onm_create(const struct onm_config *cfg);
void onm_destroy(struct onm_engine *eng);
/* The effective configuration (defaults filled in). */
const struct onm_config *onm_config(const struct onm_engine *eng);

/* ---- images ------------------------------------------------------- */

/*
 * Validate and load an image (offnic_image.h).  Checks magic, version,
 * lanes == engine lanes, n_bundles in 1..MAX_BUNDLES, section sizes
 * against len, stack_size <= 512, reloc indices, map definitions.
 * For each image map i: if slots != NULL and slots[i] >= 0, the map is
 * the host's existing slot slots[i] (its type and sizes must match);
 * otherwise the loader creates it in a free slot.  Relocations then set
 * consts[const_idx] = map handle (MAP tag | slot).  A previously loaded
 * program is unloaded first (maps it created are freed).
 * Returns 0 or a negative errno with err (if non-NULL) filled in.
 */
int onm_load_bound(struct onm_engine *eng, const void *img, size_t len,
		   const int32_t *slots, struct onm_err *err);
int onm_load(struct onm_engine *eng, const void *img, size_t len,
	     struct onm_err *err);
/* Unload the program; frees the maps the loader created (not bound ones). */
void onm_unload(struct onm_engine *eng);
/* Slot the loaded program uses for image map i, or -ENOENT. */
int onm_prog_map_slot(const struct onm_engine *eng, uint32_t map_idx);

/* ---- maps (host side: the driver's offloaded-map operations) ----- */

struct onm_map_def {
	uint32_t type;			/* ONM_MAP_* */
	uint32_t key_size;		/* ARRAY: 4; HASH: 1..256; PERF: 4 */
	uint32_t value_size;		/* 1..65536 (PERF: 4) */
	uint32_t max_entries;		/* >= 1 */
	uint32_t flags;			/* kept, not interpreted */
};

/* slot < 0: lowest free slot.  Returns the slot or a negative errno. */
int onm_map_create(struct onm_engine *eng, int slot,
		   const struct onm_map_def *def);
int onm_map_free(struct onm_engine *eng, int slot);
/* value receives value_size bytes.  0 or -ENOENT/-EINVAL. */
int onm_map_lookup(struct onm_engine *eng, int slot, const void *key,
		   void *value);
/* flags: ONM_ANY/NOEXIST/EXIST.  Same results as the MAP_UPDATE helper. */
int onm_map_update(struct onm_engine *eng, int slot, const void *key,
		   const void *value, uint64_t flags);
/* ARRAY: -EINVAL (as BPF).  HASH: 0 or -ENOENT. */
int onm_map_delete(struct onm_engine *eng, int slot, const void *key);
/* key == NULL or not present: first key.  -ENOENT after the last key.
 * HASH order is bucket order; ARRAY order is index order.
 */
int onm_map_get_next_key(struct onm_engine *eng, int slot, const void *key,
			 void *next_key);

/*
 * Map memory is architectural state.  The view exposes it as laid out:
 * values[n_buckets * stride] (ARRAY: n_buckets = max_entries; HASH:
 * n_buckets = next_pow2(2 * max_entries), min 8), keys[n_buckets *
 * key_size] and state[n_buckets] (ONM_BUCKET_*) for HASH maps only.
 * Pointers stay valid until the map is freed.
 */
#define ONM_BUCKET_EMPTY	0
#define ONM_BUCKET_LIVE		1
#define ONM_BUCKET_TOMB		2

struct onm_map_view {
	struct onm_map_def def;
	uint32_t stride;		/* next_pow2(max(value_size, 8)) */
	uint32_t n_buckets;
	uint32_t live;			/* live entries (ARRAY: max_entries) */
	uint8_t *values;
	uint8_t *keys;			/* NULL for ARRAY */
	uint8_t *state;			/* NULL for ARRAY */
};

/* 0 or -ENOENT if the slot is empty. */
int onm_map_view(struct onm_engine *eng, int slot, struct onm_map_view *v);
/*
 * 64-bit FNV-1a over what must agree between two implementations:
 * the definition, bucket states, and keys and values of live entries
 * (ARRAY: all values).  0 for an empty slot.
 */
uint64_t onm_map_digest(struct onm_engine *eng, int slot);

/* ---- packets ------------------------------------------------------ */

struct onm_pkt_in {
	const uint8_t *frame;		/* copied to buf[headroom..] */
	uint32_t len;			/* headroom + len <= PKT_BUF_BYTES */
	uint32_t headroom;		/* 0 = ONM_DEF_HEADROOM */
	/* Scalar context fields by ISA_CTX index.  DATA, DATA_END,
	 * DATA_META and LEN are ignored: the engine derives them from the
	 * packet buffer offsets whenever they are read.
	 */
	uint64_t ctx[ONM_CTX_FIELDS];
};

struct onm_fault {
	uint32_t cause;			/* ISA_FAULT code, 0 = none */
	uint32_t pc;			/* bundle index */
	uint32_t lane;
	uint32_t rsvd;
	uint64_t addr;			/* faulting address, or other detail */
};

struct onm_pkt_out {
	uint32_t verdict;		/* ABORTED after a fault */
	uint32_t faulted;
	struct onm_fault fault;
	/* The output frame and metadata point into the core's packet
	 * buffer: valid until the next onm_begin/onm_run on that core.
	 */
	const uint8_t *data;
	uint32_t len;			/* data_end_off - data_off */
	uint32_t meta_len;		/* data_off - meta_off */
	const uint8_t *meta;
	uint32_t data_off, data_end_off, meta_off;
	uint64_t ctx[ONM_CTX_FIELDS];	/* final context (writable fields) */
	uint32_t redirected;		/* REDIRECT helper was called */
	uint32_t rsvd;
	uint64_t redirect_ifindex;
	uint64_t redirect_flags;
	uint64_t cycles;		/* issued bundles + stall cycles */
	uint64_t bundles;
	uint64_t uops;			/* non-NOP micro-ops issued */
	uint64_t stalls;
};

/* Run one packet to completion on a core.  0, or -EINVAL (bad core,
 * bad frame size) / -ENOEXEC (no program).
 */
int onm_run(struct onm_engine *eng, uint32_t core,
	    const struct onm_pkt_in *in, struct onm_pkt_out *out);

/* ---- lockstep stepping -------------------------------------------- */

enum onm_status {
	ONM_RUNNING = 0,		/* more bundles to go */
	ONM_EXITED = 1,			/* an EXIT retired */
	ONM_FAULTED = 2,		/* the packet faulted */
};

/* Start a packet: set up the buffer, registers (p1 = CTX pointer,
 * p10 = STACK|512, others 0), zero the stack, pc = 0.  0 or -errno.
 */
int onm_begin(struct onm_engine *eng, uint32_t core,
	      const struct onm_pkt_in *in);
/* Issue and retire one bundle (or raise a fault).  Returns enum
 * onm_status; negative errno if the core has no packet running.
 */
int onm_step(struct onm_engine *eng, uint32_t core);
/* Fill out from the core's current state (valid after EXITED/FAULTED;
 * also during a run, for inspection).
 */
void onm_finish(struct onm_engine *eng, uint32_t core,
		struct onm_pkt_out *out);

/*
 * Architectural state of one core.  Everything here must be identical
 * between the model and the RTL after every retired bundle.
 */
struct onm_arch_state {
	uint32_t pc;			/* next bundle to issue */
	uint32_t exited;		/* 1 after EXIT or a fault */
	uint32_t verdict;
	uint32_t ret_depth;
	uint32_t ret_stack[ONM_RET_STACK_DEPTH];	/* [0] = oldest */
	uint64_t regs[ONM_NUM_REGS];
	uint64_t ctx[ONM_CTX_FIELDS];	/* scalar fields; pointer fields 0 */
	uint32_t data_off;
	uint32_t data_end_off;
	uint32_t meta_off;
	uint32_t prandom;		/* xorshift32 state */
	uint64_t cycle;			/* this packet: bundles + stalls */
	uint64_t clock;			/* core cycles before this packet */
	uint32_t redirected;
	uint32_t rsvd;
	uint64_t redirect_ifindex;
	uint64_t redirect_flags;
	struct onm_fault fault;
	uint64_t perf[ONM_NUM_PERF];	/* by ISA_PERF index, all packets */
	uint8_t stack[ONM_STACK_BYTES];
	uint8_t pkt[ONM_PKT_BUF_BYTES];
};

/* Live state of a core (NULL for a bad core).  The lockstep harness may
 * also write through the non-const variant to inject state.
 */
const struct onm_arch_state *onm_state(const struct onm_engine *eng,
				       uint32_t core);
struct onm_arch_state *onm_state_mut(struct onm_engine *eng, uint32_t core);

/*
 * Compare two states.  Returns 0 if identical; otherwise 1 and writes a
 * one-line description of the first difference in field order, e.g.
 * "regs[3]: 0x10 != 0x14" or "pkt[270]: 0x45 != 0x00", into buf
 * (always NUL-terminated when size > 0).
 */
int onm_state_diff(const struct onm_arch_state *a,
		   const struct onm_arch_state *b, char *buf, size_t size);

/* ---- event ring (EVENT_OUT helper -> host) ------------------------ */

struct onm_event {
	uint32_t core;
	uint32_t map_slot;
	uint64_t flags;
	uint32_t len;			/* bytes in data */
	uint8_t data[ONM_EVENT_MAX_BYTES];
};

/* Oldest record out of the ring: 1 if one was returned, 0 if empty. */
int onm_event_pop(struct onm_engine *eng, struct onm_event *ev);
/* Records waiting in the ring. */
uint32_t onm_event_count(const struct onm_engine *eng);

/* ---- counters ----------------------------------------------------- */

/* Set a core's prandom state (0 -> 1). */
void onm_set_seed(struct onm_engine *eng, uint32_t core, uint32_t seed);
/* Per-core perf counter by ISA_PERF index, summed over cores when
 * core == UINT32_MAX.
 */
uint64_t onm_perf(const struct onm_engine *eng, uint32_t core, uint32_t idx);
void onm_perf_reset(struct onm_engine *eng);

/* Names of ISA table entries, for messages ("out_of_bounds"). */
const char *onm_fault_name(uint32_t cause);

#endif /* OFFNIC_MODEL_H */
