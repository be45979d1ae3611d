// SPDX-License-Identifier: GPL-2.0
/*
 * Trace format unit test (TAP): events written through the writer come
 * back bit for bit through the reader, across chunk boundaries; a trace
 * cut at every length is either read as truncated or rejected, never a
 * crash; flipped bytes are rejected with an error.  A reader of op events
 * only gets them from the OPS chunks, without looking into the EVENTS
 * chunks they copy, and from a version 1 trace by reading it whole.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pcrace_trace.h"

static int tests, failures;

static void ok(int cond, const char *fmt, const char *arg)
{
	tests++;
	if (!cond)
		failures++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	printf(fmt, arg);
	putchar('\n');
}

static unsigned long long rng = 0x1234567;

static unsigned long long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define NEV 12000

static struct pcrace_rec *evs;
static unsigned int seen, mismatches;

static void make_events(void)
{
	__u64 ts = 1000000;
	unsigned int i, j;

	evs = calloc(NEV, sizeof(*evs));
	for (i = 0; i < NEV; i++) {
		struct pcrace_rec *r = &evs[i];
		static const unsigned int types[] = {
			PCRACE_EV_SYS_ENTER, PCRACE_EV_SYS_EXIT, PCRACE_EV_PC_ADD,
			PCRACE_EV_PC_DELETE, PCRACE_EV_PATH, PCRACE_EV_FD_BIND,
			PCRACE_EV_DAX_PMD_FAULT,
		};

		ts += rnd() % 5000;
		r->hdr.ts_ns = ts - (rnd() % 3 == 0 ? rnd() % 700 : 0);
		r->hdr.tid = 1000 + rnd() % 4;
		r->hdr.tgid = 1000;
		r->hdr.type = types[rnd() % 7];
		r->hdr.cpu = rnd() % 2;
		if (pcrace_type_is_str(r->hdr.type)) {
			r->len = rnd() % PCRACE_STR_MAX;
			for (j = 0; j < r->len; j++)
				r->str[j] = 1 + rnd() % 255;
			r->hdr.aux = rnd() % 4;
		} else {
			r->nargs = PCRACE_NARGS;
			for (j = 0; j < PCRACE_NARGS; j++)
				r->arg[j] = rnd() % 3 ? rnd() >> (rnd() % 64) : 0;
			r->arg[2] = i;	/* an index-like, mostly increasing slot */
		}
	}
}

static int same(const struct pcrace_rec *a, const struct pcrace_rec *b)
{
	unsigned int j;

	if (memcmp(&a->hdr, &b->hdr, sizeof(a->hdr)))
		return 0;
	if (pcrace_type_is_str(a->hdr.type))
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (j = 0; j < PCRACE_NARGS; j++)
		if (a->arg[j] != b->arg[j])
			return 0;
	return 1;
}

static int on_event(const struct pcrace_rec *r, void *arg)
{
	if (seen >= NEV || !same(r, &evs[seen]))
		mismatches++;
	seen++;
	return 0;
}

/* The op events only, in order: what a replay's reader must get. */
static int on_op_event(const struct pcrace_rec *r, void *arg)
{
	while (seen < NEV && !pcrace_type_is_op(evs[seen].hdr.type))
		seen++;
	if (seen >= NEV || !same(r, &evs[seen]))
		mismatches++;
	seen++;
	return 0;
}

static int ops_read(const char *path, struct pcrace_read_result *res,
		    bool ops_only)
{
	struct pcrace_read_ops ops = {
		.event = on_op_event, .want = pcrace_type_is_op,
		.ops_only = ops_only,
	};
	int r;

	seen = mismatches = 0;
	r = pcrace_read_trace(path, &ops, NULL, res);
	while (seen < NEV && !pcrace_type_is_op(evs[seen].hdr.type))
		seen++;
	return r || mismatches || seen != NEV ? -1 : 0;
}

static int on_text(enum pcrace_chunk_type type, const char *text, size_t len,
		   void *arg)
{
	return 0;
}

static void write_file(const char *path, const unsigned char *b, long len)
{
	FILE *f = fopen(path, "wb");

	fwrite(b, 1, len, f);
	fclose(f);
}

