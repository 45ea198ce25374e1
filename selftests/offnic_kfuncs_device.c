// SPDX-License-Identifier: GPL-2.0
/*
 * offnic's device kfuncs from syscall programs: run a packet through the
 * program offloaded on a port (the test-run the kernel lacks for
 * offloaded programs) and read a slot's counters; each misuse gets its
 * error; a program type that may not call them is refused at load.
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
#include "kfunc_devrun.h"
#include "kfunc_devrun.skel.h"
#include "offnic_test.h"

FIXTURE(devrun) {
	int ifindex;
	char pci[64];
	struct bpf_object *fw;
	struct kfunc_devrun *skel;
};

static int set_rule(struct bpf_object *fw, __u32 idx, __u8 proto, __u8 action,
		    __u16 dport)
{
	struct fw_rule r = { .proto = proto, .action = action, .dport = dport };
	struct bpf_map *rules = bpf_object__find_map_by_name(fw, "rules");

	return rules ? bpf_map_update_elem(bpf_map__fd(rules), &idx, &r, BPF_ANY) : -1;
}

FIXTURE_SETUP(devrun)
{
	char ifname[IF_NAMESIZE];

	ASSERT_EQ(0, offnic_find(ifname, self->pci, sizeof(self->pci)));
	self->ifindex = if_nametoindex(ifname);
	self->fw = offnic_load_obj("firewall.bpf.o", self->ifindex);
	ASSERT_NE(NULL, self->fw);
	ASSERT_EQ(0, set_rule(self->fw, 0, 17, 1 /* DROP */, 9999));
	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex,
				    bpf_program__fd(bpf_object__next_program(self->fw, NULL)),
				    XDP_FLAGS_HW_MODE, NULL));
	self->skel = kfunc_devrun__open_and_load();
	ASSERT_NE(NULL, self->skel) TH_LOG("loading the syscall programs failed");
}

FIXTURE_TEARDOWN(devrun)
{
	bpf_xdp_detach(self->ifindex, XDP_FLAGS_HW_MODE, NULL);
	kfunc_devrun__destroy(self->skel);
	bpf_object__close(self->fw);
}

/* Run @frame through the slot program on the device. */
static int devrun(struct kfunc_devrun *skel, int ifindex, __u32 slot,
		  const void *frame, __u32 len, int short_buf,
		  struct devrun_buf *out)
{
	struct devrun_args args = { .ifindex = ifindex, .slot = slot,
				    .short_buf = short_buf };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	int buf_fd = bpf_map__fd(skel->maps.buf);
	__u32 zero = 0;

	memset(out, 0, sizeof(*out));
	out->run.len = len;
	memcpy(out->pkt, frame, len);
	if (bpf_map_update_elem(buf_fd, &zero, out, BPF_ANY) ||
	    bpf_prog_test_run_opts(bpf_program__fd(skel->progs.test_run), &opts) ||
	    bpf_map_lookup_elem(buf_fd, &zero, out))
		return -1000;
	return args.ret;
}

TEST_F(devrun, test_run_returns_the_device_verdict_and_cycles)
{
	static struct devrun_buf out;
	__u8 frame[128];
	__u32 len;

	len = offnic_udp_frame(frame, 9999);
	ASSERT_EQ(0, devrun(self->skel, self->ifindex, 0, frame, len, 0, &out));
	EXPECT_EQ(1 /* XDP_DROP */, out.run.verdict);
	EXPECT_LT(0, out.run.cycles);
	EXPECT_LT(0, out.run.bundles);
	EXPECT_EQ(0, out.run.fault_cause);

	len = offnic_udp_frame(frame, 53);
	ASSERT_EQ(0, devrun(self->skel, self->ifindex, 0, frame, len, 0, &out));
	EXPECT_EQ(2 /* XDP_PASS */, out.run.verdict);
	EXPECT_EQ(len, out.run.len);
	EXPECT_EQ(0, memcmp(frame, out.pkt, len));
}

TEST_F(devrun, test_run_without_offloaded_program_is_enoent)
{
	static struct devrun_buf out;
	__u8 frame[128];
	__u32 len = offnic_udp_frame(frame, 53);

	EXPECT_EQ(-ENOENT, devrun(self->skel, self->ifindex, 1 /* tc */, frame,
				  len, 0, &out));
	ASSERT_EQ(0, bpf_xdp_detach(self->ifindex, XDP_FLAGS_HW_MODE, NULL));
	EXPECT_EQ(-ENOENT, devrun(self->skel, self->ifindex, 0, frame, len, 0, &out));
}

TEST_F(devrun, test_run_on_a_non_offnic_port_is_enodev)
{
	static struct devrun_buf out;
	__u8 frame[128];
	__u32 len = offnic_udp_frame(frame, 53);

	EXPECT_EQ(-ENODEV, devrun(self->skel, 1 /* lo */, 0, frame, len, 0, &out));
}

TEST_F(devrun, test_run_with_a_short_buffer_is_einval)
{
	static struct devrun_buf out;
	__u8 frame[128];
	__u32 len = offnic_udp_frame(frame, 53);

	EXPECT_EQ(-EINVAL, devrun(self->skel, self->ifindex, 0, frame, len, 1, &out));
	EXPECT_EQ(-EINVAL, devrun(self->skel, self->ifindex, 0, frame, 10, 0, &out));
}

static int stats(struct kfunc_devrun *skel, int ifindex, __u32 slot,
		 int short_buf, struct devrun_buf *out)
{
	struct devrun_args args = { .ifindex = ifindex, .slot = slot,
				    .short_buf = short_buf };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	__u32 zero = 0;

	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.prog_stats), &opts) ||
	    bpf_map_lookup_elem(bpf_map__fd(skel->maps.buf), &zero, out))
		return -1000;
	return args.ret;
}

TEST_F(devrun, prog_stats_report_the_loaded_program)
{
	static struct devrun_buf out;

	ASSERT_EQ(0, stats(self->skel, self->ifindex, 0, 0, &out));
	EXPECT_EQ(1, out.stats.loaded);
	EXPECT_LT(0, out.stats.n_bundles);
	EXPECT_EQ(-EINVAL, stats(self->skel, self->ifindex, 0, 1, &out));
	EXPECT_EQ(-EINVAL, stats(self->skel, self->ifindex, 7, 0, &out));
	EXPECT_EQ(-ENODEV, stats(self->skel, 1, 0, 0, &out));
}

TEST(xdp_program_calling_the_sleepable_test_run_is_refused)
{
	static char log[1 << 16];
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = log,
		    .kernel_log_size = sizeof(log), .kernel_log_level = 1);
	struct bpf_object *obj;

	obj = bpf_object__open_file("kfunc_misuse.bpf.o", &opts);
	ASSERT_NE(NULL, obj);
	EXPECT_NE(0, bpf_object__load(obj));
	EXPECT_NE(NULL, strstr(log, "bpf_offnic_test_run")) TH_LOG("log: %s", log);
	bpf_object__close(obj);
}

TEST_HARNESS_MAIN
