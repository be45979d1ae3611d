/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace's tables in memory, as the reading commands (info, dump and
 * later replay) see them: META key/values, tasks, files and block devices.
 * Later rows for the same key supersede earlier ones.
 */
#ifndef PCRACE_TABLES_H
#define PCRACE_TABLES_H

#include "pcrace_keymap.h"
#include "pcrace_trace.h"

struct trace_task {
	__u32 tgid;
	__u32 ppid;
	char comm[PCRACE_COMM_LEN];
};

struct trace_file {
	__u32 kdev;
	__u64 ino;
	char *path;
	__u64 size;
	unsigned int mode;
	char fstype[32];
	unsigned long blksize;
	char *mount_opts;
	char st_dev[24];
};

struct trace_kv {
	char *key;
	char *value;
};

struct trace_tables {
	struct trace_kv *meta;
	int nmeta;
	char *probes;		/* PROBES text, as written */
	char *bdevs;		/* last BDEVS text */
	char *losses;		/* LOSSES text */
	char *end;		/* END text */
	char *splat;		/* SPLAT text: kernel log from each splat on */
	struct pcrace_keymap tasks;	/* tid -> struct trace_task */
	struct pcrace_keymap files;	/* (kdev, ino) -> struct trace_file */
	struct pcrace_keymap inos;	/* (ino, 0) -> kdev */
	unsigned int nfiles;
};

int trace_tables_init(struct trace_tables *t);
void trace_tables_free(struct trace_tables *t);
/* Feed a table chunk; returns < 0 on a malformed row. */
int trace_tables_add(struct trace_tables *t, enum pcrace_chunk_type type,
		     const char *text, size_t len);
const char *trace_meta(const struct trace_tables *t, const char *key);
const struct trace_task *trace_task(const struct trace_tables *t, __u32 tid);
const struct trace_file *trace_file(const struct trace_tables *t, __u32 kdev,
				    __u64 ino);
const struct trace_file *trace_file_by_ino(const struct trace_tables *t,
					   __u64 ino);

#endif /* PCRACE_TABLES_H */
