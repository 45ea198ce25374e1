/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/* Shared by the lockstep test files (test_lockstep.cpp, test_bounds.cpp). */
#ifndef TEST_LOCKSTEP_H
#define TEST_LOCKSTEP_H

#include <stdint.h>

extern "C" {
#include "offnic_model.h"
}

/* Print one TAP line "ok N - rtl name"; returns ok. */
int tap(int ok, const char *name);
/*
 * Run src on one len-byte packet in lockstep (architectural state
 * compared after every bundle); check the verdict and the fault cause
 * when they are >= 0.  1 if all agreed and matched.
 */
int run_prog_len(const char *src, uint32_t len, int64_t verdict, int fault,
		 struct onm_pkt_out *outp);

/* test_bounds.cpp: frame limits and helper sizes of every width */
void test_bounds(void);

#endif /* TEST_LOCKSTEP_H */
