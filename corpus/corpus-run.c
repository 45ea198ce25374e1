// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * corpus-run: every XDP and tc program of the BPF objects named on the
 * command line through offnic's JIT, then, when it translates, over a
 * fixed set of generated frames on the C model and on the tests'
 * reference interpreter (offload-jit/tests/bpf_interp.c) with kernel
 * semantics for the context, maps and helpers.  One line per program:
 *
 *   OBJECT:PROGRAM <TAB> CLASS <TAB> DETAIL
 *
 * CLASS is correct (same verdict and output bytes on every frame),
 * mistranslated (the first difference in DETAIL), unchecked (translated,
 * but it calls a helper whose result cannot be reproduced: ktime,
 * prandom) or refused (DETAIL: the JIT's or the loader's message).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "tools.h"
#include "bpf_interp.h"
#include "offnic_image.h"

#define HEADROOM	256		/* the model's, and XDP's */
#define BUF_BYTES	4096
#define XDP_FRAME_SZ	40		/* struct xdp_frame, kept in the headroom */
#define SHINFO_SZ	320		/* skb_shared_info at the buffer's end */
#define ETH_HLEN	14

/* ---- generated traffic ---------------------------------------------- */

struct frame {
	const char *what;
	uint8_t b[1600];
	uint32_t len;
};

static uint32_t put(uint8_t *p, const char *hex)
{
	return (uint32_t)ojit_unhex(hex, p, 1600);
}

#define MACS	"0200000000020200000000010"
static const char *const frame_hex[][2] = {
	{ "ipv4 udp", MACS "800" "4500002e00010000401100000a0000010a000002"
	  "d43104d2001a0000" "000102030405060708090a0b0c0d0e0f1011" },
	{ "ipv4 tcp syn", MACS "800" "45000028000100004006" "0000" "c0a80001c0a80102"
	  "a0f10050000000010000000050022000" "00000000" },
	{ "ipv4 icmp echo", MACS "800" "4500001c000100004001" "0000" "0a0000010a000002"
	  "0800f7ff00000000" },
	{ "ipv4 options udp", MACS "800" "4600002000010000401100000a0000010a000002"
	  "01010100" "3039003500080000" },
	{ "ipv4 ttl 1 udp", MACS "800" "4500001c000100000111" "0000" "0a0000010a000002"
	  "3039003500080000" },
	{ "ipv4 fragment", MACS "800" "4500001c00012001401100000a0000010a000002"
	  "3039003500080000" },
	{ "ipv6 udp", MACS "86dd" "6000000000081140" "20010db8000000000000000000000001"
	  "20010db8000000000000000000000002" "3039003500080000" },
	{ "ipv6 tcp", MACS "86dd" "6000000000141840" "fe800000000000000000000000000001"
	  "fe800000000000000000000000000002" "a0f10050000000010000000050022000"
	  "00000000" },
	{ "vlan ipv4 udp", MACS "8100" "00640800" "4500001c000100004011" "0000"
	  "0a0000010a000002" "3039003500080000" },
	{ "arp", MACS "806" "0001080006040001020000000001" "0a000001" "000000000000"
	  "0a000002" },
	{ "runt", "020000000002020000" },
	{ "ipv4 truncated", MACS "800" "45000014" },
};

#define N_FRAMES	(sizeof(frame_hex) / sizeof(frame_hex[0]))

static struct frame frames[N_FRAMES];

static void make_frames(void)
{
	unsigned int i;

	for (i = 0; i < N_FRAMES; i++) {
		frames[i].what = frame_hex[i][0];
		frames[i].len = put(frames[i].b, frame_hex[i][1]);
		/* at least a minimum Ethernet frame, as a NIC delivers it,
		 * except the deliberately short ones */
		if (frames[i].len < 60 && frames[i].len > 20)
			frames[i].len = 60;
	}
}

/* ---- the reference: kernel semantics on the interpreter ------------- */

struct ref_map {
	struct ojit_map_desc d;
	uint8_t *values;	/* max_entries * value_size */
	uint8_t *keys;		/* hash: max_entries * key_size */
	uint8_t *used;		/* hash: slot in use */
};

struct ref {
	struct bpf_interp_env env;
	uint8_t buf[BUF_BYTES];
	uint32_t prog_type;
	struct ref_map maps[OJIT_MAX_MAPS];
	uint32_t n_maps;
	int nondet;
	uint32_t mark, priority, tc_index, cb0;
};

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t ctx_field(struct bpf_interp_env *env, uint32_t off, int *error);

