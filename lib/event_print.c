// SPDX-License-Identifier: GPL-2.0
/* Symbolic printing of event arguments, for dump and its JSON form. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/fiemap.h>
#include <linux/blkpg.h>
#include "pcrace.h"
#include "pcrace_schema.h"
#include "pcrace_strbuf.h"

struct flag_name {
	__u64 bit;
	const char *name;
};

/*
 * Kernel values, as f_flags carries them: glibc defines O_LARGEFILE as 0 on
 * 64-bit, which would also end the table early.
 */
#define K_O_LARGEFILE	00100000

static const struct flag_name oflags[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
	{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" },
	{ O_NONBLOCK, "O_NONBLOCK" }, { O_DSYNC, "O_DSYNC" },
	{ O_DIRECT, "O_DIRECT" }, { K_O_LARGEFILE, "O_LARGEFILE" },
	{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
	{ O_NOATIME, "O_NOATIME" }, { O_CLOEXEC, "O_CLOEXEC" },
	{ O_SYNC & ~O_DSYNC, "__O_SYNC" }, { O_PATH, "O_PATH" },
	{ 0 }
};

static const struct flag_name prot_flags[] = {
	{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" },
	{ PROT_EXEC, "PROT_EXEC" }, { 0 }
};

static const struct flag_name mmap_flags[] = {
	{ MAP_FIXED, "MAP_FIXED" }, { MAP_ANONYMOUS, "MAP_ANONYMOUS" },
	{ MAP_NORESERVE, "MAP_NORESERVE" }, { MAP_POPULATE, "MAP_POPULATE" },
	{ MAP_NONBLOCK, "MAP_NONBLOCK" }, { MAP_HUGETLB, "MAP_HUGETLB" },
	{ MAP_SYNC, "MAP_SYNC" }, { MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" },
	{ MAP_LOCKED, "MAP_LOCKED" }, { MAP_STACK, "MAP_STACK" }, { 0 }
};

static const struct flag_name falloc_flags[] = {
	{ FALLOC_FL_KEEP_SIZE, "FALLOC_FL_KEEP_SIZE" },
	{ FALLOC_FL_PUNCH_HOLE, "FALLOC_FL_PUNCH_HOLE" },
	{ FALLOC_FL_NO_HIDE_STALE, "FALLOC_FL_NO_HIDE_STALE" },
	{ FALLOC_FL_COLLAPSE_RANGE, "FALLOC_FL_COLLAPSE_RANGE" },
	{ FALLOC_FL_ZERO_RANGE, "FALLOC_FL_ZERO_RANGE" },
	{ FALLOC_FL_INSERT_RANGE, "FALLOC_FL_INSERT_RANGE" },
	{ FALLOC_FL_UNSHARE_RANGE, "FALLOC_FL_UNSHARE_RANGE" }, { 0 }
};

static const struct flag_name rwf_flags[] = {
	{ RWF_HIPRI, "RWF_HIPRI" }, { RWF_DSYNC, "RWF_DSYNC" },
	{ RWF_SYNC, "RWF_SYNC" }, { RWF_NOWAIT, "RWF_NOWAIT" },
	{ RWF_APPEND, "RWF_APPEND" }, { 0 }
};

static const struct flag_name msync_flags[] = {
	{ MS_ASYNC, "MS_ASYNC" }, { MS_INVALIDATE, "MS_INVALIDATE" },
	{ MS_SYNC, "MS_SYNC" }, { 0 }
};

static const struct flag_name sfr_flags[] = {
	{ SYNC_FILE_RANGE_WAIT_BEFORE, "SYNC_FILE_RANGE_WAIT_BEFORE" },
	{ SYNC_FILE_RANGE_WRITE, "SYNC_FILE_RANGE_WRITE" },
	{ SYNC_FILE_RANGE_WAIT_AFTER, "SYNC_FILE_RANGE_WAIT_AFTER" }, { 0 }
};

/* Enumerations: exact values. */
static const struct flag_name madv_values[] = {
	{ 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" },
	{ 3, "MADV_WILLNEED" }, { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" },
	{ 9, "MADV_REMOVE" }, { 10, "MADV_DONTFORK" }, { 11, "MADV_DOFORK" },
	{ 12, "MADV_MERGEABLE" }, { 13, "MADV_UNMERGEABLE" },
	{ 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
	{ 16, "MADV_DONTDUMP" }, { 17, "MADV_DODUMP" },
	{ 18, "MADV_WIPEONFORK" }, { 19, "MADV_KEEPONFORK" },
	{ 20, "MADV_COLD" }, { 21, "MADV_PAGEOUT" },
	{ 22, "MADV_POPULATE_READ" }, { 23, "MADV_POPULATE_WRITE" },
	{ 25, "MADV_COLLAPSE" }, { 100, "MADV_HWPOISON" },
	{ 101, "MADV_SOFT_OFFLINE" }, { 0, NULL }
};

static const struct flag_name ioctl_values[] = {
	{ BLKROSET, "BLKROSET" }, { BLKROGET, "BLKROGET" },
	{ BLKRRPART, "BLKRRPART" }, { BLKGETSIZE, "BLKGETSIZE" },
	{ BLKFLSBUF, "BLKFLSBUF" }, { BLKRASET, "BLKRASET" },
	{ BLKRAGET, "BLKRAGET" }, { BLKSSZGET, "BLKSSZGET" },
	{ BLKPG, "BLKPG" }, { BLKBSZGET, "BLKBSZGET" },
	{ BLKBSZSET, "BLKBSZSET" }, { BLKGETSIZE64, "BLKGETSIZE64" },
	{ BLKDISCARD, "BLKDISCARD" }, { BLKIOMIN, "BLKIOMIN" },
	{ BLKIOOPT, "BLKIOOPT" }, { BLKALIGNOFF, "BLKALIGNOFF" },
	{ BLKPBSZGET, "BLKPBSZGET" }, { BLKDISCARDZEROES, "BLKDISCARDZEROES" },
	{ BLKSECDISCARD, "BLKSECDISCARD" }, { BLKZEROOUT, "BLKZEROOUT" },
	{ FIFREEZE, "FIFREEZE" }, { FITHAW, "FITHAW" }, { FITRIM, "FITRIM" },
	{ FS_IOC_FIEMAP, "FS_IOC_FIEMAP" }, { FIBMAP, "FIBMAP" },
	{ FIGETBSZ, "FIGETBSZ" }, { FICLONE, "FICLONE" },
	{ FICLONERANGE, "FICLONERANGE" }, { FIDEDUPERANGE, "FIDEDUPERANGE" },
	{ FS_IOC_GETFLAGS, "FS_IOC_GETFLAGS" },
	{ FS_IOC_SETFLAGS, "FS_IOC_SETFLAGS" },
	{ FS_IOC_FSGETXATTR, "FS_IOC_FSGETXATTR" },
	{ FS_IOC_FSSETXATTR, "FS_IOC_FSSETXATTR" }, { 0, NULL }
};

/* as dump --ops writes them: part=add pno=1 ... */
static const struct flag_name blkpg_op_values[] = {
	{ BLKPG_ADD_PARTITION, "add" }, { BLKPG_DEL_PARTITION, "del" },
	{ BLKPG_RESIZE_PARTITION, "resize" }, { 0, NULL }
};

static const struct flag_name fcntl_values[] = {
	{ F_DUPFD, "F_DUPFD" }, { F_GETFD, "F_GETFD" }, { F_SETFD, "F_SETFD" },
	{ F_GETFL, "F_GETFL" }, { F_SETFL, "F_SETFL" }, { F_GETLK, "F_GETLK" },
	{ F_SETLK, "F_SETLK" }, { F_SETLKW, "F_SETLKW" },
	{ F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC" }, { F_SETLEASE, "F_SETLEASE" },
	{ F_GETLEASE, "F_GETLEASE" }, { F_ADD_SEALS, "F_ADD_SEALS" },
	{ F_GET_SEALS, "F_GET_SEALS" }, { 0, NULL }
};

static const char * const uring_ops[] = {
	"NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED",
	"POLL_ADD", "POLL_REMOVE", "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG",
	"TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL", "LINK_TIMEOUT",
	"CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX",
	"READ", "WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2",
	"EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE",
	"SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT",
	"MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET",
	"URING_CMD",
};

static void print_flags(struct strbuf *out, const struct flag_name *t, __u64 v,
			const char *zero)
{
	const char *sep = "";

	if (!v) {
		sb_puts(out, zero);
		return;
	}
	for (; t->bit; t++) {
		if ((v & t->bit) == t->bit) {
			sb_puts(out, sep);
			sb_puts(out, t->name);
			sep = "|";
			v &= ~t->bit;
		}
	}
	if (v)
		sb_printf(out, "%s0x%llx", sep, (unsigned long long)v);
}

static bool print_value(struct strbuf *out, const struct flag_name *t, __u64 v)
{
	for (; t->name; t++) {
		if (t->bit == v) {
			sb_puts(out, t->name);
			return true;
		}
	}
	sb_printf(out, "0x%llx", (unsigned long long)v);
	return false;
}

static void print_oflags(struct strbuf *out, __u64 v)
{
	static const char * const acc[] = {
		"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"
	};

	sb_puts(out, acc[v & O_ACCMODE]);
	v &= ~(__u64)O_ACCMODE;
	if (v) {
		sb_puts(out, "|");
		print_flags(out, oflags, v, "");
	}
}

static void print_mode(struct strbuf *out, __u64 v)
{
	static const struct flag_name types[] = {
		{ 0100000, "reg" }, { 0060000, "blk" }, { 0020000, "chr" },
		{ 0040000, "dir" }, { 0010000, "fifo" }, { 0140000, "sock" },
		{ 0120000, "lnk" }, { 0, NULL }
	};
	unsigned int mode = v & 0xffff;

	print_value(out, types, mode & 0170000);
	sb_printf(out, ":0%o:fs=0x%llx", mode & 07777,
		  (unsigned long long)(v >> 32));
}

static bool is_symbolic(enum pcrace_argfmt fmt)
{
	return fmt != PCRACE_AF_U && fmt != PCRACE_AF_D && fmt != PCRACE_AF_X &&
	       fmt != PCRACE_AF_FD && fmt != PCRACE_AF_ERRNO;
}

/*
 * Into a strbuf, not a FILE: dump --ops formats an argument or more for
 * each of a trace's ops, and a memory stream per argument (glibc clears
 * an 8 KiB buffer for each) was a fifth of replay's load of a trace.
 * Numbers without printf: dump prints millions of them.
 */
static void print_arg(struct strbuf *out, enum pcrace_argfmt fmt, __u64 v,
		      bool json)
{
	__s64 s = (__s64)v;

	if (json && is_symbolic(fmt))
		sb_puts(out, "\"");
	switch (fmt) {
	case PCRACE_AF_U:
		sb_u64(out, v);
		break;
	case PCRACE_AF_D:
		sb_s64(out, s);
		break;
	case PCRACE_AF_X:
		if (json) {
			sb_u64(out, v);
		} else {
			sb_puts(out, "0x");
			sb_x64(out, v);
		}
		break;
	case PCRACE_AF_FD:
		if (!json && (int)v == AT_FDCWD)
			sb_puts(out, "AT_FDCWD");
		else
			sb_s64(out, (int)v);
		break;
	case PCRACE_AF_ERRNO:
		if (!json && s < 0 && s >= -4095 && strerrorname_np(-s))
			sb_printf(out, "-%s", strerrorname_np(-s));
		else
			sb_printf(out, "%lld", (long long)s);
		break;
	case PCRACE_AF_KDEV:
		sb_printf(out, "%u:%u", pcrace_kdev_major(v), pcrace_kdev_minor(v));
		break;
	case PCRACE_AF_OFLAGS:
		print_oflags(out, v);
		break;
	case PCRACE_AF_PROT:
		print_flags(out, prot_flags, v, "PROT_NONE");
		break;
	case PCRACE_AF_MMAP: {
		static const char * const type[] = {
			"0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"
		};

		sb_puts(out, type[v & 3]);
		if (v & ~3ull) {
			sb_puts(out, "|");
			print_flags(out, mmap_flags, v & ~3ull, "");
		}
		break;
	}
	case PCRACE_AF_FALLOC:
		print_flags(out, falloc_flags, v, "0");
		break;
	case PCRACE_AF_RWF:
		print_flags(out, rwf_flags, v, "0");
		break;
	case PCRACE_AF_MSYNC:
		print_flags(out, msync_flags, v, "0");
		break;
	case PCRACE_AF_SFR:
		print_flags(out, sfr_flags, v, "0");
		break;
	case PCRACE_AF_MADV:
		print_value(out, madv_values, v);
		break;
	case PCRACE_AF_IOCTL:
		print_value(out, ioctl_values, (unsigned int)v);
		break;
	case PCRACE_AF_FCNTL:
		print_value(out, fcntl_values, v);
		break;
	case PCRACE_AF_BLKPG_OP:
		print_value(out, blkpg_op_values, v);
		break;
	case PCRACE_AF_MODE:
		print_mode(out, v);
		break;
	case PCRACE_AF_URING_OP:
		if (v < ARRAY_SIZE(uring_ops))
			sb_puts(out, uring_ops[v]);
		else
			sb_printf(out, "%llu", (unsigned long long)v);
		break;
	}
	if (json && is_symbolic(fmt))
		sb_puts(out, "\"");
}

void pcrace_print_arg(FILE *out, enum pcrace_argfmt fmt, __u64 v, bool json)
{
	/*
	 * One buffer per thread, kept: dump prints millions of arguments,
	 * and a buffer allocated and freed for each made it a fifth slower.
	 */
	static __thread struct strbuf sb;

	sb_reset(&sb);
	print_arg(&sb, fmt, v, json);
	if (sb.buf)
		fputs(sb.buf, out);
}

void pcrace_print_arg_sb(struct strbuf *sb, enum pcrace_argfmt fmt, __u64 v)
{
	print_arg(sb, fmt, v, false);
}

static int parse_number(const char *s, __u64 *v)
{
	char *end;

	if (!*s)
		return -1;
	*v = strtoull(s, &end, 0);
	return *end ? -1 : 0;
}

static int parse_name(const struct flag_name *t, bool values, const char *s,
		      __u64 *v)
{
	for (; values ? t->name != NULL : t->bit != 0; t++) {
		if (!strcmp(t->name, s)) {
			*v = t->bit;
			return 0;
		}
	}
	return parse_number(s, v);
}

/* One '|'-separated word of a flags argument, or a value's name. */
static int parse_word(enum pcrace_argfmt fmt, const char *s, __u64 *v)
{
	static const char * const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR" };
	static const char * const maptype[] = {
		"MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"
	};
	size_t i;

	switch (fmt) {
	case PCRACE_AF_OFLAGS:
		for (i = 0; i < ARRAY_SIZE(acc); i++)
			if (!strcmp(s, acc[i])) {
				*v = i;
				return 0;
			}
		return parse_name(oflags, false, s, v);
	case PCRACE_AF_PROT:
		if (!strcmp(s, "PROT_NONE")) {
			*v = 0;
			return 0;
		}
		return parse_name(prot_flags, false, s, v);
	case PCRACE_AF_MMAP:
		for (i = 0; i < ARRAY_SIZE(maptype); i++)
			if (!strcmp(s, maptype[i])) {
				*v = i + 1;
				return 0;
			}
		return parse_name(mmap_flags, false, s, v);
	case PCRACE_AF_FALLOC:
		return parse_name(falloc_flags, false, s, v);
	case PCRACE_AF_RWF:
		return parse_name(rwf_flags, false, s, v);
	case PCRACE_AF_MSYNC:
		return parse_name(msync_flags, false, s, v);
	case PCRACE_AF_SFR:
		return parse_name(sfr_flags, false, s, v);
	case PCRACE_AF_MADV:
		return parse_name(madv_values, true, s, v);
	case PCRACE_AF_IOCTL:
		return parse_name(ioctl_values, true, s, v);
	case PCRACE_AF_FCNTL:
		return parse_name(fcntl_values, true, s, v);
	case PCRACE_AF_BLKPG_OP:
		return parse_name(blkpg_op_values, true, s, v);
	default:
		return parse_number(s, v);
	}
}

int pcrace_parse_arg(enum pcrace_argfmt fmt, const char *s, __u64 *v)
{
	char word[64];
	const char *bar;
	size_t n;
	__u64 w;

	*v = 0;
	do {
		bar = strchr(s, '|');
		n = bar ? (size_t)(bar - s) : strlen(s);
		if (n >= sizeof(word))
			return -1;
		memcpy(word, s, n);
		word[n] = '\0';
		if (parse_word(fmt, word, &w))
			return -1;
		*v |= w;
		if (bar)
			s = bar + 1;
	} while (bar);
	return 0;
}
