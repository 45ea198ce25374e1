// SPDX-License-Identifier: GPL-2.0
/*
 * offnic TX/RX descriptor rings and NAPI.
 *
 * Buffers live in the shared memory, so TX copies the skb into its slot
 * and frees it at once; RX copies out of the slot and reposts it.  The
 * device's indices and descriptors are untrusted.  A malformed RX
 * descriptor (length, offset, metadata length or flags) is counted, logged
 * at a limited rate and dropped, and the port goes on.  An index that
 * claims more work than was posted cannot be followed: the datapath stops
 * and the device is reset (health.c).
 */
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/interrupt.h>

#include "offnic.h"

#define OFFNIC_RING_MASK	(OFFNIC_RING_SIZE - 1)

static u8 *offnic_txbuf(struct offnic *nic, u32 idx)
{
	return nic->txbuf + (idx & OFFNIC_RING_MASK) * OFFNIC_BUF_SIZE;
}

static u8 *offnic_rxbuf(struct offnic *nic, u32 idx)
{
	return nic->rxbuf + (idx & OFFNIC_RING_MASK) * OFFNIC_BUF_SIZE;
}

/* A ring index from the device that cannot be right: reset the device. */
static void offnic_bad_device(struct offnic *nic, const char *what, u32 a, u32 b)
{
	atomic64_inc(&nic->bad_desc);
	atomic64_inc(&nic->err.ring_bad_index);
	dev_err_ratelimited(&nic->pdev->dev, "refusing %s from device (%u, %u)\n",
			    what, a, b);
	offnic_request_reset(nic, "malformed ring index");
}

/* Which rule an RX descriptor breaks; NULL when it is well formed. */
static atomic64_t *offnic_rx_desc_check(struct offnic *nic, u16 len, u16 off,
					u16 meta, u16 flags)
{
	if (len < ETH_HLEN || len > OFFNIC_MAX_FRAME ||
	    (u32)off + len > OFFNIC_BUF_SIZE)
		return &nic->err.rx_bad_len;
	if (meta > off || meta > 255)
		return &nic->err.rx_bad_meta;
	if (flags & ~OFFNIC_DESC_FLAGS_ALL)
		return &nic->err.rx_bad_flags;
	return NULL;
}

int offnic_rings_init(struct offnic *nic)
{
	u32 tx_prod = READ_ONCE(nic->txr->idx.prod);
	u32 tx_cons = READ_ONCE(nic->txr->idx.cons);
	u32 rx_prod = READ_ONCE(nic->rxr->idx.prod);
	u32 rx_cons = READ_ONCE(nic->rxr->idx.cons);

	/* Ring state survives a module reload.  Continue from it: frames the
	 * device completed while nobody listened are skipped, buffers still
	 * posted stay posted.
	 */
	if (tx_prod - tx_cons > OFFNIC_RING_SIZE ||
	    rx_prod - rx_cons > OFFNIC_RING_SIZE) {
		offnic_bad_device(nic, "ring indices", tx_prod - tx_cons,
				  rx_prod - rx_cons);
		return -EPROTO;
	}
	nic->tx_prod = tx_prod;
	nic->tx_clean = tx_cons;
	nic->rx_prod = rx_prod;
	nic->rx_cons = rx_cons;
	offnic_set_coalesce_hw(nic);
	return 0;
}

/* The device reads the moderation it applies from its header. */
void offnic_set_coalesce_hw(struct offnic *nic)
{
	WRITE_ONCE(nic->hdr->irq_usecs, nic->irq_usecs);
	WRITE_ONCE(nic->hdr->irq_frames, nic->irq_frames);
}

/*
 * Posts every consumed buffer again.  The device reads prod for each
 * frame it delivers, so the doorbell only matters to a device that ran
 * low on buffers: it is rung once per call at most, and only then.
 */
