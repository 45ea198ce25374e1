// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Engine lifecycle, packet start/finish and the bundle pipeline:
 * issue (interlock timing), read phase (every lane reads pre-bundle
 * state, faults are found), commit (writes in lane order, control).
 */
#include <stdlib.h>
#include <string.h>

#include "onm_internal.h"

#define PTR(space, off)	((uint64_t)ONM_SPACE_##space << 60 | (off))

static void fill_defaults(struct onm_config *c)
{
	if (!c->lanes)
		c->lanes = ONM_DEF_LANES;
	if (!c->cores)
		c->cores = ONM_DEF_CORES;
	if (!c->map_mem_bytes)
		c->map_mem_bytes = ONM_DEF_MAP_MEM;
	if (!c->watchdog_cycles)
		c->watchdog_cycles = ONM_DEF_WATCHDOG;
	if (!c->ns_per_cycle)
		c->ns_per_cycle = ONM_DEF_NS_PER_CYCLE;
	if (!c->event_slots)
		c->event_slots = ONM_DEF_EVENT_SLOTS;
	if (!c->max_frame)
		c->max_frame = ONM_DEF_MAX_FRAME;
}

struct onm_engine *onm_create(const struct onm_config *cfg)
{
	struct onm_engine *eng;
	uint32_t i;

	eng = calloc(1, sizeof(*eng));
	if (!eng)
		return NULL;
	if (cfg)
		eng->cfg = *cfg;
	fill_defaults(&eng->cfg);
	if (eng->cfg.lanes > ONM_MAX_LANES || eng->cfg.cores > 1024 ||
	    eng->cfg.max_frame < ONM_ETH_HLEN ||
	    eng->cfg.max_frame > ONM_PKT_BUF_BYTES)
		goto err_free;
	eng->cores = calloc(eng->cfg.cores, sizeof(*eng->cores));
	if (!eng->cores)
		goto err_free;
	eng->events = calloc(eng->cfg.event_slots, sizeof(*eng->events));
	if (!eng->events)
		goto err_cores;
	for (i = 0; i < eng->cfg.cores; i++)
		onm_set_seed(eng, i, eng->cfg.prandom_seed + i);
	return eng;

err_cores:
	free(eng->cores);
err_free:
	free(eng);
	return NULL;
}

void onm_destroy(struct onm_engine *eng)
{
	if (!eng)
		return;
	onm_unload(eng);
	onm_maps_free_all(eng);
	free(eng->events);
	free(eng->cores);
	free(eng);
}

const struct onm_config *onm_config(const struct onm_engine *eng)
{
	return &eng->cfg;
}

static struct onm_core *core_of(const struct onm_engine *eng, uint32_t core)
{
	return core < eng->cfg.cores ? &eng->cores[core] : NULL;
}

void onm_set_seed(struct onm_engine *eng, uint32_t core, uint32_t seed)
{
	struct onm_core *c = core_of(eng, core);

	if (c)
		c->st.prandom = seed ? seed : 1;
}

void onm_fault_core(struct onm_engine *eng, struct onm_core *c,
		    uint32_t cause, uint32_t pc, uint32_t lane, uint64_t addr)
{
	struct onm_arch_state *st = &c->st;

	(void)eng;
	st->fault.cause = cause;
	st->fault.pc = pc;
	st->fault.lane = lane;
	st->fault.addr = addr;
	st->exited = 1;
	st->verdict = ONM_XDP_ABORTED;
	st->perf[ONM_PERF_FAULTS]++;
	st->perf[ONM_PERF_PACKETS]++;
	c->running = 0;
}

