// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Control requests for the device's maps.  The request is struct
 * offnic_map_req, then the key, then the value, exactly as the op needs
 * them; the answer is exactly value_size (LOOKUP) or key_size (GETNEXT)
 * bytes.  Errors are the map's: -ENOENT, -EEXIST, -E2BIG, -EINVAL.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "offnic_image.h"
#include "sim.h"

/* Largest map the device accepts, so one map cannot take all map memory
 * by accident; the model's map-memory budget still applies on top.
 */
#define MAP_MAX_ENTRIES		(1U << 20)
#define HASH_MAX_KEY		256	/* the model's limit for hash keys */

int ctrl_map_alloc(struct sim *sim, const uint8_t *in, uint32_t in_len,
		   uint8_t *out, uint32_t *out_len)
{
	struct offnic_map_alloc_req req;
	struct offnic_map_alloc_resp resp = { 0 };
	struct onm_map_def def;
	int slot;

	if (in_len != sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	if (req.type != OFFNIC_MAP_ARRAY && req.type != OFFNIC_MAP_HASH)
		return -EINVAL;
	if ((req.type == OFFNIC_MAP_ARRAY && req.key_size != 4) ||
	    !req.key_size || req.key_size > HASH_MAX_KEY)
		return -EINVAL;
	if (!req.value_size || req.value_size > OFFNIC_MAX_VALUE ||
	    !req.max_entries || req.max_entries > MAP_MAX_ENTRIES)
		return -E2BIG;
	def = (struct onm_map_def) {
		.type = req.type,
		.key_size = req.key_size,
		.value_size = req.value_size,
		.max_entries = req.max_entries,
		.flags = req.flags,
	};
	slot = engine_map_alloc(&sim->ol.eng, &def);
	if (slot < 0)
		return slot;
	resp.slot = (uint32_t)slot;
	memcpy(out, &resp, sizeof(resp));
	*out_len = sizeof(resp);
	return 0;
}

/*
 * Parses a map request that carries a key (if want_key) and a value (if
 * want_value); the payload must be exactly that long.
 */
static int map_req_parse(struct sim *sim, const uint8_t *in, uint32_t in_len,
			 bool want_key, bool want_value, struct offnic_map_req *req,
			 struct onm_map_def *def)
{
	uint32_t need = sizeof(*req);
	int ret;

	if (in_len < sizeof(*req))
		return -EINVAL;
	memcpy(req, in, sizeof(*req));
	ret = engine_map_def(&sim->ol.eng, req->slot, def);
	if (ret)
		return ret;
	if (want_key)
		need += def->key_size;
	if (want_value)
		need += def->value_size;
	return in_len == need ? 0 : -EINVAL;
}

int ctrl_map_free(struct sim *sim, const uint8_t *in, uint32_t in_len,
		  uint8_t *out, uint32_t *out_len)
{
	struct offnic_map_req req;

	(void)out;
	(void)out_len;
	if (in_len != sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	return engine_map_free(&sim->ol.eng, req.slot);
}

int ctrl_map_lookup(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len)
{
	struct offnic_map_req req;
	struct onm_map_def def;
	int ret = map_req_parse(sim, in, in_len, true, false, &req, &def);

	if (ret)
		return ret;
	ret = engine_map_lookup(&sim->ol.eng, req.slot, in + sizeof(req), out);
	if (ret)
		return ret;
	*out_len = def.value_size;
	return 0;
}

int ctrl_map_update(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len)
{
	struct offnic_map_req req;
	struct onm_map_def def;
	int ret = map_req_parse(sim, in, in_len, true, true, &req, &def);

	(void)out;
	(void)out_len;
	if (ret)
		return ret;
	if (req.flags > ONM_EXIST)
		return -EINVAL;
	return engine_map_update(&sim->ol.eng, req.slot, in + sizeof(req),
				 in + sizeof(req) + def.key_size, req.flags);
}

int ctrl_map_delete(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len)
{
	struct offnic_map_req req;
	struct onm_map_def def;
	int ret = map_req_parse(sim, in, in_len, true, false, &req, &def);

	(void)out;
	(void)out_len;
	if (ret)
		return ret;
	return engine_map_delete(&sim->ol.eng, req.slot, in + sizeof(req));
}

/* has_key = 0: the first key.  A key that is not in the map: the first. */
int ctrl_map_getnext(struct sim *sim, const uint8_t *in, uint32_t in_len,
		     uint8_t *out, uint32_t *out_len)
{
	struct offnic_map_req req;
	struct onm_map_def def;
	bool has_key;
	int ret;

	if (in_len < sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	has_key = req.has_key != 0;
	ret = map_req_parse(sim, in, in_len, has_key, false, &req, &def);
	if (ret)
		return ret;
	ret = engine_map_getnext(&sim->ol.eng, req.slot, has_key ? in + sizeof(req) : NULL,
				 out);
	if (ret)
		return ret;
	*out_len = def.key_size;
	return 0;
}
