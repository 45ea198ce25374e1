// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sock_diag.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "wire.h"

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL		40
#endif
#ifndef SO_MEMINFO
#define SO_MEMINFO		55
#endif

static void loopback_addr(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/*
 * A large buffer each way.  SO_RCVBUFFORCE passes rmem_max when we are
 * root (CAP_NET_ADMIN); otherwise SO_RCVBUF gets what rmem_max allows.
 */
static void wire_size_buffers(int fd)
{
	int bytes = WIRE_SOCKBUF_BYTES, got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof(bytes)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes));
	getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
	log_msg("wire: socket receive buffer %d bytes", got);
}

int wire_open(struct wire *wire, uint16_t port, uint16_t peer_port, struct pcap *tap)
{
	struct sockaddr_in local;
	int one = 1;

	wire->tap = tap;
	wire->overflow = 0;
	wire->tx_errors = 0;
	wire->ovfl_seen = 0;
	wire->tx_n = 0;
	wire->tx_flushed = 0;
	loopback_addr(&local, port);
	loopback_addr(&wire->peer, peer_port);
	wire->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (wire->fd < 0)
		return -1;
	wire_size_buffers(wire->fd);
	if (setsockopt(wire->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) < 0)
		log_msg("wire: SO_RXQ_OVFL: %s (socket drops read at heartbeat only)",
			strerror(errno));
	if (bind(wire->fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		log_msg("wire: bind 127.0.0.1:%u: %s", port, strerror(errno));
		close(wire->fd);
		wire->fd = -1;
		return -1;
	}
	log_msg("wire: listening on 127.0.0.1:%u, peer 127.0.0.1:%u", port, peer_port);
	return 0;
}

void wire_close(struct wire *wire)
{
	if (wire->fd >= 0)
		close(wire->fd);
	wire->fd = -1;
}

/* The socket's drop count is a wrapping u32: add what it moved by. */
static void wire_note_drops(struct wire *wire, uint32_t drops)
{
	wire->overflow += (uint32_t)(drops - wire->ovfl_seen);
	wire->ovfl_seen = drops;
}

void wire_poll_overflow(struct wire *wire)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (wire->fd < 0)
		return;
	if (getsockopt(wire->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0 &&
	    len > SK_MEMINFO_DROPS * sizeof(mem[0]))
		wire_note_drops(wire, mem[SK_MEMINFO_DROPS]);
}

/* Both directions may be captured from different threads. */
static void wire_tap(struct wire *wire, const void *frame, size_t len)
{
	flockfile(wire->tap->file);
	pcap_write(wire->tap, frame, len);
	funlockfile(wire->tap->file);
}

/*
 * Not connect()ed: an unconnected UDP socket does not report ICMP port
 * unreachable, so frames sent before QEMU's backend is up vanish quietly,
 * as they would on a cable with nothing at the other end.
 */
void wire_send(struct wire *wire, const void *frame, size_t len)
{
	unsigned int i;

	if (len > OFFNIC_MAX_FRAME)
		len = OFFNIC_MAX_FRAME;
	if (wire->tap && wire->tap->file)
		wire_tap(wire, frame, len);
	if (wire->tx_n == WIRE_BATCH)
		wire->tx_flushed = wire_flush(wire);	/* it counts the earlier ones */
	i = wire->tx_n++;
	memcpy(wire->tx_buf[i], frame, len);
	wire->tx_iov[i].iov_base = wire->tx_buf[i];
	wire->tx_iov[i].iov_len = len;
	memset(&wire->tx_msg[i], 0, sizeof(wire->tx_msg[i]));
	wire->tx_msg[i].msg_hdr.msg_name = &wire->peer;
	wire->tx_msg[i].msg_hdr.msg_namelen = sizeof(wire->peer);
	wire->tx_msg[i].msg_hdr.msg_iov = &wire->tx_iov[i];
	wire->tx_msg[i].msg_hdr.msg_iovlen = 1;
}

unsigned int wire_flush(struct wire *wire)
{
	unsigned int done = 0, failed = 0;
	int n;

	while (done < wire->tx_n) {
		n = sendmmsg(wire->fd, wire->tx_msg + done, wire->tx_n - done, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* The message at @done failed: skip it, send the rest. */
			failed++;
			done++;
			continue;
		}
		done += (unsigned int)n;
	}
	wire->tx_errors += failed;
	wire->tx_n = 0;
	done = done - failed + wire->tx_flushed;
	wire->tx_flushed = 0;
	return done;
}

int wire_recv_batch(struct wire *wire, uint8_t *const bufs[], size_t cap, size_t lens[],
		    unsigned int n)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} ctl[WIRE_BATCH];
	struct mmsghdr msg[WIRE_BATCH];
	struct iovec iov[WIRE_BATCH];
	struct cmsghdr *c;
	unsigned int i;
	int got;

	if (n > WIRE_BATCH)
		n = WIRE_BATCH;
	memset(msg, 0, sizeof(msg[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = cap;
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		/* written by the kernel, read only after recvmmsg() */
		// cppcheck-suppress legacyUninitvar
		msg[i].msg_hdr.msg_control = ctl[i].buf;
		msg[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
	}
	got = recvmmsg(wire->fd, msg, n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
	for (i = 0; i < (unsigned int)got; i++) {
		lens[i] = msg[i].msg_hdr.msg_flags & MSG_TRUNC ? cap + 1 : msg[i].msg_len;
		if (wire->tap && wire->tap->file)
			wire_tap(wire, bufs[i], lens[i] < cap ? lens[i] : cap);
		for (c = CMSG_FIRSTHDR(&msg[i].msg_hdr); c; c = CMSG_NXTHDR(&msg[i].msg_hdr, c)) {
			uint32_t drops;

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SO_RXQ_OVFL)
				continue;
			memcpy(&drops, CMSG_DATA(c), sizeof(drops));
			wire_note_drops(wire, drops);
		}
	}
	return got;
}
