// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Random images (mostly legal micro-ops, some not) on random packets:
 * the model must never misbehave on untrusted microcode, and its
 * invariants must hold after every packet.  Build with
 * CFLAGS=-fsanitize=address,undefined to check memory safety too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"
#include "offnic_image.h"
#include "variants.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pool[1024];
static int n_pool;

static void keep(void *arg, int op, const char *text)
{
	uint64_t w;

	if (n_pool < 1024 && !onm_asm_uop(text, &w, NULL, 0))
		pool[n_pool++] = w;
}

#define BUNDLES	24
#define LANES	4
#define CONSTS	4

/* A random micro-op aimed at the interesting parts of the state. */
static uint64_t random_uop(void)
{
	uint64_t w = pool[rnd() % n_pool];
	int fmt = onm_op_table[ONM_GET(w, OPCODE)].fmt;

	if (rnd() % 3 == 0)
		return 0;
	w = ONM_PUT(w, RA, rnd() % 12);
	if (!ONM_GET(w, I))
		w = ONM_PUT(w, RB, rnd() % 12);
	if (fmt == ONM_FMT_B || fmt == ONM_FMT_J)
		w = ONM_PUT(w, B_TARGET, rnd() % (BUNDLES + 1));
	else if (fmt == ONM_FMT_M || fmt == ONM_FMT_A)
		w = ONM_PUT(w, IMM32, (uint64_t)(int64_t)((int)(rnd() % 80) - 40));
	else if (fmt == ONM_FMT_K)
		w = ONM_PUT(w, IMM32, rnd() % (CONSTS + 1));
	if (fmt != ONM_FMT_B && fmt != ONM_FMT_J && ONM_GET(w, RD) > 11)
		w = ONM_PUT(w, RD, rnd() % 12);
	if (rnd() % 50 == 0)
		w ^= 1ULL << (rnd() % 64);
	return w;
}

static uint64_t prologue[LANES], exit_pass;

static void make_fixed_words(void)
{
	static const char *const text[LANES] = {
		"ld.d p2, [p1]", "ld.d p3, [p1+8]", "ldk p4, k2", "add p5, p10, -64",
	};
	int i;

	for (i = 0; i < LANES; i++)
		onm_asm_uop(text[i], &prologue[i], NULL, 0);
	onm_asm_uop("exit 2", &exit_pass, NULL, 0);
}

struct image {
	struct offnic_image_hdr h;
	uint64_t words[BUNDLES * LANES];
	uint64_t consts[CONSTS];
	struct offnic_image_reloc relocs[2];
	struct offnic_image_map maps[2];
};

static void random_image(struct image *im)
{
	int i;

	memset(im, 0, sizeof(*im));
	im->h.magic = OFFNIC_IMG_MAGIC;
	im->h.version = OFFNIC_IMG_VERSION;
	im->h.lanes = LANES;
	im->h.n_bundles = BUNDLES;
	im->h.n_consts = CONSTS;
	im->h.n_relocs = 2;
	im->h.n_maps = 2;
	im->h.prog_type = OFFNIC_PROG_XDP;
	for (i = 0; i < BUNDLES * LANES; i++)
		im->words[i] = random_uop();
	/* a prologue that makes pointers for the random ops to use */
	for (i = 0; i < LANES; i++)
		im->words[i] = prologue[i];
	/* and exits sprinkled around so a fair share of packets ends well */
	for (i = LANES; i < BUNDLES * LANES; i += LANES)
		if (rnd() % 4 == 0)
			im->words[i + LANES - 1] = exit_pass;
	im->consts[2] = rnd() % 3 ? (uint64_t)ONM_SPACE_PKT << 60 | 256 : rnd();
	im->consts[3] = rnd();
	im->relocs[0] = (struct offnic_image_reloc){ 0, 0 };
	im->relocs[1] = (struct offnic_image_reloc){ 1, 1 };
	im->maps[0] = (struct offnic_image_map){ OFFNIC_MAP_HASH, 4, 8, 4, 0, 0 };
	im->maps[1] = (struct offnic_image_map){ OFFNIC_MAP_ARRAY, 4, 12, 3, 0, 0 };
}

static int invariants_hold(const struct onm_pkt_out *o, const struct onm_arch_state *st)
{
	/* the watchdog stops issue at 2000 cycles; one bundle's stall may
	 * pass it by up to the longest latency
	 */
	return o->cycles == o->bundles + o->stalls && o->cycles <= 2000 + 16 &&
	       (o->faulted ? o->verdict == 0 && o->fault.cause != 0 : 1) &&
	       st->exited && st->meta_off <= st->data_off &&
	       st->data_off <= st->data_end_off &&
	       st->data_end_off <= ONM_PKT_BUF_BYTES &&
	       st->data_off - st->meta_off <= 32 && st->ret_depth <= 8;
}

int main(void)
{
	struct onm_config cfg = { .watchdog_cycles = 2000, .event_slots = 4 };
	static struct image im;
	struct onm_pkt_out out;
	int progs = 0, loaded = 0, bad = 0, faults = 0, exits = 0, i, p;
	uint8_t frame[200];

	for_each_variant(keep, NULL);
	make_fixed_words();
	for (i = 0; i < 20000; i++) {
		struct onm_engine *e = onm_create(&cfg);
		struct onm_err err;

		random_image(&im);
		progs++;
		if (onm_load(e, &im, sizeof(im), &err)) {
			onm_destroy(e);
			continue;
		}
		loaded++;
		for (p = 0; p < 4; p++) {
			struct onm_pkt_in in = { 0 };
			struct onm_event ev;
			uint32_t k;

			for (k = 0; k < sizeof(frame); k++)
				frame[k] = (uint8_t)rnd();
			in.frame = frame;
			in.len = 14 + (uint32_t)(rnd() % (sizeof(frame) - 14));
			in.headroom = (uint32_t)(rnd() % 300);
			onm_run(e, 0, &in, &out);
			if (!invariants_hold(&out, onm_state(e, 0)) && bad++ < 3)
				tap_diag("image %d packet %d: invariant broken (fault %s)",
					 i, p, onm_fault_name(out.fault.cause));
			faults += out.faulted;
			exits += !out.faulted;
			while (onm_event_pop(e, &ev))
				;
		}
		onm_destroy(e);
	}
	tap_diag("%d images, %d loaded, %d packets exited, %d faulted", progs, loaded,
		 exits, faults);
	tap_ok(loaded == progs, "every structurally valid random image loads");
	tap_ok(!bad && exits > 100 && faults > 100,
	       "random microcode on random packets keeps the model's invariants");
	return tap_done();
}
