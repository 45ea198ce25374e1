// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Host-side tests for offnic-sim: this program plays QEMU's part.  It
 * starts the simulator on a temporary socket and free UDP ports, takes the
 * ivshmem handshake, maps BAR2 and drives the control queue and the rings
 * through the same eventfds the guest's doorbells and MSI-X use.  The UDP
 * socket it binds is the wire peer (QEMU's -netdev socket backend).
 *
 * usage: sim_test PATH/TO/offnic-sim        TAP output, exit 1 on failure
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "offnic_abi.h"

#define IRQ_TIMEOUT_MS		2000
#define QUIET_MS		300	/* how long "nothing happens" is watched */
#define START_TIMEOUT_MS	5000
#define TEST_MAC		"02:11:22:33:44:55"
#define TEST_MAGIC		0xdeadbeefU
#define TEST_ABI		7U
#define ERRNO_EOPNOTSUPP	95
#define ERRNO_EINVAL		22
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

struct dut {
	const char *bin;
	char dir[64];
	char sock_path[108];
	char log_path[128];
	char pcap_path[128];
	char pid_path[128];
	pid_t pid;
	uint16_t wire_port;
	int peer_fd;			/* UDP: the wire peer */
	int ivs_fd;			/* ivshmem client connection */
	int shm_fd;
	uint8_t *shm;
	int doorbell[OFFNIC_NUM_VECTORS];
	int irq[OFFNIC_NUM_VECTORS];
	uint32_t ctrl_seq;
	/* handshake as received, for the protocol test */
	int64_t msgs[16];
	bool msg_has_fd[16];
	int nmsgs;
};

static struct dut dut;
static const uint8_t test_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			diag("%s:%d: failed: %s", __FILE__, __LINE__, #cond); \
			diag(__VA_ARGS__);				\
			return -1;					\
		}							\
	} while (0)

static struct offnic_hdr *hdr(void)
{
	return (struct offnic_hdr *)(dut.shm + OFFNIC_HDR_OFF);
}

static struct offnic_ctrl *ctrl(void)
{
	return (struct offnic_ctrl *)(dut.shm + OFFNIC_CTRL_OFF);
}

static struct offnic_ring *txring(void)
{
	return (struct offnic_ring *)(dut.shm + OFFNIC_TXRING_OFF);
}

static struct offnic_ring *rxring(void)
{
	return (struct offnic_ring *)(dut.shm + OFFNIC_RXRING_OFF);
}

static uint16_t free_udp_port(int *keep_fd)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		return 0;
	if (keep_fd)
		*keep_fd = fd;
	else
		close(fd);
	return ntohs(sin.sin_port);
}

static bool wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, timeout_ms) == 1;
}

/* Waits for the simulator to raise @vec; consumes the interrupt. */
static bool wait_irq(unsigned int vec, int timeout_ms)
{
	uint64_t count;

	if (!wait_readable(dut.irq[vec], timeout_ms))
		return false;
	return read(dut.irq[vec], &count, sizeof(count)) == sizeof(count) && count > 0;
}

static void ring_doorbell(unsigned int vec)
{
	uint64_t one = 1;

	if (write(dut.doorbell[vec], &one, sizeof(one)) != sizeof(one))
		diag("doorbell %u: %s", vec, strerror(errno));
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, waited;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	for (waited = 0; waited < START_TIMEOUT_MS; waited += 20) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
		close(fd);
		usleep(20000);
	}
	return -1;
}

