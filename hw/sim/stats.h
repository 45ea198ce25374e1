/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdint.h>

/*
 * Device counters.  The first group has counter ids in the ABI (enum
 * offnic_counter): the driver reads them with OFFNIC_CMD_READ_COUNTER or
 * from offnic_hdr.counters.  The second group has no id yet and is only
 * logged, per event and in the summary printed at exit.
 */
struct sim_stats {
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t rx_drops;
	uint64_t ctrl_cmds;
	uint64_t wire_overflow;		/* lost in the wire socket's buffer */
	uint64_t queue_drops;		/* the engine's input queue was full */
	uint64_t engine_drops;		/* engine stage verdict was drop */
	uint64_t engine_tx;		/* engine stage sent the frame back out */
	uint64_t irqs;			/* data interrupts raised */

	uint64_t tx_bad_desc;		/* TX descriptor failed validation */
	uint64_t tx_no_wire;		/* TX frame completed with no wire attached */
	uint64_t rx_bad_frame;		/* wire datagram too short or too long */
	uint64_t ring_bad_index;	/* driver's prod more than a ring ahead */
	uint64_t tx_wire_errors;	/* host frames the wire socket refused */
	uint64_t engine_aborted;	/* XDP_ABORTED or an engine fault */
	uint64_t engine_redirect_drops;	/* XDP/tc redirect to another device */
	uint64_t engine_unsupported;	/* verdicts the device cannot act on */
	uint64_t engine_errors;		/* the engine could not run the frame */
	uint64_t events;		/* event records posted to the host */
	uint64_t events_dropped;	/* lost to a full event ring */
};

#endif
