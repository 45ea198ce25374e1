/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offnic-sim: the host process that is the offnic SmartNIC.  This header
 * is the map of the whole device; each concern lives in its own file:
 *
 *   main.c      options and the event loop
 *   ivshmem.c   QEMU's ivshmem server protocol: doorbells and MSI-X
 *   shm.c       BAR2 and its header
 *   ctrl.c      the control queue
 *   counters.c  the driver-visible counters
 *   datapath.c  TX ring -> wire, wire -> engine stage -> RX ring
 *   offload.c   the engine stage: XDP then tc, verdicts, stats, events
 *   engine*.c   the microcode engine: C model or Verilated RTL in lockstep
 *   offload_ctrl.c, map_ctrl.c, inject.c  the offload control requests
 *   wire.c      the UDP wire to QEMU's -netdev socket; pcap.c its capture
 *   rxq.c       the engine thread's input queue (--engine-thread)
 */
#ifndef SIM_H
#define SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "datapath.h"
#include "ivshmem.h"
#include "offload.h"
#include "pcap.h"
#include "rxq.h"
#include "shm.h"
#include "stats.h"
#include "wire.h"

struct sim_opts {
	const char *socket_path;
	const char *pcap_path;
	const char *log_path;
	const char *pidfile;
	const char *engine;		/* "model" or "rtl" */
	uint32_t lockstep;		/* rtl: check every Nth packet, 0 off */
	uint16_t wire_port;		/* 0: no wire */
	uint16_t wire_peer;
	bool exit_on_disconnect;
	bool engine_thread;		/* wire frames run on their own thread */
	struct shm_identity id;
};

struct sim {
	struct sim_opts opts;
	struct shm shm;
	struct ivshmem_server ivs;
	struct wire wire;
	struct pcap pcap;
	struct datapath dp;
	struct offload ol;
	struct sim_stats stats;
	uint32_t ctrl_seq;		/* last request served */
	int epoll_fd;
	int timer_fd;
	int signal_fd;
	int reboot_fd;			/* INJECT REBOOT: powers on again when it fires */
	int ctrl_delay_fd;		/* INJECT CTRL_DELAY: releases the held answer */
	uint32_t ctrl_delay_ms;		/* INJECT CTRL_DELAY: hold the next answer */
	bool ctrl_held;			/* an answer is written but not yet published */
	uint32_t held_seq;		/* ... its seq, status and length */
	int32_t held_status;
	uint32_t held_len;
	bool running;
	bool hung;			/* INJECT HANG/REBOOT: deaf and silent */
	/*
	 * --engine-thread: the event loop reads the wire into @rxq without
	 * the lock; the engine thread runs the frames.  Everything else the
	 * two share (engine, maps, rings, stats, the wire's TX batch, the
	 * interrupt state) is touched only under @lock.
	 */
	pthread_mutex_t lock;
	unsigned int lock_wanted;	/* atomic: the event loop waits for @lock */
	pthread_t engine_thread;
	bool thread_started;
	bool stopping;			/* under @lock: the engine thread exits */
	struct rxq rxq;
};

/* The longest REBOOT or CTRL_DELAY an inject may ask for */
#define SIM_INJECT_MAX_MS	60000

typedef int (*ctrl_handler_fn)(struct sim *sim, const uint8_t *in, uint32_t in_len,
			       uint8_t *out, uint32_t *out_len);

int ctrl_load_prog(struct sim *sim, const uint8_t *in, uint32_t in_len,
		   uint8_t *out, uint32_t *out_len);
int ctrl_unload_prog(struct sim *sim, const uint8_t *in, uint32_t in_len,
		     uint8_t *out, uint32_t *out_len);
int ctrl_prog_stats(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len);
int ctrl_read_faults(struct sim *sim, const uint8_t *in, uint32_t in_len,
		     uint8_t *out, uint32_t *out_len);
int ctrl_test_run(struct sim *sim, const uint8_t *in, uint32_t in_len,
		  uint8_t *out, uint32_t *out_len);
int ctrl_map_alloc(struct sim *sim, const uint8_t *in, uint32_t in_len,
		   uint8_t *out, uint32_t *out_len);
int ctrl_map_free(struct sim *sim, const uint8_t *in, uint32_t in_len,
		  uint8_t *out, uint32_t *out_len);
int ctrl_map_lookup(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len);
int ctrl_map_update(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len);
int ctrl_map_delete(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len);
int ctrl_map_getnext(struct sim *sim, const uint8_t *in, uint32_t in_len,
		     uint8_t *out, uint32_t *out_len);
int ctrl_inject(struct sim *sim, const uint8_t *in, uint32_t in_len,
		uint8_t *out, uint32_t *out_len);

/*
 * One request, parsed and answered: in holds exactly in_len bytes, out
 * has room for OFFNIC_CTRL_PAYLOAD_MAX.  The status, with *out_len set on
 * success.  No shared memory involved (ctrl_serve copies in and out).
 */
int ctrl_dispatch(struct sim *sim, uint32_t op, const uint8_t *in, uint32_t in_len,
		  uint8_t *out, uint32_t *out_len);
bool ctrl_serve(struct sim *sim);
bool ctrl_release(struct sim *sim);
void ctrl_power_on(struct sim *sim);

/* main.c: the device's own life cycle */
void sim_reset(struct sim *sim);
void sim_crash(struct sim *sim, uint32_t restart_ms);
/* What an fd in the event loop is */
enum sim_event {
	EV_LISTEN,
	EV_CLIENT,
	EV_DOORBELL_CTRL,
	EV_DOORBELL_DATA,
	EV_WIRE,
	EV_HEARTBEAT,
	EV_SIGNAL,
	EV_REBOOT,
	EV_CTRL_DELAY,
	EV_IRQ_TIMER,
};

int sim_arm_timer(int fd, uint32_t ms);
void sim_power_on(struct sim *sim);
int sim_epoll_watch(struct sim *sim, int fd, enum sim_event ev);

int counter_read(struct sim *sim, uint32_t id, uint64_t *value);
void counters_publish(struct sim *sim);

#endif
