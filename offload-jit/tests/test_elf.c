// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * ELF loading, TAP output: programs that do not start at offset 0 of
 * their section, and programs of "?" sections (libbpf reports those
 * without the '?'), get their own map references and source lines, in
 * the listing and in what runs on the model.  Only the maps a program
 * uses can refuse it; refused helpers and map types are named.
 *
 * usage: test_elf PROGS_DIR (where tests/progs/ objects were built)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"
#include "offnic_image.h"
#include "../../hw/isa/offnic_isa.h"

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
static const struct multi_case multi_cases[] = {
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

/* Every micro-op of the image appears in the listing as offnic-dis prints it */
static int listing_in_dis_syntax(const char *text, const void *image)
{
	const struct offnic_image_hdr *h = image;
	const __u64 *words = offnic_image_words(h);
	uint64_t i, shown = 0;
	char uop[96];

	for (i = 0; i < (uint64_t)h->n_bundles * h->lanes; i++) {
		if (!words[i])
			continue;
		onm_disasm_uop(words[i], uop, sizeof(uop));
		if (!strstr(text, uop))
			return 0;
		shown++;
	}
	return shown > 0;
}

static void check_multi(const char *dir)
{
	static const uint8_t frame[64] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					    0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00 };
	char path[512], want[64], msg[200];
	unsigned int i;

	snprintf(path, sizeof(path), "%s/multi_sec.bpf.o", dir);
	for (i = 0; i < sizeof(multi_cases) / sizeof(multi_cases[0]); i++) {
		const struct multi_case *c = &multi_cases[i];
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

/*
 * tc_mark has 8-byte loads and stores, a 32-bit mov and a zero offset:
 * each printed differently by the JIT's old disassembler (ld.dw, mov32,
 * [p1+0]) than by offnic-dis (ld.d, mov.32, [p1]).
 */
static void check_listing_syntax(const char *dir)
{
	struct ojit_options opt = { .lanes = 4 };
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	char path[512], *text;

	snprintf(path, sizeof(path), "%s/tc_mark.bpf.o", dir);
	if (ojit_load_elf(path, NULL, &l)) {
		tap(0, "loads", "tc_mark");
		return;
	}
	if (ojit_compile_loaded(&l, &opt, &res)) {
		tap(0, "compiles", "tc_mark");
		ojit_loaded_free(&l);
		return;
	}
	text = listing_of(&l, res.image);
	tap(text && listing_in_dis_syntax(text, res.image),
	    "the listing prints every micro-op as offnic-dis does", "tc_mark");
	free(text);
	ojit_free(res.image);
	ojit_loaded_free(&l);
}

/* Reads what a refused load prints on stderr */
static int load_quietly(const char *path, const char *prog, struct ojit_loaded *l,
			char *err_text, size_t size)
{
	FILE *saved = stderr, *mem = fmemopen(err_text, size, "w");
	int err;

	memset(err_text, 0, size);
	if (mem)
		stderr = mem;
	err = ojit_load_elf(path, prog, l);
	if (mem) {
		fclose(mem);
		stderr = saved;
	}
	return err;
}

static void check_unused_map(const char *dir)
{
	static const uint8_t frame[64];
	struct ojit_options opt = { .lanes = 4 };
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	struct ojit_run_out out;
	char path[512], text[512], msg[200];
	int err;

	snprintf(path, sizeof(path), "%s/unused_map.bpf.o", dir);
	err = load_quietly(path, "uses_percpu", &l, text, sizeof(text));
	tap(err && strstr(text, "percpu_stats") && strstr(text, "PERCPU_ARRAY"),
	    "refused, naming its per-CPU map and the map type", "uses_percpu");
	ojit_loaded_free(&l);
	err = load_quietly(path, "uses_array", &l, text, sizeof(text));
	tap(!err && l.n_maps == 1, "not refused for a map it does not use", "uses_array");
	if (err)
		return;
	err = ojit_compile_loaded(&l, &opt, &res);
	if (!err) {
		err = ojit_run_image(OJIT_BACKEND_MODEL, res.image, res.image_size, frame,
				     sizeof(frame), &out, msg, sizeof(msg));
		ojit_free(res.image);
	}
	if (err == -ENOSYS)
		printf("ok %d - uses_array: runs # SKIP %s\n", ++n_test, msg);
	else
		tap(!err && !out.faulted && out.verdict == 2,
		    "translates and counts in its array (XDP_PASS)", "uses_array");
	ojit_loaded_free(&l);
}

/* A refused helper is named as the kernel names it, whatever its id */
static void check_helper_names(void)
{
	static const struct { int id; const char *name; } cases[] = {
		{ 163, "bpf_check_mtu" },
		{ 6, "bpf_trace_printk" },
		{ 51, "bpf_redirect_map" },
		{ 189, "bpf_xdp_load_bytes" },
		{ 209, "bpf_user_ringbuf_drain" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ojit_bpf_insn prog[2] = {
			{ .code = OJIT_BPF_JMP | OJIT_BPF_CALL, .imm = cases[i].id },
			{ .code = OJIT_BPF_JMP | OJIT_BPF_EXIT },
		};
		struct ojit_options opt = { .lanes = 4 };
		struct ojit_loaded l = { 0 };
		struct ojit_result res = { 0 };
		int err = ojit_load_insns(prog, 2, &l);

		if (!err)
			err = ojit_compile_loaded(&l, &opt, &res);
		if (!err)
			ojit_free(res.image);
		tap(err && strstr(res.msg, cases[i].name), "a refused helper is named",
		    cases[i].name);
		ojit_loaded_free(&l);
	}
}

static int has_empty_map(const struct ojit_loaded *l)
{
	uint32_t i;

	for (i = 0; i < l->n_maps; i++)
		if (!l->maps[i].max_entries)
			return 1;
	return 0;
}

/* Host-only features are refused by name; a map sized at run time that
 * the program does not use is left out of its image */
static void check_host_only(const char *dir)
{
	static const uint8_t frame[64];
	struct ojit_options opt = { .lanes = 4 };
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	struct ojit_run_out out;
	char path[512], text[512], msg[200];
	int err;

	snprintf(path, sizeof(path), "%s/host_only.bpf.o", dir);
	err = load_quietly(path, "calls_kfunc", &l, text, sizeof(text));
	tap(err && strstr(text, "kfunc call to bpf_offnic_no_such_kfunc"),
	    "refused as a kfunc call, by the kfunc's name", "calls_kfunc");
	ojit_loaded_free(&l);
	err = load_quietly(path, "reads_rodata", &l, text, sizeof(text));
	tap(err && strstr(text, "reference to .rodata") && strstr(text, "global data"),
	    "refused as global data, naming .rodata", "reads_rodata");
	ojit_loaded_free(&l);
	err = load_quietly(path, "plain", &l, text, sizeof(text));
	if (!err)
		err = ojit_compile_loaded(&l, &opt, &res);
	if (!err) {
		err = ojit_run_image(OJIT_BACKEND_MODEL, res.image, res.image_size, frame,
				     sizeof(frame), &out, msg, sizeof(msg));
		ojit_free(res.image);
	}
	if (err == -ENOSYS)
		printf("ok %d - plain: runs # SKIP %s\n", ++n_test, msg);
	else
		tap(!err && !has_empty_map(&l) && !out.faulted && out.verdict == 2,
		    "an unused map of 0 entries stays out of its image; it runs", "plain");
	ojit_loaded_free(&l);
}

static int refers_to_data(const struct ojit_loaded *l)
{
	uint32_t i;

	for (i = 0; i < l->n_insns; i++)
		if (l->insns[i].code == (OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW) &&
		    (l->insns[i].src_reg || l->insns[i].imm))
			return 1;
	return 0;
}

/* Loads from .rodata at constant offsets become the constants; the
 * program refers to no map then.  Escaping addresses are refused. */
static void check_rodata(const char *dir)
{
	static const uint8_t frame[64];
	struct ojit_options opt = { .lanes = 4 };
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	struct ojit_run_out out;
	char path[512], text[512], msg[200];
	int err;

	snprintf(path, sizeof(path), "%s/rodata.bpf.o", dir);
	err = load_quietly(path, "folds_config", &l, text, sizeof(text));
	/* counts (unused, kept) is the only map: the .rodata one is gone */
	tap(!err && l.n_maps == 1 && !refers_to_data(&l),
	    "loads from .rodata fold to constants; the .rodata map is left out", "folds_config");
	if (!err)
		err = ojit_compile_loaded(&l, &opt, &res);
	if (!err) {
		err = ojit_run_image(OJIT_BACKEND_MODEL, res.image, res.image_size, frame,
				     sizeof(frame), &out, msg, sizeof(msg));
		ojit_free(res.image);
	}
	if (err == -ENOSYS)
		printf("ok %d - folds_config: runs # SKIP %s\n", ++n_test, msg);
	else
		tap(!err && !out.faulted && out.verdict == 3,
		    "the folded configuration gives its verdict (XDP_TX)", "folds_config");
	ojit_loaded_free(&l);
	err = load_quietly(path, "passes_rodata", &l, text, sizeof(text));
	tap(err && strstr(text, "reference to key") && strstr(text, "helper bpf_map_lookup_elem"),
	    "a .rodata address passed to a helper is refused, naming both", "passes_rodata");
	ojit_loaded_free(&l);
	err = load_quietly(path, "reads_wide", &l, text, sizeof(text));
	tap(err && strstr(text, "reference to wide") && strstr(text, "64-bit"),
	    "a 64-bit .rodata value is refused, naming it", "reads_wide");
	ojit_loaded_free(&l);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_elf PROGS_DIR\n");
		return 2;
	}
	printf("TAP version 13\n");
	check_multi(argv[1]);
	check_listing_syntax(argv[1]);
	check_unused_map(argv[1]);
	check_helper_names();
	check_host_only(argv[1]);
	check_rodata(argv[1]);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
