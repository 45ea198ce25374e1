// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * OFFNIC_CMD_INJECT: make the device misbehave on purpose, so the
 * driver's error paths can be tested.
 *   CRASH       exit(1) at once, without answering
 *   HANG        never answer again, stop the heartbeat and the datapath; the
 *               process stays until SIGTERM/SIGINT or the client disconnects
 *   BAD_RX      the next RX descriptor is malformed, as arg says
 *               (enum offnic_bad_rx) (answered)
 *   REBOOT      a firmware crash: no answer, the device forgets everything
 *               and goes silent (status RESET, no heartbeat), then powers
 *               on again after arg ms, as a NIC whose firmware restarts
 *   CTRL_DELAY  the next control request is answered arg ms late; the
 *               heartbeat and the datapath go on meanwhile (answered)
 *   TX_PAUSE    TX doorbells are ignored: posted frames stay (answered)
 *   TX_RESUME   the TX ring is drained at once and the data interrupt
 *               raised, as a doorbell would (answered)
 *   TX_RESUME_QUIET  doorbells count again, but what was posted while
 *               paused waits for the next one: the device lost those
 *               doorbells (answered)
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "log.h"
#include "sim.h"

/* Deaf and silent: no control answers, no heartbeat, no datapath. */
static void go_silent(struct sim *sim)
{
	sim->hung = true;
	/* Level-triggered: a wire fd nobody reads would spin the loop. */
	if (wire_attached(&sim->wire))
		epoll_ctl(sim->epoll_fd, EPOLL_CTL_DEL, sim->wire.fd, NULL);
}

int ctrl_inject(struct sim *sim, const uint8_t *in, uint32_t in_len,
		uint8_t *out, uint32_t *out_len)
{
	struct offnic_inject_req req;

	(void)out;
	(void)out_len;
	if (in_len != sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	switch (req.what) {
	case OFFNIC_INJECT_CRASH:
		log_msg("inject: crash");
		_exit(1);
	case OFFNIC_INJECT_HANG:
		log_msg("inject: hang (until SIGTERM or disconnect)");
		go_silent(sim);
		return 0;
	case OFFNIC_INJECT_BAD_RX:
		if (req.arg > OFFNIC_BAD_RX_FLAGS)
			return -EINVAL;
		log_msg("inject: next RX descriptor is malformed (kind %u)", req.arg);
		sim->dp.bad_rx_next = req.arg + 1;
		return 0;
	case OFFNIC_INJECT_REBOOT:
		if (!req.arg || req.arg > SIM_INJECT_MAX_MS)
			return -EINVAL;
		log_msg("inject: firmware crash, restart in %u ms", req.arg);
		go_silent(sim);
		sim_crash(sim, req.arg);
		return 0;
	case OFFNIC_INJECT_CTRL_DELAY:
		if (!req.arg || req.arg > SIM_INJECT_MAX_MS)
			return -EINVAL;
		log_msg("inject: next control answer %u ms late", req.arg);
		sim->ctrl_delay_ms = req.arg;
		return 0;
	case OFFNIC_INJECT_TX_PAUSE:
		log_msg("inject: TX paused");
		sim->dp.tx_paused = true;
		return 0;
	case OFFNIC_INJECT_TX_RESUME:
		log_msg("inject: TX resumed");
		sim->dp.tx_paused = false;
		/* Announced with the answer, as TEST_RUN's event records are. */
		if (dp_tx_drain(&sim->dp))
			sim->ol.ev_irq = true;
		return 0;
	case OFFNIC_INJECT_TX_RESUME_QUIET:
		log_msg("inject: TX resumed at the next doorbell");
		sim->dp.tx_paused = false;
		return 0;
	}
	return -EINVAL;
}
