// SPDX-License-Identifier: GPL-2.0
/*
 * Trace writer: events are encoded into an in-memory chunk and written
 * compressed once it holds PCRACE_CHUNK_RAW bytes, so a trace cut short
 * loses at most the chunk in flight.  The op events are encoded a second
 * time into the OPS chunk that follows (see pcrace_trace.h).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "pcrace_trace.h"
#include "trace_codec.h"

/* Raw bytes per EVENTS chunk: large enough for zlib, small enough to lose. */
#define PCRACE_CHUNK_RAW	(256u << 10)

/* One chunk being filled: its encoded events and their codec state. */
struct chunk_buf {
	unsigned char *raw;
	size_t len;
	unsigned int nrec;
	struct pcrace_codec codec;
};

struct pcrace_writer {
	int fd;			/* -1: chunks go to sink instead */
	pcrace_chunk_sink_fn sink;
	void *sink_arg;
	int level;
	struct chunk_buf ev;	/* every event */
	struct chunk_buf ops;	/* the op events again */
	unsigned char *comp;
	size_t comp_cap;
	unsigned long long events;
	unsigned long long bytes;
	pcrace_preflush_fn preflush;
	void *preflush_arg;
	bool in_preflush;
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += r;
		len -= r;
	}
	return 0;
}

static int write_chunk(struct pcrace_writer *w, enum pcrace_chunk_type type,
		       unsigned int flags, const void *data, size_t len,
		       unsigned int nrec)
{
	struct pcrace_chunk_hdr h;
	uLongf clen = w->comp_cap;
	int err;

	if (len > PCRACE_CHUNK_MAX)
		return -E2BIG;
	if (compress2(w->comp, &clen, data, len, w->level) != Z_OK)
		return -ENOMEM;
	memset(&h, 0, sizeof(h));
	h.magic = htole32(PCRACE_CHUNK_MAGIC);
	h.type = htole16(type);
	h.flags = htole16(flags);
	h.raw_len = htole32(len);
	h.comp_len = htole32(clen);
	h.nrec = htole32(nrec);
	h.data_crc = htole32(crc32(0, w->comp, clen));
	h.hdr_crc = htole32(crc32(0, (const Bytef *)&h,
				  offsetof(struct pcrace_chunk_hdr, hdr_crc)));
	if (w->fd < 0) {
		err = w->sink(type, &h, w->comp, clen, w->sink_arg);
	} else {
		err = write_all(w->fd, &h, sizeof(h));
		if (!err)
			err = write_all(w->fd, w->comp, clen);
	}
	if (!err)
		w->bytes += sizeof(h) + clen;
	return err;
}

static void writer_free(struct pcrace_writer *w)
{
	free(w->ev.raw);
	free(w->ops.raw);
	free(w->comp);
	free(w);
}

static struct pcrace_writer *writer_alloc(int level)
{
	struct pcrace_writer *w;

	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->level = level;
	w->fd = -1;
	w->ev.raw = malloc(PCRACE_CHUNK_RAW + PCRACE_EV_MAX_BYTES);
	w->ops.raw = malloc(PCRACE_CHUNK_RAW + PCRACE_EV_MAX_BYTES);
	w->comp_cap = compressBound(PCRACE_CHUNK_MAX);
	w->comp = malloc(w->comp_cap);
	if (!w->ev.raw || !w->ops.raw || !w->comp) {
		writer_free(w);
		return NULL;
	}
	pcrace_codec_reset(&w->ev.codec);
	pcrace_codec_reset(&w->ops.codec);
	return w;
}

struct pcrace_writer *pcrace_writer_open_sink(int level,
					      pcrace_chunk_sink_fn sink,
					      void *arg)
{
	struct pcrace_writer *w = writer_alloc(level);

	if (w) {
		w->sink = sink;
		w->sink_arg = arg;
	}
	return w;
}

int pcrace_write_chunk_raw(struct pcrace_writer *w,
			   const struct pcrace_chunk_hdr *h, const void *data)
{
	int err;

	if (w->fd < 0)
		return -EINVAL;
	err = write_all(w->fd, h, sizeof(*h));
	if (!err)
		err = write_all(w->fd, data, le32toh(h->comp_len));
	if (!err) {
		w->bytes += sizeof(*h) + le32toh(h->comp_len);
		if (le16toh(h->type) == PCRACE_CHUNK_EVENTS)
			w->events += le32toh(h->nrec);
	}
	return err;
}

struct pcrace_writer *pcrace_writer_open(const char *path, int level)
{
	struct pcrace_file_hdr fh;
	struct pcrace_writer *w;

