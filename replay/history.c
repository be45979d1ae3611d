// SPDX-License-Identifier: GPL-2.0
/*
 * A data mismatch's history (see history.h).  The shadow model says what
 * a range must hold from the order ops completed in; when the kernel
 * disagrees, the first question is which ops could have put those bytes
 * there, or taken them away, and how they overlapped in time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "history.h"
#include "shadow.h"

/* At most this many ops are listed; the ones nearest the read are kept. */
#define HISTORY_MAX	2000

void op_text(const struct plan *p, unsigned int i, char *buf, size_t len)
{
	const struct plan_op *op = &p->ops[i];

	snprintf(buf, len, "op %u (%s %s", op->seq, p->threads[op->thread].name,
		 plan_op_name_of(op));
	if (op->kind == PK_TOUCH)
		snprintf(buf + strlen(buf), len - strlen(buf), " F%u page=%llu %s",
			 op->file + 1, (unsigned long long)op->off,
			 touch_stores(p, op) ? "store" : "load");
	else if (op->file != PLAN_NONE)
		snprintf(buf + strlen(buf), len - strlen(buf), " F%u off=%llu len=%llu%s",
			 op->file + 1, (unsigned long long)op->off,
			 (unsigned long long)op->len, op->direct ? " direct" : "");
	snprintf(buf + strlen(buf), len - strlen(buf), ")");
}

static bool overlaps(__u64 a, __u64 alen, __u64 b, __u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* Did op read or write bytes of file in [off, off + len)? */
static bool touches_range(const struct plan *p, const struct plan_op *op,
			  unsigned int file, __u64 off, __u64 len)
{
	if (op->buf_map != PLAN_NONE) {
		const struct plan_map *m = &p->maps[op->buf_map];

		/* a direct read into a mapping writes the mapped file */
		if (m->file == file &&
		    overlaps(m->off + op->buf_off, op->len, off, len))
			return true;
	}
	if (op->file != file)
		return false;
	if (op->kind == PK_TOUCH)
		return overlaps(touch_off(p, op), 4096, off, len);
	return overlaps(op->off, op->len, off, len);
}

/*
 * Ops that change the file's size, its blocks or what is cached of it;
 * those given a range, only if it meets the mismatch's (len 0: to EOF).
 */
static bool changes_file(const struct plan *p, const struct plan_op *op,
			 unsigned int file, __u64 off, __u64 len)
{
	__u64 at = op->off;

	if (op->kind == PK_MSYNC || op->kind == PK_MADVISE)
		at += p->maps[op->map].off;	/* off is in the mapping */
	switch (op->kind) {
	case PK_MSYNC:
	case PK_MADVISE:
	case PK_FADVISE:
	case PK_SYNC_FILE_RANGE:
		return op->file == file &&
		       (!op->len || overlaps(at, op->len, off, len));
	case PK_OPEN:
		return op->file == file && (op->flags & 01000);	/* O_TRUNC */
	case PK_CLOSE:
	case PK_READ:
	case PK_WRITE:
	case PK_TOUCH:
	case PK_IOCTL:
		return false;
	case PK_DROP_CACHES:
		return true;
	default:
		return op->file == file;
	}
}

static int by_start(const void *a, const void *b, void *arg)
{
	const struct op_state *ops = arg;
	__u64 x = ops[*(const unsigned int *)a].start_ns;
	__u64 y = ops[*(const unsigned int *)b].start_ns;

	return x < y ? -1 : x > y;
}

static void mark(const struct mismatch *m, unsigned int i, char *buf,
		 size_t len)
{
	buf[0] = 0;
	if (m->expected_tag == i + TAG_OP0)
		snprintf(buf, len, "  <- expected");
	if (m->op == i)
		snprintf(buf + strlen(buf), len - strlen(buf), "  <- saw %s",
			 m->kind == MM_ZERO ? "zeros" : "the mismatch");
}

bool history_write(const char *path, const struct plan *p,
		   const struct op_state *ops, const struct mismatch *m)
{
	unsigned int *idx, n = 0, i, first = 0;
	char text[256], tail[64];
	__u64 t0 = ~0ull;
	FILE *f;

	idx = malloc(p->nops * sizeof(*idx));
	if (!idx)
		return false;
	for (i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];

		if (!ops[i].start_ns)		/* not reached in this trial */
			continue;
		if (ops[i].start_ns < t0)
			t0 = ops[i].start_ns;
		if (i == m->op || touches_range(p, op, m->file, m->off, m->len) ||
		    changes_file(p, op, m->file, m->off, m->len))
			idx[n++] = i;
	}
	qsort_r(idx, n, sizeof(*idx), by_start, (void *)ops);
	if (m->op != PLAN_NONE) {
		/* keep the HISTORY_MAX ops up to the read that saw it */
		for (i = 0; i < n && idx[i] != m->op; i++)
			;
		if (i < n && i + 1 > HISTORY_MAX)
			first = i + 1 - HISTORY_MAX;
	}
	f = fopen(path, "we");
	if (!f) {
		free(idx);
		return false;
	}
	fprintf(f, "# F%u %s off=%llu len=%llu: ops that touched the range or changed the file\n",
		m->file + 1, p->files[m->file].target,
		(unsigned long long)m->off, (unsigned long long)m->len);
	fprintf(f, "# start ms, duration us, epochs start-end (completion order), op = result\n");
	for (i = first; i < n && i < first + HISTORY_MAX; i++) {
		const struct op_state *s = &ops[idx[i]];
		double dur = s->end_ns > s->start_ns ?
			     (s->end_ns - s->start_ns) / 1e3 : -1;

		op_text(p, idx[i], text, sizeof(text));
		mark(m, idx[i], tail, sizeof(tail));
		if (dur < 0)
			fprintf(f, "%11.3f %10s %7u-%-7s %s%s\n",
				(s->start_ns - t0) / 1e6, "running", s->start_epoch,
				"", text, tail);
		else
			fprintf(f, "%11.3f %10.1f %7u-%-7u %s = %lld%s\n",
				(s->start_ns - t0) / 1e6, dur, s->start_epoch,
				s->end_epoch, text, (long long)s->ret, tail);
	}
	free(idx);
	return !fclose(f);
}
