// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Running an image: on the C reference model (hw/model, libonm.a) or on
 * the Verilated RTL (hw/verif's rtl_engine, built by hw/sim), which then
 * does everything itself: the model only validates the image and lays
 * out its maps, which are created in the RTL's map memory.
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

#ifdef OJIT_HAVE_RTL
#include "rtl_engine.h"

static int run_rtl(const void *image, size_t size, const uint8_t *frame,
		   uint32_t len, struct ojit_run_out *out, char *msg, size_t msg_size)
{
	const struct offnic_image_hdr *h = image;
	struct onm_config cfg = { .lanes = h->lanes, .event_slots = rtl_event_slots() };
	struct onm_pkt_in in = { .frame = frame, .len = len };
	static struct onm_arch_state st;
	int slots[ONM_MAX_MAPS] = { 0 };
	struct onm_err err = { 0 };
	struct onm_map_view v;
	struct onm_pkt_out po;
	struct onm_engine *eng;
	struct rtl_engine *r = NULL;
	uint32_t i;
	int rc;

	if (size < sizeof(*h) || h->lanes != rtl_lanes()) {
		snprintf(msg, msg_size, "rtl: the RTL has %u lanes, the image %u", rtl_lanes(),
			 size < sizeof(*h) ? 0 : h->lanes);
		return -EINVAL;
	}
	if (len >= 14)
		in.ctx[7] = (uint64_t)frame[12] | (uint64_t)frame[13] << 8;
	eng = onm_create(&cfg);
	if (!eng) {
		snprintf(msg, msg_size, "rtl: no model to validate the image");
		return -ENOMEM;
	}
	rc = onm_load(eng, image, size, &err);
	if (rc) {
		snprintf(msg, msg_size, "rtl: load: %s", err.msg);
		goto out;
	}
	rc = -ENOMEM;
	r = rtl_create(NULL);
	if (!r) {
		snprintf(msg, msg_size, "rtl: cannot create the RTL engine");
		goto out;
	}
	rtl_config(r, onm_config(eng)->watchdog_cycles, onm_config(eng)->ns_per_cycle,
		   h->prog_type);
	rtl_set_max_frame(r, onm_config(eng)->max_frame);
	for (i = 0; i < h->n_maps; i++) {
		slots[i] = onm_prog_map_slot(eng, i);
		rc = onm_map_view(eng, slots[i], &v);
		if (!rc)
			rc = rtl_map_define(r, slots[i], &v.def);
		if (rc) {
			snprintf(msg, msg_size, "rtl: map %u does not fit the RTL's map memory", i);
			goto out;
		}
	}
	rc = rtl_load(r, image, size, slots);
	if (!rc)
		rc = rtl_begin_frame(r, 0, &in);
	if (rc) {
		snprintf(msg, msg_size, "rtl: the RTL refuses the image or frame: %d", rc);
		goto out;
	}
	if (!rtl_run_all(r)) {
		snprintf(msg, msg_size, "rtl: the core never finished");
		rc = -ETIMEDOUT;
		goto out;
	}
	rc = rtl_finish(r, 0, &po);
	if (rc) {
		snprintf(msg, msg_size, "rtl: no result: %d", rc);
		goto out;
	}
	rtl_state(r, 0, &st);
	out->r0 = st.regs[0];
	out->verdict = po.verdict;
	out->faulted = po.faulted;
	out->fault_cause = po.fault.cause;
	out->fault_pc = po.fault.pc;
	out->cycles = po.cycles;
	out->bundles = po.bundles;
	out->pkt_len = po.len > sizeof(out->pkt) ? sizeof(out->pkt) : po.len;
	memcpy(out->pkt, po.data, out->pkt_len);
	memcpy(out->stack, st.stack, sizeof(out->stack));
out:
	rtl_destroy(r);
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
#ifdef OJIT_HAVE_RTL
	if (be == OJIT_BACKEND_RTL)
		return run_rtl(image, size, frame, len, out, msg, msg_size);
#endif
	snprintf(msg, msg_size, "backend %s not built in", be == OJIT_BACKEND_RTL ? "rtl" : "model");
	return -ENOSYS;
}
