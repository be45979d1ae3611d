/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pcrace trace file: versioned, chunked, zlib-compressed, streamable.
 *
 * Layout (all integers little-endian):
 *
 *   file header   "PCRTRACE" u16 version u16 header_size u32 flags
 *   chunk*        struct pcrace_chunk_hdr + comp_len bytes of zlib data
 *
 * Chunks are self-contained, so a reader can stream them and a trace cut
 * short stays readable up to its last complete chunk; an END chunk marks a
 * trace that was closed properly.  Table chunks (META, PROBES, TASKS,
 * FILES, BDEVS, LOSSES, SPLAT, END) hold tab-separated text lines, one
 * record a line; a table row is always written before the first EVENTS
 * chunk that refers to it.  EVENTS chunks hold varint-encoded events,
 * delta-coded against the previous event (and, per argument slot, the
 * previous event of the same type) of the same chunk.
 *
 * Version 2 adds OPS chunks: after each EVENTS chunk, a copy of its op
 * events (the syscalls and faults a replay is made of, see
 * pcrace_type_is_op(); the file header's flags name that set's class), so
 * that a replay inflates those and skips the page-cache events, nine
 * tenths of a recording's bytes.  An EVENTS chunk whose op events are
 * most of its bytes has PCRACE_CHUNK_F_NO_COPY instead of a copy (a replay
 * reads it whole: a copy would add more than it saves), and one without
 * op events has neither.  Version 1 traces are read whole.
 */
#ifndef PCRACE_TRACE_H
#define PCRACE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "pcrace_abi.h"

#define PCRACE_TRACE_MAGIC	"PCRTRACE"
#define PCRACE_TRACE_VERSION	2
#define PCRACE_TRACE_VERSION_MIN	1
/* File header flags, low byte: the class of op events OPS chunks copy. */
#define PCRACE_OPS_CLASS	1
#define PCRACE_FILE_OPS_CLASS_MASK	0xffu
/* EVENTS chunk flags */
#define PCRACE_CHUNK_F_NO_COPY	0x1u	/* op readers read it, no OPS copy */
#define PCRACE_CHUNK_MAGIC	0x4b434350u	/* "PCCK" */
#define PCRACE_CHUNK_MAX	(64u << 20)	/* raw or compressed */

enum pcrace_chunk_type {
	PCRACE_CHUNK_META = 1,		/* key \t value */
	PCRACE_CHUNK_PROBES = 2,	/* name \t kind \t status \t reason */
	PCRACE_CHUNK_TASKS = 3,		/* tid \t tgid \t ppid \t comm */
	PCRACE_CHUNK_FILES = 4,		/* see record/tables.c */
	PCRACE_CHUNK_BDEVS = 5,		/* name \t dev \t size \t pmem \t dax */
	PCRACE_CHUNK_EVENTS = 6,
	PCRACE_CHUNK_LOSSES = 7,	/* event \t count */
	PCRACE_CHUNK_SPLAT = 8,		/* kernel log text */
	PCRACE_CHUNK_END = 9,		/* key \t value totals */
	PCRACE_CHUNK_OPS = 10,		/* the op events of the EVENTS before */
	PCRACE_CHUNK_TYPE_MAX = 10,
};

struct pcrace_file_hdr {
	char magic[8];
	__le16 version;
	__le16 hdr_size;
	__le32 flags;
};

struct pcrace_chunk_hdr {
	__le32 magic;
	__le16 type;
	__le16 flags;
	__le32 raw_len;
	__le32 comp_len;
	__le32 nrec;
	__le32 data_crc;	/* crc32 of the compressed bytes */
	__le32 _reserved;
	__le32 hdr_crc;		/* crc32 of the 28 bytes above */
};

_Static_assert(sizeof(struct pcrace_file_hdr) == 16, "file header layout");
_Static_assert(sizeof(struct pcrace_chunk_hdr) == 32, "chunk header layout");

/* An event as decoded from a trace. */
struct pcrace_rec {
	struct pcrace_ev_hdr hdr;
	unsigned int nargs;
	__u64 arg[PCRACE_NARGS];
	unsigned int len;		/* string events */
	char str[PCRACE_STR_MAX + 1];
};

static inline bool pcrace_type_is_str(unsigned int type)
{
	return type == PCRACE_EV_PATH || type == PCRACE_EV_DATA ||
	       type == PCRACE_EV_TASK_EXEC || type == PCRACE_EV_TASK_COMM ||
	       type == PCRACE_EV_FD_PATH;
}

/*
 * The events a replay is made of (class PCRACE_OPS_CLASS): syscalls, the
 * fd and fork bookkeeping that names their targets, io_uring, and the
 * faults of touches.  Changing this set means a new class: traces of
 * the old one are then read whole.
 */
