// SPDX-License-Identifier: GPL-2.0
/* Flight-recorder chunk store; see flight.h. */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "flight.h"
#include "pcrace_time.h"

struct flight_chunk {
	struct flight_chunk *next;
	struct pcrace_chunk_hdr h;
	unsigned long long at_ns;	/* when the chunk was closed */
	size_t len;
	unsigned char data[];
};

int flight_parse(struct flight *fl, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	memset(fl, 0, sizeof(*fl));
	if (end == arg || v <= 0)
		return -EINVAL;
	switch (*end) {
	case 's':
		fl->max_ns = v * 1e9;
		break;
	case 'm':
		fl->max_ns = v * 60e9;
		break;
	case 'K':
		fl->max_bytes = v * 1024;
		break;
	case 'M':
		fl->max_bytes = v * 1024 * 1024;
		break;
	case 'G':
		fl->max_bytes = v * 1024 * 1024 * 1024;
		break;
	default:
		return -EINVAL;
	}
	if (end[1] || (fl->max_bytes && fl->max_bytes < 64 * 1024))
		return -EINVAL;
	return 0;
}

static void drop_oldest(struct flight *fl)
{
	struct flight_chunk *c = fl->events;

	fl->events = c->next;
	fl->event_bytes -= c->len;
	if (le16toh(c->h.type) == PCRACE_CHUNK_EVENTS)
		fl->dropped_events += le32toh(c->h.nrec);
	free(c);
}

/* An EVENTS chunk and the OPS copy that follows it: the last of the two. */
static struct flight_chunk *with_copy(struct flight_chunk *c)
{
	return c->next && le16toh(c->next->h.type) == PCRACE_CHUNK_OPS ?
	       c->next : c;
}

/*
 * Chunks go from the window's head with their copies, so no copy is left
 * without its events (pcrace info would fail the trace), and the newest
 * EVENTS chunk stays with its copy: a window holds at least that.
 */
static void evict(struct flight *fl, unsigned long long now)
{
	struct flight_chunk *c;
	bool copy;

	if (fl->hold_ns && fl->hold_ns < now)
		now = fl->hold_ns;
	while ((c = fl->events) && with_copy(c)->next &&
	       ((fl->max_bytes && fl->event_bytes > fl->max_bytes) ||
		(fl->max_ns && now - c->at_ns > fl->max_ns))) {
		copy = with_copy(c) != c;
		drop_oldest(fl);
		if (copy)
			drop_oldest(fl);
	}
}

int flight_sink(enum pcrace_chunk_type type, const struct pcrace_chunk_hdr *h,
		const void *data, size_t len, void *arg)
{
	struct flight *fl = arg;
	struct flight_chunk *c;

	c = malloc(sizeof(*c) + len);
	if (!c)
		return -ENOMEM;
	c->next = NULL;
	c->h = *h;
	c->len = len;
	c->at_ns = pcrace_mono_ns();
	memcpy(c->data, data, len);
	if (type == PCRACE_CHUNK_EVENTS || type == PCRACE_CHUNK_OPS) {
		if (fl->events_tail)
			fl->events_tail->next = c;
		else
			fl->events = c;
		fl->events_tail = c;
		fl->event_bytes += len;
		evict(fl, c->at_ns);
		if (!fl->events->next)
			fl->events_tail = fl->events;
	} else {
		if (fl->tables_tail)
			fl->tables_tail->next = c;
		else
			fl->tables = c;
		fl->tables_tail = c;
	}
	return 0;
}

void flight_path(const char *base, unsigned int n, char *buf, size_t len)
{
	if (n)
		snprintf(buf, len, "%s.%u", base, n);
	else
		snprintf(buf, len, "%s", base);
}

struct pcrace_writer *flight_save(struct flight *fl, const char *path,
				  int zlevel)
{
	struct pcrace_writer *w;
	struct flight_chunk *c;
	int err = 0;

	evict(fl, pcrace_mono_ns());
	w = pcrace_writer_open(path, zlevel);
	if (!w)
		return NULL;
	for (c = fl->tables; c && !err; c = c->next)
		err = pcrace_write_chunk_raw(w, &c->h, c->data);
	for (c = fl->events; c && !err; c = c->next)
		err = pcrace_write_chunk_raw(w, &c->h, c->data);
	if (err) {
		pcrace_writer_close(w);
		errno = -err;
		return NULL;
	}
	fl->saves++;
	return w;
}

static void free_list(struct flight_chunk *c)
{
	while (c) {
		struct flight_chunk *next = c->next;

		free(c);
		c = next;
	}
}

void flight_free(struct flight *fl)
{
	free_list(fl->tables);
	free_list(fl->events);
	memset(fl, 0, sizeof(*fl));
}
