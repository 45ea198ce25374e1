// SPDX-License-Identifier: GPL-2.0
/*
 * The device's life cycle: power-on (a new machine, RESET), a firmware
 * crash and its restart (INJECT REBOOT), and the event-loop plumbing they
 * need.  Apart from main.c so that the control queue's handlers, which
 * call into it, link without the event loop (the fuzz harness does so).
 */
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include "log.h"
#include "sim.h"

/* Watch @fd in the event loop; its events come back as @ev. */
int sim_epoll_watch(struct sim *sim, int fd, enum sim_event ev)
{
	struct epoll_event e = { .events = EPOLLIN, .data.u32 = ev };

	return epoll_ctl(sim->epoll_fd, EPOLL_CTL_ADD, fd, &e);
}

/* One-shot after @ms milliseconds; 0 disarms. */
int sim_arm_timer(int fd, uint32_t ms)
{
	struct itimerspec its = {
		.it_value = {
			.tv_sec = ms / 1000,
			.tv_nsec = (long)(ms % 1000) * 1000000L,
		},
	};

	if (fd < 0)
		return -1;
	return timerfd_settime(fd, 0, &its, NULL);
}

/* A new machine: a device hung by INJECT HANG comes back with it. */
static void unhang(struct sim *sim)
{
	if (!sim->hung)
		return;
	sim->hung = false;
	if (wire_attached(&sim->wire))
		sim_epoll_watch(sim, sim->wire.fd, EV_WIRE);
	if (sim->thread_started)
		rxq_kick(&sim->rxq);
	log_msg("new machine: the injected hang is over");
}

/* Power-on forgets what the device held: programs, their stats and maps. */
static void forget_offload(struct sim *sim)
{
	struct engine *eng = &sim->ol.eng;
	uint32_t slot;

	for (slot = 0; slot < OFFNIC_NUM_SLOTS; slot++)
		engine_unload(eng, slot);
	memset(sim->ol.slot, 0, sizeof(sim->ol.slot));
	for (slot = 0; slot < 64 && eng->host_maps; slot++)
		if (eng->host_maps & (1ULL << slot))
			engine_map_free(eng, slot);
	sim->dp.bad_rx_next = 0;
	sim->dp.tx_paused = false;
}

void sim_power_on(struct sim *sim)
{
	unhang(sim);
	sim_arm_timer(sim->reboot_fd, 0);
	forget_offload(sim);
	shm_power_on(&sim->shm, &sim->opts.id);
	dp_power_on(&sim->dp);
	offload_power_on(&sim->ol);
	ctrl_power_on(sim);
	counters_publish(sim);
}

/* OFFNIC_CMD_RESET: the device as at power-on, the client still attached. */
void sim_reset(struct sim *sim)
{
	sim_power_on(sim);
}

/*
 * INJECT REBOOT: the firmware crashed.  Until it restarts the device is
 * silent (no heartbeat, no answers, no datapath) and says RESET in its
 * header; its state is gone at once, and power-on comes after @restart_ms.
 */
void sim_crash(struct sim *sim, uint32_t restart_ms)
{
	struct offnic_hdr *hdr = shm_hdr(&sim->shm);

	forget_offload(sim);
	__atomic_store_n(&hdr->status, OFFNIC_STATUS_RESET, __ATOMIC_RELEASE);
	sim_arm_timer(sim->reboot_fd, restart_ms);
}

