/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay workers: one thread per recorded thread, grouped in one process
 * per recorded process.  A worker waits for its op's gates and time,
 * issues it through the first engine that carries it, and feeds the
 * data oracle.
 */
#ifndef PCRACE_WORKER_H
#define PCRACE_WORKER_H

#include <liburing.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include "plan.h"
#include "shared.h"

/*
 * Two constraints, each kept or not: the recorded order of op starts, and
 * the recorded happens-before (an op waits for the ops of other threads
 * that had ended before it began).  recorded: both; starts: the order of
 * starts only (an op that runs longer than recorded overlaps the next
 * one rather than delaying it: --timing recorded keeps its gaps); none:
 * the happens-before only; free: neither.  after= points and a mapping's
 * lifetime hold in every order.
 */
enum replay_order { ORDER_RECORDED, ORDER_NONE, ORDER_FREE, ORDER_STARTS };

static inline bool order_keeps_starts(enum replay_order order)
{
	return order == ORDER_RECORDED || order == ORDER_STARTS;
}

static inline bool order_keeps_hb(enum replay_order order)
{
	return order == ORDER_RECORDED || order == ORDER_NONE;
}

/*
 * The first of op's dependencies an order waits for: all of them where
 * the recorded happens-before holds, else only the after= points, the
 * last op->after of them.
 */
static inline unsigned int order_first_dep(enum replay_order order,
					   const struct plan_op *op)
{
	return order_keeps_hb(order) ? op->dep : op->dep + op->ndeps - op->after;
}

const char *order_name(enum replay_order order);
enum replay_timing { TIMING_ASAP, TIMING_RECORDED };

struct replay_engine;

/* What one trial runs with; the stress fields are drawn from its seed. */
struct trial_opts {
	enum replay_order order;
	enum replay_timing timing;
	double scale;			/* recorded times are multiplied by it */
	const struct replay_engine *const *engines;	/* NULL-terminated */
	bool uring_async;		/* IOSQE_ASYNC on every SQE */
	bool verify;			/* the data oracle */
	__u64 magic;			/* the trial's pattern key */
	__u64 seed;
	/* --stress */
	bool stress;
	unsigned int victim;		/* thread shifted by shift_us */
	long shift_us;
	unsigned int jitter_us;		/* per-op random delay, 0..jitter */
	cpu_set_t *cpus;		/* per thread placement, or NULL */
	const char *placement;		/* that placement, in words */
	int *nice;			/* per thread nice level, or NULL */
	unsigned int change_at[3];	/* ops where their thread drops to nice 19 */
	struct widen *widen;		/* --widen, or NULL */
	/* --collide: per op its pair's slot or PLAN_NONE; per slot, what */
	unsigned int *meet;
	unsigned int nmeet;
	struct meet_pick {
		unsigned int file;
		unsigned int first, second;	/* the ops, in recorded order */
		__u64 off, len;		/* where the two ops overlap */
		bool cold;		/* both read: drop the range first */
		bool first_touch;	/* a page's first touches */
	} meet_pick[MEET_SLOTS];
};

/* A replay fd, in a worker process. */
struct replay_fd {
	int fd;
	int recfd;			/* the recorded fd, -1 if opened lazily */
	unsigned int file;
	int flags;
	__u64 pos;			/* for read(2)/write(2) at the fd position */
	unsigned int users;		/* ops of the process using it now */
	bool closing;			/* a close waits for its users */
};

#define PROC_MAX_FDS	256

/* What the threads of one replayed process share. */
struct proc_ctx {
	pthread_mutex_t lock;
	pthread_cond_t idle;		/* an fd a close waits for is free */
	struct replay_fd fds[PROC_MAX_FDS];
	unsigned int nfds;
	void **maps;			/* plan map -> address, NULL if unmapped */
};

struct worker {
	const struct plan *plan;
	struct replay_shared *sh;
	const struct trial_opts *o;
	struct proc_ctx *proc;
	unsigned int thread;
	unsigned int cur;		/* the op being issued */
	bool issued;
	int op_fd;			/* the fd the current op took, or -1 */
	struct io_uring ring;
	bool ring_ready;
	void *buf;			/* 4 KiB aligned, for O_DIRECT */
	/*
	 * The bytes the current touch moves: its page clipped to the
	 * model's file size, fixed before its pattern is made, for a size
	 * that grows meanwhile (another thread's fallocate) must not make
	 * it store more than the pattern covers.
	 */
	__u64 touch_len;
	size_t buflen;
	__u64 t0_ns;			/* the trial's time zero */
	__u64 rng;
};

/* Engines call it the moment the op is issued: it opens the start gate. */
void worker_issued(struct worker *w);
/*
 * The buffer a read or write moves data through: the worker's own, or
 * for buf=M<n>+OFF that place in the mapping, NULL if it is not mapped.
 */
void *worker_buf(struct worker *w, const struct plan_op *op);
/* The fd an op acts through (opened on demand); -errno on failure. */
int worker_fd(struct worker *w, const struct plan_op *op);
/*
 * The file position replay left fd at (read(2) and write(2) move it), -1
 * if unknown; and where an op left it.
 */
__s64 worker_fd_pos(struct worker *w, int fd);
void worker_fd_moved(struct worker *w, int fd, __u64 pos);

/* Run the threads of process proc to the end of the plan; returns 0. */
int worker_process(const struct plan *p, struct replay_shared *sh,
		   const struct trial_opts *o, unsigned int proc, __u64 t0_ns);

#endif /* PCRACE_WORKER_H */
