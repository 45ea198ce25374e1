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

/*
 * Interrupt moderation (offnic_hdr.irq_usecs/irq_frames, set by the
 * driver): the data interrupt waits on a one-shot timer unless enough RX
 * frames are pending.
 */
struct dp_irq {
	int timer_fd;			/* one-shot; -1: no moderation possible */
	bool armed;			/* the timer runs */
	bool pending;			/* an interrupt is owed */
	uint64_t rx_mark;		/* rx_frames at the last interrupt */
};

struct datapath {
	struct offnic_hdr *hdr;
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
	struct dp_irq irq;
	uint64_t starved_since_ns;	/* engine thread: no RX buffer since, 0 none */
};

/* How long a queued frame waits for an RX buffer before frames drop */
#define DP_RX_HOLD_NS		100000000ULL

void dp_init(struct datapath *dp, uint8_t *shm_base, struct wire *wire,
	     struct sim_stats *stats);
void dp_power_on(struct datapath *dp);
void dp_fini(struct datapath *dp);
uint64_t dp_uptime_ns(const struct datapath *dp);
uint64_t dp_cycles(const struct datapath *dp);

/* Both return true when the host should be interrupted on OFFNIC_VEC_DATA. */
bool dp_tx_drain(struct datapath *dp);
bool dp_wire_poll(struct datapath *dp);
/*
 * Interrupt moderation.  dp_irq_due() is asked when the datapath has
 * something to announce: true means raise the interrupt now, false that
 * it is owed and the timer (dp->irq.timer_fd) will call dp_irq_timer(),
 * which returns true if it is still owed.
 */
bool dp_irq_due(struct datapath *dp);
bool dp_irq_timer(struct datapath *dp);
/*
 * With the engine thread: runs up to @budget frames of the engine's input
 * queue (struct rxq) through the stage; *done says how many.  *waiting:
 * the next frame waits for the host to post an RX buffer (for at most
 * DP_RX_HOLD_NS; ask again after the refill doorbell or a moment).  The
 * caller holds the device lock.
 */
struct rxq;
bool dp_rx_queued(struct datapath *dp, struct rxq *q, uint32_t budget, uint32_t *done,
		  bool *waiting);
/* Reads the wire socket's drop counter into stats->wire_overflow. */
void dp_wire_overflow(struct datapath *dp);

#endif