/* The offset of the first chunk of that type (with none of nflags), or -1. */
static long find_chunk(const unsigned char *b, long size, unsigned int type,
		       unsigned int nflags)
{
	const struct pcrace_chunk_hdr *h;
	long off = sizeof(struct pcrace_file_hdr);

	while (off + (long)sizeof(*h) <= size) {
		h = (const void *)(b + off);
		if (le16toh(h->type) == type && !(le16toh(h->flags) & nflags))
			return off;
		off += sizeof(*h) + le32toh(h->comp_len);
	}
	return -1;
}

/*
 * The same trace as version 1 wrote it: without its OPS chunks.  (Its
 * EVENTS chunks' NO_COPY flags mean nothing to a version 1 reader.)  With
 * only_one, version 2 without its first OPS chunk.
 */
static long strip_ops(const unsigned char *b, long size, unsigned char *out,
		      bool only_one)
{
	const struct pcrace_chunk_hdr *h;
	long off = sizeof(struct pcrace_file_hdr), n = off, len;
	int stripped = 0;

	memcpy(out, b, off);
	if (!only_one) {
		out[8] = 1;	/* version, little-endian */
		out[9] = 0;
	}
	while (off + (long)sizeof(*h) <= size) {
		h = (const void *)(b + off);
		len = sizeof(*h) + le32toh(h->comp_len);
		if (le16toh(h->type) != PCRACE_CHUNK_OPS ||
		    (only_one && stripped++)) {
			memcpy(out + n, b + off, len);
			n += len;
		}
		off += len;
	}
	return n;
}

