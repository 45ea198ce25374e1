// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * libFuzzer harness: the model's image loader and engine.  An image blob
 * is loaded with onm_load() and, if it loads, run on a frame twice (map
 * and counter state carries over), then its events are drained and it is
 * unloaded.
 *
 * Input: an 8-byte header, the frame, then the image.
 *   bytes 0..1  frame length (little endian, taken modulo 1515, min 14)
 *   bytes 2..7  context words: ingress ifindex, rx queue, mark
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "offnic_image.h"
#include "offnic_model.h"

#define HDR		8
#define MAX_FRAME	1514

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct offnic_image_hdr *h;
	struct onm_config cfg = {
		.watchdog_cycles = 20000,	/* keep each run short */
		.map_mem_bytes = 1U << 20,
	};
	struct onm_pkt_in in = { 0 };
	struct onm_pkt_out out;
	struct onm_event ev;
	struct onm_engine *eng;
	uint32_t flen;
	void *img;
	size_t ilen;

	if (size < HDR)
		return -1;
	flen = (uint32_t)(data[0] | data[1] << 8) % (MAX_FRAME + 1);
	if (flen < 14)
		flen = 14;
	if (size < HDR + flen + sizeof(*h))
		return -1;
	/* the image in a buffer of its own size, so over-reads are seen */
	ilen = size - HDR - flen;
	img = malloc(ilen);
	if (!img)
		return 0;
	memcpy(img, data + HDR + flen, ilen);
	h = img;
	cfg.lanes = h->lanes >= 1 && h->lanes <= ONM_MAX_LANES ? h->lanes : 4;
	eng = onm_create(&cfg);
	if (!eng)
		goto out;
	in.frame = data + HDR;
	in.len = flen;
	in.ctx[3] = data[2];				/* ingress_ifindex */
	in.ctx[4] = data[3];				/* rx_queue_index */
	in.ctx[8] = (uint32_t)data[4] | (uint32_t)data[5] << 8;	/* mark */
	if (!onm_load(eng, img, ilen, NULL)) {
		onm_run(eng, 0, &in, &out);
		onm_run(eng, 0, &in, &out);
		while (onm_event_pop(eng, &ev))
			;
		onm_unload(eng);
	}
	onm_destroy(eng);
out:
	free(img);
	return 0;
}
