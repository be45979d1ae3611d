/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wire ABI between bpf/record.bpf.c and user space.
 *
 * This header is included by both the BPF object and the user-space
 * recorder, so it includes nothing and uses only fixed-width __u* types
 * (vmlinux.h provides them on the BPF side, linux/types.h in user space).
 * Every struct is laid out by hand with explicit padding and a size check.
 *
 * Every event starts with struct pcrace_ev_hdr.  Most carry up to
 * PCRACE_NARGS 64-bit arguments whose meaning is given per type by the
 * schema in lib/event_schema.c; string events (paths, small write payloads)
 * use struct pcrace_str_event instead.
 */
#ifndef PCRACE_ABI_H
#define PCRACE_ABI_H

#define PCRACE_NARGS		7
#define PCRACE_STR_MAX		256
#define PCRACE_COMM_LEN		16

/* Event types.  Values are part of the on-disk format: append only. */
enum pcrace_ev_type {
	PCRACE_EV_NONE = 0,
	/* syscalls */
	PCRACE_EV_SYS_ENTER = 1,	/* nr, args[0..5] */
	PCRACE_EV_SYS_EXIT = 2,		/* nr, ret */
	PCRACE_EV_FD_BIND = 3,		/* fd, kdev, ino, f_flags, size, mode|magic<<32, rdev */
	PCRACE_EV_PATH = 4,		/* string: a path argument of the next SYS_ENTER */
	PCRACE_EV_DATA = 5,		/* string: payload of a write to a procfs file */
	/* tasks */
	PCRACE_EV_TASK_FORK = 6,	/* child tid, child tgid, clone flags */
	PCRACE_EV_TASK_EXIT = 7,	/* exit code */
	PCRACE_EV_TASK_EXEC = 8,	/* string: new comm */
	PCRACE_EV_LOSS = 9,		/* written by user space: lost type, count */
	/* page cache */
	PCRACE_EV_PC_ADD = 10,		/* kdev, ino, index, order, pfn */
	PCRACE_EV_PC_DELETE = 11,	/* kdev, ino, index, order, pfn */
	PCRACE_EV_PC_FAULT = 12,	/* kdev, ino, index */
	PCRACE_EV_PC_GET_PAGES = 13,	/* kdev, ino, index, last_index */
	PCRACE_EV_PC_MAP_PAGES = 14,	/* kdev, ino, index, last_index */
	PCRACE_EV_RA_SYNC = 15,		/* kdev, ino, index, req_count, size, async_size */
	PCRACE_EV_RA_ASYNC = 16,	/* kdev, ino, index, req_count, size, async_size */
	PCRACE_EV_RA_UNBOUNDED = 17,	/* kdev, ino, index, nr_to_read, lookahead */
	PCRACE_EV_WB_DIRTY_FOLIO = 18,	/* ino, index */
	PCRACE_EV_WB_WAIT_FOLIO = 19,	/* ino, index */
	PCRACE_EV_DIO_INVAL_FAIL = 20,	/* kdev, ino, size, offset, length */
	PCRACE_EV_WB_SET_ERR = 21,	/* kdev, ino, errseq */
	PCRACE_EV_TASK_COMM = 22,	/* string: comm of a task traced from now on */
	PCRACE_EV_FD_PATH = 23,		/* string: absolute path of the next FD_BIND's file */
	/* op, flags, start, length, pno: the argument of the BLKPG before it */
	PCRACE_EV_BLKPG = 24,
	/* fs_dax */
	PCRACE_EV_DAX_PMD_FAULT = 30,	/* kdev, ino, pgoff, address, flags, result, vm_flags */
	PCRACE_EV_DAX_PMD_FAULT_DONE = 31,
	PCRACE_EV_DAX_PMD_LOAD_HOLE = 32,	/* kdev, ino, address, zero_folio, entry, vm_flags */
	PCRACE_EV_DAX_PMD_LOAD_HOLE_FALLBACK = 33,
	PCRACE_EV_DAX_PMD_INSERT_MAPPING = 34,	/* kdev, ino, address, length, pfn, entry, vm_flags */
	PCRACE_EV_DAX_PTE_FAULT = 35,	/* kdev, ino, pgoff, address, flags, result, vm_flags */
	PCRACE_EV_DAX_PTE_FAULT_DONE = 36,
	PCRACE_EV_DAX_LOAD_HOLE = 37,
	PCRACE_EV_DAX_INSERT_PFN_MKWRITE_NO_ENTRY = 38,
	PCRACE_EV_DAX_INSERT_PFN_MKWRITE = 39,
	PCRACE_EV_DAX_INSERT_MAPPING = 40,	/* kdev, ino, address, entry, write, vm_flags */
	PCRACE_EV_DAX_WRITEBACK_RANGE = 41,	/* kdev, ino, start_index, end_index */
	PCRACE_EV_DAX_WRITEBACK_RANGE_DONE = 42,
	PCRACE_EV_DAX_WRITEBACK_ONE = 43,	/* kdev, ino, pgoff, pglen */
	/* kernel functions (kprobes: the test VM has them, not every host) */
	PCRACE_EV_XAS_LOAD = 60,	/* kdev, ino, index, entry */
	PCRACE_EV_XAS_STORE = 61,	/* kdev, ino, index, entry, order */
	PCRACE_EV_XAS_FIND = 62,	/* kdev, ino, index, max, entry, found_index */
	PCRACE_EV_XAS_FIND_CONFLICT = 63,	/* kdev, ino, index, entry */
	PCRACE_EV_DAX_GRAB_ENTRY = 64,	/* kdev, ino, index, order, entry */
	PCRACE_EV_DAX_GET_UNLOCKED = 65,	/* kdev, ino, index, order: wait begins */
	PCRACE_EV_DAX_GET_UNLOCKED_RET = 66,	/* kdev, ino, index, entry */
	PCRACE_EV_DAX_WAKE_ENTRY = 67,	/* kdev, ino, index, entry, mode */
	PCRACE_EV_DAX_LOCK_PAGE = 68,	/* kdev, ino, index, pfn, cookie */
	PCRACE_EV_DAX_UNLOCK_PAGE = 69,	/* kdev, ino, index, pfn, cookie */
	PCRACE_EV_DIO_WARN_STALE = 70,	/* kdev, ino */
	PCRACE_EV_USER_FAULT = 71,	/* kdev, ino, index, address, flags */
	PCRACE_EV_FILEMAP_ADD_FOLIO = 72,	/* kdev, ino, index, folio, ret */
	/*
	 * page_ref:* (CONFIG_DEBUG_PAGE_REF): kdev, ino, pfn, count, val,
	 * ret, page flags (0 in traces recorded before they were added: a
	 * page-cache page always has some)
	 */
	PCRACE_EV_PAGE_REF_SET = 73,
	PCRACE_EV_PAGE_REF_MOD = 74,
	PCRACE_EV_PAGE_REF_MOD_AND_TEST = 75,
	PCRACE_EV_PAGE_REF_MOD_AND_RETURN = 76,
	PCRACE_EV_PAGE_REF_MOD_UNLESS = 77,
	PCRACE_EV_PAGE_REF_FREEZE = 78,
	PCRACE_EV_PAGE_REF_UNFREEZE = 79,
	/* io_uring */
	/*
	 * ctx, user_data, opcode, flags, fd, off, len.  flags: IOSQE_* in
	 * the low byte; bits 32+ the op's own (fsync/sync_file_range flags,
	 * fallocate mode, fadvise advice).
	 */
	PCRACE_EV_URING_SUBMIT = 50,
	PCRACE_EV_URING_COMPLETE = 51,	/* ctx, user_data, res, cflags */
	PCRACE_EV_MAX = 96,
};

