/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel log watching, shared by record's flight recorder and replay's
 * oracle: read /dev/kmsg from "now" on and classify splats, including the
 * ones xfstests' dmesg check misses (RCU stalls, hung tasks, the
 * rate-limited "Page cache invalidation failure" message).
 */
#ifndef PCRACE_KMSG_H
#define PCRACE_KMSG_H

#include <stdbool.h>
#include <stddef.h>

struct kmsg_watch {
	int fd;
};

/* Open /dev/kmsg positioned at its end; < 0 (-errno) if unavailable. */
int kmsg_open(struct kmsg_watch *k);
void kmsg_close(struct kmsg_watch *k);
/*
 * Read the next record's message text (without the "pri,seq,ts;" prefix
 * and dictionary lines) into buf.  Returns its length, 0 when there is
 * nothing to read now, < 0 on error.
 */
int kmsg_read(struct kmsg_watch *k, char *buf, size_t len);

/* The kind of splat a kernel log line starts, or NULL if none. */
const char *pcrace_splat_kind(const char *line);

#endif /* PCRACE_KMSG_H */
