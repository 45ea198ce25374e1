// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "wire.h"

static void loopback_addr(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

int wire_open(struct wire *wire, uint16_t port, uint16_t peer_port, struct pcap *tap)
{
	struct sockaddr_in local;

	wire->tap = tap;
	loopback_addr(&local, port);
	loopback_addr(&wire->peer, peer_port);
	wire->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (wire->fd < 0)
		return -1;
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

/*
 * Not connect()ed: an unconnected UDP socket does not report ICMP port
 * unreachable, so frames sent before QEMU's backend is up vanish quietly,
 * as they would on a cable with nothing at the other end.
 */
int wire_send(struct wire *wire, const void *frame, size_t len)
{
	ssize_t n;

	if (wire->tap)
		pcap_write(wire->tap, frame, len);
	n = sendto(wire->fd, frame, len, 0, (struct sockaddr *)&wire->peer, sizeof(wire->peer));
	return n == (ssize_t)len ? 0 : -1;
}

ssize_t wire_recv(struct wire *wire, void *buf, size_t cap)
{
	ssize_t n = recv(wire->fd, buf, cap, MSG_TRUNC);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if (wire->tap)
		pcap_write(wire->tap, buf, (size_t)n < cap ? (size_t)n : cap);
	return n;
}
