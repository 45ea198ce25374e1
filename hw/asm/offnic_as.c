// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* offnic-as: assemble microcode source into an image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onm_asm.h"

static char *read_all(FILE *f)
{
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap + 1), *p;

	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			p = realloc(buf, 2 * cap + 1);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *outp = NULL;
	struct onm_asm_out out;
	FILE *f;
	char *src;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			outp = argv[++i];
		else if (!in)
			in = argv[i];
		else
			in = NULL, i = argc;
	}
	if (!in || !outp) {
		fprintf(stderr, "usage: offnic-as in.s -o out.img\n");
		return 2;
	}
	f = strcmp(in, "-") ? fopen(in, "r") : stdin;
	if (!f) {
		perror(in);
		return 1;
	}
	src = read_all(f);
	if (f != stdin)
		fclose(f);
	if (!src) {
		fprintf(stderr, "%s: cannot read\n", in);
		return 1;
	}
	if (onm_asm(src, &out)) {
		fprintf(stderr, "%s: %s\n", in, out.msg);
		free(src);
		return 1;
	}
	free(src);
	f = fopen(outp, "wb");
	if (!f || fwrite(out.img, 1, out.len, f) != out.len || fclose(f)) {
		perror(outp);
		onm_asm_free(&out);
		return 1;
	}
	onm_asm_free(&out);
	return 0;
}
