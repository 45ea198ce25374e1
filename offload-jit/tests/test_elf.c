// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * ELF loading, TAP output: programs that do not start at offset 0 of
 * their section, and programs of "?" sections (libbpf reports those
 * without the '?'), get their own map references and source lines, in
 * the listing and in what runs on the model.
 *
 * usage: test_elf PROGS_DIR (where tests/progs/ objects were built)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

static int n_test, n_fail;

static void tap(int ok, const char *what, const char *prog)
{
	printf("%sok %d - %s: %s\n", ok ? "" : "not ", ++n_test, prog, what);
	if (!ok)
		n_fail++;
}

struct multi_case {
	const char *prog;
	int map;		/* index of the map it looks up */
	const char *line;	/* a source line of the program */
};

/* multi_sec.bpf.c: maps small, big_a, big_b, big_c in that order */
static const struct multi_case cases[] = {
	{ "first", 0, "bpf_map_lookup_elem(&small, &k)" },
	{ "second", 1, "return probe(&big_a);" },
	{ "third", 2, "return probe(&big_b);" },
	{ "optional", 3, "return probe(&big_c);" },
};

static char *listing_of(const struct ojit_loaded *l, const void *image)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	ojit_print_listing(f, l, image);
	fclose(f);
	return text;
}

static void check_multi(const char *dir)
{
	static const uint8_t frame[64] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					    0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00 };
	char path[512], want[64], msg[200];
	unsigned int i;

	snprintf(path, sizeof(path), "%s/multi_sec.bpf.o", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct multi_case *c = &cases[i];
		struct ojit_options opt = { .lanes = 4 };
		struct ojit_loaded l = { 0 };
		struct ojit_result res;
		struct ojit_run_out out;
		uint32_t k, refs = 0, right = 0;
		char *text;
		int err;

		if (ojit_load_elf(path, c->prog, &l)) {
			tap(0, "loads", c->prog);
			continue;
		}
		for (k = 0; k < l.n_insns; k++) {
			if (l.map_of_insn[k] < 0)
				continue;
			refs++;
			right += l.map_of_insn[k] == c->map;
		}
		tap(refs == 1 && right == 1, "its one map reference is its own map", c->prog);
		err = ojit_compile_loaded(&l, &opt, &res);
		if (err) {
			tap(0, "compiles", c->prog);
			ojit_loaded_free(&l);
			continue;
		}
		text = listing_of(&l, res.image);
		snprintf(want, sizeof(want), "r1 = imm64 %d (src 5)", c->map);
		tap(text && strstr(text, want) && strstr(text, c->line),
		    "the listing shows its map and its own source lines", c->prog);
		free(text);
		err = ojit_run_image(OJIT_BACKEND_MODEL, res.image, res.image_size, frame,
				     sizeof(frame), &out, msg, sizeof(msg));
		if (err == -ENOSYS)
			printf("ok %d - %s: runs on the model # SKIP %s\n", ++n_test, c->prog, msg);
		else
			tap(!err && !out.faulted && out.verdict == 3,
			    "finds key 5 of its map on the model (XDP_TX)", c->prog);
		ojit_free(res.image);
		ojit_loaded_free(&l);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_elf PROGS_DIR\n");
		return 2;
	}
	printf("TAP version 13\n");
	check_multi(argv[1]);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