/* Narrow loads of the 4-byte scalar fields read their low-address bytes */
static uint64_t ref_ctx_load(struct bpf_interp_env *env, uint32_t off, uint32_t size,
			     int *error)
{
	uint64_t v;

	if (size == 4 && !(off & 3))
		return ctx_field(env, off, error);
	if (size > 4 || (off & 3) + size > 4) {
		*error = 1;
		return 0;
	}
	v = ctx_field(env, off & ~3U, error);
	if (v > 0xffffffffULL)		/* a pointer: no narrow loads */
		*error = 1;
	return (v >> ((off & 3) * 8)) & ((1ULL << (size * 8)) - 1);
}

static uint64_t ctx_field(struct bpf_interp_env *env, uint32_t off, int *error)
{
	struct ref *r = env->priv;
	uint64_t v = 0;

	if (r->prog_type != OFFNIC_PROG_TC) {	/* struct xdp_md */
		switch (off) {
		case 0: return ptr(env->data);
		case 4: return ptr(env->data_end);
		case 8: return ptr(env->data_meta);
		case 12: case 16: case 20: return 0;	/* ifindex, rxq, egress */
		}
		*error = 1;
		return 0;
	}
	switch (off) {				/* struct __sk_buff */
	case 0: return (uint64_t)(env->data_end - env->data);
	case 8: return r->mark;
	case 12: return 0;
	case 16:
		if (env->data_end - env->data >= 14)
			v = env->data[12] | env->data[13] << 8;
		return v;
	case 32: return r->priority;
	case 36: case 40: return 0;
	case 44: return r->tc_index;
	case 48: return r->cb0;
	case 68: return 0;
	case 76: return ptr(env->data);
	case 80: return ptr(env->data_end);
	case 140: return ptr(env->data_meta);
	}
	*error = 1;
	return 0;
}

static void ref_ctx_store(struct bpf_interp_env *env, uint32_t off, uint32_t size,
			  uint64_t v, int *error)
{
	struct ref *r = env->priv;

	if (r->prog_type != OFFNIC_PROG_TC || size != 4) {
		*error = 1;
		return;
	}
	switch (off) {
	case 8: r->mark = (uint32_t)v; return;
	case 32: r->priority = (uint32_t)v; return;
	case 44: r->tc_index = (uint32_t)v; return;
	case 48: r->cb0 = (uint32_t)v; return;
	}
	*error = 1;
}

static uint64_t ref_map_ptr(struct bpf_interp_env *env, int32_t idx, int *error)
{
	struct ref *r = env->priv;

	if (idx < 0 || (uint32_t)idx >= r->n_maps) {
		*error = 1;
		return 0;
	}
	return ptr(&r->maps[idx]);
}

static struct ref_map *map_of(struct ref *r, uint64_t p, int *error)
{
	uint32_t i;

	for (i = 0; i < r->n_maps; i++)
		if (p == ptr(&r->maps[i]))
			return &r->maps[i];
	*error = 1;
	return NULL;
}

/* Host memory the program may pass to a helper: stack, packet, values */
static const uint8_t *mem(struct ref *r, uint64_t p)
{
	return (const uint8_t *)(uintptr_t)p;
}

static int64_t hash_slot(struct ref_map *m, const uint8_t *key, int free_slot)
{
	uint32_t i;

	for (i = 0; i < m->d.max_entries; i++) {
		if (!free_slot && m->used[i] &&
		    !memcmp(m->keys + (size_t)i * m->d.key_size, key, m->d.key_size))
			return i;
		if (free_slot && !m->used[i])
			return i;
	}
	return -1;
}

static uint64_t map_lookup(struct ref *r, uint64_t *a, int *error)
{
	struct ref_map *m = map_of(r, a[0], error);
	const uint8_t *key = mem(r, a[1]);
	int64_t k;

	if (!m)
		return 0;
	if (m->d.type == OFFNIC_MAP_ARRAY) {
		uint32_t i;

		memcpy(&i, key, 4);
		return i < m->d.max_entries ?
		       ptr(m->values + (size_t)i * m->d.value_size) : 0;
	}
	if (m->d.type != OFFNIC_MAP_HASH) {
		*error = 1;
		return 0;
	}
	k = hash_slot(m, key, 0);
	return k < 0 ? 0 : ptr(m->values + (size_t)k * m->d.value_size);
}

#define BPF_NOEXIST	1
#define BPF_EXIST	2

