/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each recorded event means: names (kernel names: syscall and
 * tracepoint names), argument names and how to print them.  Shared by
 * record (which syscalls to ask the BPF side for), dump and info.
 *
 * Argument names are uniform across events so that JSON consumers find
 * fd/dev/ino/offset/len/index under the same key everywhere.
 */
#ifndef PCRACE_SCHEMA_H
#define PCRACE_SCHEMA_H

#include <stdbool.h>
#include <stdio.h>
#include "pcrace_trace.h"

enum pcrace_argfmt {
	PCRACE_AF_U,		/* unsigned decimal */
	PCRACE_AF_D,		/* signed decimal */
	PCRACE_AF_X,		/* hex */
	PCRACE_AF_FD,
	PCRACE_AF_KDEV,		/* kernel dev_t: major:minor */
	PCRACE_AF_OFLAGS,	/* open(2) / file f_flags */
	PCRACE_AF_PROT,
	PCRACE_AF_MMAP,
	PCRACE_AF_FALLOC,
	PCRACE_AF_RWF,
	PCRACE_AF_MADV,
	PCRACE_AF_IOCTL,
	PCRACE_AF_FCNTL,
	PCRACE_AF_MSYNC,
	PCRACE_AF_SFR,		/* sync_file_range flags */
	PCRACE_AF_MODE,		/* i_mode | s_magic << 32 */
	PCRACE_AF_URING_OP,
	PCRACE_AF_ERRNO,	/* syscall return: negative is -errno */
	PCRACE_AF_BLKPG_OP,	/* struct blkpg_ioctl_arg's op: add, del, resize */
};

struct pcrace_arg_desc {
	const char *name;
	enum pcrace_argfmt fmt;
};

struct pcrace_ev_desc {
	const char *name;		/* tracepoint or pseudo-event name */
	const char *group;		/* tracepoint system, or "pcrace" */
	unsigned int nargs;
	struct pcrace_arg_desc args[PCRACE_NARGS];
};

struct pcrace_syscall_desc {
	int nr;
	const char *name;
	unsigned int kind;		/* PCRACE_SC_* */
	unsigned int nargs;
	struct pcrace_arg_desc args[6];
};

const struct pcrace_ev_desc *pcrace_ev_desc(unsigned int type);
const char *pcrace_ev_name(unsigned int type);
int pcrace_ev_by_name(const char *name);

const struct pcrace_syscall_desc *pcrace_syscall_by_nr(long nr);
const struct pcrace_syscall_desc *pcrace_syscall_by_name(const char *name);
const struct pcrace_syscall_desc *pcrace_syscall_at(unsigned int i);

/* Print one argument; json selects quoting of symbolic values. */
void pcrace_print_arg(FILE *out, enum pcrace_argfmt fmt, __u64 v, bool json);
struct strbuf;
/* The same, as text appended to a strbuf. */
void pcrace_print_arg_sb(struct strbuf *sb, enum pcrace_argfmt fmt, __u64 v);
/*
 * The inverse, for scenarios: "O_RDWR|O_DIRECT", "MADV_PAGEOUT", "0x40",
 * "4".  Returns 0, or -1 for a name or number it does not know.
 */
int pcrace_parse_arg(enum pcrace_argfmt fmt, const char *s, __u64 *v);

/* Kernel dev_t (MAJOR << 20 | MINOR) helpers. */
static inline unsigned int pcrace_kdev_major(__u32 kdev)
{
	return kdev >> 20;
}

static inline unsigned int pcrace_kdev_minor(__u32 kdev)
{
	return kdev & ((1u << 20) - 1);
}

#endif /* PCRACE_SCHEMA_H */
