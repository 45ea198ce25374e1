// SPDX-License-Identifier: GPL-2.0
/*
 * offnic debugfs: /sys/kernel/debug/offnic/<pci address>/
 *   identify   what the device said about itself
 *   counters   device counters, read over the control queue
 *   rings      driver and device ring indices
 *   health     heartbeat and liveness
 *   errors     what the device did wrong and the driver refused, by kind
 *   xdp_hw/, tc/   per device program slot:
 *       listing    the loaded microcode, disassembled, with BPF insn numbers
 *       stats      packets, verdicts, cycles and faults the device counted;
 *                  the last packets' cycles and verdicts (recent_*)
 *       faults     the device's last fault records
 *   knobs/     booleans that force error paths (reject_verify,
 *              reject_map_alloc, reject_xdp_hw, reject_tc)
 *   inject     make the device misbehave: crash, hang, bad_rx [len|long|
 *              meta|flags], reboot MS (firmware crash, restart after MS),
 *              ctrl_delay MS (answer the next control request MS late),
 *              tx_pause, tx_resume, tx_resume_quiet (hold, release the
 *              TX ring; quiet: the held frames wait for a new doorbell)
 */
#include <linux/bpf.h>
#include <linux/debugfs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/pkt_cls.h>

#include "offnic.h"
#include "../hw/isa/offnic_isa.h"

static struct dentry *offnic_dbg_root;

static int offnic_identify_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;

	seq_printf(m, "name: %s\nabi: %u\nengine: %u\nlanes: %u\ncores: %u\nfeatures: %#llx\n",
		   nic->ident.name, READ_ONCE(nic->hdr->abi_version),
		   nic->ident.engine, nic->ident.lanes, nic->ident.cores,
		   nic->ident.features);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_identify);

static int offnic_counters_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;
	u64 val;
	int i, err;

	for (i = 0; i < OFFNIC_CNT_MAX; i++) {
		err = offnic_ctrl_read_counter(nic, i, &val);
		if (err)
			seq_printf(m, "%s: error %d\n", offnic_counter_names[i], err);
		else
			seq_printf(m, "%s: %llu\n", offnic_counter_names[i], val);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_counters);

static int offnic_rings_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;

	seq_printf(m, "tx: driver prod %u clean %u, device cons %u\n",
		   nic->tx_prod, nic->tx_clean, READ_ONCE(nic->txr->idx.cons));
	seq_printf(m, "rx: driver prod %u cons %u, device cons %u\n",
		   nic->rx_prod, nic->rx_cons, READ_ONCE(nic->rxr->idx.cons));
	seq_printf(m, "bad descriptors: %lld\n", atomic64_read(&nic->bad_desc));
	seq_printf(m, "tx queue: %s, timeouts %lld\n",
		   netif_queue_stopped(nic->netdev) ? "stopped" : "awake",
		   atomic64_read(&nic->tx_timeouts));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_rings);

static int offnic_health_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;

	seq_printf(m, "heartbeat: %llu\nmisses: %u\ndead: %d\n",
		   READ_ONCE(nic->hdr->heartbeat), nic->heartbeat_misses,
		   READ_ONCE(nic->dead));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_health);

static int offnic_errors_show(struct seq_file *m, void *v)
{
	struct offnic *nic = m->private;
	const struct offnic_err_stats *e = &nic->err;

	seq_printf(m, "rx_bad_len: %lld\nrx_bad_meta: %lld\nrx_bad_flags: %lld\n",
		   atomic64_read(&e->rx_bad_len), atomic64_read(&e->rx_bad_meta),
		   atomic64_read(&e->rx_bad_flags));
	seq_printf(m, "ring_bad_index: %lld\nctrl_bad_reply: %lld\nctrl_timeouts: %lld\n",
		   atomic64_read(&e->ring_bad_index),
		   atomic64_read(&e->ctrl_bad_reply),
		   atomic64_read(&e->ctrl_timeouts));
	seq_printf(m, "dev_deaths: %lld\ndev_resets: %lld\ndev_reset_fail: %lld\n",
		   atomic64_read(&e->dev_deaths), atomic64_read(&e->dev_resets),
		   atomic64_read(&e->dev_reset_fail));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_errors);

