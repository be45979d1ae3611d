// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario text -> plan.  The text is what `pcrace dump --ops` prints
 * (see lib/ops_text.c), and what people write by hand for corpora:
 *
 *   # pcrace scenario 1
 *   file F1 /mnt/data size=65536 fs=ext4 blksize=4096 opts=rw,dax type=reg
 *   1 P1:T1 +0 ~12 pwrite64 F1 off=0 len=4096 direct = 4096
 *   2 T2 +5 touch M1 page=0 store after=1
 *
 * Only seq, thread and op are required: +USEC and ~DUR default to 0, a
 * bare T<n> is in P1, and the result may be left out.  after=SEQ makes an
 * op wait for op SEQ to complete (an ordering point); with ~DUR on every
 * op, the recorded completions give those points without it.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/blkpg.h>
#include <sys/mman.h>
#include "pcrace.h"
#include "pcrace_schema.h"
#include "pcrace_trace.h"
#include "plan.h"
#include "plan_build.h"

#define MAX_TOKENS	32

static const char * const kind_names[PK_MAX] = {
	[PK_OPEN] = "open", [PK_CLOSE] = "close", [PK_READ] = "read",
	[PK_WRITE] = "write", [PK_FSYNC] = "fsync",
	[PK_FDATASYNC] = "fdatasync", [PK_FTRUNCATE] = "ftruncate",
	[PK_FALLOCATE] = "fallocate",
	[PK_SYNC_FILE_RANGE] = "sync_file_range", [PK_FADVISE] = "fadvise",
	[PK_IOCTL] = "ioctl", [PK_MMAP] = "mmap", [PK_MUNMAP] = "munmap",
	[PK_MSYNC] = "msync", [PK_MADVISE] = "madvise", [PK_TOUCH] = "touch",
	[PK_DROP_CACHES] = "drop_caches",
};

/* Scenario op names: what they do and how the recorded task did it. */
static const struct {
	const char *name;
	enum plan_kind kind;
	enum plan_call call;
} op_names[] = {
	{ "read", PK_READ, PC_PLAIN }, { "write", PK_WRITE, PC_PLAIN },
	{ "pread64", PK_READ, PC_POS }, { "pwrite64", PK_WRITE, PC_POS },
	{ "pread", PK_READ, PC_POS }, { "pwrite", PK_WRITE, PC_POS },
	{ "preadv2", PK_READ, PC_V2 }, { "pwritev2", PK_WRITE, PC_V2 },
	{ "uring_read", PK_READ, PC_URING },
	{ "uring_write", PK_WRITE, PC_URING },
	{ "uring_readv", PK_READ, PC_URING },
	{ "uring_writev", PK_WRITE, PC_URING },
	{ "uring_read_fixed", PK_READ, PC_URING },
	{ "uring_write_fixed", PK_WRITE, PC_URING },
	{ "fsync", PK_FSYNC, PC_POS }, { "fdatasync", PK_FDATASYNC, PC_POS },
	{ "uring_fsync", PK_FSYNC, PC_URING },
	{ "uring_fdatasync", PK_FDATASYNC, PC_URING },
	{ "uring_fadvise", PK_FADVISE, PC_URING },
	{ "ftruncate", PK_FTRUNCATE, PC_POS },
	{ "fallocate", PK_FALLOCATE, PC_POS },
	{ "uring_fallocate", PK_FALLOCATE, PC_URING },
	{ "sync_file_range", PK_SYNC_FILE_RANGE, PC_POS },
	{ "uring_sync_file_range", PK_SYNC_FILE_RANGE, PC_URING },
	{ "fadvise", PK_FADVISE, PC_POS }, { "ioctl", PK_IOCTL, PC_POS },
	{ "mmap", PK_MMAP, PC_POS }, { "munmap", PK_MUNMAP, PC_POS },
	{ "msync", PK_MSYNC, PC_POS }, { "madvise", PK_MADVISE, PC_POS },
	{ "touch", PK_TOUCH, PC_POS }, { "drop_caches", PK_DROP_CACHES, PC_POS },
	{ "close", PK_CLOSE, PC_POS },
	{ "openat", PK_OPEN, PC_POS }, { "open", PK_OPEN, PC_POS },
	{ "openat2", PK_OPEN, PC_POS }, { "creat", PK_OPEN, PC_POS },
	{ "dup", PK_OPEN, PC_POS }, { "dup2", PK_OPEN, PC_POS },
	{ "dup3", PK_OPEN, PC_POS },
};

/* The index of name in op_names[], ARRAY_SIZE(op_names) if none */
static unsigned int op_name_index(const char *name)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(op_names); k++)
		if (!strcmp(op_names[k].name, name))
			break;
	return k;
}

unsigned int plan_op_names(void)
{
	return ARRAY_SIZE(op_names);
}

const char *plan_op_name_of(const struct plan_op *op)
{
	return op->name < ARRAY_SIZE(op_names) ? op_names[op->name].name : "?";
}

const char *plan_kind_name(enum plan_kind k)
{
	return k < PK_MAX ? kind_names[k] : "?";
}

int plan_thread_by_name(const struct plan *p, const char *name)
{
	unsigned int t;
	const char *colon;

	for (t = 0; t < p->nthreads; t++) {
		colon = strchr(p->threads[t].name, ':');
		if (colon && !strcmp(colon + 1, name))
			return t;
	}
	return -1;
}

bool plan_op_writes(const struct plan_op *op)
{
	switch (op->kind) {
	case PK_WRITE:
	case PK_FTRUNCATE:
	case PK_FALLOCATE:
		return true;
	case PK_TOUCH:
		return op->touch != PT_LOAD;
	case PK_OPEN:
		return op->flags & 01000;	/* O_TRUNC */
	default:
		return false;
	}
}

