// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "rxq.h"

#define RXQ_MASK	(RXQ_SIZE - 1)

_Static_assert((RXQ_SIZE & RXQ_MASK) == 0, "RXQ_SIZE not a power of two");
_Static_assert(RXQ_SIZE >= WIRE_BATCH, "RXQ_SIZE smaller than a wire batch");

int rxq_init(struct rxq *q)
{
	q->head = 0;
	q->tail = 0;
	q->drops = 0;
	q->slot = calloc(RXQ_SIZE, sizeof(*q->slot));
	q->efd = eventfd(0, EFD_CLOEXEC);
	if (!q->slot || q->efd < 0) {
		rxq_fini(q);
		return -1;
	}
	return 0;
}

void rxq_fini(struct rxq *q)
{
	free(q->slot);
	q->slot = NULL;
	if (q->efd >= 0)
		close(q->efd);
	q->efd = -1;
}

int rxq_fill(struct rxq *q, struct wire *wire)
{
	static uint8_t scratch[WIRE_BATCH][OFFNIC_BUF_SIZE];
	uint32_t tail = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);
	uint32_t space = RXQ_SIZE - (q->head - tail), i;
	uint8_t *bufs[WIRE_BATCH];
	size_t lens[WIRE_BATCH];
	int n;

	if (!space) {
		/* Full: the frames are read anyway, dropped and counted. */
		for (i = 0; i < WIRE_BATCH; i++)
			bufs[i] = scratch[i];
		n = wire_recv_batch(wire, bufs, sizeof(scratch[0]), lens, WIRE_BATCH);
		if (n > 0)
			__atomic_store_n(&q->drops, q->drops + (uint64_t)n, __ATOMIC_RELAXED);
		return 0;
	}
	if (space > WIRE_BATCH)
		space = WIRE_BATCH;
	for (i = 0; i < space; i++)
		bufs[i] = q->slot[(q->head + i) & RXQ_MASK].pkt.data + OFFNIC_RX_HEADROOM;
	n = wire_recv_batch(wire, bufs, OFFNIC_BUF_SIZE - OFFNIC_RX_HEADROOM, lens, space);
	if (n <= 0)
		return n;
	for (i = 0; i < (uint32_t)n; i++)
		q->slot[(q->head + i) & RXQ_MASK].len = lens[i];
	__atomic_store_n(&q->head, q->head + (uint32_t)n, __ATOMIC_RELEASE);
	rxq_kick(q);
	return n;
}

uint32_t rxq_ready(struct rxq *q, uint32_t max)
{
	uint32_t n = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE) - q->tail;

	return n < max ? n : max;
}

struct rxq_slot *rxq_peek(struct rxq *q, uint32_t i)
{
	return &q->slot[(q->tail + i) & RXQ_MASK];
}

void rxq_consume(struct rxq *q, uint32_t n)
{
	__atomic_store_n(&q->tail, q->tail + n, __ATOMIC_RELEASE);
}

void rxq_wait(struct rxq *q)
{
	uint64_t count;

	if (read(q->efd, &count, sizeof(count)) != sizeof(count))
		return;
}

void rxq_wait_ms(struct rxq *q, int ms)
{
	struct pollfd pfd = { .fd = q->efd, .events = POLLIN };

	if (poll(&pfd, 1, ms) > 0)
		rxq_wait(q);
}

void rxq_kick(struct rxq *q)
{
	uint64_t one = 1;

	if (write(q->efd, &one, sizeof(one)) != sizeof(one))
		return;
}
