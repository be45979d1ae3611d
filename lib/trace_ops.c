// SPDX-License-Identifier: GPL-2.0
/*
 * A trace's file ops (see pcrace_ops.h), in the recorded order of their
 * starts: the syscalls, io_uring ops and faults of the trace that act
 * on files, each with its start and duration in microseconds since the
 * trace began.  Processes and threads are numbered (P<n>, T<n>) in order
 * of first appearance, files (F<n>) and mappings (M<n>) likewise.  The
 * fd behind each syscall is resolved through fd_bind, and read/write
 * offsets are reconstructed from the fd's position.  Faults on file
 * mappings become touches of a mapping at page granularity (those taken
 * inside a system call are that call's, and a read or write whose buffer
 * is in a mapping says so: buf=M<n>+OFF); io_uring submissions become
 * uring_* ops with their completion's result.
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
#include "pcrace_keymap.h"
#include "pcrace_ops.h"
#include "pcrace_schema.h"
#include "pcrace_tables.h"

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

struct ops_ctx {
	/* the first pass's: its from_ops says the OPS chunks are kept raw */
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
	struct ops_op *ops;
	size_t nops, cap;
	struct ops_file *files_seen;	/* F<n> at [n - 1] */
	size_t files_cap;
	unsigned int nfiles, nmaps, nthreads, nprocs;
	__u64 t0, seq;
	bool have_user_faults;
	int err;
	/* the first pass keeps what the second needs, in trace order */
	struct ops_kept *kept;
	size_t nkept, kept_cap;
};

/*
 * What the second pass reads, in trace order: an event, a table chunk
 * (text), or a chunk of op events as inflated (raw).  A trace in format
 * 1 is mostly page-cache events the ops do not use (seed 7's: 1,000,000
 * events, 120,000 of them syscalls and faults), so its op events are
 * kept one by one, decoded.  A trace's OPS chunks are kept as they are:
 * seed 7's 81,000 op events take 9 MB decoded (slow to fault in under
 * TCG), and reading the file twice inflated them twice.
 */
struct ops_kept {
	struct pcrace_ev_hdr hdr;
	__u64 arg[PCRACE_NARGS];
	char *text;			/* a table chunk: its text, hdr.type its type */
	unsigned char *raw;		/* an OPS chunk, nrec events */
	size_t len;
	unsigned int nrec;
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
	struct ops_file *n;

	/* only regular files and block devices are replayable targets */
	if (!f || ((f->mode & 0170000) != 0100000 &&
		   (f->mode & 0170000) != 0060000))
		return 0;
	if (pcrace_keymap_get(&c->code, kdev, ino) ||
	    !strncmp(f->mount_opts, "ro,", 3))
		return 0;
	id = id_of(&c->files, kdev, ino, &c->nfiles);
	if (id <= before)
		return id;
	if (id > c->files_cap) {
		size_t cap = c->files_cap ? 2 * c->files_cap : 16;

		n = realloc(c->files_seen, cap * sizeof(*n));
		if (!n) {
			c->err = -1;
			return 0;
		}
		c->files_seen = n;
		c->files_cap = cap;
	}
	/* as first seen: the tables move as they grow */
	n = &c->files_seen[id - 1];
	*n = (struct ops_file) {
		.id = id, .path = strdup(f->path), .size = f->size,
		.fstype = strdup(f->fstype), .blksize = f->blksize,
		.opts = strdup(f->mount_opts),
		.bdev = (f->mode & 0170000) == 0060000,
	};
	if (!n->path || !n->fstype || !n->opts)
		c->err = -1;
	return id;
}

/*
 * An op's seq, thread and times in o, the rest cleared.  Every syscall
 * comes here, whether or not it becomes an op: threads are numbered in
 * order of their first syscall, and any syscall ends a run of touches.
 */
static void op_start(struct ops_ctx *c, struct ops_op *o, __u64 seq,
		     __u32 tid, __u32 tgid, __u64 ts, __u64 end)
{
	memset(o, 0, sizeof(*o));
	o->seq = seq;
	o->thread = id_of(&c->threads, tid, 0, &c->nthreads);
	o->proc = id_of(&c->procs, tgid, 0, &c->nprocs);
	o->usec = (ts - c->t0) / 1000;
	o->dur = end > ts ? (end - ts) / 1000 : 0;
	pcrace_keymap_del(&c->last_touch, tid, 0);
}

