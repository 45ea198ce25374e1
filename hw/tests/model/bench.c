// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * onm-bench: the model's speed in its functional role (offnic-sim).
 * Workload: a 4-lane program that parses Ethernet, sums the payload in
 * 32-bit words (a checksum loop, as csum-style XDP programs do), counts
 * the packet in an array map with an atomic add, and exits PASS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tap.h"

static const char *const prog =
	".lanes 4\n"
	".map array key=4 value=8 entries=4\n"
	"	ld.d p2, [p1] ; ld.d p3, [p1+8] ; mov p6, 0 ; ldk p8, %map0\n"
	"	ld.h.be p4, [p2+12] ; add p5, p2, 14 ; st.w [p10-4], p6\n"
	"	br.ne p4, 0x800, @pass ; add p7, p5, 4\n"
	"@loop:	br.gt p7, p3, @done\n"
	"	ld.w p9, [p5] ; add p5, p5, 4 ; add p7, p7, 4\n"
	"	add p6, p6, p9 ; ja @loop\n"
	"@done:	mov p1, p8 ; add p2, p10, -4\n"
	"	hcall map_lookup\n"
	"	br.eq p0, 0, @pass ; mov p3, 1\n"
	"	atomic.add.d [p0], p3\n"
	"@pass:	exit 2\n";

int main(int argc, char **argv)
{
	struct onm_engine *e = t_load(prog, NULL);
	struct onm_pkt_out out;
	struct onm_pkt_in in = { 0 };
	uint8_t frame[512] = { 0 };
	uint64_t bundles = 0, uops = 0, cycles = 0, n;
	uint64_t packets = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000;
	struct timespec t0, t1;
	double s;

	frame[12] = 0x08;
	in.frame = frame;
	in.len = sizeof(frame);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < packets; n++) {
		onm_run(e, 0, &in, &out);
		bundles += out.bundles;
		uops += out.uops;
		cycles += out.cycles;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("packets %llu, verdict %u, %llu bundles/pkt, %llu uops/pkt, %llu cycles/pkt\n",
	       (unsigned long long)n, out.verdict,
	       (unsigned long long)(bundles / n), (unsigned long long)(uops / n),
	       (unsigned long long)(cycles / n));
	printf("model speed: %.1f M uops/s, %.1f M bundles/s, %.0f packets/s\n",
	       uops / s / 1e6, bundles / s / 1e6, n / s);
	onm_destroy(e);
	return out.verdict == 2 ? 0 : 1;
}