struct offnic_slot_file {
	struct offnic *nic;
	u32 slot;
};

static struct bpf_prog *offnic_slot_prog(struct offnic *nic, u32 slot)
{
	return slot == OFFNIC_SLOT_XDP ? nic->xdp_hw.prog : nic->tc_prog;
}

static int offnic_listing_show(struct seq_file *m, void *v)
{
	struct offnic_slot_file *sf = m->private;
	const struct offnic_image_hdr *hdr;
	const struct offnic_prog *op;
	const __u32 *lines;
	const u64 *bundles;
	struct bpf_prog *prog;
	char text[96];
	u32 b, l;

	rtnl_lock();
	prog = offnic_slot_prog(sf->nic, sf->slot);
	if (!prog) {
		seq_puts(m, "no program\n");
		goto out;
	}
	op = prog->aux->offload->dev_priv;
	hdr = op->image;
	bundles = offnic_image_words(hdr);
	lines = offnic_image_lines(hdr);
	seq_printf(m, "# prog id %u: %u BPF insns -> %u bundles x %u lanes, %u consts, %u maps\n",
		   prog->aux->id, hdr->bpf_insns, hdr->n_bundles, hdr->lanes,
		   hdr->n_consts, hdr->n_maps);
	for (b = 0; b < hdr->n_bundles; b++) {
		if (lines)
			seq_printf(m, "%4u: ; bpf insn %u\n", b, lines[b]);
		for (l = 0; l < hdr->lanes; l++) {
			u64 w = bundles[(u64)b * hdr->lanes + l];

			if (!w)
				continue;
			onm_disasm_uop(w, text, sizeof(text));
			seq_printf(m, "      [%u] %016llx  %s\n", l, w, text);
		}
	}
out:
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_listing);

/* The device counts verdicts by value; each slot names them as its hook. */
static const char * const offnic_xdp_verdicts[] = {
	[XDP_ABORTED] = "aborted", [XDP_DROP] = "drop", [XDP_PASS] = "pass",
	[XDP_TX] = "tx", [XDP_REDIRECT] = "redirect",
};

static const char * const offnic_tc_verdicts[] = {
	[TC_ACT_OK] = "ok", [TC_ACT_RECLASSIFY] = "reclassify",
	[TC_ACT_SHOT] = "shot", [TC_ACT_PIPE] = "pipe",
	[TC_ACT_STOLEN] = "stolen", [TC_ACT_QUEUED] = "queued",
	[TC_ACT_REPEAT] = "repeat", [TC_ACT_REDIRECT] = "redirect",
};

static int offnic_stats_show(struct seq_file *m, void *v)
{
	struct offnic_slot_file *sf = m->private;
	const char * const *verdicts = offnic_xdp_verdicts;
	u32 n_verdicts = ARRAY_SIZE(offnic_xdp_verdicts);
	struct offnic_prog_req req = { .slot = sf->slot };
	struct offnic_prog_stats *st;
	u32 used = 0, n_recent;
	int err, i;

	st = kmalloc(sizeof(*st), GFP_KERNEL);	/* too big for the stack */
	if (!st)
		return -ENOMEM;
	err = offnic_ctrl_cmd(sf->nic, OFFNIC_CMD_PROG_STATS, &req, sizeof(req),
			      st, sizeof(*st), &used);
	if (!err && used != sizeof(*st))
		err = -EPROTO;
	if (err) {
		seq_printf(m, "error %d\n", err);
		goto out;
	}
	seq_printf(m, "loaded: %u\nbundles: %u\npackets: %llu\nfaults: %llu\n",
		   st->loaded, st->n_bundles, st->packets, st->faults);
	if (sf->slot == OFFNIC_SLOT_TC) {
		verdicts = offnic_tc_verdicts;
		n_verdicts = ARRAY_SIZE(offnic_tc_verdicts);
	}
	for (i = 0; i < n_verdicts; i++)
		seq_printf(m, "verdict_%s: %llu\n", verdicts[i], st->verdicts[i]);
	seq_printf(m, "cycles_total: %llu\ncycles_min: %llu\ncycles_max: %llu\nbundles_total: %llu\n",
		   st->cycles_total, st->cycles_min, st->cycles_max,
		   st->bundles_total);
	/* the window of the last packets: cycles, and the verdict of each
	 * at the same position
	 */
	n_recent = min_t(u32, st->n_recent, OFFNIC_RECENT_CYCLES);
	seq_puts(m, "recent_cycles:");
	for (i = 0; i < n_recent; i++)
		seq_printf(m, " %u", st->recent_cycles[i]);
	seq_puts(m, "\nrecent_verdicts:");
	for (i = 0; i < n_recent; i++)
		seq_printf(m, " %u", st->recent_verdicts[i]);
	seq_putc(m, '\n');
out:
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_stats);

