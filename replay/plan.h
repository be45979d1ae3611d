/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay plan: what a scenario (hand-written, or `pcrace dump --ops`
 * of a trace) asks for, as arrays the workers index.  Ops are in the
 * recorded global order of their starts; each op knows the ops of other
 * threads that had completed before it started, which is what
 * --order recorded enforces.
 */
#ifndef PCRACE_PLAN_H
#define PCRACE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define PLAN_NONE	(~0u)

enum plan_kind {
	PK_OPEN, PK_CLOSE, PK_READ, PK_WRITE, PK_FSYNC, PK_FDATASYNC,
	PK_FTRUNCATE, PK_FALLOCATE, PK_SYNC_FILE_RANGE, PK_FADVISE, PK_IOCTL,
	PK_MMAP, PK_MUNMAP, PK_MSYNC, PK_MADVISE, PK_TOUCH, PK_DROP_CACHES,
	PK_MAX
};

/* How the recorded task issued a read or write. */
enum plan_call {
	PC_PLAIN,	/* read(2)/write(2) at the fd position */
	PC_POS,		/* pread64/pwrite64 */
	PC_V2,		/* preadv2/pwritev2 with RWF_* flags */
	PC_URING,	/* an io_uring SQE */
};

enum plan_touch { PT_LOAD, PT_STORE, PT_ACCESS };

struct plan_file {
	char *path;		/* as recorded */
	char *target;		/* where replay acts: set by target mapping */
	__u64 size;		/* at first sight */
	char fstype[16];
	unsigned long blksize;
	char *opts;		/* mount options */
	bool bdev;		/* a block device, not a regular file */
	bool pseudo;		/* procfs/sysfs: not replayed, no target */
};

/*
 * Plan images (plan_image.c) hold plan_map, plan_dep and plan_op as they
 * are: a change to them is a change of IMAGE_LAYOUT there.
 */
struct plan_map {
	unsigned int file;	/* index in files */
	__u64 off, len;
	__u64 colour;		/* the address mod 2 MiB, if has_colour */
	bool has_colour;
	__u32 prot, flags;
	unsigned int mmap_op;	/* the op that creates it */
};

/* A wait for other threads: done[thread] >= count. */
struct plan_dep {
	unsigned int thread, count;
};

struct plan_op {
	unsigned int seq;		/* as the scenario numbers it */
	/*
	 * As the scenario names it (pread64): plan_op_name_of().  An index,
	 * not a pointer, so a plan image (plan_image.c) holds no addresses.
	 */
	unsigned int name;
	unsigned int thread;		/* index in threads */
	unsigned int file, map;		/* indexes, PLAN_NONE if none */
	unsigned int nth;		/* this op's place in its thread */
	enum plan_kind kind;
	enum plan_call call;
	enum plan_touch touch;
	bool direct;
	__u64 usec, dur;		/* recorded start and duration */
	__u64 off, len;			/* page index for touches */
	__u64 flags;			/* oflags, rwf, mode, advice, cmd, ... */
	__u64 flags2;			/* mmap flags */
	__u64 colour;			/* mmap: colour=, or ~0 */
	int fd;				/* the recorded fd of open/close */
	__s64 ret;			/* the recorded result */
	bool has_ret;			/* the scenario gives one */
	/*
	 * A read or write whose user buffer was in a file mapping (buf=M<n>+
	 * OFF): a direct read into a MAP_SHARED mapping, GUP on the way.
	 */
	unsigned int buf_map;		/* index in maps, PLAN_NONE if none */
	__u64 buf_off;
	/* ioctl BLKPG: part= (BLKPG_ADD_PARTITION...) and pno=; off, len */
	__u32 blkpg_op, blkpg_pno;
	unsigned int dep, ndeps;	/* its waits, in plan.deps */
	bool after;			/* the last of them is an after= point */
};

struct plan_thread {
	unsigned int proc;		/* P<n> - 1 */
	unsigned int nops;
	unsigned int *ops;		/* its ops' indexes, in plan order */
	char name[24];			/* "P1:T2" */
};

struct plan {
	struct plan_file *files;
	struct plan_map *maps;
	struct plan_op *ops;
	struct plan_thread *threads;
	struct plan_dep *deps;
	unsigned int nfiles, nmaps, nops, nthreads, nprocs, ndeps;
	bool have_durations;		/* ops carry ~DUR: recorded ends known */
	char source[256];		/* what it was read from, for messages */
	/*
	 * Read from a plan image (plan_image.c): ops, deps and the threads'
	 * op lists are in it, not allocated; mapped if image_mapped.
	 */
	const void *image;
	size_t image_len;
	bool image_mapped;
};

/* The plan index of thread t's n-th op (n counts from 1). */
static inline unsigned int plan_nth_op(const struct plan *p, unsigned int t,
				       unsigned int n)
{
	return p->threads[t].ops[n - 1];
}

/* What the caller leaves out of a plan. */
struct plan_filter {
	/*
	 * Files under these path prefixes (--drop) are not replayed, as
	 * procfs and sysfs files never are: a recorded command's own log on
	 * the recording box, say.
	 */
	const char *const *drop;
	unsigned int ndrop;
	/*
	 * Threads (T<n>) whose ops are not replayed (--drop-thread): a
	 * trace cut down to the threads a race needs.  Their mappings and
	 * after= points must not be needed by the others (a clear error).
	 */
	const char *const *drop_threads;
	unsigned int ndrop_threads;
};

/*
 * Parse scenario text.  Returns 0, or -1 with a one-line message naming
 * the line and what is wrong in err.  f may be NULL.
 */
int plan_parse(struct plan *p, FILE *in, const char *name,
	       const struct plan_filter *f, char *err, size_t errlen);
/* A recorded trace's plan (plan_trace.c); as plan_parse() otherwise. */
int plan_from_trace(struct plan *p, const char *path,
		    const struct plan_filter *f, char *err, size_t errlen);
/* A trace or a scenario file, by its first bytes. */
int plan_load(struct plan *p, const char *path, const struct plan_filter *f,
	      char *err, size_t errlen);
void plan_free(struct plan *p);

/* --drop and --drop-thread options a command takes, each (plan_cmd.c) */
#define PLAN_FILTER_MAX	16
/*
 * --drop PREFIX, or with thread --drop-thread T<n>, checked and added to
 * arr[*n]: 0, or -1 after a one-line usage error.
 */
int plan_filter_opt(const char **arr, unsigned int *n, bool thread,
		    const char *arg);

/* Plan images (plan_image.c): a plan made once, mapped by replay */
int plan_image_write(const struct plan *p, const char *path, char *err,
		     size_t errlen);
/* The image in a new buffer (free() it): 0, or -ENOMEM */
int plan_image_encode(const struct plan *p, void **image, size_t *len);
int plan_image_load(struct plan *p, const char *path, char *err, size_t errlen);
/* The plan in image[0..len), checked; its ops stay in image */
int plan_image_check(struct plan *p, const void *image, size_t len,
		     bool check_sum, const char *name, char *err, size_t errlen);
bool plan_is_image(const void *head, size_t len);

const char *plan_kind_name(enum plan_kind k);
const char *plan_op_name_of(const struct plan_op *op);
unsigned int plan_op_names(void);	/* how many op names there are */
/* The thread P<m>:T<n> that name T<n> stands for; -1 if none. */
int plan_thread_by_name(const struct plan *p, const char *name);
/* Ops that change file contents or size, for the data oracle. */
bool plan_op_writes(const struct plan_op *op);

#endif /* PCRACE_PLAN_H */
