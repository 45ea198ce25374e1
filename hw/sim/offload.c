// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The datapath's engine stage: a wire frame runs the XDP program, then,
 * if it passed, the tc program.  Verdicts become datapath actions, the
 * (possibly rewritten) frame goes back into the device's packet memory,
 * per-slot statistics and fault records are kept, and the engine's event
 * records go to the host's event ring.
 */
#include <errno.h>
#include <string.h>

#include "flowhash.h"
#include "log.h"
#include "offload.h"
#include "offnic_image.h"
#include "offnic_isa.h"

#define ETH_HLEN		14
#define TC_ACT_UNSPEC		0xffffffffU
#define TC_ACT_OK		0
#define TC_ACT_SHOT		2
#define TC_ACT_REDIRECT		7
#define BPF_F_INGRESS		1

int offload_init(struct offload *ol, const char *engine_kind, uint8_t *shm_base,
		 struct sim_stats *stats)
{
	memset(ol, 0, sizeof(*ol));
	ol->evring = (struct offnic_event_ring *)(shm_base + OFFNIC_EVRING_OFF);
	ol->stats = stats;
	return engine_create(&ol->eng, engine_kind);
}

void offload_fini(struct offload *ol)
{
	engine_destroy(&ol->eng);
}

/* The event ring was just zeroed with the rest of BAR2. */
void offload_power_on(struct offload *ol)
{
	ol->ev_prod = 0;
}

int offload_run(struct offload *ol, uint32_t slot, const uint8_t *frame,
		uint32_t len, struct onm_pkt_out *out)
{
	struct onm_pkt_in in = {
		.frame = frame,
		.len = len,
		.headroom = OFFNIC_RX_HEADROOM,
	};

	in.ctx[ONM_CTX_IFINDEX] = ol->slot[slot].ifindex;
	in.ctx[ONM_CTX_HASH] = flow_hash(frame, len);
	/* __sk_buff.protocol: the ethertype in network byte order */
	if (len >= ETH_HLEN)
		in.ctx[ONM_CTX_PROTOCOL] = (uint32_t)frame[12] | (uint32_t)frame[13] << 8;
	return engine_run(&ol->eng, slot, &in, out);
}

static bool evring_full(struct offload *ol)
{
	uint32_t cons = __atomic_load_n(&ol->evring->idx.cons, __ATOMIC_ACQUIRE);

	/* A cons ahead of prod or a ring behind is the driver's bug: drop. */
	return ol->ev_prod - cons >= OFFNIC_EVRING_SIZE;
}

uint32_t offload_events_flush(struct offload *ol, uint32_t prog_slot)
{
	struct onm_event ev;
	uint32_t map_idx, posted = 0;

	while (engine_event_pop(&ol->eng, &ev, &map_idx)) {
		struct offnic_event *rec;

		if (evring_full(ol)) {
			ol->evring->dropped++;
			ol->stats->events_dropped++;
			continue;
		}
		rec = &ol->evring->rec[ol->ev_prod & (OFFNIC_EVRING_SIZE - 1)];
		rec->slot = prog_slot;
		rec->map_idx = map_idx;
		rec->flags = ev.flags;
		rec->len = ev.len <= OFFNIC_EVENT_MAX ? ev.len : OFFNIC_EVENT_MAX;
		rec->rsvd = 0;
		memcpy(rec->data, ev.data, rec->len);
		ol->ev_prod++;
		__atomic_store_n(&ol->evring->idx.prod, ol->ev_prod, __ATOMIC_RELEASE);
		posted++;
	}
	ol->stats->events += posted;
	return posted;
}

