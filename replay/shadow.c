// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow model of the target files (see shadow.h).  Per file, a sorted
 * array of intervals covering [0, size), each with its candidate tags and
 * the epoch it last changed, under a process-shared mutex: workers in
 * several processes update it at each completion.
 */
#include <stdlib.h>
#include <string.h>
#include "shadow.h"

#define PATTERN_MAGIC	0x5043524143450000ull	/* "PCRACE" */

struct shadow_iv {
	__u64 start, end;
	__u32 cand[SHADOW_CANDS];
	__u32 ncand;
	__u32 changed;			/* epoch of the last change */
};

struct inflight {
	__u64 off, len;
	__u64 shrunk_to;	/* the least size a truncate set meanwhile */
	/*
	 * A store through a mapping: the least size the file had when it
	 * began.  The kernel's EOF may have been below the model's size
	 * (a truncate raced writes past it), and a store's bytes past EOF
	 * in the last page are not the file's: extending the file zeroes
	 * them (xfs_zero_range(), pagecache_isize_extended()).
	 */
	__u64 eof_min;
	bool active;
};

struct shadow_file {
	pthread_mutex_t lock;
	/*
	 * A truncate that raced a write leaves the size unsure: size is
	 * the largest it may be (intervals cover it), size_min the least.
	 */
	__u64 size, size_min;
	unsigned int niv, cap;
	struct shadow_iv *iv;
	struct inflight *inflight;	/* one per thread */
};

struct shadow {
	unsigned int nfiles, nthreads, nops;
	__u64 magic;
	struct shadow_file *files;
	bool *zeroes;			/* per op: its tag stands for zeros */
};

static unsigned int capacity(const struct plan *p, unsigned int file)
{
	unsigned int i, n = 16;

	/* each write, zeroing or truncate adds at most two intervals */
	for (i = 0; i < p->nops; i++)
		if (p->ops[i].file == file && plan_op_writes(&p->ops[i]))
			n += 2;
	return n;
}

/* Ops whose effect is zeros: punched or zeroed ranges. */
static bool zeroing(const struct plan_op *op)
{
	return op->kind == PK_FALLOCATE &&
	       (op->flags & (0x02 | 0x10));	/* PUNCH_HOLE, ZERO_RANGE */
}

size_t shadow_bytes(const struct plan *p)
{
	size_t n = sizeof(struct shadow) + p->nfiles * sizeof(struct shadow_file) +
		   p->nops * sizeof(bool) + 16;
	unsigned int f;

	for (f = 0; f < p->nfiles; f++)
		n += capacity(p, f) * sizeof(struct shadow_iv) +
		     p->nthreads * sizeof(struct inflight) + 16;
	return n;
}

struct shadow *shadow_init(void *mem, const struct plan *p)
{
	struct shadow *sh = mem;
	char *at = (char *)(sh + 1);
	pthread_mutexattr_t attr;
	unsigned int f;

	sh->nfiles = p->nfiles;
	sh->nthreads = p->nthreads;
	sh->nops = p->nops;
	sh->zeroes = (bool *)at;
	for (f = 0; f < p->nops; f++)
		sh->zeroes[f] = zeroing(&p->ops[f]);
	at += p->nops * sizeof(bool);
	sh->files = (struct shadow_file *)(((unsigned long)at + 15) & ~15ul);
	at = (char *)sh->files + p->nfiles * sizeof(struct shadow_file);
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	for (f = 0; f < p->nfiles; f++) {
		struct shadow_file *sf = &sh->files[f];

		at = (char *)(((unsigned long)at + 15) & ~15ul);
		pthread_mutex_init(&sf->lock, &attr);
		sf->cap = capacity(p, f);
		sf->iv = (struct shadow_iv *)at;
		at += sf->cap * sizeof(struct shadow_iv);
		sf->inflight = (struct inflight *)at;
		at += p->nthreads * sizeof(struct inflight);
	}
	pthread_mutexattr_destroy(&attr);
	return sh;
}

