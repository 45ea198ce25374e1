/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "offnic_abi.h"
#include "offnic_model.h"

/*
 * The microcode engine behind the device: one program per attach point
 * (enum offnic_prog_slot) and the device's map slots.
 *
 * A backend is the device: the C model alone (libonm), or the Verilated
 * RTL, which then owns every piece of device state (maps, packets, events,
 * counters) and the model only checks it, in lockstep, when asked to.
 * The model always validates images and keeps the map definitions.  It
 * holds one program at a time, so a frame that runs XDP then tc reloads
 * the model between the two when the model runs the packet (the images
 * were validated at LOAD_PROG, so that cannot fail).
 */
struct engine;

struct engine_prog {
	void *img;			/* NULL: the slot is empty */
	uint64_t id;			/* unique per load, from 1 */
	size_t len;
	int32_t map_slots[OFFNIC_MAX_MAPS];	/* image map index -> slot, -1 host */
	uint32_t n_maps;
	uint32_t prog_type;		/* OFFNIC_PROG_* */
	uint32_t n_bundles;
	uint32_t has_perf_map;
	void *be_priv;			/* the backend's per-program state */
};

struct engine_backend {
	const char *name;
	uint32_t abi_id;		/* OFFNIC_ENGINE_* */
	/* Creates eng->model with the backend's lanes and cores. */
	int (*init)(struct engine *eng);
	/* Optional: drops the backend's state (eng->be_priv). */
	void (*fini)(struct engine *eng);
	/* Optional: the model has accepted the program; the backend prepares
	 * its own state for it (p->be_priv), and drops it at unload.
	 */
	int (*load)(struct engine *eng, struct engine_prog *p);
	void (*unload)(struct engine *eng, struct engine_prog *p);
	/* Runs a packet; engine_model_hold() puts p into the model if needed. */
	int (*run)(struct engine *eng, struct engine_prog *p,
		   const struct onm_pkt_in *in, struct onm_pkt_out *out);
	/*
	 * Optional, for a backend that owns map memory: the model has
	 * created (or is about to free) the slot; alloc may refuse it.
	 * The map operations then go to the backend, not the model.
	 */
	int (*map_alloc)(struct engine *eng, uint32_t slot, const struct onm_map_def *def);
	void (*map_free)(struct engine *eng, uint32_t slot);
	int (*map_lookup)(struct engine *eng, uint32_t slot, const void *key, void *value);
	int (*map_update)(struct engine *eng, uint32_t slot, const void *key,
			  const void *value, uint64_t flags);
	int (*map_delete)(struct engine *eng, uint32_t slot, const void *key);
	int (*map_getnext)(struct engine *eng, uint32_t slot, const void *key, void *next);
	/* Optional: event records come from the backend (1: one, 0: none). */
	int (*event_pop)(struct engine *eng, struct onm_event *ev, uint32_t *map_idx);
	/* Optional: check every Nth packet against the model (0: never). */
	int (*set_lockstep)(struct engine *eng, uint32_t every);
};

struct engine {
	const struct engine_backend *be;
	struct onm_engine *model;
	struct engine_prog prog[OFFNIC_NUM_SLOTS];
	int model_prog;			/* slot whose program the model holds, -1 none */
	uint64_t host_maps;		/* bitmap: slots allocated by MAP_ALLOC */
	uint64_t map_gen;		/* bumped whenever map memory may change */
	uint64_t loads;			/* programs loaded: engine_prog ids */
	uint64_t mismatches;		/* RTL/model disagreements */
	uint64_t checked;		/* packets run in lockstep */
	uint64_t reserved_slots;	/* map slots a backend holds for programs */
	void *be_priv;			/* the backend's engine-wide state */
};

extern const struct engine_backend engine_model_backend;
extern const struct engine_backend engine_rtl_backend;

/* kind: "model" or "rtl".  0, -ENOENT (unknown or not built) or -errno. */
int engine_create(struct engine *eng, const char *kind);
void engine_destroy(struct engine *eng);
uint32_t engine_lanes(const struct engine *eng);
uint32_t engine_cores(const struct engine *eng);

/* Validated by the caller for lengths; the model validates the image. */
int engine_load(struct engine *eng, uint32_t slot, const void *img, size_t len,
		const int32_t *map_slots, uint32_t n_maps, struct onm_err *err);
void engine_unload(struct engine *eng, uint32_t slot);
/* Puts the slot's program into the model (it holds one at a time). */
int engine_model_hold(struct engine *eng, uint32_t slot);
/* Lockstep with the model on every Nth packet (1: all, 0: off).
 * 0, or -EOPNOTSUPP for an engine that is the model. */
int engine_set_lockstep(struct engine *eng, uint32_t every);
const struct engine_prog *engine_prog(const struct engine *eng, uint32_t slot);
/* Runs one packet through the slot's program.  0, -ENOENT or -errno. */
int engine_run(struct engine *eng, uint32_t slot, const struct onm_pkt_in *in,
	       struct onm_pkt_out *out);
/* Pops one event record; map_idx is the image map index of the program
 * that emitted it (the model holds that program until the next run).
 */
int engine_event_pop(struct engine *eng, struct onm_event *ev, uint32_t *map_idx);

/* Host map operations: slots outside host_maps do not exist for the host. */
int engine_map_alloc(struct engine *eng, const struct onm_map_def *def);
int engine_map_free(struct engine *eng, uint32_t slot);
int engine_map_def(struct engine *eng, uint32_t slot, struct onm_map_def *def);
int engine_map_lookup(struct engine *eng, uint32_t slot, const void *key, void *value);
int engine_map_update(struct engine *eng, uint32_t slot, const void *key,
		      const void *value, uint64_t flags);
int engine_map_delete(struct engine *eng, uint32_t slot, const void *key);
int engine_map_getnext(struct engine *eng, uint32_t slot, const void *key, void *next);

#endif
