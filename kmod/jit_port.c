// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of offload-jit's porting layer
 * (offload-jit/include/ojit_port.h): the JIT core runs in process context
 * during program load, under bpf_devs_lock (an rwsem, held for read), so
 * plain sleeping allocations will do and the JIT may yield.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "ojit_port.h"

void *ojit_alloc(unsigned long size)
{
	return kvmalloc(size, GFP_KERNEL);
}

void *ojit_zalloc(unsigned long size)
{
	return kvzalloc(size, GFP_KERNEL);
}

void ojit_free(void *ptr)
{
	kvfree(ptr);
}

int ojit_snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

void ojit_yield(void)
{
	cond_resched();
}

unsigned long long ojit_time_ns(void)
{
	return ktime_get_ns();
}
