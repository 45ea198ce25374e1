// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * offnic-bench: JIT figures and cycles per packet of the benchmark corpus.
 *
 * For each program (traffic.c): compile it with offload-jit for 1, 2 and
 * 4 lanes (bundles, static IPC, schedule vs critical path, JIT time),
 * run its traffic mix on the C model at every lane count, and run the
 * 4-lane image on the Verilated RTL in lockstep with the model (when
 * this binary is built with it), checking that both report the same
 * cycles.  Writes the raw figures as JSON; scripts/bench/report.py turns
 * them into the tables.
 *
 *   offnic-bench --progs DIR [--packets N] [--json FILE] [--only NAME]
 *                [--no-rtl] [--jit-reps N]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "tools.h"
#include "offnic_image.h"
#include "offnic_model.h"
#include "traffic.h"
#include "jit_limit.h"
#ifdef BENCH_RTL
#include "rtl_bench.h"
#endif

#define MAX_PACKETS	4096
#define N_VERDICTS	5

static const char *const verdict_names[N_VERDICTS] = {
	"ABORTED", "DROP", "PASS", "TX", "REDIRECT"
};
static const unsigned int lane_counts[] = { 1, 2, 4 };
#define N_LANE_COUNTS	(sizeof(lane_counts) / sizeof(lane_counts[0]))

struct bench_maps {
	struct onm_engine *eng;
	void *rtl;			/* struct rtl_bench, or NULL */
	char names[OJIT_MAX_MAPS][64];
	unsigned int n;
};

struct opts {
	const char *progs;
	const char *json;
	const char *only;
	unsigned int packets;
	unsigned int jit_reps;
	int rtl;
};

struct jit_fig {
	struct ojit_stats st;
	double jit_us;			/* median over the repetitions */
};

struct run_fig {
	unsigned int n;
	uint64_t cycles[MAX_PACKETS];
	uint32_t verdict[MAX_PACKETS];
	unsigned int unexpected;	/* verdict differs from the traffic's */
	unsigned int faults;
	unsigned int first_bad;		/* index of the first unexpected packet */
	char error[200];		/* could not run at all */
};

struct rtl_fig {
	int state;			/* 0 not run, 1 ran */
	char note[200];
	unsigned int packets;		/* packets compared in lockstep */
	unsigned int mismatches;	/* lockstep or cycle disagreements */
	uint64_t cycles[MAX_PACKETS];
	uint64_t pkt_clocks[MAX_PACKETS];	/* RTL clocks, first bundle to exit */
	uint64_t step_clocks;		/* their sum */
	/* the traffic again on the RTL alone: the simulator's speed */
	uint64_t clocks;		/* every clock, packet loading included */
	uint64_t bundles;		/* bundles retired */
	double seconds;
	uint64_t lockstep_bundles;	/* bundles compared in lockstep */
};

int bench_map_update(struct bench_maps *m, const char *name, const void *key,
		     const void *value)
{
	unsigned int i;
	int slot, err;

	for (i = 0; i < m->n && strcmp(m->names[i], name); i++)
		;
	if (i == m->n) {
		fprintf(stderr, "bench: the program has no map %s\n", name);
		return -ENOENT;
	}
	slot = onm_prog_map_slot(m->eng, i);
	if (slot < 0)
		return slot;
	err = onm_map_update(m->eng, slot, key, value, ONM_ANY);
	if (err) {
		fprintf(stderr, "bench: update of map %s: %d\n", name, err);
		return err;
	}
#ifdef BENCH_RTL
	if (m->rtl)
		rtlb_sync_map(m->rtl, i);
#endif
	return 0;
}

/* Map names in libbpf's order, which is the loader's (tools/load.c) */
static int map_names(const char *path, struct bench_maps *m)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_map *map;

	if (!obj)
		return -errno;
	m->n = 0;
	bpf_object__for_each_map(map, obj) {
		if (m->n == OJIT_MAX_MAPS)
			break;
		snprintf(m->names[m->n++], sizeof(m->names[0]), "%s", bpf_map__name(map));
	}
	bpf_object__close(obj);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Compile jit_reps times; keep the last image, the median JIT time */
static int jit(const struct ojit_loaded *l, unsigned int lanes, unsigned int reps,
	       struct ojit_result *res, struct jit_fig *fig)
{
	struct ojit_options opt = { .lanes = lanes };
	double t[64] = { 0 };
	unsigned int i;
	int err;

	if (reps > 64)
		reps = 64;
	if (!reps)
		reps = 1;
	for (i = 0; i < reps; i++) {
		if (i)
			ojit_free(res->image);
		err = ojit_compile_loaded(l, &opt, res);
		if (err)
			return err;
		t[i] = res->stats.jit_ns / 1e3;
	}
	qsort(t, reps, sizeof(t[0]), cmp_double);
	fig->st = res->stats;
	fig->jit_us = reps & 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
	return 0;
}

