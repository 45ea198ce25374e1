// SPDX-License-Identifier: GPL-2.0
/*
 * offnic control queue: one request slot, one response slot, a doorbell
 * and an interrupt.  Requests are serialised by ctrl_lock; the response is
 * matched by sequence number and every field of it is validated.
 *
 * A slow or malformed answer fails its own request (-ETIMEDOUT, -EPROTO)
 * and is counted; only OFFNIC_CTRL_MAX_TIMEOUTS timeouts in a row fail the
 * device.  A late answer carries an old seq and is never taken for a new
 * request's.
 */
#include <linux/interrupt.h>
#include <linux/string.h>

#include "offnic.h"

/* enum offnic_counter, as ethtool and debugfs name them */
const char * const offnic_counter_names[OFFNIC_CNT_MAX] = {
	[OFFNIC_CNT_RX_FRAMES]	= "rx_frames",
	[OFFNIC_CNT_TX_FRAMES]	= "tx_frames",
	[OFFNIC_CNT_RX_DROPS]	= "rx_drops_no_buffer",
	[OFFNIC_CNT_CTRL_CMDS]	= "ctrl_cmds",
	[OFFNIC_CNT_UPTIME_US]	= "uptime_us",
	[OFFNIC_CNT_TX_ERRORS]	= "tx_errors",
	[OFFNIC_CNT_RX_ERRORS]	= "rx_errors",
	[OFFNIC_CNT_WIRE_OVERFLOW] = "wire_overflow",
	[OFFNIC_CNT_QUEUE_DROPS] = "queue_drops",
	[OFFNIC_CNT_PROG_DROPS]	= "prog_drops",
	[OFFNIC_CNT_PROG_TX]	= "prog_tx",
	[OFFNIC_CNT_IRQS]	= "irqs",
};

irqreturn_t offnic_ctrl_irq(int irq, void *data)
{
	struct offnic *nic = data;

	complete(&nic->ctrl_done);
	return IRQ_HANDLED;
}

static bool offnic_ctrl_answered(struct offnic *nic, u32 seq)
{
	/* Pairs with the device writing resp.seq after the response body. */
	if (READ_ONCE(nic->ctrl->resp.seq) != seq)
		return false;
	dma_rmb();
	return true;
}

static int offnic_ctrl_wait(struct offnic *nic, u32 seq, bool even_dead)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(OFFNIC_CTRL_TIMEOUT_MS);

	while (!offnic_ctrl_answered(nic, seq)) {
		if (!even_dead && READ_ONCE(nic->dead))
			return -EIO;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		wait_for_completion_timeout(&nic->ctrl_done,
					    msecs_to_jiffies(100));
	}
	return 0;
}

static void offnic_ctrl_bad_reply(struct offnic *nic, u32 op, s32 status,
				  u32 len, u32 max)
{
	atomic64_inc(&nic->err.ctrl_bad_reply);
	dev_warn_ratelimited(&nic->pdev->dev,
			     "malformed control answer to op %u dropped: status %d len %u (max %u)\n",
			     op, status, len, max);
}

static void offnic_ctrl_timed_out(struct offnic *nic, u32 op)
{
	atomic64_inc(&nic->err.ctrl_timeouts);
	dev_warn_ratelimited(&nic->pdev->dev,
			     "control op %u: no answer in %u ms\n", op,
			     OFFNIC_CTRL_TIMEOUT_MS);
	if (++nic->ctrl_timeouts_in_row >= OFFNIC_CTRL_MAX_TIMEOUTS)
		offnic_mark_dead(nic, "control queue timed out repeatedly");
}

