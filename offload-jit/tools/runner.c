// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Running an image: on the C reference model (hw/model, libonm.a) or,
 * once the RTL harness provides it, on the Verilated RTL.
 */
#include <errno.h>
#include <string.h>

#include "tools.h"
#include "offnic_image.h"

#ifdef OJIT_HAVE_MODEL
#include "offnic_model.h"

static int run_model(const void *image, size_t size, const uint8_t *frame,
		     uint32_t len, struct ojit_run_out *out, char *msg, size_t msg_size)
{
	const struct offnic_image_hdr *h = image;
	struct onm_config cfg = { .lanes = h->lanes };
	struct onm_pkt_in in = { .frame = frame, .len = len };
	const struct onm_arch_state *st;
	struct onm_pkt_out po;
	struct onm_err err = { 0 };
	struct onm_engine *eng;
	int rc;

	/* __sk_buff->protocol: the ethertype as it sits in the frame */
	if (len >= 14)
		in.ctx[7] = (uint64_t)frame[12] | (uint64_t)frame[13] << 8;
	eng = onm_create(&cfg);
	if (!eng) {
		snprintf(msg, msg_size, "model: cannot create an engine of %u lanes", h->lanes);
		return -EINVAL;
	}
	rc = onm_load(eng, image, size, &err);
	if (rc) {
		snprintf(msg, msg_size, "model: load: %s", err.msg);
		goto out;
	}
	rc = onm_run(eng, 0, &in, &po);
	if (rc) {
		snprintf(msg, msg_size, "model: run: %d", rc);
		goto out;
	}
	st = onm_state(eng, 0);
	out->r0 = st->regs[0];
	out->verdict = po.verdict;
	out->faulted = po.faulted;
	out->fault_cause = po.fault.cause;
	out->fault_pc = po.fault.pc;
	out->cycles = po.cycles;
	out->bundles = po.bundles;
	out->pkt_len = po.len > sizeof(out->pkt) ? sizeof(out->pkt) : po.len;
	memcpy(out->pkt, po.data, out->pkt_len);
	memcpy(out->stack, st->stack, sizeof(out->stack));
out:
	onm_destroy(eng);
	return rc;
}
#endif

int ojit_run_image(enum ojit_backend be, const void *image, size_t size,
		   const uint8_t *frame, uint32_t len, struct ojit_run_out *out,
		   char *msg, size_t msg_size)
{
	memset(out, 0, sizeof(*out));
#ifdef OJIT_HAVE_MODEL
	if (be == OJIT_BACKEND_MODEL)
		return run_model(image, size, frame, len, out, msg, msg_size);
#endif
	snprintf(msg, msg_size, "backend %s not built in", be == OJIT_BACKEND_RTL ? "rtl" : "model");
	return -ENOSYS;
}
