// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * offnic-jit: compile a BPF program (ELF object, raw instructions or
 * base16) into an offnic image, print its listing and statistics.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

static void usage(void)
{
	unsigned int i;

	fprintf(stderr,
		"usage: offnic-jit [options] (FILE.o [--sec SEC] | --raw FILE | --hex HEX)\n"
		"  -o FILE         write the image\n"
		"  --sec SEC       program by section or function name (ELF)\n"
		"  --tc            raw/hex program is a tc program (default XDP)\n"
		"  --lanes N       micro-ops per bundle (default 4)\n"
		"  --no-pass NAME  disable a pass (repeatable); 'rename', 'brmerge' too\n"
		"  -l, --listing   print the bundle listing\n"
		"  --mem-prologue  r1 = packet, r2 = its length (offnic-run's convention)\n"
		"  -q              no statistics\n"
		"passes:");
	for (i = 0; i < ojit_n_passes; i++)
		fprintf(stderr, " %s", ojit_pass_names[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

static int disable_pass(struct ojit_options *opt, const char *name)
{
	int k = ojit_pass_by_name(name);

	if (!strcmp(name, "rename")) {
		opt->disabled_passes |= OJIT_NO_RENAME;
		return 0;
	}
	if (!strcmp(name, "brmerge")) {
		opt->disabled_passes |= OJIT_NO_BRMERGE;
		return 0;
	}
	if (!strcmp(name, "all")) {
		opt->disabled_passes |= (1U << ojit_n_passes) - 1;
		return 0;
	}
	if (k < 0) {
		fprintf(stderr, "unknown pass %s\n", name);
		return -EINVAL;
	}
	opt->disabled_passes |= 1U << k;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sec", required_argument, NULL, 's' },
		{ "raw", required_argument, NULL, 'r' },
		{ "hex", required_argument, NULL, 'x' },
		{ "tc", no_argument, NULL, 't' },
		{ "lanes", required_argument, NULL, 'L' },
		{ "no-pass", required_argument, NULL, 'n' },
		{ "listing", no_argument, NULL, 'l' },
		{ "mem-prologue", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct ojit_options opt = { .lanes = 4 };
	const char *sec = NULL, *raw = NULL, *hex = NULL, *outp = NULL;
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	int c, err, listing = 0, quiet = 0, tc = 0, prologue = 0;

	while ((c = getopt_long(argc, argv, "o:lq", longopts, NULL)) != -1) {
		switch (c) {
		case 's': sec = optarg; break;
		case 'r': raw = optarg; break;
		case 'x': hex = optarg; break;
		case 't': tc = 1; break;
		case 'L': opt.lanes = (uint32_t)atoi(optarg); break;
		case 'n':
			if (disable_pass(&opt, optarg))
				return 2;
			break;
		case 'l': listing = 1; break;
		case 'm': prologue = 1; break;
		case 'q': quiet = 1; break;
		case 'o': outp = optarg; break;
		default: usage();
		}
	}
	if (raw)
		err = ojit_load_raw(raw, &l);
	else if (hex)
		err = ojit_load_hex(hex, &l);
	else if (optind < argc)
		err = ojit_load_elf(argv[optind], sec, &l);
	else
		usage();
	if (err)
		return 1;
	if (prologue && ojit_add_mem_prologue(&l))
		return 1;
	if (tc && (raw || hex))
		l.prog_type = 2;
	err = ojit_compile_loaded(&l, &opt, &res);
	if (err) {
		fprintf(stderr, "offnic-jit: %s\n", res.msg);
		ojit_loaded_free(&l);
		return 1;
	}
	if (listing)
		ojit_print_listing(stdout, &l, res.image);
	if (!quiet)
		ojit_print_stats(stdout, &res);
	if (outp) {
		FILE *f = fopen(outp, "wb");

		if (!f || fwrite(res.image, 1, res.image_size, f) != res.image_size) {
			fprintf(stderr, "%s: %s\n", outp, strerror(errno));
			err = 1;
		}
		if (f)
			fclose(f);
	}
	ojit_free(res.image);
	ojit_loaded_free(&l);
	return err ? 1 : 0;
}