int main(void)
{
	struct pcrace_read_ops ops = { .text = on_text, .event = on_event };
	char path[] = "/tmp/pcrace-fmt-XXXXXX", cut[64];
	struct pcrace_read_result res;
	struct pcrace_writer *w;
	unsigned char *buf;
	long size, i, crashes = 0, bad = 0;
	FILE *f;
	int fd, r;

	printf("1..16\n");
	fd = mkstemp(path);
	close(fd);
	make_events();

	w = pcrace_writer_open(path, 1);
	pcrace_write_text(w, PCRACE_CHUNK_META, "format_version\t1\n", 17, 0);
	for (i = 0; i < NEV; i++)
		pcrace_write_event(w, &evs[i]);
	pcrace_write_text(w, PCRACE_CHUNK_END, "events\t60000\n", 13, 0);
	ok(pcrace_writer_close(w) == 0, "writer closes %s", path);

	r = pcrace_read_trace(path, &ops, NULL, &res);
	ok(r == 0 && res.complete && !res.truncated, "complete trace reads%s", "");
	if (r)
		printf("# %s\n", res.error);
	ok(seen == NEV && !mismatches, "all %s events round-trip exactly", "12000");
	printf("# %llu bytes, %.2f bytes/event, %llu chunks\n", res.bytes,
	       (double)res.bytes / NEV, res.chunks);
	ok(res.chunks > 3, "events span several chunks (%s)", "chunk boundary decode");

	/* cut at every length in the first and last 4 KiB and some between */
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc(size);
	if (fread(buf, 1, size, f) != (size_t)size)
		return 1;
	fclose(f);
	snprintf(cut, sizeof(cut), "%s.cut", path);
	for (i = 0; i < size; i += (i < 1024 || i > size - 1024) ? 1 : 4999) {
		f = fopen(cut, "wb");
		fwrite(buf, 1, i, f);
		fclose(f);
		seen = mismatches = 0;
		r = pcrace_read_trace(cut, &ops, NULL, &res);
		if (r == 0 && (!res.truncated || res.complete))
			crashes++;	/* a cut trace must never look complete */
		if (mismatches)
			bad++;
	}
	ok(crashes == 0, "every cut trace is reported truncated or rejected%s", "");
	ok(bad == 0, "events before a cut are intact%s", "");

	/* flip one byte at a time in the middle of the file */
	crashes = 0;
	for (i = 16; i < size; i += size / 200 + 1) {
		buf[i] ^= 0x5a;
		f = fopen(cut, "wb");
		fwrite(buf, 1, size, f);
		fclose(f);
		seen = mismatches = 0;
		r = pcrace_read_trace(cut, &ops, NULL, &res);
		if (r == 0 && !mismatches)
			crashes++;	/* corruption went unnoticed */
		buf[i] ^= 0x5a;
	}
	ok(crashes == 0, "every flipped byte is detected%s", "");

	/* op events only: from the OPS chunks, the other EVENTS unread */
	r = ops_read(path, &res, true);
	ok(!r && res.from_ops && res.ops_chunks > 1,
	   "op events only come from the OPS chunks, exactly%s", "");
	printf("# OPS chunks: %llu, %llu of %llu bytes\n", res.ops_chunks,
	       res.ops_bytes, res.bytes);
	i = find_chunk(buf, size, PCRACE_CHUNK_EVENTS, PCRACE_CHUNK_F_NO_COPY);
	if (i >= 0) {
		i += sizeof(struct pcrace_chunk_hdr) + 100;
		buf[i] ^= 0x5a;
		write_file(cut, buf, size);
		r = ops_read(cut, &res, true);
		seen = mismatches = 0;
		ok(!r && pcrace_read_trace(cut, &ops, NULL, &res) < 0,
		   "a damaged page-cache chunk: op reads skip it, full reads fail%s", "");
		buf[i] ^= 0x5a;
	} else {
		ok(0, "the trace has an EVENTS chunk with page-cache events%s", "");
	}
	i = find_chunk(buf, size, PCRACE_CHUNK_OPS, 0);
	if (i >= 0) {
		i += sizeof(struct pcrace_chunk_hdr) + 100;
		buf[i] ^= 0x5a;
		write_file(cut, buf, size);
		seen = mismatches = 0;
		ok(ops_read(cut, &res, true) < 0 &&
		   pcrace_read_trace(cut, &ops, NULL, &res) < 0,
		   "a damaged OPS chunk fails both reads%s", "");
		buf[i] ^= 0x5a;
	} else {
		ok(0, "the trace has an OPS chunk%s", "");
	}
	{
		unsigned char *v1 = malloc(size);
		struct pcrace_read_ops count = { .count_ops = true };
		long n = strip_ops(buf, size, v1, false);

		write_file(cut, v1, n);
		r = ops_read(cut, &res, true);
		ok(!r && !res.from_ops && res.version == 1,
		   "a version 1 trace gives the same op events, read whole%s", "");
		seen = mismatches = 0;
		r = pcrace_read_trace(cut, &ops, NULL, &res);
		ok(!r && seen == NEV && !mismatches && n < size,
		   "and the same events to a full reader%s", "");
		r = pcrace_read_trace(path, &count, NULL, &res);
		ok(!r && res.ops_copied && res.ops_copied == res.ops_events,
		   "the OPS chunks copy every op event (count_ops)%s", "");
		n = strip_ops(buf, size, v1, true);
		write_file(cut, v1, n);
		r = pcrace_read_trace(cut, &count, NULL, &res);
		ok(!r && res.ops_copied < res.ops_events,
		   "an OPS chunk gone is counted short%s", "");
		free(v1);
	}

	/* a trace of op events only has no copies: its chunks are flagged */
	w = pcrace_writer_open(cut, 1);
	for (i = 0; i < NEV; i++)
		if (pcrace_type_is_op(evs[i].hdr.type))
			pcrace_write_event(w, &evs[i]);
	pcrace_write_text(w, PCRACE_CHUNK_END, "events\t0\n", 9, 0);
	pcrace_writer_close(w);
	r = ops_read(cut, &res, true);
	ok(!r && res.from_ops && !res.ops_chunks,
	   "op events alone: no OPS chunks, the EVENTS chunks are read%s", "");
	r = ops_read(cut, &res, false);
	ok(!r && !res.from_ops && res.complete,
	   "a full reader reads them too%s", "");
	unlink(cut);
	unlink(path);
	free(buf);
	return failures ? 1 : 0;
}
