// SPDX-License-Identifier: GPL-2.0
/*
 * offnic: PCI probe/remove and device validation.
 *
 * The device is a QEMU ivshmem-doorbell function whose shared memory is
 * served by offnic-sim.  Nothing else in the kernel claims 1af4:1110, but
 * any ivshmem user could present one, so the driver binds only when BAR2
 * starts with offnic's magic and ABI version and its layout is the one
 * this driver was built for.
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "offnic.h"

static_assert(sizeof(struct offnic_ctrl) + OFFNIC_CTRL_OFF <= OFFNIC_TXRING_OFF);
static_assert(OFFNIC_TXRING_OFF + sizeof(struct offnic_ring) <= OFFNIC_RXRING_OFF);
static_assert(OFFNIC_RXRING_OFF + sizeof(struct offnic_ring) <= OFFNIC_TXBUF_OFF);
static_assert(OFFNIC_CNT_MAX <= OFFNIC_CNT_SLOTS);
static_assert(OFFNIC_RXRING_OFF + sizeof(struct offnic_ring) <= OFFNIC_EVRING_OFF);
static_assert(OFFNIC_EVRING_OFF + sizeof(struct offnic_event_ring) <= OFFNIC_TXBUF_OFF);

void offnic_doorbell(struct offnic *nic, u16 vector)
{
	writel((OFFNIC_DEV_PEER << 16) | vector,
	       nic->regs + OFFNIC_IVSHMEM_DOORBELL);
}

/*
 * The device stopped answering: stop the datapath and fail control
 * requests at once.  The health watchdog resets it and brings the port
 * back when it answers again (health.c).
 */
void offnic_mark_dead(struct offnic *nic, const char *why)
{
	if (xchg(&nic->dead, true))
		return;
	atomic64_inc(&nic->err.dev_deaths);
	dev_err(&nic->pdev->dev, "device failed: %s; datapath stopped\n", why);
	if (nic->netdev)
		netif_carrier_off(nic->netdev);
	complete(&nic->ctrl_done);
}

/* Everything below comes from the device: check it before trusting it. */
int offnic_check_header(struct offnic *nic)
{
	struct device *dev = &nic->pdev->dev;
	const struct offnic_hdr *hdr = nic->hdr;
	u32 magic = READ_ONCE(hdr->magic);
	u32 abi = READ_ONCE(hdr->abi_version);

	if (magic != OFFNIC_MAGIC || abi != OFFNIC_ABI_VERSION) {
		dev_err(dev,
			"not an offnic device: magic %#010x abi %u (driver wants magic %#010x abi %u)\n",
			magic, abi, OFFNIC_MAGIC, OFFNIC_ABI_VERSION);
		return -ENODEV;
	}
	if (nic->shm_len < OFFNIC_SHM_SIZE ||
	    READ_ONCE(hdr->shm_size) > nic->shm_len ||
	    READ_ONCE(hdr->ring_size) != OFFNIC_RING_SIZE ||
	    READ_ONCE(hdr->buf_size) != OFFNIC_BUF_SIZE ||
	    READ_ONCE(hdr->ctrl_off) != OFFNIC_CTRL_OFF ||
	    READ_ONCE(hdr->txring_off) != OFFNIC_TXRING_OFF ||
	    READ_ONCE(hdr->rxring_off) != OFFNIC_RXRING_OFF ||
	    READ_ONCE(hdr->txbuf_off) != OFFNIC_TXBUF_OFF ||
	    READ_ONCE(hdr->rxbuf_off) != OFFNIC_RXBUF_OFF) {
		dev_err(dev, "offnic device layout does not match ABI %u (BAR2 %pa bytes)\n",
			OFFNIC_ABI_VERSION, &nic->shm_len);
		return -ENODEV;
	}
	if (READ_ONCE(hdr->status) != OFFNIC_STATUS_READY) {
		dev_err(dev, "offnic device is not ready (status %u)\n",
			READ_ONCE(hdr->status));
		return -ENODEV;
	}
	return 0;
}

static int offnic_map_bars(struct offnic *nic)
{
	struct pci_dev *pdev = nic->pdev;
	resource_size_t start;
	int err;

	err = pcim_iomap_regions(pdev, BIT(0), OFFNIC_DRV_NAME);
	if (err)
		return err;
	nic->regs = pcim_iomap_table(pdev)[0];

	/* BAR2 is host RAM shared with the simulator: map it cacheable. */
	start = pci_resource_start(pdev, 2);
	nic->shm_len = pci_resource_len(pdev, 2);
	if (!start || nic->shm_len < sizeof(struct offnic_hdr)) {
		dev_err(&pdev->dev, "no shared memory BAR\n");
		return -ENODEV;
	}
	nic->shm = devm_memremap(&pdev->dev, start, nic->shm_len, MEMREMAP_WB);
	if (IS_ERR(nic->shm))
		return PTR_ERR(nic->shm);

	nic->hdr = nic->shm + OFFNIC_HDR_OFF;
	nic->ctrl = nic->shm + OFFNIC_CTRL_OFF;
	nic->txr = nic->shm + OFFNIC_TXRING_OFF;
	nic->rxr = nic->shm + OFFNIC_RXRING_OFF;
	nic->txbuf = nic->shm + OFFNIC_TXBUF_OFF;
	nic->rxbuf = nic->shm + OFFNIC_RXBUF_OFF;
	return 0;
}

