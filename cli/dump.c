// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace dump: one line per event in recorded order, perf-script style,
 * or one JSON object per line (--json).  Syscall fds are resolved to
 * files by following FD_BIND, close and fork through the stream, and
 * path arguments are folded into the syscall that used them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace.h"
#include "pcrace_schema.h"
#include "pcrace_tables.h"
#include "pcrace_ops.h"
#include "read_common.h"

struct fd_file {
	__u32 kdev;
	__u64 ino;
};

struct pending {
	char path[4][PCRACE_STR_MAX + 1];
	char data[PCRACE_STR_MAX + 1];
	unsigned int data_len;
	__u64 close_fd;		/* fd of an unfinished close + 1 */
};

struct dump_ctx {
	struct read_opts *o;
	struct trace_tables tables;
	struct pcrace_keymap fds;	/* (tgid, fd) -> struct fd_file */
	struct pcrace_keymap pend;	/* tid -> struct pending */
	__u64 t0;
	unsigned int page_shift;
	int table_err;
};

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

/* Text mode: strings may hold anything a task wrote (drop_caches "3\n"). */
static void text_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '\n')
			fputs("\\n", out);
		else if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\x%02x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static int on_text(enum pcrace_chunk_type type, const char *text, size_t len,
		   void *arg)
{
	struct dump_ctx *c = arg;
	const char *v;

	if (trace_tables_add(&c->tables, type, text, len))
		c->table_err = 1;
	if (type == PCRACE_CHUNK_META) {
		v = trace_meta(&c->tables, "start_monotonic_ns");
		c->t0 = v ? strtoull(v, NULL, 10) : 0;
		v = trace_meta(&c->tables, "page_size");
		c->page_shift = v && strtoul(v, NULL, 10) ? __builtin_ctzl(strtoul(v, NULL, 10)) : 12;
	}
	return c->table_err;
}

static const struct trace_file *fd_file(struct dump_ctx *c, __u32 tgid, int fd)
{
	struct fd_file *ff = pcrace_keymap_get(&c->fds, tgid, (__u32)fd);

	return ff ? trace_file(&c->tables, ff->kdev, ff->ino) : NULL;
}

/* Keep the fd table and the per-task pending state in step. */
static void track(struct dump_ctx *c, const struct pcrace_rec *r)
{
	struct pending *p;
	struct fd_file *ff;
	bool created;

	switch (r->hdr.type) {
	case PCRACE_EV_FD_BIND:
		ff = pcrace_keymap_put(&c->fds, r->hdr.tgid, (__u32)r->arg[0],
				       &created);
		if (ff) {
			ff->kdev = r->arg[1];
			ff->ino = r->arg[2];
		}
		break;
	case PCRACE_EV_TASK_FORK:
		if ((__u32)r->arg[1] != r->hdr.tgid)
			pcrace_keymap_copy(&c->fds, r->hdr.tgid, r->arg[1]);
		break;
	case PCRACE_EV_SYS_EXIT: {
		const struct pcrace_syscall_desc *d = pcrace_syscall_by_nr(r->arg[0]);

		p = pcrace_keymap_get(&c->pend, r->hdr.tid, 0);
		if (d && (d->kind & PCRACE_SC_CLOSE) && p && p->close_fd &&
		    (__s64)r->arg[1] == 0)
			pcrace_keymap_del(&c->fds, r->hdr.tgid,
					  (__u32)(p->close_fd - 1));
		if (p)
			p->close_fd = 0;
		break;
	}
	default:
		break;
	}
}

static void print_prefix(struct dump_ctx *c, const struct pcrace_rec *r,
			 const char *event, const char *phase)
{
	const struct trace_task *t = trace_task(&c->tables, r->hdr.tid);
	const char *comm = t ? t->comm : "?";

	if (c->o->json) {
		printf("{\"ts_ns\":%llu,\"tid\":%u,\"tgid\":%u,\"cpu\":%u,\"comm\":",
		       (unsigned long long)r->hdr.ts_ns, r->hdr.tid, r->hdr.tgid,
		       r->hdr.cpu);
		json_str(stdout, comm);
		printf(",\"event\":");
		json_str(stdout, event);
		if (phase)
			printf(",\"phase\":\"%s\"", phase);
	} else {
		__s64 rel = (__s64)(r->hdr.ts_ns - c->t0);

		printf("%16s %7u [%03u] %6lld.%09lld: %s", comm, r->hdr.tid,
		       r->hdr.cpu, (long long)(rel / 1000000000),
		       (long long)((rel < 0 ? -rel : rel) % 1000000000), event);
	}
}