static uint64_t map_update(struct ref *r, uint64_t *a, int *error)
{
	struct ref_map *m = map_of(r, a[0], error);
	const uint8_t *key = mem(r, a[1]), *val = mem(r, a[2]);
	uint64_t flags = a[3];
	int64_t k;

	if (!m)
		return 0;
	if (flags > BPF_EXIST)
		return (uint64_t)-EINVAL;
	if (m->d.type == OFFNIC_MAP_ARRAY) {
		uint32_t i;

		memcpy(&i, key, 4);
		if (i >= m->d.max_entries)
			return (uint64_t)-E2BIG;
		if (flags == BPF_NOEXIST)
			return (uint64_t)-EEXIST;
		memcpy(m->values + (size_t)i * m->d.value_size, val, m->d.value_size);
		return 0;
	}
	k = hash_slot(m, key, 0);
	if (k >= 0 && flags == BPF_NOEXIST)
		return (uint64_t)-EEXIST;
	if (k < 0 && flags == BPF_EXIST)
		return (uint64_t)-ENOENT;
	if (k < 0)
		k = hash_slot(m, key, 1);
	if (k < 0)
		return (uint64_t)-E2BIG;
	m->used[k] = 1;
	memcpy(m->keys + (size_t)k * m->d.key_size, key, m->d.key_size);
	memcpy(m->values + (size_t)k * m->d.value_size, val, m->d.value_size);
	return 0;
}

static uint64_t map_delete(struct ref *r, uint64_t *a, int *error)
{
	struct ref_map *m = map_of(r, a[0], error);
	int64_t k;

	if (!m)
		return 0;
	if (m->d.type == OFFNIC_MAP_ARRAY)
		return (uint64_t)-EINVAL;
	k = hash_slot(m, mem(r, a[1]), 0);
	if (k < 0)
		return (uint64_t)-ENOENT;
	m->used[k] = 0;
	return 0;
}

/* x86-64 csum_partial of ~from then to, seeded, folded to 32 bits */
static uint64_t csum_diff(struct ref *r, uint64_t *a)
{
	uint32_t from_size = (uint32_t)a[1], to_size = (uint32_t)a[3], i, w;
	const uint8_t *from = mem(r, a[0]), *to = mem(r, a[2]);
	uint64_t sum = (uint32_t)a[4];

	if ((from_size | to_size) & 3 || from_size + (uint64_t)to_size > 512)
		return (uint64_t)-EINVAL;
	for (i = 0; i < from_size; i += 4) {
		memcpy(&w, from + i, 4);
		sum += (uint32_t)~w;
	}
	for (i = 0; i < to_size; i += 4) {
		memcpy(&w, to + i, 4);
		sum += w;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffULL) + (sum >> 32);
	return sum;
}

/* bpf_xdp_adjust_head/_tail/_meta as net/core/filter.c of 6.1 */
static uint64_t adjust(struct ref *r, int32_t id, int32_t delta)
{
	struct bpf_interp_env *e = &r->env;
	uint8_t *lo = r->buf + XDP_FRAME_SZ;
	uint32_t metalen = (uint32_t)(e->data - e->data_meta);

	if (id == 44) {			/* head */
		uint8_t *data = e->data + delta;

		if (data < lo + metalen || data > e->data_end - ETH_HLEN)
			return (uint64_t)-EINVAL;
		if (metalen)
			memmove(e->data_meta + delta, e->data_meta, metalen);
		e->data_meta += delta;
		e->data = data;
		return 0;
	}
	if (id == 65) {			/* tail */
		uint8_t *end = e->data_end + delta;

		if (end > r->buf + BUF_BYTES - SHINFO_SZ || end < e->data + ETH_HLEN)
			return (uint64_t)-EINVAL;
		if (delta > 0)
			memset(e->data_end, 0, (size_t)delta);
		e->data_end = end;
		return 0;
	}
	{				/* meta */
		uint8_t *meta = e->data_meta + delta;
		long len = e->data - meta;

		if (meta < lo || meta > e->data)
			return (uint64_t)-EINVAL;
		if ((len & 3) || len > 32)
			return (uint64_t)-EACCES;
		e->data_meta = meta;
		return 0;
	}
}

static uint64_t ref_call(struct bpf_interp_env *env, int32_t id, uint64_t *a, int *error)
{
	struct ref *r = env->priv;

	switch (id) {
	case 1: return map_lookup(r, a, error);
	case 2: return map_update(r, a, error);
	case 3: return map_delete(r, a, error);
	case 5:				/* ktime_get_ns */
	case 7:				/* get_prandom_u32 */
		r->nondet = 1;
		return 0;
	case 23:			/* redirect */
		if (r->prog_type == OFFNIC_PROG_TC)
			return a[1] & ~1ULL ? 2 : 7;	/* TC_ACT_SHOT : _REDIRECT */
		return a[1] ? 0 : 4;		/* XDP_ABORTED : XDP_REDIRECT */
	case 25:			/* perf_event_output */
		return 0;
	case 8:				/* get_smp_processor_id: core 0 */
		return 0;
	case 188:			/* xdp_get_buff_len: linear frames */
		return (uint64_t)(r->env.data_end - r->env.data);
	case 28: return csum_diff(r, a);
	case 44: case 54: case 65:
		return adjust(r, id, (int32_t)a[1]);
	}
	*error = 1;
	return 0;
}

