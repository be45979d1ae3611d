/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace's file ops, in the recorded order of their starts: what
 * `pcrace dump --ops` prints as scenario text (lib/ops_text.c) and what replay
 * builds its plan from (replay/plan_trace.c), read once by
 * lib/trace_ops.c.  Numbers, not text: replay of a trace no longer
 * prints and parses back tens of thousands of lines (slow under TCG).
 */
#ifndef PCRACE_OPS_H
#define PCRACE_OPS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "pcrace_schema.h"
#include "pcrace_trace.h"

/* A file the ops act on: F<id>. */
struct ops_file {
	unsigned int id;
	char *path;
	__u64 size;
	char *fstype;
	unsigned long blksize;
	char *opts;			/* mount options */
	bool bdev;
};

/*
 * Which arguments an op has.  The scenario text prints them in this
 * order, as key=value words after the op's file or mapping.
 */
enum ops_key {
	OK_FD		= 1 << 0,	/* fd= of open, dup*, close */
	OK_CMD		= 1 << 1,	/* ioctl cmd= (flags) */
	OK_BLKPG	= 1 << 2,	/* part= pno=: the BLKPG partition */
	OK_OFF		= 1 << 3,	/* off= */
	OK_SOFF		= 1 << 4,	/* off=, signed: preadv2's -1 */
	OK_PAGE		= 1 << 5,	/* page= of a touch (in off) */
	OK_LEN		= 1 << 6,
	OK_IOVCNT	= 1 << 7,
	OK_RWF		= 1 << 8,	/* rwf= (flags) */
	OK_MODE		= 1 << 9,	/* fallocate mode= (flags) */
	OK_PROT		= 1 << 10,	/* mmap prot= (flags) */
	OK_FLAGS	= 1 << 11,	/* flags= in flags_fmt (flags) */
	OK_MMAP_FLAGS	= 1 << 12,	/* mmap flags= (flags2) */
	OK_ADVICE	= 1 << 13,	/* advice=, a number (flags) */
	OK_MADV		= 1 << 14,	/* madvise advice= (flags) */
	OK_COLOUR	= 1 << 15,
	OK_DIRECT	= 1 << 16,
	OK_BUF		= 1 << 17,	/* buf=M<buf_map>+buf_off */
	OK_TOUCH	= 1 << 18,	/* store, load or access */
	OK_RESULT	= 1 << 19,	/* = ret */
};

enum ops_touch { OT_LOAD, OT_STORE, OT_ACCESS };

struct ops_op {
	__u64 seq;
	__u64 usec, dur;		/* start since the trace began, length */
	__u64 off, len, iovcnt;
	__u64 flags, flags2;
	__u64 colour;
	__u64 buf_off;
	__u64 blkpg_op, blkpg_pno;	/* of OK_BLKPG */
	__s64 fd, ret;
	const char *name;		/* pread64, uring_fsync, touch, ... */
	unsigned int proc, thread;	/* P<n>:T<n> */
	unsigned int file;		/* F<n>; 0 for an op on a mapping */
	unsigned int map;		/* M<n>: what mmap makes, or acts on */
	unsigned int buf_map;		/* M<n> of OK_BUF */
	unsigned int keys;		/* enum ops_key */
	enum pcrace_argfmt flags_fmt;	/* of OK_FLAGS */
	enum ops_touch touch;
};

/* What the ops go to; a non-zero return stops the read. */
struct ops_sink {
	/* once, before the first op: every file the ops use */
	int (*head)(const char *kernel, const struct ops_file *files,
		    unsigned int nfiles, void *arg);
	int (*op)(const struct ops_op *op, void *arg);
	void *arg;
};

/*
 * Reads the trace at path and hands its ops to sink in seq order.  < 0
 * with res->error set on a bad trace; a sink's non-zero return stops the
 * ops and is returned.  res->truncated says the ops stop where the trace
 * did.
 */
int pcrace_trace_ops(const char *path, const struct ops_sink *sink,
		     struct pcrace_read_result *res);

/* The ops as scenario text to out (lib/ops_text.c); < 0 on a bad trace. */
int pcrace_dump_ops(const char *path, FILE *out,
		    struct pcrace_read_result *res);

#endif /* PCRACE_OPS_H */
