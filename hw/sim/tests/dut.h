/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The test harness that plays QEMU's part for offnic-sim: starts the
 * simulator, takes the ivshmem handshake, maps BAR2, and drives the
 * control queue, the rings and the wire as the guest and the peer would.
 */
#ifndef SIM_TEST_DUT_H
#define SIM_TEST_DUT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

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


extern struct dut dut;
extern const uint8_t test_mac[6];

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			diag("%s:%d: failed: %s", __FILE__, __LINE__, #cond); \
			diag(__VA_ARGS__);				\
			return -1;					\
		}							\
	} while (0)

struct offnic_hdr *hdr(void);
struct offnic_ctrl *ctrl(void);
struct offnic_ring *txring(void);
struct offnic_ring *rxring(void);
uint16_t free_udp_port(int *keep_fd);
bool wait_readable(int fd, int timeout_ms);
bool wait_irq(unsigned int vec, int timeout_ms);
void ring_doorbell(unsigned int vec);
int dut_start(const char *const *extra);
int dut_wait_exit(int timeout_ms);
int dut_reconnect(void);
void dut_stop(void);
int ctrl_call(uint32_t op, const void *payload, uint32_t len, int32_t *status,
	      void *out, uint32_t *out_len);
int read_counter(uint32_t id, uint64_t *value);
size_t build_frame(uint8_t *f, uint8_t tag);
int send_to_wire(const uint8_t *frame, size_t len);
void post_tx(const struct offnic_desc *desc, const uint8_t *frame, size_t len);
int count_in_log(const char *needle);
int recv_from_wire(uint8_t *buf, size_t cap, int timeout_ms);
int connect_unix(const char *path);
/* One ivshmem message: 8-byte LE value, maybe an fd. -2 on EOF/error. */
int64_t recv_msg(int sock, int *fd);

/* fn returns 0 (pass), -1 (fail) or 1 (skipped: what it needs is missing) */
struct test {
	const char *name;
	int (*fn)(void);
};

#define TEST(fn) { #fn + 5, fn }

/* Runs @tests against one simulator; if it cannot start, every test fails. */
int run_group(const struct test *tests, unsigned int n, const char *const *args,
	      unsigned int *num);

#endif
