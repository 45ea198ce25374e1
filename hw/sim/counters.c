// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The counters the driver can read: by id over the control queue, or
 * from their mirror in the BAR2 header (readable from atomic context).
 */
#include <errno.h>

#include "sim.h"

int counter_read(struct sim *sim, uint32_t id, uint64_t *value)
{
	switch (id) {
	case OFFNIC_CNT_RX_FRAMES:
		*value = sim->stats.rx_frames;
		return 0;
	case OFFNIC_CNT_TX_FRAMES:
		*value = sim->stats.tx_frames;
		return 0;
	case OFFNIC_CNT_RX_DROPS:
		*value = sim->stats.rx_drops;
		return 0;
	case OFFNIC_CNT_CTRL_CMDS:
		*value = sim->stats.ctrl_cmds;
		return 0;
	case OFFNIC_CNT_TX_ERRORS:
		*value = sim->stats.tx_bad_desc;
		return 0;
	case OFFNIC_CNT_RX_ERRORS:
		*value = sim->stats.rx_bad_frame;
		return 0;
	case OFFNIC_CNT_WIRE_OVERFLOW:
		*value = sim->stats.wire_overflow;
		return 0;
	case OFFNIC_CNT_QUEUE_DROPS:
		*value = sim->stats.queue_drops;
		return 0;
	case OFFNIC_CNT_PROG_DROPS:
		*value = sim->stats.engine_drops;
		return 0;
	case OFFNIC_CNT_PROG_TX:
		*value = sim->stats.engine_tx;
		return 0;
	case OFFNIC_CNT_IRQS:
		*value = sim->stats.irqs;
		return 0;
	case OFFNIC_CNT_UPTIME_US:
		*value = dp_uptime_ns(&sim->dp) / 1000;
		return 0;
	}
	return -EINVAL;
}

/* Called after every event the loop handles, so the mirror never lags. */
void counters_publish(struct sim *sim)
{
	uint64_t value;
	uint32_t id;

	for (id = 0; id < OFFNIC_CNT_MAX; id++)
		if (!counter_read(sim, id, &value))
			shm_publish_counter(&sim->shm, id, value);
}