void offnic_rx_refill(struct offnic *nic)
{
	u32 target = nic->rx_cons + OFFNIC_RING_SIZE;
	u32 left = nic->rx_prod - READ_ONCE(nic->rxr->idx.cons);

	if (nic->rx_prod == target)
		return;
	nic->rx_prod = target;
	dma_wmb();
	WRITE_ONCE(nic->rxr->idx.prod, nic->rx_prod);
	if (left < OFFNIC_RING_SIZE / 4)
		offnic_doorbell(nic, OFFNIC_DB_DATA);
}

/* tx_prod moves under the TX queue lock, tx_clean in NAPI without it. */
static u32 offnic_tx_free_slots(struct offnic *nic)
{
	return OFFNIC_RING_SIZE - (READ_ONCE(nic->tx_prod) - READ_ONCE(nic->tx_clean));
}

/*
 * Stop the queue when the ring is full, then look again: offnic_tx_clean()
 * may have freed slots between the first look and the stop, and it only
 * wakes a queue it sees stopped.  The smp_mb() pairs with the one in
 * offnic_tx_clean(): either it sees the queue stopped, or we see its slots.
 * Return: true if the queue stays stopped.
 */
static bool offnic_tx_maybe_stop(struct offnic *nic)
{
	if (likely(offnic_tx_free_slots(nic)))
		return false;
	netif_stop_queue(nic->netdev);
	smp_mb();	/* pairs with offnic_tx_clean() */
	if (likely(!offnic_tx_free_slots(nic)))
		return true;
	netif_start_queue(nic->netdev);
	return false;
}

/* Copy one frame into the next TX slot; the caller rings the doorbell.
 * The caller holds the TX queue lock and has checked for a free slot.
 */
static void offnic_tx_post(struct offnic *nic, const void *data,
			   unsigned int len)
{
	struct offnic_desc *desc;

	memcpy(offnic_txbuf(nic, nic->tx_prod), data, len);
	desc = &nic->txr->desc[nic->tx_prod & OFFNIC_RING_MASK];
	memset(desc, 0, sizeof(*desc));
	desc->len = len;
	dma_wmb();
	WRITE_ONCE(nic->tx_prod, nic->tx_prod + 1);
	WRITE_ONCE(nic->txr->idx.prod, nic->tx_prod);

	u64_stats_update_begin(&nic->tx_stats.syncp);
	nic->tx_stats.tx_packets++;
	nic->tx_stats.tx_bytes += len;
	u64_stats_update_end(&nic->tx_stats.syncp);
}

/**
 * offnic_tx_frame() - send a frame that is not an skb (XDP_TX)
 * @nic: the device
 * @data: the frame
 * @len: its length
 *
 * Called from NAPI; takes the TX queue lock.  Return: 0, or -EBUSY when
 * the TX ring is full.
 */
int offnic_tx_frame(struct offnic *nic, const void *data, unsigned int len)
{
	struct netdev_queue *txq = netdev_get_tx_queue(nic->netdev, 0);
	int err = 0;

	if (len < ETH_HLEN || len > OFFNIC_MAX_FRAME)
		return -EINVAL;
	__netif_tx_lock(txq, raw_smp_processor_id());
	if (offnic_tx_free_slots(nic)) {
		offnic_tx_post(nic, data, max_t(unsigned int, len, ETH_ZLEN));
		offnic_doorbell(nic, OFFNIC_DB_DATA);
	} else {
		err = -EBUSY;
	}
	__netif_tx_unlock(txq);
	return err;
}

/* One doorbell per batch: the stack says when more frames follow. */
static void offnic_tx_kick(struct offnic *nic, struct net_device *netdev)
{
	if (!netdev_xmit_more() || netif_queue_stopped(netdev))
		offnic_doorbell(nic, OFFNIC_DB_DATA);
}

