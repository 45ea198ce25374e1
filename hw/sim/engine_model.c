// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* The model backend: packets run on the C reference model alone (fast). */
#include <errno.h>

#include "engine.h"

static int model_init(struct engine *eng)
{
	/* a program may not grow a frame past what the driver accepts */
	const struct onm_config cfg = { .max_frame = OFFNIC_MAX_FRAME };

	eng->model = onm_create(&cfg);
	return eng->model ? 0 : -ENOMEM;
}

static int model_run(struct engine *eng, struct engine_prog *p,
		     const struct onm_pkt_in *in, struct onm_pkt_out *out)
{
	int ret = engine_model_hold(eng, (uint32_t)(p - eng->prog));

	return ret ? ret : onm_run(eng->model, 0, in, out);
}

const struct engine_backend engine_model_backend = {
	.name = "model",
	.abi_id = OFFNIC_ENGINE_MODEL,
	.init = model_init,
	.run = model_run,
};