int onm_begin(struct onm_engine *eng, uint32_t core,
	      const struct onm_pkt_in *in)
{
	struct onm_core *c = core_of(eng, core);
	struct onm_arch_state *st;
	uint32_t headroom;

	if (!c || !in || (in->len && !in->frame))
		return -ONM_EINVAL;
	headroom = in->headroom ? in->headroom : ONM_DEF_HEADROOM;
	if ((uint64_t)headroom + in->len > ONM_PKT_BUF_BYTES)
		return -ONM_EINVAL;
	if (!eng->loaded)
		return -ONM_ENOEXEC;
	st = &c->st;
	st->clock += st->cycle;
	st->cycle = 0;
	st->pc = 0;
	st->exited = 0;
	st->verdict = 0;
	st->ret_depth = 0;
	memset(st->ret_stack, 0, sizeof(st->ret_stack));
	memset(st->regs, 0, sizeof(st->regs));
	st->regs[1] = PTR(CTX, 0);
	st->regs[10] = PTR(STACK, ONM_STACK_BYTES);
	memcpy(st->ctx, in->ctx, sizeof(st->ctx));
	st->ctx[ONM_CTX_DATA] = 0;
	st->ctx[ONM_CTX_DATA_END] = 0;
	st->ctx[ONM_CTX_DATA_META] = 0;
	st->ctx[ONM_CTX_LEN] = 0;
	st->data_off = headroom;
	st->meta_off = headroom;
	st->data_end_off = headroom + in->len;
	st->redirected = 0;
	st->redirect_ifindex = 0;
	st->redirect_flags = 0;
	memset(&st->fault, 0, sizeof(st->fault));
	memset(st->stack, 0, sizeof(st->stack));
	memset(st->pkt, 0, sizeof(st->pkt));
	if (in->len)
		memcpy(st->pkt + headroom, in->frame, in->len);
	memset(c->ready, 0, sizeof(c->ready));
	c->all_ready = 0;
	c->running = 1;
	return 0;
}

/* Cycle the bundle issues at: all its registers ready (RAW and WAW). */
static uint64_t issue_cycle(const struct onm_core *c, uint32_t regs)
{
	uint64_t t = c->st.cycle;

	if (c->all_ready <= t)
		return t;
	while (regs) {
		int r = __builtin_ctz(regs);

		if (c->ready[r] > t)
			t = c->ready[r];
		regs &= regs - 1;
	}
	return t;
}

/* The writes one bundle will apply, in lane order. */
struct pending {
	uint32_t n_regs;
	uint8_t rd[ONM_MAX_LANES];
	uint8_t lat[ONM_MAX_LANES];
	uint64_t val[ONM_MAX_LANES];
	uint32_t n_mem;
	struct onm_memw mem[ONM_MAX_LANES];
	int helper_at;			/* mem[] index the helper commits at */
	struct onm_heffect heff;
	const struct onm_uop *ctl;	/* the deciding control op */
	uint32_t verdict;		/* EXIT's, read before the writes */
	uint32_t helper_id;
};

static void reg_write(struct pending *p, const struct onm_uop *u, uint64_t v)
{
	p->rd[p->n_regs] = u->rd;
	p->lat[p->n_regs] = u->lat;
	p->val[p->n_regs++] = v;
}

static int ctrl_taken(const struct onm_uop *u, const uint64_t *r)
{
	if (u->op != ONM_OP_BR)
		return 1;
	return onm_cond_holds(u->cond, u->w32, r[u->ra],
			      u->use_imm ? (uint64_t)u->imm : r[u->rb]);
}

/* Read phase of one micro-op: 0, or -1 with f set. */
static int exec_uop(struct onm_engine *eng, struct onm_core *c,
		    const struct onm_uop *u, uint64_t t, struct pending *p,
		    struct onm_fault_info *f)
{
	const uint64_t *r = c->st.regs;
	uint64_t v;

	switch (u->fmt) {
	case ONM_FMT_R:
		reg_write(p, u, onm_alu(u->op, u->w32, u->ext, r[u->ra],
					u->use_imm ? (uint64_t)u->imm : r[u->rb]));
		return 0;
	case ONM_FMT_K:
		reg_write(p, u, eng->consts[(uint32_t)u->imm]);
		return 0;
	case ONM_FMT_M:
		if (u->op == ONM_OP_ST)
			return onm_exec_store(eng, c, u, &p->mem[p->n_mem++], f);
		if (onm_exec_load(eng, c, u, &v, f))
			return -1;
		reg_write(p, u, v);
		return 0;
	case ONM_FMT_A:
		if (onm_exec_atomic(eng, c, u, &v, &p->mem[p->n_mem++], f))
			return -1;
		if (u->fetch)
			reg_write(p, u, v);
		return 0;
	case ONM_FMT_H:
		p->helper_id = (uint32_t)u->imm;
		if (onm_helper_exec(eng, c, p->helper_id, t, &v, &p->heff, f))
			return -1;
		p->helper_at = (int)p->n_mem;
		reg_write(p, u, v);
		return 0;
	}
	/* control: the lowest lane whose condition holds decides */
	if (p->ctl || !ctrl_taken(u, r))
		return 0;
	if (u->op == ONM_OP_CALL &&
	    c->st.ret_depth == ONM_RET_STACK_DEPTH) {
		f->cause = ONM_FAULT_RET_STACK;
		f->addr = c->st.ret_depth;
		return -1;
	}
	if (u->op == ONM_OP_RET && !c->st.ret_depth) {
		f->cause = ONM_FAULT_RET_STACK;
		f->addr = 0;
		return -1;
	}
	p->ctl = u;
	if (u->op == ONM_OP_EXIT)
		p->verdict = u->use_imm ? (uint32_t)u->imm : (uint32_t)r[u->ra];
	return 0;
}

