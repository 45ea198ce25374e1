/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_OFFLOAD_TEST_H
#define SIM_OFFLOAD_TEST_H

#include <stddef.h>
#include <stdint.h>

/* Tests run per engine by offload_groups(). */
/* Tests offload_groups runs on the engine (rtl: lockstep on, off, every 2nd) */
unsigned int offload_tests_count(const char *engine);
/* Runs every offload group against simulators started with --engine engine. */
int offload_groups(const char *engine, unsigned int *num);

/* Helpers the benchmark shares (tests/sim_bench.c). */
extern const char prog_drop_port9[];
int map_alloc(uint32_t type, uint32_t ksz, uint32_t vsz, uint32_t n, int *slot);
int load_src(uint32_t slot, const char *src, const int32_t *map_slots);
void rx_post(uint32_t n);
size_t udp_frame(uint8_t *f, uint8_t tag, uint16_t dport);

#endif
