// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Frames per second through offnic-sim's datapath, wire in -> RX ring,
 * with the drop-port-9 program (12 bundles, one map) loaded in the XDP
 * slot.  The bench plays the driver: it keeps RX buffers posted and
 * consumes what the device delivers, with a bounded number of frames in
 * flight so the wire socket never overflows.  The first engine also runs
 * without a program: the datapath's own cost.  The RTL runs alone (lockstep
 * off), then checked by the model on every packet (lockstep on).
 *
 * usage: sim_bench PATH/TO/offnic-sim ENGINE...
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dut.h"
#include "offload_test.h"
#include "offnic_image.h"

#define IN_FLIGHT	64
#define BENCH_SECONDS	3

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The simulator's own summary at exit (the RTL's clocks per packet). */
static void print_engine_summary(void)
{
	char line[512];
	FILE *f;

	if (dut.pid <= 0 || kill(dut.pid, SIGTERM) || waitpid(dut.pid, NULL, 0) != dut.pid)
		return;
	dut.pid = 0;
	f = fopen(dut.log_path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "rtl: ") && strstr(line, "per packet"))
			printf("#   %s", line);
	if (f)
		fclose(f);
}

static int bench(const char *engine, bool with_prog, const char *lockstep)
{
	const char *args[] = { "--engine", engine, lockstep ? "--lockstep" : NULL, lockstep, NULL };
	struct offnic_ring *r;
	uint32_t sent = 0, done = 0;
	int32_t slots[1];
	uint8_t f[64];
	size_t len = udp_frame(f, 0x61, 2000);
	double t0, t;
	int slot;

	if (dut_start(args)) {
		diag("%s: simulator did not start", engine);
		return -1;
	}
	r = rxring();
	if (with_prog && map_alloc(OFFNIC_MAP_ARRAY, 4, 8, 4, &slot))
		goto fail;
	slots[0] = slot;
	if (with_prog && load_src(OFFNIC_SLOT_XDP, prog_drop_port9, slots))
		goto fail;
	rx_post(OFFNIC_RING_SIZE);
	t0 = now_s();
	do {
		uint32_t cons = __atomic_load_n(&r->idx.cons, __ATOMIC_ACQUIRE);

		if (cons != done) {
			/* Give the consumed buffers straight back. */
			rx_post(cons - done);
			done = cons;
		}
		while (sent - done < IN_FLIGHT) {
			if (send_to_wire(f, len))
				goto fail;
			sent++;
		}
		usleep(50);
		t = now_s();
	} while (t - t0 < BENCH_SECONDS);
	printf("# %s engine%s%s, %s: %u frames in %.2f s: %.0f frames/s wire -> RX ring\n",
	       engine, lockstep ? ", lockstep " : "", lockstep ? lockstep : "",
	       with_prog ? "drop-port-9 program" : "no program", done, t - t0,
	       done / (t - t0));
	print_engine_summary();
	dut_stop();
	return 0;
fail:
	diag("%s: setup failed", engine);
	dut_stop();
	return -1;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PATH/TO/offnic-sim ENGINE...\n", argv[0]);
		return 2;
	}
	dut.bin = argv[1];
	signal(SIGPIPE, SIG_IGN);
	failed += bench(argv[2], false, NULL) != 0;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "rtl")) {
			failed += bench(argv[i], true, NULL) != 0;
			continue;
		}
		/* the throughput run has the RTL alone; then with the checker */
		failed += bench(argv[i], true, "off") != 0;
		failed += bench(argv[i], true, "on") != 0;
	}
	return failed ? 1 : 0;
}