static int ref_setup(struct ref *r, const struct ojit_loaded *l)
{
	uint32_t i;

	memset(r, 0, sizeof(*r));
	r->prog_type = l->prog_type;
	r->env.priv = r;
	r->env.ctx_load = ref_ctx_load;
	r->env.ctx_store = ref_ctx_store;
	r->env.map_ptr = ref_map_ptr;
	r->env.call = ref_call;
	r->n_maps = l->n_maps;
	for (i = 0; i < l->n_maps; i++) {
		struct ref_map *m = &r->maps[i];

		m->d = l->maps[i];
		m->values = calloc(m->d.max_entries ? m->d.max_entries : 1, m->d.value_size + 1);
		if (m->d.type == OFFNIC_MAP_HASH) {
			m->keys = calloc(m->d.max_entries, m->d.key_size + 1);
			m->used = calloc(m->d.max_entries, 1);
		}
		if (!m->values || (m->d.type == OFFNIC_MAP_HASH && (!m->keys || !m->used)))
			return -ENOMEM;
		r->env.region[r->env.n_regions].base = m->values;
		r->env.region[r->env.n_regions++].size =
			(uint64_t)m->d.max_entries * m->d.value_size;
	}
	return 0;
}

static void ref_free(struct ref *r)
{
	uint32_t i;

	for (i = 0; i < r->n_maps; i++) {
		free(r->maps[i].values);
		free(r->maps[i].keys);
		free(r->maps[i].used);
	}
}

/* Verdict and output frame of one frame on the reference, maps fresh */
static int ref_run(const struct ojit_loaded *l, const struct frame *f, uint64_t *verdict,
		   uint8_t *out, uint32_t *out_len, int *nondet)
{
	static struct ref r;
	uint8_t ctx[192];
	int error;

	if (ref_setup(&r, l)) {
		ref_free(&r);
		return -ENOMEM;
	}
	memcpy(r.buf + HEADROOM, f->b, f->len);
	r.env.ctx = ctx;
	r.env.ctx_size = sizeof(ctx);
	r.env.data = r.env.data_meta = r.buf + HEADROOM;
	r.env.data_end = r.env.data + f->len;
	bpf_interp_run_env(l->insns, l->n_insns, &r.env, verdict, &error);
	*out_len = (uint32_t)(r.env.data_end - r.env.data);
	memcpy(out, r.env.data, *out_len);
	*nondet = r.nondet;
	ref_free(&r);
	return error ? -EFAULT : 0;
}

/* ---- one program ---------------------------------------------------- */

static int load_quietly(const char *path, const char *prog, struct ojit_loaded *l,
			char *err_text, size_t size)
{
	FILE *saved = stderr, *f = fmemopen(err_text, size, "w");
	int err;

	memset(err_text, 0, size);
	if (f)
		stderr = f;
	err = ojit_load_elf(path, prog, l);
	if (f) {
		fclose(f);
		stderr = saved;
	}
	err_text[strcspn(err_text, "\n")] = 0;
	return err;
}

static void hex(FILE *o, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && i < 64; i++)
		fprintf(o, "%02x", p[i]);
}

