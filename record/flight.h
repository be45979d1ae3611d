/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flight recorder: keep only the most recent window of events in memory
 * (by compressed size or by age) and write a trace when something goes
 * wrong.  Event chunks are self-contained, so dropping the oldest ones
 * leaves a valid trace; table chunks are all kept, since any retained
 * event may refer to any row.
 */
#ifndef PCRACE_RECORD_FLIGHT_H
#define PCRACE_RECORD_FLIGHT_H

#include <stddef.h>
#include "pcrace_trace.h"

struct flight_chunk;

struct flight {
	size_t max_bytes;		/* 0: no size bound */
	unsigned long long max_ns;	/* 0: no age bound */
	/*
	 * Set while a splat's log tail is being collected: ages count up to
	 * the splat, not up to now, so the events that led to it are kept.
	 */
	unsigned long long hold_ns;
	struct flight_chunk *tables, *tables_tail;
	struct flight_chunk *events, *events_tail;
	size_t event_bytes;
	unsigned long long dropped_events;
	unsigned int saves;
};

/* Parse "64M", "512K", "1G" (bytes) or "30s", "2m" (age). */
int flight_parse(struct flight *fl, const char *arg);
int flight_sink(enum pcrace_chunk_type type, const struct pcrace_chunk_hdr *h,
		const void *data, size_t len, void *arg);
/*
 * Write what the window holds to a new file writer (opened on path), so
 * the caller can append its trailer chunks and close it.
 */
struct pcrace_writer *flight_save(struct flight *fl, const char *path,
				  int zlevel);
/* The path of the n-th save: PATH, then PATH.1, PATH.2, ... */
void flight_path(const char *base, unsigned int n, char *buf, size_t len);
void flight_free(struct flight *fl);

#endif /* PCRACE_RECORD_FLIGHT_H */
