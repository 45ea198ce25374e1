// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * offnic-sim: options and the event loop.  Idle unless something happens:
 * every source (listening socket, client socket, doorbell eventfds, wire
 * socket, heartbeat and moderation timerfds, signalfd) is an fd in one
 * epoll set.  With --engine-thread (the default when a wire is attached)
 * the loop only reads wire frames into the engine's queue, and a second
 * thread runs them; both hold sim->lock for everything else.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"
#include "sim.h"

#define HEARTBEAT_NS		100000000L	/* 100 ms */
#define DEFAULT_MAC		{ 0x02, 0x6f, 0x6e, 0x69, 0x63, 0x00 }	/* "onic" */

#ifdef SIM_HAVE_RTL
#define SIM_DEFAULT_ENGINE	"rtl"
#else
#define SIM_DEFAULT_ENGINE	"model"
#endif

static int start_engine_thread(struct sim *sim);
static void stop_engine_thread(struct sim *sim);

static void usage(FILE *f)
{
	fprintf(f,
		"usage: offnic-sim --socket PATH [options]\n"
		"  --socket PATH         ivshmem server socket (QEMU -chardev socket,path=PATH)\n"
		"  --wire-port N         UDP port on 127.0.0.1 the device listens on\n"
		"  --wire-peer N         UDP port of QEMU's -netdev socket,localaddr=127.0.0.1:N\n"
		"  --pcap FILE           capture both directions of the wire (DLT_EN10MB)\n"
		"  --mac XX:XX:XX:XX:XX:XX  port MAC address\n"
		"  --magic HEX           header magic (default %08x; to test driver refusal)\n"
		"  --abi-version N       header ABI version (default %u; to test driver refusal)\n"
		"  --exit-on-disconnect  exit 0 when the QEMU client disconnects\n"
		"  --log FILE|-          log file (default: stderr)\n"
		"  --pidfile FILE        write the pid once the socket listens (wait for it\n"
		"                        before starting QEMU); removed at exit\n"
		"  --engine model|rtl    run programs on the C model or on the Verilated RTL\n"
		"                        (default %s)\n"
		"  --lockstep on|off|N   rtl: check every packet (on, the default), none, or\n"
		"                        every Nth against the C model\n"
		"  --engine-thread on|off  run wire frames on a thread of their own, so wire\n"
		"                        I/O and the engine overlap (default on)\n",
		OFFNIC_MAGIC, OFFNIC_ABI_VERSION, SIM_DEFAULT_ENGINE);
}

static int parse_u32(const char *s, int base, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_port(const char *s, uint16_t *port)
{
	uint32_t v;

	if (parse_u32(s, 10, 65535, &v) || !v)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct sim_opts *opts)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "wire-port", required_argument, NULL, 'w' },
		{ "wire-peer", required_argument, NULL, 'p' },
		{ "pcap", required_argument, NULL, 'c' },
		{ "mac", required_argument, NULL, 'm' },
		{ "magic", required_argument, NULL, 'M' },
		{ "abi-version", required_argument, NULL, 'a' },
		{ "exit-on-disconnect", no_argument, NULL, 'x' },
		{ "log", required_argument, NULL, 'l' },
		{ "pidfile", required_argument, NULL, 'P' },
		{ "engine", required_argument, NULL, 'e' },
		{ "lockstep", required_argument, NULL, 'L' },
		{ "engine-thread", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const uint8_t default_mac[6] = DEFAULT_MAC;
	int c, bad = 0;

	memset(opts, 0, sizeof(*opts));
	opts->engine = SIM_DEFAULT_ENGINE;
	opts->lockstep = 1;
	opts->engine_thread = true;
	opts->id.magic = OFFNIC_MAGIC;
	opts->id.abi_version = OFFNIC_ABI_VERSION;
	memcpy(opts->id.mac, default_mac, sizeof(default_mac));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opts->socket_path = optarg;
			break;
		case 'w':
			bad |= parse_port(optarg, &opts->wire_port);
			break;
		case 'p':
			bad |= parse_port(optarg, &opts->wire_peer);
			break;
		case 'c':
			opts->pcap_path = optarg;
			break;
		case 'm':
			bad |= parse_mac(optarg, opts->id.mac);
			break;
		case 'M':
			bad |= parse_u32(optarg, 16, UINT32_MAX, &opts->id.magic);
			break;
		case 'a':
			bad |= parse_u32(optarg, 0, UINT32_MAX, &opts->id.abi_version);
			break;
		case 'x':
			opts->exit_on_disconnect = true;
			break;
		case 'l':
			opts->log_path = optarg;
			break;
		case 'P':
			opts->pidfile = optarg;
			break;
		case 'e':
			opts->engine = optarg;
			break;
		case 'L':
			if (!strcmp(optarg, "on"))
				opts->lockstep = 1;
			else if (!strcmp(optarg, "off"))
				opts->lockstep = 0;
			else
				bad |= parse_u32(optarg, 10, UINT32_MAX, &opts->lockstep) ||
				       !opts->lockstep;
			break;
		case 'T':
			opts->engine_thread = !strcmp(optarg, "on");
			bad |= !opts->engine_thread && strcmp(optarg, "off");
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			bad = 1;
		}
	}
	if (bad || optind != argc || !opts->socket_path ||
	    !opts->wire_port != !opts->wire_peer ||
	    (opts->pcap_path && !opts->wire_port)) {
		usage(stderr);
		return -1;
	}
	if (opts->wire_port)
		opts->id.features |= OFFNIC_F_WIRE;
	if (opts->pcap_path)
		opts->id.features |= OFFNIC_F_PCAP;
	opts->id.features |= OFFNIC_F_ENGINE;
	return 0;
}

