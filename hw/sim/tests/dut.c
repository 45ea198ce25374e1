// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Host-side tests for offnic-sim: this program plays QEMU's part.  It
 * starts the simulator on a temporary socket and free UDP ports, takes the
 * ivshmem handshake, maps BAR2 and drives the control queue and the rings
 * through the same eventfds the guest's doorbells and MSI-X use.  The UDP
 * socket it binds is the wire peer (QEMU's -netdev socket backend).
 *
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

#include "dut.h"


struct dut dut;
const uint8_t test_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}


struct offnic_hdr *hdr(void)
{
	return (struct offnic_hdr *)(dut.shm + OFFNIC_HDR_OFF);
}

struct offnic_ctrl *ctrl(void)
{
	return (struct offnic_ctrl *)(dut.shm + OFFNIC_CTRL_OFF);
}

struct offnic_ring *txring(void)
{
	return (struct offnic_ring *)(dut.shm + OFFNIC_TXRING_OFF);
}

struct offnic_ring *rxring(void)
{
	return (struct offnic_ring *)(dut.shm + OFFNIC_RXRING_OFF);
}

uint16_t free_udp_port(int *keep_fd)
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

bool wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, timeout_ms) == 1;
}

/* Waits for the simulator to raise @vec; consumes the interrupt. */
bool wait_irq(unsigned int vec, int timeout_ms)
{
	uint64_t count;

	if (!wait_readable(dut.irq[vec], timeout_ms))
		return false;
	return read(dut.irq[vec], &count, sizeof(count)) == sizeof(count) && count > 0;
}

void ring_doorbell(unsigned int vec)
{
	uint64_t one = 1;

	if (write(dut.doorbell[vec], &one, sizeof(one)) != sizeof(one))
		diag("doorbell %u: %s", vec, strerror(errno));
}

int connect_unix(const char *path)
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
int64_t recv_msg(int sock, int *fd)
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

int dut_start(const char *const *extra)
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

/* QEMU goes away and a new one connects: a new machine. */
int dut_reconnect(void)
{
	unsigned int v;

	munmap(dut.shm, OFFNIC_SHM_SIZE);
	dut.shm = NULL;
	for (v = 0; v < OFFNIC_NUM_VECTORS; v++) {
		close(dut.doorbell[v]);
		close(dut.irq[v]);
		dut.doorbell[v] = dut.irq[v] = -1;
	}
	close(dut.shm_fd);
	close(dut.ivs_fd);
	dut.shm_fd = -1;
	dut.ctrl_seq = 0;
	/* Let the simulator see the hang-up before the new connection. */
	usleep(200000);
	dut.ivs_fd = connect_unix(dut.sock_path);
	if (dut.ivs_fd < 0)
		return -1;
	return handshake();
}

/* Returns the exit status, or -1 if it did not exit within @timeout_ms. */
int dut_wait_exit(int timeout_ms)
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

void dut_stop(void)
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
int ctrl_call(uint32_t op, const void *payload, uint32_t len, int32_t *status,
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

int read_counter(uint32_t id, uint64_t *value)
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
size_t build_frame(uint8_t *f, uint8_t tag)
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

int send_to_wire(const uint8_t *frame, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(dut.wire_port) };

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sendto(dut.peer_fd, frame, len, 0, (struct sockaddr *)&sin, sizeof(sin)) ==
	       (ssize_t)len ? 0 : -1;
}

/* Fills TX slot prod & mask with @desc (and @frame at desc->off), bumps prod. */
void post_tx(const struct offnic_desc *desc, const uint8_t *frame, size_t len)
{
	struct offnic_ring *r = txring();
	uint32_t prod = r->idx.prod, slot = prod & (OFFNIC_RING_SIZE - 1);

	if (frame)
		memcpy(dut.shm + OFFNIC_TXBUF_OFF + slot * OFFNIC_BUF_SIZE + desc->off, frame, len);
	r->desc[slot] = *desc;
	__atomic_store_n(&r->idx.prod, prod + 1, __ATOMIC_RELEASE);
}

int count_in_log(const char *needle)
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


int recv_from_wire(uint8_t *buf, size_t cap, int timeout_ms)
{
	if (!wait_readable(dut.peer_fd, timeout_ms))
		return -1;
	return (int)recv(dut.peer_fd, buf, cap, 0);
}

/* Runs @tests against one simulator; if it cannot start, every test fails. */
int run_group(const struct test *tests, unsigned int n, const char *const *args,
	      unsigned int *num)
{
	bool started = dut_start(args) == 0;
	unsigned int i;
	int failed = 0;

	if (!started)
		diag("offnic-sim did not start or handshake failed (%s)", dut.bin);
	for (i = 0; i < n; i++, (*num)++) {
		int ret = started ? tests[i].fn() : -1;
		bool ok = ret >= 0;

		printf("%sok %u - %s%s\n", ok ? "" : "not ", *num, tests[i].name,
		       ret > 0 ? " # SKIP" : "");
		fflush(stdout);
		failed += !ok;
	}
	dut_stop();
	return failed;
}
