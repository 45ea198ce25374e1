/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/* TAP output and small helpers for the model's tests. */
#ifndef ONM_TAP_H
#define ONM_TAP_H

#include <stdint.h>

#include "offnic_model.h"
#include "onm_asm.h"

/* Print "ok N - name" or "not ok N - name"; returns cond. */
int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tap_skip(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan; exit status for main. */
int tap_done(void);

/* Assemble src (aborting the test binary on an assembly error) and load
 * it into a new engine with cfg (NULL = defaults).
 */
struct onm_engine *t_load(const char *src, const struct onm_config *cfg);
/* Run one packet (frame may be NULL: a 64-byte frame of 0..63). */
void t_run(struct onm_engine *e, const uint8_t *frame, uint32_t len,
	   struct onm_pkt_out *out);
/* Assemble and run "src" on the default 64-byte frame; returns p0..p31
 * and the output in out (optional).  The engine is destroyed.
 */
void t_exec(const char *src, uint64_t *regs, struct onm_pkt_out *out);

#endif