static void print_file(struct dump_ctx *c, const struct trace_file *f)
{
	if (!f)
		return;
	if (c->o->json) {
		printf(",\"file\":");
		json_str(stdout, f->path);
	} else {
		printf(" <%s>", f->path);
	}
}

static void print_kv(struct dump_ctx *c, const char *key, int *n,
		     enum pcrace_argfmt fmt, __u64 v)
{
	if (c->o->json)
		printf(",\"%s\":", key);
	else
		printf("%s%s=", (*n)++ ? ", " : "", key);
	pcrace_print_arg(stdout, fmt, v, c->o->json);
}

static void print_str_kv(struct dump_ctx *c, const char *key, int *n,
			 const char *s)
{
	if (c->o->json) {
		printf(",\"%s\":", key);
		json_str(stdout, s);
	} else {
		printf("%s%s=", (*n)++ ? ", " : "", key);
		text_str(stdout, s);
	}
}

static void dump_sys_enter(struct dump_ctx *c, const struct pcrace_rec *r)
{
	const struct pcrace_syscall_desc *d = pcrace_syscall_by_nr(r->arg[0]);
	const struct trace_file *file = NULL;
	struct pending *p = pcrace_keymap_get(&c->pend, r->hdr.tid, 0);
	char name[32];
	unsigned int i;
	int n = 0;
	bool created;

	if (!d) {
		snprintf(name, sizeof(name), "syscall_%llu",
			 (unsigned long long)r->arg[0]);
		print_prefix(c, r, name, "enter");
		printf(c->o->json ? "}\n" : "(?)\n");
		return;
	}
	print_prefix(c, r, d->name, "enter");
	if (!c->o->json)
		putchar('(');
	for (i = 0; i < d->nargs; i++) {
		const struct pcrace_arg_desc *a = &d->args[i];
		__u64 v = r->arg[1 + i];

		if (i < 4 && (d->kind & (PCRACE_SC_PATH0 << i)) && p) {
			print_str_kv(c, a->name, &n, p->path[i]);
			p->path[i][0] = 0;
			continue;
		}
		print_kv(c, a->name, &n, a->fmt, v);
		if (a->fmt == PCRACE_AF_FD && !file && (int)v >= 0)
			file = fd_file(c, r->hdr.tgid, (int)v);
	}
	if (p && p->data_len) {
		print_str_kv(c, "data", &n, p->data);
		p->data_len = 0;
	}
	if (!c->o->json)
		putchar(')');
	if (file && c->o->json)
		printf(",\"dev\":\"%u:%u\",\"ino\":%llu",
		       pcrace_kdev_major(file->kdev), pcrace_kdev_minor(file->kdev),
		       (unsigned long long)file->ino);
	print_file(c, file);
	printf(c->o->json ? "}\n" : "\n");

	if (d->kind & PCRACE_SC_CLOSE) {
		p = pcrace_keymap_put(&c->pend, r->hdr.tid, 0, &created);
		if (p)
			p->close_fd = r->arg[1] + 1;
	}
}

static void dump_sys_exit(struct dump_ctx *c, const struct pcrace_rec *r)
{
	const struct pcrace_syscall_desc *d = pcrace_syscall_by_nr(r->arg[0]);
	char name[32];

	if (d)
		snprintf(name, sizeof(name), "%s", d->name);
	else
		snprintf(name, sizeof(name), "syscall_%llu",
			 (unsigned long long)r->arg[0]);
	print_prefix(c, r, name, "exit");
	if (c->o->json) {
		printf(",\"ret\":%lld}\n", (long long)r->arg[1]);
	} else {
		printf(" = ");
		pcrace_print_arg(stdout, PCRACE_AF_ERRNO, r->arg[1], false);
		putchar('\n');
	}
}

static void stash_str(struct dump_ctx *c, const struct pcrace_rec *r)
{
	struct pending *p;
	bool created;

	p = pcrace_keymap_put(&c->pend, r->hdr.tid, 0, &created);
	if (!p)
		return;
	if (r->hdr.type == PCRACE_EV_PATH && r->hdr.aux < 4) {
		memcpy(p->path[r->hdr.aux], r->str, r->len + 1);
	} else if (r->hdr.type == PCRACE_EV_DATA) {
		memcpy(p->data, r->str, r->len + 1);
		p->data_len = r->len;
	}
}

