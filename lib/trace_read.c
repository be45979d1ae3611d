// SPDX-License-Identifier: GPL-2.0
/*
 * Trace reader.  Every length and count from the file is checked before
 * use: a corrupt file gets a one-line error, never a crash (the parser is
 * meant to be fuzzed).  A file that ends inside a chunk, or without its
 * END chunk, is reported as truncated after its complete chunks are read.
 * A reader of op events only reads a version 2 trace's OPS chunks, and
 * skips the EVENTS chunks they copy: neither checksummed nor inflated.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "pcrace_trace.h"
#include "trace_codec.h"

static int fail(struct pcrace_read_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->error, sizeof(res->error), fmt, ap);
	va_end(ap);
	return -1;
}

/* Reads exactly len bytes: 1 done, 0 clean EOF, -1 short (truncated). */
static int read_exact(FILE *f, void *buf, size_t len)
{
	size_t n = fread(buf, 1, len, f);

	if (n == len)
		return 1;
	return n == 0 && feof(f) ? 0 : -1;
}

/*
 * The chunk's events are counted in *count (res->events, or for an OPS
 * chunk only checked, res->ops_copied), and its op events in *op_count
 * if given: the ones an OPS chunk copies.
 */
static int decode_events(const unsigned char *raw, size_t len,
			 unsigned int nrec, const struct pcrace_read_ops *ops,
			 void *arg, struct pcrace_read_result *res,
			 unsigned long long *count, unsigned long long *op_count)
{
	struct pcrace_codec *codec;
	struct pcrace_rec r;
	unsigned int i;
	size_t off = 0, n;
	int ret = 0;

	codec = malloc(sizeof(*codec));
	if (!codec)
		return fail(res, "out of memory decoding chunk %llu", res->chunks);
	pcrace_codec_reset(codec);
	for (i = 0; i < nrec; i++) {
		n = pcrace_decode_if(codec, raw + off, len - off, &r, ops->want);
		if (!n) {
			ret = fail(res, "corrupt event %u in chunk %llu", i,
				   res->chunks);
			break;
		}
		off += n;
		(*count)++;
		if (op_count && pcrace_type_is_op(r.hdr.type))
			(*op_count)++;
		if (ops->want && !ops->want(r.hdr.type))
			continue;
		if (ops->event && ops->event(&r, arg)) {
			ret = 1;
			break;
		}
	}
	if (!ret && off != len)
		ret = fail(res, "corrupt events chunk %llu: %zu stray bytes",
			   res->chunks, len - off);
	free(codec);
	return ret;
}

static int grow(unsigned char **buf, size_t *cap, size_t need)
{
	unsigned char *p;

	if (need <= *cap)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -1;
	*buf = p;
	*cap = need;
	return 0;
}

int pcrace_decode_chunk(const unsigned char *raw, size_t len, unsigned int nrec,
			const struct pcrace_read_ops *ops, void *arg,
			struct pcrace_read_result *res)
{
	return decode_events(raw, len, nrec, ops, arg, res, &res->events, NULL);
}

