/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_OFFLOAD_H
#define SIM_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "datapath.h"
#include "engine.h"
#include "offnic_abi.h"

/* What the device keeps about each attach point besides the program. */
struct offload_slot {
	struct offnic_prog_stats stats;	/* wire frames only, since LOAD_PROG */
	struct offnic_fault_rec faults[OFFNIC_MAX_FAULT_RECS];	/* ring by seq */
	uint64_t fault_seq;		/* faults since load */
	uint32_t ifindex;		/* from LOAD_PROG: ctx ingress_ifindex */
};

struct offload {
	struct engine eng;
	struct offload_slot slot[OFFNIC_NUM_SLOTS];
	struct offnic_event_ring *evring;
	uint32_t ev_prod;		/* device-owned index: never read back */
	bool ev_irq;			/* records posted outside the datapath */
	struct sim_stats *stats;
};

int offload_init(struct offload *ol, const char *engine_kind, uint8_t *shm_base,
		 struct sim_stats *stats);
void offload_fini(struct offload *ol);
void offload_power_on(struct offload *ol);

/* The datapath's engine stage (struct dp_stage.run; ctx = the offload). */
enum dp_action offload_stage(void *ctx, struct dp_pkt *pkt);

/* Runs a frame through one slot: shared by the datapath and TEST_RUN. */
int offload_run(struct offload *ol, uint32_t slot, const uint8_t *frame,
		uint32_t len, struct onm_pkt_out *out);
/* Moves the engine's event records to the host's event ring; the count. */
uint32_t offload_events_flush(struct offload *ol, uint32_t prog_slot);

#endif
