// SPDX-License-Identifier: GPL-2.0
/*
 * Plan images: a plan as replay runs it, made once (`pcrace plan`) and
 * mapped at replay's start instead of built.  In the TCG test VM,
 * building seed 7's plan (41,698 ops) from its scenario text took 0.2 s
 * of each 1 s run to the BUG; its original needs no such start.
 *
 * An image is this build's own structures in this machine's byte order:
 * a cache, made where it is used, not an exchange format (traces and
 * scenario texts are those).  Its header names the layout and the sizes
 * of the structures, and an image of another layout is refused.  So is
 * one whose checksum fails, or any of whose indexes, bounds or orders
 * does not hold: what replay relies on and the parser would have checked
 * (plan_image_check()).  The ops, the waits and the threads' op lists
 * stay in the mapping, read-only; the few files, mappings and threads
 * are copied out, as target mapping writes to files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "pcrace.h"
#include "plan.h"
#include "plan_build.h"

#define IMAGE_MAGIC	"PCRPLAN"	/* and its NUL: 8 bytes */
#define IMAGE_LAYOUT	1		/* bump with any change below */
#define IMAGE_MAX_IDS	65536		/* as the parser's MAX_IDS */

struct image_header {
	char magic[8];
	__u32 layout;
	__u32 sizes[6];		/* see image_sizes() */
	__u32 nfiles, nmaps, nops, nthreads, nprocs, ndeps;
	__u32 nstrings;		/* bytes of paths and options, NUL-ended */
	__u32 have_durations;
	__u64 sum;		/* of everything after the header */
	char source[256];
};

struct image_file {
	__u64 size, blksize;
	__u32 path, opts;	/* offsets in the strings; opts NO_STRING */
	char fstype[16];
	__u8 bdev, pseudo, pad[6];
};

#define NO_STRING	(~0u)

struct image_thread {
	__u32 proc, nops;
	char name[24];
};

static void image_sizes(__u32 *s)
{
	s[0] = sizeof(struct image_header);
	s[1] = sizeof(struct image_file);
	s[2] = sizeof(struct plan_map);
	s[3] = sizeof(struct image_thread);
	s[4] = sizeof(struct plan_op);
	s[5] = sizeof(struct plan_dep);
}

/* Where each section starts: in this order, each 8-byte aligned. */
struct image_layout {
	__u64 files, maps, threads, thread_ops, ops, deps, strings, end;
};

static __u64 align8(__u64 x)
{
	return (x + 7) & ~7ull;
}

static void image_layout(const struct image_header *h, struct image_layout *l)
{
	l->files = align8(sizeof(*h));
	l->maps = align8(l->files + (__u64)h->nfiles * sizeof(struct image_file));
	l->threads = align8(l->maps + (__u64)h->nmaps * sizeof(struct plan_map));
	l->thread_ops = align8(l->threads +
			       (__u64)h->nthreads * sizeof(struct image_thread));
	l->ops = align8(l->thread_ops + (__u64)h->nops * sizeof(__u32));
	l->deps = align8(l->ops + (__u64)h->nops * sizeof(struct plan_op));
	l->strings = align8(l->deps + (__u64)h->ndeps * sizeof(struct plan_dep));
	l->end = align8(l->strings + h->nstrings);
}

/* FNV-1a over 8-byte words: the body is a whole number of them */
static __u64 image_sum(const unsigned char *b, __u64 len)
{
	__u64 h = 0xcbf29ce484222325ull, w;
	__u64 i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
	}
	return h;
}

/* ---- writing ---- */

