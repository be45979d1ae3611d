/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by the replay supervisor and its worker processes: one
 * MAP_SHARED anonymous region made before fork, so every pointer in it
 * is valid in every process.  The ordering gates, each op's timing and
 * result, what each worker is doing (for the hang watchdog) and the
 * data oracle's shadow model live here.
 */
#ifndef PCRACE_REPLAY_SHARED_H
#define PCRACE_REPLAY_SHARED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>
#include "plan.h"

#define MAX_MISMATCHES	8
#define MEET_SLOTS	64	/* --collide pairs per trial */

/*
 * What is written at every op has a cache line of its own: a worker
 * that shares one with another worker's state or another gate makes it
 * cross between the CPUs at every write, and a worker next in line
 * spins reading the start gate.
 */
#define SHARED_LINE	_Alignas(64)

/* One per thread, written by its worker at each op's start and end. */
struct thread_state {
	SHARED_LINE _Atomic __u32 done;	/* ops completed: the dependency gate */
	_Atomic __u32 cur;		/* op in progress, PLAN_NONE when idle */
	_Atomic __u64 cur_start_ns;
	_Atomic pid_t tid;
};

/*
 * Why an op started late under --timing recorded: the op it waited for
 * ran longer here than recorded, its own thread's op before it (a thread
 * cannot start an op before its last one returned), or another thread's
 * op that ended before it began in the recording (the happens-before
 * replay keeps).
 */
enum held_by { HELD_NOT, HELD_BY_THREAD, HELD_BY_DEP };

struct op_state {
	__u64 start_ns, end_ns;		/* CLOCK_MONOTONIC */
	__u32 start_epoch, end_epoch;	/* order among all starts and ends */
	__s64 ret;
	/* an op it waits for ended after its time: enum held_by (worker.c) */
	__u8 held;
	__u32 held_op;			/* that op's plan index, if held */
};

/* One mismatch the data oracle found. */
enum mismatch_kind { MM_ZERO, MM_STALE, MM_TORN, MM_SIZE };

struct mismatch {
	unsigned int file, op;		/* op PLAN_NONE: the final check */
	__u64 off, len;
	__u32 expected_tag, found_tag;	/* found_tag 0 unless stale */
	enum mismatch_kind kind;
	__u64 expected_size, found_size;	/* MM_SIZE */
	unsigned char found[4096];	/* the first len bytes found */
};

struct shadow;

struct replay_shared {
	SHARED_LINE _Atomic __u32 started;	/* ops started, in plan order */
	SHARED_LINE _Atomic __u32 epoch;
	SHARED_LINE _Atomic __u32 nwaiting;	/* sleepers on any gate */
	SHARED_LINE _Atomic int stop;
	_Atomic __u32 nmismatches;
	_Atomic __u64 reads_checked, reads_skipped, bytes_checked;
	_Atomic __u32 result_diffs, not_replayable;
	_Atomic __u32 first_diff;	/* 1 + the first such op, 0 if none */
	_Atomic __s64 first_diff_ret;
	_Atomic __u32 meet[MEET_SLOTS];	/* --collide pairs (collide.c) */
	_Atomic __u32 meets_met, meets_missed, meets_first;
	struct mismatch mismatches[MAX_MISMATCHES];
	struct thread_state *threads;
	struct op_state *ops;
	struct shadow *shadow;
	size_t size;			/* of the whole region */
	bool ops_used;			/* ops[] is not as mmap left it */
};

struct replay_shared *shared_create(const struct plan *p);
void shared_reset(struct replay_shared *s, const struct plan *p);
void shared_destroy(struct replay_shared *s);
/* Count a mismatch; the first MAX_MISMATCHES are kept for the report. */
void shared_add_mismatch(struct replay_shared *s, const struct mismatch *m);

#endif /* PCRACE_REPLAY_SHARED_H */
