// SPDX-License-Identifier: GPL-2.0
/*
 * Offload semantics, in the spirit of the kernel's test_offload.py, on a
 * real offnic port: programs bound with prog_ifindex are verified by the
 * kernel, translated by the device JIT, attached in HW mode (alone or
 * beside a driver-mode program), replaced and detached; what the device
 * cannot run is refused with an [offnic] line in the verifier log; the
 * device's maps answer the bpf syscall.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kselftest_harness.h"
#include "firewall.h"
#include "offnic_test.h"

#define FW_OBJ		"firewall.bpf.o"
#define PASS_OBJ	"xdp_pass.bpf.o"

static int first_prog_fd(struct bpf_object *obj)
{
	struct bpf_program *prog = bpf_object__next_program(obj, NULL);

	return prog ? bpf_program__fd(prog) : -1;
}

static __u32 prog_id(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

FIXTURE(offload) {
	int ifindex;
	char ifname[IF_NAMESIZE];
	char pci[64];
	struct bpf_object *fw;
};

FIXTURE_SETUP(offload)
{
	ASSERT_EQ(0, offnic_find(self->ifname, self->pci, sizeof(self->pci)));
	self->ifindex = if_nametoindex(self->ifname);
	ASSERT_NE(0, self->ifindex);
	self->fw = offnic_load_obj(FW_OBJ, self->ifindex);
	ASSERT_NE(NULL, self->fw) TH_LOG("loading the firewall bound to %s failed",
					 self->ifname);
}

FIXTURE_TEARDOWN(offload)
{
	bpf_xdp_detach(self->ifindex, XDP_FLAGS_HW_MODE, NULL);
	bpf_xdp_detach(self->ifindex, XDP_FLAGS_DRV_MODE, NULL);
	bpf_object__close(self->fw);
}

static void query(int ifindex, __u32 *hw_id, __u32 *drv_id)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	bpf_xdp_query(ifindex, 0, &q);
	*hw_id = q.hw_prog_id;
	*drv_id = q.drv_prog_id;
}

TEST_F(offload, xdp_hw_attach_and_detach)
{
	int fd = first_prog_fd(self->fw);
	__u32 hw, drv;

	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, fd, XDP_FLAGS_HW_MODE, NULL));
	query(self->ifindex, &hw, &drv);
	EXPECT_EQ(prog_id(fd), hw);
	EXPECT_EQ(0, drv);
	ASSERT_EQ(0, bpf_xdp_detach(self->ifindex, XDP_FLAGS_HW_MODE, NULL));
	query(self->ifindex, &hw, &drv);
	EXPECT_EQ(0, hw);
}

TEST_F(offload, xdp_hw_replace_keeps_one_program)
{
	struct bpf_object *other = offnic_load_obj(FW_OBJ, self->ifindex);
	int fd = first_prog_fd(self->fw);
	__u32 hw, drv;

	ASSERT_NE(NULL, other);
	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, fd, XDP_FLAGS_HW_MODE, NULL));
	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, first_prog_fd(other),
				    XDP_FLAGS_HW_MODE, NULL));
	query(self->ifindex, &hw, &drv);
	EXPECT_EQ(prog_id(first_prog_fd(other)), hw);
	bpf_xdp_detach(self->ifindex, XDP_FLAGS_HW_MODE, NULL);
	bpf_object__close(other);
}

TEST_F(offload, xdp_drv_and_hw_attach_together)
{
	struct bpf_object *pass = offnic_load_obj(PASS_OBJ, 0);
	int fd = first_prog_fd(self->fw);
	__u32 hw, drv;

	ASSERT_NE(NULL, pass);
	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, fd, XDP_FLAGS_HW_MODE, NULL));
	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, first_prog_fd(pass),
				    XDP_FLAGS_DRV_MODE, NULL));
	query(self->ifindex, &hw, &drv);
	EXPECT_EQ(prog_id(fd), hw);
	EXPECT_EQ(prog_id(first_prog_fd(pass)), drv);
	bpf_xdp_detach(self->ifindex, XDP_FLAGS_DRV_MODE, NULL);
	bpf_xdp_detach(self->ifindex, XDP_FLAGS_HW_MODE, NULL);
	bpf_object__close(pass);
}

TEST_F(offload, unbound_program_in_hw_mode_is_refused)
{
	struct bpf_object *pass = offnic_load_obj(PASS_OBJ, 0);

	ASSERT_NE(NULL, pass);
	EXPECT_EQ(-EINVAL, bpf_xdp_attach(self->ifindex, first_prog_fd(pass),
					  XDP_FLAGS_HW_MODE, NULL));
	bpf_object__close(pass);
}

TEST_F(offload, bound_program_in_drv_mode_is_refused)
{
	EXPECT_NE(0, bpf_xdp_attach(self->ifindex, first_prog_fd(self->fw),
				    XDP_FLAGS_DRV_MODE, NULL));
}

TEST_F(offload, bound_program_on_another_device_is_refused)
{
	EXPECT_NE(0, bpf_xdp_attach(1 /* lo */, first_prog_fd(self->fw),
				    XDP_FLAGS_HW_MODE, NULL));
}