static void slot_account(struct offload_slot *s, const struct onm_pkt_out *out)
{
	struct offnic_prog_stats *st = &s->stats;
	struct offnic_fault_rec *rec;

	st->packets++;
	if (out->verdict < 8)
		st->verdicts[out->verdict]++;
	st->cycles_total += out->cycles;
	st->bundles_total += out->bundles;
	if (st->packets == 1 || out->cycles < st->cycles_min)
		st->cycles_min = out->cycles;
	if (out->cycles > st->cycles_max)
		st->cycles_max = out->cycles;
	/* a window of the last packets, for medians and histograms on the host */
	st->recent_cycles[(st->packets - 1) % OFFNIC_RECENT_CYCLES] =
		out->cycles > UINT32_MAX ? UINT32_MAX : (uint32_t)out->cycles;
	st->recent_verdicts[(st->packets - 1) % OFFNIC_RECENT_CYCLES] =
		out->verdict > UINT8_MAX ? UINT8_MAX : (uint8_t)out->verdict;
	if (st->n_recent < OFFNIC_RECENT_CYCLES)
		st->n_recent++;
	if (!out->faulted)
		return;
	st->faults++;
	rec = &s->faults[s->fault_seq % OFFNIC_MAX_FAULT_RECS];
	rec->seq = ++s->fault_seq;
	rec->pc = out->fault.pc;
	rec->lane = out->fault.lane;
	rec->cause = out->fault.cause;
	rec->rsvd = 0;
	rec->addr = out->fault.addr;
}

/* The engine's output frame back into device packet memory. */
static bool pkt_take_output(struct dp_pkt *pkt, const struct onm_pkt_out *out)
{
	uint32_t off = out->data_off;

	if (out->len < ETH_HLEN || out->meta_len + out->len > OFFNIC_BUF_SIZE)
		return false;
	/* A frame grown past the buffer end moves down; its headroom shrinks. */
	if (off + out->len > OFFNIC_BUF_SIZE)
		off = OFFNIC_BUF_SIZE - out->len;
	memcpy(pkt->data + off - out->meta_len, out->meta, out->meta_len);
	memcpy(pkt->data + off, out->data, out->len);
	pkt->off = (uint16_t)off;
	pkt->len = (uint16_t)out->len;
	pkt->meta_len = (uint16_t)out->meta_len;
	return true;
}

/* The 1st, 2nd, 4th, 8th, ... occurrence: bounded output under a flood. */
static bool log_worthy(uint64_t count)
{
	return count && !(count & (count - 1));
}

/* Runs one slot on the frame in pkt; false if the engine could not. */
static bool stage_run(struct offload *ol, uint32_t slot, struct dp_pkt *pkt,
		      struct onm_pkt_out *out)
{
	int err = offload_run(ol, slot, pkt->data + pkt->off, pkt->len, out);

	if (err) {
		ol->stats->engine_errors++;
		if (log_worthy(ol->stats->engine_errors))
			log_msg("engine: slot %u: run failed: %d (%llu so far)", slot, err,
				(unsigned long long)ol->stats->engine_errors);
		return false;
	}
	slot_account(&ol->slot[slot], out);
	pkt->events += offload_events_flush(ol, slot);
	pkt->flags |= OFFNIC_DESC_ENGINE;
	pkt->cycles += out->cycles;
	if (out->faulted && log_worthy(ol->slot[slot].fault_seq))
		log_msg("engine: slot %u: fault %s at pc %u lane %u addr %#llx (%llu so far)",
			slot, onm_fault_name(out->fault.cause), out->fault.pc, out->fault.lane,
			(unsigned long long)out->fault.addr,
			(unsigned long long)ol->slot[slot].fault_seq);
	return true;
}

/*
 * A redirect the device can carry out: to the port's own ifindex, as the
 * driver gave it at load (0: it did not say, and nothing matches), to its
 * egress.  The device has one port, so that is out of the wire.
 */
static bool redirect_to_port(const struct offload *ol, uint32_t slot,
			     const struct onm_pkt_out *out)
{
	return out->redirected && !(out->redirect_flags & BPF_F_INGRESS) &&
	       ol->slot[slot].ifindex && out->redirect_ifindex == ol->slot[slot].ifindex;
}