int plan_image_encode(const struct plan *p, void **image, size_t *len)
{
	struct image_header h;
	struct image_layout l;
	unsigned char *buf;
	unsigned int i, t, k, n;
	__u64 at;

	/* padding too: the same plan makes the same bytes */
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, IMAGE_MAGIC, sizeof(h.magic));
	h.layout = IMAGE_LAYOUT;

	image_sizes(h.sizes);
	h.nfiles = p->nfiles;
	h.nmaps = p->nmaps;
	h.nops = p->nops;
	h.nthreads = p->nthreads;
	h.nprocs = p->nprocs;
	h.ndeps = p->ndeps;
	h.have_durations = p->have_durations;
	snprintf(h.source, sizeof(h.source), "%s", p->source);
	for (i = 0; i < p->nfiles; i++)
		h.nstrings += strlen(p->files[i].path) + 1 +
			      (p->files[i].opts ? strlen(p->files[i].opts) + 1 : 0);
	image_layout(&h, &l);
	buf = calloc(1, l.end);
	if (!buf)
		return -ENOMEM;
	at = l.strings;
	for (i = 0; i < p->nfiles; i++) {
		const struct plan_file *f = &p->files[i];
		struct image_file *x = (struct image_file *)(buf + l.files) + i;

		x->size = f->size;
		x->blksize = f->blksize;
		memcpy(x->fstype, f->fstype, sizeof(x->fstype));
		x->bdev = f->bdev;
		x->pseudo = f->pseudo;
		x->path = at - l.strings;
		n = strlen(f->path) + 1;
		memcpy(buf + at, f->path, n);
		at += n;
		x->opts = NO_STRING;
		if (f->opts) {
			x->opts = at - l.strings;
			n = strlen(f->opts) + 1;
			memcpy(buf + at, f->opts, n);
			at += n;
		}
	}
	for (i = 0; i < p->nmaps; i++) {
		const struct plan_map *m = &p->maps[i];
		struct plan_map *x = (struct plan_map *)(buf + l.maps) + i;

		/* field by field: the parser leaves a map's padding unset */
		x->file = m->file;
		x->off = m->off;
		x->len = m->len;
		x->colour = m->colour;
		x->has_colour = m->has_colour;
		x->prot = m->prot;
		x->flags = m->flags;
		x->mmap_op = m->mmap_op;
	}
	k = 0;
	for (t = 0; t < p->nthreads; t++) {
		struct image_thread *x = (struct image_thread *)(buf + l.threads) + t;

		x->proc = p->threads[t].proc;
		x->nops = p->threads[t].nops;
		memcpy(x->name, p->threads[t].name, sizeof(x->name));
		memcpy((__u32 *)(buf + l.thread_ops) + k, p->threads[t].ops,
		       x->nops * sizeof(__u32));
		k += x->nops;
	}
	if (p->nops)
		memcpy(buf + l.ops, p->ops, p->nops * sizeof(*p->ops));
	if (p->ndeps)
		memcpy(buf + l.deps, p->deps, p->ndeps * sizeof(*p->deps));
	h.sum = image_sum(buf + l.files, l.end - l.files);
	memcpy(buf, &h, sizeof(h));
	*image = buf;
	*len = l.end;
	return 0;
}