static void pkt_in(const struct bench_pkt *p, struct onm_pkt_in *in)
{
	memset(in, 0, sizeof(*in));
	in->frame = p->frame;
	in->len = p->len;
	in->ctx[3] = p->ifindex;	/* ISA_CTX IFINDEX */
	in->ctx[4] = p->rxq;		/* ISA_CTX RXQ */
}

static void note_verdict(struct run_fig *r, unsigned int i, const struct bench_pkt *p,
			 const struct onm_pkt_out *out)
{
	r->cycles[i] = out->cycles;
	r->verdict[i] = out->verdict;
	if (out->faulted)
		r->faults++;
	if (out->verdict != p->expect || out->faulted) {
		if (!r->unexpected)
			r->first_bad = i;
		r->unexpected++;
	}
}

/* A model engine with the image loaded (its maps created, still empty) */
static struct onm_engine *engine_with(const void *img, size_t len, unsigned int lanes,
				      struct bench_maps *m, char *msg, size_t size)
{
	const struct offnic_image_hdr *h = img;
	struct onm_config cfg = { .lanes = lanes, .cores = 1 };
	struct onm_err err = { 0 };

	m->eng = onm_create(&cfg);
	if (!m->eng) {
		snprintf(msg, size, "model: no engine of %u lanes", lanes);
		return NULL;
	}
	if (onm_load(m->eng, img, len, &err)) {
		snprintf(msg, size, "model: load: %s", err.msg);
		goto err;
	}
	if (h->n_maps != m->n) {
		snprintf(msg, size, "image has %u maps, the object %u", h->n_maps, m->n);
		goto err;
	}
	return m->eng;
err:
	onm_destroy(m->eng);
	m->eng = NULL;
	return NULL;
}

/* The traffic mix on the C model alone */
static void run_model(const struct bench_prog *prog, const struct ojit_result *res,
		      unsigned int lanes, unsigned int n, struct bench_maps *m,
		      struct run_fig *r)
{
	struct onm_pkt_out out;
	struct onm_pkt_in in;
	struct bench_pkt p;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	m->rtl = NULL;
	if (!engine_with(res->image, res->image_size, lanes, m, r->error,
			 sizeof(r->error)))
		return;
	if (prog->setup(m)) {
		snprintf(r->error, sizeof(r->error), "map set-up failed");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (prog->packet(m, i, n, &p)) {
			snprintf(r->error, sizeof(r->error), "packet %u: map update failed", i);
			break;
		}
		pkt_in(&p, &in);
		if (onm_run(m->eng, 0, &in, &out)) {
			snprintf(r->error, sizeof(r->error), "packet %u: model run failed", i);
			break;
		}
		note_verdict(r, i, &p, &out);
	}
	r->n = i;
out:
	onm_destroy(m->eng);
	m->eng = NULL;
}

#ifdef BENCH_RTL
static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Lockstep over the traffic, then the RTL alone again for its speed */
static void rtl_packets(const struct bench_prog *prog, unsigned int n,
			struct bench_maps *m, const struct run_fig *model,
			struct rtl_fig *f)
{
	struct onm_pkt_out out;
	struct onm_pkt_in in;
	struct bench_pkt p;
	unsigned int i;
	double t0;
	int st;

	for (i = 0; i < n && i < model->n; i++) {
		if (prog->packet(m, i, n, &p))
			break;
		pkt_in(&p, &in);
		st = rtlb_packet(m->rtl, &in, &out, &f->cycles[i], &f->pkt_clocks[i]);
		if (st < 0) {
			snprintf(f->note, sizeof(f->note), "packet %u: harness error", i);
			break;
		}
		if (st || f->cycles[i] != model->cycles[i] || out.cycles != model->cycles[i]) {
			f->mismatches++;
			snprintf(f->note, sizeof(f->note),
				 "packet %u: model %llu cycles, RTL %llu%s", i,
				 (unsigned long long)model->cycles[i],
				 (unsigned long long)f->cycles[i],
				 st ? ", lockstep mismatch (stopped)" : "");
			if (st) {
				i++;
				break;
			}
		}
	}
	f->packets = i;
	f->lockstep_bundles = rtlb_bundles(m->rtl);
	for (i = 0; i < f->packets; i++)
		f->step_clocks += f->pkt_clocks[i];
	t0 = now_s();
	for (i = 0; i < f->packets; i++) {
		prog->packet(m, i, n, &p);
		pkt_in(&p, &in);
		if (rtlb_packet_alone(m->rtl, &in, &f->clocks, &f->bundles))
			break;
	}
	f->seconds = now_s() - t0;
}

