// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace convert IN OUT: the same trace in this pcrace's format.  Tables
 * are copied as they are and the events re-encoded, so a version 1 trace
 * gains the OPS chunks a replay reads (pcrace_trace.h).  `pcrace dump`
 * prints the same events from both files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "pcrace.h"
#include "pcrace_trace.h"

#define CONVERT_ZLEVEL	1	/* record's default */

struct convert_ctx {
	struct pcrace_writer *w;
	int err;
};

static int copy_text(enum pcrace_chunk_type type, const char *text,
		     size_t len, void *arg)
{
	struct convert_ctx *c = arg;
	unsigned int nrec = 0;
	size_t i;

	/* one record a line */
	for (i = 0; i < len; i++)
		nrec += text[i] == '\n';
	c->err = pcrace_write_text(c->w, type, text, len, nrec);
	return c->err;
}

static int copy_event(const struct pcrace_rec *r, void *arg)
{
	struct convert_ctx *c = arg;

	c->err = pcrace_write_event(c->w, r);
	return c->err;
}

int pcrace_convert(int argc, char **argv)
{
	struct pcrace_read_ops ops = { .text = copy_text, .event = copy_event };
	struct convert_ctx c = { 0 };
	struct pcrace_read_result res;
	const char *in, *out;
	int fd, ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: pcrace convert IN OUT\n"
		       "Rewrite trace IN as OUT in this pcrace's format (version %d).\n",
		       PCRACE_TRACE_VERSION);
		return 0;
	}
	if (argc != 3)
		return pcrace_usage_error("convert: expected IN and OUT trace files");
	in = argv[1];
	out = argv[2];
	/* never over another file: OUT must be new */
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "pcrace: convert: %s: %s\n", out, strerror(errno));
		return PCRACE_EXIT_USAGE;
	}
	close(fd);
	c.w = pcrace_writer_open(out, CONVERT_ZLEVEL);
	if (!c.w) {
		fprintf(stderr, "pcrace: convert: %s: %s\n", out, strerror(errno));
		unlink(out);
		return PCRACE_EXIT_USAGE;
	}
	ret = pcrace_read_trace(in, &ops, &c, &res);
	if (ret < 0) {
		fprintf(stderr, "pcrace: %s\n", res.error);
	} else if (c.err) {
		fprintf(stderr, "pcrace: convert: writing %s: %s\n", out,
			strerror(-c.err));
		ret = -1;
	} else if (res.truncated) {
		/* a converted trace would claim an END the original lacks */
		fprintf(stderr, "pcrace: convert: %s is truncated (no END chunk)\n", in);
		ret = -1;
	}
	if (pcrace_writer_close(c.w) && !ret) {
		fprintf(stderr, "pcrace: convert: closing %s failed\n", out);
		ret = -1;
	}
	if (ret) {
		unlink(out);
		return PCRACE_EXIT_USAGE;
	}
	printf("%s: format version %u -> %s: format version %d, %llu events\n",
	       in, res.version, out, PCRACE_TRACE_VERSION, res.events);
	return 0;
}