netdev_tx_t offnic_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	if (READ_ONCE(nic->dead) || skb->len > OFFNIC_MAX_FRAME) {
		dev_core_stats_tx_dropped_inc(netdev);
		dev_kfree_skb_any(skb);
		offnic_tx_kick(nic, netdev);
		return NETDEV_TX_OK;
	}
	if (offnic_tx_maybe_stop(nic)) {
		u64_stats_update_begin(&nic->tx_stats.syncp);
		nic->tx_stats.tx_busy++;
		u64_stats_update_end(&nic->tx_stats.syncp);
		offnic_doorbell(nic, OFFNIC_DB_DATA);
		return NETDEV_TX_BUSY;
	}
	if (skb_put_padto(skb, ETH_ZLEN)) {
		dev_core_stats_tx_dropped_inc(netdev);
		offnic_tx_kick(nic, netdev);
		return NETDEV_TX_OK;
	}
	if (skb_linearize(skb)) {
		dev_core_stats_tx_dropped_inc(netdev);
		dev_kfree_skb_any(skb);
		offnic_tx_kick(nic, netdev);
		return NETDEV_TX_OK;
	}
	offnic_tx_post(nic, skb->data, skb->len);
	dev_consume_skb_any(skb);

	offnic_tx_maybe_stop(nic);
	offnic_tx_kick(nic, netdev);
	return NETDEV_TX_OK;
}

/*
 * Take the device's TX completions, then wake the queue if it is stopped
 * and there is room, even when nothing new completed: the queue may have
 * been stopped after an earlier call had already freed the slots.
 */
static void offnic_tx_clean(struct offnic *nic)
{
	u32 cons = READ_ONCE(nic->txr->idx.cons);
	u32 prod = READ_ONCE(nic->tx_prod);

	if (cons - nic->tx_clean > prod - nic->tx_clean) {
		offnic_bad_device(nic, "TX completion index", cons, prod);
		return;
	}
	WRITE_ONCE(nic->tx_clean, cons);
	smp_mb();	/* pairs with offnic_tx_maybe_stop() */
	if (netif_queue_stopped(nic->netdev) && offnic_tx_free_slots(nic))
		netif_wake_queue(nic->netdev);
}

/**
 * offnic_tx_timeout() - ndo_tx_timeout: the queue was stopped too long
 * @netdev: the port
 * @txqueue: the stopped queue (there is one)
 *
 * The device has no TX ring reset short of a full device reset, so kick
 * it: ring the TX doorbell again, in case the device missed one, and
 * schedule NAPI, in case we missed its interrupt; NAPI takes whatever
 * completed and wakes the queue.
 */
void offnic_tx_timeout(struct net_device *netdev, unsigned int txqueue)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	atomic64_inc(&nic->tx_timeouts);
	netdev_warn(netdev, "TX queue %u timed out: driver prod %u clean %u, device cons %u; kicking the device (%lld timeouts)\n",
		    txqueue, READ_ONCE(nic->tx_prod), READ_ONCE(nic->tx_clean),
		    READ_ONCE(nic->txr->idx.cons), atomic64_read(&nic->tx_timeouts));
	if (READ_ONCE(nic->dead) || !READ_ONCE(nic->up))
		return;
	offnic_doorbell(nic, OFFNIC_DB_DATA);
	napi_schedule(&nic->napi);
}

/* What bpf_offnic_rx_meta() tells the driver-mode program. */
static void offnic_rx_meta_fill(struct offnic *nic, const struct offnic_desc *d,
				const u8 *meta, u16 meta_len)
{
	struct offnic_rx_meta *m = &nic->rx_meta;

	m->flags = READ_ONCE(d->flags) & OFFNIC_DESC_ENGINE ?
		   OFFNIC_RX_META_ENGINE : 0;
	m->verdict = READ_ONCE(d->verdict);
	m->hash = READ_ONCE(d->hash);
	m->tstamp = READ_ONCE(d->tstamp);
	m->cycles = READ_ONCE(d->cycles);
	m->meta_len = min_t(u16, meta_len, sizeof(m->meta));
	memcpy(m->meta, meta, m->meta_len);
}