static void set_one(struct shadow_iv *iv, __u32 tag, __u32 epoch)
{
	iv->cand[0] = tag;
	iv->ncand = 1;
	iv->changed = epoch;
}

void shadow_reset(struct shadow *sh, unsigned int file, __u64 size, __u32 tag,
		  __u64 magic)
{
	struct shadow_file *sf = &sh->files[file];

	sh->magic = PATTERN_MAGIC ^ magic;
	sf->size = size;
	sf->size_min = size;
	sf->niv = 0;
	if (size) {
		sf->iv[0].start = 0;
		sf->iv[0].end = size;
		set_one(&sf->iv[0], tag, 0);
		sf->niv = 1;
	}
	memset(sf->inflight, 0, sh->nthreads * sizeof(*sf->inflight));
}

/* Does this tag read as zeros (a hole, or a punching op's range)? */
static bool zero_tag(const struct shadow *sh, __u32 tag)
{
	return tag == TAG_ZERO ||
	       (tag >= TAG_OP0 && tag - TAG_OP0 < sh->nops && sh->zeroes[tag - TAG_OP0]);
}

/* Two words at once, with the compiler's generic vectors (SSE2 here). */
typedef __u64 u64x2 __attribute__((vector_size(16)));

static __u64 pattern_word(__u64 off, __u32 tag, __u64 magic)
{
	return magic ^ off ^ ((__u64)tag << 40);
}

void pattern_fill(void *buf, __u64 off, size_t len, __u32 tag, __u64 magic)
{
	unsigned char *b = buf;
	__u64 w, a;
	size_t i = 0;

	magic ^= PATTERN_MAGIC;
	if (tag == TAG_ZERO) {
		memset(buf, 0, len);
		return;
	}
	/* leading bytes up to an 8-byte file offset */
	while (i < len && ((off + i) & 7)) {
		a = (off + i) & ~7ull;
		w = pattern_word(a, tag, magic);
		b[i] = ((unsigned char *)&w)[(off + i) & 7];
		i++;
	}
	/*
	 * The words: what is the same in each (magic, tag) once, four at
	 * a time; a trace's megabyte writes make this the workers' main
	 * cost in the test VM.
	 */
	w = pattern_word(0, tag, magic);
	if (i + 32 <= len) {
		u64x2 k = { w, w }, o0 = { off + i, off + i + 8 };
		u64x2 o1 = o0 + 16, step = { 32, 32 }, q;

		for (; i + 32 <= len; i += 32) {
			q = o0 ^ k;
			memcpy(b + i, &q, 16);
			q = o1 ^ k;
			memcpy(b + i + 16, &q, 16);
			o0 += step;
			o1 += step;
		}
	}
	for (; i + 8 <= len; i += 8) {
		a = w ^ (off + i);
		memcpy(b + i, &a, 8);
	}
	for (; i < len; i++) {
		a = (off + i) & ~7ull;
		w = pattern_word(a, tag, magic);
		b[i] = ((unsigned char *)&w)[(off + i) & 7];
	}
}

__u32 pattern_tag(const void *word, __u64 off, __u64 magic)
{
	__u64 w;

	memcpy(&w, word, 8);
	w ^= magic ^ (off & ~7ull);
	if (w & ((1ull << 40) - 1))
		return ~0u;
	return w >> 40;
}

