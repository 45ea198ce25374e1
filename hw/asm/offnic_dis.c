// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* offnic-dis: list an image as assembly source (reassembles identically). */
#include <stdio.h>
#include <stdlib.h>

#include "onm_asm.h"

static int print_line(void *arg, const char *line)
{
	return fprintf(arg, "%s\n", line) < 0;
}

int main(int argc, char **argv)
{
	size_t len = 0, cap = 1 << 16, n;
	char *img, *p;
	FILE *f;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: offnic-dis in.img\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	img = malloc(cap);
	while (img && (n = fread(img + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			p = realloc(img, 2 * cap);
			if (!p)
				break;
			img = p;
			cap *= 2;
		}
	}
	fclose(f);
	if (!img)
		return 1;
	ret = onm_disasm_image(img, len, print_line, stdout);
	free(img);
	if (ret < 0)
		fprintf(stderr, "%s: not a valid offnic image\n", argv[1]);
	return ret ? 1 : 0;
}
