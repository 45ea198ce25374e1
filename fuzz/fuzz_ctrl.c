// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * libFuzzer harness: the simulator's control-queue parser and handlers
 * (ctrl.c, offload_ctrl.c, map_ctrl.c, inject.c) through ctrl_dispatch(),
 * on a fresh device with the model engine for every input.
 *
 * Input: a sequence of requests, each
 *   byte 0      op (OFFNIC_CMD_*)
 *   bytes 1..2  payload length (little endian)
 *   payload     that many bytes (fewer if the input ends first)
 * Each payload is copied to a buffer of exactly its length, so a handler
 * that reads past what the request carries is caught (ctrl_serve's own
 * buffer is always full-sized and would hide it).  Run it with
 * -close_fd_mask=2: the simulator logs refusals on stderr.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#include <unistd.h>

#include "sim.h"

#define MAX_REQS	64

static struct sim *sim_new(void)
{
	static uint8_t *shm;
	static int shm_fd = -1;
	struct sim *sim = calloc(1, sizeof(*sim));

	/*
	 * BAR2 as the simulator has it: a memfd of the whole size, so RESET
	 * and REBOOT (power-on) may punch it clear.  Pages are only touched
	 * where requests write.
	 */
	if (!shm) {
		shm_fd = memfd_create("fuzz_ctrl_bar2", 0);
		if (shm_fd < 0 || ftruncate(shm_fd, OFFNIC_SHM_SIZE))
			abort();
		shm = mmap(NULL, OFFNIC_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			   shm_fd, 0);
		if (shm == MAP_FAILED)
			abort();
	}
	if (!sim)
		abort();
	/* the offload only touches BAR2's event ring: zero just that */
	memset(shm + OFFNIC_EVRING_OFF, 0, sizeof(struct offnic_event_ring));
	sim->shm.base = shm;
	sim->shm.fd = shm_fd;
	sim->wire.fd = -1;
	sim->epoll_fd = -1;
	sim->reboot_fd = -1;
	sim->ctrl_delay_fd = -1;
	sim->timer_fd = -1;
	/* the datapath as the simulator sets it up: RESET powers it on */
	dp_init(&sim->dp, shm, &sim->wire, &sim->stats);
	if (offload_init(&sim->ol, "model", shm, &sim->stats))
		abort();
	return sim;
}

static void sim_free(struct sim *sim)
{
	offload_fini(&sim->ol);
	dp_fini(&sim->dp);
	free(sim);
}

/* INJECT CRASH exits the simulator by design */
static int harmful(uint32_t op, const uint8_t *p, uint32_t len)
{
	struct offnic_inject_req req;

	if (op != OFFNIC_CMD_INJECT || len != sizeof(req))
		return 0;
	memcpy(&req, p, sizeof(req));
	return req.what == OFFNIC_INJECT_CRASH;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *out;
	struct sim *sim;
	size_t pos = 0;
	int n;

	if (!out) {
		out = malloc(OFFNIC_CTRL_PAYLOAD_MAX);
		if (!out)
			abort();
	}
	sim = sim_new();
	for (n = 0; n < MAX_REQS && pos + 3 <= size; n++) {
		uint32_t op = data[pos], len = data[pos + 1] | data[pos + 2] << 8;
		uint32_t out_len = 0;
		uint8_t *in;
		int status;

		pos += 3;
		if (len > size - pos)
			len = (uint32_t)(size - pos);
		if (harmful(op, data + pos, len)) {
			pos += len;
			continue;
		}
		in = malloc(len ? len : 1);
		if (!in)
			abort();
		memcpy(in, data + pos, len);
		pos += len;
		status = ctrl_dispatch(sim, op, in, len, out, &out_len);
		free(in);
		/* what the handler wrote must fit the response slot */
		if (!status && out_len > OFFNIC_CTRL_PAYLOAD_MAX)
			abort();
	}
	sim_free(sim);
	return 0;
}
