// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* onm-isadoc FILE: regenerate the tables section of docs/isa.md in place. */
#include <stdio.h>
#include <stdlib.h>

#include "isadoc.h"

int main(int argc, char **argv)
{
	char *doc, *tables, *out;
	FILE *f;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: onm-isadoc docs/isa.md\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	doc = calloc(1, (size_t)n + 1);
	if (!doc || fread(doc, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return 1;
	}
	fclose(f);
	tables = isadoc_tables();
	out = isadoc_splice(doc, tables);
	if (!out) {
		fprintf(stderr, "%s: generated-section markers not found\n", argv[1]);
		return 1;
	}
	f = fopen(argv[1], "w");
	if (!f || fputs(out, f) < 0 || fclose(f))
		return 1;
	free(doc);
	free(tables);
	free(out);
	return 0;
}