static void one(const char *path, const char *label, const char *prog)
{
	static uint8_t ref_out[BUF_BYTES];
	struct ojit_options opt = { .lanes = 4 };
	struct ojit_loaded l = { 0 };
	struct ojit_result res;
	char text[512], msg[200];
	unsigned int i, n_ref_err = 0, verdicts = 0, rewrites = 0;
	int err, nondet = 0;

	printf("%s:%s\t", label, prog);
	if (load_quietly(path, prog, &l, text, sizeof(text))) {
		printf("refused\t%s\n", text[0] ? text : "the loader gave no reason");
		ojit_loaded_free(&l);
		return;
	}
	if (ojit_compile_loaded(&l, &opt, &res)) {
		printf("refused\t%s\n", res.msg);
		ojit_loaded_free(&l);
		return;
	}
	for (i = 0; i < N_FRAMES; i++) {
		const struct frame *f = &frames[i];
		struct ojit_run_out out;
		uint32_t ref_len = 0;
		uint64_t verdict = 0;
		int ref_err, nd = 0;

		ref_err = ref_run(&l, f, &verdict, ref_out, &ref_len, &nd);
		nondet |= nd;
		err = ojit_run_image(OJIT_BACKEND_MODEL, res.image, res.image_size, f->b,
				     f->len, &out, msg, sizeof(msg));
		if (err) {
			printf("mistranslated\t%s: model: %s\n", f->what, msg);
			goto out;
		}
		if (ref_err) {
			/* an access the verifier would not have allowed (or a
			 * reference gap): nothing to compare this frame with */
			n_ref_err++;
			continue;
		}
		if (nd)
			continue;
		if (out.faulted) {
			printf("mistranslated\t%s: faults on the model (cause %u at bundle %u), reference verdict %llu\n",
			       f->what, out.fault_cause, out.fault_pc,
			       (unsigned long long)verdict);
			goto out;
		}
		if (out.verdict < 32)
			verdicts |= 1U << out.verdict;
		if (out.pkt_len != f->len || memcmp(out.pkt, f->b, f->len))
			rewrites++;
		if (out.verdict != (uint32_t)verdict || out.pkt_len != ref_len ||
		    memcmp(out.pkt, ref_out, ref_len)) {
			printf("mistranslated\t%s: model verdict %u len %u, reference %llu len %u; model ",
			       f->what, out.verdict, out.pkt_len, (unsigned long long)verdict,
			       ref_len);
			hex(stdout, out.pkt, out.pkt_len);
			printf(" reference ");
			hex(stdout, ref_out, ref_len);
			printf("\n");
			goto out;
		}
	}
	if (nondet)
		printf("unchecked\tcalls bpf_ktime_get_ns or bpf_get_prandom_u32\n");
	else if (n_ref_err == N_FRAMES)
		printf("unchecked\tthe reference interpreter fails on every frame\n");
	else
		printf("correct\t%u frames (%u the reference fails on), %u verdicts, %u rewritten, %u insns\n",
		       (unsigned int)(N_FRAMES - n_ref_err), n_ref_err,
		       (unsigned int)__builtin_popcount(verdicts), rewrites, l.n_insns);
out:
	ojit_free(res.image);
	ojit_loaded_free(&l);
}

static int wanted(const struct bpf_program *p)
{
	switch (bpf_program__type(p)) {
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return 1;
	default:
		return 0;
	}
}

/* libbpf's last warning: why an object does not open */
static char libbpf_said[256];

static int keep_warning(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		vsnprintf(libbpf_said, sizeof(libbpf_said), fmt, ap);
		libbpf_said[strcspn(libbpf_said, "\n")] = 0;
	}
	return 0;
}

/* The selftests mark programs the verifier must reject with __failure:
 * a BTF decl tag "comment:test_expect_failure" on the function */
static int expects_failure(struct bpf_object *obj, const char *prog)
{
	struct btf *btf = bpf_object__btf(obj);
	uint32_t id, n = btf ? btf__type_cnt(btf) : 0;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id), *f;

		if (!btf_is_decl_tag(t) ||
		    strcmp(btf__name_by_offset(btf, t->name_off), "comment:test_expect_failure"))
			continue;
		f = btf__type_by_id(btf, t->type);
		if (f && btf_is_func(f) && !strcmp(btf__name_by_offset(btf, f->name_off), prog))
			return 1;
	}
	return 0;
}

/* usage: corpus-run [LABEL=]OBJECT... */
int main(int argc, char **argv)
{
	int i;

	libbpf_set_print(keep_warning);
	make_frames();
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '='), names[256][128];
		const char *path = eq ? eq + 1 : argv[i];
		struct bpf_object *obj;
		struct bpf_program *p;
		int n = 0, k;

		if (eq)
			*eq = 0;
		libbpf_said[0] = 0;
		obj = bpf_object__open(path);
		if (!obj || libbpf_get_error(obj)) {
			printf("%s:*\trefused\tlibbpf cannot open the object: %s\n", argv[i],
			       libbpf_said);
			continue;
		}
		bpf_object__for_each_program(p, obj) {
			if (!wanted(p) || n == 256)
				continue;
			if (expects_failure(obj, bpf_program__name(p))) {
				printf("%s:%s\tinvalid\tthe selftest expects the verifier to reject it (__failure)\n",
				       argv[i], bpf_program__name(p));
				continue;
			}
			snprintf(names[n++], sizeof(names[0]), "%s", bpf_program__name(p));
		}
		bpf_object__close(obj);
		for (k = 0; k < n; k++)
			one(path, argv[i], names[k]);
		fflush(stdout);
	}
	return 0;
}
