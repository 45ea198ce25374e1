// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Host-side tests for offnic-sim (the harness, tests/dut.c, plays QEMU's
 * part): the device model, then the offload tests (tests/offload_test.c)
 * once per engine named on the command line.
 *
 * usage: sim_test PATH/TO/offnic-sim [ENGINE...]   TAP output, exit 1 on failure
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dut.h"
#include "offload_test.h"

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
	CHECK(h->features == (OFFNIC_F_WIRE | OFFNIC_F_PCAP | OFFNIC_F_ENGINE), "features %#llx",
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
	CHECK(id.engine != OFFNIC_ENGINE_NONE && id.lanes >= 1 && id.cores >= 1,
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

static int test_unknown_ops_answer_eopnotsupp(void)
{
	static const uint32_t ops[] = { 0, OFFNIC_CMD_RESET + 1, 0xffffffffU };
	int32_t status;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		CHECK(!ctrl_call(ops[i], NULL, 0, &status, NULL, NULL), "op %u", ops[i]);
		CHECK(status == -ERRNO_EOPNOTSUPP, "op %u: status %d", ops[i], status);
	}
	return 0;
}

/* Every request op with an empty or truncated payload: -EINVAL, no crash. */
static int test_truncated_payloads_answer_einval(void)
{
	static const uint32_t ops[] = {
		OFFNIC_CMD_LOAD_PROG, OFFNIC_CMD_UNLOAD_PROG, OFFNIC_CMD_MAP_ALLOC,
		OFFNIC_CMD_MAP_FREE, OFFNIC_CMD_MAP_LOOKUP, OFFNIC_CMD_MAP_UPDATE,
		OFFNIC_CMD_MAP_DELETE, OFFNIC_CMD_MAP_GETNEXT, OFFNIC_CMD_PROG_STATS,
		OFFNIC_CMD_TEST_RUN, OFFNIC_CMD_READ_FAULTS, OFFNIC_CMD_INJECT,
	};
	static const uint8_t junk[7] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	int32_t status;
	uint32_t len;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		for (n = 0; n < sizeof(junk); n += 3) {
			CHECK(!ctrl_call(ops[i], junk, n, &status, NULL, &len), "op %u", ops[i]);
			CHECK(status == -ERRNO_EINVAL && len == 0, "op %u len %u: status %d",
			      ops[i], n, status);
		}
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

/* Posts every RX buffer the device has consumed, as the driver's refill. */
static void refill_rx(void)
{
	struct offnic_ring *r = rxring();
	uint32_t cons = __atomic_load_n(&r->idx.cons, __ATOMIC_ACQUIRE);

	__atomic_store_n(&r->idx.prod, cons + OFFNIC_RING_SIZE, __ATOMIC_RELEASE);
}

static int test_interrupts_wait_for_rx_frames_or_rx_usecs(void)
{
	uint64_t irqs_before, irqs_after;
	uint8_t frame[64];
	size_t len = build_frame(frame, 0x55);
	int i;

	refill_rx();
	wait_irq(OFFNIC_VEC_DATA, 0);
	CHECK(!read_counter(OFFNIC_CNT_IRQS, &irqs_before), "irqs");
	/* 100 ms at most (the device caps it), or 4 frames */
	__atomic_store_n(&hdr()->irq_usecs, 100000, __ATOMIC_RELEASE);
	__atomic_store_n(&hdr()->irq_frames, 4, __ATOMIC_RELEASE);
	for (i = 0; i < 3; i++)
		CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	CHECK(!wait_irq(OFFNIC_VEC_DATA, 40), "interrupt before 4 frames or 100 ms");
	CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	CHECK(wait_irq(OFFNIC_VEC_DATA, 50), "no interrupt at the 4th frame");
	/* one frame: the timer raises it */
	CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	CHECK(!wait_irq(OFFNIC_VEC_DATA, 40), "interrupt for 1 frame before rx-usecs");
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no interrupt after rx-usecs");
	CHECK(!read_counter(OFFNIC_CNT_IRQS, &irqs_after) && irqs_after - irqs_before == 2,
	      "%llu data interrupts for 5 frames, expected 2",
	      (unsigned long long)(irqs_after - irqs_before));
	/* 0/0: one interrupt per event again */
	__atomic_store_n(&hdr()->irq_usecs, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&hdr()->irq_frames, 0, __ATOMIC_RELEASE);
	refill_rx();
	CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	CHECK(wait_irq(OFFNIC_VEC_DATA, 50), "moderation off, but no prompt interrupt");
	return 0;
}

static int test_frame_waits_for_an_rx_buffer_posted_in_time(void)
{
	struct offnic_ring *r = rxring();
	uint32_t cons = __atomic_load_n(&r->idx.cons, __ATOMIC_ACQUIRE);
	uint64_t drops_before, drops_after;
	uint8_t frame[64];
	size_t len = build_frame(frame, 0x58);

	/* A host that has consumed every buffer and not posted yet */
	__atomic_store_n(&r->idx.prod, cons, __ATOMIC_RELEASE);
	wait_irq(OFFNIC_VEC_DATA, 0);
	CHECK(!read_counter(OFFNIC_CNT_RX_DROPS, &drops_before), "rx_drops");
	CHECK(!send_to_wire(frame, len), "sendto: %s", strerror(errno));
	usleep(30000);
	CHECK(__atomic_load_n(&r->idx.cons, __ATOMIC_ACQUIRE) == cons, "delivered with no buffer");
	__atomic_store_n(&r->idx.prod, cons + 1, __ATOMIC_RELEASE);
	ring_doorbell(OFFNIC_DB_DATA);
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no interrupt after the refill");
	CHECK(__atomic_load_n(&r->idx.cons, __ATOMIC_ACQUIRE) == cons + 1,
	      "the waiting frame was not delivered: cons %u", r->idx.cons);
	CHECK(!read_counter(OFFNIC_CNT_RX_DROPS, &drops_after) && drops_after == drops_before,
	      "rx_drops %llu -> %llu", (unsigned long long)drops_before,
	      (unsigned long long)drops_after);
	refill_rx();
	return 0;
}

/* Every wire frame ends in exactly one of these counters. */
static uint64_t wire_frames_accounted(void)
{
	static const uint32_t ids[] = {
		OFFNIC_CNT_RX_FRAMES, OFFNIC_CNT_RX_DROPS, OFFNIC_CNT_RX_ERRORS,
		OFFNIC_CNT_WIRE_OVERFLOW, OFFNIC_CNT_QUEUE_DROPS, OFFNIC_CNT_PROG_DROPS,
		OFFNIC_CNT_PROG_TX,
	};
	uint64_t sum = 0, v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		if (read_counter(ids[i], &v))
			return UINT64_MAX;
		sum += v;
	}
	return sum;
}

static int test_burst_beyond_the_socket_buffer_is_all_counted(void)
{
	const unsigned int burst = 60000;
	uint64_t before, after = 0, overflow;
	uint8_t frame[64];
	size_t len = build_frame(frame, 0x66);
	unsigned int i, sent = 0;
	int waited;

	before = wire_frames_accounted();
	CHECK(before != UINT64_MAX, "a wire counter is not readable");
	/* A device that does not read for a while: the socket fills up. */
	CHECK(!kill(dut.pid, SIGSTOP), "SIGSTOP: %s", strerror(errno));
	for (i = 0; i < burst; i++)
		sent += !send_to_wire(frame, len);
	kill(dut.pid, SIGCONT);
	for (waited = 0; waited < 5000; waited += 100) {
		usleep(100000);
		after = wire_frames_accounted();
		if (after - before == sent)
			break;
	}
	CHECK(after - before == sent, "sent %u frames, counted %llu", sent,
	      (unsigned long long)(after - before));
	CHECK(!read_counter(OFFNIC_CNT_WIRE_OVERFLOW, &overflow) && overflow > 0,
	      "%u frames fit the socket buffer: no overflow to count", sent);
	return 0;
}

static int test_tx_batch_larger_than_a_wire_batch_is_all_sent_and_counted(void)
{
	const unsigned int frames = 200;	/* over three sendmmsg batches */
	struct offnic_desc d = { .off = 0 };
	uint8_t frame[64], got[2048];
	uint64_t before, after;
	unsigned int i, seen = 0;

	d.len = (uint16_t)build_frame(frame, 0x77);
	CHECK(!read_counter(OFFNIC_CNT_TX_FRAMES, &before), "tx_frames");
	for (i = 0; i < frames; i++)
		post_tx(&d, frame, d.len);
	ring_doorbell(OFFNIC_DB_DATA);
	while (seen < frames && recv_from_wire(got, sizeof(got), IRQ_TIMEOUT_MS) == d.len)
		seen++;
	CHECK(seen == frames, "%u of %u frames reached the wire", seen, frames);
	CHECK(!read_counter(OFFNIC_CNT_TX_FRAMES, &after) && after - before == frames,
	      "tx_frames moved by %llu for %u frames", (unsigned long long)(after - before),
	      frames);
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

static int test_unknown_engine_is_refused_at_start(void)
{
	char sock[160];
	pid_t pid;
	int status;

	snprintf(sock, sizeof(sock), "%s/other.sock", dut.dir);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (!pid) {
		execl(dut.bin, dut.bin, "--socket", sock, "--engine", "bogus", "--log",
		      "/dev/null", (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %#x", status);
	unlink(sock);
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
	TEST(test_unknown_ops_answer_eopnotsupp),
	TEST(test_truncated_payloads_answer_einval),
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
	TEST(test_interrupts_wait_for_rx_frames_or_rx_usecs),
	TEST(test_frame_waits_for_an_rx_buffer_posted_in_time),
	TEST(test_burst_beyond_the_socket_buffer_is_all_counted),
	TEST(test_tx_batch_larger_than_a_wire_batch_is_all_sent_and_counted),
	TEST(test_sigterm_exits_zero_and_cleans_up),
};

static const struct test override_tests[] = {
	TEST(test_magic_and_abi_overrides_show_in_header),
	TEST(test_exit_on_disconnect_exits_zero),
};

static const struct test sigint_tests[] = {
	TEST(test_sigint_exits_zero_when_started_as_background_job),
	TEST(test_unknown_engine_is_refused_at_start),
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


int main(int argc, char **argv)
{
	unsigned int g, num = 1, total = 0;
	int failed = 0;

	int e;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH/TO/offnic-sim [ENGINE...]\n", argv[0]);
		return 2;
	}
	dut.bin = argv[1];
	signal(SIGPIPE, SIG_IGN);
	for (g = 0; g < ARRAY_SIZE(groups); g++)
		total += groups[g].n;
	for (e = 2; e < argc; e++)
		total += offload_tests_count(argv[e]);
	printf("TAP version 13\n1..%u\n", total);
	for (g = 0; g < ARRAY_SIZE(groups); g++)
		failed += run_group(groups[g].tests, groups[g].n, groups[g].args, &num);
	for (e = 2; e < argc; e++)
		failed += offload_groups(argv[e], &num);
	diag("%d failed", failed);
	return failed ? 1 : 0;
}
