// SPDX-License-Identifier: GPL-2.0
/*
 * offnic offloaded maps: ARRAY and HASH maps live in the device's memory,
 * where the offloaded program uses them; the host reaches them through
 * the control queue (the bpf syscall calls these in process context).
 */
#include <linux/bpf.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "offnic.h"

static struct offnic_map *offnic_map_of(struct bpf_offloaded_map *offmap)
{
	return offmap->dev_priv;
}

/* One map request: header, then key and value as the op needs them. */
static int offnic_map_cmd(struct bpf_offloaded_map *offmap, u32 op,
			  u32 flags, const void *key, const void *value,
			  void *out, u32 out_len)
{
	struct offnic_map *m = offnic_map_of(offmap);
	u32 klen = key ? offmap->map.key_size : 0;
	u32 vlen = value ? offmap->map.value_size : 0;
	struct offnic_map_req *req;
	u32 used = 0;
	int err;

	req = kzalloc(sizeof(*req) + klen + vlen, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->slot = READ_ONCE(m->slot);
	req->flags = flags;
	req->has_key = !!key;
	if (key)
		memcpy(req + 1, key, klen);
	if (value)
		memcpy((u8 *)(req + 1) + klen, value, vlen);
	err = offnic_ctrl_cmd(m->nic, op, req, sizeof(*req) + klen + vlen,
			      out, out_len, &used);
	kfree(req);
	if (!err && used != out_len)
		err = -EPROTO;
	return err;
}

static int offnic_map_lookup(struct bpf_offloaded_map *offmap, void *key,
			     void *value)
{
	return offnic_map_cmd(offmap, OFFNIC_CMD_MAP_LOOKUP, 0, key, NULL,
			      value, offmap->map.value_size);
}

static int offnic_map_update(struct bpf_offloaded_map *offmap, void *key,
			     void *value, u64 flags)
{
	return offnic_map_cmd(offmap, OFFNIC_CMD_MAP_UPDATE, flags, key, value,
			      NULL, 0);
}

static int offnic_map_delete(struct bpf_offloaded_map *offmap, void *key)
{
	/* Array elements always exist, as with host arrays. */
	if (offmap->map.map_type == BPF_MAP_TYPE_ARRAY)
		return -EINVAL;
	return offnic_map_cmd(offmap, OFFNIC_CMD_MAP_DELETE, 0, key, NULL,
			      NULL, 0);
}

static int offnic_map_get_next_key(struct bpf_offloaded_map *offmap,
				   void *key, void *next_key)
{
	return offnic_map_cmd(offmap, OFFNIC_CMD_MAP_GETNEXT, 0, key, NULL,
			      next_key, offmap->map.key_size);
}

static const struct bpf_map_dev_ops offnic_map_dev_ops = {
	.map_get_next_key	= offnic_map_get_next_key,
	.map_lookup_elem	= offnic_map_lookup,
	.map_update_elem	= offnic_map_update,
	.map_delete_elem	= offnic_map_delete,
};

/* Create the map on the device; its slot, or -errno. */
static int offnic_map_create(struct offnic *nic, const struct bpf_map *map)
{
	struct offnic_map_alloc_req req = {
		.key_size = map->key_size,
		.value_size = map->value_size,
		.max_entries = map->max_entries,
		.flags = map->map_flags,
	};
	struct offnic_map_alloc_resp resp;
	u32 used = 0;
	int err;

	if (map->map_type == BPF_MAP_TYPE_ARRAY)
		req.type = OFFNIC_MAP_ARRAY;
	else if (map->map_type == BPF_MAP_TYPE_HASH)
		req.type = OFFNIC_MAP_HASH;
	else
		return -EOPNOTSUPP;
	err = offnic_ctrl_cmd(nic, OFFNIC_CMD_MAP_ALLOC, &req, sizeof(req),
			      &resp, sizeof(resp), &used);
	if (!err && (used != sizeof(resp) || resp.slot >= OFFNIC_MAX_MAPS))
		err = -EPROTO;
	return err ? err : resp.slot;
}

int offnic_map_alloc(struct offnic *nic, struct bpf_offloaded_map *offmap)
{
	struct bpf_map *map = &offmap->map;
	struct offnic_map *m;
	int slot;

	if (map->map_type != BPF_MAP_TYPE_ARRAY &&
	    map->map_type != BPF_MAP_TYPE_HASH)
		return -EOPNOTSUPP;
	if (map->key_size > OFFNIC_MAX_KEY ||
	    map->value_size > OFFNIC_MAX_VALUE || map->map_flags)
		return -EOPNOTSUPP;
	if (READ_ONCE(nic->knobs.reject_map_alloc))
		return -EOPNOTSUPP;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	slot = offnic_map_create(nic, map);
	if (slot < 0) {
		kfree(m);
		return slot;
	}
	m->nic = nic;
	m->offmap = offmap;
	m->slot = slot;
	offmap->dev_ops = &offnic_map_dev_ops;
	offmap->dev_priv = m;
	/* The offload core calls alloc and free under rtnl. */
	list_add_tail(&m->node, &nic->maps);
	return 0;
}

/**
 * offnic_maps_restore() - create every offloaded map again after a reset
 * @nic: the device, just reset (it holds no map)
 *
 * The maps come back empty: their contents lived in device memory only.
 * Called under rtnl, as alloc and free are.  Return: 0 or -errno.
 */
int offnic_maps_restore(struct offnic *nic)
{
	struct offnic_map *m;
	int slot;

	ASSERT_RTNL();
	list_for_each_entry(m, &nic->maps, node) {
		slot = offnic_map_create(nic, &m->offmap->map);
		if (slot < 0)
			return slot;
		WRITE_ONCE(m->slot, slot);
	}
	return 0;
}

void offnic_map_free(struct offnic *nic, struct bpf_offloaded_map *offmap)
{
	struct offnic_map *m = offnic_map_of(offmap);
	struct offnic_map_req req = { .slot = m->slot };

	offnic_ctrl_cmd(nic, OFFNIC_CMD_MAP_FREE, &req, sizeof(req),
			NULL, 0, NULL);
	list_del(&m->node);
	kfree(m);
}