static void run_rtl(const struct bench_prog *prog, const struct ojit_result *res,
		    unsigned int n, struct bench_maps *m, const struct run_fig *model,
		    struct rtl_fig *f)
{
	memset(f, 0, sizeof(*f));
	m->rtl = NULL;
	if (rtlb_lanes() != 4) {
		snprintf(f->note, sizeof(f->note), "RTL built with %u lanes", rtlb_lanes());
		return;
	}
	if (!engine_with(res->image, res->image_size, 4, m, f->note, sizeof(f->note)))
		return;
	m->rtl = rtlb_open(m->eng, res->image, res->image_size, f->note,
			   sizeof(f->note));
	if (!m->rtl)
		goto out;
	f->state = 1;
	if (prog->setup(m))
		snprintf(f->note, sizeof(f->note), "map set-up failed");
	else
		rtl_packets(prog, n, m, model, f);
	rtlb_close(m->rtl);
	m->rtl = NULL;
out:
	onm_destroy(m->eng);
	m->eng = NULL;
}
#endif

static void json_stats(FILE *f, const uint64_t *c, unsigned int n)
{
	uint64_t *s;
	double sum = 0, med;
	unsigned int i;

	if (!n) {
		fprintf(f, "null");
		return;
	}
	s = malloc(sizeof(*s) * n);
	if (!s) {
		fprintf(f, "null");
		return;
	}
	memcpy(s, c, sizeof(*s) * n);
	qsort(s, n, sizeof(*s), cmp_u64);
	for (i = 0; i < n; i++)
		sum += s[i];
	med = n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
	fprintf(f, "{\"min\": %llu, \"median\": %.1f, \"max\": %llu, \"mean\": %.2f}",
		(unsigned long long)s[0], med, (unsigned long long)s[n - 1], sum / n);
	free(s);
}

static void json_run(FILE *f, const struct run_fig *r)
{
	uint64_t *by = malloc(sizeof(*by) * (r->n ? r->n : 1));
	unsigned int v, i, k;
	const char *sep = "";

	fprintf(f, "\"packets\": %u, \"unexpected\": %u, \"faults\": %u, ", r->n,
		r->unexpected, r->faults);
	if (r->unexpected)
		fprintf(f, "\"first_unexpected\": %u, ", r->first_bad);
	fprintf(f, "\"error\": \"%s\", \"cycles\": ", r->error);
	json_stats(f, r->cycles, r->n);
	fprintf(f, ", \"by_verdict\": {");
	for (v = 0; by && v < N_VERDICTS; v++) {
		for (i = 0, k = 0; i < r->n; i++)
			if (r->verdict[i] == v)
				by[k++] = r->cycles[i];
		if (!k)
			continue;
		fprintf(f, "%s\"%s\": {\"packets\": %u, \"cycles\": ", sep,
			verdict_names[v], k);
		json_stats(f, by, k);
		fprintf(f, "}");
		sep = ", ";
	}
	fprintf(f, "}");
	free(by);
}

static void json_jit(FILE *f, const struct jit_fig *j)
{
	const struct ojit_stats *s = &j->st;

	fprintf(f, "\"bpf_insns\": %u, \"ir_ops\": %u, \"uops\": %u, \"bundles\": %u, "
		"\"blocks\": %u, \"critical_path\": %u, \"static_ipc\": %.2f, "
		"\"sched_cp\": %.2f, \"jit_us\": %.1f",
		s->bpf_insns, s->ir_ops, s->uops, s->bundles, s->blocks, s->critical_path,
		s->bundles ? (double)s->uops / s->bundles : 0.0,
		s->critical_path ? (double)s->bundles / s->critical_path : 0.0, j->jit_us);
}

static void json_rtl(FILE *f, const struct rtl_fig *r)
{
	fprintf(f, "\"rtl\": {\"ran\": %s, \"note\": \"%s\", \"packets\": %u, "
		"\"mismatches\": %u, \"lockstep_bundles\": %llu, \"step_clocks\": %llu, "
		"\"bundles\": %llu, \"clocks\": %llu, \"seconds\": %.3f, "
		"\"cycles\": ", r->state ? "true" : "false", r->note, r->packets,
		r->mismatches, (unsigned long long)r->lockstep_bundles,
		(unsigned long long)r->step_clocks, (unsigned long long)r->bundles,
		(unsigned long long)r->clocks, r->seconds);
	json_stats(f, r->cycles, r->packets);
	fprintf(f, ", \"clocks_per_packet\": ");
	json_stats(f, r->pkt_clocks, r->packets);
	fprintf(f, "}");
}

/* One program: JIT at every lane count, traffic on the model, RTL at 4 */
static int bench_prog(FILE *js, const struct opts *o, const struct bench_prog *prog,
		      struct run_fig *run, struct rtl_fig *rtl)
{
	struct bench_maps m = { 0 };
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	struct jit_fig jf;
	char path[512];
	unsigned int k;
	int err;