/* Index of the interval holding off (niv if off >= size). */
static unsigned int find(const struct shadow_file *sf, __u64 off)
{
	unsigned int lo = 0, hi = sf->niv;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (sf->iv[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Make off an interval boundary; false if out of room. */
static bool split(struct shadow_file *sf, __u64 off)
{
	unsigned int i = find(sf, off);

	if (i == sf->niv || sf->iv[i].start == off)
		return true;
	if (sf->niv == sf->cap)
		return false;
	memmove(&sf->iv[i + 1], &sf->iv[i], (sf->niv - i) * sizeof(sf->iv[0]));
	sf->niv++;
	sf->iv[i].end = off;
	sf->iv[i + 1].start = off;
	return true;
}

static bool same_iv(const struct shadow_iv *a, const struct shadow_iv *b)
{
	return a->ncand == b->ncand && a->changed == b->changed &&
	       !memcmp(a->cand, b->cand, a->ncand * sizeof(a->cand[0]));
}

/*
 * Merge equal neighbours among intervals first..last, the ones an op
 * just changed, and the two beside them.  The rest were merged when they
 * changed: a whole pass per op made a trace of n sequential writes cost
 * n^2 / 2 interval compares (a fifth of seed 5's replay set-up).
 */
static void merge_span(struct shadow_file *sf, unsigned int first, unsigned int last)
{
	unsigned int i, o, end;

	if (!sf->niv || first >= sf->niv)
		return;
	if (first)
		first--;
	end = last + 1 < sf->niv ? last + 1 : sf->niv - 1;
	for (o = first, i = first + 1; i <= end; i++) {
		if (same_iv(&sf->iv[o], &sf->iv[i])) {
			sf->iv[o].end = sf->iv[i].end;
			continue;
		}
		sf->iv[++o] = sf->iv[i];
	}
	if (o == end)
		return;
	memmove(&sf->iv[o + 1], &sf->iv[end + 1], (sf->niv - end - 1) * sizeof(sf->iv[0]));
	sf->niv -= end - o;
}

/* Out of intervals: stop judging this file rather than judge it wrongly. */
static void give_up(struct shadow_file *sf, __u32 epoch)
{
	if (!sf->size) {
		sf->niv = 0;
		return;
	}
	sf->niv = 1;
	sf->iv[0].start = 0;
	sf->iv[0].end = sf->size;
	set_one(&sf->iv[0], TAG_UNKNOWN, epoch);
}

/* Grow the file to end with zeros (a write past EOF, an extension). */
static void extend(struct shadow_file *sf, __u64 end, __u32 epoch)
{
	struct shadow_iv *iv;

	if (end <= sf->size)
		return;
	if (sf->niv == sf->cap) {
		sf->size = end;
		give_up(sf, epoch);
		return;
	}
	iv = &sf->iv[sf->niv++];
	iv->start = sf->size;
	iv->end = end;
	set_one(iv, TAG_ZERO, epoch);
	sf->size = end;
	sf->size_min = end;
}

/* A byte may also read as zeros now (a truncate raced its write). */
static void add_zero(struct shadow_iv *iv, __u32 epoch)
{
	unsigned int k;

	for (k = 0; k < iv->ncand; k++)
		if (iv->cand[k] == TAG_ZERO)
			break;
	if (k == iv->ncand) {
		if (iv->ncand < SHADOW_CANDS)
			iv->cand[iv->ncand++] = TAG_ZERO;
		else
			set_one(iv, TAG_UNKNOWN, epoch);
	}
	iv->changed = epoch;
}

static void set_range(struct shadow_file *sf, __u64 off, __u64 end, __u32 tag,
		      __u32 epoch)
{
	unsigned int i, first;

	if (end > sf->size)
		end = sf->size;
	if (off >= end)
		return;
	if (!split(sf, off) || !split(sf, end)) {
		give_up(sf, epoch);
		return;
	}
	for (first = i = find(sf, off); i < sf->niv && sf->iv[i].start < end; i++)
		set_one(&sf->iv[i], tag, epoch);
	merge_span(sf, first, i - 1);
}

static void begin(struct shadow *sh, unsigned int file, unsigned int thread,
		  __u64 off, __u64 len, bool store)
{
	struct shadow_file *sf = &sh->files[file];

	pthread_mutex_lock(&sf->lock);
	sf->inflight[thread].off = off;
	sf->inflight[thread].len = len;
	sf->inflight[thread].shrunk_to = ~0ull;
	sf->inflight[thread].eof_min = store ? sf->size_min : ~0ull;
	sf->inflight[thread].active = true;
	pthread_mutex_unlock(&sf->lock);
}

void shadow_write_begin(struct shadow *sh, unsigned int file,
			unsigned int thread, __u64 off, __u64 len)
{
	begin(sh, file, thread, off, len, false);
}

void shadow_store_begin(struct shadow *sh, unsigned int file,
			unsigned int thread, __u64 off, __u64 len)
{
	begin(sh, file, thread, off, len, true);
}

void shadow_write_end(struct shadow *sh, unsigned int file,
		      unsigned int thread, __u64 off, __u64 len, __u32 tag,
		      __u32 start_epoch, __u32 end_epoch,
		      const struct op_state *ops)
{
	struct shadow_file *sf = &sh->files[file];
	__u64 end = off + len, shrunk_to, cut;
	unsigned int i, k, first;

	pthread_mutex_lock(&sf->lock);
	shrunk_to = sf->inflight[thread].shrunk_to;
	cut = sf->inflight[thread].eof_min < shrunk_to ?
	      sf->inflight[thread].eof_min : shrunk_to;
	sf->inflight[thread].active = false;
	if (!len)
		goto out;
	extend(sf, end, end_epoch);
	/*
	 * A truncate below end completed while this write was in flight:
	 * in the kernel it may have come after the write, and cut it.
	 */
	if (shrunk_to < end && shrunk_to < sf->size_min)
		sf->size_min = shrunk_to;
	/* from cut on, the bytes may be gone (a truncate, a store past EOF) */
	if (cut < end && !split(sf, cut > off ? cut : off)) {
		give_up(sf, end_epoch);
		goto out;
	}
	if (!split(sf, off) || !split(sf, end)) {
		give_up(sf, end_epoch);
		goto out;
	}
	for (first = i = find(sf, off); i < sf->niv && sf->iv[i].start < end; i++) {
		struct shadow_iv *iv = &sf->iv[i];
		__u32 keep[SHADOW_CANDS], n = 0;

		/* writes that completed while this one was in flight */
		for (k = 0; k < iv->ncand; k++) {
			__u32 t = iv->cand[k];

			if (t >= TAG_OP0 &&
			    ops[t - TAG_OP0].end_epoch > start_epoch &&
			    n < SHADOW_CANDS - 1)
				keep[n++] = t;
		}
		iv->cand[0] = tag;
		memcpy(&iv->cand[1], keep, n * sizeof(keep[0]));
		iv->ncand = n + 1;
		iv->changed = end_epoch;
		if (iv->start >= cut)
			add_zero(iv, end_epoch);
	}
	merge_span(sf, first, i - 1);
out:
	pthread_mutex_unlock(&sf->lock);
}

/* Did a write that may have landed after start_epoch leave a byte here? */
static bool raced(const struct shadow_iv *iv, __u32 start_epoch,
		  const struct op_state *ops)
{
	unsigned int k;

	for (k = 0; k < iv->ncand; k++)
		if (iv->cand[k] >= TAG_OP0 &&
		    ops[iv->cand[k] - TAG_OP0].end_epoch > start_epoch)
			return true;
	return false;
}

/*
 * Cut the file at size.  Writes past it that completed while the
 * truncate was in flight may have landed after it in the kernel: their
 * bytes stay possible (beside zeros, should the file grow again over
 * the hole), and so does the size they gave the file.
 */
static void shrink(struct shadow_file *sf, __u64 size, __u32 start_epoch,
		   __u32 end_epoch, const struct op_state *ops)
{
	unsigned int i, last = 0;
	bool any = false;

	if (!split(sf, size)) {
		sf->size = size;
		sf->size_min = size;
		give_up(sf, end_epoch);
		return;
	}
	for (i = find(sf, size); i < sf->niv; i++)
		if (raced(&sf->iv[i], start_epoch, ops)) {
			any = true;
			last = i;
		}
	if (!any) {
		sf->niv = find(sf, size);
		sf->size = size;
	} else {
		for (i = find(sf, size); i <= last; i++) {
			if (raced(&sf->iv[i], start_epoch, ops))
				add_zero(&sf->iv[i], end_epoch);
			else
				set_one(&sf->iv[i], TAG_ZERO, end_epoch);
		}
		sf->niv = last + 1;
		sf->size = sf->iv[last].end;
		merge_span(sf, find(sf, size), last);
	}
	sf->size_min = size;
}

void shadow_set_size(struct shadow *sh, unsigned int file, unsigned int thread,
		     __u64 size, __u32 start_epoch, __u32 end_epoch,
		     const struct op_state *ops)
{
	struct shadow_file *sf = &sh->files[file];
	struct inflight *me = &sf->inflight[thread];
	unsigned int t;

	pthread_mutex_lock(&sf->lock);
	/*
	 * A write in flight past size may have landed before this and been
	 * cut, even if the model has not heard of it yet (a pwrite that
	 * extends the file across an open(O_TRUNC): the size was already
	 * what it is set to here).
	 */
	for (t = 0; t < sh->nthreads; t++)
		if (t != thread && sf->inflight[t].active &&
		    sf->inflight[t].shrunk_to > size)
			sf->inflight[t].shrunk_to = size;
	if (size > sf->size)
		extend(sf, size, end_epoch);
	else if (size < sf->size)
		shrink(sf, size, start_epoch, end_epoch, ops);
	else
		sf->size_min = size;
	/* another truncate raced this one: either may have come last */
	if (me->active && me->shrunk_to < sf->size_min)
		sf->size_min = me->shrunk_to;
	me->active = false;
	pthread_mutex_unlock(&sf->lock);
}

void shadow_zero(struct shadow *sh, unsigned int file, unsigned int thread,
		 __u64 off, __u64 len, bool grow, __u32 tag, __u32 start_epoch,
		 __u32 end_epoch, const struct op_state *ops)
{
	struct shadow_file *sf = &sh->files[file];
	__u64 end;

	pthread_mutex_lock(&sf->lock);
	if (grow)
		extend(sf, off + len, end_epoch);
	end = off + len < sf->size ? off + len : sf->size;
	pthread_mutex_unlock(&sf->lock);
	/*
	 * Zeros are a write of a tag that reads as zeros, so writes that
	 * overlapped the punch in time stay possible, either way round.
	 */
	shadow_write_end(sh, file, thread, off, end > off ? end - off : 0, tag,
			 start_epoch, end_epoch, ops);
}

void shadow_unknown_from(struct shadow *sh, unsigned int file, __u64 off,
			 __s64 size_delta, __u32 epoch)
{
	struct shadow_file *sf = &sh->files[file];
	__u64 size = sf->size + size_delta;

	pthread_mutex_lock(&sf->lock);
	if ((__s64)size < 0)
		size = 0;
	if (size > sf->size)
		extend(sf, size, epoch);
	set_range(sf, off, sf->size, TAG_UNKNOWN, epoch);
	if (size < sf->size) {
		bool room = split(sf, size);

		sf->size = size;
		if (room)
			sf->niv = find(sf, size);
		else
			give_up(sf, epoch);
	}
	sf->size_min = sf->size;
	pthread_mutex_unlock(&sf->lock);
}

__u64 shadow_size(struct shadow *sh, unsigned int file)
{
	return sh->files[file].size;
}

__u64 shadow_size_min(struct shadow *sh, unsigned int file)
{
	return sh->files[file].size_min;
}

/* A range that may hold what replay cannot know is not judged. */
static bool unknown(const struct shadow_iv *iv)
{
	unsigned int k;

	for (k = 0; k < iv->ncand; k++)
		if (iv->cand[k] == TAG_UNKNOWN)
			return true;
	return false;
}

static bool in_flight(const struct shadow *sh, const struct shadow_file *sf,
		      unsigned int thread, __u64 a, __u64 b)
{
	unsigned int t;

	for (t = 0; t < sh->nthreads; t++) {
		const struct inflight *w = &sf->inflight[t];

		if (t != thread && w->active && w->off < b && w->off + w->len > a)
			return true;
	}
	return false;
}

static bool byte_ok(const struct shadow *sh, const unsigned char *b, __u64 off,
		    const __u32 *cand, unsigned int n, __u64 magic)
{
	unsigned char e[1];
	unsigned int k;

	for (k = 0; k < n; k++) {
		pattern_fill(e, off, 1, zero_tag(sh, cand[k]) ? TAG_ZERO : cand[k],
			     magic ^ PATTERN_MAGIC);
		if (*b == e[0])
			return true;
	}
	return false;
}

static void classify(struct shadow *sh, struct mismatch *m, const unsigned char *b,
		     __u64 off, __u64 len)
{
	__u64 i, skip = (8 - (off & 7)) & 7;

	m->kind = MM_ZERO;
	for (i = 0; i < len; i++)
		if (b[i]) {
			m->kind = MM_TORN;
			break;
		}
	if (m->kind == MM_ZERO || len < skip + 8)
		return;
	m->found_tag = pattern_tag(b + skip, off + skip, sh->magic);
	if (m->found_tag != ~0u)
		m->kind = MM_STALE;
	else
		m->found_tag = 0;
}

bool shadow_check(struct shadow *sh, unsigned int file, unsigned int thread,
		  __u64 off, const void *buf, __u64 len, __u32 start_epoch,
		  struct mismatch *m, __u64 *checked)
{
	struct shadow_file *sf = &sh->files[file];
	const unsigned char *b = buf;
	__u64 end, a, z, p, bad = ~0ull, bad_end = 0;
	__u32 expected = 0;
	unsigned int i;
	bool ok = true;

	pthread_mutex_lock(&sf->lock);
	end = off + len < sf->size ? off + len : sf->size;
	for (i = find(sf, off); i < sf->niv && sf->iv[i].start < end; i++) {
		const struct shadow_iv *iv = &sf->iv[i];

		a = iv->start > off ? iv->start : off;
		z = iv->end < end ? iv->end : end;
		if (unknown(iv) || iv->changed > start_epoch ||
		    in_flight(sh, sf, thread, a, z))
			continue;
		*checked += z - a;
		p = a;
		if (iv->ncand == 1) {	/* the common case, 8 bytes at a time */
			__u64 w, x;

			while (p < z && (p & 7))
				if (!byte_ok(sh, b + (p - off), p, iv->cand, 1, sh->magic))
					goto found;
				else
					p++;
			for (; p + 8 <= z; p += 8) {
				w = zero_tag(sh, iv->cand[0]) ? 0 :
				    sh->magic ^ p ^ ((__u64)iv->cand[0] << 40);
				memcpy(&x, b + (p - off), 8);
				if (x != w)
					break;
			}
		}
		for (; p < z; p++)
			if (!byte_ok(sh, b + (p - off), p, iv->cand, iv->ncand, sh->magic))
				goto found;
		continue;
found:
		/* the mismatching run: to the end of this interval, <= 4 KiB */
		bad = p;
		bad_end = z - p > 4096 ? p + 4096 : z;
		expected = iv->cand[0];
		ok = false;
		break;
	}
	pthread_mutex_unlock(&sf->lock);
	if (ok)
		return true;
	memset(m, 0, sizeof(*m));
	m->file = file;
	m->off = bad;
	m->len = bad_end - bad;
	m->expected_tag = expected;
	memcpy(m->found, b + (bad - off), m->len);
	classify(sh, m, b + (bad - off), bad, bad_end - bad);
	return false;
}
