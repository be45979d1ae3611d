// SPDX-License-Identifier: GPL-2.0
/*
 * The file syscalls pcrace records, with the argument layout the kernel's
 * raw_syscalls tracepoints deliver, and what the BPF side must do for each
 * (PCRACE_SC_* bits).  Numbers come from the build host's <asm/unistd.h>;
 * legacy syscalls missing on an architecture drop out by #ifdef.
 */
#include <stddef.h>
#include <string.h>
#include <asm/unistd.h>
#include "pcrace.h"
#include "pcrace_schema.h"

#define R	PCRACE_SC_RECORD
#define A(n, f)	{ n, PCRACE_AF_##f }

static const struct pcrace_syscall_desc syscalls[] = {
	{ __NR_read, "read", R, 3, { A("fd", FD), A("buf", X), A("len", U) } },
	{ __NR_write, "write", R | PCRACE_SC_WRITE_DATA, 3,
	  { A("fd", FD), A("buf", X), A("len", U) } },
#ifdef __NR_open
	{ __NR_open, "open", R | PCRACE_SC_FD_RESULT | PCRACE_SC_PATH0, 3,
	  { A("path", X), A("flags", OFLAGS), A("mode", X) } },
#endif
	{ __NR_close, "close", R | PCRACE_SC_CLOSE, 1, { A("fd", FD) } },
	{ __NR_lseek, "lseek", R, 3, { A("fd", FD), A("offset", D), A("whence", U) } },
	{ __NR_mmap, "mmap", R, 6,
	  { A("addr", X), A("len", U), A("prot", PROT), A("flags", MMAP),
	    A("fd", FD), A("offset", U) } },
	{ __NR_munmap, "munmap", R, 2, { A("addr", X), A("len", U) } },
	{ __NR_ioctl, "ioctl", R | PCRACE_SC_IOCTL, 3, { A("fd", FD), A("cmd", IOCTL), A("arg", X) } },
	{ __NR_pread64, "pread64", R, 4,
	  { A("fd", FD), A("buf", X), A("len", U), A("offset", U) } },
	{ __NR_pwrite64, "pwrite64", R | PCRACE_SC_WRITE_DATA, 4,
	  { A("fd", FD), A("buf", X), A("len", U), A("offset", U) } },
	{ __NR_readv, "readv", R, 3, { A("fd", FD), A("iov", X), A("iovcnt", U) } },
	{ __NR_writev, "writev", R, 3, { A("fd", FD), A("iov", X), A("iovcnt", U) } },
	{ __NR_mremap, "mremap", R, 5,
	  { A("addr", X), A("old_len", U), A("len", U), A("flags", X),
	    A("new_addr", X) } },
	{ __NR_msync, "msync", R, 3, { A("addr", X), A("len", U), A("flags", MSYNC) } },
	{ __NR_madvise, "madvise", R, 3, { A("addr", X), A("len", U), A("advice", MADV) } },
	{ __NR_dup, "dup", R | PCRACE_SC_FD_RESULT, 1, { A("oldfd", FD) } },
#ifdef __NR_dup2
	{ __NR_dup2, "dup2", R | PCRACE_SC_FD_RESULT, 2, { A("oldfd", FD), A("newfd", FD) } },
#endif
	{ __NR_sendfile, "sendfile", R, 4,
	  { A("out_fd", FD), A("in_fd", FD), A("offset_ptr", X), A("len", U) } },
	{ __NR_fcntl, "fcntl", R, 3, { A("fd", FD), A("cmd", FCNTL), A("arg", X) } },
	{ __NR_fsync, "fsync", R, 1, { A("fd", FD) } },
	{ __NR_fdatasync, "fdatasync", R, 1, { A("fd", FD) } },
	{ __NR_truncate, "truncate", R | PCRACE_SC_PATH0, 2, { A("path", X), A("len", U) } },
	{ __NR_ftruncate, "ftruncate", R, 2, { A("fd", FD), A("len", U) } },
#ifdef __NR_rename
	{ __NR_rename, "rename", R | PCRACE_SC_PATH0 | PCRACE_SC_PATH1, 2,
	  { A("oldpath", X), A("newpath", X) } },
#endif
#ifdef __NR_creat
	{ __NR_creat, "creat", R | PCRACE_SC_FD_RESULT | PCRACE_SC_PATH0, 2,
	  { A("path", X), A("mode", X) } },
#endif
#ifdef __NR_unlink
	{ __NR_unlink, "unlink", R | PCRACE_SC_PATH0, 1, { A("path", X) } },
#endif
	{ __NR_sync, "sync", R, 0, { } },
	{ __NR_readahead, "readahead", R, 3, { A("fd", FD), A("offset", U), A("len", U) } },
	{ __NR_fadvise64, "fadvise64", R, 4,
	  { A("fd", FD), A("offset", U), A("len", U), A("advice", U) } },
	{ __NR_openat, "openat", R | PCRACE_SC_FD_RESULT | PCRACE_SC_PATH1, 4,
	  { A("dfd", FD), A("path", X), A("flags", OFLAGS), A("mode", X) } },
	{ __NR_unlinkat, "unlinkat", R | PCRACE_SC_PATH1, 3,
	  { A("dfd", FD), A("path", X), A("flags", X) } },
	{ __NR_renameat, "renameat", R | PCRACE_SC_PATH1 | PCRACE_SC_PATH3, 4,
	  { A("olddfd", FD), A("oldpath", X), A("newdfd", FD), A("newpath", X) } },
	{ __NR_splice, "splice", R, 6,
	  { A("fd_in", FD), A("off_in", X), A("fd_out", FD), A("off_out", X),
	    A("len", U), A("flags", X) } },
	{ __NR_sync_file_range, "sync_file_range", R, 4,
	  { A("fd", FD), A("offset", U), A("len", U), A("flags", SFR) } },
	{ __NR_vmsplice, "vmsplice", R, 4,
	  { A("fd", FD), A("iov", X), A("iovcnt", U), A("flags", X) } },
	{ __NR_fallocate, "fallocate", R, 4,
	  { A("fd", FD), A("mode", FALLOC), A("offset", U), A("len", U) } },
	{ __NR_dup3, "dup3", R | PCRACE_SC_FD_RESULT, 3,
	  { A("oldfd", FD), A("newfd", FD), A("flags", OFLAGS) } },
	{ __NR_preadv, "preadv", R, 5,
	  { A("fd", FD), A("iov", X), A("iovcnt", U), A("offset", U), A("pos_h", U) } },
	{ __NR_pwritev, "pwritev", R, 5,
	  { A("fd", FD), A("iov", X), A("iovcnt", U), A("offset", U), A("pos_h", U) } },
	{ __NR_syncfs, "syncfs", R, 1, { A("fd", FD) } },
	{ __NR_renameat2, "renameat2", R | PCRACE_SC_PATH1 | PCRACE_SC_PATH3, 5,
	  { A("olddfd", FD), A("oldpath", X), A("newdfd", FD), A("newpath", X),
	    A("flags", X) } },
	{ __NR_copy_file_range, "copy_file_range", R, 6,
	  { A("fd_in", FD), A("off_in", X), A("fd_out", FD), A("off_out", X),
	    A("len", U), A("flags", X) } },
	{ __NR_preadv2, "preadv2", R, 6,
	  { A("fd", FD), A("iov", X), A("iovcnt", U), A("offset", D), A("pos_h", U),
	    A("rwf", RWF) } },
	{ __NR_pwritev2, "pwritev2", R, 6,
	  { A("fd", FD), A("iov", X), A("iovcnt", U), A("offset", D), A("pos_h", U),
	    A("rwf", RWF) } },
	{ __NR_io_uring_setup, "io_uring_setup", R | PCRACE_SC_FD_RESULT, 2,
	  { A("entries", U), A("params", X) } },
	{ __NR_io_uring_enter, "io_uring_enter", R, 6,
	  { A("fd", FD), A("to_submit", U), A("min_complete", U), A("flags", X),
	    A("argp", X), A("argsz", U) } },
	{ __NR_io_uring_register, "io_uring_register", R, 4,
	  { A("fd", FD), A("opcode", U), A("arg", X), A("nr_args", U) } },
	{ __NR_close_range, "close_range", R, 3,
	  { A("fd", FD), A("max_fd", FD), A("flags", X) } },
	{ __NR_openat2, "openat2", R | PCRACE_SC_FD_RESULT | PCRACE_SC_PATH1, 4,
	  { A("dfd", FD), A("path", X), A("how", X), A("size", U) } },
};

#define NSYSCALLS ARRAY_SIZE(syscalls)

const struct pcrace_syscall_desc *pcrace_syscall_at(unsigned int i)
{
	return i < NSYSCALLS ? &syscalls[i] : NULL;
}

/* dump looks up every syscall event: index by number once */
const struct pcrace_syscall_desc *pcrace_syscall_by_nr(long nr)
{
	static const struct pcrace_syscall_desc *by_nr[PCRACE_MAX_SYSCALL];
	static bool indexed;
	size_t i;

	if (!indexed) {
		for (i = 0; i < NSYSCALLS; i++)
			if (syscalls[i].nr >= 0 && syscalls[i].nr < PCRACE_MAX_SYSCALL)
				by_nr[syscalls[i].nr] = &syscalls[i];
		indexed = true;
	}
	return nr >= 0 && nr < PCRACE_MAX_SYSCALL ? by_nr[nr] : NULL;
}

const struct pcrace_syscall_desc *pcrace_syscall_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NSYSCALLS; i++)
		if (!strcmp(syscalls[i].name, name))
			return &syscalls[i];
	return NULL;
}