static int offnic_setup_irqs(struct offnic *nic)
{
	struct pci_dev *pdev = nic->pdev;
	int err;

	err = pci_alloc_irq_vectors(pdev, OFFNIC_NUM_VECTORS,
				    OFFNIC_NUM_VECTORS, PCI_IRQ_MSIX);
	if (err < 0) {
		dev_err(&pdev->dev, "need %d MSI-X vectors: %d\n",
			OFFNIC_NUM_VECTORS, err);
		return err;
	}
	err = request_irq(pci_irq_vector(pdev, OFFNIC_VEC_CTRL),
			  offnic_ctrl_irq, 0, "offnic-ctrl", nic);
	if (err)
		goto err_free_vectors;
	err = request_irq(pci_irq_vector(pdev, OFFNIC_VEC_DATA),
			  offnic_data_irq, 0, "offnic-data", nic);
	if (err)
		goto err_free_ctrl;
	return 0;

err_free_ctrl:
	free_irq(pci_irq_vector(pdev, OFFNIC_VEC_CTRL), nic);
err_free_vectors:
	pci_free_irq_vectors(pdev);
	return err;
}

static void offnic_teardown_irqs(struct offnic *nic)
{
	free_irq(pci_irq_vector(nic->pdev, OFFNIC_VEC_DATA), nic);
	free_irq(pci_irq_vector(nic->pdev, OFFNIC_VEC_CTRL), nic);
	pci_free_irq_vectors(nic->pdev);
}

static int offnic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct offnic *nic;
	int err;

	nic = devm_kzalloc(&pdev->dev, sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return -ENOMEM;
	nic->pdev = pdev;
	mutex_init(&nic->ctrl_lock);
	INIT_LIST_HEAD(&nic->maps);
	init_completion(&nic->ctrl_done);
	u64_stats_init(&nic->rx_stats.syncp);
	u64_stats_init(&nic->tx_stats.syncp);
	pci_set_drvdata(pdev, nic);

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	/* MSI-X messages are memory writes by the device: without bus
	 * mastering QEMU drops them and only polling would see the device.
	 */
	pci_set_master(pdev);
	err = offnic_map_bars(nic);
	if (err)
		return err;
	err = offnic_check_header(nic);
	if (err)
		return err;
	/* The control sequence continues from whatever a previous driver
	 * instance left, so a stale response is never taken for ours.
	 */
	nic->ctrl_seq = READ_ONCE(nic->ctrl->resp.seq);

	err = offnic_setup_irqs(nic);
	if (err)
		return err;
	err = offnic_ctrl_identify(nic);
	if (err) {
		dev_err(&pdev->dev, "device did not identify: %d\n", err);
		goto err_irqs;
	}
	err = offnic_offload_init(nic);
	if (err)
		goto err_irqs;
	err = offnic_netdev_create(nic);
	if (err)
		goto err_offload;

	offnic_debugfs_add(nic);
	offnic_health_start(nic);
	dev_info(&pdev->dev, "%s: %s, engine %u, %u lanes x %u cores, MAC %pM\n",
		 netdev_name(nic->netdev), nic->ident.name, nic->ident.engine,
		 nic->ident.lanes, nic->ident.cores, nic->netdev->dev_addr);
	return 0;

err_offload:
	offnic_offload_fini(nic);
err_irqs:
	offnic_teardown_irqs(nic);
	return err;
}

static void offnic_remove(struct pci_dev *pdev)
{
	struct offnic *nic = pci_get_drvdata(pdev);

	offnic_health_stop(nic);
	offnic_debugfs_del(nic);
	offnic_netdev_destroy(nic);
	offnic_offload_fini(nic);
	offnic_teardown_irqs(nic);
}

static const struct pci_device_id offnic_pci_ids[] = {
	{ PCI_DEVICE(OFFNIC_PCI_VENDOR, OFFNIC_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, offnic_pci_ids);

static struct pci_driver offnic_pci_driver = {
	.name = OFFNIC_DRV_NAME,
	.id_table = offnic_pci_ids,
	.probe = offnic_probe,
	.remove = offnic_remove,
};

static int __init offnic_init(void)
{
	int err;

	err = offnic_kfunc_register();
	if (err)
		return err;
	offnic_debugfs_init();
	err = pci_register_driver(&offnic_pci_driver);
	if (err)
		offnic_debugfs_exit();
	return err;
}

static void __exit offnic_exit(void)
{
	pci_unregister_driver(&offnic_pci_driver);
	offnic_debugfs_exit();
}

module_init(offnic_init);
module_exit(offnic_exit);

MODULE_AUTHOR("offnic developers");
MODULE_DESCRIPTION("offnic reference SmartNIC for BPF hardware offload");
MODULE_LICENSE("GPL");
