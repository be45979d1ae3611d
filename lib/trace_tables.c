// SPDX-License-Identifier: GPL-2.0
/* Parse a trace's table chunks; see pcrace_tables.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace_strbuf.h"
#include "pcrace_tables.h"

int trace_tables_init(struct trace_tables *t)
{
	memset(t, 0, sizeof(*t));
	if (pcrace_keymap_init(&t->tasks, sizeof(struct trace_task)) ||
	    pcrace_keymap_init(&t->files, sizeof(struct trace_file)) ||
	    pcrace_keymap_init(&t->inos, sizeof(__u32)))
		return -1;
	return 0;
}

void trace_tables_free(struct trace_tables *t)
{
	struct trace_file *f;
	uint64_t key[2];
	size_t i = 0;
	int k;

	for (k = 0; k < t->nmeta; k++) {
		free(t->meta[k].key);
		free(t->meta[k].value);
	}
	free(t->meta);
	while ((f = pcrace_keymap_next(&t->files, &i, key))) {
		free(f->path);
		free(f->mount_opts);
	}
	pcrace_keymap_free(&t->tasks);
	pcrace_keymap_free(&t->files);
	pcrace_keymap_free(&t->inos);
	free(t->probes);
	free(t->bdevs);
	free(t->losses);
	free(t->end);
	free(t->splat);
}

static int parse_kdev(const char *s, __u32 *kdev)
{
	unsigned int maj, min;
	char c;

	if (sscanf(s, "%u:%u%c", &maj, &min, &c) != 2 || maj >= 4096 ||
	    min >= (1u << 20))
		return -1;
	*kdev = maj << 20 | min;
	return 0;
}

static int add_meta(struct trace_tables *t, char **f, int n)
{
	struct trace_kv *kv;

	if (n != 2)
		return -1;
	kv = realloc(t->meta, (t->nmeta + 1) * sizeof(*kv));
	if (!kv)
		return -1;
	t->meta = kv;
	unescape_field(f[1]);
	kv[t->nmeta].key = strdup(f[0]);
	kv[t->nmeta].value = strdup(f[1]);
	t->nmeta++;
	return 0;
}

static int add_task(struct trace_tables *t, char **f, int n)
{
	struct trace_task *task;
	char *end;
	unsigned long tid;
	bool created;

	if (n != 4)
		return -1;
	tid = strtoul(f[0], &end, 10);
	if (*end || !*f[0])
		return -1;
	task = pcrace_keymap_put(&t->tasks, tid, 0, &created);
	if (!task)
		return -1;
	task->tgid = strtoul(f[1], NULL, 10);
	task->ppid = strtoul(f[2], NULL, 10);
	unescape_field(f[3]);
	snprintf(task->comm, sizeof(task->comm), "%s", f[3]);
	return 0;
}

static int add_file(struct trace_tables *t, char **f, int n)
{
	struct trace_file *file;
	__u32 *byino;
	__u32 kdev;
	__u64 ino;
	char *end;
	bool created;

	if (n != 9 || parse_kdev(f[0], &kdev))
		return -1;
	ino = strtoull(f[1], &end, 10);
	if (*end)
		return -1;
	file = pcrace_keymap_put(&t->files, kdev, ino, &created);
	if (!file)
		return -1;
	if (created) {
		t->nfiles++;
	} else {
		free(file->path);
		free(file->mount_opts);
	}
	unescape_field(f[2]);
	unescape_field(f[7]);
	file->kdev = kdev;
	file->ino = ino;
	file->path = strdup(f[2]);
	file->size = strtoull(f[3], NULL, 10);
	file->mode = strtoul(f[4], NULL, 8);
	snprintf(file->fstype, sizeof(file->fstype), "%s", f[5]);
	file->blksize = strtoul(f[6], NULL, 10);
	file->mount_opts = strdup(f[7]);
	snprintf(file->st_dev, sizeof(file->st_dev), "%s", f[8]);
	/* writeback events name only the inode: remember its device */
	byino = pcrace_keymap_put(&t->inos, ino, 0, &created);
	if (!byino)
		return -1;
	*byino = kdev;
	return 0;
}

static char *dup_text(char *old, const char *text, size_t len, bool append)
{
	size_t olen = append && old ? strlen(old) : 0;
	char *p = realloc(append ? old : NULL, olen + len + 1);

	if (!p)
		return old;
	if (!append)
		free(old);
	memcpy(p + olen, text, len);
	p[olen + len] = 0;
	return p;
}

int trace_tables_add(struct trace_tables *t, enum pcrace_chunk_type type,
		     const char *text, size_t len)
{
	char *copy, *line, *next, *f[10];
	int n, err = 0;

	switch (type) {
	case PCRACE_CHUNK_PROBES:
		t->probes = dup_text(t->probes, text, len, true);
		return 0;
	case PCRACE_CHUNK_BDEVS:
		t->bdevs = dup_text(t->bdevs, text, len, false);
		return 0;
	case PCRACE_CHUNK_LOSSES:
		t->losses = dup_text(t->losses, text, len, true);
		return 0;
	case PCRACE_CHUNK_END:
		t->end = dup_text(t->end, text, len, false);
		return 0;
	case PCRACE_CHUNK_SPLAT:
		t->splat = dup_text(t->splat, text, len, true);
		return 0;
	case PCRACE_CHUNK_META:
	case PCRACE_CHUNK_TASKS:
	case PCRACE_CHUNK_FILES:
		break;
	default:
		return 0;
	}
	copy = strndup(text, len);
	if (!copy)
		return -1;
	for (line = copy; line && *line && !err; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		n = pcrace_split_fields(line, f, 10);
		if (type == PCRACE_CHUNK_META)
			err = add_meta(t, f, n);
		else if (type == PCRACE_CHUNK_TASKS)
			err = add_task(t, f, n);
		else
			err = add_file(t, f, n);
	}
	free(copy);
	return err;
}

const char *trace_meta(const struct trace_tables *t, const char *key)
{
	int i;

	for (i = t->nmeta - 1; i >= 0; i--)
		if (!strcmp(t->meta[i].key, key))
			return t->meta[i].value;
	return NULL;
}

const struct trace_task *trace_task(const struct trace_tables *t, __u32 tid)
{
	return pcrace_keymap_get(&t->tasks, tid, 0);
}

const struct trace_file *trace_file(const struct trace_tables *t, __u32 kdev,
				    __u64 ino)
{
	return pcrace_keymap_get(&t->files, kdev, ino);
}

const struct trace_file *trace_file_by_ino(const struct trace_tables *t,
					   __u64 ino)
{
	__u32 *kdev = pcrace_keymap_get(&t->inos, ino, 0);

	return kdev ? trace_file(t, *kdev, ino) : NULL;
}
