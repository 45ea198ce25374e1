/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_IVSHMEM_H
#define SIM_IVSHMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "offnic_abi.h"

/* The ivshmem id QEMU's guest gets; the simulator itself is OFFNIC_DEV_PEER. */
#define IVSHMEM_CLIENT_PEER	1

/*
 * The server side of QEMU's ivshmem client-server protocol
 * (docs/specs/ivshmem-spec), for exactly one client at a time.
 */
struct ivshmem_server {
	int listen_fd;
	const char *path;
	int doorbell[OFFNIC_NUM_VECTORS];	/* the guest rings us: we read */
	int client_fd;				/* -1: no client */
	int irq[OFFNIC_NUM_VECTORS];		/* we interrupt the guest: we write */
};

int ivshmem_listen(struct ivshmem_server *srv, const char *path);
void ivshmem_close(struct ivshmem_server *srv);
int ivshmem_accept(struct ivshmem_server *srv, int shm_fd);
void ivshmem_drop_client(struct ivshmem_server *srv);
static inline bool ivshmem_has_client(const struct ivshmem_server *srv)
{
	return srv->client_fd >= 0;
}

uint64_t ivshmem_doorbell_ack(struct ivshmem_server *srv, unsigned int vector);
void ivshmem_interrupt(struct ivshmem_server *srv, unsigned int vector);

#endif
