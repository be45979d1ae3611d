/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One trial: set the files up, fork the worker processes, and watch them
 * with the three oracles (data mismatches the workers report, the kernel
 * log, the hang watchdog) until they finish or one fires; then check
 * every file again from the media.
 */
#ifndef PCRACE_TRIAL_H
#define PCRACE_TRIAL_H

#include <regex.h>
#include "pcrace_kmsg.h"
#include "target.h"
#include "worker.h"

enum verdict_kind { V_CLEAN, V_DATA, V_SPLAT, V_HANG, V_ERROR };

struct verdict {
	enum verdict_kind kind;
	char what[512];			/* one line */
	char detail[16384];		/* splat text, stacks, mismatches */
	double seconds;			/* the trial's length */
	double setup_s;			/* its files' set-up, before it */
	double ops_per_s;
};

struct replay_ctx {
	struct plan *plan;
	struct replay_shared *sh;
	const struct target_opts *target;
	struct kmsg_watch kmsg;
	bool kmsg_ok;
	__u64 hang_ns;
	const char *out_dir;		/* mismatch blocks, or NULL */
	/*
	 * --splat: a kernel-log splat counts only if its first line matches
	 * (a seed's signature, not another bug the kernel also has).
	 */
	bool splat_only;
	regex_t splat_re;
	bool locked;			/* supervisor_lock() has run */
};

void trial_run(struct replay_ctx *c, const struct trial_opts *o,
	       struct verdict *v);
const char *verdict_name(enum verdict_kind k);

#endif /* PCRACE_TRIAL_H */
