/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The benchmark corpus: for each program, the maps the host sets up and
 * a generated traffic mix that takes the program's interesting paths,
 * with the verdict each packet must get.
 */
#ifndef BENCH_TRAFFIC_H
#define BENCH_TRAFFIC_H

#include <stdint.h>

#define BENCH_FRAME_MAX	256

struct bench_pkt {
	uint8_t frame[BENCH_FRAME_MAX];
	uint32_t len;
	uint32_t ifindex;		/* ctx->ingress_ifindex */
	uint32_t rxq;			/* ctx->rx_queue_index */
	uint32_t expect;		/* verdict the packet must get */
};

/* The host's view of the loaded program's maps (bench.c) */
struct bench_maps;

/* Update map NAME of the program (host side, BPF_ANY); 0 or -errno */
int bench_map_update(struct bench_maps *m, const char *name,
		     const void *key, const void *value);

struct bench_prog {
	const char *name;
	const char *object;		/* BPF object, relative to the progs dir */
	int (*setup)(struct bench_maps *m);
	/* Packet i of n; may reconfigure maps before it */
	int (*packet)(struct bench_maps *m, unsigned int i, unsigned int n,
		      struct bench_pkt *p);
};

extern const struct bench_prog bench_progs[];
extern const unsigned int bench_n_progs;

#endif /* BENCH_TRAFFIC_H */
