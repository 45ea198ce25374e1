// SPDX-License-Identifier: GPL-2.0
/*
 * offnic device health and recovery.
 *
 * The device bumps a heartbeat in shared memory while it is alive.  If it
 * stops (the device hung, crashed, or its firmware is restarting), the
 * driver declares the device dead: the datapath stops and control
 * requests fail at once, instead of waiting on rings nobody serves.
 *
 * A dead device is not given up: when its heartbeat runs again and its
 * header says READY, the watchdog resets it and brings the port back
 * without a module reload:
 *   1. handshake: header check, control sequence resync, RESET, IDENTIFY;
 *   2. under rtnl, the port is stopped if it was up;
 *   3. every offloaded map is created again on the device, empty: device
 *      memory did not survive and the host never had a copy;
 *   4. the offloaded XDP and tc programs are loaded again (the driver
 *      keeps their images), so they keep running on the device;
 *   5. the port is opened again (rings, events, NAPI, carrier).
 * A failed attempt leaves the device dead and is retried with a growing
 * back-off.  The same path serves a device whose ring state is corrupt
 * (offnic_request_reset()).
 */
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>

#include "offnic.h"

static void offnic_health_schedule(struct offnic *nic)
{
	schedule_delayed_work(&nic->health_work,
			      msecs_to_jiffies(OFFNIC_HEALTH_PERIOD_MS));
}

/**
 * offnic_request_reset() - the device's state is corrupt: reset it
 * @nic: the device
 * @why: for the log
 *
 * Stops the datapath at once (as a dead device's) and has the watchdog
 * reset the device on its next run.  Any context.
 */
void offnic_request_reset(struct offnic *nic, const char *why)
{
	if (xchg(&nic->dead, true))
		return;
	WRITE_ONCE(nic->reset_wanted, true);
	dev_warn(&nic->pdev->dev, "resetting the device: %s\n", why);
	if (nic->netdev)
		netif_carrier_off(nic->netdev);
	complete(&nic->ctrl_done);
}

/* Load again on the device what the kernel believes runs there. */
static int offnic_reload_progs(struct offnic *nic)
{
	int err;

	err = offnic_maps_restore(nic);
	if (err)
		return err;
	if (nic->xdp_hw.prog) {
		err = offnic_dev_load_prog(nic, OFFNIC_SLOT_XDP, nic->xdp_hw.prog);
		if (err)
			return err;
	}
	if (nic->tc_prog)
		err = offnic_dev_load_prog(nic, OFFNIC_SLOT_TC, nic->tc_prog);
	return err;
}

static int offnic_recover(struct offnic *nic)
{
	struct net_device *netdev = nic->netdev;
	bool running;
	int err;

	err = offnic_ctrl_handshake(nic);
	if (err)
		return err;

	rtnl_lock();
	running = netif_running(netdev);
	if (running)
		offnic_stop(netdev);
	WRITE_ONCE(nic->reset_wanted, false);
	WRITE_ONCE(nic->dead, false);
	err = offnic_reload_progs(nic);
	if (!err && running)
		err = offnic_open(netdev);
	if (err)
		WRITE_ONCE(nic->dead, true);
	rtnl_unlock();
	return err;
}

static bool offnic_device_answers(struct offnic *nic, bool beating)
{
	return beating &&
	       READ_ONCE(nic->hdr->status) == OFFNIC_STATUS_READY;
}

static void offnic_try_recover(struct offnic *nic)
{
	int err;

	if (nic->recover_wait) {
		nic->recover_wait--;
		return;
	}
	err = offnic_recover(nic);
	if (!err) {
		atomic64_inc(&nic->err.dev_resets);
		nic->recover_backoff = 0;
		nic->heartbeat_misses = 0;
		dev_info(&nic->pdev->dev,
			 "device reset and back: %s, port %s\n", nic->ident.name,
			 netif_running(nic->netdev) ? "up" : "down");
		return;
	}
	atomic64_inc(&nic->err.dev_reset_fail);
	nic->recover_backoff = clamp(nic->recover_backoff * 2, 1U,
				     (unsigned int)OFFNIC_RECOVER_MAX_BACKOFF);
	nic->recover_wait = nic->recover_backoff;
	dev_warn(&nic->pdev->dev, "device recovery failed (%d); retry in %u s\n",
		 err, nic->recover_wait * OFFNIC_HEALTH_PERIOD_MS / 1000);
}

static void offnic_health_check(struct work_struct *work)
{
	struct offnic *nic = container_of(to_delayed_work(work), struct offnic,
					  health_work);
	u64 beat = READ_ONCE(nic->hdr->heartbeat);
	bool beating = beat != nic->last_heartbeat;

	/* A heartbeat that went back is a device that restarted unseen. */
	if (beat < nic->last_heartbeat && !READ_ONCE(nic->dead))
		offnic_request_reset(nic, "device restarted (heartbeat went back)");
	nic->last_heartbeat = beat;
	if (READ_ONCE(nic->dead)) {
		if (offnic_device_answers(nic, beating) ||
		    READ_ONCE(nic->reset_wanted))
			offnic_try_recover(nic);
	} else if (beating) {
		nic->heartbeat_misses = 0;
	} else if (++nic->heartbeat_misses >= OFFNIC_HEALTH_MAX_MISSES) {
		offnic_mark_dead(nic, "heartbeat stopped (simulator gone?)");
	}
	offnic_health_schedule(nic);
}

void offnic_health_start(struct offnic *nic)
{
	nic->last_heartbeat = READ_ONCE(nic->hdr->heartbeat);
	INIT_DELAYED_WORK(&nic->health_work, offnic_health_check);
	offnic_health_schedule(nic);
}

void offnic_health_stop(struct offnic *nic)
{
	cancel_delayed_work_sync(&nic->health_work);
}
