// SPDX-License-Identifier: GPL-2.0
/*
 * offnic debugfs: /sys/kernel/debug/offnic/<pci address>/
 *   identify   what the device said about itself
 *   counters   device counters, read over the control queue
 *   rings      driver and device ring indices
 *   health     heartbeat and liveness
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "offnic.h"

static struct dentry *offnic_dbg_root;

static const char * const offnic_counter_names[OFFNIC_CNT_MAX] = {
	[OFFNIC_CNT_RX_FRAMES]	= "rx_frames",
	[OFFNIC_CNT_TX_FRAMES]	= "tx_frames",
	[OFFNIC_CNT_RX_DROPS]	= "rx_drops_no_buffer",
	[OFFNIC_CNT_CTRL_CMDS]	= "ctrl_cmds",
	[OFFNIC_CNT_UPTIME_US]	= "uptime_us",
};

static int offnic_identify_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;

	seq_printf(m, "name: %s\nabi: %u\nengine: %u\nlanes: %u\ncores: %u\nfeatures: %#llx\n",
		   nic->ident.name, READ_ONCE(nic->hdr->abi_version),
		   nic->ident.engine, nic->ident.lanes, nic->ident.cores,
		   nic->ident.features);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_identify);

static int offnic_counters_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;
	u64 val;
	int i, err;

	for (i = 0; i < OFFNIC_CNT_MAX; i++) {
		err = offnic_ctrl_read_counter(nic, i, &val);
		if (err)
			seq_printf(m, "%s: error %d\n", offnic_counter_names[i], err);
		else
			seq_printf(m, "%s: %llu\n", offnic_counter_names[i], val);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_counters);

static int offnic_rings_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;

	seq_printf(m, "tx: driver prod %u clean %u, device cons %u\n",
		   nic->tx_prod, nic->tx_clean, READ_ONCE(nic->txr->idx.cons));
	seq_printf(m, "rx: driver prod %u cons %u, device cons %u\n",
		   nic->rx_prod, nic->rx_cons, READ_ONCE(nic->rxr->idx.cons));
	seq_printf(m, "bad descriptors: %lld\n", atomic64_read(&nic->bad_desc));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_rings);

static int offnic_health_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;

	seq_printf(m, "heartbeat: %llu\nmisses: %u\ndead: %d\n",
		   READ_ONCE(nic->hdr->heartbeat), nic->heartbeat_misses,
		   READ_ONCE(nic->dead));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_health);

void offnic_debugfs_add(struct offnic *nic)
{
	nic->dbg_dir = debugfs_create_dir(pci_name(nic->pdev), offnic_dbg_root);
	debugfs_create_file("identify", 0400, nic->dbg_dir, nic,
			    &offnic_identify_fops);
	debugfs_create_file("counters", 0400, nic->dbg_dir, nic,
			    &offnic_counters_fops);
	debugfs_create_file("rings", 0400, nic->dbg_dir, nic,
			    &offnic_rings_fops);
	debugfs_create_file("health", 0400, nic->dbg_dir, nic,
			    &offnic_health_fops);
}

void offnic_debugfs_del(struct offnic *nic)
{
	debugfs_remove_recursive(nic->dbg_dir);
}

void offnic_debugfs_init(void)
{
	offnic_dbg_root = debugfs_create_dir(OFFNIC_DRV_NAME, NULL);
}

void offnic_debugfs_exit(void)
{
	debugfs_remove_recursive(offnic_dbg_root);
}
