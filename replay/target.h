/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a replay acts, and the checks that keep it there: every scenario
 * file is mapped to a path under --target DIR, to --target-dev, or by an
 * explicit --map; nothing else is written.  A target on the root file
 * system, or a device that is mounted, swapped on or held by another
 * device, is refused.
 */
#ifndef PCRACE_TARGET_H
#define PCRACE_TARGET_H

#include <stdbool.h>
#include "plan.h"

#define TARGET_MAX_MAPS	32

struct target_opts {
	const char *dir;
	const char *dev;
	struct {
		const char *from, *to;
	} map[TARGET_MAX_MAPS];
	unsigned int nmap;
	bool strict;
	bool allow_poison;		/* MADV_HWPOISON off DAX too */
	__u64 prefill_max;		/* larger files start sparse */
};

/*
 * Map and check.  Returns 0, or an exit code (2 bad target, 125 a
 * mismatch under --strict) with a one-line message in err.
 */
int target_map(struct plan *p, const struct target_opts *t, char *err,
	       size_t errlen);

/* DAX, as mount options (recorded or the target's) say it: dax=never is not */
bool target_opts_dax(const char *opts);

struct shadow;
/*
 * Per trial: create every file with its recorded size and pre-fill it
 * with the replay's pattern (tag TAG_INIT), or sparse past prefill_max.
 * Returns 0 or -errno with the file named in err.
 */
int target_setup(const struct plan *p, const struct target_opts *t,
		 struct shadow *sh, __u64 magic, char *err, size_t errlen);

#endif /* PCRACE_TARGET_H */
