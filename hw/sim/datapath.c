// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The device datapath: host TX ring -> wire, and wire -> engine stage ->
 * host RX ring.  Everything read from shared memory is the driver's and
 * is copied once, then validated; a bad index or descriptor is counted and
 * skipped, never trusted.
 */
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "datapath.h"
#include "flowhash.h"
#include "log.h"
#include "rxq.h"

#define ETH_HLEN		14
#define NS_PER_CYCLE		4	/* the device clock runs at 250 MHz */
#define WIRE_RX_BUDGET		64	/* frames per wakeup, so doorbells are not starved */

#define RING_MASK		(OFFNIC_RING_SIZE - 1)
/* A driver's irq_usecs is untrusted: an interrupt is never held longer */
#define OFFNIC_IRQ_USECS_LIMIT	100000

static void dp_irq_arm(struct datapath *dp, uint32_t usecs);

/* Keep the compiler from re-reading shared memory instead of our copy. */
static inline void shm_barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Logs the 1st, 2nd, 4th, 8th, ... occurrence: bounded output under abuse. */
static void log_ratelimited(uint64_t count, const char *what)
{
	if (count && !(count & (count - 1)))
		log_msg("%s (%llu so far)", what, (unsigned long long)count);
}

void dp_init(struct datapath *dp, uint8_t *shm_base, struct wire *wire,
	     struct sim_stats *stats)
{
	memset(dp, 0, sizeof(*dp));
	dp->irq.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	dp->hdr = (struct offnic_hdr *)(shm_base + OFFNIC_HDR_OFF);
	dp->txring = (struct offnic_ring *)(shm_base + OFFNIC_TXRING_OFF);
	dp->rxring = (struct offnic_ring *)(shm_base + OFFNIC_RXRING_OFF);
	dp->txbuf = shm_base + OFFNIC_TXBUF_OFF;
	dp->rxbuf = shm_base + OFFNIC_RXBUF_OFF;
	dp->start_ns = now_ns();
	dp->wire = wire;
	dp->stats = stats;
}

/* The rings were just zeroed: the device's indices start over with them. */
void dp_power_on(struct datapath *dp)
{
	dp->tx_cons = 0;
	dp->rx_cons = 0;
	dp->starved_since_ns = 0;
	dp_irq_arm(dp, 0);
	dp->irq.pending = false;
	dp->irq.rx_mark = dp->stats->rx_frames;
}

void dp_fini(struct datapath *dp)
{
	if (dp->irq.timer_fd >= 0)
		close(dp->irq.timer_fd);
	dp->irq.timer_fd = -1;
}

/* Starts the moderation timer for @usecs; 0 stops it. */
static void dp_irq_arm(struct datapath *dp, uint32_t usecs)
{
	struct itimerspec its = {
		.it_value = {
			.tv_sec = usecs / 1000000,
			.tv_nsec = (long)(usecs % 1000000) * 1000L,
		},
	};

	if (dp->irq.timer_fd < 0 || (!usecs && !dp->irq.armed))
		return;
	timerfd_settime(dp->irq.timer_fd, 0, &its, NULL);
	dp->irq.armed = usecs != 0;
}

static bool dp_irq_fire(struct datapath *dp)
{
	dp_irq_arm(dp, 0);
	dp->irq.pending = false;
	dp->irq.rx_mark = dp->stats->rx_frames;
	return true;
}

bool dp_irq_due(struct datapath *dp)
{
	uint32_t usecs = __atomic_load_n(&dp->hdr->irq_usecs, __ATOMIC_RELAXED);
	uint32_t frames = __atomic_load_n(&dp->hdr->irq_frames, __ATOMIC_RELAXED);

	if (usecs > OFFNIC_IRQ_USECS_LIMIT)
		usecs = OFFNIC_IRQ_USECS_LIMIT;
	if (!usecs || dp->irq.timer_fd < 0 ||
	    (frames && dp->stats->rx_frames - dp->irq.rx_mark >= frames))
		return dp_irq_fire(dp);
	dp->irq.pending = true;
	if (!dp->irq.armed)
		dp_irq_arm(dp, usecs);
	return false;
}