/* Drops one malformed descriptor; its buffer is posted again. */
static void offnic_rx_bad_desc(struct offnic *nic, atomic64_t *kind, u16 len,
			       u16 off, u16 meta, u16 flags)
{
	atomic64_inc(&nic->bad_desc);
	atomic64_inc(kind);
	dev_warn_ratelimited(&nic->pdev->dev,
			     "dropping malformed RX descriptor: len %u off %u meta_len %u flags %#x\n",
			     len, off, meta, flags);
}

static void offnic_rx_one(struct offnic *nic, const struct offnic_desc *d)
{
	u8 *buf = offnic_rxbuf(nic, nic->rx_cons);
	u16 len = READ_ONCE(d->len);
	u16 off = READ_ONCE(d->off);
	u16 meta = READ_ONCE(d->meta_len);
	u16 flags = READ_ONCE(d->flags);
	struct bpf_prog *xdp;
	struct sk_buff *skb;
	atomic64_t *bad;

	bad = offnic_rx_desc_check(nic, len, off, meta, flags);
	if (bad) {
		offnic_rx_bad_desc(nic, bad, len, off, meta, flags);
		return;
	}

	xdp = READ_ONCE(nic->xdp_drv.prog);
	if (xdp) {
		offnic_rx_meta_fill(nic, d, buf + off - meta, meta);
		if (offnic_run_xdp_drv(nic, xdp, buf, &off, &len) != XDP_PASS)
			return;
		meta = 0;	/* the host program consumed the device's */
	}

	skb = napi_alloc_skb(&nic->napi, meta + len);
	if (!skb) {
		u64_stats_update_begin(&nic->rx_stats.syncp);
		nic->rx_stats.rx_alloc_fail++;
		u64_stats_update_end(&nic->rx_stats.syncp);
		return;
	}
	skb_put_data(skb, buf + off - meta, meta + len);
	if (meta) {
		/* XDP metadata the offloaded program left before the frame */
		__skb_pull(skb, meta);
		skb_metadata_set(skb, meta);
	}
	skb->protocol = eth_type_trans(skb, nic->netdev);

	u64_stats_update_begin(&nic->rx_stats.syncp);
	nic->rx_stats.rx_packets++;
	nic->rx_stats.rx_bytes += len;
	u64_stats_update_end(&nic->rx_stats.syncp);
	napi_gro_receive(&nic->napi, skb);
}

static int offnic_rx(struct offnic *nic, int budget)
{
	u32 cons = READ_ONCE(nic->rxr->idx.cons);
	int done = 0;

	if (cons - nic->rx_cons > nic->rx_prod - nic->rx_cons) {
		offnic_bad_device(nic, "RX completion index", cons, nic->rx_prod);
		return 0;
	}
	dma_rmb();
	while (nic->rx_cons != cons && done < budget) {
		const struct offnic_desc *d;

		d = &nic->rxr->desc[nic->rx_cons & OFFNIC_RING_MASK];
		offnic_rx_one(nic, d);
		nic->rx_cons++;
		done++;
	}
	offnic_rx_refill(nic);
	return done;
}

int offnic_napi_poll(struct napi_struct *napi, int budget)
{
	struct offnic *nic = container_of(napi, struct offnic, napi);
	int done = 0;

	if (!READ_ONCE(nic->dead)) {
		offnic_tx_clean(nic);
		offnic_events_poll(nic);
		done = offnic_rx(nic, budget);
	}
	if (done < budget && napi_complete_done(napi, done)) {
		/* Catch work that raced with the completion. */
		if (!READ_ONCE(nic->dead) &&
		    READ_ONCE(nic->rxr->idx.cons) != nic->rx_cons)
			napi_schedule(napi);
	}
	return done;
}

irqreturn_t offnic_data_irq(int irq, void *data)
{
	struct offnic *nic = data;

	if (READ_ONCE(nic->up))
		napi_schedule(&nic->napi);
	return IRQ_HANDLED;
}
