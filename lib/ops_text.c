// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace dump --ops: a trace's ops (lib/trace_ops.c) as the scenario
 * text replay reads, one op per line in seq order:
 *
 *   # pcrace scenario 1
 *   file F1 /run/pcrace-mnt/data size=0 fs=ext4 blksize=4096 opts=...
 *   SEQ P<n>:T<n> +USEC ~DUR OP FILE key=value... = RESULT
 *
 * Replay of a trace builds its plan from the same ops without this text
 * (replay/plan_trace.c); replay of the text must plan the same ops.
 */
#include <stdio.h>
#include <string.h>
#include "pcrace.h"
#include "pcrace_ops.h"
#include "pcrace_schema.h"
#include "pcrace_strbuf.h"

struct text_ctx {
	FILE *out;
	const char *path;
	struct strbuf sb;
};

static int text_head(const char *kernel, const struct ops_file *files,
		     unsigned int nfiles, void *arg)
{
	struct text_ctx *t = arg;
	unsigned int i;

	fprintf(t->out, "# pcrace scenario 1\n# from %s: kernel %s\n", t->path,
		kernel ? kernel : "?");
	for (i = 0; i < nfiles; i++)
		fprintf(t->out, "file F%u %s size=%llu fs=%s blksize=%lu opts=%s type=%s\n",
			files[i].id, files[i].path,
			(unsigned long long)files[i].size, files[i].fstype,
			files[i].blksize, files[i].opts,
			files[i].bdev ? "blk" : "reg");
	fprintf(t->out, "# seq process:thread +usec ~usec op target args = result\n");
	return 0;
}

/*
 * " off=4096": the words of the common op lines, without sb_printf(),
 * which was a fifth of loading a trace for replay when replay still
 * read this text (slow under TCG).
 */
static void sb_num(struct strbuf *sb, const char *key, unsigned long long v)
{
	sb_puts(sb, key);
	sb_u64(sb, v);
}

static void sb_sym(struct strbuf *sb, const char *key, enum pcrace_argfmt fmt,
		   __u64 v)
{
	sb_puts(sb, key);
	pcrace_print_arg_sb(sb, fmt, v);
}

static int text_op(const struct ops_op *o, void *arg)
{
	struct text_ctx *t = arg;
	struct strbuf *sb = &t->sb;
	unsigned int k = o->keys;

	sb_reset(sb);
	sb_u64(sb, o->seq);
	sb_num(sb, " P", o->proc);
	sb_num(sb, ":T", o->thread);
	sb_num(sb, " +", o->usec);
	sb_num(sb, " ~", o->dur);
	sb_puts(sb, " ");
	sb_puts(sb, o->name);
	if (o->file)
		sb_num(sb, " F", o->file);
	if (o->map)
		sb_num(sb, " M", o->map);
	if (k & OK_FD)
		sb_num(sb, " fd=", o->fd);
	if (k & OK_CMD)
		sb_sym(sb, " cmd=", PCRACE_AF_IOCTL, o->flags);
	if (k & OK_BLKPG) {
		sb_sym(sb, " part=", PCRACE_AF_BLKPG_OP, o->blkpg_op);
		sb_num(sb, " pno=", o->blkpg_pno);
	}
	if (k & OK_OFF)
		sb_num(sb, " off=", o->off);
	if (k & OK_SOFF) {
		sb_puts(sb, " off=");
		sb_s64(sb, (__s64)o->off);
	}
	if (k & OK_PAGE)
		sb_num(sb, " page=", o->off);
	if (k & OK_LEN)
		sb_num(sb, " len=", o->len);
	if (k & OK_IOVCNT)
		sb_num(sb, " iovcnt=", o->iovcnt);
	if (k & OK_RWF)
		sb_sym(sb, " rwf=", PCRACE_AF_RWF, o->flags);
	if (k & OK_MODE)
		sb_sym(sb, " mode=", PCRACE_AF_FALLOC, o->flags);
	if (k & OK_PROT)
		sb_sym(sb, " prot=", PCRACE_AF_PROT, o->flags);
	if (k & OK_FLAGS)
		sb_sym(sb, " flags=", o->flags_fmt, o->flags);
	if (k & OK_MMAP_FLAGS)
		sb_sym(sb, " flags=", PCRACE_AF_MMAP, o->flags2);
	if (k & OK_ADVICE)
		sb_num(sb, " advice=", o->flags);
	if (k & OK_MADV)
		sb_sym(sb, " advice=", PCRACE_AF_MADV, o->flags);
	if (k & OK_COLOUR)
		sb_num(sb, " colour=", o->colour);
	if (k & OK_DIRECT)
		sb_puts(sb, " direct");
	if (k & OK_BUF) {
		sb_num(sb, " buf=M", o->buf_map);
		sb_num(sb, "+", o->buf_off);
	}
	if (k & OK_TOUCH)
		sb_puts(sb, o->touch == OT_STORE ? " store" :
			    o->touch == OT_LOAD ? " load" : " access");
	if (k & OK_RESULT) {
		sb_puts(sb, " = ");
		sb_s64(sb, o->ret);
	}
	if (sb->oom)
		return -1;
	fputs(sb->buf, t->out);
	putc('\n', t->out);
	return 0;
}

int pcrace_dump_ops(const char *path, FILE *out,
		    struct pcrace_read_result *res)
{
	struct text_ctx t = { .out = out, .path = path };
	struct ops_sink sink = {
		.head = text_head, .op = text_op, .arg = &t,
	};
	int ret = pcrace_trace_ops(path, &sink, res);

	if (ret > 0 || (ret < 0 && !res->error[0]))
		snprintf(res->error, sizeof(res->error), "%s: out of memory",
			 path);
	sb_free(&t.sb);
	return ret ? -1 : 0;
}