static int offnic_faults_show(struct seq_file *m, void *v)
{
	struct offnic_slot_file *sf = m->private;
	struct offnic_prog_req req = { .slot = sf->slot };
	struct offnic_fault_rec *recs;
	u32 used = 0, i;
	int err;

	recs = kcalloc(OFFNIC_MAX_FAULT_RECS, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	err = offnic_ctrl_cmd(sf->nic, OFFNIC_CMD_READ_FAULTS, &req, sizeof(req),
			      recs, OFFNIC_MAX_FAULT_RECS * sizeof(*recs), &used);
	if (err)
		seq_printf(m, "error %d\n", err);
	for (i = 0; !err && i < used / sizeof(*recs); i++)
		seq_printf(m, "fault %llu: pc %u lane %u cause %u addr %#llx\n",
			   recs[i].seq, recs[i].pc, recs[i].lane, recs[i].cause,
			   recs[i].addr);
	kfree(recs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(offnic_faults);

static const char * const offnic_bad_rx_names[] = {
	[OFFNIC_BAD_RX_LEN]	= "len",
	[OFFNIC_BAD_RX_LONG]	= "long",
	[OFFNIC_BAD_RX_META]	= "meta",
	[OFFNIC_BAD_RX_FLAGS]	= "flags",
};

/* "what [arg]" -> the request; 0 or -EINVAL. */
static int offnic_inject_parse(char *buf, struct offnic_inject_req *req)
{
	char *what = strim(buf), *arg = what;
	int i;

	strsep(&arg, " ");
	if (!strcmp(what, "crash") || !strcmp(what, "hang")) {
		req->what = what[0] == 'c' ? OFFNIC_INJECT_CRASH : OFFNIC_INJECT_HANG;
		return arg ? -EINVAL : 0;
	}
	if (!strcmp(what, "bad_rx")) {
		req->what = OFFNIC_INJECT_BAD_RX;
		if (!arg)
			return 0;
		i = match_string(offnic_bad_rx_names,
				 ARRAY_SIZE(offnic_bad_rx_names), arg);
		if (i < 0)
			return -EINVAL;
		req->arg = i;
		return 0;
	}
	if (!strcmp(what, "tx_pause") || !strcmp(what, "tx_resume") ||
	    !strcmp(what, "tx_resume_quiet")) {
		req->what = !strcmp(what, "tx_pause") ? OFFNIC_INJECT_TX_PAUSE :
			    !strcmp(what, "tx_resume") ? OFFNIC_INJECT_TX_RESUME :
			    OFFNIC_INJECT_TX_RESUME_QUIET;
		return arg ? -EINVAL : 0;
	}
	if (!strcmp(what, "reboot"))
		req->what = OFFNIC_INJECT_REBOOT;
	else if (!strcmp(what, "ctrl_delay"))
		req->what = OFFNIC_INJECT_CTRL_DELAY;
	else
		return -EINVAL;
	if (!arg || kstrtou32(arg, 10, &req->arg) || !req->arg)
		return -EINVAL;
	return 0;
}

static ssize_t offnic_inject_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct offnic *nic = file->private_data;
	struct offnic_inject_req req = { };
	char buf[32];
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (offnic_inject_parse(buf, &req))
		return -EINVAL;
	/* A crashing device never answers: do not wait for it. */
	if (req.what == OFFNIC_INJECT_CRASH || req.what == OFFNIC_INJECT_HANG ||
	    req.what == OFFNIC_INJECT_REBOOT) {
		mutex_lock(&nic->ctrl_lock);
		memcpy(nic->ctrl->req.payload, &req, sizeof(req));
		WRITE_ONCE(nic->ctrl->req.op, OFFNIC_CMD_INJECT);
		WRITE_ONCE(nic->ctrl->req.len, sizeof(req));
		dma_wmb();
		WRITE_ONCE(nic->ctrl->req.seq, ++nic->ctrl_seq);
		mutex_unlock(&nic->ctrl_lock);
		offnic_doorbell(nic, OFFNIC_DB_CTRL);
		return count;
	}
	err = offnic_ctrl_cmd(nic, OFFNIC_CMD_INJECT, &req, sizeof(req),
			      NULL, 0, NULL);
	return err ? err : count;
}

static const struct file_operations offnic_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = offnic_inject_write,
	.llseek = noop_llseek,
};

static void offnic_debugfs_slot(struct offnic *nic, u32 slot, const char *name)
{
	struct offnic_slot_file *sf;
	struct dentry *dir;

	sf = devm_kzalloc(&nic->pdev->dev, sizeof(*sf), GFP_KERNEL);
	if (!sf)
		return;
	sf->nic = nic;
	sf->slot = slot;
	dir = debugfs_create_dir(name, nic->dbg_dir);
	debugfs_create_file("listing", 0400, dir, sf, &offnic_listing_fops);
	debugfs_create_file("stats", 0400, dir, sf, &offnic_stats_fops);
	debugfs_create_file("faults", 0400, dir, sf, &offnic_faults_fops);
}

void offnic_debugfs_add(struct offnic *nic)
{
	struct dentry *knobs;

	nic->dbg_dir = debugfs_create_dir(pci_name(nic->pdev), offnic_dbg_root);
	debugfs_create_file("identify", 0400, nic->dbg_dir, nic,
			    &offnic_identify_fops);
	debugfs_create_file("counters", 0400, nic->dbg_dir, nic,
			    &offnic_counters_fops);
	debugfs_create_file("rings", 0400, nic->dbg_dir, nic,
			    &offnic_rings_fops);
	debugfs_create_file("health", 0400, nic->dbg_dir, nic,
			    &offnic_health_fops);
	debugfs_create_file("errors", 0400, nic->dbg_dir, nic,
			    &offnic_errors_fops);
	debugfs_create_file("inject", 0200, nic->dbg_dir, nic,
			    &offnic_inject_fops);
	offnic_debugfs_slot(nic, OFFNIC_SLOT_XDP, "xdp_hw");
	offnic_debugfs_slot(nic, OFFNIC_SLOT_TC, "tc");

	knobs = debugfs_create_dir("knobs", nic->dbg_dir);
	debugfs_create_bool("reject_verify", 0600, knobs,
			    &nic->knobs.reject_verify);
	debugfs_create_bool("reject_map_alloc", 0600, knobs,
			    &nic->knobs.reject_map_alloc);
	debugfs_create_bool("reject_xdp_hw", 0600, knobs,
			    &nic->knobs.reject_xdp_hw);
	debugfs_create_bool("reject_tc", 0600, knobs, &nic->knobs.reject_tc);
}

void offnic_debugfs_del(struct offnic *nic)
{
	debugfs_remove_recursive(nic->dbg_dir);
}

void offnic_debugfs_init(void)
{
	offnic_dbg_root = debugfs_create_dir(OFFNIC_DRV_NAME, NULL);
}

void offnic_debugfs_exit(void)
{
	debugfs_remove_recursive(offnic_dbg_root);
}
