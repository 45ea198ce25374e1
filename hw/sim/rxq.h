/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_RXQ_H
#define SIM_RXQ_H

#include <stdint.h>

#include "datapath.h"

/* Frames the wire thread may read ahead of the engine */
#define RXQ_SIZE		1024U

/*
 * The engine's input queue: a bounded single-producer, single-consumer
 * ring of wire frames.  The event loop (producer) reads the wire into it
 * with recvmmsg; the engine thread (consumer) runs the frames through
 * the engine stage.  head is written only by the producer, tail only by
 * the consumer, each with release stores read by the other with acquire
 * loads; the slots between them belong to one side at a time.  A frame
 * that finds the queue full is read and dropped, counted in @drops.
 * The consumer sleeps on @efd, which the producer signals after
 * publishing: an eventfd keeps the count, so no wake-up is lost.
 */
struct rxq_slot {
	struct dp_pkt pkt;		/* the frame behind OFFNIC_RX_HEADROOM */
	size_t len;			/* as wire_recv_batch() reported it */
};

struct rxq {
	struct rxq_slot *slot;
	uint32_t head;			/* next slot the producer fills */
	uint32_t tail;			/* next slot the consumer takes */
	uint64_t drops;			/* producer's: frames that found it full */
	int efd;			/* producer -> consumer wake-up */
};

int rxq_init(struct rxq *q);
void rxq_fini(struct rxq *q);
/* Producer: reads up to WIRE_BATCH frames from the wire; returns how many
 * were queued (frames dropped for a full queue are not among them).
 */
int rxq_fill(struct rxq *q, struct wire *wire);
/* Consumer: frames ready to take, at most @max; rxq_peek(q, i) is the ith. */
uint32_t rxq_ready(struct rxq *q, uint32_t max);
struct rxq_slot *rxq_peek(struct rxq *q, uint32_t i);
void rxq_consume(struct rxq *q, uint32_t n);
/* Consumer: blocks until the producer signals (or rxq_kick). */
void rxq_wait(struct rxq *q);
/* ... or until @ms pass. */
void rxq_wait_ms(struct rxq *q, int ms);
void rxq_kick(struct rxq *q);

#endif