static int is_map_helper(uint32_t id)
{
	return id == ONM_HELPER_MAP_LOOKUP || id == ONM_HELPER_MAP_UPDATE ||
	       id == ONM_HELPER_MAP_DELETE;
}

static void commit_mem(struct onm_engine *eng, struct onm_core *c,
		       struct pending *p)
{
	uint32_t i;

	for (i = 0; i <= p->n_mem; i++) {
		if ((int)i == p->helper_at)
			onm_helper_commit(eng, c, &p->heff);
		if (i < p->n_mem)
			onm_memw_apply(&p->mem[i]);
	}
	if (p->helper_at >= 0) {
		c->st.perf[ONM_PERF_HELPER_CALLS]++;
		if (is_map_helper(p->helper_id))
			c->st.perf[ONM_PERF_MAP_OPS]++;
	}
}

static int commit_ctrl(struct onm_core *c, const struct pending *p)
{
	struct onm_arch_state *st = &c->st;
	const struct onm_uop *u = p->ctl;

	switch (u->op) {
	case ONM_OP_EXIT:
		st->verdict = p->verdict;
		st->exited = 1;
		st->perf[ONM_PERF_PACKETS]++;
		c->running = 0;
		return ONM_EXITED;
	case ONM_OP_CALL:
		st->ret_stack[st->ret_depth++] = st->pc + 1;
		st->pc = u->target;
		break;
	case ONM_OP_RET:
		st->pc = st->ret_stack[--st->ret_depth];
		st->ret_stack[st->ret_depth] = 0;
		break;
	default:
		st->pc = u->target;
		break;
	}
	return ONM_RUNNING;
}

/* Commit: registers, then memory and helper effects in lane order
 * (registers and memory never alias), then control.
 */
static int commit(struct onm_engine *eng, struct onm_core *c,
		  struct pending *p, uint64_t t)
{
	struct onm_arch_state *st = &c->st;
	uint32_t i;

	/* the caller sets n_regs; the arrays are filled up to it */
	/* cppcheck-suppress ctuuninitvar */
	for (i = 0; i < p->n_regs; i++) {
		st->regs[p->rd[i]] = p->val[i];
		c->ready[p->rd[i]] = t + p->lat[i];
		if (t + p->lat[i] > c->all_ready)
			c->all_ready = t + p->lat[i];
	}
	if (p->n_mem || p->helper_at >= 0)
		commit_mem(eng, c, p);
	if (p->ctl)
		return commit_ctrl(c, p);
	st->pc++;
	return ONM_RUNNING;
}

static int run_bundle(struct onm_engine *eng, struct onm_core *c,
		      const struct onm_bundle *b, uint64_t t)
{
	struct onm_fault_info f;
	struct pending p;
	uint32_t i;

	p.n_regs = 0;
	p.n_mem = 0;
	p.helper_at = -1;
	p.ctl = NULL;
	for (i = 0; i < b->n; i++) {
		const struct onm_uop *u = &b->u[i];

		if (u->bad) {
			onm_fault_core(eng, c, u->bad, c->st.pc, u->lane, 0);
			return ONM_FAULTED;
		}
		if (exec_uop(eng, c, u, t, &p, &f)) {
			onm_fault_core(eng, c, f.cause, c->st.pc, u->lane,
				       f.addr);
			return ONM_FAULTED;
		}
	}
	return commit(eng, c, &p, t);
}

