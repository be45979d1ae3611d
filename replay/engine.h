/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay engines, as const ops tables in the shape of fio's ioengines.
 * The worker asks each engine of its chain in turn whether it carries an
 * op; the first that does issues it, calls worker_issued() the moment it
 * is in the kernel's hands, and returns its result (>= 0, or -errno).
 */
#ifndef PCRACE_ENGINE_H
#define PCRACE_ENGINE_H

#include "worker.h"

struct replay_engine {
	const char *name;
	int (*init)(struct worker *w);		/* per worker; -errno */
	void (*exit)(struct worker *w);
	bool (*carries)(const struct worker *w, const struct plan_op *op);
	__s64 (*issue)(struct worker *w, const struct plan_op *op);
};

extern const struct replay_engine engine_uring;	/* reads, writes, syncs */
extern const struct replay_engine engine_mmap;	/* mappings and touches */
extern const struct replay_engine engine_sync;	/* everything, as syscalls */
extern const struct replay_engine engine_null;	/* nothing: for tests */

__u64 touch_off(const struct plan *p, const struct plan_op *op);
/* Whether a touch stores (an "access" stores on writable shared maps). */
bool touch_stores(const struct plan *p, const struct plan_op *op);

#endif /* PCRACE_ENGINE_H */
