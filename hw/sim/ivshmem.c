// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * QEMU's ivshmem-doorbell device connects here at machine start and reads,
 * synchronously, every message below before the guest runs.  Each message
 * is an 8-byte little-endian signed number, some carrying an fd:
 *
 *   0                        protocol version
 *   IVSHMEM_CLIENT_PEER      the client's own id (its IVPosition register)
 *   -1 + shm fd              BAR2
 *   OFFNIC_DEV_PEER + fd     x N: the guest writes these to ring our doorbells
 *   IVSHMEM_CLIENT_PEER + fd x N: we write these to raise the guest's MSI-X
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ivshmem.h"
#include "log.h"

#define IVSHMEM_PROTOCOL_VERSION	0

static void close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

static int open_eventfds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fds[i] < 0) {
			close_fds(fds, i);
			return -1;
		}
	}
	return 0;
}

int ivshmem_listen(struct ivshmem_server *srv, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	srv->path = path;
	srv->listen_fd = -1;
	srv->client_fd = -1;
	memset(srv->irq, -1, sizeof(srv->irq));
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_msg("socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (open_eventfds(srv->doorbell, OFFNIC_NUM_VECTORS) < 0)
		return -1;
	srv->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0)
		goto err_eventfds;
	/* A socket left behind by a killed simulator would make bind() fail. */
	unlink(path);
	if (bind(srv->listen_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(srv->listen_fd, 4) < 0) {
		log_msg("listen on %s: %s", path, strerror(errno));
		goto err_socket;
	}
	return 0;

err_socket:
	close(srv->listen_fd);
	srv->listen_fd = -1;
err_eventfds:
	close_fds(srv->doorbell, OFFNIC_NUM_VECTORS);
	return -1;
}

void ivshmem_close(struct ivshmem_server *srv)
{
	ivshmem_drop_client(srv);
	close_fds(srv->doorbell, OFFNIC_NUM_VECTORS);
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		unlink(srv->path);
	}
	srv->listen_fd = -1;
}

static int send_msg(int sock, int64_t value, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	uint64_t wire_value = htole64((uint64_t)value);
	struct iovec iov = { .iov_base = &wire_value, .iov_len = sizeof(wire_value) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;

	if (fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == sizeof(wire_value) ? 0 : -1;
}

static int send_setup(struct ivshmem_server *srv, int sock, int shm_fd)
{
	unsigned int v;

	if (send_msg(sock, IVSHMEM_PROTOCOL_VERSION, -1) ||
	    send_msg(sock, IVSHMEM_CLIENT_PEER, -1) ||
	    send_msg(sock, -1, shm_fd))
		return -1;
	for (v = 0; v < OFFNIC_NUM_VECTORS; v++)
		if (send_msg(sock, OFFNIC_DEV_PEER, srv->doorbell[v]))
			return -1;
	for (v = 0; v < OFFNIC_NUM_VECTORS; v++)
		if (send_msg(sock, IVSHMEM_CLIENT_PEER, srv->irq[v]))
			return -1;
	return 0;
}

/*
 * Returns the new client's fd, or -1 if the connection was refused (a
 * second client: the device has one PCI function) or failed.
 */
int ivshmem_accept(struct ivshmem_server *srv, int shm_fd)
{
	int sock = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (sock < 0)
		return -1;
	if (ivshmem_has_client(srv)) {
		log_msg("refusing a second ivshmem client");
		close(sock);
		return -1;
	}
	if (open_eventfds(srv->irq, OFFNIC_NUM_VECTORS) < 0)
		goto err_sock;
	if (send_setup(srv, sock, shm_fd) < 0) {
		log_msg("ivshmem setup failed: %s", strerror(errno));
		close_fds(srv->irq, OFFNIC_NUM_VECTORS);
		goto err_sock;
	}
	srv->client_fd = sock;
	log_msg("client connected: ivshmem peer %d, %u vectors", IVSHMEM_CLIENT_PEER,
		OFFNIC_NUM_VECTORS);
	return sock;

err_sock:
	close(sock);
	return -1;
}

void ivshmem_drop_client(struct ivshmem_server *srv)
{
	if (!ivshmem_has_client(srv))
		return;
	close(srv->client_fd);
	srv->client_fd = -1;
	close_fds(srv->irq, OFFNIC_NUM_VECTORS);
	log_msg("client disconnected");
}

/* Returns how many times the guest rang @vector since the last call. */
uint64_t ivshmem_doorbell_ack(struct ivshmem_server *srv, unsigned int vector)
{
	uint64_t count = 0;

	if (read(srv->doorbell[vector], &count, sizeof(count)) != sizeof(count))
		return 0;
	return count;
}

void ivshmem_interrupt(struct ivshmem_server *srv, unsigned int vector)
{
	uint64_t one = 1;

	if (!ivshmem_has_client(srv))
		return;
	if (write(srv->irq[vector], &one, sizeof(one)) != sizeof(one))
		log_msg("interrupt vector %u: %s", vector, strerror(errno));
}