static inline bool pcrace_type_is_op(unsigned int type)
{
	switch (type) {
	case PCRACE_EV_FD_BIND:
	case PCRACE_EV_TASK_FORK:
	case PCRACE_EV_SYS_ENTER:
	case PCRACE_EV_BLKPG:
	case PCRACE_EV_SYS_EXIT:
	case PCRACE_EV_URING_SUBMIT:
	case PCRACE_EV_URING_COMPLETE:
	case PCRACE_EV_USER_FAULT:
	case PCRACE_EV_DAX_PTE_FAULT:
	case PCRACE_EV_DAX_PMD_FAULT:
	case PCRACE_EV_PC_FAULT:
		return true;
	default:
		return false;
	}
}

/* ---- writer ---- */
struct pcrace_writer;

typedef int (*pcrace_preflush_fn)(struct pcrace_writer *w, void *arg);
/* Receives each finished chunk (header + compressed bytes). */
typedef int (*pcrace_chunk_sink_fn)(enum pcrace_chunk_type type,
				    const struct pcrace_chunk_hdr *h,
				    const void *data, size_t len, void *arg);

struct pcrace_writer *pcrace_writer_open(const char *path, int level);
/* A writer whose chunks go to a sink (flight recorder) instead of a file. */
struct pcrace_writer *pcrace_writer_open_sink(int level,
					      pcrace_chunk_sink_fn sink,
					      void *arg);
/* Copy a chunk made by another writer into this (file) writer as is. */
int pcrace_write_chunk_raw(struct pcrace_writer *w,
			   const struct pcrace_chunk_hdr *h, const void *data);
void pcrace_writer_set_preflush(struct pcrace_writer *w,
				pcrace_preflush_fn fn, void *arg);
int pcrace_write_text(struct pcrace_writer *w, enum pcrace_chunk_type type,
		      const char *text, size_t len, unsigned int nrec);
int pcrace_write_event(struct pcrace_writer *w, const struct pcrace_rec *r);
int pcrace_writer_flush(struct pcrace_writer *w);
int pcrace_writer_close(struct pcrace_writer *w);
unsigned long long pcrace_writer_events(const struct pcrace_writer *w);
unsigned long long pcrace_writer_bytes(const struct pcrace_writer *w);

/* ---- reader ---- */
struct pcrace_read_ops {
	/* return non-zero to stop reading */
	int (*text)(enum pcrace_chunk_type type, const char *text, size_t len,
		    void *arg);
	int (*event)(const struct pcrace_rec *r, void *arg);
	/*
	 * Optional: the event types event() is called for; the others are
	 * checked and counted but not decoded (a replay needs the ops'
	 * events, not the page-cache events between them).
	 */
	bool (*want)(unsigned int type);
	/*
	 * Only op events are wanted (want() says no to every other type):
	 * a trace with OPS chunks of this pcrace's class is read from
	 * those, and its other EVENTS chunks are skipped uninflated.
	 */
	bool ops_only;
	/*
	 * Decode the OPS chunks too, only to count them against the op
	 * events of the EVENTS chunks (pcrace info's check).
	 */
	bool count_ops;
	/*
	 * Optional: an events chunk's inflated bytes (nrec events), before
	 * they are decoded.  A caller that reads the events more than once
	 * keeps them for pcrace_decode_chunk() rather than inflate the file
	 * again, and returns 1: they are counted, not decoded here.  0 has
	 * them decoded; < 0 fails the read (out of memory).
	 */
	int (*chunk)(const unsigned char *raw, size_t len, unsigned int nrec,
		     void *arg);
};

struct pcrace_read_result {
	unsigned int version;
	unsigned long long chunks;
	unsigned long long events;
	unsigned long long bytes;
	bool complete;			/* END chunk seen */
	bool truncated;			/* ended inside a chunk or without END */
	bool from_ops;			/* read through OPS chunks (ops_only) */
	unsigned long long ops_chunks;	/* OPS chunks, and their bytes */
	unsigned long long ops_bytes;
	/* with count_ops: op events in OPS chunks, and in the EVENTS */
	unsigned long long ops_copied;
	unsigned long long ops_events;
	char error[256];		/* set when pcrace_read_trace() < 0 */
};

int pcrace_read_trace(const char *path, const struct pcrace_read_ops *ops,
		      void *arg, struct pcrace_read_result *res);

/* Decodes a chunk chunk() was given, as pcrace_read_trace() does. */
int pcrace_decode_chunk(const unsigned char *raw, size_t len, unsigned int nrec,
			const struct pcrace_read_ops *ops, void *arg,
			struct pcrace_read_result *res);

/* Text tables: split "a\tb\tc\n" lines in place. */
int pcrace_split_fields(char *line, char **fields, int max);

#endif /* PCRACE_TRACE_H */