/* One ivshmem message: 8-byte LE value, maybe an fd. -2 on EOF/error. */
static int64_t recv_msg(int sock, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	int64_t value;
	struct iovec iov = { .iov_base = &value, .iov_len = sizeof(value) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;

	*fd = -1;
	if (!wait_readable(sock, START_TIMEOUT_MS) ||
	    recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != sizeof(value))
		return -2;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
	return (int64_t)le64toh((uint64_t)value);
}

/*
 * Records the messages and keeps the fds where QEMU would: the shm fd,
 * peer 0's vectors (doorbells) and our own vectors (interrupts), in order.
 */
static int handshake(void)
{
	int fd, own_id = -1, ndb = 0, nirq = 0;
	int64_t v;

	dut.nmsgs = 0;
	while (nirq < OFFNIC_NUM_VECTORS && dut.nmsgs < 16) {
		v = recv_msg(dut.ivs_fd, &fd);
		if (v == -2)
			return -1;
		dut.msgs[dut.nmsgs] = v;
		dut.msg_has_fd[dut.nmsgs++] = fd >= 0;
		if (dut.nmsgs == 2)
			own_id = (int)v;
		if (v == -1 && fd >= 0)
			dut.shm_fd = fd;
		else if (dut.nmsgs > 2 && v == own_id && fd >= 0)
			dut.irq[nirq++] = fd;
		else if (dut.nmsgs > 2 && v == OFFNIC_DEV_PEER && fd >= 0 &&
			 ndb < OFFNIC_NUM_VECTORS)
			dut.doorbell[ndb++] = fd;
		else if (fd >= 0)
			close(fd);
	}
	if (dut.shm_fd < 0 || ndb != OFFNIC_NUM_VECTORS)
		return -1;
	dut.shm = mmap(NULL, OFFNIC_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, dut.shm_fd, 0);
	return dut.shm == MAP_FAILED ? -1 : 0;
}

static int dut_start(const char *const *extra)
{
	char port[8], peer[8];
	const char *argv[32];
	int argc = 0;
	uint16_t peer_port;

	memset(dut.doorbell, -1, sizeof(dut.doorbell));
	memset(dut.irq, -1, sizeof(dut.irq));
	dut.shm_fd = -1;
	dut.ctrl_seq = 0;
	strcpy(dut.dir, "/tmp/offnic-sim-test.XXXXXX");
	if (!mkdtemp(dut.dir))
		return -1;
	snprintf(dut.sock_path, sizeof(dut.sock_path), "%s/sim.sock", dut.dir);
	snprintf(dut.log_path, sizeof(dut.log_path), "%s/sim.log", dut.dir);
	snprintf(dut.pcap_path, sizeof(dut.pcap_path), "%s/wire.pcap", dut.dir);
	snprintf(dut.pid_path, sizeof(dut.pid_path), "%s/sim.pid", dut.dir);
	peer_port = free_udp_port(&dut.peer_fd);
	dut.wire_port = free_udp_port(NULL);
	if (!peer_port || !dut.wire_port)
		return -1;
	snprintf(port, sizeof(port), "%u", dut.wire_port);
	snprintf(peer, sizeof(peer), "%u", peer_port);
	argv[argc++] = dut.bin;
	argv[argc++] = "--socket";
	argv[argc++] = dut.sock_path;
	argv[argc++] = "--wire-port";
	argv[argc++] = port;
	argv[argc++] = "--wire-peer";
	argv[argc++] = peer;
	argv[argc++] = "--pcap";
	argv[argc++] = dut.pcap_path;
	argv[argc++] = "--log";
	argv[argc++] = dut.log_path;
	argv[argc++] = "--pidfile";
	argv[argc++] = dut.pid_path;
	while (extra && *extra)
		argv[argc++] = *extra++;
	argv[argc] = NULL;

	dut.pid = fork();
	if (dut.pid < 0)
		return -1;
	if (!dut.pid) {
		/* As a shell starts a background job ("offnic-sim ... &"). */
		signal(SIGINT, SIG_IGN);
		execv(dut.bin, (char *const *)argv);
		_exit(127);
	}
	dut.ivs_fd = connect_unix(dut.sock_path);
	if (dut.ivs_fd < 0)
		return -1;
	return handshake();
}

/* Returns the exit status, or -1 if it did not exit within @timeout_ms. */
static int dut_wait_exit(int timeout_ms)
{
	int status, waited;

	for (waited = 0; waited < timeout_ms; waited += 10) {
		if (waitpid(dut.pid, &status, WNOHANG) == dut.pid) {
			dut.pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		usleep(10000);
	}
	return -1;
}

static void dut_stop(void)
{
	unsigned int v;

	if (dut.pid > 0) {
		kill(dut.pid, SIGKILL);
		waitpid(dut.pid, NULL, 0);
	}
	dut.pid = 0;
	if (dut.shm && dut.shm != MAP_FAILED)
		munmap(dut.shm, OFFNIC_SHM_SIZE);
	dut.shm = NULL;
	for (v = 0; v < OFFNIC_NUM_VECTORS; v++) {
		if (dut.doorbell[v] >= 0)
			close(dut.doorbell[v]);
		if (dut.irq[v] >= 0)
			close(dut.irq[v]);
	}
	if (dut.shm_fd >= 0)
		close(dut.shm_fd);
	if (dut.ivs_fd >= 0)
		close(dut.ivs_fd);
	close(dut.peer_fd);
	unlink(dut.sock_path);
	unlink(dut.log_path);
	unlink(dut.pcap_path);
	unlink(dut.pid_path);
	rmdir(dut.dir);
}

/* Posts a request the way the driver does and waits for the answer. */
static int ctrl_call(uint32_t op, const void *payload, uint32_t len, int32_t *status,
		     void *out, uint32_t *out_len)
{
	struct offnic_ctrl *c = ctrl();

	c->req.op = op;
	c->req.len = len;
	if (payload)
		memcpy(c->req.payload, payload, len);
	__atomic_store_n(&c->req.seq, ++dut.ctrl_seq, __ATOMIC_RELEASE);
	ring_doorbell(OFFNIC_DB_CTRL);
	if (!wait_irq(OFFNIC_VEC_CTRL, IRQ_TIMEOUT_MS)) {
		diag("no control interrupt for seq %u op %u", dut.ctrl_seq, op);
		return -1;
	}
	if (__atomic_load_n(&c->resp.seq, __ATOMIC_ACQUIRE) != dut.ctrl_seq) {
		diag("resp.seq %u, expected %u", c->resp.seq, dut.ctrl_seq);
		return -1;
	}
	*status = c->resp.status;
	if (out_len)
		*out_len = c->resp.len;
	if (out && c->resp.len <= OFFNIC_CTRL_PAYLOAD_MAX)
		memcpy(out, c->resp.payload, c->resp.len);
	return 0;
}

static int read_counter(uint32_t id, uint64_t *value)
{
	struct offnic_counter_req req = { .id = id };
	uint32_t len;
	int32_t status;

	if (ctrl_call(OFFNIC_CMD_READ_COUNTER, &req, sizeof(req), &status, value, &len))
		return -1;
	if (status || len != sizeof(*value)) {
		diag("READ_COUNTER %u: status %d len %u", id, status, len);
		return -1;
	}
	return 0;
}

/* An Ethernet/IPv4/UDP frame, 10.0.0.1:1000 -> 10.0.0.2:2000, payload @tag. */
static size_t build_frame(uint8_t *f, uint8_t tag)
{
	static const uint8_t ipudp[] = {
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
		10, 0, 0, 1, 10, 0, 0, 2,
		0x03, 0xe8, 0x07, 0xd0, 0x00, 0x1a, 0x00, 0x00,
	};
	size_t len = 60;

	memcpy(f, test_mac, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(f + 12, ipudp, sizeof(ipudp));
	memset(f + 12 + sizeof(ipudp), tag, len - 12 - sizeof(ipudp));
	return len;
}

static int send_to_wire(const uint8_t *frame, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(dut.wire_port) };

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sendto(dut.peer_fd, frame, len, 0, (struct sockaddr *)&sin, sizeof(sin)) ==
	       (ssize_t)len ? 0 : -1;
}

/* Fills TX slot prod & mask with @desc (and @frame at desc->off), bumps prod. */
static void post_tx(const struct offnic_desc *desc, const uint8_t *frame, size_t len)
{
	struct offnic_ring *r = txring();
	uint32_t prod = r->idx.prod, slot = prod & (OFFNIC_RING_SIZE - 1);

	if (frame)
		memcpy(dut.shm + OFFNIC_TXBUF_OFF + slot * OFFNIC_BUF_SIZE + desc->off, frame, len);
	r->desc[slot] = *desc;
	__atomic_store_n(&r->idx.prod, prod + 1, __ATOMIC_RELEASE);
}

static int count_in_log(const char *needle)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(dut.log_path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/* ---- the tests, in the order they run against one simulator ---- */

static int test_handshake_follows_ivshmem_protocol(void)
{
	static const int64_t expect[] = { 0, 1, -1, 0, 0, 1, 1 };
	static const bool expect_fd[] = { false, false, true, true, true, true, true };
	int i;

	CHECK(dut.nmsgs == 7, "got %d messages", dut.nmsgs);
	for (i = 0; i < 7; i++)
		CHECK(dut.msgs[i] == expect[i] && dut.msg_has_fd[i] == expect_fd[i],
		      "message %d: %lld (fd %d), expected %lld (fd %d)", i,
		      (long long)dut.msgs[i], dut.msg_has_fd[i], (long long)expect[i],
		      expect_fd[i]);
	return 0;
}

static int test_shm_is_a_power_of_two_bar(void)
{
	struct stat st;

	CHECK(fstat(dut.shm_fd, &st) == 0, "fstat: %s", strerror(errno));
	CHECK(st.st_size == OFFNIC_SHM_SIZE, "size %lld", (long long)st.st_size);
	return 0;
}

static int test_header_has_magic_abi_layout_and_ready(void)
{
	struct offnic_hdr *h = hdr();

	CHECK(h->magic == OFFNIC_MAGIC, "magic %08x", h->magic);
	CHECK(h->abi_version == OFFNIC_ABI_VERSION, "abi %u", h->abi_version);
	CHECK(h->status == OFFNIC_STATUS_READY, "status %u", h->status);
	CHECK(h->shm_size == OFFNIC_SHM_SIZE && h->ring_size == OFFNIC_RING_SIZE &&
	      h->buf_size == OFFNIC_BUF_SIZE, "sizes %u %u %u", h->shm_size, h->ring_size,
	      h->buf_size);
	CHECK(h->ctrl_off == OFFNIC_CTRL_OFF && h->txring_off == OFFNIC_TXRING_OFF &&
	      h->rxring_off == OFFNIC_RXRING_OFF && h->txbuf_off == OFFNIC_TXBUF_OFF &&
	      h->rxbuf_off == OFFNIC_RXBUF_OFF && h->devmem_off == OFFNIC_DEVMEM_OFF &&
	      h->devmem_size == OFFNIC_DEVMEM_SIZE, "offsets differ from offnic_abi.h");
	CHECK(h->features == (OFFNIC_F_WIRE | OFFNIC_F_PCAP), "features %#llx",
	      (unsigned long long)h->features);
	return 0;
}

static int test_header_mac_is_the_mac_option(void)
{
	CHECK(!memcmp(hdr()->mac, test_mac, 6), "mac %02x:%02x:..", hdr()->mac[0],
	      hdr()->mac[1]);
	return 0;
}

static int test_heartbeat_advances_every_100ms(void)
{
	uint64_t before = __atomic_load_n(&hdr()->heartbeat, __ATOMIC_ACQUIRE), after;

	usleep(450000);
	after = __atomic_load_n(&hdr()->heartbeat, __ATOMIC_ACQUIRE);
	CHECK(after - before >= 2 && after - before <= 6, "heartbeat %llu -> %llu in 450 ms",
	      (unsigned long long)before, (unsigned long long)after);
	return 0;
}

static int test_identify_returns_name_engine_and_features(void)
{
	struct offnic_identify id;
	uint32_t len;
	int32_t status;

	memset(&id, 0xaa, sizeof(id));
	CHECK(!ctrl_call(OFFNIC_CMD_IDENTIFY, NULL, 0, &status, &id, &len), "call failed");
	CHECK(status == 0 && len == sizeof(id), "status %d len %u", status, len);
	CHECK(!strcmp(id.name, "offnic-sim"), "name '%.32s'", id.name);
	CHECK(id.engine == OFFNIC_ENGINE_NONE && id.lanes == 0 && id.cores == 0,
	      "engine %u lanes %u cores %u", id.engine, id.lanes, id.cores);
	CHECK(id.features == hdr()->features, "features %#llx", (unsigned long long)id.features);
	return 0;
}

static int test_read_counter_serves_every_counter(void)
{
	uint64_t v, first;
	uint32_t id;

	for (id = 0; id < OFFNIC_CNT_MAX; id++)
		CHECK(!read_counter(id, &v), "counter %u", id);
	CHECK(!read_counter(OFFNIC_CNT_CTRL_CMDS, &first), "ctrl_cmds");
	CHECK(!read_counter(OFFNIC_CNT_CTRL_CMDS, &v), "ctrl_cmds");
	CHECK(v == first + 1, "ctrl_cmds %llu then %llu", (unsigned long long)first,
	      (unsigned long long)v);
	CHECK(!read_counter(OFFNIC_CNT_UPTIME_US, &v) && v > 400000,
	      "uptime %llu us after the 450 ms heartbeat test", (unsigned long long)v);
	return 0;
}

static int test_read_counter_rejects_unknown_id(void)
{
	struct offnic_counter_req req = { .id = OFFNIC_CNT_MAX };
	int32_t status;
	uint32_t len;

	CHECK(!ctrl_call(OFFNIC_CMD_READ_COUNTER, &req, sizeof(req), &status, NULL, &len),
	      "call failed");
	CHECK(status == -ERRNO_EINVAL && len == 0, "status %d len %u", status, len);
	CHECK(!ctrl_call(OFFNIC_CMD_READ_COUNTER, &req, 2, &status, NULL, &len), "call failed");
	CHECK(status == -ERRNO_EINVAL, "short payload: status %d", status);
	return 0;
}

static int test_reserved_and_unknown_ops_answer_eopnotsupp(void)
{
	static const uint32_t ops[] = {
		0, OFFNIC_CMD_LOAD_PROG, OFFNIC_CMD_UNLOAD_PROG, OFFNIC_CMD_MAP_ALLOC,
		OFFNIC_CMD_MAP_FREE, OFFNIC_CMD_MAP_LOOKUP, OFFNIC_CMD_MAP_UPDATE,
		OFFNIC_CMD_MAP_DELETE, OFFNIC_CMD_MAP_GETNEXT, OFFNIC_CMD_PROG_STATS,
		OFFNIC_CMD_TEST_RUN, OFFNIC_CMD_READ_FAULTS, 14, 0xffffffffU,
	};
	int32_t status;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		CHECK(!ctrl_call(ops[i], NULL, 0, &status, NULL, NULL), "op %u", ops[i]);
		CHECK(status == -ERRNO_EOPNOTSUPP, "op %u: status %d", ops[i], status);
	}
	return 0;
}

static int test_oversized_request_len_answers_einval(void)
{
	int32_t status;
	uint32_t len;

	CHECK(!ctrl_call(OFFNIC_CMD_IDENTIFY, NULL, OFFNIC_CTRL_PAYLOAD_MAX + 1, &status, NULL,
			 &len), "call failed");
	CHECK(status == -ERRNO_EINVAL && len == 0, "status %d len %u", status, len);
	CHECK(!ctrl_call(OFFNIC_CMD_IDENTIFY, NULL, 0xffffffffU, &status, NULL, &len),
	      "call failed");
	CHECK(status == -ERRNO_EINVAL, "status %d", status);
	return 0;
}

static int test_request_with_served_seq_is_not_answered_again(void)
{
	uint64_t before, after;

	CHECK(!read_counter(OFFNIC_CNT_CTRL_CMDS, &before), "ctrl_cmds");
	ring_doorbell(OFFNIC_DB_CTRL);
	CHECK(!wait_irq(OFFNIC_VEC_CTRL, QUIET_MS), "interrupt for an already served seq");
	CHECK(!read_counter(OFFNIC_CNT_CTRL_CMDS, &after), "ctrl_cmds");
	CHECK(after == before + 1, "ctrl_cmds %llu -> %llu", (unsigned long long)before,
	      (unsigned long long)after);
	return 0;
}

static int test_header_mirrors_counters(void)
{
	uint64_t v;

	CHECK(!read_counter(OFFNIC_CNT_CTRL_CMDS, &v), "ctrl_cmds");
	CHECK(hdr()->counters[OFFNIC_CNT_CTRL_CMDS] == v, "mirror %llu, READ_COUNTER %llu",
	      (unsigned long long)hdr()->counters[OFFNIC_CNT_CTRL_CMDS],
	      (unsigned long long)v);
	CHECK(hdr()->counters[OFFNIC_CNT_UPTIME_US] > 0, "uptime mirror is 0");
	return 0;
}

static int test_wire_frame_without_rx_buffer_is_counted_as_drop(void)
{
	uint8_t frame[64];
	size_t len = build_frame(frame, 0x11);
	uint64_t drops;
	int waited;

	CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	for (waited = 0; waited < IRQ_TIMEOUT_MS; waited += 10) {
		if (hdr()->counters[OFFNIC_CNT_RX_DROPS])
			break;
		usleep(10000);
	}
	CHECK(!read_counter(OFFNIC_CNT_RX_DROPS, &drops) && drops == 1, "rx_drops %llu",
	      (unsigned long long)drops);
	CHECK(rxring()->idx.cons == 0, "rx cons %u", rxring()->idx.cons);
	CHECK(!wait_irq(OFFNIC_VEC_DATA, 0), "data interrupt for a dropped frame");
	return 0;
}

static int test_wire_frame_lands_in_posted_rx_buffer(void)
{
	struct offnic_ring *r = rxring();
	struct offnic_desc d;
	uint8_t frame[64];
	size_t len = build_frame(frame, 0x22);
	uint64_t rx;

	__atomic_store_n(&r->idx.prod, 4, __ATOMIC_RELEASE);
	ring_doorbell(OFFNIC_DB_DATA);
	CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no data interrupt");
	CHECK(__atomic_load_n(&r->idx.cons, __ATOMIC_ACQUIRE) == 1, "rx cons %u", r->idx.cons);
	d = r->desc[0];
	CHECK(d.len == len && d.off == OFFNIC_RX_HEADROOM && d.flags == 0 && d.meta_len == 0 &&
	      d.verdict == 0 && d.cycles == 0, "desc len %u off %u flags %u meta %u",
	      d.len, d.off, d.flags, d.meta_len);
	CHECK(d.tstamp > 0, "tstamp is 0");
	CHECK(d.hash != 0, "no flow hash for an IPv4/UDP frame");
	CHECK(!memcmp(dut.shm + OFFNIC_RXBUF_OFF + d.off, frame, len), "frame bytes differ");
	CHECK(!read_counter(OFFNIC_CNT_RX_FRAMES, &rx) && rx == 1, "rx_frames %llu",
	      (unsigned long long)rx);
	return 0;
}

static int test_same_flow_gets_same_hash(void)
{
	struct offnic_ring *r = rxring();
	uint8_t frame[64];
	size_t len = build_frame(frame, 0x33);

	CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no data interrupt");
	CHECK(r->idx.cons == 2, "rx cons %u", r->idx.cons);
	CHECK(r->desc[1].hash == r->desc[0].hash, "hash %08x vs %08x", r->desc[1].hash,
	      r->desc[0].hash);
	CHECK(r->desc[1].tstamp >= r->desc[0].tstamp, "tstamp went backwards");
	return 0;
}

static int recv_from_wire(uint8_t *buf, size_t cap, int timeout_ms)
{
	if (!wait_readable(dut.peer_fd, timeout_ms))
		return -1;
	return (int)recv(dut.peer_fd, buf, cap, 0);
}

static int test_tx_descriptor_goes_out_as_one_datagram(void)
{
	struct offnic_desc d = { .off = 64 };
	uint8_t frame[64], got[2048];
	uint64_t tx;
	int n;

	d.len = (uint16_t)build_frame(frame, 0x44);
	post_tx(&d, frame, d.len);
	ring_doorbell(OFFNIC_DB_DATA);
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no TX completion interrupt");
	CHECK(txring()->idx.cons == 1, "tx cons %u", txring()->idx.cons);
	n = recv_from_wire(got, sizeof(got), IRQ_TIMEOUT_MS);
	CHECK(n == d.len && !memcmp(got, frame, d.len), "datagram of %d bytes", n);
	CHECK(!read_counter(OFFNIC_CNT_TX_FRAMES, &tx) && tx == 1, "tx_frames %llu",
	      (unsigned long long)tx);
	return 0;
}

static int test_malformed_tx_descriptors_are_skipped_and_counted(void)
{
	static const struct offnic_desc bad[] = {
		{ .len = 0xffff, .off = 0 },
		{ .len = 60, .off = 0xffff },
		{ .len = 60, .off = OFFNIC_BUF_SIZE - 59 },
		{ .len = 0, .off = 0 },
		{ .len = 13, .off = 0 },
		{ .len = OFFNIC_MAX_FRAME + 1, .off = 0 },
	};
	const unsigned int nbad = ARRAY_SIZE(bad);
	struct offnic_desc good = { .off = 0 };
	uint8_t frame[64], got[2048];
	uint32_t cons = txring()->idx.cons;
	unsigned int i;
	uint64_t tx;
	int n;

	for (i = 0; i < nbad; i++)
		post_tx(&bad[i], NULL, 0);
	good.len = (uint16_t)build_frame(frame, 0x55);
	post_tx(&good, frame, good.len);
	ring_doorbell(OFFNIC_DB_DATA);
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no TX completion interrupt");
	CHECK(txring()->idx.cons == cons + nbad + 1, "tx cons %u, expected %u",
	      txring()->idx.cons, cons + nbad + 1);
	n = recv_from_wire(got, sizeof(got), IRQ_TIMEOUT_MS);
	CHECK(n == good.len && !memcmp(got, frame, good.len), "datagram of %d bytes", n);
	CHECK(recv_from_wire(got, sizeof(got), QUIET_MS) < 0, "a bad descriptor was sent");
	CHECK(!read_counter(OFFNIC_CNT_TX_FRAMES, &tx) && tx == 2, "tx_frames %llu",
	      (unsigned long long)tx);
	CHECK(count_in_log("bad descriptor") == (int)nbad, "log counts %d bad descriptors",
	      count_in_log("bad descriptor"));
	return 0;
}

static int test_tx_prod_more_than_a_ring_ahead_is_ignored(void)
{
	struct offnic_ring *r = txring();
	uint32_t prod = r->idx.prod, cons = r->idx.cons;
	uint8_t got[2048];
	uint64_t tx;

	__atomic_store_n(&r->idx.prod, cons + OFFNIC_RING_SIZE + 1, __ATOMIC_RELEASE);
	ring_doorbell(OFFNIC_DB_DATA);
	CHECK(recv_from_wire(got, sizeof(got), QUIET_MS) < 0, "sent from a corrupt ring");
	CHECK(r->idx.cons == cons, "tx cons moved to %u", r->idx.cons);
	CHECK(!read_counter(OFFNIC_CNT_TX_FRAMES, &tx) && tx == 2, "tx_frames %llu",
	      (unsigned long long)tx);
	__atomic_store_n(&r->idx.prod, prod, __ATOMIC_RELEASE);
	return 0;
}

static int test_second_client_is_refused(void)
{
	int fd = connect_unix(dut.sock_path), other;
	int64_t v;

	CHECK(fd >= 0, "connect: %s", strerror(errno));
	v = recv_msg(fd, &other);
	close(fd);
	CHECK(v == -2, "second client got message %lld", (long long)v);
	CHECK(kill(dut.pid, 0) == 0, "simulator died");
	return 0;
}

/* Finds @frame among the capture's records. */
static bool pcap_has_frame(const uint8_t *file, size_t size, const uint8_t *frame, size_t len)
{
	size_t pos = 24;
	uint32_t incl;

	while (pos + 16 <= size) {
		memcpy(&incl, file + pos + 8, 4);
		if (pos + 16 + incl > size)
			return false;
		if (incl == len && !memcmp(file + pos + 16, frame, len))
			return true;
		pos += 16 + incl;
	}
	return false;
}

static int test_pcap_holds_frames_of_both_directions(void)
{
	static uint8_t file[1 << 16];
	uint8_t rx_frame[64], tx_frame[64];
	uint32_t magic, linktype;
	size_t size;
	FILE *f = fopen(dut.pcap_path, "r");

	CHECK(f, "open %s: %s", dut.pcap_path, strerror(errno));
	size = fread(file, 1, sizeof(file), f);
	fclose(f);
	CHECK(size >= 24, "pcap of %zu bytes", size);
	memcpy(&magic, file, 4);
	memcpy(&linktype, file + 20, 4);
	CHECK(magic == 0xa1b2c3d4U && linktype == 1, "magic %08x linktype %u", magic, linktype);
	build_frame(rx_frame, 0x22);
	build_frame(tx_frame, 0x44);
	CHECK(pcap_has_frame(file, size, rx_frame, 60), "wire RX frame not captured");
	CHECK(pcap_has_frame(file, size, tx_frame, 60), "wire TX frame not captured");
	return 0;
}

static int test_sigterm_exits_zero_and_cleans_up(void)
{
	int status;

	CHECK(access(dut.pid_path, F_OK) == 0, "no pidfile");
	kill(dut.pid, SIGTERM);
	status = dut_wait_exit(START_TIMEOUT_MS);
	CHECK(status == 0, "exit status %d", status);
	CHECK(access(dut.sock_path, F_OK) < 0, "socket left behind");
	CHECK(access(dut.pid_path, F_OK) < 0, "pidfile left behind");
	return 0;
}

/* ---- a second simulator, started with overrides ---- */

static int test_magic_and_abi_overrides_show_in_header(void)
{
	CHECK(hdr()->magic == TEST_MAGIC, "magic %08x", hdr()->magic);
	CHECK(hdr()->abi_version == TEST_ABI, "abi %u", hdr()->abi_version);
	return 0;
}

static int test_exit_on_disconnect_exits_zero(void)
{
	int status;

	close(dut.ivs_fd);
	dut.ivs_fd = -1;
	status = dut_wait_exit(START_TIMEOUT_MS);
	CHECK(status == 0, "exit status %d", status);
	CHECK(access(dut.sock_path, F_OK) < 0, "socket left behind");
	return 0;
}

static int test_sigint_exits_zero_when_started_as_background_job(void)
{
	int status;

	kill(dut.pid, SIGINT);
	status = dut_wait_exit(START_TIMEOUT_MS);
	CHECK(status == 0, "exit status %d", status);
	CHECK(access(dut.sock_path, F_OK) < 0, "socket left behind");
	return 0;
}

struct test {
	const char *name;
	int (*fn)(void);
};

#define TEST(fn) { #fn + 5, fn }

static const char *const default_args[] = { "--mac", TEST_MAC, NULL };
static const char *const override_args[] = {
	"--magic", "deadbeef", "--abi-version", "7", "--exit-on-disconnect", NULL,
};

static const struct test default_tests[] = {
	TEST(test_handshake_follows_ivshmem_protocol),
	TEST(test_shm_is_a_power_of_two_bar),
	TEST(test_header_has_magic_abi_layout_and_ready),
	TEST(test_header_mac_is_the_mac_option),
	TEST(test_heartbeat_advances_every_100ms),
	TEST(test_identify_returns_name_engine_and_features),
	TEST(test_read_counter_serves_every_counter),
	TEST(test_read_counter_rejects_unknown_id),
	TEST(test_reserved_and_unknown_ops_answer_eopnotsupp),
	TEST(test_oversized_request_len_answers_einval),
	TEST(test_request_with_served_seq_is_not_answered_again),
	TEST(test_header_mirrors_counters),
	TEST(test_wire_frame_without_rx_buffer_is_counted_as_drop),
	TEST(test_wire_frame_lands_in_posted_rx_buffer),
	TEST(test_same_flow_gets_same_hash),
	TEST(test_tx_descriptor_goes_out_as_one_datagram),
	TEST(test_malformed_tx_descriptors_are_skipped_and_counted),
	TEST(test_tx_prod_more_than_a_ring_ahead_is_ignored),
	TEST(test_second_client_is_refused),
	TEST(test_pcap_holds_frames_of_both_directions),
	TEST(test_sigterm_exits_zero_and_cleans_up),
};

static const struct test override_tests[] = {
	TEST(test_magic_and_abi_overrides_show_in_header),
	TEST(test_exit_on_disconnect_exits_zero),
};

static const struct test sigint_tests[] = {
	TEST(test_sigint_exits_zero_when_started_as_background_job),
};

static const struct {
	const struct test *tests;
	unsigned int n;
	const char *const *args;
} groups[] = {
	{ default_tests, ARRAY_SIZE(default_tests), default_args },
	{ override_tests, ARRAY_SIZE(override_tests), override_args },
	{ sigint_tests, ARRAY_SIZE(sigint_tests), NULL },
};

/* Runs @tests against one simulator; if it cannot start, every test fails. */
static int run_group(const struct test *tests, unsigned int n, const char *const *args,
		     unsigned int *num)
{
	bool started = dut_start(args) == 0;
	unsigned int i;
	int failed = 0;

	if (!started)
		diag("offnic-sim did not start or handshake failed (%s)", dut.bin);
	for (i = 0; i < n; i++, (*num)++) {
		bool ok = started && tests[i].fn() == 0;

		printf("%sok %u - %s\n", ok ? "" : "not ", *num, tests[i].name);
		fflush(stdout);
		failed += !ok;
	}
	dut_stop();
	return failed;
}

int main(int argc, char **argv)
{
	unsigned int g, num = 1, total = 0;
	int failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH/TO/offnic-sim\n", argv[0]);
		return 2;
	}
	dut.bin = argv[1];
	signal(SIGPIPE, SIG_IGN);
	for (g = 0; g < ARRAY_SIZE(groups); g++)
		total += groups[g].n;
	printf("TAP version 13\n1..%u\n", total);
	for (g = 0; g < ARRAY_SIZE(groups); g++)
		failed += run_group(groups[g].tests, groups[g].n, groups[g].args, &num);
	diag("%d failed", failed);
	return failed ? 1 : 0;
}
