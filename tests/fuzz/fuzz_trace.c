// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the trace parser.  The first input byte picks
 * the target: the whole reader on the input as a file (header, chunk
 * framing, CRCs, zlib), or what sits behind the CRC where random bytes
 * rarely reach it: the event decoder (with and without a filter on the
 * types) and the table-row parser.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pcrace_tables.h"
#include "pcrace_trace.h"
#include "trace_codec.h"

static int on_text(enum pcrace_chunk_type type, const char *text, size_t len,
		   void *arg)
{
	return trace_tables_add(arg, type, text, len) ? 1 : 0;
}

static int on_event(const struct pcrace_rec *r, void *arg)
{
	return 0;
}

static void whole_reader(const unsigned char *data, size_t size)
{
	struct pcrace_read_ops ops = { .text = on_text, .event = on_event };
	char path[] = "/tmp/pcrace-fuzz-XXXXXX";
	struct pcrace_read_result res;
	struct trace_tables t;
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size) {
		trace_tables_init(&t);
		pcrace_read_trace(path, &ops, &t, &res);
		trace_tables_free(&t);
	}
	close(fd);
	unlink(path);
}

/* A reader that wants some types only (dump --ops wants eleven). */
static bool want_odd(unsigned int type)
{
	return type & 1;
}

/*
 * The decoder, and beside it the same bytes decoded with a want() filter:
 * both must take or refuse each event alike, and agree on a wanted
 * event's header and arguments (the skipped types' stale delta state
 * must not leak into them).
 */
static void decoders(const unsigned char *data, size_t size)
{
	static struct pcrace_codec codec, picky;
	struct pcrace_rec r, q;
	size_t off = 0, n, m;

	pcrace_codec_reset(&codec);
	pcrace_codec_reset(&picky);
	while (off < size) {
		n = pcrace_decode(&codec, data + off, size - off, &r);
		m = pcrace_decode_if(&picky, data + off, size - off, &q, want_odd);
		if (n != m)
			abort();
		if (!n)
			break;
		if (r.hdr.type != q.hdr.type || r.hdr.ts_ns != q.hdr.ts_ns ||
		    r.hdr.tid != q.hdr.tid || r.hdr.tgid != q.hdr.tgid)
			abort();
		if (want_odd(r.hdr.type) && r.nargs &&
		    memcmp(r.arg, q.arg, sizeof(r.arg)))
			abort();
		off += n;
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct trace_tables t;
	char *text;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		whole_reader(data + 1, size - 1);
		break;
	case 1:
		decoders(data + 1, size - 1);
		break;
	default:
		text = malloc(size);
		if (!text)
			return 0;
		memcpy(text, data + 1, size - 1);
		text[size - 1] = 0;
		trace_tables_init(&t);
		trace_tables_add(&t, 1 + data[0] / 3 % PCRACE_CHUNK_TYPE_MAX, text,
				 strlen(text));
		trace_tables_free(&t);
		free(text);
	}
	return 0;
}
