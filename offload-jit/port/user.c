// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The porting layer of offload-jit for userspace (tools and tests).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../include/ojit_port.h"

void *ojit_alloc(unsigned long size)
{
	return malloc(size ? size : 1);
}

void *ojit_zalloc(unsigned long size)
{
	return calloc(1, size ? size : 1);
}

void ojit_free(void *ptr)
{
	free(ptr);
}

int ojit_snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void ojit_yield(void)
{
}

unsigned long long ojit_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}
