/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Lockstep co-simulation: one program runs on the C reference model and
 * on the RTL; after EVERY retired bundle the architectural states must
 * be identical (onm_state_diff), and map memory must match at the end of
 * each packet.  A mismatch prints the bundle (disassembled), the pc and
 * the differing fields.
 */
#ifndef LOCKSTEP_H
#define LOCKSTEP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
#include "offnic_model.h"
#ifdef __cplusplus
}
#endif
#include "rtl_engine.h"

#ifdef __cplusplus
extern "C" {
#endif

struct lockstep {
	struct onm_engine *model;
	struct rtl_engine *rtl;
	void *img;
	size_t len;
	uint32_t lanes;
	const uint64_t *words;		/* the image's bundles */
	uint32_t n_bundles;
	int slots[ONM_MAX_MAPS];	/* slot of image map i */
	uint32_t n_maps;
	uint64_t bundles;		/* retired and compared */
	int quiet;			/* no mismatch report (expected ones) */
	/* The RTL's event records of the last packet, kept when keep_events
	 * is set (the RTL is the device and delivers them to the host). */
	int keep_events;
	uint32_t n_kept, kept_head;
	struct onm_event kept[16];
};

/*
 * Assemble src, create both engines (seed = prandom seed) and load the
 * program into both.  0, or -1 with a message on stderr.
 */
int lockstep_open(struct lockstep *ls, const char *src, uint32_t seed,
		  const char *fst);
void lockstep_close(struct lockstep *ls);

/*
 * Run one packet on core in lockstep.  Returns 0 when the two agreed
 * after every bundle and on map memory; 1 on a mismatch (reported
 * unless quiet); -1 on a harness error.  out (if non-NULL) receives the
 * model's result.
 */
int lockstep_packet(struct lockstep *ls, uint32_t core,
		    const struct onm_pkt_in *in, struct onm_pkt_out *out);

/* Copy a model map (after host-side updates) into the RTL. */
void lockstep_sync_map(struct lockstep *ls, uint32_t map_idx);
/* The other way: the model adopts the RTL's map memory (the checker
 * catching up after packets it did not see, or after a mismatch). */
void lockstep_pull_map(struct lockstep *ls, int slot);
/* The next kept RTL event record: 1 if one was returned, 0 if none. */
int lockstep_kept_event(struct lockstep *ls, struct onm_event *ev);

#ifdef __cplusplus
}
#endif

#endif /* LOCKSTEP_H */