TEST_F(offload, binding_to_a_device_without_offload_is_refused)
{
	EXPECT_EQ(NULL, offnic_load_obj(FW_OBJ, 1 /* lo */));
}

TEST_F(offload, program_survives_link_down_and_up)
{
	int fd = first_prog_fd(self->fw);
	__u32 hw, drv;

	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, fd, XDP_FLAGS_HW_MODE, NULL));
	ASSERT_EQ(0, offnic_set_up(self->ifname, false));
	ASSERT_EQ(0, offnic_set_up(self->ifname, true));
	query(self->ifindex, &hw, &drv);
	EXPECT_EQ(prog_id(fd), hw);
}

/* What the device cannot run fails the load, and the verifier log says
 * which instruction and why.
 */
static int load_raw(int ifindex, const struct bpf_insn *insns, size_t n,
		    char *log, size_t log_size)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .prog_ifindex = ifindex,
		    .log_buf = log,
		    .log_size = log_size,
		    .log_level = 1);

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "raw", "GPL", insns, n, &opts);
}

TEST_F(offload, unsupported_helper_is_refused_with_its_reason)
{
	const struct bpf_insn insns[] = {
		/* call bpf_get_numa_node_id: no device counterpart */
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_numa_node_id },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char log[65536];
	int fd;

	fd = load_raw(self->ifindex, insns, 2, log, sizeof(log));
	EXPECT_LT(fd, 0);
	EXPECT_NE(NULL, strstr(log, "[offnic]")) TH_LOG("log: %s", log);
	EXPECT_NE(NULL, strstr(log, "insn 0")) TH_LOG("log: %s", log);
	if (fd >= 0)
		close(fd);
}

TEST_F(offload, verifier_knob_refuses_every_program)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char log[65536];
	int fd;

	ASSERT_EQ(0, offnic_knob(self->pci, "reject_verify", 1));
	fd = load_raw(self->ifindex, insns, 2, log, sizeof(log));
	offnic_knob(self->pci, "reject_verify", 0);
	EXPECT_LT(fd, 0);
	EXPECT_NE(NULL, strstr(log, "[offnic] insn 0: refused by the debugfs knob"))
		TH_LOG("log: %s", log);
	fd = load_raw(self->ifindex, insns, 2, log, sizeof(log));
	EXPECT_LE(0, fd) TH_LOG("log: %s", log);
	if (fd >= 0)
		close(fd);
}

TEST_F(offload, hw_attach_knob_refuses_with_extack)
{
	EXPECT_EQ(0, offnic_knob(self->pci, "reject_xdp_hw", 1));
	EXPECT_NE(0, bpf_xdp_attach(self->ifindex, first_prog_fd(self->fw),
				    XDP_FLAGS_HW_MODE, NULL));
	offnic_knob(self->pci, "reject_xdp_hw", 0);
}

