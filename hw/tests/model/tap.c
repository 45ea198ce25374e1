// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int n_tests, n_failed;

int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		n_failed++;
	return cond;
}

void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - ", ++n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int tap_done(void)
{
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}

struct onm_engine *t_load(const char *src, const struct onm_config *cfg)
{
	struct onm_asm_out out;
	struct onm_engine *e;
	struct onm_err err;

	if (onm_asm(src, &out)) {
		fprintf(stderr, "assembly failed: %s\nsource:\n%s\n", out.msg, src);
		exit(2);
	}
	e = onm_create(cfg);
	if (!e || onm_load(e, out.img, out.len, &err)) {
		fprintf(stderr, "load failed: %s\n", e ? err.msg : "no engine");
		exit(2);
	}
	onm_asm_free(&out);
	return e;
}

void t_run(struct onm_engine *e, const uint8_t *frame, uint32_t len,
	   struct onm_pkt_out *out)
{
	struct onm_pkt_in in = { 0 };
	uint8_t def[64];
	int i;

	for (i = 0; i < 64; i++)
		def[i] = (uint8_t)i;
	in.frame = frame ? frame : def;
	in.len = frame ? len : sizeof(def);
	if (onm_run(e, 0, &in, out)) {
		fprintf(stderr, "onm_run failed\n");
		exit(2);
	}
}

void t_exec(const char *src, uint64_t *regs, struct onm_pkt_out *out)
{
	struct onm_engine *e = t_load(src, NULL);
	struct onm_pkt_out tmp;

	t_run(e, NULL, 0, out ? out : &tmp);
	if (regs)
		memcpy(regs, onm_state(e, 0)->regs, 8 * ONM_NUM_REGS);
	onm_destroy(e);
}
