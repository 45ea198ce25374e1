/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_SHM_H
#define SIM_SHM_H

#include <stdint.h>

#include "offnic_abi.h"

/* BAR2: a memfd the simulator maps and hands to QEMU. */
struct shm {
	int fd;
	uint8_t *base;
};

/* What the header says about the device; magic and abi can be overridden. */
struct shm_identity {
	uint32_t magic;
	uint32_t abi_version;
	uint64_t features;
	uint8_t mac[6];
};

int shm_create(struct shm *shm);
void shm_destroy(struct shm *shm);
void shm_power_on(struct shm *shm, const struct shm_identity *id);
void shm_heartbeat(struct shm *shm);
void shm_publish_counter(struct shm *shm, enum offnic_counter id, uint64_t value);

static inline struct offnic_hdr *shm_hdr(struct shm *shm)
{
	return (struct offnic_hdr *)(shm->base + OFFNIC_HDR_OFF);
}

#endif