static void add_op(struct ops_ctx *c, const struct ops_op *o)
{
	if (c->nops == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct ops_op *n = realloc(c->ops, cap * sizeof(*n));

		if (!n) {
			c->err = -1;
			return;
		}
		c->ops = n;
		c->cap = cap;
	}
	c->ops[c->nops++] = *o;
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

/* One syscall, entry args in p, result ret: an op if it is on a file. */
static void syscall_op(struct ops_ctx *c, const struct pcrace_rec *x,
		       const struct ops_pending *p)
{
	const struct pcrace_syscall_desc *d = pcrace_syscall_by_nr(p->arg[0]);
	__s64 ret = (__s64)x->arg[1];
	const __u64 *a = &p->arg[1];
	struct ops_fd *f = NULL;
	struct ops_map *m;
	struct ops_op o;
	bool created;

	if (!d)
		return;
	if (d->nargs && d->args[0].fmt == PCRACE_AF_FD)
		f = fd_of(c, x->hdr.tgid, a[0]);
	else if (d->nr == __NR_mmap)
		f = fd_of(c, x->hdr.tgid, a[4]);
	op_start(c, &o, p->seq, x->hdr.tid, x->hdr.tgid, p->ts, x->hdr.ts_ns);
	o.name = d->name;
	o.file = f ? f->file : 0;
	o.keys = OK_RESULT;

	switch (d->nr) {
	case __NR_read:
	case __NR_write:
	case __NR_pread64:
	case __NR_pwrite64:
		if (!f || !f->file)
			return;
		if (d->nr == __NR_pread64 || d->nr == __NR_pwrite64) {
			o.off = a[3];
		} else {	/* read(2)/write(2) go from the fd position */
			o.off = f->pos;
			if (ret > 0)
				f->pos += ret;
		}
		o.len = a[2];
		o.keys |= OK_OFF | OK_LEN | (f->direct ? OK_DIRECT : 0);
		/* I/O to or from a file mapping: GUP on the way (seed 7) */
		m = map_at(c, x->hdr.tgid, a[1]);
		if (m) {
			o.keys |= OK_BUF;
			o.buf_map = m->id;
			o.buf_off = a[1] - m->start;
		}
		break;
	case __NR_preadv2:
	case __NR_pwritev2:
		if (!f || !f->file)
			return;
		/* the iovecs' lengths are not recorded: len is what moved */
		o.off = a[3];
		o.len = ret > 0 ? ret : 0;
		o.iovcnt = a[2];
		o.flags = a[5];
		o.keys |= OK_SOFF | OK_LEN | OK_IOVCNT | OK_RWF |
			  (f->direct ? OK_DIRECT : 0);
		break;
	case __NR_lseek:
		if (f && ret >= 0)
			f->pos = ret;
		return;
	case __NR_fsync:
	case __NR_fdatasync:
		if (!f || !f->file)
			return;
		break;
	case __NR_ftruncate:
		if (!f || !f->file)
			return;
		o.len = a[1];
		o.keys |= OK_LEN;
		break;
	case __NR_fallocate:
		if (!f || !f->file)
			return;
		o.off = a[2];
		o.len = a[3];
		o.flags = a[1];
		o.keys |= OK_OFF | OK_LEN | OK_MODE;
		break;
	case __NR_sync_file_range:
		if (!f || !f->file)
			return;
		o.off = a[1];
		o.len = a[2];
		o.flags = a[3];
		o.flags_fmt = PCRACE_AF_SFR;
		o.keys |= OK_OFF | OK_LEN | OK_FLAGS;
		break;
	case __NR_fadvise64:
		if (!f || !f->file)
			return;
		o.name = "fadvise";
		o.off = a[1];
		o.len = a[2];
		o.flags = a[3];
		o.keys |= OK_OFF | OK_LEN | OK_ADVICE;
		break;
	case __NR_ioctl:
		if (!f || !f->file)
			return;
		o.flags = a[1];
		o.keys |= OK_CMD;
		if (p->has_blkpg) {
			/* BLKPG's argument: op, flags, start, length, pno */
			o.blkpg_op = p->blkpg[0];
			o.blkpg_pno = p->blkpg[4];
			o.off = p->blkpg[2];
			o.len = p->blkpg[3];
			o.keys |= OK_BLKPG | OK_OFF | OK_LEN;
		}
		break;
	case __NR_mmap:
		if (!f || !f->file || ret < 0 || (unsigned long)ret > -4096UL)
			return;
		m = pcrace_keymap_put(&c->maps, x->hdr.tgid, (__u64)ret, &created);
		if (!m)
			return;
		m->id = ++c->nmaps;
		m->file = f->file;
		m->start = ret;
		m->len = a[1];
		m->pgoff = a[5] >> 12;
		o.map = m->id;
		o.off = a[5];
		o.len = a[1];
		o.flags = a[2];
		o.flags2 = a[3];
		/*
		 * The address is the recorder's, not replay's, but where it
		 * falls in its 2 MiB page decides whether DAX can map PMDs.
		 */
		o.colour = ret & ((2ull << 20) - 1);
		o.keys |= OK_OFF | OK_LEN | OK_PROT | OK_MMAP_FLAGS | OK_COLOUR;
		ret = 0;
		break;
	case __NR_munmap:
	case __NR_msync:
	case __NR_madvise:
		/* msync and madvise may act on part of a mapping: off= */
		m = d->nr == __NR_munmap ? pcrace_keymap_get(&c->maps, x->hdr.tgid, a[0]) :
					   map_at(c, x->hdr.tgid, a[0]);
		if (!m)
			return;
		o.file = 0;
		o.map = m->id;
		if (a[0] != m->start) {
			o.off = a[0] - m->start;
			o.keys |= OK_OFF;
		}
		o.len = a[1];
		o.keys |= OK_LEN;
		if (d->nr == __NR_msync) {
			o.flags = a[2];
			o.flags_fmt = PCRACE_AF_MSYNC;
			o.keys |= OK_FLAGS;
		} else if (d->nr == __NR_madvise) {
			o.flags = a[2];
			o.keys |= OK_MADV;
		} else if (ret == 0) {
			pcrace_keymap_del(&c->maps, x->hdr.tgid, a[0]);
		}
		break;
	case __NR_close:
		if (!f || !f->file) {
			if (f && ret == 0)
				pcrace_keymap_del(&c->fds, x->hdr.tgid, (__u32)a[0]);
			return;
		}
		o.fd = a[0];
		o.keys |= OK_FD;
		if (ret == 0)
			pcrace_keymap_del(&c->fds, x->hdr.tgid, (__u32)a[0]);
		break;
	default:
		if (!(d->kind & PCRACE_SC_FD_RESULT) || ret < 0)
			return;
		/* open, dup*: the new fd was bound just before the exit */
		f = fd_of(c, x->hdr.tgid, ret);
		if (!f || !f->file)
			return;
		o.file = f->file;
		o.fd = ret;
		/*
		 * The open's own flags: the file's f_flags have lost O_CREAT
		 * and O_TRUNC, and a truncating open is a write to replay.
		 */
		o.flags = open_flags(d->nr, a, f);
		o.flags_fmt = PCRACE_AF_OFLAGS;
		o.keys |= OK_FD | OK_FLAGS;
		break;
	}
	o.ret = ret;
	add_op(c, &o);
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
	struct ops_fd *f;
	struct ops_op o;
	__u64 op, sub;

	if (!p || !p->open)
		return;
	p->open = false;
	f = fd_of(c, r->hdr.tgid, p->arg[4]);
	op = p->arg[2];
	sub = p->arg[3] >> 32;		/* the op's own flags (pcrace_abi.h) */
	if (!f || !f->file || op >= ARRAY_SIZE(names) || !names[op])
		return;
	op_start(c, &o, p->seq, p->tid, r->hdr.tgid, p->ts, r->hdr.ts_ns);
	o.name = names[op];
	o.file = f->file;
	o.keys = OK_RESULT;
	if (op == 3) {
		if (sub & 1)
			o.name = "uring_fdatasync";
	} else {
		o.off = p->arg[5];
		o.len = p->arg[6];
		o.keys |= OK_OFF | OK_LEN;
	}
	if (op == 17) {
		o.flags = sub;
		o.keys |= OK_MODE;
	} else if (op == 8) {
		o.flags = sub;
		o.flags_fmt = PCRACE_AF_SFR;
		o.keys |= OK_FLAGS;
	} else if (op == 24) {
		o.flags = sub;
		o.keys |= OK_ADVICE;
	} else if (op != 3 && f->direct) {
		o.keys |= OK_DIRECT;
	}
	o.ret = (__s64)r->arg[2];
	add_op(c, &o);
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
	struct ops_op o;
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
	op_start(c, &o, ++c->seq, r->hdr.tid, r->hdr.tgid,
		 r->hdr.ts_ns, r->hdr.ts_ns);
	last = pcrace_keymap_put(&c->last_touch, r->hdr.tid, 0, &created);
	if (last) {
		last[0] = m->id;
		last[1] = page + 1;
	}
	o.name = "touch";
	o.map = m->id;
	o.off = page;
	o.keys = OK_PAGE | OK_TOUCH;
	o.touch = known ? (write ? OT_STORE : OT_LOAD) : OT_ACCESS;
	add_op(c, &o);
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
	k->raw = NULL;
	k->len = 0;
	return k;
}

static int keep_text(enum pcrace_chunk_type type, const char *text, size_t len,
		     void *arg)
{
	struct ops_ctx *c = arg;
	struct ops_kept *k;
	char *copy;

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

static int keep_chunk(const unsigned char *raw, size_t len, unsigned int nrec,
		      void *arg)
{
	struct ops_ctx *c = arg;
	struct ops_kept *k;

	if (!c->first->from_ops)
		return 0;	/* a format 1 trace: its op events are kept */
	k = keep_next(c);
	if (!k)
		return c->err = -1;
	k->raw = malloc(len ? len : 1);
	if (!k->raw)
		return c->err = -1;
	memcpy(k->raw, raw, len);
	k->len = len;
	k->nrec = nrec;
	return 1;	/* scan() reads it from here, with scan_want() */
}

/*
 * First pass: does the trace have handle_mm_fault events (then they are
 * the faults), and which files does it map executable?  Over a format 1
 * trace as it is read, keeping the op events for the second pass; over
 * a format 2 trace's OPS chunks once they are kept (struct ops_kept).
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

/* What scan() looks at; the other op events are stepped over. */
static bool scan_want(unsigned int type)
{
	return type == PCRACE_EV_FD_BIND || type == PCRACE_EV_SYS_ENTER ||
	       type == PCRACE_EV_USER_FAULT;
}

static int cmp_op(const void *a, const void *b)
{
	const struct ops_op *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int pcrace_trace_ops(const char *path, const struct ops_sink *sink,
		     struct pcrace_read_result *res)
{
	struct pcrace_read_ops first = {
		.text = keep_text, .event = scan, .want = pcrace_type_is_op,
		.ops_only = true, .chunk = keep_chunk,
	};
	struct pcrace_read_ops kept_scan = {
		.event = scan, .want = scan_want,
	};
	struct pcrace_read_ops second = {
		.event = on_event, .want = pcrace_type_is_op,
	};
	struct ops_ctx c = { .first = res };
	struct pcrace_rec r = { .nargs = PCRACE_NARGS };
	struct pcrace_read_result again = { 0 };
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
	    pcrace_keymap_init(&c.last_touch, 2 * sizeof(__u64))) {
		/* what is set up is freed below: the rest is zero */
		memset(res, 0, sizeof(*res));
		snprintf(res->error, sizeof(res->error), "%s: out of memory",
			 path);
		ret = -1;
		goto out;
	}
	ret = pcrace_read_trace(path, &first, &c, res);
	/* the OPS chunks the first pass kept (and did not decode) */
	for (i = 0; !ret && !c.err && i < c.nkept; i++) {
		const struct ops_kept *k = &c.kept[i];

		if (k->raw)
			ret = pcrace_decode_chunk(k->raw, k->len, k->nrec,
						  &kept_scan, &c, &again);
		if (ret < 0)
			memcpy(res->error, again.error, sizeof(res->error));
	}
	/* the second pass, over what the first kept */
	for (i = 0; !ret && !c.err && i < c.nkept; i++) {
		const struct ops_kept *k = &c.kept[i];

		if (k->text) {
			on_text(k->hdr.type, k->text, k->len, &c);
		} else if (k->raw) {
			ret = pcrace_decode_chunk(k->raw, k->len, k->nrec,
						  &second, &c, &again);
			if (ret < 0)
				memcpy(res->error, again.error,
				       sizeof(res->error));
		} else {
			r.hdr = k->hdr;
			memcpy(r.arg, k->arg, sizeof(r.arg));
			on_event(&r, &c);
		}
	}
	/* on_event() stops a decode (1) only with c.err set */
	if (ret >= 0 && c.err) {
		snprintf(res->error, sizeof(res->error),
			 "%s: corrupt table or out of memory", path);
		ret = -1;
	}
	/* syscalls end in another order than they start */
	if (!ret && c.nops)
		qsort(c.ops, c.nops, sizeof(*c.ops), cmp_op);
	if (!ret && sink->head)
		ret = sink->head(trace_meta(&c.tables, "kernel_release"),
				 c.files_seen, c.nfiles, sink->arg);
	for (i = 0; !ret && i < c.nops; i++)
		ret = sink->op(&c.ops[i], sink->arg);
out:
	free(c.ops);
	for (i = 0; i < c.nfiles && i < c.files_cap; i++) {
		free(c.files_seen[i].path);
		free(c.files_seen[i].fstype);
		free(c.files_seen[i].opts);
	}
	free(c.files_seen);
	for (i = 0; i < c.nkept; i++) {
		free(c.kept[i].text);
		free(c.kept[i].raw);
	}
	free(c.kept);
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