int pcrace_read_trace(const char *path, const struct pcrace_read_ops *ops,
		      void *arg, struct pcrace_read_result *res)
{
	static const struct pcrace_read_ops count_only;
	unsigned char *comp = NULL, *raw = NULL;
	size_t comp_cap = 0, raw_cap = 0;
	struct pcrace_chunk_hdr h;
	struct pcrace_file_hdr fh;
	bool skip, copied;
	int ret = -1, r;
	FILE *f;

	memset(res, 0, sizeof(*res));
	f = fopen(path, "rb");
	if (!f)
		return fail(res, "cannot open %s: %s", path, strerror(errno));

	r = read_exact(f, &fh, sizeof(fh));
	if (r <= 0 || memcmp(fh.magic, PCRACE_TRACE_MAGIC, sizeof(fh.magic))) {
		fail(res, "%s: not a pcrace trace (%s)", path,
		     r == 0 ? "empty file" : "bad magic");
		goto out;
	}
	res->version = le16toh(fh.version);
	if (res->version < PCRACE_TRACE_VERSION_MIN ||
	    res->version > PCRACE_TRACE_VERSION ||
	    le16toh(fh.hdr_size) != sizeof(fh)) {
		fail(res, "%s: unsupported trace format version %u (this pcrace reads %u to %u)",
		     path, res->version, PCRACE_TRACE_VERSION_MIN,
		     PCRACE_TRACE_VERSION);
		goto out;
	}
	res->bytes = sizeof(fh);
	/* OPS chunks of another class may lack events this pcrace needs */
	res->from_ops = ops->ops_only && res->version >= 2 &&
			(le32toh(fh.flags) & PCRACE_FILE_OPS_CLASS_MASK) ==
			PCRACE_OPS_CLASS;

	for (;;) {
		unsigned int type, raw_len, comp_len, nrec;
		uLongf out_len;

		r = read_exact(f, &h, sizeof(h));
		if (r == 0)
			break;
		if (r < 0) {
			res->truncated = true;
			break;
		}
		if (le32toh(h.magic) != PCRACE_CHUNK_MAGIC ||
		    le32toh(h.hdr_crc) != crc32(0, (const Bytef *)&h,
						offsetof(struct pcrace_chunk_hdr, hdr_crc))) {
			fail(res, "%s: corrupt chunk header at byte %llu", path,
			     res->bytes);
			goto out;
		}
		type = le16toh(h.type);
		raw_len = le32toh(h.raw_len);
		comp_len = le32toh(h.comp_len);
		nrec = le32toh(h.nrec);
		if (!type || type > PCRACE_CHUNK_TYPE_MAX ||
		    (type == PCRACE_CHUNK_OPS && res->version < 2) ||
		    raw_len > PCRACE_CHUNK_MAX || comp_len > PCRACE_CHUNK_MAX) {
			fail(res, "%s: corrupt chunk %llu (type %u, %u/%u bytes)",
			     path, res->chunks, type, raw_len, comp_len);
			goto out;
		}
		/* buffers grow to the largest chunk seen, not to the limit */
		if (grow(&comp, &comp_cap, comp_len) ||
		    grow(&raw, &raw_cap, raw_len + 1)) {
			fail(res, "out of memory for a %u-byte chunk", raw_len);
			goto out;
		}
		r = read_exact(f, comp, comp_len);
		if (r <= 0) {
			res->truncated = true;
			break;
		}
		if (res->complete) {
			fail(res, "%s: data after the END chunk", path);
			goto out;
		}
		skip = res->from_ops && type == PCRACE_CHUNK_EVENTS &&
		       !(le16toh(h.flags) & PCRACE_CHUNK_F_NO_COPY);
		if (skip) {
			res->bytes += sizeof(h) + comp_len;
			res->chunks++;
			continue;
		}
		if (le32toh(h.data_crc) != crc32(0, comp, comp_len)) {
			fail(res, "%s: checksum mismatch in chunk %llu at byte %llu",
			     path, res->chunks, res->bytes);
			goto out;
		}
		out_len = raw_len;
		if (uncompress(raw, &out_len, comp, comp_len) != Z_OK ||
		    out_len != raw_len) {
			fail(res, "%s: chunk %llu does not decompress", path,
			     res->chunks);
			goto out;
		}
		raw[raw_len] = 0;
		res->bytes += sizeof(h) + comp_len;
		if (type == PCRACE_CHUNK_END)
			res->complete = true;

		if (type == PCRACE_CHUNK_OPS) {
			res->ops_chunks++;
			res->ops_bytes += sizeof(h) + comp_len;
		}
		if (type == PCRACE_CHUNK_EVENTS ||
		    (type == PCRACE_CHUNK_OPS && res->from_ops)) {
			/* the op events an OPS chunk should have copied */
			copied = ops->count_ops && type == PCRACE_CHUNK_EVENTS &&
				 !(le16toh(h.flags) & PCRACE_CHUNK_F_NO_COPY);
			r = ops->chunk ? ops->chunk(raw, raw_len, nrec, arg) : 0;
			if (r < 0) {
				fail(res, "out of memory keeping chunk %llu",
				     res->chunks);
				goto out;
			}
			if (r > 0)	/* kept: decoded by the caller */
				res->events += nrec;
			r = r ? 0 : decode_events(raw, raw_len, nrec, ops, arg,
						  res, &res->events,
						  copied ? &res->ops_events : NULL);
			if (r < 0)
				goto out;
		} else if (type == PCRACE_CHUNK_OPS) {
			/* checked, not read: the EVENTS hold them */
			r = ops->count_ops ?
			    decode_events(raw, raw_len, nrec, &count_only, NULL,
					  res, &res->ops_copied, NULL) : 0;
			if (r < 0)
				goto out;
		} else if (memchr(raw, 0, raw_len)) {
			fail(res, "%s: NUL byte in table chunk %llu", path,
			     res->chunks);
			goto out;
		} else {
			r = ops->text ? ops->text(type, (char *)raw, raw_len, arg) : 0;
		}
		res->chunks++;
		if (r)
			break;		/* the caller asked to stop */
	}
	if (!res->complete)
		res->truncated = true;
	ret = 0;
out:
	free(comp);
	free(raw);
	fclose(f);
	return ret;
}

int pcrace_split_fields(char *line, char **fields, int max)
{
	int n = 0;

	while (n < max) {
		fields[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = 0;
	}
	return n;
}