	snprintf(path, sizeof(path), "%s/%s", o->progs, prog->object);
	fprintf(js, "    {\"name\": \"%s\", \"object\": \"%s\", ", prog->name, prog->object);
	err = ojit_load_elf(path, NULL, &l) ? -1 : map_names(path, &m);
	if (err) {
		fprintf(stderr, "bench: %s: cannot load %s\n", prog->name, path);
		fprintf(js, "\"error\": \"cannot load %s\", \"lanes\": []}", path);
		return -1;
	}
	fprintf(js, "\"lanes\": [\n");
	for (k = 0; k < N_LANE_COUNTS; k++) {
		unsigned int lanes = lane_counts[k];

		err = jit(&l, lanes, o->jit_reps, &res, &jf);
		fprintf(js, "      {\"lanes\": %u, ", lanes);
		if (err) {
			fprintf(stderr, "bench: %s: JIT (%u lanes): %s\n", prog->name, lanes,
				res.msg);
			fprintf(js, "\"error\": \"JIT: %s\"}%s\n", res.msg,
				k + 1 < N_LANE_COUNTS ? "," : "");
			continue;
		}
		json_jit(js, &jf);
		run_model(prog, &res, lanes, o->packets, &m, run);
		fprintf(js, ",\n       \"model\": {");
		json_run(js, run);
		fprintf(js, "}");
		if (run->error[0] || run->unexpected)
			fprintf(stderr, "bench: %s (%u lanes): %s%u unexpected verdicts%s\n",
				prog->name, lanes, run->error, run->unexpected,
				run->unexpected ? " (see first_unexpected)" : "");
		memset(rtl, 0, sizeof(*rtl));
#ifdef BENCH_RTL
		if (lanes == 4 && o->rtl && !run->error[0])
			run_rtl(prog, &res, o->packets, &m, run, rtl);
#endif
		if (lanes == 4) {
			fprintf(js, ",\n       ");
			json_rtl(js, rtl);
			if (rtl->mismatches || (rtl->state && rtl->note[0]))
				fprintf(stderr, "bench: %s: RTL: %s\n", prog->name, rtl->note);
		}
		fprintf(js, "}%s\n", k + 1 < N_LANE_COUNTS ? "," : "");
		ojit_free(res.image);
	}
	fprintf(js, "    ]}");
	ojit_loaded_free(&l);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: offnic-bench --progs DIR [--packets N] [--json FILE] "
		"[--only NAME] [--no-rtl] [--jit-reps N]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "progs", required_argument, NULL, 'p' },
		{ "packets", required_argument, NULL, 'n' },
		{ "json", required_argument, NULL, 'j' },
		{ "only", required_argument, NULL, 'o' },
		{ "no-rtl", no_argument, NULL, 'R' },
		{ "jit-reps", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->progs = optarg; break;
		case 'n': o->packets = (unsigned int)atoi(optarg); break;
		case 'j': o->json = optarg; break;
		case 'o': o->only = optarg; break;
		case 'R': o->rtl = 0; break;
		case 'r': o->jit_reps = (unsigned int)atoi(optarg); break;
		default: usage();
		}
	}
	if (!o->progs || !o->packets || o->packets > MAX_PACKETS || !o->jit_reps)
		usage();
}

int main(int argc, char **argv)
{
	struct opts o = { .packets = 256, .jit_reps = 21, .rtl = 1 };
	static struct run_fig run;
	static struct rtl_fig rtl;
	const char *sep = "";
	unsigned int i, failed = 0;
	FILE *js;

	parse(argc, argv, &o);
	libbpf_set_print(NULL);
	js = o.json ? fopen(o.json, "w") : stdout;
	if (!js) {
		perror(o.json);
		return 1;
	}
#ifdef BENCH_RTL
	fprintf(js, "{\"rtl_linked\": %s, \"rtl_lanes\": %u, ", o.rtl ? "true" : "false",
		rtlb_lanes());
#else
	fprintf(js, "{\"rtl_linked\": false, \"rtl_lanes\": 0, ");
#endif
	if (!o.only)
		bench_jit_limit(js, o.jit_reps > 5 ? 5 : o.jit_reps);
	fprintf(js, "\"packets\": %u, \"jit_reps\": %u, \"programs\": [\n", o.packets,
		o.jit_reps);
	for (i = 0; i < bench_n_progs; i++) {
		if (o.only && strcmp(o.only, bench_progs[i].name))
			continue;
		fprintf(js, "%s", sep);
		fprintf(stderr, "bench: %s\n", bench_progs[i].name);
		if (bench_prog(js, &o, &bench_progs[i], &run, &rtl))
			failed++;
		sep = ",\n";
	}
	fprintf(js, "\n]}\n");
	if (js != stdout)
		fclose(js);
	return failed ? 1 : 0;
}