static int offnic_ctrl_run(struct offnic *nic, u32 op, const void *req,
			   u32 req_len, void *resp, u32 resp_len,
			   u32 *resp_used, bool even_dead)
{
	struct offnic_ctrl *ctrl = nic->ctrl;
	u32 seq, len;
	s32 status;
	int err;

	if (req_len > OFFNIC_CTRL_PAYLOAD_MAX)
		return -E2BIG;
	if (!even_dead && READ_ONCE(nic->dead))
		return -EIO;

	mutex_lock(&nic->ctrl_lock);
	seq = ++nic->ctrl_seq;
	reinit_completion(&nic->ctrl_done);
	if (req_len)
		memcpy(ctrl->req.payload, req, req_len);
	WRITE_ONCE(ctrl->req.op, op);
	WRITE_ONCE(ctrl->req.len, req_len);
	dma_wmb();
	WRITE_ONCE(ctrl->req.seq, seq);
	offnic_doorbell(nic, OFFNIC_DB_CTRL);

	err = offnic_ctrl_wait(nic, seq, even_dead);
	if (err) {
		if (err == -ETIMEDOUT)
			offnic_ctrl_timed_out(nic, op);
		goto out;
	}
	nic->ctrl_timeouts_in_row = 0;

	status = READ_ONCE(ctrl->resp.status);
	len = READ_ONCE(ctrl->resp.len);
	if (status > 0 || status < -MAX_ERRNO || len > OFFNIC_CTRL_PAYLOAD_MAX) {
		offnic_ctrl_bad_reply(nic, op, status, len, OFFNIC_CTRL_PAYLOAD_MAX);
		err = -EPROTO;
		goto out;
	}
	err = status;
	if (err)
		goto out;
	if (len > resp_len) {
		offnic_ctrl_bad_reply(nic, op, status, len, resp_len);
		err = -EPROTO;
		goto out;
	}
	memcpy(resp, ctrl->resp.payload, len);
	if (resp_used)
		*resp_used = len;
out:
	mutex_unlock(&nic->ctrl_lock);
	return err;
}

/**
 * offnic_ctrl_cmd() - run one control request on the device
 * @nic: the device
 * @op: enum offnic_ctrl_op
 * @req: request payload
 * @req_len: request payload length
 * @resp: buffer for the response payload
 * @resp_len: size of @resp
 * @resp_used: if not NULL, receives the response payload length
 *
 * Sleeps.  Return: the device's status (0 or a negative errno), or
 * -ETIMEDOUT when the device does not answer in time, -EIO when it is dead,
 * or -EPROTO when its answer is malformed.
 */
int offnic_ctrl_cmd(struct offnic *nic, u32 op, const void *req, u32 req_len,
		    void *resp, u32 resp_len, u32 *resp_used)
{
	return offnic_ctrl_run(nic, op, req, req_len, resp, resp_len,
			       resp_used, false);
}

static int offnic_ctrl_do_identify(struct offnic *nic, bool even_dead)
{
	struct offnic_identify *id = &nic->ident;
	u32 used = 0;
	int err;

	err = offnic_ctrl_run(nic, OFFNIC_CMD_IDENTIFY, NULL, 0,
			      id, sizeof(*id), &used, even_dead);
	if (err)
		return err;
	if (used != sizeof(*id)) {
		offnic_ctrl_bad_reply(nic, OFFNIC_CMD_IDENTIFY, 0, used,
				      sizeof(*id));
		return -EPROTO;
	}
	id->name[sizeof(id->name) - 1] = '\0';
	return 0;
}

int offnic_ctrl_identify(struct offnic *nic)
{
	return offnic_ctrl_do_identify(nic, false);
}

/**
 * offnic_ctrl_handshake() - bring a device back to its power-on state
 * @nic: the device, whose datapath is stopped (dead)
 *
 * Checks the header as probe does, continues the control sequence from
 * the device's, asks for a RESET (a device that restarted on its own is
 * reset again, harmlessly) and IDENTIFY.  Sleeps.  Return: 0 or -errno.
 */
int offnic_ctrl_handshake(struct offnic *nic)
{
	int err;

	err = offnic_check_header(nic);
	if (err)
		return err;
	mutex_lock(&nic->ctrl_lock);
	nic->ctrl_seq = READ_ONCE(nic->ctrl->resp.seq);
	nic->ctrl_timeouts_in_row = 0;
	mutex_unlock(&nic->ctrl_lock);
	err = offnic_ctrl_run(nic, OFFNIC_CMD_RESET, NULL, 0, NULL, 0, NULL,
			      true);
	if (err)
		return err;
	return offnic_ctrl_do_identify(nic, true);
}

int offnic_ctrl_read_counter(struct offnic *nic, u32 id, u64 *val)
{
	struct offnic_counter_req req = { .id = id };
	u32 used = 0;
	int err;

	err = offnic_ctrl_cmd(nic, OFFNIC_CMD_READ_COUNTER, &req, sizeof(req),
			      val, sizeof(*val), &used);
	if (!err && used != sizeof(*val))
		err = -EPROTO;
	return err;
}
