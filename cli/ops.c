// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace dump --ops: a trace as the line-oriented scenario that replay
 * will read (one op per line, in the recorded order of op starts).
 *
 *   # pcrace scenario 1
 *   file F1 /run/pcrace-mnt/data size=0 fs=ext4 blksize=4096 opts=...
 *   SEQ P<n>:T<n> +USEC ~DUR OP FILE key=value... = RESULT
 *
 * P<n>:T<n> are the process and thread in order of first appearance, USEC
 * the op's start since the trace began and DUR how long it took (both in
 * microseconds; a touch, seen only as its fault, takes ~0).  Ops
 * on files only: the fd behind each syscall is resolved through fd_bind,
 * and read/write offsets are reconstructed from the fd's position.
 * Faults on file mappings become "touch" ops on a mapping (M<n>) at page
 * granularity (those taken inside a system call are that call's, and a
 * read or write whose buffer is in a mapping says so: buf=M<n>+OFF); io_uring read/write submissions become uring_* ops with
 * their completion's result.
 *
 * Left out as no race target: files on read-only mounts, and files the
 * trace maps executable (the program's own code and libraries) or
 * private and read-only (the loader's cache).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/unistd.h>
#include "pcrace.h"
#include "pcrace_schema.h"
#include "pcrace_strbuf.h"
#include "pcrace_tables.h"
#include "ops.h"

#define FAULT_FLAG_WRITE 0x1

struct ops_fd {
	unsigned int file;	/* F<n>, 0 for files that are not targets */
	__u64 pos;
	__u32 flags;		/* f_flags at fd_bind */
	bool append;
	bool direct;
};

struct ops_map {
	unsigned int id;	/* M<n> */
	unsigned int file;
	__u64 start, len, pgoff;
};

struct ops_pending {		/* a syscall (or io_uring op) in flight */
	__u64 seq, ts;
	__u32 tid;			/* who started it */
	__u64 arg[PCRACE_NARGS];
	__u64 blkpg[5];			/* BLKPG's argument: op, flags, start, length, pno */
	bool has_blkpg;
	bool open;
};

struct ops_line {
	__u64 seq;
	char *text;
};

struct ops_ctx {
	/* the first pass's: its from_ops says the second reads again */
	const struct pcrace_read_result *first;
	struct trace_tables tables;
	struct pcrace_keymap files;	/* (kdev, ino) -> F<n> */
	struct pcrace_keymap fds;	/* (tgid, fd) -> struct ops_fd */
	struct pcrace_keymap maps;	/* (tgid, start) -> struct ops_map */
	struct pcrace_keymap threads;	/* tid -> T<n> */
	struct pcrace_keymap procs;	/* tgid -> P<n> */
	struct pcrace_keymap pend;	/* tid -> struct ops_pending */
	struct pcrace_keymap uring;	/* (ctx, user_data) -> struct ops_pending */
	struct pcrace_keymap code;	/* (kdev, ino) mapped PROT_EXEC */
	struct pcrace_keymap scan_fds;	/* (tgid, fd) -> (kdev, ino), first pass */
	struct pcrace_keymap last_touch; /* tid -> (map, page + 1) just touched */
	struct ops_line *lines;
	size_t nlines, cap;
	struct strbuf head;
	unsigned int nfiles, nmaps, nthreads, nprocs;
	__u64 t0, seq;
	bool have_user_faults;
	int err;
	/* the first pass keeps what the second needs, in trace order */
	struct ops_kept *kept;
	size_t nkept, kept_cap;
};

/*
 * An event the second pass acts on, or (text) a table chunk that came
 * before it.  A trace is mostly page-cache events the ops do not use
 * (seed 7's: 1,000,000 events, 120,000 of them syscalls and faults), so
 * keeping these is cheaper than inflating and decoding the trace again.
 */
struct ops_kept {
	struct pcrace_ev_hdr hdr;
	__u64 arg[PCRACE_NARGS];
	char *text;			/* a table chunk: its text, hdr.type its type */
	size_t len;
};

static unsigned int id_of(struct pcrace_keymap *m, __u64 a, __u64 b,
			  unsigned int *next)
{
	unsigned int *v;
	bool created;

	v = pcrace_keymap_put(m, a, b, &created);
	if (!v)
		return 0;
	if (created)
		*v = ++*next;
	return *v;
}

static unsigned int file_id(struct ops_ctx *c, __u32 kdev, __u64 ino)
{
	const struct trace_file *f = trace_file(&c->tables, kdev, ino);
	unsigned int before = c->nfiles, id;

	/* only regular files and block devices are replayable targets */
	if (!f || ((f->mode & 0170000) != 0100000 &&
		   (f->mode & 0170000) != 0060000))
		return 0;
	if (pcrace_keymap_get(&c->code, kdev, ino) ||
	    !strncmp(f->mount_opts, "ro,", 3))
		return 0;
	id = id_of(&c->files, kdev, ino, &c->nfiles);
	if (id > before) {
		sb_printf(&c->head, "file F%u %s size=%llu fs=%s blksize=%lu opts=%s type=%s\n",
			  id, f->path, (unsigned long long)f->size, f->fstype,
			  f->blksize, f->mount_opts,
			  (f->mode & 0170000) == 0060000 ? "blk" : "reg");
	}
	return id;
}

static void add_line(struct ops_ctx *c, __u64 seq, const struct strbuf *sb)
{
	if (c->nlines == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct ops_line *l = realloc(c->lines, cap * sizeof(*l));

		if (!l) {
			c->err = -1;
			return;
		}
		c->lines = l;
		c->cap = cap;
	}
	c->lines[c->nlines].seq = seq;
	c->lines[c->nlines].text = strdup(sb->buf ? sb->buf : "");
	c->nlines++;
}

/*
 * " F3", " off=4096": the words of the common op lines, without
 * sb_printf(), which was a fifth of loading a trace for replay (41,698
 * lines for seed 7; slow under TCG, where replay loads it).
 */
static void sb_num(struct strbuf *sb, const char *key, unsigned long long v)
{
	sb_puts(sb, key);
	sb_u64(sb, v);
}

/* " NAME F<n>" */
static void sb_op_file(struct strbuf *sb, const char *name, unsigned int file)
{
	sb_puts(sb, " ");
	sb_puts(sb, name);
	sb_num(sb, " F", file);
}

/* " = RESULT", the op line's end */
static void sb_result(struct strbuf *sb, __s64 v)
{
	sb_puts(sb, " = ");
	sb_s64(sb, v);
}

static void op_prefix(struct ops_ctx *c, struct strbuf *sb, __u64 seq,
		      __u32 tid, __u32 tgid, __u64 ts, __u64 end)
{
	unsigned int t = id_of(&c->threads, tid, 0, &c->nthreads);
	unsigned int p = id_of(&c->procs, tgid, 0, &c->nprocs);

	pcrace_keymap_del(&c->last_touch, tid, 0);
	sb_reset(sb);
	sb_u64(sb, seq);
	sb_puts(sb, " P");
	sb_u64(sb, p);
	sb_puts(sb, ":T");
	sb_u64(sb, t);
	sb_puts(sb, " +");
	sb_u64(sb, (ts - c->t0) / 1000);
	sb_puts(sb, " ~");
	sb_u64(sb, end > ts ? (end - ts) / 1000 : 0);
}

static int on_text(enum pcrace_chunk_type type, const char *text, size_t len,
		   void *arg)
{
	struct ops_ctx *c = arg;
	const char *v;

	if (trace_tables_add(&c->tables, type, text, len))
		c->err = -1;
	if (type == PCRACE_CHUNK_META) {
		v = trace_meta(&c->tables, "start_monotonic_ns");
		c->t0 = v ? strtoull(v, NULL, 10) : 0;
	}
	return c->err;
}

static struct ops_fd *fd_of(struct ops_ctx *c, __u32 tgid, __u64 fd)
{
	return pcrace_keymap_get(&c->fds, tgid, (__u32)fd);
}

static void bind(struct ops_ctx *c, const struct pcrace_rec *r)
{
	struct ops_fd *f;
	bool created;

	f = pcrace_keymap_put(&c->fds, r->hdr.tgid, (__u32)r->arg[0], &created);
	if (!f)
		return;
	f->file = file_id(c, r->arg[1], r->arg[2]);
	f->pos = 0;
	f->flags = r->arg[3];
	f->append = r->arg[3] & 02000;		/* O_APPEND */
	f->direct = r->arg[3] & 040000;		/* O_DIRECT */
}

static __u64 open_flags(long nr, const __u64 *a, const struct ops_fd *f)
{
	/* the kernel keeps O_LARGEFILE in f_flags whatever was asked */
	__u64 large = f->flags & 00100000;

	switch (nr) {
	case __NR_openat:
		return a[2] | large;
#ifdef __NR_open
	case __NR_open:
		return a[1] | large;
#endif
#ifdef __NR_creat
	case __NR_creat:
		return O_CREAT | O_WRONLY | O_TRUNC | large;
#endif
	default:	/* dup*, openat2 (its flags are behind a pointer) */
		return f->flags;
	}
}

/* The traced file mapping of process tgid that holds addr, if any. */
static struct ops_map *map_at(struct ops_ctx *c, __u32 tgid, __u64 addr)
{
	struct ops_map *m;
	uint64_t key[2];
	size_t i = 0;

	while ((m = pcrace_keymap_next(&c->maps, &i, key)))
		if (key[0] == tgid && addr >= m->start && addr < m->start + m->len)
			return m;
	return NULL;
}

/* BLKPG's partition: part=add|del|resize pno=N off=START len=LENGTH */
static void blkpg_args(struct strbuf *sb, const __u64 *b)
{
	sb_printf(sb, " part=");
	pcrace_print_arg_sb(sb, PCRACE_AF_BLKPG_OP, b[0]);
	sb_printf(sb, " pno=%llu off=%llu len=%llu", (unsigned long long)b[4],
		  (unsigned long long)b[2], (unsigned long long)b[3]);
}

/* One syscall, entry args in p, result ret: an op line if it is on a file. */
static void syscall_op(struct ops_ctx *c, const struct pcrace_rec *x,
		       const struct ops_pending *p)
{
	const struct pcrace_syscall_desc *d = pcrace_syscall_by_nr(p->arg[0]);
	__s64 ret = (__s64)x->arg[1];
	const __u64 *a = &p->arg[1];
	struct strbuf sb = { 0 };
	struct ops_fd *f = NULL;
	struct ops_map *m;
	const char *name;
	__u64 off = 0;
	bool created;

	if (!d)
		return;
	name = d->name;
	if (d->nargs && d->args[0].fmt == PCRACE_AF_FD)
		f = fd_of(c, x->hdr.tgid, a[0]);
	else if (d->nr == __NR_mmap)
		f = fd_of(c, x->hdr.tgid, a[4]);
	op_prefix(c, &sb, p->seq, x->hdr.tid, x->hdr.tgid, p->ts, x->hdr.ts_ns);

	switch (d->nr) {
	case __NR_read:
	case __NR_write:
	case __NR_pread64:
	case __NR_pwrite64:
		if (!f || !f->file)
			goto out;
		if (d->nr == __NR_pread64 || d->nr == __NR_pwrite64) {
			off = a[3];
		} else {	/* read(2)/write(2) go from the fd position */
			off = f->pos;
			if (ret > 0)
				f->pos += ret;
		}
		sb_op_file(&sb, name, f->file);
		sb_num(&sb, " off=", off);
		sb_num(&sb, " len=", a[2]);
		if (f->direct)
			sb_puts(&sb, " direct");
		/* I/O to or from a file mapping: GUP on the way (seed 7) */
		m = map_at(c, x->hdr.tgid, a[1]);
		if (m) {
			sb_num(&sb, " buf=M", m->id);
			sb_num(&sb, "+", a[1] - m->start);
		}
		break;
	case __NR_preadv2:
	case __NR_pwritev2:
		if (!f || !f->file)
			goto out;
		/* the iovecs' lengths are not recorded: len is what moved */
		sb_printf(&sb, " %s F%u off=%lld len=%lld iovcnt=%llu rwf=",
			  name, f->file, (long long)a[3],
			  (long long)(ret > 0 ? ret : 0), (unsigned long long)a[2]);
		pcrace_print_arg_sb(&sb, PCRACE_AF_RWF, a[5]);
		if (f->direct)
			sb_printf(&sb, " direct");
		break;
	case __NR_lseek:
		if (f && ret >= 0)
			f->pos = ret;
		goto out;
	case __NR_fsync:
	case __NR_fdatasync:
		if (!f || !f->file)
			goto out;
		sb_op_file(&sb, name, f->file);
		break;
	case __NR_ftruncate:
		if (!f || !f->file)
			goto out;
		sb_printf(&sb, " ftruncate F%u len=%llu", f->file,
			  (unsigned long long)a[1]);
		break;
	case __NR_fallocate:
		if (!f || !f->file)
			goto out;
		sb_printf(&sb, " fallocate F%u off=%llu len=%llu mode=", f->file,
			  (unsigned long long)a[2], (unsigned long long)a[3]);
		pcrace_print_arg_sb(&sb, PCRACE_AF_FALLOC, a[1]);
		break;
	case __NR_sync_file_range:
		if (!f || !f->file)
			goto out;
		sb_op_file(&sb, "sync_file_range", f->file);
		sb_num(&sb, " off=", a[1]);
		sb_num(&sb, " len=", a[2]);
		sb_puts(&sb, " flags=");
		pcrace_print_arg_sb(&sb, PCRACE_AF_SFR, a[3]);
		break;
	case __NR_fadvise64:
		if (!f || !f->file)
			goto out;
		sb_printf(&sb, " fadvise F%u off=%llu len=%llu advice=%llu",
			  f->file, (unsigned long long)a[1],
			  (unsigned long long)a[2], (unsigned long long)a[3]);
		break;
	case __NR_ioctl:
		if (!f || !f->file)
			goto out;
		sb_printf(&sb, " ioctl F%u cmd=", f->file);
		pcrace_print_arg_sb(&sb, PCRACE_AF_IOCTL, a[1]);
		if (p->has_blkpg)
			blkpg_args(&sb, p->blkpg);
		break;
	case __NR_mmap:
		if (!f || !f->file || ret < 0 || (unsigned long)ret > -4096UL)
			goto out;
		m = pcrace_keymap_put(&c->maps, x->hdr.tgid, (__u64)ret, &created);
		if (!m)
			goto out;
		m->id = ++c->nmaps;
		m->file = f->file;
		m->start = ret;
		m->len = a[1];
		m->pgoff = a[5] >> 12;
		sb_printf(&sb, " mmap F%u M%u off=%llu len=%llu prot=", f->file,
			  m->id, (unsigned long long)a[5],
			  (unsigned long long)a[1]);
		pcrace_print_arg_sb(&sb, PCRACE_AF_PROT, a[2]);
		sb_printf(&sb, " flags=");
		pcrace_print_arg_sb(&sb, PCRACE_AF_MMAP, a[3]);
		/*
		 * The address is the recorder's, not replay's, but where it
		 * falls in its 2 MiB page decides whether DAX can map PMDs.
		 */
		sb_printf(&sb, " colour=%llu",
			  (unsigned long long)(ret & ((2ull << 20) - 1)));
		ret = 0;
		break;
	case __NR_munmap:
	case __NR_msync:
	case __NR_madvise:
		/* msync and madvise may act on part of a mapping: off= */
		m = d->nr == __NR_munmap ? pcrace_keymap_get(&c->maps, x->hdr.tgid, a[0]) :
					   map_at(c, x->hdr.tgid, a[0]);
		if (!m)
			goto out;
		sb_puts(&sb, " ");
		sb_puts(&sb, name);
		sb_num(&sb, " M", m->id);
		if (a[0] != m->start)
			sb_num(&sb, " off=", a[0] - m->start);
		sb_num(&sb, " len=", a[1]);
		if (d->nr == __NR_msync) {
			sb_puts(&sb, " flags=");
			pcrace_print_arg_sb(&sb, PCRACE_AF_MSYNC, a[2]);
		} else if (d->nr == __NR_madvise) {
			sb_puts(&sb, " advice=");
			pcrace_print_arg_sb(&sb, PCRACE_AF_MADV, a[2]);
		} else if (ret == 0) {
			pcrace_keymap_del(&c->maps, x->hdr.tgid, a[0]);
		}
		break;
	case __NR_close:
		if (!f || !f->file) {
			if (f && ret == 0)
				pcrace_keymap_del(&c->fds, x->hdr.tgid, (__u32)a[0]);
			goto out;
		}
		sb_op_file(&sb, "close", f->file);
		sb_num(&sb, " fd=", a[0]);
		if (ret == 0)
			pcrace_keymap_del(&c->fds, x->hdr.tgid, (__u32)a[0]);
		break;
	default:
		if (!(d->kind & PCRACE_SC_FD_RESULT) || ret < 0)
			goto out;
		/* open, dup*: the new fd was bound just before the exit */
		f = fd_of(c, x->hdr.tgid, ret);
		if (!f || !f->file)
			goto out;
		sb_printf(&sb, " %s F%u fd=%lld flags=", name, f->file,
			  (long long)ret);
		/*
		 * The open's own flags: the file's f_flags have lost O_CREAT
		 * and O_TRUNC, and a truncating open is a write to replay.
		 */
		pcrace_print_arg_sb(&sb, PCRACE_AF_OFLAGS, open_flags(d->nr, a, f));
		break;
	}
	sb_result(&sb, ret);
	add_line(c, p->seq, &sb);
out:
	sb_free(&sb);
}

/* An io_uring read or write, from its submission to this completion. */
static void uring_op(struct ops_ctx *c, const struct pcrace_rec *r)
{
	static const char * const names[] = {
		[1] = "uring_readv", [2] = "uring_writev", [3] = "uring_fsync",
		[4] = "uring_read_fixed", [5] = "uring_write_fixed",
		[8] = "uring_sync_file_range", [17] = "uring_fallocate",
		[22] = "uring_read", [23] = "uring_write", [24] = "uring_fadvise",
	};
	struct ops_pending *p = pcrace_keymap_get(&c->uring, r->arg[0], r->arg[1]);
	struct strbuf sb = { 0 };
	struct ops_fd *f;
	__u64 op, sub;

	if (!p || !p->open)
		return;
	p->open = false;
	f = fd_of(c, r->hdr.tgid, p->arg[4]);
	op = p->arg[2];
	sub = p->arg[3] >> 32;		/* the op's own flags (pcrace_abi.h) */
	if (!f || !f->file || op >= ARRAY_SIZE(names) || !names[op])
		return;
	op_prefix(c, &sb, p->seq, p->tid, r->hdr.tgid, p->ts, r->hdr.ts_ns);
	if (op == 3) {
		sb_printf(&sb, " %s F%u", sub & 1 ? "uring_fdatasync" : "uring_fsync",
			  f->file);
	} else {
		sb_printf(&sb, " %s F%u off=%llu len=%llu", names[op], f->file,
			  (unsigned long long)p->arg[5],
			  (unsigned long long)p->arg[6]);
	}
	if (op == 17) {
		sb_printf(&sb, " mode=");
		pcrace_print_arg_sb(&sb, PCRACE_AF_FALLOC, sub);
	} else if (op == 8) {
		sb_printf(&sb, " flags=");
		pcrace_print_arg_sb(&sb, PCRACE_AF_SFR, sub);
	} else if (op == 24) {
		sb_printf(&sb, " advice=%llu", (unsigned long long)sub);
	} else if (op != 3 && f->direct) {
		sb_printf(&sb, " direct");
	}
	sb_result(&sb, (__s64)r->arg[2]);
	add_line(c, p->seq, &sb);
	sb_free(&sb);
}

/*
 * The traced mapping of process tgid that maps page index of file, if
 * any, and in *address where that page is mapped.
 */
static struct ops_map *map_of_index(struct ops_ctx *c, __u32 tgid,
				    unsigned int file, __u64 index,
				    __u64 *address)
{
	struct ops_map *m;
	uint64_t key[2];
	size_t i = 0;

	while ((m = pcrace_keymap_next(&c->maps, &i, key))) {
		if (key[0] != tgid || m->file != file || index < m->pgoff ||
		    index >= m->pgoff + (m->len + 4095) / 4096)
			continue;
		*address = m->start + ((index - m->pgoff) << 12);
		return m;
	}
	return NULL;
}

/*
 * A fault in a mapping of the task, by address (file index when the
 * event has no address, as mm_filemap_fault): a touch of one page.
 */
static void fault_op(struct ops_ctx *c, const struct pcrace_rec *r,
		     __u64 address, bool write, bool known)
{
	struct strbuf sb = { 0 };
	struct ops_pending *in_syscall;
	struct ops_map *m;
	__u64 page, *last;
	bool created;

	/*
	 * A fault taken inside a system call is the kernel's access (GUP
	 * or a user copy for a read into a mapping): replaying the call
	 * replays it, and a touch of its own would fault the page early.
	 */
	in_syscall = pcrace_keymap_get(&c->pend, r->hdr.tid, 0);
	if (in_syscall && in_syscall->open)
		return;
	if (r->hdr.type == PCRACE_EV_PC_FAULT)
		m = map_of_index(c, r->hdr.tgid, file_id(c, r->arg[0], r->arg[1]),
				 r->arg[2], &address);
	else
		m = map_at(c, r->hdr.tgid, address);
	if (!m)
		return;
	/*
	 * A fault retried (VM_FAULT_RETRY, after waiting for the page) is
	 * seen twice: one access, one touch.
	 */
	page = (address - m->start) >> 12;
	last = pcrace_keymap_get(&c->last_touch, r->hdr.tid, 0);
	if (last && last[0] == m->id && last[1] == page + 1)
		return;
	op_prefix(c, &sb, ++c->seq, r->hdr.tid, r->hdr.tgid,
		  r->hdr.ts_ns, r->hdr.ts_ns);
	last = pcrace_keymap_put(&c->last_touch, r->hdr.tid, 0, &created);
	if (last) {
		last[0] = m->id;
		last[1] = page + 1;
	}
	sb_num(&sb, " touch M", m->id);
	sb_num(&sb, " page=", page);
	sb_puts(&sb, known ? (write ? " store" : " load") : " access");
	add_line(c, c->seq, &sb);
	sb_free(&sb);
}

static int on_event(const struct pcrace_rec *r, void *arg)
{
	struct ops_ctx *c = arg;
	struct ops_pending *p;
	bool created;

	switch (r->hdr.type) {
	case PCRACE_EV_FD_BIND:
		bind(c, r);
		break;
	case PCRACE_EV_TASK_FORK:
		/* a new process starts with a copy of its parent's fds */
		if ((__u32)r->arg[1] != r->hdr.tgid)
			pcrace_keymap_copy(&c->fds, r->hdr.tgid, r->arg[1]);
		break;
	case PCRACE_EV_SYS_ENTER:
		p = pcrace_keymap_put(&c->pend, r->hdr.tid, 0, &created);
		if (p) {
			p->seq = ++c->seq;
			p->ts = r->hdr.ts_ns;
			memcpy(p->arg, r->arg, sizeof(p->arg));
			p->has_blkpg = false;
			p->open = true;
		}
		break;
	case PCRACE_EV_BLKPG:
		p = pcrace_keymap_get(&c->pend, r->hdr.tid, 0);
		if (p && p->open && p->arg[0] == __NR_ioctl) {
			memcpy(p->blkpg, r->arg, sizeof(p->blkpg));
			p->has_blkpg = true;
		}
		break;
	case PCRACE_EV_SYS_EXIT:
		p = pcrace_keymap_get(&c->pend, r->hdr.tid, 0);
		if (p && p->open && p->arg[0] == r->arg[0]) {
			syscall_op(c, r, p);
			p->open = false;
		}
		break;
	case PCRACE_EV_URING_SUBMIT:
		/* ctx, user_data, opcode, flags, fd, off, len */
		p = pcrace_keymap_put(&c->uring, r->arg[0], r->arg[1], &created);
		if (p) {
			p->seq = ++c->seq;
			p->ts = r->hdr.ts_ns;
			p->tid = r->hdr.tid;
			memcpy(p->arg, r->arg, sizeof(p->arg));
			p->open = true;
		}
		break;
	case PCRACE_EV_URING_COMPLETE:
		uring_op(c, r);
		break;
	case PCRACE_EV_USER_FAULT:
		fault_op(c, r, r->arg[3], r->arg[4] & FAULT_FLAG_WRITE, true);
		break;
	case PCRACE_EV_DAX_PTE_FAULT:
	case PCRACE_EV_DAX_PMD_FAULT:
		if (!c->have_user_faults)
			fault_op(c, r, r->arg[3], r->arg[4] & FAULT_FLAG_WRITE,
				 true);
		break;
	case PCRACE_EV_PC_FAULT:
		if (!c->have_user_faults)
			fault_op(c, r, 0, false, false);
		break;
	default:
		break;
	}
	return c->err;
}

static struct ops_kept *keep_next(struct ops_ctx *c)
{
	struct ops_kept *k;

	if (c->nkept == c->kept_cap) {
		size_t cap = c->kept_cap ? 2 * c->kept_cap : 4096;

		k = realloc(c->kept, cap * sizeof(*k));
		if (!k)
			return NULL;
		c->kept = k;
		c->kept_cap = cap;
	}
	k = &c->kept[c->nkept++];
	k->text = NULL;
	k->len = 0;
	return k;
}

static int keep_text(enum pcrace_chunk_type type, const char *text, size_t len,
		     void *arg)
{
	struct ops_ctx *c = arg;
	struct ops_kept *k;
	char *copy;

	if (c->first->from_ops)
		return 0;
	k = keep_next(c);
	copy = malloc(len + 1);
	if (!k || !copy) {
		free(copy);
		return c->err = -1;
	}
	k->text = copy;
	memcpy(k->text, text, len);
	k->text[len] = '\0';
	k->len = len;
	k->hdr.type = type;
	return 0;
}

/*
 * First pass: does the trace have handle_mm_fault events (then they are
 * the faults), and which files does it map executable?  It keeps the
 * events and tables the second pass needs, unless they come from OPS
 * chunks: reading those again is cheaper than keeping them (seed 7's
 * 83,000 events were 9 MB to fault in, slow under TCG).
 */
static int scan(const struct pcrace_rec *r, void *arg)
{
	struct ops_ctx *c = arg;
	struct ops_kept *k;
	__u64 *key;
	bool created;

	if (pcrace_type_is_op(r->hdr.type) && !c->first->from_ops) {
		k = keep_next(c);
		if (!k)
			return c->err = -1;
		k->hdr = r->hdr;
		memcpy(k->arg, r->arg, sizeof(k->arg));
	}
	switch (r->hdr.type) {
	case PCRACE_EV_USER_FAULT:
		c->have_user_faults = true;
		break;
	case PCRACE_EV_FD_BIND:
		key = pcrace_keymap_put(&c->scan_fds, r->hdr.tgid,
					(__u32)r->arg[0], &created);
		if (key) {
			key[0] = r->arg[1];
			key[1] = r->arg[2];
		}
		break;
	case PCRACE_EV_SYS_ENTER:
		/*
		 * mmap(addr, len, prot, flags, fd, off) with PROT_EXEC (code),
		 * or private and read-only as the dynamic loader maps its
		 * cache and libraries' data
		 */
		if (r->arg[0] != __NR_mmap ||
		    (!(r->arg[3] & 4) &&
		     !(!(r->arg[3] & 2) && (r->arg[4] & 3) == 2)))
			break;
		key = pcrace_keymap_get(&c->scan_fds, r->hdr.tgid,
					(__u32)r->arg[5]);
		if (key)
			pcrace_keymap_put(&c->code, key[0], key[1], &created);
		break;
	default:
		break;
	}
	return 0;
}

static int cmp_line(const void *a, const void *b)
{
	const struct ops_line *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int pcrace_dump_ops(const char *path, FILE *out,
		    struct pcrace_read_result *res)
{
	struct pcrace_read_ops first = {
		.text = keep_text, .event = scan, .want = pcrace_type_is_op,
		.ops_only = true,
	};
	struct pcrace_read_ops second = {
		.text = on_text, .event = on_event, .want = pcrace_type_is_op,
		.ops_only = true,
	};
	struct ops_ctx c = { .first = res };
	struct pcrace_rec r = { .nargs = PCRACE_NARGS };
	struct pcrace_read_result again;
	size_t i;
	int ret;

	if (trace_tables_init(&c.tables) ||
	    pcrace_keymap_init(&c.files, sizeof(unsigned int)) ||
	    pcrace_keymap_init(&c.fds, sizeof(struct ops_fd)) ||
	    pcrace_keymap_init(&c.maps, sizeof(struct ops_map)) ||
	    pcrace_keymap_init(&c.threads, sizeof(unsigned int)) ||
	    pcrace_keymap_init(&c.procs, sizeof(unsigned int)) ||
	    pcrace_keymap_init(&c.pend, sizeof(struct ops_pending)) ||
	    pcrace_keymap_init(&c.uring, sizeof(struct ops_pending)) ||
	    pcrace_keymap_init(&c.code, 1) ||
	    pcrace_keymap_init(&c.scan_fds, 2 * sizeof(__u64)) ||
	    pcrace_keymap_init(&c.last_touch, 2 * sizeof(__u64)))
		return -1;
	ret = pcrace_read_trace(path, &first, &c, res);
	if (!ret && !c.err && res->from_ops) {
		ret = pcrace_read_trace(path, &second, &c, &again);
		if (!ret && (again.bytes != res->bytes ||
			     again.truncated != res->truncated)) {
			snprintf(res->error, sizeof(res->error),
				 "%s changed while it was read", path);
			ret = -1;
		} else if (ret) {
			memcpy(res->error, again.error, sizeof(res->error));
		}
	}
	/* the second pass, over what the first kept */
	for (i = 0; !ret && !c.err && i < c.nkept; i++) {
		const struct ops_kept *k = &c.kept[i];

		if (k->text) {
			on_text(k->hdr.type, k->text, k->len, &c);
			continue;
		}
		r.hdr = k->hdr;
		memcpy(r.arg, k->arg, sizeof(r.arg));
		on_event(&r, &c);
	}
	if (!ret && c.err) {
		snprintf(res->error, sizeof(res->error),
			 "%s: corrupt table or out of memory", path);
		ret = -1;
	}
	if (!ret) {
		qsort(c.lines, c.nlines, sizeof(*c.lines), cmp_line);
		fprintf(out, "# pcrace scenario 1\n# from %s: kernel %s\n", path,
		       trace_meta(&c.tables, "kernel_release") ?
		       trace_meta(&c.tables, "kernel_release") : "?");
		fputs(c.head.buf ? c.head.buf : "", out);
		fprintf(out, "# seq process:thread +usec ~usec op target args = result\n");
		for (i = 0; i < c.nlines; i++) {
			fputs(c.lines[i].text, out);
			putc('\n', out);
		}
	}
	for (i = 0; i < c.nlines; i++)
		free(c.lines[i].text);
	free(c.lines);
	for (i = 0; i < c.nkept; i++)
		free(c.kept[i].text);
	free(c.kept);
	sb_free(&c.head);
	trace_tables_free(&c.tables);
	pcrace_keymap_free(&c.files);
	pcrace_keymap_free(&c.fds);
	pcrace_keymap_free(&c.maps);
	pcrace_keymap_free(&c.threads);
	pcrace_keymap_free(&c.procs);
	pcrace_keymap_free(&c.pend);
	pcrace_keymap_free(&c.uring);
	pcrace_keymap_free(&c.code);
	pcrace_keymap_free(&c.scan_fds);
	pcrace_keymap_free(&c.last_touch);
	return ret;
}
