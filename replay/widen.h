/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --widen FUNC[%return]:USEC[@T<n>]: hold the CPU for USEC at a kernel
 * function's entry (or return) in the replay's workers, or only in the
 * worker of recorded thread T<n> (bpf/widen.bpf.c).  Needs kprobes: where
 * the kernel has none, or lacks the function, the replay cannot test.
 */
#ifndef PCRACE_WIDEN_H
#define PCRACE_WIDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "plan.h"

#define WIDEN_MAX	16

struct widen_spec {
	char func[128];
	bool ret;			/* at the return */
	__u64 ns;
	char thread[16];		/* "T2", or "" for every worker */
};

struct widen;

/* Parse one --widen argument; -1 with a message in err if malformed. */
int widen_parse(const char *arg, struct widen_spec *w, char *err, size_t len);
/*
 * Load and attach; anyone: hold every task that gets there (kworkers
 * completing the workers' I/O too).  Returns NULL with a message in err
 * (the replay cannot test: no kprobes, no such function, no BPF).
 */
struct widen *widen_start(const struct widen_spec *specs, unsigned int n,
			  const struct plan *p, bool anyone, char *err,
			  size_t len);
/* In a worker process / thread: let the holds apply to it. */
void widen_enroll_process(struct widen *w);
void widen_enroll_thread(struct widen *w, unsigned int thread);
void widen_stats(struct widen *w, __u64 *holds, __u64 *ns);
void widen_stop(struct widen *w);

#endif /* PCRACE_WIDEN_H */
