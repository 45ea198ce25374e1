/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef BENCH_JIT_LIMIT_H
#define BENCH_JIT_LIMIT_H

#include <stdio.h>

/* JIT time of a program at the JIT's limit (OJIT_MAX_INSNS), 4 lanes,
 * median of reps compiles: "jit_limit": {...} into the JSON */
void bench_jit_limit(FILE *js, unsigned int reps);

#endif
