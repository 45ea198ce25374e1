/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_DATAPATH_H
#define SIM_DATAPATH_H

#include <stdbool.h>
#include <stdint.h>

#include "offnic_abi.h"
#include "stats.h"
#include "wire.h"

/*
 * A frame held in device packet memory between the wire and the host.
 * The frame is data[off .. off + len); meta_len bytes of XDP metadata sit
 * just before it.  OFFNIC_RX_HEADROOM in front lets a program grow the head.
 */
struct dp_pkt {
	uint8_t data[OFFNIC_BUF_SIZE];
	uint16_t off;
	uint16_t len;
	uint16_t meta_len;
	uint16_t flags;			/* OFFNIC_DESC_* */
	uint32_t verdict;
	uint64_t tstamp;		/* device cycles at wire RX */
	uint64_t cycles;		/* engine cycles spent on the frame */
	uint32_t events;		/* event records the stage posted */
};

/* What the device does with a frame after the engine stage. */
enum dp_action {
	DP_PASS,			/* to the host's RX ring */
	DP_DROP,			/* counted and freed */
	DP_TX,				/* back out of the wire port */
};

/*
 * The engine stage: the seam between wire RX and the RX ring.  It runs
 * the offloaded program on @pkt (which it may rewrite, within the bounds
 * of pkt->data), sets flags/verdict/cycles and returns the action.  While
 * no engine is attached (run == NULL) every frame passes untouched.
 */
struct dp_stage {
	enum dp_action (*run)(void *ctx, struct dp_pkt *pkt);
	void *ctx;
};

struct datapath {
	struct offnic_ring *txring;
	struct offnic_ring *rxring;
	uint8_t *txbuf;
	uint8_t *rxbuf;
	uint32_t tx_cons;		/* device-owned indices: never read back */
	uint32_t rx_cons;
	uint64_t start_ns;
	struct dp_stage engine;
	struct wire *wire;
	struct sim_stats *stats;
	uint32_t bad_rx_next;		/* INJECT BAD_RX: 1 + enum offnic_bad_rx, 0 none */
	bool tx_paused;			/* INJECT TX_PAUSE: leave the TX ring alone */
};

void dp_init(struct datapath *dp, uint8_t *shm_base, struct wire *wire,
	     struct sim_stats *stats);
void dp_power_on(struct datapath *dp);
uint64_t dp_uptime_ns(const struct datapath *dp);
uint64_t dp_cycles(const struct datapath *dp);

/* Both return true when the host should be interrupted on OFFNIC_VEC_DATA. */
bool dp_tx_drain(struct datapath *dp);
bool dp_wire_poll(struct datapath *dp);

#endif