int plan_image_write(const struct plan *p, const char *path, char *err,
		     size_t errlen)
{
	unsigned char *buf;
	size_t done, len;
	int fd, ret = -1;

	if (plan_image_encode(p, (void **)&buf, &len)) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	/* never over another file: the image must be new */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	for (done = 0; done < len;) {
		ssize_t w = write(fd, buf + done, len - done);

		if (w <= 0) {
			snprintf(err, errlen, "%s: %s", path,
				 w < 0 ? strerror(errno) : "short write");
			goto out;
		}
		done += w;
	}
	if (fsync(fd)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (close(fd) && !ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	if (ret)
		unlink(path);
	free(buf);
	return ret;
}

/* ---- reading ---- */

struct image_ctx {
	const char *name;
	char *err;
	size_t errlen;
};

__printf(2, 3) static int bad(struct image_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s: not a usable plan image: ", c->name);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool in_range(unsigned int i, unsigned int n)
{
	return i == PLAN_NONE || i < n;
}

/* A bool's byte as stored: anything but 0 or 1 is not a bool to read */
static bool bad_bool(const bool *b)
{
	unsigned char v;

	memcpy(&v, b, 1);
	return v > 1;
}

static int check_op(struct image_ctx *c, const struct plan *p, unsigned int i)
{
	const struct plan_op *op = &p->ops[i];
	const struct plan_map *m;
	unsigned int d;

	if (op->kind >= PK_MAX || op->call > PC_URING ||
	    op->touch > PT_ACCESS || op->name >= plan_op_names() ||
	    bad_bool(&op->direct) || bad_bool(&op->has_ret) ||
	    bad_bool(&op->after))
		return bad(c, "op %u: a field out of its range", i);
	if (!in_range(op->file, p->nfiles) || !in_range(op->map, p->nmaps) ||
	    !in_range(op->buf_map, p->nmaps))
		return bad(c, "op %u: a file or mapping that is not there", i);
	if ((op->file == PLAN_NONE) != (op->kind == PK_DROP_CACHES))
		return bad(c, "op %u: %s with%s a file", i, plan_op_name_of(op),
			   op->file == PLAN_NONE ? "out" : "");
	if (op->kind == PK_MMAP || plan_op_on_map(op)) {
		if (op->map == PLAN_NONE)
			return bad(c, "op %u: %s without a mapping", i,
				   plan_op_name_of(op));
		m = &p->maps[op->map];
		/* an op on a mapping comes after its mmap */
		if (op->kind == PK_MMAP ? m->mmap_op != i : m->mmap_op >= i)
			return bad(c, "op %u: mapping %u not made before it", i,
				   op->map);
		if (op->file != m->file)
			return bad(c, "op %u: not on its mapping's file", i);
		if ((op->kind == PK_MSYNC || op->kind == PK_MADVISE) &&
		    (op->off >= m->len || (op->off & 4095)))
			return bad(c, "op %u: offset outside its mapping", i);
		if (op->kind == PK_TOUCH && op->off > (m->len - 1) / 4096)
			return bad(c, "op %u: page outside its mapping", i);
	} else if (op->map != PLAN_NONE) {
		return bad(c, "op %u: %s with a mapping", i, plan_op_name_of(op));
	}
	if (op->buf_map != PLAN_NONE) {
		m = &p->maps[op->buf_map];
		if ((op->kind != PK_READ && op->kind != PK_WRITE) ||
		    m->mmap_op >= i ||
		    op->buf_off > m->len || op->len > m->len - op->buf_off)
			return bad(c, "op %u: a buffer outside its mapping", i);
	}
	if (op->dep > p->ndeps || op->ndeps > p->ndeps - op->dep ||
	    op->after > op->ndeps)
		return bad(c, "op %u: waits outside the wait table", i);
	/* a wait for a later op would never end: a false hang */
	for (d = op->dep; d < op->dep + op->ndeps; d++) {
		const struct plan_dep *w = &p->deps[d];

		if (w->thread >= p->nthreads || !w->count ||
		    w->count > p->threads[w->thread].nops ||
		    plan_nth_op(p, w->thread, w->count) >= i)
			return bad(c, "op %u: a wait for no earlier op", i);
	}
	return 0;
}

static int check_threads(struct image_ctx *c, struct plan *p,
			 const struct image_thread *th, __u32 *thread_ops)
{
	unsigned int t, k, i, total = 0;

	for (t = 0; t < p->nthreads; t++) {
		struct plan_thread *x = &p->threads[t];

		if (th[t].proc >= p->nprocs || th[t].name[sizeof(th[t].name) - 1] ||
		    th[t].nops > p->nops - total)
			return bad(c, "thread %u is not well formed", t);
		x->proc = th[t].proc;
		x->nops = th[t].nops;
		memcpy(x->name, th[t].name, sizeof(x->name));
		x->ops = thread_ops + total;
		total += x->nops;
		/* every op once, in its thread, in plan order */
		for (k = 0; k < x->nops; k++) {
			i = x->ops[k];
			if (i >= p->nops || (k && i <= x->ops[k - 1]) ||
			    p->ops[i].thread != t || p->ops[i].nth != k)
				return bad(c, "thread %u's op list does not match its ops", t);
		}
	}
	if (total != p->nops)
		return bad(c, "%u ops in no thread", p->nops - total);
	return 0;
}

static int check_files_maps(struct image_ctx *c, struct plan *p,
			    const struct image_file *files,
			    const struct plan_map *maps, const char *strings,
			    __u32 nstrings)
{
	unsigned int i;

	if (nstrings && strings[nstrings - 1])
		return bad(c, "its strings do not end");
	for (i = 0; i < p->nfiles; i++) {
		const struct image_file *x = &files[i];
		struct plan_file *f = &p->files[i];

		if (x->path >= nstrings || (x->opts != NO_STRING && x->opts >= nstrings) ||
		    x->fstype[sizeof(x->fstype) - 1] || x->bdev > 1 || x->pseudo > 1)
			return bad(c, "file %u is not well formed", i);
		f->path = strdup(strings + x->path);
		f->opts = x->opts == NO_STRING ? NULL : strdup(strings + x->opts);
		if (!f->path || (x->opts != NO_STRING && !f->opts))
			return bad(c, "out of memory");
		f->size = x->size;
		f->blksize = x->blksize;
		memcpy(f->fstype, x->fstype, sizeof(f->fstype));
		f->bdev = x->bdev;
		f->pseudo = x->pseudo;
	}
	if (p->nmaps)
		memcpy(p->maps, maps, p->nmaps * sizeof(*maps));
	for (i = 0; i < p->nmaps; i++)
		if (maps[i].file >= p->nfiles || maps[i].mmap_op >= p->nops ||
		    !maps[i].len || bad_bool(&maps[i].has_colour))
			return bad(c, "mapping %u is not well formed", i);
	return 0;
}

int plan_image_check(struct plan *p, const void *image, size_t len,
		     bool check_sum, const char *name, char *err, size_t errlen)
{
	struct image_ctx c = { .name = name, .err = err, .errlen = errlen };
	const unsigned char *b = image;
	struct image_header h;
	struct image_layout l;
	__u32 sizes[6];
	unsigned int i;

	memset(p, 0, sizeof(*p));
	snprintf(p->source, sizeof(p->source), "%s", name);
	if (len < sizeof(h) || memcmp(b, IMAGE_MAGIC, sizeof(h.magic)))
		return bad(&c, "no plan image header");
	memcpy(&h, b, sizeof(h));
	image_sizes(sizes);
	if (h.layout != IMAGE_LAYOUT || memcmp(h.sizes, sizes, sizeof(sizes)))
		return bad(&c, "made by another pcrace build (layout %u): make it again with this one",
			   h.layout);
	if (h.nthreads >= IMAGE_MAX_IDS || h.nprocs >= IMAGE_MAX_IDS ||
	    (h.nthreads && !h.nprocs) || h.have_durations > 1 ||
	    h.source[sizeof(h.source) - 1])
		return bad(&c, "a count out of range");
	image_layout(&h, &l);
	if (l.end != len)
		return bad(&c, "%zu bytes where its header says %llu (truncated?)",
			   len, (unsigned long long)l.end);
	if (check_sum && image_sum(b + l.files, l.end - l.files) != h.sum)
		return bad(&c, "its checksum does not match: the file is damaged");
	p->nfiles = h.nfiles;
	p->nmaps = h.nmaps;
	p->nops = h.nops;
	p->nthreads = h.nthreads;
	p->nprocs = h.nprocs;
	p->ndeps = h.ndeps;
	p->have_durations = h.have_durations;
	/* the ops and waits stay in the image, which is read-only */
	p->ops = (struct plan_op *)(b + l.ops);
	p->deps = (struct plan_dep *)(b + l.deps);
	p->files = calloc(h.nfiles + 1, sizeof(*p->files));
	p->maps = calloc(h.nmaps + 1, sizeof(*p->maps));
	p->threads = calloc(h.nthreads + 1, sizeof(*p->threads));
	p->image = image;
	p->image_len = len;
	if (!p->files || !p->maps || !p->threads)
		return bad(&c, "out of memory");
	if (check_files_maps(&c, p, (const void *)(b + l.files),
			     (const void *)(b + l.maps),
			     (const char *)(b + l.strings), h.nstrings) ||
	    check_threads(&c, p, (const void *)(b + l.threads),
			  (__u32 *)(b + l.thread_ops)))
		return -1;
	for (i = 0; i < p->nmaps; i++)
		if (p->ops[p->maps[i].mmap_op].kind != PK_MMAP ||
		    p->ops[p->maps[i].mmap_op].map != i)
			return bad(&c, "mapping %u has no mmap", i);
	for (i = 0; i < p->nops; i++)
		if (check_op(&c, p, i))
			return -1;
	return 0;
}

bool plan_is_image(const void *head, size_t len)
{
	return len >= 8 && !memcmp(head, IMAGE_MAGIC, 8);
}

int plan_image_load(struct plan *p, const char *path, char *err, size_t errlen)
{
	struct stat st;
	void *image;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_size < (off_t)sizeof(struct image_header)) {
		close(fd);
		snprintf(err, errlen, "%s: not a usable plan image: no plan image header",
			 path);
		return -1;
	}
	/*
	 * Mapped whole and at once (MAP_POPULATE), not a fault a page: the
	 * load of seed 7's 6.5 MB image took 51 page faults on the host.
	 */
	image = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		     fd, 0);
	close(fd);
	if (image == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (plan_image_check(p, image, st.st_size, true, path, err, errlen)) {
		plan_free(p);
		munmap(image, st.st_size);
		return -1;
	}
	p->image_mapped = true;
	return 0;
}
