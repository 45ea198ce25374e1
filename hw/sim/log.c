// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * One line per event, prefixed with the monotonic time, so a test or the VM
 * runner can line up simulator events with guest output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static FILE *log_file;

int log_open(const char *path)
{
	if (!path || !strcmp(path, "-")) {
		log_file = stderr;
		return 0;
	}
	log_file = fopen(path, "a");
	if (!log_file) {
		log_file = stderr;
		return -1;
	}
	/* The lockstep harness reports RTL/model mismatches on stderr. */
	dup2(fileno(log_file), STDERR_FILENO);
	return 0;
}

void log_close(void)
{
	if (log_file && log_file != stderr)
		fclose(log_file);
	log_file = NULL;
}

void log_msg(const char *fmt, ...)
{
	FILE *f = log_file ? log_file : stderr;
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(f, "[%5lld.%06ld] offnic-sim: ", (long long)ts.tv_sec, ts.tv_nsec / 1000);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}