bool dp_irq_timer(struct datapath *dp)
{
	uint64_t expirations;

	if (read(dp->irq.timer_fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return false;
	dp->irq.armed = false;
	return dp->irq.pending && dp_irq_fire(dp);
}

uint64_t dp_uptime_ns(const struct datapath *dp)
{
	return now_ns() - dp->start_ns;
}

uint64_t dp_cycles(const struct datapath *dp)
{
	return dp_uptime_ns(dp) / NS_PER_CYCLE;
}

/* Entries the driver has produced past @cons; false if its prod is corrupt. */
static bool ring_pending(struct datapath *dp, struct offnic_ring *ring, uint32_t cons,
			 uint32_t *pending)
{
	uint32_t prod = __atomic_load_n(&ring->idx.prod, __ATOMIC_ACQUIRE);

	*pending = prod - cons;
	if (*pending > OFFNIC_RING_SIZE) {
		dp->stats->ring_bad_index++;
		log_ratelimited(dp->stats->ring_bad_index, "ring prod more than a ring ahead");
		return false;
	}
	return true;
}

/* Queued; dp_wire_flush() sends the batch and counts what went out. */
static void wire_tx(struct datapath *dp, const uint8_t *frame, uint16_t len)
{
	if (!wire_attached(dp->wire)) {
		dp->stats->tx_no_wire++;
		return;
	}
	wire_send(dp->wire, frame, len);
}

static void dp_wire_flush(struct datapath *dp)
{
	if (!wire_attached(dp->wire))
		return;
	dp->stats->tx_frames += wire_flush(dp->wire);
	dp->stats->tx_wire_errors = dp->wire->tx_errors;
}

static bool tx_desc_valid(const struct offnic_desc *desc)
{
	return desc->len >= ETH_HLEN && desc->len <= OFFNIC_MAX_FRAME &&
	       (uint32_t)desc->off + desc->len <= OFFNIC_BUF_SIZE;
}

static void tx_one(struct datapath *dp, uint32_t slot)
{
	uint8_t frame[OFFNIC_MAX_FRAME];
	struct offnic_desc desc;

	memcpy(&desc, &dp->txring->desc[slot], sizeof(desc));
	shm_barrier();
	if (!tx_desc_valid(&desc)) {
		dp->stats->tx_bad_desc++;
		log_msg("tx: slot %u: bad descriptor len %u off %u, skipped (%llu so far)",
			slot, desc.len, desc.off, (unsigned long long)dp->stats->tx_bad_desc);
		return;
	}
	memcpy(frame, dp->txbuf + (size_t)slot * OFFNIC_BUF_SIZE + desc.off, desc.len);
	wire_tx(dp, frame, desc.len);
}

bool dp_tx_drain(struct datapath *dp)
{
	uint32_t pending, i;

	if (dp->tx_paused)
		return false;
	if (!ring_pending(dp, dp->txring, dp->tx_cons, &pending) || !pending)
		return false;
	for (i = 0; i < pending; i++, dp->tx_cons++)
		tx_one(dp, dp->tx_cons & RING_MASK);
	dp_wire_flush(dp);
	__atomic_store_n(&dp->txring->idx.cons, dp->tx_cons, __ATOMIC_RELEASE);
	return true;
}

/* The engine stage may rewrite the frame; it must stay inside the buffer. */
static bool pkt_bounds_valid(const struct dp_pkt *pkt)
{
	return pkt->off >= pkt->meta_len && pkt->len >= ETH_HLEN &&
	       (uint32_t)pkt->off + pkt->len <= OFFNIC_BUF_SIZE;
}

static void rx_desc_corrupt(struct offnic_desc *desc, uint32_t kind)
{
	switch (kind) {
	case OFFNIC_BAD_RX_LONG:
		desc->len = OFFNIC_MAX_FRAME + 200;
		break;
	case OFFNIC_BAD_RX_META:
		desc->meta_len = desc->off + 1;
		break;
	case OFFNIC_BAD_RX_FLAGS:
		desc->flags |= 0x8000;
		break;
	default:
		desc->len = 0xffff;
		break;
	}
}

static bool rx_deliver(struct datapath *dp, const struct dp_pkt *pkt)
{
	uint32_t posted, slot, start = pkt->off - pkt->meta_len;
	struct offnic_desc desc = {
		.len = pkt->len,
		.off = pkt->off,
		.flags = pkt->flags,
		.meta_len = pkt->meta_len,
		.verdict = pkt->verdict,
		.hash = flow_hash(pkt->data + pkt->off, pkt->len),
		.tstamp = pkt->tstamp,
		.cycles = pkt->cycles,
	};

	if (!ring_pending(dp, dp->rxring, dp->rx_cons, &posted) || !posted) {
		dp->stats->rx_drops++;
		return false;
	}
	slot = dp->rx_cons & RING_MASK;
	if (dp->bad_rx_next) {
		/* A descriptor the driver must refuse, of the kind asked for. */
		rx_desc_corrupt(&desc, dp->bad_rx_next - 1);
		dp->bad_rx_next = 0;
	}
	memcpy(dp->rxbuf + (size_t)slot * OFFNIC_BUF_SIZE + start, pkt->data + start,
	       pkt->meta_len + pkt->len);
	memcpy(&dp->rxring->desc[slot], &desc, sizeof(desc));
	dp->rx_cons++;
	__atomic_store_n(&dp->rxring->idx.cons, dp->rx_cons, __ATOMIC_RELEASE);
	dp->stats->rx_frames++;
	return true;
}

static enum dp_action engine_stage(struct datapath *dp, struct dp_pkt *pkt)
{
	if (!dp->engine.run)
		return DP_PASS;
	return dp->engine.run(dp->engine.ctx, pkt);
}

static bool rx_frame(struct datapath *dp, struct dp_pkt *pkt)
{
	enum dp_action action = engine_stage(dp, pkt);
	bool interrupt = pkt->events > 0;

	if (action != DP_DROP && !pkt_bounds_valid(pkt)) {
		log_msg("engine left frame out of bounds: off %u len %u meta %u, dropped",
			pkt->off, pkt->len, pkt->meta_len);
		action = DP_DROP;
	}
	switch (action) {
	case DP_PASS:
		return rx_deliver(dp, pkt) || interrupt;
	case DP_TX:
		dp->stats->engine_tx++;
		wire_tx(dp, pkt->data + pkt->off, pkt->len);
		break;
	case DP_DROP:
		dp->stats->engine_drops++;
		break;
	}
	return interrupt;
}

/* Frames the socket dropped before the device could read them */
void dp_wire_overflow(struct datapath *dp)
{
	if (!wire_attached(dp->wire))
		return;
	wire_poll_overflow(dp->wire);
	dp->stats->wire_overflow = dp->wire->overflow;
}

/* A frame as the wire delivered it (@len may say it did not fit). */
static bool dp_wire_frame(struct datapath *dp, struct dp_pkt *pkt, size_t len)
{
	if (len < ETH_HLEN || len > OFFNIC_MAX_FRAME) {
		dp->stats->rx_bad_frame++;
		log_ratelimited(dp->stats->rx_bad_frame, "wire: datagram not a frame, dropped");
		return false;
	}
	pkt->off = OFFNIC_RX_HEADROOM;
	pkt->len = (uint16_t)len;
	pkt->meta_len = 0;
	pkt->flags = 0;
	pkt->verdict = 0;
	pkt->tstamp = dp_cycles(dp);
	pkt->cycles = 0;
	pkt->events = 0;
	return rx_frame(dp, pkt);
}

/*
 * One recvmmsg() per wakeup: up to WIRE_BATCH frames, each straight into
 * its own packet buffer behind the RX headroom, then through the engine
 * stage one by one.  Frames the stage sends back out leave in one batch.
 */
bool dp_wire_poll(struct datapath *dp)
{
	static struct dp_pkt pkts[WIRE_BATCH];
	uint8_t *bufs[WIRE_BATCH];
	size_t lens[WIRE_BATCH];
	bool interrupt = false;
	int i, n;

	for (i = 0; i < WIRE_BATCH; i++)
		bufs[i] = pkts[i].data + OFFNIC_RX_HEADROOM;
	n = wire_recv_batch(dp->wire, bufs, sizeof(pkts[0].data) - OFFNIC_RX_HEADROOM,
			    lens, WIRE_BATCH);
	dp->stats->wire_overflow = dp->wire->overflow;
	for (i = 0; i < n; i++)
		interrupt |= dp_wire_frame(dp, &pkts[i], lens[i]);
	dp_wire_flush(dp);
	return interrupt;
}

/*
 * With the engine's queue in front, the next frame waits while the host
 * has no RX buffer posted, for DP_RX_HOLD_NS at most: the queue absorbs
 * a guest that stalls for a moment instead of the RX ring dropping.  A
 * host that posts nothing for longer gets the old behaviour (drop and
 * count) until it posts again.
 */
static bool dp_rx_hold(struct datapath *dp)
{
	uint32_t prod = __atomic_load_n(&dp->rxring->idx.prod, __ATOMIC_ACQUIRE);

	if (prod != dp->rx_cons) {
		dp->starved_since_ns = 0;
		return false;
	}
	if (!dp->starved_since_ns)
		dp->starved_since_ns = now_ns();
	return now_ns() - dp->starved_since_ns < DP_RX_HOLD_NS;
}

bool dp_rx_queued(struct datapath *dp, struct rxq *q, uint32_t budget, uint32_t *done,
		  bool *waiting)
{
	uint32_t n = rxq_ready(q, budget), i;
	bool interrupt = false;

	*waiting = false;
	for (i = 0; i < n; i++) {
		struct rxq_slot *s = rxq_peek(q, i);

		if (dp_rx_hold(dp)) {
			*waiting = true;
			break;
		}
		interrupt |= dp_wire_frame(dp, &s->pkt, s->len);
	}
	n = i;
	rxq_consume(q, n);
	dp_wire_flush(dp);
	dp->stats->queue_drops = __atomic_load_n(&q->drops, __ATOMIC_RELAXED);
	*done = n;
	return interrupt;
}
