// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * offnic-run: run a BPF program through the JIT on the C model, or with
 * --rtl on the Verilated RTL alone (when built with Verilator).
 *
 * Conformance plugin mode (Alan-Jowett/bpf_conformance): the program comes
 * as base16 on stdin (or --elf FILE), the memory as base16 in argv[1].
 * The memory becomes the packet; a three-instruction prologue sets
 *   r2 = ctx->data_end; r1 = ctx->data; r2 -= r1
 * so r1 points to the memory and r2 holds its length, as the suite
 * expects.  On success r0 is printed in hex and the exit status is 0.
 *
 * Packet mode (--pkt HEX): runs the program unmodified on that frame and
 * prints verdict, cycles and the output packet.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

static char *read_all(FILE *f)
{
	size_t cap = 4096, n = 0, k;
	char *buf = malloc(cap);

	while (buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (n + 1 == cap) {
			char *more = realloc(buf, cap * 2);

			if (!more) {
				free(buf);
				return NULL;
			}
			buf = more;
			cap *= 2;
		}
	}
	if (buf)
		buf[n] = 0;
	return buf;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "elf", required_argument, NULL, 'e' },
		{ "sec", required_argument, NULL, 's' },
		{ "pkt", required_argument, NULL, 'p' },
		{ "lanes", required_argument, NULL, 'L' },
		{ "rtl", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct ojit_options opt = { .lanes = 4 };
	const char *elf = NULL, *sec = NULL, *pkt = NULL;
	enum ojit_backend be = OJIT_BACKEND_MODEL;
	static uint8_t frame[4096 - 256];
	struct ojit_loaded l = { 0 };
	struct ojit_run_out out;
	struct ojit_result res;
	uint32_t len = 0, i;
	char msg[200];
	int c, err;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': elf = optarg; break;
		case 's': sec = optarg; break;
		case 'p': pkt = optarg; break;
		case 'L': opt.lanes = (uint32_t)atoi(optarg); break;
		case 'R': be = OJIT_BACKEND_RTL; break;
		default:
			fprintf(stderr, "usage: offnic-run [--elf F [--sec S]] [--pkt HEX] [--lanes N] [--rtl] [MEMHEX] < PROGHEX\n");
			return 2;
		}
	}
	if (elf) {
		err = ojit_load_elf(elf, sec, &l);
	} else {
		char *text = read_all(stdin);

		err = text ? ojit_load_hex(text, &l) : -ENOMEM;
		free(text);
	}
	if (err)
		return 1;
	if (pkt) {
		len = (uint32_t)ojit_unhex(pkt, frame, sizeof(frame));
	} else {
		if (optind < argc)
			len = (uint32_t)ojit_unhex(argv[optind], frame, sizeof(frame));
		if (ojit_add_mem_prologue(&l))
			return 1;
		/* the suite wants the full 64-bit r0: keep it live at exits */
		opt.disabled_passes |= 1U << ojit_pass_by_name("exit_imm");
	}
	err = ojit_compile_loaded(&l, &opt, &res);
	if (err) {
		fprintf(stderr, "offnic-run: jit: %s\n", res.msg);
		return 1;
	}
	err = ojit_run_image(be, res.image, res.image_size, frame, len, &out, msg, sizeof(msg));
	ojit_free(res.image);
	ojit_loaded_free(&l);
	if (err) {
		fprintf(stderr, "offnic-run: %s\n", msg);
		return 1;
	}
	if (out.faulted) {
		fprintf(stderr, "offnic-run: fault %u at bundle %u\n", out.fault_cause, out.fault_pc);
		return 1;
	}
	if (!pkt) {
		printf("%llx\n", (unsigned long long)out.r0);
		return 0;
	}
	printf("verdict %u cycles %llu bundles %llu\npacket ", out.verdict,
	       (unsigned long long)out.cycles, (unsigned long long)out.bundles);
	for (i = 0; i < out.pkt_len; i++)
		printf("%02x", out.pkt[i]);
	printf("\n");
	return 0;
}
