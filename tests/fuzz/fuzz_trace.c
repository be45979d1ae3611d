// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the trace parser and replay's planner.  The first
 * input byte picks the target (its value mod 6): the whole reader on the
 * input as a file (header, chunk framing, CRCs, zlib); what sits behind
 * the CRC where random bytes rarely reach it: the event decoder (with
 * and without a filter on the types) and the table-row parser; the
 * scenario text parser; a trace written from the input's op events
 * (valid chunks, arbitrary syscalls, fds, addresses and results), whose
 * plan must be the plan of the text `dump --ops` makes of it; and the
 * plan image check on an image the input's bytes damage (past its
 * checksum).  Every plan made is also written as an image and read back,
 * and must come back the same.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <asm/unistd.h>
#include "pcrace.h"
#include "pcrace_ops.h"
#include "pcrace_tables.h"
#include "pcrace_trace.h"
#include "trace_codec.h"
#include "../plan_equal.h"

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

/* A plan through its image and back must be the same plan. */
static void image_round_trip(struct plan *p)
{
	struct plan back;
	char err[512];
	size_t len;
	void *image;

	if (plan_image_encode(p, &image, &len))
		return;
	if (plan_image_check(&back, image, len, true, "fuzz", err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	if (plan_differ("image", p, &back))
		abort();
	plan_free(&back);
	free(image);
}

/* A hand-written scenario: parsed, planned and freed, or refused. */
static void scenario(const unsigned char *data, size_t size)
{
	FILE *in = fmemopen((void *)data, size, "r");
	struct plan p;
	char err[256];

	if (!in)
		return;
	if (!plan_parse(&p, in, "fuzz", NULL, err, sizeof(err))) {
		image_round_trip(&p);
		plan_free(&p);
	}
	fclose(in);
}

/* The op events the input's bytes choose from, and their arguments. */
static const unsigned int op_types[] = {
	PCRACE_EV_FD_BIND, PCRACE_EV_TASK_FORK, PCRACE_EV_SYS_ENTER,
	PCRACE_EV_SYS_EXIT, PCRACE_EV_SYS_ENTER, PCRACE_EV_SYS_EXIT,
	PCRACE_EV_BLKPG, PCRACE_EV_URING_SUBMIT, PCRACE_EV_URING_COMPLETE,
	PCRACE_EV_USER_FAULT, PCRACE_EV_DAX_PTE_FAULT, PCRACE_EV_PC_FAULT,
};

static const __u64 syscalls[] = {
	__NR_read, __NR_write, __NR_pread64, __NR_pwrite64, __NR_preadv2,
	__NR_pwritev2, __NR_lseek, __NR_fsync, __NR_fdatasync, __NR_ftruncate,
	__NR_fallocate, __NR_sync_file_range, __NR_fadvise64, __NR_ioctl,
	__NR_mmap, __NR_munmap, __NR_msync, __NR_madvise, __NR_close,
	__NR_openat, __NR_dup, __NR_dup2, __NR_getpid,
};

/* fds, devices, inodes, flags, lengths, addresses, results */
static const __u64 values[] = {
	0, 1, 3, 4, 5, 12, 13, 4096, 8192, 0x4000, 040000, 0x1000000,
	(254ull << 20), (254ull << 20) | 1, 0x7f0000000000ull,
	0x7f0000001000ull, 0x7f0000200000ull, 0x125d, 7, -1ull, -22ull,
	1ull << 63,
};

/*
 * Writes a trace of the input's events: 8 bytes an event (type, thread,
 * a time step, and five picks of syscall or value for its arguments),
 * after tables naming two files on 254:0, a regular file (ino 12) and a
 * block device (ino 13).  0 if it was written.
 */
static int write_trace(const char *path, const unsigned char *data,
		       size_t size)
{
	static const char meta[] = "start_monotonic_ns\t1000\n";
	static const char files[] =
		"254:0\t12\t/mnt/f\t0\t0100644\text4\t4096\trw\t254:0\n"
		"254:0\t13\t/dev/pmem0\t0\t060660\tdevtmpfs\t4096\trw\t0:5\n";
	struct pcrace_writer *w = pcrace_writer_open(path, 1);
	struct pcrace_rec r = { 0 };
	__u64 ts = 1000;
	size_t off;
	int err, i;

	if (!w)
		return -1;
	err = pcrace_write_text(w, PCRACE_CHUNK_META, meta, sizeof(meta) - 1, 1) ||
	      pcrace_write_text(w, PCRACE_CHUNK_FILES, files, sizeof(files) - 1, 2);
	for (off = 0; !err && off + 8 <= size; off += 8) {
		const unsigned char *b = data + off;

		memset(&r, 0, sizeof(r));
		r.hdr.type = op_types[b[0] % ARRAY_SIZE(op_types)];
		r.hdr.tid = 100 + b[1] % 4;
		r.hdr.tgid = b[1] & 0x80 ? 100 : r.hdr.tid;
		ts += b[2] * 1000;
		r.hdr.ts_ns = ts;
		r.nargs = PCRACE_NARGS;
		for (i = 0; i < 5; i++)
			r.arg[i] = values[b[3 + i] % ARRAY_SIZE(values)];
		if (r.hdr.type == PCRACE_EV_SYS_ENTER ||
		    r.hdr.type == PCRACE_EV_SYS_EXIT)
			r.arg[0] = syscalls[b[3] % ARRAY_SIZE(syscalls)];
		r.arg[5] = r.arg[4] ^ r.arg[1];
		err = pcrace_write_event(w, &r);
	}
	if (!err)
		err = pcrace_write_text(w, PCRACE_CHUNK_END, "events\t0\n", 9, 0);
	return pcrace_writer_close(w) || err;
}

/*
 * A trace of the input's op events planned directly and through its
 * text: both plan, or both refuse; what they plan is the same.
 */
static void trace_plans(const unsigned char *data, size_t size)
{
	char path[] = "/tmp/pcrace-fuzz-XXXXXX", *buf = NULL;
	char derr[512] = "", terr[512] = "";
	struct pcrace_read_result res;
	struct plan direct, text;
	int fd = mkstemp(path), d, t = -1;
	size_t len = 0;
	FILE *mem;

	if (fd < 0)
		return;
	close(fd);
	if (write_trace(path, data, size))
		goto out;
	d = plan_from_trace(&direct, path, NULL, derr, sizeof(derr));
	mem = open_memstream(&buf, &len);
	if (!mem)
		abort();
	if (pcrace_dump_ops(path, mem, &res))
		abort();	/* the trace was written whole */
	fclose(mem);
	mem = fmemopen(buf, len, "r");
	if (mem) {
		t = plan_parse(&text, mem, path, NULL, terr, sizeof(terr));
		fclose(mem);
	}
	if (!mem || (d == 0) != (t == 0)) {
		fprintf(stderr, "trace: %s\ntext: %s\n%.*s", derr, terr,
			(int)len, buf);
		abort();
	}
	if (!d && plan_differ(path, &direct, &text))
		abort();
	if (!d) {
		image_round_trip(&direct);
		plan_free(&direct);
		plan_free(&text);
	}
out:
	free(buf);
	unlink(path);
}

/*
 * A plan with something of each part an image check guards: two
 * threads, a mapping, touches, a read into the mapping, waits.
 */
static const char image_scenario[] =
	"# pcrace scenario 1\n"
	"file F1 /f size=65536 fs=ext4 blksize=4096 opts=rw type=reg\n"
	"file F2 /g size=65536 fs=ext4 blksize=4096 opts=rw type=reg\n"
	"1 T1 +0 ~5 mmap F1 M1 off=0 len=65536 prot=PROT_READ|PROT_WRITE flags=MAP_SHARED = 0\n"
	"2 T2 +10 ~5 pwrite64 F2 off=0 len=8192 = 8192\n"
	"3 T1 +20 ~5 touch M1 page=3 store\n"
	"4 T2 +30 ~5 pread64 F2 off=0 len=8192 direct buf=M1+4096 = 8192\n"
	"5 T1 +40 ~5 msync M1 off=0 len=65536 flags=MS_SYNC = 0\n"
	"6 T2 +50 ~5 fsync F2 = 0\n"
	"7 T1 +60 ~5 munmap M1 len=65536 = 0\n";

/*
 * The image of image_scenario with the input's bytes XORed in (3 bytes
 * each: a position and a value), checked without its checksum: a plan
 * that passes is read as replay reads it, which must stay inside it, and
 * no op may wait for a later one or use a mapping before its mmap (the
 * workers would wait for good).
 */
static void image_damaged(const unsigned char *data, size_t size)
{
	static void *image;
	static size_t len;
	static volatile size_t sink;	/* keeps the reads */
	unsigned char *copy;
	struct plan p;
	char err[512];
	unsigned int i, d;
	size_t k;

	if (!image) {
		FILE *in = fmemopen((void *)image_scenario,
				    sizeof(image_scenario) - 1, "r");

		if (!in || plan_parse(&p, in, "fuzz", NULL, err, sizeof(err)) ||
		    plan_image_encode(&p, &image, &len))
			abort();
		fclose(in);
		plan_free(&p);
	}
	copy = malloc(len);
	if (!copy)
		return;
	memcpy(copy, image, len);
	for (k = 0; k + 3 <= size; k += 3)
		copy[(data[k] << 8 | data[k + 1]) % len] ^= data[k + 2];
	if (!plan_image_check(&p, copy, len, false, "fuzz", err, sizeof(err))) {
		for (i = 0; i < p.nops; i++) {
			const struct plan_op *op = &p.ops[i];

			sink += strlen(plan_op_name_of(op)) + p.threads[op->thread].nops;
			if (op->file != PLAN_NONE)
				sink += strlen(p.files[op->file].path);
			if ((op->map != PLAN_NONE &&
			     p.maps[op->map].mmap_op > i) ||
			    (op->buf_map != PLAN_NONE &&
			     p.maps[op->buf_map].mmap_op >= i))
				abort();
			for (d = op->dep; d < op->dep + op->ndeps; d++)
				if (plan_nth_op(&p, p.deps[d].thread,
						p.deps[d].count) >= i)
					abort();
		}
	}
	plan_free(&p);
	free(copy);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct trace_tables t;
	char *text;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0:
		whole_reader(data + 1, size - 1);
		break;
	case 1:
		decoders(data + 1, size - 1);
		break;
	case 3:
		scenario(data + 1, size - 1);
		break;
	case 4:
		trace_plans(data + 1, size - 1);
		break;
	case 5:
		image_damaged(data + 1, size - 1);
		break;
	default:
		text = malloc(size);
		if (!text)
			return 0;
		memcpy(text, data + 1, size - 1);
		text[size - 1] = 0;
		trace_tables_init(&t);
		trace_tables_add(&t, 1 + data[0] / 6 % PCRACE_CHUNK_TYPE_MAX, text,
				 strlen(text));
		trace_tables_free(&t);
		free(text);
	}
	return 0;
}
