/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * rtl_engine: the Verilator-built offnic_engine RTL behind a small C API,
 * shaped like the C model's (offnic_model.h) so the lockstep harness can
 * drive both the same way.
 *
 * Loading (image, constants, packet buffer, context, map slot table and
 * map memory) goes through the engine's host port, as a host would.
 * Architectural state is read after each retired bundle straight from
 * the RTL's registers and memories (Verilator public signals), so the
 * comparison sees exactly what the hardware holds.
 */
#ifndef RTL_ENGINE_H
#define RTL_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
#include "offnic_model.h"
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct rtl_engine;

/* fst: write an FST waveform there (NULL: none; OFFNIC_WAVES also works) */
struct rtl_engine *rtl_create(const char *fst);
void rtl_destroy(struct rtl_engine *r);
unsigned int rtl_cores(void);
unsigned int rtl_lanes(void);

/* Engine-wide configuration (engine CFG registers 16..20) */
void rtl_config(struct rtl_engine *r, uint64_t watchdog, uint32_t ns_per_cycle,
		uint32_t prog_type);
/* The port's frame length, the most adjust_head/tail may grow a frame to
 * (CFG register 21; 1514 at reset, as the model's default). */
void rtl_set_max_frame(struct rtl_engine *r, uint32_t max_frame);

/*
 * Load an image: bundles, constant pool with each relocated constant set
 * to the MAP handle of slots[map_idx].  0 or -errno.
 */
int rtl_load(struct rtl_engine *r, const void *img, size_t len,
	     const int *slots);

/* Define a map in a slot and lay it out in map memory.  0 or -errno
 * (-E2BIG: key or value larger than this RTL stages, or no room). */
int rtl_map_define(struct rtl_engine *r, int slot,
		   const struct onm_map_def *def);
/* Drop a slot's definition; its memory is free for other maps. */
void rtl_map_undefine(struct rtl_engine *r, int slot);
/*
 * Host map operations through the host port, with the model's results
 * (onm_map_lookup etc.: same errors, same HASH probe and bucket order).
 * The cores must be idle.
 */
int rtl_map_lookup(struct rtl_engine *r, int slot, const void *key, void *value);
int rtl_map_update(struct rtl_engine *r, int slot, const void *key,
		   const void *value, uint64_t flags);
int rtl_map_delete(struct rtl_engine *r, int slot, const void *key);
int rtl_map_get_next_key(struct rtl_engine *r, int slot, const void *key, void *next);
/* Copy the RTL's map memory into a model view (the checker catching up
 * with the device); returns the live count the model must take. */
uint32_t rtl_map_read(struct rtl_engine *r, int slot, const struct onm_map_view *v);
/* Copy a map's whole memory (the model's view) into the RTL. */
void rtl_map_write(struct rtl_engine *r, int slot,
		   const struct onm_map_view *v);
/*
 * Compare the RTL's map memory with a model view, as onm_map_digest
 * does: states, live keys and values (ARRAY: all values).  0 if equal,
 * else 1 with a description in buf.
 */
int rtl_map_compare(struct rtl_engine *r, int slot,
		    const struct onm_map_view *v, char *buf, size_t size);

/* Oldest record of the event ring (EVENT_OUT) out: 1 if one was
 * returned, 0 if the ring is empty. */
int rtl_event_pop(struct rtl_engine *r, struct onm_event *ev);
/* Records the RTL's event ring holds (the model must be configured so). */
unsigned int rtl_event_slots(void);

/* Start a packet on a core from a model state just after onm_begin:
 * packet buffer, offsets, context, prandom state. */
void rtl_begin(struct rtl_engine *r, unsigned int core,
	       const struct onm_arch_state *st);
/*
 * Start a packet on a core from a frame, as the device does: only the
 * frame's rows of the packet buffer are written (and zeros where an
 * earlier packet wrote outside them), the context, the offsets; the
 * core keeps its prandom state, clock and counters.  0 or -EINVAL.
 * (rtl_begin loads the buffer the same way: st->pkt must be zero
 * outside [meta_off, data_end_off), as it is after onm_begin.)
 */
int rtl_begin_frame(struct rtl_engine *r, unsigned int core,
		    const struct onm_pkt_in *in);
/*
 * The finished packet's result read through the host port, as
 * onm_run's: verdict, fault, offsets, redirect, cycles and the counters'
 * increments.  out->data and out->meta point into a buffer of r that
 * holds the frame until the next rtl_finish on that core.  0, -EBUSY
 * (still running) or -EIO (offsets out of order).
 */
int rtl_finish(struct rtl_engine *r, unsigned int core, struct onm_pkt_out *out);
/* A core's perf counter by ISA_PERF index, through the host port. */
uint64_t rtl_perf(struct rtl_engine *r, unsigned int core, uint32_t idx);
/* Packet-buffer rows the host port has written (frame loads). */
uint64_t rtl_pkt_rows(const struct rtl_engine *r);

/* Clock until the core retires (or faults on) one bundle.  Returns
 * enum onm_status, or -ETIMEDOUT if it never does. */
int rtl_step(struct rtl_engine *r, unsigned int core);
/* Clock until no core is busy (cores started with rtl_begin run
 * concurrently and race for the map engine); returns clock cycles spent,
 * or 0 on a timeout. */
uint64_t rtl_run_all(struct rtl_engine *r);

/* Architectural state of a core, in the model's layout. */
void rtl_state(struct rtl_engine *r, unsigned int core,
	       struct onm_arch_state *st);

/* Clock cycles simulated so far; those spent inside rtl_step. */
uint64_t rtl_clocks(const struct rtl_engine *r);
uint64_t rtl_step_clocks(const struct rtl_engine *r);

#ifdef __cplusplus
}
#endif

#endif /* RTL_ENGINE_H */