__printf(2, 3) int plan_fail(struct parse_state *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->from_trace)
		n = snprintf(s->err, s->errlen, "%s: op %llu: ", s->p->source,
			     (unsigned long long)s->seq);
	else
		n = snprintf(s->err, s->errlen, "%s:%u: ", s->p->source,
			     s->lineno);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < s->errlen)
		vsnprintf(s->err + n, s->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Room for element n in *arr; zero says whether new room is cleared (id
 * tables, where 0 means "not seen").  The op and dep arrays are written
 * element by element and trimmed to size at the end: clearing their
 * spare room would fault in pages nobody uses (slow under TCG), and
 * replay's mlockall() would fault in what is left untrimmed.
 */
static int grow_array(void **arr, size_t *cap, size_t n, size_t size, bool zero)
{
	size_t c = *cap;
	void *a;

	if (n < c)
		return 0;
	c = c ? c * 2 : 64;
	while (c <= n)
		c *= 2;
	a = realloc(*arr, c * size);
	if (!a)
		return -1;
	if (zero)
		memset((char *)a + *cap * size, 0, (c - *cap) * size);
	*arr = a;
	*cap = c;
	return 0;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	return grow_array(arr, cap, n, size, true);
}

/* Give back an array's spare room (a failed shrink keeps it). */
static void trim_array(void **arr, size_t n, size_t size)
{
	void *a;

	if (!*arr || !n)
		return;
	a = realloc(*arr, n * size);
	if (a)
		*arr = a;
}

/* "F12" -> 12; 0 if tok is not letter c followed by a number in range. */
static unsigned int parse_id(const char *tok, char c)
{
	unsigned int v = 0;

	if (tok[0] != c || tok[1] < '1' || tok[1] > '9')
		return 0;
	for (tok++; *tok >= '0' && *tok <= '9'; tok++) {
		v = v * 10 + (*tok - '0');
		if (v >= MAX_IDS)
			return 0;
	}
	return *tok ? 0 : v;
}

/* What ends a word: blanks and the string's end. */
static const bool word_end[256] = {
	[0] = true, [' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true,
};

/* Past a word, and past the blanks after it. */
static const char *skip_word(const char *c)
{
	while (!word_end[(unsigned char)*c])
		c++;
	while (*c && word_end[(unsigned char)*c])
		c++;
	return c;
}

/*
 * A word that is a plain decimal (no leading 0, at most 19 digits: no
 * overflow) into *v: past it and its blanks.  NULL for anything else,
 * which parse_u64() reads with strtoull() and op_line_fast() leaves to
 * op_line().
 */
static const char *dec_word(const char *c, __u64 *v)
{
	const char *d = c;
	__u64 x = 0;

	if ((*d == '0' && !word_end[(unsigned char)d[1]]) ||
	    *d < '0' || *d > '9')
		return NULL;
	while (*d >= '0' && *d <= '9' && d - c < 19)
		x = x * 10 + (__u64)(*d++ - '0');
	if (!word_end[(unsigned char)*d])
		return NULL;
	*v = x;
	return skip_word(d);
}

static int parse_u64(const char *v, __u64 *out)
{
	char *end;

	if (!*v || *v == '-')
		return -1;
	/*
	 * Plain decimal of up to 19 digits (no overflow) without strtoull;
	 * a leading 0 (octal, 0x) and everything else take the long way.
	 */
	if (dec_word(v, out))
		return 0;
	errno = 0;
	*out = strtoull(v, &end, 0);
	return *end || errno ? -1 : 0;
}

/* "= RESULT": a count or 0 mostly, a negative errno, a hex address */
static __s64 parse_result(const char *v)
{
	__u64 x;

	if (*v != '-' && !parse_u64(v, &x) && x <= LLONG_MAX)
		return x;
	return strtoll(v, NULL, 0);
}

/* Room for file F<id>, its path set: NULL (and the error) if it cannot be. */
struct plan_file *plan_file_new(struct parse_state *s, unsigned int id,
				const char *path)
{
	struct plan *p = s->p;
	struct plan_file *f;

	if (!id || id >= MAX_IDS) {
		plan_fail(s, "expected 'file F<n> PATH key=value...'");
		return NULL;
	}
	if (grow((void **)&s->file_of, &s->cap_files, id, sizeof(*s->file_of)) ||
	    grow((void **)&p->files, &s->cap_pfiles, p->nfiles, sizeof(*f))) {
		plan_fail(s, "out of memory");
		return NULL;
	}
	if (s->file_of[id]) {
		plan_fail(s, "file F%u declared twice", id);
		return NULL;
	}
	f = &p->files[p->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->blksize = 4096;
	return f;
}

/* File F<id>, which plan_file_new() made, is declared. */
int plan_file_done(struct parse_state *s, unsigned int id, struct plan_file *f)
{
	if (!f->opts)
		f->opts = strdup("");
	if (!f->path || !f->opts)
		return plan_fail(s, "out of memory");
	s->file_of[id] = ++s->p->nfiles;
	return 0;
}

static int file_line(struct parse_state *s, char **tok, int n)
{
	struct plan_file *f;
	unsigned int id = n >= 3 ? parse_id(tok[1], 'F') : 0;
	int i;

	if (!id)
		return plan_fail(s, "expected 'file F<n> PATH key=value...'");
	f = plan_file_new(s, id, tok[2]);
	if (!f)
		return -1;
	for (i = 3; i < n; i++) {
		char *v = strchr(tok[i], '=');

		if (!v)
			return plan_fail(s, "file F%u: '%s' is not key=value", id, tok[i]);
		*v++ = '\0';
		if (!strcmp(tok[i], "size")) {
			if (parse_u64(v, &f->size))
				return plan_fail(s, "file F%u: bad size '%s'", id, v);
		} else if (!strcmp(tok[i], "fs")) {
			snprintf(f->fstype, sizeof(f->fstype), "%s", v);
		} else if (!strcmp(tok[i], "blksize")) {
			f->blksize = strtoul(v, NULL, 10);
		} else if (!strcmp(tok[i], "opts")) {
			free(f->opts);	/* the last opts= counts */
			f->opts = strdup(v);
		} else if (!strcmp(tok[i], "type")) {
			if (strcmp(v, "reg") && strcmp(v, "blk"))
				return plan_fail(s, "file F%u: type must be reg or blk", id);
			f->bdev = !strcmp(v, "blk");
		} else {
			return plan_fail(s, "file F%u: unknown key '%s'", id, tok[i]);
		}
	}
	return plan_file_done(s, id, f);
}

/* The index of thread P<proc>:T<t>, PLAN_NONE if it cannot be one. */
unsigned int plan_thread_index(struct parse_state *s, unsigned int proc,
			       unsigned int t)
{
	struct plan *p = s->p;

	if (!proc || !t || proc >= MAX_IDS || t >= MAX_IDS)
		return PLAN_NONE;
	if (grow((void **)&s->thread_of, &s->cap_threads, t,
		 sizeof(*s->thread_of)))
		return PLAN_NONE;
	if (!s->thread_of[t]) {
		struct plan_thread *th = realloc(p->threads,
					(p->nthreads + 1) * sizeof(*th));
		if (!th)
			return PLAN_NONE;
		p->threads = th;
		th += p->nthreads;
		memset(th, 0, sizeof(*th));
		th->proc = proc - 1;
		snprintf(th->name, sizeof(th->name), "P%u:T%u", proc, t);
		if (proc > p->nprocs)
			p->nprocs = proc;
		s->thread_of[t] = ++p->nthreads;
	} else if (p->threads[s->thread_of[t] - 1].proc != proc - 1) {
		return PLAN_NONE;
	}
	return s->thread_of[t] - 1;
}

static unsigned int thread_index(struct parse_state *s, const char *tok)
{
	unsigned int proc = 1;
	const char *colon = strchr(tok, ':');
	char buf[16];

	if (colon) {
		if ((size_t)(colon - tok) >= sizeof(buf))
			return PLAN_NONE;
		memcpy(buf, tok, colon - tok);
		buf[colon - tok] = '\0';
		proc = parse_id(buf, 'P');
		tok = colon + 1;
	}
	return plan_thread_index(s, proc, parse_id(tok, 'T'));
}

/* Whether an op acts on a mapping M<n> rather than a file F<n>. */
bool plan_op_on_map(const struct plan_op *op)
{
	return op->kind == PK_MUNMAP || op->kind == PK_MSYNC ||
	       op->kind == PK_MADVISE || op->kind == PK_TOUCH;
}

/* The op's file F<id> or, for plan_op_on_map(), mapping M<id>; 0: none. */
int plan_op_target(struct parse_state *s, struct plan_op *op, unsigned int id)
{
	if (op->kind == PK_DROP_CACHES)
		return 0;
	if (plan_op_on_map(op)) {
		if (!id || id >= s->cap_maps || !s->map_of[id])
			return plan_fail(s, "%s needs a mapping M<n> made by an earlier mmap",
				    plan_op_name_of(op));
		op->map = s->map_of[id] - 1;
		op->file = s->p->maps[op->map].file;
		return 0;
	}
	if (!id || id >= s->cap_files || !s->file_of[id])
		return plan_fail(s, "%s needs a declared file F<n>",
				 plan_op_name_of(op));
	op->file = s->file_of[id] - 1;
	return 0;
}

static int op_target(struct parse_state *s, struct plan_op *op, const char *tok)
{
	return plan_op_target(s, op, tok ? parse_id(tok, plan_op_on_map(op) ? 'M' : 'F') : 0);
}

/* mmap's new mapping M<id> */
int plan_new_map(struct parse_state *s, struct plan_op *op, unsigned int id)
{
	struct plan *p = s->p;
	struct plan_map *m;

	/* a trace's ids are counts: held to what the text can name */
	if (!id || id >= MAX_IDS)
		return plan_fail(s, "mmap needs a mapping name M<n> after its file");
	if (grow((void **)&s->map_of, &s->cap_maps, id, sizeof(*s->map_of)))
		return plan_fail(s, "out of memory");
	if (s->map_of[id])
		return plan_fail(s, "mapping M%u made twice", id);
	m = realloc(p->maps, (p->nmaps + 1) * sizeof(*m));
	if (!m)
		return plan_fail(s, "out of memory");
	p->maps = m;
	op->map = p->nmaps;
	s->map_of[id] = ++p->nmaps;
	return 0;
}

/* buf=M<id>+off: the I/O buffer of a read or write is in mapping M<id>. */
int plan_buf_map(struct parse_state *s, struct plan_op *op, unsigned int id,
		 __u64 off)
{
	if (op->kind != PK_READ && op->kind != PK_WRITE)
		return plan_fail(s, "buf= is for reads and writes, not %s",
				 plan_op_name_of(op));
	if (!id || id >= s->cap_maps || !s->map_of[id])
		return plan_fail(s, "buf=M%u: no such mapping made before", id);
	op->buf_map = s->map_of[id] - 1;
	op->buf_off = off;
	return 0;
}

static int buf_arg(struct parse_state *s, struct plan_op *op, char *v)
{
	char *plus = strchr(v, '+');
	unsigned int id;
	__u64 off = 0;

	if (plus)
		*plus++ = '\0';
	id = parse_id(v, 'M');
	if ((op->kind == PK_READ || op->kind == PK_WRITE) &&
	    (!id || id >= s->cap_maps || !s->map_of[id]))
		return plan_fail(s, "buf=%s: no mapping %s made before", v, v);
	if (plus && parse_u64(plus, &off))
		return plan_fail(s, "buf=%s+%s: '%s' is not a number", v, plus, plus);
	return plan_buf_map(s, op, id, off);
}

/* part=add|del|resize and pno=N: the partition of an ioctl BLKPG */
static int blkpg_arg(struct parse_state *s, struct plan_op *op,
		     const char *key, const char *v)
{
	__u64 x;

	if (op->kind != PK_IOCTL)
		return plan_fail(s, "%s= is for ioctl BLKPG, not %s", key,
				 plan_op_name_of(op));
	if (!strcmp(key, "pno")) {
		if (parse_u64(v, &x) || x > 0xffff)
			return plan_fail(s, "pno=%s: not a partition number", v);
		op->blkpg_pno = x;
		return 0;
	}
	if (pcrace_parse_arg(PCRACE_AF_BLKPG_OP, v, &x) ||
	    x < BLKPG_ADD_PARTITION || x > BLKPG_RESIZE_PARTITION)
		return plan_fail(s, "part=%s: add, del or resize", v);
	op->blkpg_op = x;
	return 0;
}

/* The keys of an op's key=value arguments, most frequent first. */
enum arg_key {
	AK_OFF, AK_LEN, AK_FLAGS, AK_ADVICE, AK_BUF, AK_PAGE, AK_FD, AK_AFTER,
	AK_MODE, AK_PROT, AK_RWF, AK_CMD, AK_VALUE, AK_IOVCNT, AK_COLOUR,
	AK_PART, AK_PNO,
};

static const char *const arg_keys[] = {
	[AK_OFF] = "off", [AK_LEN] = "len", [AK_FLAGS] = "flags",
	[AK_ADVICE] = "advice", [AK_BUF] = "buf", [AK_PAGE] = "page",
	[AK_FD] = "fd", [AK_AFTER] = "after", [AK_MODE] = "mode",
	[AK_PROT] = "prot", [AK_RWF] = "rwf", [AK_CMD] = "cmd",
	[AK_VALUE] = "value", [AK_IOVCNT] = "iovcnt", [AK_COLOUR] = "colour",
	[AK_PART] = "part", [AK_PNO] = "pno",
};

/* A key's index in arg_keys, or -1; the first letter rules most out. */
static int arg_key(const char *key)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(arg_keys); k++)
		if (arg_keys[k][0] == key[0] && !strcmp(arg_keys[k], key))
			return k;
	return -1;
}

/* The value of a symbolic argument (flags=, advice=, ...) in format fmt. */
static int symbolic_arg(struct parse_state *s, enum pcrace_argfmt fmt,
			const char *key, const char *v, __u64 *x)
{
	/* the same flags line after line (advice=MADV_PAGEOUT): the last */
	if (s->last_arg_ok && fmt == s->last_fmt && !strcmp(v, s->last_arg)) {
		*x = s->last_val;
		return 0;
	}
	if (pcrace_parse_arg(fmt, v, x))
		return plan_fail(s, "%s: cannot parse '%s'", key, v);
	s->last_arg_ok = strlen(v) < sizeof(s->last_arg);
	if (s->last_arg_ok) {
		strcpy(s->last_arg, v);
		s->last_fmt = fmt;
		s->last_val = *x;
	}
	return 0;
}

/* key=value arguments of an op, and its flag words. */
static int op_arg(struct parse_state *s, struct plan_op *op, char *tok)
{
	char *v = strchr(tok, '=');
	enum pcrace_argfmt fmt;
	int key;
	__u64 x;

	if (!v) {
		if (!strcmp(tok, "direct"))
			op->direct = true;
		else if (!strcmp(tok, "store"))
			op->touch = PT_STORE;
		else if (!strcmp(tok, "load"))
			op->touch = PT_LOAD;
		else if (!strcmp(tok, "access"))
			op->touch = PT_ACCESS;
		else
			return plan_fail(s, "'%s' is not key=value", tok);
		return 0;
	}
	*v++ = '\0';
	key = arg_key(tok);
	switch (key) {
	case AK_BUF:
		return buf_arg(s, op, v);
	case AK_PART:
	case AK_PNO:
		return blkpg_arg(s, op, tok, v);
	case AK_OFF:
	case AK_PAGE:
	case AK_LEN:
	case AK_FD:
	case AK_IOVCNT:
	case AK_AFTER:
	case AK_COLOUR:
		if (parse_u64(v, &x))
			return plan_fail(s, "%s: '%s' is not a number", tok, v);
		if (key == AK_COLOUR) {
			if (op->kind != PK_MMAP || x >= (2u << 20) || (x & 4095))
				return plan_fail(s, "colour=%s: a page-aligned offset below 2 MiB, on an mmap", v);
			op->colour = x;
		} else if (key == AK_OFF || key == AK_PAGE) {
			op->off = x;
		} else if (key == AK_LEN) {
			op->len = x;
		} else if (key == AK_FD) {
			op->fd = x;
		} else if (key == AK_AFTER) {
			op->dep = x;	/* a seq; resolved by resolve_after() */
		}
		return 0;
	case AK_FLAGS:
		fmt = op->kind == PK_OPEN ? PCRACE_AF_OFLAGS :
		      op->kind == PK_MMAP ? PCRACE_AF_MMAP :
		      op->kind == PK_MSYNC ? PCRACE_AF_MSYNC : PCRACE_AF_SFR;
		break;
	case AK_PROT:
		fmt = PCRACE_AF_PROT;
		break;
	case AK_MODE:
		fmt = PCRACE_AF_FALLOC;
		break;
	case AK_RWF:
		fmt = PCRACE_AF_RWF;
		break;
	case AK_ADVICE:
		fmt = op->kind == PK_MADVISE ? PCRACE_AF_MADV : PCRACE_AF_U;
		break;
	case AK_CMD:
		fmt = PCRACE_AF_IOCTL;
		break;
	case AK_VALUE:
		fmt = PCRACE_AF_U;
		break;
	default:
		return plan_fail(s, "unknown argument '%s'", tok);
	}
	if (symbolic_arg(s, fmt, tok, v, &x))
		return -1;
	if (op->kind == PK_MMAP && key == AK_FLAGS)
		op->flags2 = x;
	else
		op->flags = x;
	return 0;
}

/* Room for the next op, NULL if out of memory; its defaults. */
struct plan_op *plan_new_op(struct parse_state *s)
{
	struct plan *p = s->p;
	struct plan_op *op;

	if (grow_array((void **)&p->ops, &s->cap_ops, p->nops, sizeof(*op), false))
		return NULL;
	op = &p->ops[p->nops];
	memset(op, 0, sizeof(*op));
	op->file = op->map = op->buf_map = PLAN_NONE;
	op->fd = -1;
	op->colour = ~0ull;
	op->dep = PLAN_NONE;
	return op;
}

/* SEQ THREAD [+USEC] [~DUR]: the index of the word after, or -1. */
static int op_head(struct parse_state *s, struct plan_op *op, char **tok, int n)
{
	__u64 x;
	int i = 2;

	if (parse_u64(tok[0], &x) || x > 0xffffffffu)
		return plan_fail(s, "'%s' is not an op sequence number", tok[0]);
	op->seq = x;
	if (n < 3)
		return plan_fail(s, "expected 'SEQ THREAD [+USEC] [~DUR] OP ARGS...'");
	op->thread = thread_index(s, tok[1]);
	if (op->thread == PLAN_NONE)
		return plan_fail(s, "bad thread '%s' (T<n> or P<n>:T<n>, one process per thread)",
			    tok[1]);
	if (i < n && tok[i][0] == '+') {
		if (parse_u64(tok[i] + 1, &op->usec))
			return plan_fail(s, "bad start time '%s'", tok[i]);
		i++;
	}
	if (i < n && tok[i][0] == '~') {
		if (parse_u64(tok[i] + 1, &op->dur))
			return plan_fail(s, "bad duration '%s'", tok[i]);
		i++;
	} else {
		s->all_durations = false;
	}
	return i;
}

/* An op line's words from its op name, tok[i], on: the op is added. */
/* The op named name: its kind and call. */
int plan_op_name(struct parse_state *s, struct plan_op *op, const char *name)
{
	unsigned int k;

	/* traces repeat one op name for thousands of lines: try the last */
	k = s->last_name;
	if (k >= ARRAY_SIZE(op_names) || strcmp(name, op_names[k].name))
		k = op_name_index(name);
	s->last_name = k;
	if (k == ARRAY_SIZE(op_names))
		return plan_fail(s, "unknown op '%s'", name);
	op->name = k;
	op->kind = op_names[k].kind;
	op->call = op_names[k].call;
	op->touch = PT_ACCESS;
	if (op->kind == PK_DROP_CACHES)
		op->flags = 3;
	return 0;
}

static int op_body(struct parse_state *s, struct plan_op *op, char **tok,
		   int i, int n)
{
	if (plan_op_name(s, op, tok[i]))
		return -1;
	i++;
	if (op->kind != PK_DROP_CACHES && op_target(s, op, i < n ? tok[i] : NULL))
		return -1;
	if (op->kind != PK_DROP_CACHES)
		i++;
	if (op->kind == PK_MMAP &&
	    plan_new_map(s, op, i < n ? parse_id(tok[i++], 'M') : 0))
		return -1;
	for (; i < n; i++) {
		if (!strcmp(tok[i], "=")) {
			if (i + 2 != n)
				return plan_fail(s, "'= RESULT' must end the line");
			op->ret = parse_result(tok[i + 1]);
			op->has_ret = true;
			break;
		}
		if (op_arg(s, op, tok[i]))
			return -1;
	}
	return plan_op_done(s, op);
}

/* The op, its fields filled, is checked against its mapping and added. */
int plan_op_done(struct parse_state *s, struct plan_op *op)
{
	struct plan *p = s->p;

	if (op->kind == PK_MMAP) {
		struct plan_map *m = &p->maps[op->map];

		m->file = op->file;
		m->off = op->off;
		m->len = op->len;
		m->prot = op->flags;
		m->flags = op->flags2;
		m->has_colour = op->colour != ~0ull;
		m->colour = m->has_colour ? op->colour : 0;
		m->mmap_op = p->nops;
		if (!m->len)
			return plan_fail(s, "mmap of length 0");
	}
	if (op->buf_map != PLAN_NONE &&
	    op->buf_off + op->len > p->maps[op->buf_map].len)
		return plan_fail(s, "buf=M%u+%llu: len=%llu runs past the mapping's end",
			    op->buf_map + 1, (unsigned long long)op->buf_off,
			    (unsigned long long)op->len);
	if ((op->kind == PK_MSYNC || op->kind == PK_MADVISE) &&
	    (op->off >= p->maps[op->map].len || (op->off & 4095)))
		return plan_fail(s, "%s off=%llu: not a page inside its mapping",
			    plan_op_name_of(op),
			    (unsigned long long)op->off);
	if (op->kind == PK_TOUCH &&
	    op->off * 4096 >= p->maps[op->map].len)
		return plan_fail(s, "touch page=%llu is past the end of its mapping",
			    (unsigned long long)op->off);
	p->nops++;
	return 0;
}

static int op_line(struct parse_state *s, char **tok, int n)
{
	struct plan_op *op = plan_new_op(s);
	int i;

	if (!op)
		return plan_fail(s, "out of memory");
	i = op_head(s, op, tok, n);
	if (i < 0)
		return -1;
	if (i >= n)
		return plan_fail(s, "no op");
	return op_body(s, op, tok, i, n);
}

/*
 * Files on procfs and sysfs are not race targets: their ops are dropped,
 * except a write to drop_caches, which is an op of its own.
 */
static bool dropped(const struct plan_filter *f, const char *path)
{
	unsigned int i;

	for (i = 0; f && i < f->ndrop; i++)
		if (!strncmp(path, f->drop[i], strlen(f->drop[i])))
			return true;
	return false;
}

/* gone[t]: thread t's ops are not replayed (--drop-thread), or NULL */
static void drop_pseudo(struct plan *p, const struct plan_filter *f,
			const bool *gone)
{
	unsigned int i, o = 0;

	for (i = 0; i < p->nfiles; i++)
		/* by path too: a file whose task was gone has fs=? */
		p->files[i].pseudo = !strcmp(p->files[i].fstype, "proc") ||
				     !strcmp(p->files[i].fstype, "sysfs") ||
				     !strncmp(p->files[i].path, "/proc/", 6) ||
				     !strncmp(p->files[i].path, "/sys/", 5) ||
				     dropped(f, p->files[i].path);
	for (i = 0; i < p->nops; i++) {
		struct plan_op *op = &p->ops[i];

		if (gone && gone[op->thread])
			continue;
		if (op->file != PLAN_NONE && p->files[op->file].pseudo) {
			if (op->kind != PK_WRITE ||
			    strcmp(p->files[op->file].path, "/proc/sys/vm/drop_caches"))
				continue;
			op->kind = PK_DROP_CACHES;
			op->name = op_name_index("drop_caches");
			op->file = PLAN_NONE;
			op->flags = 3;
		}
		p->ops[o++] = *op;
	}
	p->nops = o;
}

/*
 * Split a line into words in place; -1 if it has more than MAX_TOKENS.
 * By hand, not strtok_r, and with a table rather than four compares a
 * character: a trace's scenario runs to tens of thousands of lines, and
 * the test VM (TCG) pays for every instruction of the load.
 */
static int tokenize(char *line, char **tok)
{
	int n = 0;

	for (;;) {
		while (*line && word_end[(unsigned char)*line])
			line++;
		if (!*line)
			return n;
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = line;
		while (!word_end[(unsigned char)*line])
			line++;
		if (*line)
			*line++ = '\0';
	}
}

/*
 * The op just parsed from text (its words from the op name on) becomes
 * its thread's memo.  Not an mmap, whose line makes a new mapping each
 * time.
 */
static void memo_keep(struct parse_state *s, unsigned int t, int words)
{
	struct op_memo *m = &s->memo[t], old = *m;

	if (s->p->ops[s->p->nops - 1].kind == PK_MMAP)
		return;
	*m = s->next;
	m->op = s->p->nops - 1;
	m->words = words;
	s->next = old;
}

/*
 * An op line whose SEQ THREAD +USEC ~DUR are plain: they are read once,
 * without tokenizing.  If the rest repeats its thread's last op (see
 * struct op_memo), the op is a copy of that one; if not, the rest is
 * parsed, and kept as the thread's memo.  1 if the op was added, -1 on
 * an error.  0, and the line unchanged, for anything out of the ordinary
 * in the first words: op_line() reads the whole line (or rejects it).
 */
static int op_line_fast(struct parse_state *s, char *line, size_t len)
{
	const char *c = line, *thread;
	__u64 seq, usec = 0, dur = 0;
	bool has_dur = false, repeat;
	struct plan_op *op;
	struct op_memo *m;
	unsigned int t, head = 2;
	char th[24], *tok[MAX_TOKENS];
	size_t tlen;
	int n;

	while (*c && word_end[(unsigned char)*c])
		c++;
	c = dec_word(c, &seq);
	if (!c || seq > 0xffffffffu)
		return 0;
	thread = c;
	while (!word_end[(unsigned char)*c])
		c++;
	if (c == thread || c - thread >= (long)sizeof(th))
		return 0;
	memcpy(th, thread, c - thread);
	th[c - thread] = '\0';
	c = skip_word(c);
	if (*c == '+') {
		c = dec_word(c + 1, &usec);
		if (!c)
			return 0;
		head++;
	}
	if (*c == '~') {
		c = dec_word(c + 1, &dur);
		if (!c)
			return 0;
		has_dur = true;
		head++;
	}
	tlen = line + len - c;
	if (!*c)
		return 0;
	t = thread_index(s, th);
	if (t == PLAN_NONE ||
	    grow((void **)&s->memo, &s->cap_memo, t, sizeof(*s->memo)))
		return 0;
	m = &s->memo[t];
	op = plan_new_op(s);
	if (!op)
		return plan_fail(s, "out of memory");
	if (!has_dur)
		s->all_durations = false;
	repeat = m->text && m->len == tlen && !memcmp(m->text, c, tlen) &&
		 head + m->words <= MAX_TOKENS;
	if (repeat)
		*op = s->p->ops[m->op];
	op->seq = seq;
	op->thread = t;
	op->usec = usec;
	op->dur = dur;
	if (repeat) {
		s->p->nops++;
		return 1;
	}
	/* the text, before tokenize() cuts it into words */
	if (grow_array((void **)&s->next.text, &s->next.cap, tlen, 1, false))
		return plan_fail(s, "out of memory");
	memcpy(s->next.text, c, tlen);
	s->next.len = tlen;
	n = tokenize(line + (c - line), tok);
	if (n < 0 || head + n > MAX_TOKENS)
		return plan_fail(s, "more than %d words", MAX_TOKENS);
	if (op_body(s, op, tok, 0, n))
		return -1;
	memo_keep(s, t, n);
	return 1;
}

static int cmp_seq(const void *a, const void *b)
{
	const struct plan_op *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const struct plan_op *op_by_seq(const struct plan *p, unsigned int seq)
{
	struct plan_op key = { .seq = seq };

	return bsearch(&key, p->ops, p->nops, sizeof(key), cmp_seq);
}

static int add_dep(struct plan *p, size_t *cap, unsigned int thread,
		   unsigned int count)
{
	if (grow_array((void **)&p->deps, cap, p->ndeps, sizeof(*p->deps), false))
		return -1;
	p->deps[p->ndeps].thread = thread;
	p->deps[p->ndeps].count = count;
	p->ndeps++;
	return 0;
}

/*
 * Threads by the recorded end of their next op not yet ended, for
 * ops_ended(): a binary min-heap, one entry per thread at most.
 */
struct end_heap {
	struct end_entry {
		__u64 end;
		unsigned int thread;
	} *e;
	unsigned int n;
};

/*
 * When o ended, as far as the recording shows.  A touch has no recorded
 * end (its fault's tracepoint fires on entry: ~0).  It had ended when its
 * thread's next op began, and no earlier can be shown: an op of another
 * thread that started before then may have run beside the fault, and
 * does not wait for it.  Its own thread's last touch ends at its start.
 */
static __u64 op_end(const struct plan *p, const struct plan_op *o)
{
	const struct plan_thread *t = &p->threads[o->thread];

	if (o->kind == PK_TOUCH && !o->dur && o->nth + 1 < t->nops)
		return p->ops[t->ops[o->nth + 1]].usec;
	return o->usec + o->dur;
}

static void heap_push(const struct plan *p, struct end_heap *h,
		      const struct plan_op *o)
{
	struct end_entry x = { op_end(p, o), o->thread };
	unsigned int i = h->n++;

	for (; i && h->e[(i - 1) / 2].end > x.end; i = (i - 1) / 2)
		h->e[i] = h->e[(i - 1) / 2];
	h->e[i] = x;
}

static unsigned int heap_pop(struct end_heap *h)
{
	unsigned int top = h->e[0].thread, i = 0, c;
	struct end_entry x = h->e[--h->n];

	for (; (c = 2 * i + 1) < h->n; i = c) {
		if (c + 1 < h->n && h->e[c + 1].end < h->e[c].end)
			c++;
		if (h->e[c].end >= x.end)
			break;
		h->e[i] = h->e[c];
	}
	h->e[i] = x;
	return top;
}

#define FEW_THREADS	8	/* compute_deps() looks at each of so few */

/* Op (of a thread that waited for wt[u] ops of u) waits for done of u's. */
static int wait_for(struct plan *p, size_t *cap, struct plan_op *op,
		    unsigned int *wt, unsigned int u, unsigned int done)
{
	if (done <= wt[u])
		return 0;
	if (add_dep(p, cap, u, done))
		return -1;
	wt[u] = done;
	op->ndeps++;
	return 0;
}

/* What compute_deps() keeps while it goes through the ops in plan order. */
struct dep_sweep {
	unsigned int *ptr;		/* its ops ended before the current op */
	unsigned int *waited;		/* [t][u]: ops of u that t waits for */
	struct end_heap heap;
	unsigned int *moved, nmoved;	/* threads whose ptr moved, in turn */
	unsigned int *seen;		/* moved[] as far as each thread read */
	unsigned int *pick;		/* the threads one op looks at */
};

/*
 * Before op i of thread t: the ops of every other thread that come
 * before i in the plan and had ended by the time i started.  A thread's
 * next op enters the heap once the plan has gone past it, and its ptr
 * moves when that op ended by then.  t's own stays where it is, as it
 * always did: a trace's start times can step back a little (by up to
 * 206 us in seed 6's), and t's ops are counted at the next op of
 * another thread, by that op's start.
 */
static void ops_ended(const struct plan *p, struct dep_sweep *w, unsigned int i)
{
	const struct plan_op *op = &p->ops[i], *prev = i ? op - 1 : NULL;
	__u64 usec = op->usec;
	unsigned int u, next;
	bool own = false;

	if (prev && w->ptr[prev->thread] == prev->nth)
		heap_push(p, &w->heap, prev);
	while (w->heap.n && w->heap.e[0].end <= usec) {
		u = heap_pop(&w->heap);
		if (u == op->thread) {
			own = true;
			continue;
		}
		w->ptr[u]++;
		w->moved[w->nmoved++] = u;
		if (w->ptr[u] < p->threads[u].nops) {
			next = p->threads[u].ops[w->ptr[u]];
			if (next < i)
				heap_push(p, &w->heap, &p->ops[next]);
		}
	}
	if (own)
		heap_push(p, &w->heap,
			  &p->ops[p->threads[op->thread].ops[w->ptr[op->thread]]]);
}

/*
 * The threads op i of thread t may have to wait for, in order, into
 * w->pick: those that moved since t's last op, or all of them when that
 * is shorter.  Returns how many.
 */
static unsigned int threads_moved(const struct plan *p, struct dep_sweep *w,
				  unsigned int t)
{
	unsigned int nt = p->nthreads, n = 0, k;

	if (w->nmoved - w->seen[t] >= nt) {
		for (k = 0; k < nt; k++)
			w->pick[n++] = k;
	} else {
		/* fewer than nt, mostly one or two: sorted by insertion */
		for (k = w->seen[t]; k < w->nmoved; k++) {
			unsigned int u = w->moved[k], j = n++;

			for (; j && w->pick[j - 1] > u; j--)
				w->pick[j] = w->pick[j - 1];
			w->pick[j] = u;
		}
	}
	w->seen[t] = w->nmoved;
	return n;
}

/*
 * The completion waits of each op.  With recorded durations: every op of
 * another thread that had ended before this op started (a prefix of that
 * thread's ops, as a thread's ops run one after another).  A wait already
 * implied by an earlier op of the same thread is left out.
 *
 * With more than a few threads, the ops that end are taken from a heap,
 * and an op looks only at the threads that moved since its thread's last
 * op: looking at every thread for every op was 70M of the 154M
 * instructions of seed 2's load (79 threads).  With a few, looking at
 * each is cheaper than the heap.
 */
static int compute_deps(struct plan *p, bool durations, char *err, size_t errlen)
{
	unsigned int nt = p->nthreads, i, u, k, n;
	struct dep_sweep w = {
		.ptr = calloc(nt, sizeof(*w.ptr)),
		.waited = calloc((size_t)nt * nt, sizeof(*w.waited)),
		.heap.e = malloc(nt * sizeof(*w.heap.e)),
		.moved = malloc((p->nops + 1) * sizeof(*w.moved)),
		.seen = calloc(nt, sizeof(*w.seen)),
		.pick = malloc(nt * sizeof(*w.pick)),
	};
	size_t cap = 0;
	int ret = -1;

	if (!w.ptr || !w.waited || !w.heap.e || !w.moved || !w.seen || !w.pick)
		goto out;
	for (u = 0; u < nt; u++) {
		/* the plan keeps them (plan_free() frees them) */
		p->threads[u].ops = malloc((p->threads[u].nops + 1) *
					   sizeof(*p->threads[u].ops));
		if (!p->threads[u].ops)
			goto out;
		p->threads[u].nops = 0;
	}
	for (i = 0; i < p->nops; i++) {
		struct plan_op *op = &p->ops[i];

		op->nth = p->threads[op->thread].nops++;
		p->threads[op->thread].ops[op->nth] = i;
	}
	for (i = 0; i < p->nops; i++) {
		struct plan_op *op = &p->ops[i];
		unsigned int after = op->dep, t = op->thread;
		unsigned int *wt = &w.waited[(size_t)t * nt];

		op->dep = p->ndeps;
		op->ndeps = 0;
		n = 0;
		if (durations && nt > FEW_THREADS) {
			ops_ended(p, &w, i);
			n = threads_moved(p, &w, t);
		}
		for (k = 0; k < n; k++) {
			u = w.pick[k];
			/* (a thread that moved twice is waited for once) */
			if (u != t && wait_for(p, &cap, op, wt, u, w.ptr[u]))
				goto out;
		}
		for (u = 0; durations && nt <= FEW_THREADS && u < nt; u++) {
			if (u == t)
				continue;
			while (w.ptr[u] < p->threads[u].nops) {
				unsigned int j = p->threads[u].ops[w.ptr[u]];
				const struct plan_op *o = &p->ops[j];

				if (j > i || op_end(p, o) > op->usec)
					break;
				w.ptr[u]++;
			}
			if (wait_for(p, &cap, op, wt, u, w.ptr[u]))
				goto out;
		}
		if (after != PLAN_NONE) {
			const struct plan_op *o = op_by_seq(p, after);

			if (!o || o >= op) {
				snprintf(err, errlen, "%s: op %u: after=%u names no earlier op",
					 p->source, op->seq, after);
				goto out;
			}
			if (add_dep(p, &cap, o->thread, o->nth + 1))
				goto out;
			op->ndeps++;
			op->after = true;
		}
	}
	ret = 0;
out:
	if (ret && !err[0])
		snprintf(err, errlen, "%s: out of memory", p->source);
	free(w.ptr);
	free(w.waited);
	free(w.heap.e);
	free(w.moved);
	free(w.seen);
	free(w.pick);
	return ret;
}

int plan_finish(struct parse_state *s, const struct plan_filter *f)
{
	struct plan *p = s->p;
	const char *name = p->source;
	char *err = s->err;
	size_t errlen = s->errlen;
	bool *gone = NULL;
	unsigned int i;
	int ret = -1;

	if (!p->nops) {
		snprintf(err, errlen, "%s: no ops", name);
		goto out;
	}
	if (f && f->ndrop_threads) {
		gone = calloc(p->nthreads, sizeof(*gone));
		if (!gone) {
			snprintf(err, errlen, "%s: out of memory", name);
			goto out;
		}
	}
	for (i = 0; f && i < f->ndrop_threads; i++) {
		int t = plan_thread_by_name(p, f->drop_threads[i]);

		if (t < 0) {
			snprintf(err, errlen, "%s: --drop-thread %s: no such thread",
				 name, f->drop_threads[i]);
			goto out;
		}
		gone[t] = true;
	}
	drop_pseudo(p, f, gone);
	if (!p->nops && f && f->ndrop_threads) {
		snprintf(err, errlen, "%s: no ops left to replay (--drop-thread)", name);
		goto out;
	}
	/* dump --ops prints in seq order; hand-written files may not */
	for (i = 1; i < p->nops && p->ops[i - 1].seq <= p->ops[i].seq; i++)
		;
	if (i < p->nops)
		qsort(p->ops, p->nops, sizeof(*p->ops), cmp_seq);
	for (i = 1; i < p->nops; i++)
		if (p->ops[i].seq == p->ops[i - 1].seq) {
			snprintf(err, errlen, "%s: op %u appears twice", name,
				 p->ops[i].seq);
			goto out;
		}
	for (i = 0; i < p->nmaps; i++)	/* qsort moved the mmap ops */
		p->maps[i].mmap_op = PLAN_NONE;
	for (i = 0; i < p->nops; i++)
		if (p->ops[i].kind == PK_MMAP)
			p->maps[p->ops[i].map].mmap_op = i;
	for (i = 0; i < p->nops; i++)
		if ((p->ops[i].map != PLAN_NONE &&
		     p->maps[p->ops[i].map].mmap_op > i) ||
		    (p->ops[i].buf_map != PLAN_NONE &&
		     p->maps[p->ops[i].buf_map].mmap_op > i)) {
			snprintf(err, errlen, "%s: op %u uses a mapping before its mmap%s",
				 name, p->ops[i].seq,
				 f && f->ndrop_threads ? " (or its mmap's thread is dropped)" : "");
			goto out;
		}
	for (i = 0; i < p->nops; i++)
		p->threads[p->ops[i].thread].nops++;
	p->have_durations = s->all_durations;
	if (compute_deps(p, s->all_durations, err, errlen))
		goto out;
	trim_array((void **)&p->ops, p->nops, sizeof(*p->ops));
	trim_array((void **)&p->deps, p->ndeps, sizeof(*p->deps));
	ret = 0;
out:
	free(gone);
	return ret;
}

void plan_state_free(struct parse_state *s, int ret)
{
	unsigned int i;

	free(s->file_of);
	free(s->map_of);
	free(s->thread_of);
	for (i = 0; i < s->cap_memo; i++)
		free(s->memo[i].text);
	free(s->memo);
	free(s->next.text);
	if (!ret)
		return;
	/* a file plan_file_new() made that an error kept from being counted */
	if (s->p->files && s->cap_pfiles > s->p->nfiles) {
		free(s->p->files[s->p->nfiles].path);
		free(s->p->files[s->p->nfiles].opts);
	}
	plan_free(s->p);
}

int plan_parse(struct plan *p, FILE *in, const char *name,
	       const struct plan_filter *f, char *err, size_t errlen)
{
	struct parse_state s = {
		.p = p, .err = err, .errlen = errlen, .all_durations = true,
	};
	char *line = NULL, *tok[MAX_TOKENS];
	size_t cap = 0;
	bool header = false;
	ssize_t len;
	int n, ret = -1;

	memset(p, 0, sizeof(*p));
	snprintf(p->source, sizeof(p->source), "%s", name);
	err[0] = '\0';
	while ((len = getline(&line, &cap, in)) >= 0) {
		s.lineno++;
		if (s.lineno == 1 && !strncmp(line, "# pcrace scenario ", 18)) {
			if (atoi(line + 18) != 1) {
				plan_fail(&s, "scenario format %d, this pcrace reads 1",
					  atoi(line + 18));
				goto out;
			}
			header = true;
			continue;
		}
		if (line[0] == '#')
			continue;
		n = op_line_fast(&s, line, len);
		if (n < 0)
			goto out;
		if (n)
			continue;
		n = tokenize(line, tok);
		if (n < 0) {
			plan_fail(&s, "more than %d words", MAX_TOKENS);
			goto out;
		}
		if (!n)
			continue;
		if (!strcmp(tok[0], "file") ? file_line(&s, tok, n) :
					      op_line(&s, tok, n))
			goto out;
	}
	if (!header && !s.lineno) {
		snprintf(err, errlen, "%s: empty scenario", name);
		goto out;
	}
	ret = plan_finish(&s, f);
out:
	free(line);
	plan_state_free(&s, ret);
	return ret;
}

int plan_load(struct plan *p, const char *path, const struct plan_filter *f,
	      char *err, size_t errlen)
{
	char magic[8] = { 0 };
	FILE *in = fopen(path, "r");
	int ret;

	if (!in) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fread(magic, 1, sizeof(magic), in) == sizeof(magic) &&
	    !memcmp(magic, PCRACE_TRACE_MAGIC, sizeof(magic))) {
		fclose(in);
		return plan_from_trace(p, path, f, err, errlen);
	}
	if (plan_is_image(magic, sizeof(magic))) {
		fclose(in);
		/* made with its filter: another here would not be applied */
		if (f && (f->ndrop || f->ndrop_threads)) {
			snprintf(err, errlen, "%s: a plan image has its --drop and --drop-thread from `pcrace plan`: give them there",
				 path);
			return -1;
		}
		return plan_image_load(p, path, err, errlen);
	}
	rewind(in);
	ret = plan_parse(p, in, path, f, err, errlen);
	fclose(in);
	return ret;
}

void plan_free(struct plan *p)
{
	unsigned int i;

	for (i = 0; p->files && i < p->nfiles; i++) {
		free(p->files[i].path);
		free(p->files[i].target);
		free(p->files[i].opts);
	}
	free(p->files);
	free(p->maps);
	if (!p->image) {
		free(p->ops);
		for (i = 0; i < p->nthreads; i++)
			free(p->threads[i].ops);
		free(p->deps);
	}
	free(p->threads);
	if (p->image_mapped)
		munmap((void *)p->image, p->image_len);
	memset(p, 0, sizeof(*p));
}
