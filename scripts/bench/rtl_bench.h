/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The Verilated RTL engine next to a C model engine that already holds
 * the program: packets run in lockstep (hw/verif/lockstep.h), so the
 * RTL's cycles and state are checked against the model's after every
 * bundle, and map memory after every packet.
 */
#ifndef BENCH_RTL_H
#define BENCH_RTL_H

#include <stddef.h>
#include <stdint.h>

#include "offnic_model.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rtl_bench;

/* lanes and cores of the RTL build; the model must match them */
unsigned int rtlb_lanes(void);
unsigned int rtlb_cores(void);

/*
 * Create the RTL, copy the model's maps of the loaded image (map set-up
 * done so far included) and load the image.  NULL with msg on failure.
 */
struct rtl_bench *rtlb_open(struct onm_engine *model, const void *img,
			    size_t len, char *msg, size_t msg_size);
void rtlb_close(struct rtl_bench *rb);

/* After a host-side update of image map map_idx in the model */
void rtlb_sync_map(struct rtl_bench *rb, uint32_t map_idx);

/*
 * One packet on core 0 of both.  0: model and RTL agreed after every
 * bundle (same cycles) and on map memory; 1: mismatch (reported on
 * stderr); -1: harness error.  out receives the model's result,
 * rtl_cycles the RTL's architectural cycle count and rtl_clocks the
 * clocks the RTL engine took from the first bundle to the exit.
 */
int rtlb_packet(struct rtl_bench *rb, const struct onm_pkt_in *in,
		struct onm_pkt_out *out, uint64_t *rtl_cycles,
		uint64_t *rtl_clocks);

/*
 * The same packet on the RTL alone, for the simulator's speed (the
 * RTL's maps move ahead of the model's, so call it after the lockstep
 * packets).  Adds the clocks of the whole packet, the host port's
 * loading included, to *clocks and the bundles retired to *bundles;
 * returns 0, or -1 if the RTL never finished the packet.
 */
int rtlb_packet_alone(struct rtl_bench *rb, const struct onm_pkt_in *in,
		      uint64_t *clocks, uint64_t *bundles);

/* Bundles compared in lockstep so far */
uint64_t rtlb_bundles(const struct rtl_bench *rb);

/* Clock cycles simulated so far */
uint64_t rtlb_clocks(const struct rtl_bench *rb);

#ifdef __cplusplus
}
#endif

#endif /* BENCH_RTL_H */