static void dump_generic(struct dump_ctx *c, const struct pcrace_rec *r)
{
	const struct pcrace_ev_desc *d = pcrace_ev_desc(r->hdr.type);
	const struct trace_file *file = NULL;
	__u64 kdev = 0, ino = 0, index = 0;
	bool has_dev = false, has_ino = false, has_index = false;
	unsigned int i;
	int n = 0;

	print_prefix(c, r, d ? d->name : "unknown", NULL);
	if (!c->o->json)
		putchar(' ');
	if (r->hdr.type == PCRACE_EV_TASK_EXEC ||
	    r->hdr.type == PCRACE_EV_TASK_COMM) {
		print_str_kv(c, "comm", &n, r->str);
	} else if (r->hdr.type == PCRACE_EV_FD_PATH) {
		print_kv(c, "fd", &n, PCRACE_AF_FD, r->hdr.aux);
		print_str_kv(c, "path", &n, r->str);
	} else if (r->hdr.type == PCRACE_EV_LOSS) {
		print_str_kv(c, "lost_event", &n, pcrace_ev_name(r->arg[0]));
		print_kv(c, "count", &n, PCRACE_AF_U, r->arg[1]);
	} else if (d) {
		for (i = 0; i < d->nargs; i++) {
			const struct pcrace_arg_desc *a = &d->args[i];

			print_kv(c, a->name, &n, a->fmt, r->arg[i]);
			if (!strcmp(a->name, "dev") && a->fmt == PCRACE_AF_KDEV)
				kdev = r->arg[i], has_dev = true;
			else if (!strcmp(a->name, "ino"))
				ino = r->arg[i], has_ino = true;
			else if (!strcmp(a->name, "index"))
				index = r->arg[i], has_index = true;
			else if (a->fmt == PCRACE_AF_FD && (int)r->arg[i] >= 0 &&
				 r->hdr.type != PCRACE_EV_FD_BIND)
				file = fd_file(c, r->hdr.tgid, (int)r->arg[i]);
		}
	}
	if (has_dev && has_ino)
		file = trace_file(&c->tables, kdev, ino);
	else if (has_ino)
		file = trace_file_by_ino(&c->tables, ino);
	if (file && c->o->json && !has_dev)
		printf(",\"dev\":\"%u:%u\",\"ino\":%llu",
		       pcrace_kdev_major(file->kdev), pcrace_kdev_minor(file->kdev),
		       (unsigned long long)file->ino);
	if (has_index && c->o->json && r->hdr.type != PCRACE_EV_FD_BIND)
		printf(",\"offset\":%llu",
		       (unsigned long long)index << c->page_shift);
	print_file(c, file);
	printf(c->o->json ? "}\n" : "\n");
}

static int on_event(const struct pcrace_rec *r, void *arg)
{
	struct dump_ctx *c = arg;

	switch (r->hdr.type) {
	case PCRACE_EV_PATH:
	case PCRACE_EV_DATA:
		stash_str(c, r);	/* printed with the syscall they belong to */
		break;
	case PCRACE_EV_SYS_ENTER:
		dump_sys_enter(c, r);
		break;
	case PCRACE_EV_SYS_EXIT:
		dump_sys_exit(c, r);
		break;
	default:
		dump_generic(c, r);
		break;
	}
	track(c, r);
	return ferror(stdout) ? 1 : 0;
}

int pcrace_dump(int argc, char **argv)
{
	struct pcrace_read_ops ops = { .text = on_text, .event = on_event };
	struct pcrace_read_result res;
	struct read_opts ro;
	struct dump_ctx c = { 0 };
	int ret;

	ret = parse_read_args("dump", argc, argv, &ro, true);
	if (ret)
		return ret;
	if (ro.ops) {
		ret = pcrace_dump_ops(ro.path, stdout, &res);
		fflush(stdout);
		return read_verdict(&ro, ret, &res);
	}
	c.o = &ro;
	c.page_shift = 12;
	if (trace_tables_init(&c.tables) ||
	    pcrace_keymap_init(&c.fds, sizeof(struct fd_file)) ||
	    pcrace_keymap_init(&c.pend, sizeof(struct pending)))
		return PCRACE_EXIT_ERROR;
	ret = pcrace_read_trace(ro.path, &ops, &c, &res);
	if (c.table_err && !ret) {
		snprintf(res.error, sizeof(res.error),
			 "%s: corrupt table row in chunk %llu", ro.path, res.chunks);
		ret = -1;
	}
	fflush(stdout);
	ret = read_verdict(&ro, ret, &res);
	trace_tables_free(&c.tables);
	pcrace_keymap_free(&c.fds);
	pcrace_keymap_free(&c.pend);
	return ret;
}
