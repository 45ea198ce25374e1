// SPDX-License-Identifier: GPL-2.0
/*
 * offnic net_device: one port per device.
 */
#include <linux/bpf.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "offnic.h"

int offnic_open(struct net_device *netdev)
{
	struct offnic *nic = offnic_from_netdev(netdev);
	int err;

	if (READ_ONCE(nic->dead))
		return -EIO;
	err = offnic_rings_init(nic);
	if (err)
		return err;
	offnic_events_init(nic);
	napi_enable(&nic->napi);
	WRITE_ONCE(nic->up, true);
	offnic_rx_refill(nic);
	netif_carrier_on(netdev);
	netif_start_queue(netdev);
	/* Frames may have arrived before NAPI was enabled. */
	napi_schedule(&nic->napi);
	return 0;
}

int offnic_stop(struct net_device *netdev)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	netif_stop_queue(netdev);
	netif_carrier_off(netdev);
	WRITE_ONCE(nic->up, false);
	napi_disable(&nic->napi);
	return 0;
}

static void offnic_get_stats64(struct net_device *netdev,
			       struct rtnl_link_stats64 *stats)
{
	struct offnic *nic = offnic_from_netdev(netdev);
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&nic->rx_stats.syncp);
		stats->rx_packets = nic->rx_stats.rx_packets;
		stats->rx_bytes = nic->rx_stats.rx_bytes;
		stats->rx_dropped = nic->rx_stats.rx_alloc_fail;
	} while (u64_stats_fetch_retry(&nic->rx_stats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&nic->tx_stats.syncp);
		stats->tx_packets = nic->tx_stats.tx_packets;
		stats->tx_bytes = nic->tx_stats.tx_bytes;
	} while (u64_stats_fetch_retry(&nic->tx_stats.syncp, start));
	stats->rx_errors = atomic64_read(&nic->bad_desc);
}

static const struct net_device_ops offnic_netdev_ops = {
	.ndo_open		= offnic_open,
	.ndo_stop		= offnic_stop,
	.ndo_start_xmit		= offnic_xmit,
	.ndo_tx_timeout		= offnic_tx_timeout,
	.ndo_get_stats64	= offnic_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_bpf		= offnic_ndo_bpf,
	.ndo_setup_tc		= offnic_ndo_setup_tc,
};

bool offnic_is_offnic_netdev(const struct net_device *netdev)
{
	return netdev->netdev_ops == &offnic_netdev_ops;
}

int offnic_netdev_create(struct offnic *nic)
{
	struct net_device *netdev;
	u8 mac[ETH_ALEN];
	int err;

	netdev = alloc_etherdev(sizeof(struct offnic *));
	if (!netdev)
		return -ENOMEM;
	*(struct offnic **)netdev_priv(netdev) = nic;
	nic->netdev = netdev;
	nic->irq_usecs = OFFNIC_IRQ_USECS_DEFAULT;
	nic->irq_frames = OFFNIC_IRQ_FRAMES_DEFAULT;
	SET_NETDEV_DEV(netdev, &nic->pdev->dev);
	netdev->netdev_ops = &offnic_netdev_ops;
	netdev->ethtool_ops = &offnic_ethtool_ops;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = OFFNIC_MAX_FRAME - ETH_HLEN;
	/* Longer than a control request may take (OFFNIC_CTRL_TIMEOUT_MS)
	 * and than the health watchdog takes to declare the device dead,
	 * which turns the carrier off and with it the TX watchdog.
	 */
	netdev->watchdog_timeo = 10 * HZ;

	memcpy(mac, nic->hdr->mac, ETH_ALEN);
	if (is_valid_ether_addr(mac)) {
		eth_hw_addr_set(netdev, mac);
	} else {
		dev_info(&nic->pdev->dev, "device MAC %pM unusable, using a random one\n",
			 mac);
		eth_hw_addr_random(netdev);
	}

	netdev->hw_features |= NETIF_F_HW_TC;
	netdev->features |= NETIF_F_HW_TC;

	netif_napi_add(netdev, &nic->napi, offnic_napi_poll);
	netif_carrier_off(netdev);

	err = register_netdev(netdev);
	if (err)
		goto err_napi;
	err = xdp_rxq_info_reg(&nic->xdp_rxq, netdev, 0, nic->napi.napi_id);
	if (err)
		goto err_unregister;
	err = xdp_rxq_info_reg_mem_model(&nic->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (err)
		goto err_rxq;
	err = bpf_offload_dev_netdev_register(nic->bpf_dev, netdev);
	if (err)
		goto err_rxq;
	return 0;

err_rxq:
	xdp_rxq_info_unreg(&nic->xdp_rxq);
err_unregister:
	unregister_netdev(netdev);
err_napi:
	netif_napi_del(&nic->napi);
	free_netdev(netdev);
	nic->netdev = NULL;
	return err;
}

void offnic_netdev_destroy(struct offnic *nic)
{
	struct net_device *netdev = nic->netdev;

	/* Unregistering detaches XDP and tc programs (ndo_bpf/ndo_setup_tc
	 * with no program); then the offload core destroys what is still
	 * bound to this device: programs and maps.
	 */
	rtnl_lock();
	unregister_netdevice(netdev);
	bpf_offload_dev_netdev_unregister(nic->bpf_dev, netdev);
	rtnl_unlock();
	xdp_rxq_info_unreg(&nic->xdp_rxq);
	netif_napi_del(&nic->napi);
	free_netdev(netdev);
	nic->netdev = NULL;
}
