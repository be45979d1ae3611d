/* SPDX-License-Identifier: GPL-2.0 */
/* What the running kernel offers for probes (see lib/kprobes.c). */
#ifndef PCRACE_KPROBES_H
#define PCRACE_KPROBES_H

#include <stdbool.h>

/* The tracefs mount (mounted if it is not), or NULL. */
const char *tracefs_root(void);
/* kprobes through the perf kprobe PMU or tracefs kprobe_events. */
bool kprobes_available(void);
/* Is the function in /proc/kallsyms (not inlined away, not renamed)? */
bool ksym_exists(const char *name);
/* Does it lack ftrace hooks (so kprobes on it fail)? */
bool notrace_function(const char *name);

#endif /* PCRACE_KPROBES_H */