/* Offloaded maps: the device keeps them, the bpf syscall reaches them. */
FIXTURE(offmap) {
	int ifindex;
	char pci[64];
};

FIXTURE_SETUP(offmap)
{
	char ifname[IF_NAMESIZE];

	ASSERT_EQ(0, offnic_find(ifname, self->pci, sizeof(self->pci)));
	self->ifindex = if_nametoindex(ifname);
}

FIXTURE_TEARDOWN(offmap)
{
}

static int create_map(int ifindex, enum bpf_map_type type, __u32 entries)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_ifindex = ifindex);

	return bpf_map_create(type, "offmap", 4, 8, entries, &opts);
}

TEST_F(offmap, hash_update_lookup_delete_iterate)
{
	int fd = create_map(self->ifindex, BPF_MAP_TYPE_HASH, 4);
	__u32 key, next, seen = 0;
	__u64 val;
	int err;

	ASSERT_LE(0, fd) TH_LOG("offloaded hash map: %s", strerror(errno));
	for (key = 1; key <= 3; key++) {
		val = key * 100;
		ASSERT_EQ(0, bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	}
	key = 2;
	ASSERT_EQ(0, bpf_map_lookup_elem(fd, &key, &val));
	EXPECT_EQ(200, val);
	val = 7;
	EXPECT_EQ(-EEXIST, bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST));
	key = 9;
	EXPECT_EQ(-ENOENT, bpf_map_update_elem(fd, &key, &val, BPF_EXIST));
	EXPECT_EQ(-ENOENT, bpf_map_lookup_elem(fd, &key, &val));

	/* iterate: every key exactly once */
	err = bpf_map_get_next_key(fd, NULL, &key);
	while (!err) {
		seen |= 1U << key;
		err = bpf_map_get_next_key(fd, &key, &next);
		key = next;
	}
	EXPECT_EQ(-ENOENT, err);
	EXPECT_EQ((1U << 1) | (1U << 2) | (1U << 3), seen);

	key = 2;
	EXPECT_EQ(0, bpf_map_delete_elem(fd, &key));
	EXPECT_EQ(-ENOENT, bpf_map_delete_elem(fd, &key));
	EXPECT_EQ(-ENOENT, bpf_map_lookup_elem(fd, &key, &val));
	close(fd);
}

TEST_F(offmap, full_hash_map_refuses_a_new_key)
{
	int fd = create_map(self->ifindex, BPF_MAP_TYPE_HASH, 2);
	__u32 key;
	__u64 val = 1;

	ASSERT_LE(0, fd);
	for (key = 0; key < 2; key++)
		ASSERT_EQ(0, bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	EXPECT_EQ(-E2BIG, bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	key = 1;
	EXPECT_EQ(0, bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	close(fd);
}

TEST_F(offmap, array_elements_exist_and_cannot_be_deleted)
{
	int fd = create_map(self->ifindex, BPF_MAP_TYPE_ARRAY, 4);
	__u32 key = 3;
	__u64 val = 0xdead;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bpf_map_lookup_elem(fd, &key, &val));
	EXPECT_EQ(0, val);
	val = 42;
	ASSERT_EQ(0, bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	val = 0;
	ASSERT_EQ(0, bpf_map_lookup_elem(fd, &key, &val));
	EXPECT_EQ(42, val);
	EXPECT_EQ(-EINVAL, bpf_map_delete_elem(fd, &key));
	key = 4;
	EXPECT_NE(0, bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	close(fd);
}

TEST_F(offmap, unsupported_map_type_is_refused)
{
	EXPECT_GT(0, create_map(self->ifindex, BPF_MAP_TYPE_LRU_HASH, 4));
}

TEST_F(offmap, map_alloc_knob_refuses)
{
	int fd;

	ASSERT_EQ(0, offnic_knob(self->pci, "reject_map_alloc", 1));
	fd = create_map(self->ifindex, BPF_MAP_TYPE_HASH, 4);
	offnic_knob(self->pci, "reject_map_alloc", 0);
	EXPECT_GT(0, fd);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