	w = writer_alloc(level);
	if (!w)
		return NULL;
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0)
		goto err_free;
	memset(&fh, 0, sizeof(fh));
	memcpy(fh.magic, PCRACE_TRACE_MAGIC, sizeof(fh.magic));
	fh.version = htole16(PCRACE_TRACE_VERSION);
	fh.hdr_size = htole16(sizeof(fh));
	fh.flags = htole32(PCRACE_OPS_CLASS);
	errno = -write_all(w->fd, &fh, sizeof(fh));
	if (errno)
		goto err_close;
	w->bytes = sizeof(fh);
	return w;

err_close:
	close(w->fd);
err_free:
	writer_free(w);
	return NULL;
}

void pcrace_writer_set_preflush(struct pcrace_writer *w,
				pcrace_preflush_fn fn, void *arg)
{
	w->preflush = fn;
	w->preflush_arg = arg;
}

int pcrace_write_text(struct pcrace_writer *w, enum pcrace_chunk_type type,
		      const char *text, size_t len, unsigned int nrec)
{
	int err;

	/* nothing may follow END: events still buffered go out first */
	if (type == PCRACE_CHUNK_END) {
		err = pcrace_writer_flush(w);
		if (err)
			return err;
	}
	return write_chunk(w, type, 0, text, len, nrec);
}

static void chunk_reset(struct chunk_buf *b)
{
	b->len = 0;
	b->nrec = 0;
	pcrace_codec_reset(&b->codec);
}

int pcrace_writer_flush(struct pcrace_writer *w)
{
	/*
	 * Copy the op events when they are at most half the chunk: where
	 * they are more (syscalls alone, cached reads), a replay reading
	 * the whole chunk decodes little it does not need, and a copy
	 * would nearly double the trace (bench/record_rate.sh: 2.0 to 4.0
	 * bytes an event).
	 */
	bool no_copy = w->ops.len * 2 > w->ev.len;
	int err;

	if (!w->ev.len)
		return 0;
	/* tables first: every row an event refers to precedes the event */
	if (w->preflush && !w->in_preflush) {
		w->in_preflush = true;
		err = w->preflush(w, w->preflush_arg);
		w->in_preflush = false;
		if (err)
			return err;
	}
	err = write_chunk(w, PCRACE_CHUNK_EVENTS,
			  no_copy ? PCRACE_CHUNK_F_NO_COPY : 0,
			  w->ev.raw, w->ev.len, w->ev.nrec);
	if (!err && !no_copy && w->ops.nrec)
		err = write_chunk(w, PCRACE_CHUNK_OPS, 0, w->ops.raw,
				  w->ops.len, w->ops.nrec);
	chunk_reset(&w->ev);
	chunk_reset(&w->ops);
	return err;
}

/*
 * A chunk is flushed before its events pass PCRACE_CHUNK_RAW + one event,
 * so a copy past half of that is more than half the chunk at any flush:
 * the chunk will be NO_COPY, and its copy need not be made further.  A
 * stream of syscalls gets there halfway through each chunk.  (So the copy
 * never reaches PCRACE_CHUNK_RAW itself.)
 */
static bool copy_past_half(const struct pcrace_writer *w)
{
	return w->ops.len * 2 > PCRACE_CHUNK_RAW + PCRACE_EV_MAX_BYTES;
}

int pcrace_write_event(struct pcrace_writer *w, const struct pcrace_rec *r)
{
	if (r->hdr.type >= PCRACE_EV_MAX)
		return -EINVAL;
	w->ev.len += pcrace_encode(&w->ev.codec, r, w->ev.raw + w->ev.len);
	w->ev.nrec++;
	if (pcrace_type_is_op(r->hdr.type) && !copy_past_half(w)) {
		w->ops.len += pcrace_encode(&w->ops.codec, r,
					    w->ops.raw + w->ops.len);
		w->ops.nrec++;
	}
	w->events++;
	if (w->ev.len >= PCRACE_CHUNK_RAW)
		return pcrace_writer_flush(w);
	return 0;
}

unsigned long long pcrace_writer_events(const struct pcrace_writer *w)
{
	return w->events;
}

unsigned long long pcrace_writer_bytes(const struct pcrace_writer *w)
{
	return w->bytes + w->ev.len;
}

int pcrace_writer_close(struct pcrace_writer *w)
{
	int err, err2;

	if (!w)
		return 0;
	err = pcrace_writer_flush(w);
	if (w->fd >= 0) {
		err2 = fsync(w->fd) ? -errno : 0;
		if (!err)
			err = err2;
		if (close(w->fd) && !err)
			err = -errno;
	}
	writer_free(w);
	return err;
}
