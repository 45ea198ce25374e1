// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* Architectural-state comparison for the lockstep harness. */
#include <stdio.h>
#include <string.h>

#include "onm_internal.h"

#define CMP(field)							\
	do {								\
		if (a->field != b->field) {				\
			snprintf(buf, size, "%s: 0x%llx != 0x%llx",	\
				 #field, (unsigned long long)a->field,	\
				 (unsigned long long)b->field);	\
			return 1;					\
		}							\
	} while (0)

#define CMP_ARRAY(arr)							\
	do {								\
		for (i = 0; i < sizeof(a->arr) / sizeof(a->arr[0]); i++) { \
			if (a->arr[i] != b->arr[i]) {			\
				snprintf(buf, size,			\
					 "%s[%zu]: 0x%llx != 0x%llx",	\
					 #arr, i,			\
					 (unsigned long long)a->arr[i],	\
					 (unsigned long long)b->arr[i]); \
				return 1;				\
			}						\
		}							\
	} while (0)

int onm_state_diff(const struct onm_arch_state *a,
		   const struct onm_arch_state *b, char *buf, size_t size)
{
	char dummy[1];
	size_t i;

	if (!size) {
		buf = dummy;
		size = sizeof(dummy);
	}
	buf[0] = '\0';
	CMP(pc);
	CMP(exited);
	CMP(verdict);
	CMP(fault.cause);
	CMP(fault.pc);
	CMP(fault.lane);
	CMP(fault.addr);
	CMP_ARRAY(regs);
	CMP(cycle);
	CMP(ret_depth);
	CMP_ARRAY(ret_stack);
	CMP(data_off);
	CMP(data_end_off);
	CMP(meta_off);
	CMP_ARRAY(ctx);
	CMP(prandom);
	CMP(clock);
	CMP(redirected);
	CMP(redirect_ifindex);
	CMP(redirect_flags);
	CMP_ARRAY(perf);
	CMP_ARRAY(stack);
	CMP_ARRAY(pkt);
	return 0;
}
