// SPDX-License-Identifier: GPL-2.0
/*
 * offnic ethtool: driver information, statistics and interrupt
 * moderation.  Driver counters
 * come from the driver; device counters are read from the device over the
 * control queue, so `ethtool -S` shows what the device itself reports.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "offnic.h"

static const char offnic_drv_stat_names[][ETH_GSTRING_LEN] = {
	"rx_packets",
	"rx_bytes",
	"rx_alloc_fail",
	"tx_packets",
	"tx_bytes",
	"tx_busy",
	"bad_descriptors",
	"device_dead",
	"xdp_drv_drop",
	"xdp_drv_tx",
	"xdp_drv_aborted",
	"events",
	"events_lost",
	"events_bad",
	"rx_bad_len",
	"rx_bad_meta",
	"rx_bad_flags",
	"ring_bad_index",
	"ctrl_bad_reply",
	"ctrl_timeouts",
	"dev_deaths",
	"dev_resets",
	"dev_reset_fail",
};

#define OFFNIC_DRV_STATS	ARRAY_SIZE(offnic_drv_stat_names)

static void offnic_get_drvinfo(struct net_device *netdev,
			       struct ethtool_drvinfo *info)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	strscpy(info->driver, OFFNIC_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(nic->pdev), sizeof(info->bus_info));
	snprintf(info->fw_version, sizeof(info->fw_version), "%.20s abi %u",
		 nic->ident.name, OFFNIC_ABI_VERSION);
}

static int offnic_get_sset_count(struct net_device *netdev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return OFFNIC_DRV_STATS + OFFNIC_CNT_MAX;
}

static void offnic_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	u32 i;

	if (sset != ETH_SS_STATS)
		return;
	memcpy(data, offnic_drv_stat_names, sizeof(offnic_drv_stat_names));
	data += sizeof(offnic_drv_stat_names);
	for (i = 0; i < OFFNIC_CNT_MAX; i++)
		ethtool_sprintf(&data, "dev_%s", offnic_counter_names[i]);
}

static void offnic_get_ethtool_stats(struct net_device *netdev,
				     struct ethtool_stats *stats, u64 *data)
{
	struct offnic *nic = offnic_from_netdev(netdev);
	unsigned int start;
	u32 i;

	do {
		start = u64_stats_fetch_begin(&nic->rx_stats.syncp);
		data[0] = nic->rx_stats.rx_packets;
		data[1] = nic->rx_stats.rx_bytes;
		data[2] = nic->rx_stats.rx_alloc_fail;
	} while (u64_stats_fetch_retry(&nic->rx_stats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&nic->tx_stats.syncp);
		data[3] = nic->tx_stats.tx_packets;
		data[4] = nic->tx_stats.tx_bytes;
		data[5] = nic->tx_stats.tx_busy;
	} while (u64_stats_fetch_retry(&nic->tx_stats.syncp, start));
	data[6] = atomic64_read(&nic->bad_desc);
	data[7] = READ_ONCE(nic->dead);
	data[8] = nic->xdp_drops;
	data[9] = nic->xdp_tx;
	data[10] = nic->xdp_aborted;
	data[11] = nic->events;
	data[12] = nic->events_lost;
	data[13] = nic->events_bad;
	data[14] = atomic64_read(&nic->err.rx_bad_len);
	data[15] = atomic64_read(&nic->err.rx_bad_meta);
	data[16] = atomic64_read(&nic->err.rx_bad_flags);
	data[17] = atomic64_read(&nic->err.ring_bad_index);
	data[18] = atomic64_read(&nic->err.ctrl_bad_reply);
	data[19] = atomic64_read(&nic->err.ctrl_timeouts);
	data[20] = atomic64_read(&nic->err.dev_deaths);
	data[21] = atomic64_read(&nic->err.dev_resets);
	data[22] = atomic64_read(&nic->err.dev_reset_fail);

	data += OFFNIC_DRV_STATS;
	for (i = 0; i < OFFNIC_CNT_MAX; i++)
		if (offnic_ctrl_read_counter(nic, i, &data[i]))
			data[i] = U64_MAX;
}

static int offnic_get_coalesce(struct net_device *netdev,
			       struct ethtool_coalesce *ec,
			       struct kernel_ethtool_coalesce *kec,
			       struct netlink_ext_ack *extack)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	ec->rx_coalesce_usecs = nic->irq_usecs;
	ec->rx_max_coalesced_frames = nic->irq_frames;
	return 0;
}

/* The device reads the new values before its next data interrupt. */
static int offnic_set_coalesce(struct net_device *netdev,
			       struct ethtool_coalesce *ec,
			       struct kernel_ethtool_coalesce *kec,
			       struct netlink_ext_ack *extack)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	if (ec->rx_coalesce_usecs > OFFNIC_IRQ_USECS_MAX ||
	    ec->rx_max_coalesced_frames > OFFNIC_RING_SIZE) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rx-usecs at most 10000, rx-frames at most the ring size");
		return -ERANGE;
	}
	nic->irq_usecs = ec->rx_coalesce_usecs;
	nic->irq_frames = ec->rx_max_coalesced_frames;
	offnic_set_coalesce_hw(nic);
	return 0;
}

const struct ethtool_ops offnic_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS |
				     ETHTOOL_COALESCE_RX_MAX_FRAMES,
	.get_drvinfo		= offnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= offnic_get_sset_count,
	.get_strings		= offnic_get_strings,
	.get_ethtool_stats	= offnic_get_ethtool_stats,
	.get_coalesce		= offnic_get_coalesce,
	.set_coalesce		= offnic_set_coalesce,
};
