// SPDX-License-Identifier: GPL-2.0
/*
 * Trace -> plan, from the trace's ops (lib/trace_ops.c) as numbers, not
 * by printing them as the scenario text of `pcrace dump --ops` and
 * parsing that back: for seed 7's 41,698 ops that was two thirds of the
 * load's instructions.  The checks are the parser's own (plan_build.h),
 * so the text and the trace make the same plan; tests/17 compares the
 * two for every corpus trace, and the fuzz harness for made-up ones.
 */
#include <stdio.h>
#include <string.h>
#include <linux/blkpg.h>
#include "pcrace_ops.h"
#include "plan.h"
#include "plan_build.h"

static int trace_head(const char *kernel, const struct ops_file *files,
		      unsigned int nfiles, void *arg)
{
	struct parse_state *s = arg;
	struct plan_file *f;
	unsigned int i;

	(void)kernel;
	for (i = 0; i < nfiles; i++) {
		f = plan_file_new(s, files[i].id, files[i].path);
		if (!f)
			return -1;
		f->size = files[i].size;
		snprintf(f->fstype, sizeof(f->fstype), "%s", files[i].fstype);
		f->blksize = files[i].blksize;
		f->opts = strdup(files[i].opts);
		f->bdev = files[i].bdev;
		if (plan_file_done(s, files[i].id, f))
			return -1;
	}
	return 0;
}

/* An op's flags word and the key it came from, as op_arg() reads it. */
static void trace_flags(struct plan_op *op, const struct ops_op *o)
{
	if (o->keys & (OK_CMD | OK_RWF | OK_MODE | OK_PROT | OK_FLAGS |
		       OK_ADVICE | OK_MADV))
		op->flags = o->flags;
	if (o->keys & OK_MMAP_FLAGS)
		op->flags2 = o->flags2;
}

static int trace_op(const struct ops_op *o, void *arg)
{
	struct parse_state *s = arg;
	struct plan_op *op;

	s->seq = o->seq;
	if (o->seq > 0xffffffffu)
		return plan_fail(s, "op sequence number past 2^32");
	op = plan_new_op(s);
	if (!op)
		return plan_fail(s, "out of memory");
	op->seq = o->seq;
	op->thread = plan_thread_index(s, o->proc, o->thread);
	if (op->thread == PLAN_NONE)
		return plan_fail(s, "bad thread P%u:T%u (one process per thread)",
				 o->proc, o->thread);
	op->usec = o->usec;
	op->dur = o->dur;
	if (plan_op_name(s, op, o->name) ||
	    plan_op_target(s, op, plan_op_on_map(op) ? o->map : o->file))
		return -1;
	if (op->kind == PK_MMAP && plan_new_map(s, op, o->map))
		return -1;
	if ((o->keys & OK_SOFF) && (__s64)o->off < 0)
		return plan_fail(s, "off: '%lld' is not a number",
				 (long long)o->off);
	if (o->keys & (OK_OFF | OK_SOFF | OK_PAGE))
		op->off = o->off;
	if (o->keys & OK_LEN)
		op->len = o->len;
	if (o->keys & OK_FD)
		op->fd = o->fd;
	trace_flags(op, o);
	if (o->keys & OK_BLKPG) {
		if (op->kind != PK_IOCTL || o->blkpg_pno > 0xffff ||
		    o->blkpg_op < BLKPG_ADD_PARTITION ||
		    o->blkpg_op > BLKPG_RESIZE_PARTITION)
			return plan_fail(s, "ioctl BLKPG: partition op %llu, number %llu",
					 (unsigned long long)o->blkpg_op,
					 (unsigned long long)o->blkpg_pno);
		op->blkpg_op = o->blkpg_op;
		op->blkpg_pno = o->blkpg_pno;
	}
	if (o->keys & OK_COLOUR) {
		if (op->kind != PK_MMAP || o->colour >= (2u << 20) ||
		    (o->colour & 4095))
			return plan_fail(s, "colour=%llu: a page-aligned offset below 2 MiB, on an mmap",
					 (unsigned long long)o->colour);
		op->colour = o->colour;
	}
	if (o->keys & OK_DIRECT)
		op->direct = true;
	if ((o->keys & OK_BUF) && plan_buf_map(s, op, o->buf_map, o->buf_off))
		return -1;
	if (o->keys & OK_TOUCH)
		op->touch = o->touch == OT_STORE ? PT_STORE :
			    o->touch == OT_LOAD ? PT_LOAD : PT_ACCESS;
	if (o->keys & OK_RESULT) {
		op->ret = o->ret;
		op->has_ret = true;
	}
	return plan_op_done(s, op);
}

int plan_from_trace(struct plan *p, const char *path,
		    const struct plan_filter *f, char *err, size_t errlen)
{
	struct parse_state s = {
		.p = p, .err = err, .errlen = errlen, .all_durations = true,
		.from_trace = true,
	};
	struct ops_sink sink = {
		.head = trace_head, .op = trace_op, .arg = &s,
	};
	struct pcrace_read_result res;
	int ret;

	memset(p, 0, sizeof(*p));
	snprintf(p->source, sizeof(p->source), "%s", path);
	err[0] = '\0';
	ret = pcrace_trace_ops(path, &sink, &res);
	if (ret < 0 && !err[0])
		snprintf(err, errlen, "%s", res.error);
	else if (!ret && res.truncated) {
		snprintf(err, errlen, "%s: trace is truncated", path);
		ret = -1;
	}
	if (!ret)
		ret = plan_finish(&s, f);
	plan_state_free(&s, ret);
	return ret;
}
