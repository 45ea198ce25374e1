// SPDX-License-Identifier: GPL-2.0
/*
 * offnic's kfunc, called from a BPF syscall program, returns what the
 * device reports and refuses what is not an offnic device.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kselftest_harness.h"
#include "offnic_abi.h"
#include "kfunc_counter.h"
#include "kfunc_counter.skel.h"
#include "offnic_test.h"

FIXTURE(kfunc) {
	struct kfunc_counter *skel;
	int ifindex;
	char pci[64];
};

FIXTURE_SETUP(kfunc)
{
	char ifname[IF_NAMESIZE];

	ASSERT_EQ(0, access("/sys/kernel/btf/offnic", R_OK))
		TH_LOG("offnic.ko has no module BTF: kfuncs are not registered");
	ASSERT_EQ(0, offnic_find(ifname, self->pci, sizeof(self->pci)))
		TH_LOG("no offnic netdev");
	self->ifindex = if_nametoindex(ifname);
	ASSERT_NE(0, self->ifindex);
	self->skel = kfunc_counter__open_and_load();
	ASSERT_NE(NULL, self->skel) TH_LOG("loading the kfunc program failed");
}

FIXTURE_TEARDOWN(kfunc)
{
	kfunc_counter__destroy(self->skel);
}

static __s64 call_kfunc(struct kfunc_counter *skel, int ifindex, __u32 id)
{
	struct kfunc_counter_args args = { .ifindex = ifindex, .id = id };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.read_counter),
				     &opts);
	if (err)
		return -1000 + err;
	return args.ret;
}

/* Every device counter read through the kfunc lies between two reads of
 * the same counter over the control queue (debugfs).
 */
TEST_F(kfunc, counter_matches_device_control_queue)
{
	static const char * const names[] = {
		[OFFNIC_CNT_RX_FRAMES] = "rx_frames",
		[OFFNIC_CNT_TX_FRAMES] = "tx_frames",
		[OFFNIC_CNT_RX_DROPS] = "rx_drops_no_buffer",
	};
	__u32 id;

	for (id = 0; id < sizeof(names) / sizeof(names[0]); id++) {
		long long before, after;
		__s64 val;

		before = offnic_debugfs_counter(self->pci, names[id]);
		val = call_kfunc(self->skel, self->ifindex, id);
		after = offnic_debugfs_counter(self->pci, names[id]);
		ASSERT_LE(0, before) TH_LOG("debugfs counter %s", names[id]);
		EXPECT_LE(before, val) TH_LOG("%s: kfunc %lld < device %lld",
					      names[id], (long long)val, before);
		EXPECT_GE(after, val) TH_LOG("%s: kfunc %lld > device %lld",
					     names[id], (long long)val, after);
	}
}

/* The counter moves with real traffic: frames sent through the port are
 * seen by the device and reported through the kfunc.
 */
TEST_F(kfunc, tx_counter_follows_traffic)
{
	__s64 before, after;

	before = call_kfunc(self->skel, self->ifindex, OFFNIC_CNT_TX_FRAMES);
	ASSERT_LE(0, before);
	ASSERT_EQ(0, offnic_send_frames(self->ifindex, 5));
	/* The device counts asynchronously: give it up to 10 s under TCG. */
	for (int i = 0; i < 100; i++) {
		after = call_kfunc(self->skel, self->ifindex, OFFNIC_CNT_TX_FRAMES);
		if (after >= before + 5)
			break;
		usleep(100 * 1000);
	}
	EXPECT_LE(before + 5, after);
}

TEST_F(kfunc, unknown_counter_is_einval)
{
	EXPECT_EQ(-EINVAL, call_kfunc(self->skel, self->ifindex, 999));
}

TEST_F(kfunc, non_offnic_ifindex_is_enodev)
{
	EXPECT_EQ(-ENODEV, call_kfunc(self->skel, 1 /* lo */, 0));
	EXPECT_EQ(-ENODEV, call_kfunc(self->skel, 0x7fffffff, 0));
}

TEST_HARNESS_MAIN
