// SPDX-License-Identifier: GPL-2.0
/*
 * offnic TX/RX descriptor rings and NAPI.
 *
 * Buffers live in the shared memory, so TX copies the skb into its slot
 * and frees it at once; RX copies out of the slot and reposts it.  The
 * device's indices and descriptors are untrusted: an index that claims
 * more work than was posted, or a descriptor pointing outside its buffer,
 * stops the datapath instead of being followed.
 */
#include <linux/etherdevice.h>
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

static void offnic_bad_device(struct offnic *nic, const char *what, u32 a, u32 b)
{
	atomic64_inc(&nic->bad_desc);
	dev_err_ratelimited(&nic->pdev->dev, "refusing %s from device (%u, %u)\n",
			    what, a, b);
	offnic_mark_dead(nic, "malformed ring state");
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
	return 0;
}

void offnic_rx_refill(struct offnic *nic)
{
	u32 target = nic->rx_cons + OFFNIC_RING_SIZE;

	if (nic->rx_prod == target)
		return;
	nic->rx_prod = target;
	dma_wmb();
	WRITE_ONCE(nic->rxr->idx.prod, nic->rx_prod);
	offnic_doorbell(nic, OFFNIC_DB_DATA);
}

static u32 offnic_tx_free_slots(struct offnic *nic)
{
	return OFFNIC_RING_SIZE - (nic->tx_prod - nic->tx_clean);
}

netdev_tx_t offnic_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct offnic *nic = offnic_from_netdev(netdev);
	struct offnic_desc *desc;
	unsigned int len;

	if (READ_ONCE(nic->dead) || skb->len > OFFNIC_MAX_FRAME) {
		dev_core_stats_tx_dropped_inc(netdev);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (!offnic_tx_free_slots(nic)) {
		netif_stop_queue(netdev);
		u64_stats_update_begin(&nic->tx_stats.syncp);
		nic->tx_stats.tx_busy++;
		u64_stats_update_end(&nic->tx_stats.syncp);
		return NETDEV_TX_BUSY;
	}
	if (skb_put_padto(skb, ETH_ZLEN)) {
		dev_core_stats_tx_dropped_inc(netdev);
		return NETDEV_TX_OK;
	}
	len = skb->len;

	skb_copy_bits(skb, 0, offnic_txbuf(nic, nic->tx_prod), len);
	desc = &nic->txr->desc[nic->tx_prod & OFFNIC_RING_MASK];
	memset(desc, 0, sizeof(*desc));
	desc->len = len;
	dma_wmb();
	WRITE_ONCE(nic->txr->idx.prod, ++nic->tx_prod);
	offnic_doorbell(nic, OFFNIC_DB_DATA);

	u64_stats_update_begin(&nic->tx_stats.syncp);
	nic->tx_stats.tx_packets++;
	nic->tx_stats.tx_bytes += len;
	u64_stats_update_end(&nic->tx_stats.syncp);
	dev_consume_skb_any(skb);

	if (!offnic_tx_free_slots(nic))
		netif_stop_queue(netdev);
	return NETDEV_TX_OK;
}

static void offnic_tx_clean(struct offnic *nic)
{
	u32 cons = READ_ONCE(nic->txr->idx.cons);

	if (cons == nic->tx_clean)
		return;
	if (cons - nic->tx_clean > nic->tx_prod - nic->tx_clean) {
		offnic_bad_device(nic, "TX completion index", cons, nic->tx_prod);
		return;
	}
	nic->tx_clean = cons;
	if (netif_queue_stopped(nic->netdev) && offnic_tx_free_slots(nic))
		netif_wake_queue(nic->netdev);
}

static int offnic_rx_one(struct offnic *nic, const struct offnic_desc *d)
{
	u16 len = READ_ONCE(d->len);
	u16 off = READ_ONCE(d->off);
	struct sk_buff *skb;

	if (len < ETH_HLEN || len > OFFNIC_MAX_FRAME ||
	    (u32)off + len > OFFNIC_BUF_SIZE) {
		offnic_bad_device(nic, "RX descriptor (len, off)", len, off);
		return -EPROTO;
	}

	skb = napi_alloc_skb(&nic->napi, len);
	if (!skb) {
		u64_stats_update_begin(&nic->rx_stats.syncp);
		nic->rx_stats.rx_alloc_fail++;
		u64_stats_update_end(&nic->rx_stats.syncp);
		return 0;
	}
	skb_put_data(skb, offnic_rxbuf(nic, nic->rx_cons) + off, len);
	skb->protocol = eth_type_trans(skb, nic->netdev);

	u64_stats_update_begin(&nic->rx_stats.syncp);
	nic->rx_stats.rx_packets++;
	nic->rx_stats.rx_bytes += len;
	u64_stats_update_end(&nic->rx_stats.syncp);
	napi_gro_receive(&nic->napi, skb);
	return 0;
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
		if (offnic_rx_one(nic, d))
			return done;
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
