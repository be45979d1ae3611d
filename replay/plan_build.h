/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building a plan op by op: what the scenario text parser
 * (plan_parse.c) and the trace reader (plan_trace.c) share, so that a
 * trace and the text `pcrace dump --ops` makes of it plan the same.
 */
#ifndef PCRACE_PLAN_BUILD_H
#define PCRACE_PLAN_BUILD_H

#include "pcrace.h"
#include "pcrace_schema.h"
#include "plan.h"

#define MAX_IDS		65536

/*
 * A thread's last op line, from its op name on, and the op it parsed to.
 * Recorded traces repeat one op line after line (seed 7: 25,284 madvise
 * MADV_PAGEOUT and 16,361 sync_file_range, the same but for their seqs
 * and times): a line whose text from the op name on is its thread's last
 * is a copy of that op with its own seq and times, and is not parsed.
 */
struct op_memo {
	char *text;
	size_t len, cap;
	unsigned int op;		/* index in plan.ops */
	unsigned int words;		/* in text */
};

struct parse_state {
	struct plan *p;
	struct op_memo *memo;		/* by thread index */
	size_t cap_memo;
	struct op_memo next;		/* the next memo's room, swapped in */
	unsigned int *file_of;		/* F<n> -> index + 1 */
	unsigned int *map_of;		/* M<n> -> index + 1 */
	unsigned int *thread_of;	/* T<n> -> index + 1 */
	size_t cap_files, cap_pfiles, cap_maps, cap_ops, cap_threads;
	unsigned int lineno;
	unsigned int last_name;		/* op_names index of the last op */
	char last_arg[64];		/* the last symbolic argument, */
	enum pcrace_argfmt last_fmt;	/* its format */
	__u64 last_val;			/* and value */
	bool last_arg_ok;
	bool all_durations;
	bool from_trace;		/* errors name the op, not a line */
	__u64 seq;			/* the op being read */
	char *err;
	size_t errlen;
};

/* The error, "SOURCE:LINE: ..." or "SOURCE: op SEQ: ..."; -1. */
__printf(2, 3) int plan_fail(struct parse_state *s, const char *fmt, ...);
struct plan_file *plan_file_new(struct parse_state *s, unsigned int id,
				const char *path);
int plan_file_done(struct parse_state *s, unsigned int id, struct plan_file *f);
unsigned int plan_thread_index(struct parse_state *s, unsigned int proc,
			       unsigned int t);
struct plan_op *plan_new_op(struct parse_state *s);
int plan_op_name(struct parse_state *s, struct plan_op *op, const char *name);
bool plan_op_on_map(const struct plan_op *op);
int plan_op_target(struct parse_state *s, struct plan_op *op, unsigned int id);
int plan_new_map(struct parse_state *s, struct plan_op *op, unsigned int id);
int plan_buf_map(struct parse_state *s, struct plan_op *op, unsigned int id,
		 __u64 off);
int plan_op_done(struct parse_state *s, struct plan_op *op);
/* After the last op: --drop, --drop-thread, order, the waits. */
int plan_finish(struct parse_state *s, const struct plan_filter *f);
/* The state's own memory; the plan too if ret is not 0. */
void plan_state_free(struct parse_state *s, int ret);

#endif /* PCRACE_PLAN_BUILD_H */