static enum dp_action xdp_action(struct offload *ol, struct dp_pkt *pkt,
				 const struct onm_pkt_out *out)
{
	switch (out->faulted ? ONM_XDP_ABORTED : out->verdict) {
	case ONM_XDP_ABORTED:
		ol->stats->engine_aborted++;
		return DP_DROP;
	case ONM_XDP_DROP:
		return DP_DROP;
	case ONM_XDP_PASS:
		return pkt_take_output(pkt, out) ? DP_PASS : DP_DROP;
	case ONM_XDP_TX:
		return pkt_take_output(pkt, out) ? DP_TX : DP_DROP;
	case ONM_XDP_REDIRECT:
		/* The device has one port: redirecting to it is XDP_TX. */
		if (redirect_to_port(ol, OFFNIC_SLOT_XDP, out))
			return pkt_take_output(pkt, out) ? DP_TX : DP_DROP;
		ol->stats->engine_redirect_drops++;
		return DP_DROP;
	}
	ol->stats->engine_unsupported++;
	return DP_DROP;
}

static enum dp_action tc_action(struct offload *ol, struct dp_pkt *pkt,
				const struct onm_pkt_out *out)
{
	if (out->faulted) {
		ol->stats->engine_aborted++;
		return DP_DROP;
	}
	switch (out->verdict) {
	case TC_ACT_OK:
	case TC_ACT_UNSPEC:
		return pkt_take_output(pkt, out) ? DP_PASS : DP_DROP;
	case TC_ACT_SHOT:
		return DP_DROP;
	case TC_ACT_REDIRECT:
		/* To the port's egress: out of the wire, as XDP_TX; to its
		 * ingress (BPF_F_INGRESS) or any other device: dropped.
		 */
		if (redirect_to_port(ol, OFFNIC_SLOT_TC, out))
			return pkt_take_output(pkt, out) ? DP_TX : DP_DROP;
		ol->stats->engine_redirect_drops++;
		if (log_worthy(ol->stats->engine_redirect_drops))
			log_msg("engine: tc redirect to ifindex %llu flags %#llx: dropped (%llu so far)",
				(unsigned long long)out->redirect_ifindex,
				(unsigned long long)out->redirect_flags,
				(unsigned long long)ol->stats->engine_redirect_drops);
		return DP_DROP;
	}
	ol->stats->engine_unsupported++;
	return DP_DROP;
}

/* tc does not see XDP metadata; what XDP left goes back before tc's frame. */
static enum dp_action stage_tc(struct offload *ol, struct dp_pkt *pkt)
{
	uint8_t meta[OFFNIC_RX_HEADROOM];
	uint16_t meta_len = pkt->meta_len;
	struct onm_pkt_out out;
	enum dp_action action;

	if (meta_len > sizeof(meta))
		meta_len = 0;
	memcpy(meta, pkt->data + pkt->off - meta_len, meta_len);
	if (!stage_run(ol, OFFNIC_SLOT_TC, pkt, &out))
		return DP_DROP;
	if (!engine_prog(&ol->eng, OFFNIC_SLOT_XDP))
		pkt->verdict = out.verdict;
	action = tc_action(ol, pkt, &out);
	if (action == DP_PASS && !pkt->meta_len && pkt->off >= meta_len) {
		memcpy(pkt->data + pkt->off - meta_len, meta, meta_len);
		pkt->meta_len = meta_len;
	}
	return action;
}

enum dp_action offload_stage(void *ctx, struct dp_pkt *pkt)
{
	struct offload *ol = ctx;
	struct onm_pkt_out out;
	enum dp_action action = DP_PASS;

	if (engine_prog(&ol->eng, OFFNIC_SLOT_XDP)) {
		if (!stage_run(ol, OFFNIC_SLOT_XDP, pkt, &out))
			return DP_DROP;
		pkt->verdict = out.faulted ? ONM_XDP_ABORTED : out.verdict;
		action = xdp_action(ol, pkt, &out);
	}
	if (action != DP_PASS || !engine_prog(&ol->eng, OFFNIC_SLOT_TC))
		return action;
	return stage_tc(ol, pkt);
}
