// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The control queue: one request slot, one response slot (offnic_abi.h).
 * A request is new when req.seq differs from the last one served, so a
 * doorbell rung twice, or rung with nothing posted, is answered once.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "sim.h"

#define SIM_NAME	"offnic-sim"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int ctrl_identify(struct sim *sim, const uint8_t *in, uint32_t in_len,
			 uint8_t *out, uint32_t *out_len)
{
	struct offnic_identify id = {
		.name = SIM_NAME,
		.engine = sim->ol.eng.be->abi_id,
		.lanes = engine_lanes(&sim->ol.eng),
		.cores = engine_cores(&sim->ol.eng),
		.features = sim->opts.id.features,
	};

	(void)in;
	(void)in_len;
	memcpy(out, &id, sizeof(id));
	*out_len = sizeof(id);
	return 0;
}

static int ctrl_read_counter(struct sim *sim, const uint8_t *in, uint32_t in_len,
			     uint8_t *out, uint32_t *out_len)
{
	struct offnic_counter_req req;
	uint64_t value;
	int err;

	if (in_len < sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	err = counter_read(sim, req.id, &value);
	if (err)
		return err;
	memcpy(out, &value, sizeof(value));
	*out_len = sizeof(value);
	return 0;
}

/* Back to the power-on state; the answer follows the reset (ctrl_serve). */
static int ctrl_reset(struct sim *sim, const uint8_t *in, uint32_t in_len,
		      uint8_t *out, uint32_t *out_len)
{
	(void)in;
	(void)in_len;
	(void)out;
	(void)out_len;
	log_msg("ctrl: reset requested by the driver");
	sim_reset(sim);
	return 0;
}

/* Ops missing here answer -EOPNOTSUPP. */
static const ctrl_handler_fn ctrl_handlers[] = {
	[OFFNIC_CMD_IDENTIFY] = ctrl_identify,
	[OFFNIC_CMD_READ_COUNTER] = ctrl_read_counter,
	[OFFNIC_CMD_LOAD_PROG] = ctrl_load_prog,
	[OFFNIC_CMD_UNLOAD_PROG] = ctrl_unload_prog,
	[OFFNIC_CMD_MAP_ALLOC] = ctrl_map_alloc,
	[OFFNIC_CMD_MAP_FREE] = ctrl_map_free,
	[OFFNIC_CMD_MAP_LOOKUP] = ctrl_map_lookup,
	[OFFNIC_CMD_MAP_UPDATE] = ctrl_map_update,
	[OFFNIC_CMD_MAP_DELETE] = ctrl_map_delete,
	[OFFNIC_CMD_MAP_GETNEXT] = ctrl_map_getnext,
	[OFFNIC_CMD_PROG_STATS] = ctrl_prog_stats,
	[OFFNIC_CMD_TEST_RUN] = ctrl_test_run,
	[OFFNIC_CMD_READ_FAULTS] = ctrl_read_faults,
	[OFFNIC_CMD_INJECT] = ctrl_inject,
	[OFFNIC_CMD_RESET] = ctrl_reset,
};

int ctrl_dispatch(struct sim *sim, uint32_t op, const uint8_t *in, uint32_t in_len,
		  uint8_t *out, uint32_t *out_len)
{
	if (op >= ARRAY_SIZE(ctrl_handlers) || !ctrl_handlers[op])
		return -EOPNOTSUPP;
	return ctrl_handlers[op](sim, in, in_len, out, out_len);
}

/* The new machine's driver starts from resp.seq, which is now 0. */
void ctrl_power_on(struct sim *sim)
{
	sim->ctrl_seq = 0;
	sim->ctrl_delay_ms = 0;
	sim->ctrl_held = false;
	sim_arm_timer(sim->ctrl_delay_fd, 0);
}

static void ctrl_publish(struct sim *sim, uint32_t seq, int32_t status, uint32_t len)
{
	struct offnic_ctrl *ctrl = (struct offnic_ctrl *)(sim->shm.base + OFFNIC_CTRL_OFF);

	ctrl->resp.len = len;
	ctrl->resp.status = status;
	/* Payload, len and status must be visible before the host sees seq. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&ctrl->resp.seq, seq, __ATOMIC_RELEASE);
	sim->ctrl_seq = seq;
}

/* INJECT CTRL_DELAY's timer fired: publish the held answer, late. */
bool ctrl_release(struct sim *sim)
{
	if (!sim->ctrl_held || sim->hung)
		return false;
	sim->ctrl_held = false;
	log_msg("ctrl: seq %u answered late", sim->held_seq);
	ctrl_publish(sim, sim->held_seq, sim->held_status, sim->held_len);
	return true;
}

/* Returns true when a response was written and the host should be interrupted. */
bool ctrl_serve(struct sim *sim)
{
	static uint8_t in[OFFNIC_CTRL_PAYLOAD_MAX];
	struct offnic_ctrl *ctrl = (struct offnic_ctrl *)(sim->shm.base + OFFNIC_CTRL_OFF);
	uint32_t seq, op, len, out_len = 0;
	int status;

	seq = __atomic_load_n(&ctrl->req.seq, __ATOMIC_ACQUIRE);
	/* One request in flight: a held answer blocks the next request. */
	if (seq == sim->ctrl_seq || sim->hung || sim->ctrl_held)
		return false;
	op = __atomic_load_n(&ctrl->req.op, __ATOMIC_RELAXED);
	len = __atomic_load_n(&ctrl->req.len, __ATOMIC_RELAXED);
	sim->stats.ctrl_cmds++;
	if (len > OFFNIC_CTRL_PAYLOAD_MAX) {
		status = -EINVAL;
	} else {
		/* One copy, then parse the copy: the driver can't change it under us. */
		memcpy(in, ctrl->req.payload, len);
		__asm__ __volatile__("" ::: "memory");
		status = ctrl_dispatch(sim, op, in, len, ctrl->resp.payload, &out_len);
	}
	if (status)
		out_len = 0;
	/* INJECT HANG/REBOOT: the request that hung the device is never answered. */
	if (sim->hung)
		return false;
	/* RESET zeroed the request slot: keep the served seq there. */
	if (op == OFFNIC_CMD_RESET)
		__atomic_store_n(&ctrl->req.seq, seq, __ATOMIC_RELEASE);
	if (status)
		log_msg("ctrl: seq %u op %u len %u -> %d", seq, op, len, status);
	if (sim->ctrl_delay_ms && op != OFFNIC_CMD_INJECT) {
		sim->ctrl_held = true;
		sim->held_seq = seq;
		sim->held_status = status;
		sim->held_len = out_len;
		log_msg("ctrl: seq %u op %u held for %u ms", seq, op, sim->ctrl_delay_ms);
		sim_arm_timer(sim->ctrl_delay_fd, sim->ctrl_delay_ms);
		sim->ctrl_delay_ms = 0;
		return false;
	}
	ctrl_publish(sim, seq, status, out_len);
	return true;
}
