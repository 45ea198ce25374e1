/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Porting layer of the offload-jit core.
 *
 * The core (offload-jit/core) uses no libc and no kernel header except
 * <linux/types.h>.  Everything it needs from its host is declared here
 * and implemented twice:
 *   - offload-jit/port/user.c  for the userspace tools and tests (libc);
 *   - kmod/ (the kernel module) with kmalloc/kvzalloc/vsnprintf.
 *
 * A host must provide exactly these functions:
 *   void *ojit_alloc(unsigned long size);
 *	uninitialised memory, NULL on failure; may be called with sizes up to
 *	a few MiB (kernel: kvmalloc);
 *   void *ojit_zalloc(unsigned long size);
 *	zeroed memory, NULL on failure (kernel: kvzalloc);
 *   void ojit_free(void *ptr);
 *	frees what the two above returned; NULL is a no-op (kernel: kvfree);
 *   int ojit_snprintf(char *buf, unsigned long size, const char *fmt, ...);
 *	vsnprintf semantics; the core uses only %d %u %x %llx %lld %llu %s
 *	(kernel: vsnprintf);
 *   unsigned long long ojit_time_ns(void);
 *	a monotonic clock for the JIT-time statistic (kernel: ktime_get_ns);
 *   void ojit_yield(void);
 *	called between units of work in long loops, so that a large program
 *	does not hog the CPU (kernel: cond_resched; userspace: nothing).
 * Userspace builds define __printf (the kernel has it in
 * <linux/compiler_attributes.h>).
 * The core calls them only from process context, never with locks held by
 * the core itself; all may sleep.
 */
#ifndef OJIT_PORT_H
#define OJIT_PORT_H

#include <linux/types.h>

#ifndef __KERNEL__
#include <stdbool.h>
#include <stddef.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
#endif

void *ojit_alloc(unsigned long size);
void *ojit_zalloc(unsigned long size);
void ojit_free(void *ptr);
#define OJIT_BIT(n)	(1U << (n))

__printf(3, 4)
int ojit_snprintf(char *buf, unsigned long size, const char *fmt, ...);
unsigned long long ojit_time_ns(void);
void ojit_yield(void);

#endif /* OJIT_PORT_H */
