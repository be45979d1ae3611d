/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace's tables, filled while events stream by: tasks (tid, tgid,
 * parent, comm), files ((dev, ino) -> path, size, fs type, block size,
 * mount options) and block devices.  Rows are written before the first
 * EVENTS chunk that refers to them (the writer's preflush hook).
 */
#ifndef PCRACE_RECORD_TABLES_H
#define PCRACE_RECORD_TABLES_H

#include "pcrace_keymap.h"
#include "pcrace_strbuf.h"
#include "pcrace_trace.h"

struct rec_tables {
	struct pcrace_keymap tasks;	/* tid -> struct task_row */
	struct pcrace_keymap files;	/* (kdev, ino) -> char (seen) */
	struct pcrace_keymap paths;	/* tid -> last path argument */
	struct strbuf task_rows;
	struct strbuf file_rows;
};

int tables_init(struct rec_tables *t);
void tables_free(struct rec_tables *t);
/* Learn from one event before it is written. */
void tables_on_event(struct rec_tables *t, const struct pcrace_rec *r);
/* Write the rows gathered since the last call. */
int tables_flush(struct rec_tables *t, struct pcrace_writer *w);
/* Every block device of the machine, with size and pmem/DAX capability. */
int tables_write_bdevs(struct pcrace_writer *w);

#endif /* PCRACE_RECORD_TABLES_H */
