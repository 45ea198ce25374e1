// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Context access: the UAPI offsets of struct xdp_md and struct __sk_buff
 * map onto the device's 8-byte context fields (ISA_CTX).
 */
#include "isel.h"

struct ctx_field {
	u16 uapi_off;
	u8 uapi_size;
	u8 field;	/* ONM_CTX_* */
	u8 writable;
};

static const struct ctx_field xdp_fields[] = {
	{ 0, 4, ONM_CTX_DATA, 0 },
	{ 4, 4, ONM_CTX_DATA_END, 0 },
	{ 8, 4, ONM_CTX_DATA_META, 0 },
	{ 12, 4, ONM_CTX_IFINDEX, 0 },
	{ 16, 4, ONM_CTX_RXQ, 0 },
	{ 20, 4, ONM_CTX_EGRESS_IF, 0 },
};

static const struct ctx_field skb_fields[] = {
	{ 0, 4, ONM_CTX_LEN, 0 },
	{ 8, 4, ONM_CTX_MARK, 1 },
	{ 12, 4, ONM_CTX_RXQ, 0 },		/* queue_mapping */
	{ 16, 4, ONM_CTX_PROTOCOL, 0 },
	{ 32, 4, ONM_CTX_PRIORITY, 1 },
	{ 36, 4, ONM_CTX_IFINDEX, 0 },		/* ingress_ifindex */
	{ 40, 4, ONM_CTX_IFINDEX, 0 },		/* ifindex */
	{ 44, 4, ONM_CTX_TC_INDEX, 1 },
	{ 48, 4, ONM_CTX_CB0, 1 },		/* cb[0] */
	{ 68, 4, ONM_CTX_HASH, 0 },
	{ 76, 4, ONM_CTX_DATA, 0 },
	{ 80, 4, ONM_CTX_DATA_END, 0 },
	{ 140, 4, ONM_CTX_DATA_META, 0 },
};

static const struct ctx_field *find_field(struct ojit_prog *p, s32 off)
{
	const struct ctx_field *f = xdp_fields;
	unsigned int n = sizeof(xdp_fields) / sizeof(struct ctx_field), i;

	if (p->in->prog_type == OFFNIC_PROG_TC) {
		f = skb_fields;
		n = sizeof(skb_fields) / sizeof(struct ctx_field);
	}
	for (i = 0; i < n; i++)
		if (off >= f[i].uapi_off && off < f[i].uapi_off + f[i].uapi_size)
			return &f[i];
	return NULL;
}

static int no_field(struct isel_ctx *c, const struct ojit_op *op, const char *what)
{
	return ojit_fail_fmt(c->p, -OJIT_EOPNOTSUPP,
			     "insn %u: %s context field at offset %d (size %u) not available on the device",
			     op->insn, what, op->off, op->size);
}

/* Narrow loads read the whole field and pick their bytes out of it */
int isel_ctx_load(struct isel_ctx *c, const struct ojit_op *op)
{
	const struct ctx_field *f = find_field(c->p, op->off);
	u32 shift;
	struct ojit_uop *u;

	if (!f || op->off + op->size > f->uapi_off + f->uapi_size ||
	    (op->flags & OJ_F_SEXT))
		return no_field(c, op, "read of");
	u = isel_new(c, ONM_OP_LD, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->rd = op->dst;
	u->ra = op->a;
	u->imm = f->field * 8;
	u->fn = ONM_FN_PUT(0, FN_SIZE, 3);
	u->space = OJIT_PTR_CTX;
	u->size = 8;
	u->flags |= OJ_U_LOAD;
	if (op->size == f->uapi_size)
		return 0;
	shift = 8 * (op->off - f->uapi_off);
	if (shift) {
		u = isel_new(c, ONM_OP_RSH, op->insn);
		if (!u)
			return -OJIT_E2BIG;
		u->rd = op->dst;
		u->ra = op->dst;
		u->i = 1;
		u->imm = shift;
	}
	u = isel_new(c, ONM_OP_AND, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->rd = op->dst;
	u->ra = op->dst;
	u->i = 1;
	u->imm = (s32)((1U << (8 * op->size)) - 1);
	return 0;
}

/* Fields are 8 bytes on the device, 4 in the UAPI: store zero-extended */
int isel_ctx_store(struct isel_ctx *c, const struct ojit_op *op)
{
	const struct ctx_field *f = find_field(c->p, op->off);
	struct ojit_uop *u;
	u16 val = isel_temp(c);

	if (!f || !f->writable || op->off != f->uapi_off || op->size != f->uapi_size)
		return no_field(c, op, "write of");
	if (val == OJ_NOREG)
		return -OJIT_E2BIG;
	u = isel_new(c, ONM_OP_MOV, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->rd = val;
	u->fn = ONM_FN_PUT(0, FN_W32, 1);
	if (op->flags & OJ_F_IMM) {
		u->i = 1;
		u->imm = (s32)op->imm;
	} else {
		u->rb = op->b;
	}
	u = isel_new(c, ONM_OP_ST, op->insn);
	if (!u)
		return -OJIT_E2BIG;
	u->ra = op->a;
	u->rb = val;
	u->imm = f->field * 8;
	u->fn = ONM_FN_PUT(0, FN_SIZE, 3);
	u->space = OJIT_PTR_CTX;
	u->size = 8;
	u->flags |= OJ_U_STORE;
	return 0;
}