int onm_step(struct onm_engine *eng, uint32_t core)
{
	struct onm_core *c = core_of(eng, core);
	struct onm_arch_state *st;
	const struct onm_bundle *b;
	uint64_t t;

	if (!c || !c->running)
		return -ONM_EINVAL;
	st = &c->st;
	if (st->cycle >= eng->cfg.watchdog_cycles) {
		onm_fault_core(eng, c, ONM_FAULT_WATCHDOG, st->pc, 0,
			       st->cycle);
		return ONM_FAULTED;
	}
	if (st->pc >= eng->n_bundles) {
		onm_fault_core(eng, c, ONM_FAULT_BAD_PC, st->pc, 0, st->pc);
		return ONM_FAULTED;
	}
	b = &eng->bundles[st->pc];
	t = issue_cycle(c, b->regs);
	st->perf[ONM_PERF_STALLS] += t - st->cycle;
	st->perf[ONM_PERF_CYCLES] += t + 1 - st->cycle;
	st->perf[ONM_PERF_BUNDLES]++;
	st->perf[ONM_PERF_UOPS] += b->n;
	st->cycle = t + 1;
	return run_bundle(eng, c, b, t);
}

void onm_finish(struct onm_engine *eng, uint32_t core,
		struct onm_pkt_out *out)
{
	struct onm_core *c = core_of(eng, core);
	const struct onm_arch_state *st;

	memset(out, 0, sizeof(*out));
	if (!c)
		return;
	st = &c->st;
	out->verdict = st->verdict;
	out->faulted = st->fault.cause != ONM_FAULT_NONE;
	out->fault = st->fault;
	out->data_off = st->data_off;
	out->data_end_off = st->data_end_off;
	out->meta_off = st->meta_off;
	out->data = st->pkt + st->data_off;
	out->len = st->data_end_off - st->data_off;
	out->meta = st->pkt + st->meta_off;
	out->meta_len = st->data_off - st->meta_off;
	memcpy(out->ctx, st->ctx, sizeof(out->ctx));
	out->redirected = st->redirected;
	out->redirect_ifindex = st->redirect_ifindex;
	out->redirect_flags = st->redirect_flags;
	out->cycles = st->cycle;
}

int onm_run(struct onm_engine *eng, uint32_t core,
	    const struct onm_pkt_in *in, struct onm_pkt_out *out)
{
	struct onm_core *c;
	uint64_t bundles, uops, stalls;
	int ret;

	ret = onm_begin(eng, core, in);
	if (ret)
		return ret;
	c = &eng->cores[core];
	bundles = c->st.perf[ONM_PERF_BUNDLES];
	uops = c->st.perf[ONM_PERF_UOPS];
	stalls = c->st.perf[ONM_PERF_STALLS];
	while (onm_step(eng, core) == ONM_RUNNING)
		;
	if (out) {
		onm_finish(eng, core, out);
		out->bundles = c->st.perf[ONM_PERF_BUNDLES] - bundles;
		out->uops = c->st.perf[ONM_PERF_UOPS] - uops;
		out->stalls = c->st.perf[ONM_PERF_STALLS] - stalls;
	}
	return 0;
}

const struct onm_arch_state *onm_state(const struct onm_engine *eng,
				       uint32_t core)
{
	struct onm_core *c = core_of(eng, core);

	return c ? &c->st : NULL;
}

struct onm_arch_state *onm_state_mut(struct onm_engine *eng, uint32_t core)
{
	struct onm_core *c = core_of(eng, core);

	return c ? &c->st : NULL;
}

uint64_t onm_perf(const struct onm_engine *eng, uint32_t core, uint32_t idx)
{
	uint64_t sum = 0;
	uint32_t i;

	if (idx >= ONM_NUM_PERF)
		return 0;
	if (core != UINT32_MAX)
		return core < eng->cfg.cores ? eng->cores[core].st.perf[idx] : 0;
	for (i = 0; i < eng->cfg.cores; i++)
		sum += eng->cores[i].st.perf[idx];
	return sum;
}

void onm_perf_reset(struct onm_engine *eng)
{
	uint32_t i;

	for (i = 0; i < eng->cfg.cores; i++)
		memset(eng->cores[i].st.perf, 0, sizeof(eng->cores[i].st.perf));
}

int onm_event_pop(struct onm_engine *eng, struct onm_event *ev)
{
	if (!eng->ev_count)
		return 0;
	*ev = eng->events[eng->ev_head];
	eng->ev_head = (eng->ev_head + 1) % eng->cfg.event_slots;
	eng->ev_count--;
	return 1;
}

uint32_t onm_event_count(const struct onm_engine *eng)
{
	return eng->ev_count;
}

const char *onm_fault_name(uint32_t cause)
{
	if (cause >= ONM_NUM_FAULTS || !onm_fault_names[cause])
		return "unknown";
	return onm_fault_names[cause];
}