/* Common header of every event in the ring buffer and in the trace. */
struct pcrace_ev_hdr {
	__u64 ts_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 tid;
	__u32 tgid;
	__u16 type;		/* enum pcrace_ev_type */
	__u16 cpu;
	__u32 aux;		/* string events: slot of the syscall argument */
};

struct pcrace_event {
	struct pcrace_ev_hdr hdr;
	__u64 arg[PCRACE_NARGS];
};

struct pcrace_str_event {
	struct pcrace_ev_hdr hdr;
	__u32 len;		/* bytes in str, without the terminating NUL */
	__u32 _pad;
	char str[PCRACE_STR_MAX];
};

/* Key of the traced-files map: what the filemap tracepoints report. */
struct pcrace_file_key {
	__u32 kdev;		/* host inode's sb->s_dev, kernel encoding */
	__u32 _pad;
	__u64 ino;
};

/* Value of the per-(tgid, fd) map of fds whose write payload is captured. */
struct pcrace_fd_key {
	__u32 tgid;
	__s32 fd;
};

_Static_assert(sizeof(struct pcrace_ev_hdr) == 24, "pcrace_ev_hdr layout");
_Static_assert(sizeof(struct pcrace_event) == 80, "pcrace_event layout");
_Static_assert(sizeof(struct pcrace_str_event) == 288, "pcrace_str_event layout");
_Static_assert(sizeof(struct pcrace_file_key) == 16, "pcrace_file_key layout");
_Static_assert(sizeof(struct pcrace_fd_key) == 8, "pcrace_fd_key layout");

/* Capacity of the syscall-number filter (x86_64 numbers are < 512). */
#define PCRACE_MAX_SYSCALL	512

/* Values of the syscall_kind map: what the BPF side does per syscall. */
#define PCRACE_SC_RECORD	(1u << 0)	/* record entry and exit */
#define PCRACE_SC_FD_RESULT	(1u << 1)	/* result is a new fd: FD_BIND */
#define PCRACE_SC_PATH0		(1u << 2)	/* args[0] is a user path */
#define PCRACE_SC_PATH1		(1u << 3)
#define PCRACE_SC_PATH2		(1u << 4)
#define PCRACE_SC_PATH3		(1u << 5)
#define PCRACE_SC_WRITE_DATA	(1u << 6)	/* write(fd, buf, n): keep buf on procfs */
#define PCRACE_SC_CLOSE		(1u << 7)	/* close(fd): forget the fd */
#define PCRACE_SC_IOCTL		(1u << 8)	/* ioctl: BLKPG's argument is read */

#endif /* PCRACE_ABI_H */