static int open_signalfd(void)
{
	sigset_t mask;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -1;
	/*
	 * A shell starts background jobs with SIGINT ignored, and an ignored
	 * signal is discarded before signalfd could see it.  Both are blocked
	 * now, so the default action can never run.
	 */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

static int open_heartbeat(void)
{
	struct itimerspec its = {
		.it_interval = { .tv_nsec = HEARTBEAT_NS },
		.it_value = { .tv_nsec = HEARTBEAT_NS },
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	if (fd >= 0 && timerfd_settime(fd, 0, &its, NULL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int open_oneshot(void)
{
	return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f);
}

static void on_reboot(struct sim *sim)
{
	uint64_t expirations;

	if (read(sim->reboot_fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	log_msg("firmware restart: power-on");
	sim_power_on(sim);
}

static int sim_setup(struct sim *sim)
{
	struct sim_opts *o = &sim->opts;

	sim->wire.fd = -1;
	sim->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	sim->signal_fd = open_signalfd();
	sim->timer_fd = open_heartbeat();
	sim->reboot_fd = open_oneshot();
	sim->ctrl_delay_fd = open_oneshot();
	if (sim->epoll_fd < 0 || sim->signal_fd < 0 || sim->timer_fd < 0 ||
	    sim->reboot_fd < 0 || sim->ctrl_delay_fd < 0)
		return -1;
	if (shm_create(&sim->shm) < 0)
		return -1;
	if (o->pcap_path && pcap_open(&sim->pcap, o->pcap_path) < 0) {
		log_msg("cannot write %s: %s", o->pcap_path, strerror(errno));
		return -1;
	}
	if (o->wire_port && wire_open(&sim->wire, o->wire_port, o->wire_peer,
				      o->pcap_path ? &sim->pcap : NULL) < 0)
		return -1;
	dp_init(&sim->dp, sim->shm.base, &sim->wire, &sim->stats);
	if (offload_init(&sim->ol, o->engine, sim->shm.base, &sim->stats) < 0) {
		log_msg("engine %s: not available in this build", o->engine);
		return -1;
	}
	if (engine_set_lockstep(&sim->ol.eng, o->lockstep) == 0)
		log_msg("engine %s: lockstep with the model: %s %u", o->engine,
			o->lockstep ? "1 packet in" : "off", o->lockstep);
	sim->dp.engine.run = offload_stage;
	sim->dp.engine.ctx = &sim->ol;
	/* The header must be READY before the first client can map it. */
	sim_power_on(sim);
	if (ivshmem_listen(&sim->ivs, o->socket_path) < 0)
		return -1;
	if (sim_epoll_watch(sim, sim->ivs.listen_fd, EV_LISTEN) ||
	    sim_epoll_watch(sim, sim->ivs.doorbell[OFFNIC_DB_CTRL], EV_DOORBELL_CTRL) ||
	    sim_epoll_watch(sim, sim->ivs.doorbell[OFFNIC_DB_DATA], EV_DOORBELL_DATA) ||
	    sim_epoll_watch(sim, sim->timer_fd, EV_HEARTBEAT) ||
	    sim_epoll_watch(sim, sim->signal_fd, EV_SIGNAL) ||
	    sim_epoll_watch(sim, sim->reboot_fd, EV_REBOOT) ||
	    sim_epoll_watch(sim, sim->ctrl_delay_fd, EV_CTRL_DELAY) ||
	    (sim->dp.irq.timer_fd >= 0 &&
	     sim_epoll_watch(sim, sim->dp.irq.timer_fd, EV_IRQ_TIMER)) ||
	    (wire_attached(&sim->wire) && sim_epoll_watch(sim, sim->wire.fd, EV_WIRE)))
		return -1;
	if (start_engine_thread(sim) < 0) {
		log_msg("engine thread: %s", strerror(errno));
		return -1;
	}
	if (o->pidfile && write_pidfile(o->pidfile) < 0) {
		log_msg("cannot write %s: %s", o->pidfile, strerror(errno));
		return -1;
	}
	log_msg("ready: socket %s, magic %08x abi %u, features %#llx, engine %s "
		"(%u lanes, %u cores)%s", o->socket_path, o->id.magic, o->id.abi_version,
		(unsigned long long)o->id.features, o->engine, engine_lanes(&sim->ol.eng),
		engine_cores(&sim->ol.eng), sim->thread_started ? " on its own thread" : "");
	return 0;
}

static void sim_teardown(struct sim *sim)
{
	struct sim_stats *s = &sim->stats;

	stop_engine_thread(sim);
	log_msg("exit: rx_frames %llu tx_frames %llu rx_drops %llu ctrl_cmds %llu "
		"tx_bad_desc %llu tx_no_wire %llu rx_bad_frame %llu ring_bad_index %llu",
		(unsigned long long)s->rx_frames, (unsigned long long)s->tx_frames,
		(unsigned long long)s->rx_drops, (unsigned long long)s->ctrl_cmds,
		(unsigned long long)s->tx_bad_desc, (unsigned long long)s->tx_no_wire,
		(unsigned long long)s->rx_bad_frame, (unsigned long long)s->ring_bad_index);
	log_msg("exit: wire_overflow %llu queue_drops %llu engine_tx %llu irqs %llu "
		"tx_wire_errors %llu", (unsigned long long)s->wire_overflow,
		(unsigned long long)s->queue_drops, (unsigned long long)s->engine_tx,
		(unsigned long long)s->irqs, (unsigned long long)s->tx_wire_errors);
	log_msg("exit: engine_drops %llu aborted %llu redirect_drops %llu unsupported %llu "
		"errors %llu events %llu events_dropped %llu rtl_mismatches %llu",
		(unsigned long long)s->engine_drops, (unsigned long long)s->engine_aborted,
		(unsigned long long)s->engine_redirect_drops,
		(unsigned long long)s->engine_unsupported, (unsigned long long)s->engine_errors,
		(unsigned long long)s->events, (unsigned long long)s->events_dropped,
		(unsigned long long)sim->ol.eng.mismatches);
	offload_fini(&sim->ol);
	dp_fini(&sim->dp);
	ivshmem_close(&sim->ivs);
	wire_close(&sim->wire);
	pcap_close(&sim->pcap);
	shm_destroy(&sim->shm);
	if (sim->timer_fd >= 0)
		close(sim->timer_fd);
	if (sim->reboot_fd >= 0)
		close(sim->reboot_fd);
	if (sim->ctrl_delay_fd >= 0)
		close(sim->ctrl_delay_fd);
	if (sim->signal_fd >= 0)
		close(sim->signal_fd);
	if (sim->epoll_fd >= 0)
		close(sim->epoll_fd);
	if (sim->opts.pidfile)
		unlink(sim->opts.pidfile);
}

static void on_connect(struct sim *sim)
{
	int fd;

	/* Power on before the client maps BAR2, not after. */
	if (!ivshmem_has_client(&sim->ivs))
		sim_power_on(sim);
	fd = ivshmem_accept(&sim->ivs, sim->shm.fd);
	if (fd >= 0 && sim_epoll_watch(sim, fd, EV_CLIENT) < 0)
		ivshmem_drop_client(&sim->ivs);
}

/* QEMU never writes to the socket: readable means it hung up. */
static void on_client(struct sim *sim)
{
	char byte;

	if (read(sim->ivs.client_fd, &byte, 1) > 0)
		return;
	epoll_ctl(sim->epoll_fd, EPOLL_CTL_DEL, sim->ivs.client_fd, NULL);
	ivshmem_drop_client(&sim->ivs);
	if (sim->opts.exit_on_disconnect)
		sim->running = false;
}

static void on_signal(struct sim *sim)
{
	struct signalfd_siginfo si;

	if (read(sim->signal_fd, &si, sizeof(si)) == sizeof(si)) {
		log_msg("signal %u: shutting down", si.ssi_signo);
		sim->running = false;
	}
}

static void on_heartbeat(struct sim *sim)
{
	uint64_t expirations;

	if (read(sim->timer_fd, &expirations, sizeof(expirations)) == sizeof(expirations) &&
	    !sim->hung)
		shm_heartbeat(&sim->shm);
	dp_wire_overflow(&sim->dp);
}

/* The held answer goes out, then whatever the driver posted meanwhile. */
static bool on_ctrl_delay(struct sim *sim)
{
	uint64_t expirations;
	bool irq;

	if (read(sim->ctrl_delay_fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return false;
	irq = ctrl_release(sim);
	return ctrl_serve(sim) || irq;
}

/* Returns the interrupts the event calls for, as a mask of vectors. */
static unsigned int handle_event(struct sim *sim, enum sim_event ev)
{
	unsigned int irqs;

	switch (ev) {
	case EV_LISTEN:
		on_connect(sim);
		break;
	case EV_CLIENT:
		on_client(sim);
		break;
	case EV_DOORBELL_CTRL:
		ivshmem_doorbell_ack(&sim->ivs, OFFNIC_DB_CTRL);
		irqs = ctrl_serve(sim) ? 1U << OFFNIC_VEC_CTRL : 0;
		/* TEST_RUN's event records are announced like the datapath's. */
		if (sim->ol.ev_irq)
			irqs |= 1U << OFFNIC_VEC_DATA;
		sim->ol.ev_irq = false;
		return irqs;
	case EV_DOORBELL_DATA:
		ivshmem_doorbell_ack(&sim->ivs, OFFNIC_DB_DATA);
		if (sim->hung)
			break;
		if (sim->thread_started)
			rxq_kick(&sim->rxq);	/* RX buffers may have been posted */
		return dp_tx_drain(&sim->dp) && dp_irq_due(&sim->dp) ?
		       1U << OFFNIC_VEC_DATA : 0;
	case EV_WIRE:
		return dp_wire_poll(&sim->dp) && dp_irq_due(&sim->dp) ?
		       1U << OFFNIC_VEC_DATA : 0;
	case EV_IRQ_TIMER:
		if (sim->hung)
			break;
		return dp_irq_timer(&sim->dp) ? 1U << OFFNIC_VEC_DATA : 0;
	case EV_HEARTBEAT:
		on_heartbeat(sim);
		break;
	case EV_SIGNAL:
		on_signal(sim);
		break;
	case EV_REBOOT:
		on_reboot(sim);
		break;
	case EV_CTRL_DELAY:
		return on_ctrl_delay(sim) ? 1U << OFFNIC_VEC_CTRL : 0;
	}
	return 0;
}

/*
 * The counter mirror is updated before any interrupt is raised, so the
 * driver's interrupt handler reads counters that include the event.
 */
static void publish_and_raise(struct sim *sim, unsigned int irqs)
{
	unsigned int vec;

	if (irqs & (1U << OFFNIC_VEC_DATA))
		sim->stats.irqs++;
	counters_publish(sim);
	for (vec = 0; vec < OFFNIC_NUM_VECTORS; vec++)
		if (irqs & (1U << vec))
			ivshmem_interrupt(&sim->ivs, vec);
}

/*
 * The event loop's way to the device lock: it says it wants it, and the
 * engine thread, which checks between frames, lets go and stays away
 * until the loop has had its turn.  A control request or a heartbeat
 * then waits for one frame at most, not for a batch (on the RTL in
 * lockstep a frame can take milliseconds).
 */
static void sim_lock(struct sim *sim)
{
	__atomic_add_fetch(&sim->lock_wanted, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&sim->lock);
	__atomic_sub_fetch(&sim->lock_wanted, 1, __ATOMIC_SEQ_CST);
}

static bool sim_lock_wanted(struct sim *sim)
{
	return __atomic_load_n(&sim->lock_wanted, __ATOMIC_SEQ_CST) != 0;
}

static void dispatch(struct sim *sim, enum sim_event ev)
{
	unsigned int irqs;

	/* The producer side of the engine's queue needs no lock. */
	if (ev == EV_WIRE && sim->thread_started) {
		rxq_fill(&sim->rxq, &sim->wire);
		return;
	}
	sim_lock(sim);
	irqs = handle_event(sim, ev);
	if (!sim->hung)
		publish_and_raise(sim, irqs);
	pthread_mutex_unlock(&sim->lock);
}

/* Up to a wire batch of queued frames, one at a time; false when none. */
static bool engine_thread_batch(struct sim *sim, bool *waiting)
{
	uint32_t n = 0, done = 1;
	bool irq = false;

	*waiting = false;
	while (n < WIRE_BATCH && done && !*waiting && !sim_lock_wanted(sim)) {
		irq |= dp_rx_queued(&sim->dp, &sim->rxq, 1, &done, waiting);
		n += done;
	}
	irq = irq && dp_irq_due(&sim->dp);
	if (n || irq)
		publish_and_raise(sim, irq ? 1U << OFFNIC_VEC_DATA : 0);
	return n != 0;
}

/* The engine thread: frames from the queue, handing the lock over. */
static void *engine_thread_main(void *arg)
{
	struct sim *sim = arg;
	bool more, stop = false, waiting = false;

	while (!stop) {
		/* Waiting for an RX buffer: the refill doorbell kicks, or retry. */
		if (waiting)
			rxq_wait_ms(&sim->rxq, 1);
		else
			rxq_wait(&sim->rxq);
		do {
			pthread_mutex_lock(&sim->lock);
			stop = sim->stopping;
			more = !stop && !sim->hung && engine_thread_batch(sim, &waiting);
			pthread_mutex_unlock(&sim->lock);
			while (sim_lock_wanted(sim))
				sched_yield();
		} while (more);
	}
	return NULL;
}

static int start_engine_thread(struct sim *sim)
{
	if (!sim->opts.engine_thread || !wire_attached(&sim->wire))
		return 0;
	if (rxq_init(&sim->rxq) < 0)
		return -1;
	if (pthread_create(&sim->engine_thread, NULL, engine_thread_main, sim)) {
		rxq_fini(&sim->rxq);
		return -1;
	}
	sim->thread_started = true;
	return 0;
}

static void stop_engine_thread(struct sim *sim)
{
	if (!sim->thread_started)
		return;
	sim_lock(sim);
	sim->stopping = true;
	pthread_mutex_unlock(&sim->lock);
	rxq_kick(&sim->rxq);
	pthread_join(sim->engine_thread, NULL);
	sim->thread_started = false;
	rxq_fini(&sim->rxq);
}

static int sim_run(struct sim *sim)
{
	struct epoll_event events[16];
	int i, n;

	sim->running = true;
	while (sim->running) {
		n = epoll_wait(sim->epoll_fd, events, 16, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_msg("epoll_wait: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < n && sim->running; i++)
			dispatch(sim, events[i].data.u32);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct sim sim = {
		.shm.fd = -1, .ivs.listen_fd = -1, .ivs.client_fd = -1, .wire.fd = -1,
		.epoll_fd = -1, .timer_fd = -1, .signal_fd = -1, .reboot_fd = -1,
		.ctrl_delay_fd = -1, .dp.irq.timer_fd = -1, .rxq.efd = -1,
		.lock = PTHREAD_MUTEX_INITIALIZER,
	};
	int err;

	if (parse_opts(argc, argv, &sim.opts) < 0)
		return 2;
	if (log_open(sim.opts.log_path) < 0)
		fprintf(stderr, "offnic-sim: cannot open log %s, using stderr\n",
			sim.opts.log_path);
	err = sim_setup(&sim);
	if (!err)
		err = sim_run(&sim);
	sim_teardown(&sim);
	log_close();
	return err ? 1 : 0;
}
