// SPDX-License-Identifier: GPL-2.0
/*
 * offnic device health: the simulator bumps a heartbeat in shared memory
 * while it is alive.  If it stops (the simulator crashed or was killed),
 * the driver stops the datapath and says so, instead of waiting forever
 * on rings nobody serves.
 */
#include <linux/workqueue.h>

#include "offnic.h"

static void offnic_health_check(struct work_struct *work)
{
	struct offnic *nic = container_of(to_delayed_work(work), struct offnic,
					  health_work);
	u64 beat = READ_ONCE(nic->hdr->heartbeat);

	if (READ_ONCE(nic->dead))
		return;
	if (beat != nic->last_heartbeat) {
		nic->last_heartbeat = beat;
		nic->heartbeat_misses = 0;
	} else if (++nic->heartbeat_misses >= OFFNIC_HEALTH_MAX_MISSES) {
		offnic_mark_dead(nic, "heartbeat stopped (simulator gone?)");
		return;
	}
	schedule_delayed_work(&nic->health_work,
			      msecs_to_jiffies(OFFNIC_HEALTH_PERIOD_MS));
}

void offnic_health_start(struct offnic *nic)
{
	nic->last_heartbeat = READ_ONCE(nic->hdr->heartbeat);
	INIT_DELAYED_WORK(&nic->health_work, offnic_health_check);
	schedule_delayed_work(&nic->health_work,
			      msecs_to_jiffies(OFFNIC_HEALTH_PERIOD_MS));
}

void offnic_health_stop(struct offnic *nic)
{
	cancel_delayed_work_sync(&nic->health_work);
}
