// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* The model backend: packets run on the C reference model alone (fast). */
#include <errno.h>

#include "engine.h"

static int model_init(struct engine *eng)
{
	eng->model = onm_create(NULL);
	return eng->model ? 0 : -ENOMEM;
}

static void model_fini(struct engine *eng)
{
	(void)eng;
}

static int model_load(struct engine *eng, struct engine_prog *p)
{
	(void)eng;
	(void)p;
	return 0;
}

static void model_unload(struct engine *eng, struct engine_prog *p)
{
	(void)eng;
	(void)p;
}

static int model_run(struct engine *eng, struct engine_prog *p,
		     const struct onm_pkt_in *in, struct onm_pkt_out *out)
{
	(void)p;
	return onm_run(eng->model, 0, in, out);
}

const struct engine_backend engine_model_backend = {
	.name = "model",
	.abi_id = OFFNIC_ENGINE_MODEL,
	.init = model_init,
	.fini = model_fini,
	.load = model_load,
	.unload = model_unload,
	.run = model_run,
};
