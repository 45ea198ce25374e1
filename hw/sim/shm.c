// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shm.h"

/* QEMU maps the whole file as a PCI BAR, whose size must be a power of two. */
_Static_assert((OFFNIC_SHM_SIZE & (OFFNIC_SHM_SIZE - 1)) == 0, "BAR2 size not a power of two");
_Static_assert(OFFNIC_CTRL_OFF + sizeof(struct offnic_ctrl) <= OFFNIC_TXRING_OFF,
	       "control queue overlaps TX ring");
_Static_assert(OFFNIC_TXRING_OFF + sizeof(struct offnic_ring) <= OFFNIC_RXRING_OFF,
	       "TX ring overlaps RX ring");
_Static_assert(OFFNIC_RXRING_OFF + sizeof(struct offnic_ring) <= OFFNIC_TXBUF_OFF,
	       "RX ring overlaps TX buffers");
_Static_assert(OFFNIC_TXBUF_OFF + OFFNIC_RING_SIZE * OFFNIC_BUF_SIZE <= OFFNIC_RXBUF_OFF,
	       "TX buffers overlap RX buffers");
_Static_assert(OFFNIC_RXBUF_OFF + OFFNIC_RING_SIZE * OFFNIC_BUF_SIZE <= OFFNIC_DEVMEM_OFF,
	       "RX buffers overlap device memory");
_Static_assert(OFFNIC_RX_HEADROOM + OFFNIC_MAX_FRAME <= OFFNIC_BUF_SIZE,
	       "RX headroom plus a full frame does not fit a buffer");
_Static_assert(OFFNIC_CNT_MAX <= OFFNIC_CNT_SLOTS, "header has too few counter slots");

int shm_create(struct shm *shm)
{
	void *p;

	shm->base = NULL;
	shm->fd = memfd_create("offnic-bar2", MFD_CLOEXEC);
	if (shm->fd < 0)
		return -1;
	if (ftruncate(shm->fd, OFFNIC_SHM_SIZE) < 0)
		goto err_close;
	p = mmap(NULL, OFFNIC_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, shm->fd, 0);
	if (p == MAP_FAILED)
		goto err_close;
	shm->base = p;
	return 0;

err_close:
	close(shm->fd);
	shm->fd = -1;
	return -1;
}

void shm_destroy(struct shm *shm)
{
	if (shm->base)
		munmap(shm->base, OFFNIC_SHM_SIZE);
	if (shm->fd >= 0)
		close(shm->fd);
	shm->base = NULL;
	shm->fd = -1;
}

/*
 * A new QEMU client is a new machine: clear every ring, buffer and queue
 * the last one may have left behind, then publish the header.  status goes
 * READY last so a driver never sees a half-written header as ready.
 */
void shm_power_on(struct shm *shm, const struct shm_identity *id)
{
	struct offnic_hdr *hdr = shm_hdr(shm);

	/* Punching a hole zeroes the memfd without touching all 32 MiB. */
	if (fallocate(shm->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, OFFNIC_SHM_SIZE) < 0)
		memset(shm->base, 0, OFFNIC_SHM_SIZE);
	hdr->magic = id->magic;
	hdr->abi_version = id->abi_version;
	hdr->features = id->features;
	hdr->shm_size = OFFNIC_SHM_SIZE;
	hdr->ring_size = OFFNIC_RING_SIZE;
	hdr->buf_size = OFFNIC_BUF_SIZE;
	hdr->ctrl_off = OFFNIC_CTRL_OFF;
	hdr->txring_off = OFFNIC_TXRING_OFF;
	hdr->rxring_off = OFFNIC_RXRING_OFF;
	hdr->txbuf_off = OFFNIC_TXBUF_OFF;
	hdr->rxbuf_off = OFFNIC_RXBUF_OFF;
	hdr->devmem_off = OFFNIC_DEVMEM_OFF;
	hdr->devmem_size = OFFNIC_DEVMEM_SIZE;
	memcpy(hdr->mac, id->mac, sizeof(hdr->mac));
	__atomic_store_n(&hdr->status, OFFNIC_STATUS_READY, __ATOMIC_RELEASE);
}

void shm_heartbeat(struct shm *shm)
{
	struct offnic_hdr *hdr = shm_hdr(shm);

	__atomic_store_n(&hdr->heartbeat, hdr->heartbeat + 1, __ATOMIC_RELEASE);
}

/* A single aligned 64-bit store: the host never reads a torn value. */
void shm_publish_counter(struct shm *shm, enum offnic_counter id, uint64_t value)
{
	__atomic_store_n(&shm_hdr(shm)->counters[id], value, __ATOMIC_RELAXED);
}
