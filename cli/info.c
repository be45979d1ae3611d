// SPDX-License-Identifier: GPL-2.0
/* pcrace info: header, probe manifest, tables, event counts, losses. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pcrace.h"
#include "pcrace_schema.h"
#include "pcrace_tables.h"
#include "read_common.h"

struct info_ctx {
	struct trace_tables tables;
	unsigned long long count[PCRACE_EV_MAX];
	unsigned long long sys_count[PCRACE_MAX_SYSCALL];
	unsigned long long loss_events;
	int table_err;
};

static int on_text(enum pcrace_chunk_type type, const char *text, size_t len,
		   void *arg)
{
	struct info_ctx *c = arg;

	if (trace_tables_add(&c->tables, type, text, len))
		c->table_err = 1;
	return c->table_err;
}

static int on_event(const struct pcrace_rec *r, void *arg)
{
	struct info_ctx *c = arg;

	c->count[r->hdr.type]++;
	if (r->hdr.type == PCRACE_EV_SYS_ENTER && r->arg[0] < PCRACE_MAX_SYSCALL)
		c->sys_count[r->arg[0]]++;
	if (r->hdr.type == PCRACE_EV_LOSS)
		c->loss_events += r->arg[1];
	return 0;
}

static void print_text_table(const char *title, const char *text,
			     const char *header)
{
	const char *p;
	int n = 0;

	for (p = text; p && *p; p++)
		n += *p == '\n';
	printf("%s (%d):\n", title, n);
	if (!text)
		return;
	if (header)
		printf("  %s\n", header);
	for (p = text; *p; ) {
		const char *nl = strchr(p, '\n');
		int l = nl ? nl - p : (int)strlen(p);

		printf("  %.*s\n", l, p);
		p += l + (nl ? 1 : 0);
	}
}

static void print_info(const char *path, struct info_ctx *c,
		       const struct pcrace_read_result *res)
{
	const struct trace_tables *t = &c->tables;
	const struct pcrace_syscall_desc *sd;
	const struct trace_task *task;
	const struct trace_file *f;
	unsigned long long total = 0;
	const char *rt = trace_meta(t, "start_realtime_ns");
	uint64_t key[2];
	char when[64] = "?";
	unsigned int i;
	size_t it;

	if (rt) {
		time_t secs = strtoull(rt, NULL, 10) / 1000000000ull;
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC",
			 gmtime_r(&secs, &tm));
	}
	printf("trace:      %s (%llu bytes, format version %u, %llu chunks, %s)\n",
	       path, res->bytes, res->version, res->chunks,
	       res->complete ? "complete" : "TRUNCATED");
	if (res->version >= 2)
		printf("op copies:  %llu chunks, %llu bytes (%.1f%%), %llu events, what replay reads\n",
		       res->ops_chunks, res->ops_bytes,
		       res->bytes ? 100.0 * res->ops_bytes / res->bytes : 0.0,
		       res->ops_copied);
#define META(k) (trace_meta(t, k) ? trace_meta(t, k) : "?")
	printf("kernel:     %s %s (%s)\n", META("kernel_release"), META("machine"),
	       META("kernel_version"));
	printf("btf:        id %s, crc32 %s\n", META("btf_id"), META("btf_crc32"));
	printf("recorded:   %s on %s, %s CPUs, page size %s, clock %s\n", when,
	       META("host"), META("ncpus"), META("page_size"), META("clock"));
	printf("command:    %s\n", META("cmdline"));
	printf("scope:      %s\n", META("scope"));
	printf("pcrace:     %s\n", META("pcrace_version"));
#undef META
	print_text_table("probes", t->probes, "probe\tkind\tstatus\treason");

	printf("tasks (%zu):\n  tid\ttgid\tppid\tcomm\n", t->tasks.len);
	it = 0;
	while ((task = pcrace_keymap_next(&t->tasks, &it, key)))
		printf("  %llu\t%u\t%u\t%s\n", (unsigned long long)key[0],
		       task->tgid, task->ppid, task->comm);

	printf("files (%u):\n  dev\tino\tpath\tsize\tfstype\tblksize\tmount options\n",
	       t->nfiles);
	it = 0;
	while ((f = pcrace_keymap_next(&t->files, &it, key)))
		printf("  %u:%u\t%llu\t%s\t%llu\t%s\t%lu\t%s\n",
		       pcrace_kdev_major(f->kdev), pcrace_kdev_minor(f->kdev),
		       (unsigned long long)f->ino, f->path,
		       (unsigned long long)f->size, f->fstype, f->blksize,
		       f->mount_opts);
	print_text_table("block devices", t->bdevs,
			 "name\tdev\tbytes\tpmem\tdax\tpartition");

	for (i = 0; i < PCRACE_EV_MAX; i++)
		total += c->count[i];
	printf("events (%llu):\n", total);
	for (i = 0; i < PCRACE_EV_MAX; i++)
		if (c->count[i])
			printf("  %-40s %llu\n", pcrace_ev_name(i), c->count[i]);
	printf("syscalls:\n");
	for (i = 0; i < PCRACE_MAX_SYSCALL; i++) {
		if (!c->sys_count[i])
			continue;
		sd = pcrace_syscall_by_nr(i);
		printf("  %-40s %llu\n", sd ? sd->name : "?", c->sys_count[i]);
	}
	if (t->losses || c->loss_events)
		print_text_table("LOSSES (events dropped, gaps marked in the stream)",
				 t->losses, "event\tcount");
	else
		printf("losses:     none\n");
	if (t->splat)
		print_text_table("kernel splats (log from each splat on)",
				 t->splat, NULL);
	if (t->end)
		print_text_table("end", t->end, NULL);
}

int pcrace_info(int argc, char **argv)
{
	struct pcrace_read_ops ops = {
		.text = on_text, .event = on_event, .count_ops = true,
	};
	struct pcrace_read_result res;
	struct read_opts ro;
	struct info_ctx *c;
	int ret;

	ret = parse_read_args("info", argc, argv, &ro, false);
	if (ret)
		return ret;
	c = calloc(1, sizeof(*c));
	if (!c || trace_tables_init(&c->tables))
		return PCRACE_EXIT_ERROR;
	ret = pcrace_read_trace(ro.path, &ops, c, &res);
	if (c->table_err && !ret) {
		snprintf(res.error, sizeof(res.error),
			 "%s: corrupt table row in chunk %llu", ro.path, res.chunks);
		ret = -1;
	}
	/* replay reads the copies: they must be the events' op events */
	if (!ret && res.version >= 2 && res.ops_copied != res.ops_events) {
		snprintf(res.error, sizeof(res.error),
			 "%s: OPS chunks hold %llu op events, the EVENTS chunks %llu",
			 ro.path, res.ops_copied, res.ops_events);
		ret = -1;
	}
	if (!ret)
		print_info(ro.path, c, &res);
	fflush(stdout);
	ret = read_verdict(&ro, ret, &res);
	trace_tables_free(&c->tables);
	free(c);
	return ret;
}
