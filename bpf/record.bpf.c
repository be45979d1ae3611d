// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace recorder: file syscalls of the traced tasks and the page-cache,
 * writeback, readahead, DAX and io_uring events they cause.
 *
 * Only tracepoints and raw tracepoints are used, so this object loads on a
 * kernel without kprobes or fentry.  Tracepoints that a kernel lacks are
 * switched off by user space before load (bpf_program__set_autoload).
 *
 * Filtering happens here, not in user space: syscalls by the traced-task
 * map (and a syscall-number table), kernel events by the traced-file map,
 * which is filled when a traced task gets an fd for a regular file or a
 * block device.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "pcrace_abi.h"

#define S_IFMT		00170000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define PROC_SUPER_MAGIC 0x9fa0

char LICENSE[] SEC("license") = "GPL";

/*
 * Tracepoint context fields are read into locals first, then the compiler
 * is fenced: otherwise it may rematerialise ctx + (relocated offset) as
 * pointer arithmetic, which the verifier rejects ("dereference of
 * modified ctx ptr").
 */
static __always_inline void ctx_fence(void)
{
	asm volatile("" ::: "memory");
}

/* Knobs set by user space before load. */
const volatile bool follow_children = true;
const volatile bool filter_comm;
const volatile char targ_comm[PCRACE_COMM_LEN];
const volatile __u32 targ_dev;		/* --dev, kernel dev_t encoding */
const volatile __u64 targ_dir_ino;	/* --path: the directory's inode */
const volatile __u32 targ_dir_dev;	/* ... and its sb->s_dev */
const volatile bool filter_cgroup;	/* --cgroup: cgroup_scope[0] */
const volatile bool all_files;		/* kernel events for every file */
const volatile __u64 wakeup_bytes = 1 << 20;	/* see submit_flags() */

/* Ring-buffer reserve failures, per event type: never silent. */
__u64 lost[PCRACE_EV_MAX];

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);	/* resized by user space */
} events SEC(".maps");

/*
 * Traced processes, indexed by tgid: an array (sized to pid_max by user
 * space) because this lookup runs on every syscall of every task, and an
 * array lookup is inlined by the verifier where a hash lookup is a call.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32768);	/* resized to pid_max by user space */
	__type(key, __u32);		/* tgid */
	__type(value, __u8);
} traced_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct pcrace_file_key);
	__type(value, __u8);
} traced_files SEC(".maps");

/* writeback:* folio events name the inode by number only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} traced_inos SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PCRACE_MAX_SYSCALL);
	__type(key, __u32);
	__type(value, __u32);		/* PCRACE_SC_* bits, record_kind.h */
} syscall_kind SEC(".maps");

/*
 * --dev: the fd-creating syscalls of tasks not traced yet, kept from entry
 * to exit so that the open which brings a task into scope is recorded
 * whole (path and arguments), not only from its exit.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);		/* tid */
	__type(value, struct pcrace_event);
} dev_pending SEC(".maps");

/* address_space of each traced file -> its key, for the kprobes below */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct pcrace_file_key);
} traced_mappings SEC(".maps");

/*
 * pfns of traced files' page-cache pages (from mm_filemap_add_to_page_cache):
 * a page's final put comes after its mapping was cleared, so page_ref
 * events are matched by pfn as well as by mapping.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct pcrace_file_key);
} traced_pfns SEC(".maps");

/* Scratch space for building a file's path from its dentries. */
#define PATH_DEPTH	24
struct path_scratch {
	const unsigned char *names[PATH_DEPTH];
	char buf[2 * PCRACE_STR_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_scratch);
} path_scratch SEC(".maps");

/* --cgroup: the cgroup (v2) whose tasks, descendants included, are traced */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_scope SEC(".maps");

/* fds on procfs (drop_caches and friends): their write payload is kept. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct pcrace_fd_key);
	__type(value, __u8);
} capture_fds SEC(".maps");

/*
 * Waking the consumer on every event costs an irq_work and a context
 * switch per event; instead wake it only once wakeup_bytes are queued, and
 * let it poll on a short timeout for the rest.
 */
static __always_inline __u64 submit_flags(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void count_lost(__u32 type)
{
	if (type < PCRACE_EV_MAX)
		__sync_fetch_and_add(&lost[type], 1);
}

static __always_inline void fill_hdr(struct pcrace_ev_hdr *h, __u16 type)
{
	__u64 id = bpf_get_current_pid_tgid();

	h->ts_ns = bpf_ktime_get_ns();
	h->tid = (__u32)id;
	h->tgid = id >> 32;
	h->type = type;
	h->cpu = bpf_get_smp_processor_id();
	h->aux = 0;
}

static __always_inline struct pcrace_event *ev_reserve(__u16 type)
{
	struct pcrace_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(type);
		return NULL;
	}
	fill_hdr(&e->hdr, type);
	/* ring-buffer memory is not zeroed: unused args must not leak */
	e->arg[0] = 0;
	e->arg[1] = 0;
	e->arg[2] = 0;
	e->arg[3] = 0;
	e->arg[4] = 0;
	e->arg[5] = 0;
	e->arg[6] = 0;
	return e;
}

static __always_inline void emit7(__u16 type, __u64 a0, __u64 a1, __u64 a2,
				  __u64 a3, __u64 a4, __u64 a5, __u64 a6)
{
	struct pcrace_event *e = ev_reserve(type);

	if (!e)
		return;
	e->arg[0] = a0;
	e->arg[1] = a1;
	e->arg[2] = a2;
	e->arg[3] = a3;
	e->arg[4] = a4;
	e->arg[5] = a5;
	e->arg[6] = a6;
	bpf_ringbuf_submit(e, submit_flags());
}

static __always_inline void emit_user_str(__u16 type, __u32 slot,
					  const void *uptr, __u32 n, bool is_str)
{
	struct pcrace_str_event *e;
	long r;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(type);
		return;
	}
	fill_hdr(&e->hdr, type);
	e->hdr.aux = slot;
	e->_pad = 0;
	if (is_str) {
		r = bpf_probe_read_user_str(e->str, sizeof(e->str), uptr);
		/* r counts the NUL */
		e->len = r > 0 ? r - 1 : 0;
	} else {
		n &= PCRACE_STR_MAX - 1;
		r = bpf_probe_read_user(e->str, n, uptr);
		e->len = r == 0 ? n : 0;
	}
	if (r < 0)
		e->str[0] = 0;
	bpf_ringbuf_submit(e, submit_flags());
}

static __always_inline bool comm_matches(void)
{
	char comm[PCRACE_COMM_LEN];
	int i;

	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i < PCRACE_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

static __always_inline bool task_traced(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u8 *on = bpf_map_lookup_elem(&traced_tgids, &tgid);

	if (on && *on)
		return true;
	if (filter_cgroup && bpf_current_task_under_cgroup(&cgroup_scope, 0) == 1)
		return true;
	return filter_comm && comm_matches();
}

static __always_inline bool file_traced(__u32 kdev, __u64 ino)
{
	struct pcrace_file_key k = { .kdev = kdev, .ino = ino };

	if (all_files)
		return true;
	if (targ_dev && kdev == targ_dev)
		return true;
	return bpf_map_lookup_elem(&traced_files, &k) != NULL;
}

/* --dev and --path bring tasks into scope by the files they open. */
static __always_inline bool file_scope(void)
{
	return targ_dev || targ_dir_ino;
}

#define PATH_WALK_DEPTH	32

/* Is the file below the --path directory?  Walks up its dentries. */
static __always_inline bool under_targ_dir(struct file *f)
{
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry), *parent;
	struct inode *di;
	int i;

	for (i = 0; i < PATH_WALK_DEPTH && d; i++) {
		di = BPF_CORE_READ(d, d_inode);
		if (BPF_CORE_READ(di, i_ino) == targ_dir_ino &&
		    BPF_CORE_READ(di, i_sb, s_dev) == targ_dir_dev)
			return true;
		parent = BPF_CORE_READ(d, d_parent);
		if (parent == d)
			break;		/* the file system's root */
		d = parent;
	}
	return false;
}

#define PF_KTHREAD	0x00200000

static __always_inline bool kernel_thread(void)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	return BPF_CORE_READ(task, flags) & PF_KTHREAD;
}

/*
 * Read-side events (adds, faults, lookups, readahead) on a traced file
 * count when a traced task or a kernel thread (writeback, kswapd) makes
 * them: other tasks mapping the same shared library are noise.  Deletes,
 * writeback, invalidation and reference changes count from any task: an
 * untraced task's direct reclaim is part of the race.
 */
static __always_inline bool reader_traced(void)
{
	return all_files || task_traced() || kernel_thread();
}

static __always_inline bool file_read_traced(__u32 kdev, __u64 ino)
{
	return file_traced(kdev, ino) && reader_traced();
}

static __always_inline __u32 *kind_of(long nr)
{
	__u32 k = nr;

	if (nr < 0 || nr >= PCRACE_MAX_SYSCALL)
		return NULL;
	return bpf_map_lookup_elem(&syscall_kind, &k);
}

/*
 * The syscall hooks are raw tracepoints: a classic raw_syscalls
 * tracepoint copies the id and six arguments into a perf buffer for every
 * syscall of every task on the machine before the program can drop it.
 * Here nothing is read until the syscall number says the call is one
 * pcrace keeps (cached 4 KiB preads under record: 7% more calls per
 * second than with the classic tracepoints, bench/record_overhead.sh).
 */
struct syscall_args {
	__u64 r10, r9, r8, ax, cx, dx, si, di;
};

/*
 * x86-64 passes syscall arguments in di, si, dx, r10, r8, r9, which lie
 * together in struct pt_regs from r10 to di (the ptrace user ABI, so the
 * layout is fixed): one read fetches all six.
 */
static __always_inline int read_syscall_args(struct pt_regs *regs, __u64 *a)
{
	struct syscall_args r;

	if (bpf_probe_read_kernel(&r, sizeof(r), (void *)regs +
				  bpf_core_field_offset(struct pt_regs, r10)))
		return -1;
	a[0] = r.di;
	a[1] = r.si;
	a[2] = r.dx;
	a[3] = r.r10;
	a[4] = r.r8;
	a[5] = r.r9;
	return 0;
}

#define BLKPG	0x1269	/* _IO(0x12, 105) */

/*
 * BLKPG adds, deletes and resizes partitions (parted does it partition by
 * partition): its argument points at the partition, which replay needs to
 * issue the same call.  The names in it are ignored by the kernel.
 */
static __always_inline void emit_blkpg(const void *uarg)
{
	struct blkpg_ioctl_arg a;
	struct blkpg_partition part = {};

	if (bpf_probe_read_user(&a, sizeof(a), uarg))
		return;
	if (a.data)
		bpf_probe_read_user(&part, __builtin_offsetof(struct blkpg_partition,
							      devname), a.data);
	emit7(PCRACE_EV_BLKPG, a.op, a.flags, part.start, part.length,
	      part.pno, 0, 0);
}

SEC("raw_tp/sys_enter")
int handle_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (void *)ctx->args[0];
	long nr = ctx->args[1];
	struct pcrace_event *e;
	__u64 a[6];
	__u32 *kind, k;

	kind = kind_of(nr);
	if (!kind || !*kind)
		return 0;
	k = *kind;
	/* the arguments are loaded only for syscalls that are kept */
	if (read_syscall_args(regs, a))
		return 0;
	if (!task_traced()) {
		if (file_scope() && (k & PCRACE_SC_FD_RESULT)) {
			struct pcrace_event pe = {};
			__u32 tid = (__u32)bpf_get_current_pid_tgid();

			fill_hdr(&pe.hdr, PCRACE_EV_SYS_ENTER);
			pe.arg[0] = nr;
			__builtin_memcpy(&pe.arg[1], a, sizeof(a));
			bpf_map_update_elem(&dev_pending, &tid, &pe, BPF_ANY);
		}
		return 0;
	}

	/* path arguments precede their SYS_ENTER, one string event each */
	if (k & PCRACE_SC_PATH0)
		emit_user_str(PCRACE_EV_PATH, 0, (void *)a[0], 0, true);
	if (k & PCRACE_SC_PATH1)
		emit_user_str(PCRACE_EV_PATH, 1, (void *)a[1], 0, true);
	if (k & PCRACE_SC_PATH2)
		emit_user_str(PCRACE_EV_PATH, 2, (void *)a[2], 0, true);
	if (k & PCRACE_SC_PATH3)
		emit_user_str(PCRACE_EV_PATH, 3, (void *)a[3], 0, true);

	if (k & (PCRACE_SC_WRITE_DATA | PCRACE_SC_CLOSE)) {
		struct pcrace_fd_key fk = {
			.tgid = bpf_get_current_pid_tgid() >> 32,
			.fd = (__s32)a[0],
		};

		if (bpf_map_lookup_elem(&capture_fds, &fk)) {
			if (k & PCRACE_SC_WRITE_DATA)
				emit_user_str(PCRACE_EV_DATA, 1, (void *)a[1],
					      a[2] < PCRACE_STR_MAX ?
					      a[2] : PCRACE_STR_MAX - 1, false);
			else
				bpf_map_delete_elem(&capture_fds, &fk);
		}
	}

	e = ev_reserve(PCRACE_EV_SYS_ENTER);
	if (!e)
		return 0;
	e->arg[0] = nr;
	__builtin_memcpy(&e->arg[1], a, sizeof(a));
	bpf_ringbuf_submit(e, submit_flags());
	if ((k & PCRACE_SC_IOCTL) && (__u32)a[1] == BLKPG)
		emit_blkpg((const void *)a[2]);
	return 0;
}

/*
 * Resolve a new fd to its file and emit FD_BIND.  The traced-file key is
 * the mapping's host inode, which is what the filemap tracepoints report
 * (for a block device that is the bdev inode, not the /dev node).
 * Returns true when the task is (or, with --dev, just became) traced.
 */
/*
 * A task enters the --dev scope at the exit of the open that touched the
 * device: emit its comm, then the open's path and entry as recorded at
 * entry (with the entry's timestamp), so the trace holds the whole call.
 */
static __always_inline void enter_scope(__u32 kind)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pcrace_str_event *s;
	struct pcrace_event *pe, *e;

	s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);
	if (s) {
		fill_hdr(&s->hdr, PCRACE_EV_TASK_COMM);
		s->_pad = 0;
		__builtin_memset(s->str, 0, PCRACE_COMM_LEN);
		bpf_get_current_comm(s->str, PCRACE_COMM_LEN);
		s->len = PCRACE_COMM_LEN - 1;
		bpf_ringbuf_submit(s, submit_flags());
	} else {
		count_lost(PCRACE_EV_TASK_COMM);
	}
	pe = bpf_map_lookup_elem(&dev_pending, &tid);
	if (!pe)
		return;
	if (kind & PCRACE_SC_PATH0)
		emit_user_str(PCRACE_EV_PATH, 0, (void *)pe->arg[1], 0, true);
	if (kind & PCRACE_SC_PATH1)
		emit_user_str(PCRACE_EV_PATH, 1, (void *)pe->arg[2], 0, true);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(PCRACE_EV_SYS_ENTER);
		return;
	}
	__builtin_memcpy(e, pe, sizeof(*e));
	bpf_ringbuf_submit(e, submit_flags());
}

/* State of the walk up a file's dentries, for bpf_loop(). */
struct path_walk {
	struct path_scratch *ps;
	struct dentry *root_d;		/* the task's root (chroot aware) */
	struct vfsmount *root_mnt;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	struct dentry *d;
	int n;
	__u32 off;
};

/* One step up: a dentry's name, or a jump from a mount's root to its mount point. */
static long path_up(__u32 i, void *arg)
{
	/* locals, not w->...: BPF_CORE_READ would relocate path_walk too */
	struct path_walk *w = arg;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt, *mparent;
	struct dentry *d = w->d, *root, *parent;

	if (d == w->root_d && vfsmnt == w->root_mnt)
		return 1;		/* the task's root, where d_path() stops */
	root = BPF_CORE_READ(vfsmnt, mnt_root);
	parent = BPF_CORE_READ(d, d_parent);
	if (d == root || d == parent) {
		mparent = BPF_CORE_READ(mnt, mnt_parent);
		if (mparent == mnt || !mparent)
			return 1;	/* the namespace root */
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mparent;
		w->vfsmnt = (void *)mparent +
			    bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	if (w->n >= PATH_DEPTH || w->n < 0)
		return 1;
	w->ps->names[w->n++] = BPF_CORE_READ(d, d_name.name);
	w->d = parent;
	return 0;
}

/* Append one component, outermost first. */
static long path_put(__u32 i, void *arg)
{
	struct path_walk *w = arg;
	int k = w->n - 1 - (int)i;
	long r;

	if (k < 0 || k >= PATH_DEPTH)
		return 1;
	w->off &= PCRACE_STR_MAX - 1;
	w->ps->buf[w->off++] = '/';
	w->off &= PCRACE_STR_MAX - 1;
	r = bpf_probe_read_kernel_str(&w->ps->buf[w->off], PCRACE_STR_MAX,
				      w->ps->names[k]);
	if (r > 1)
		w->off += r - 1;
	if (w->off >= PCRACE_STR_MAX - 1) {
		w->off = PCRACE_STR_MAX - 1;
		return 1;
	}
	return 0;
}

/*
 * The file's absolute path, from its dentries up to the root of its mount
 * and across mount points to the task's root: bpf_d_path() is not
 * available to tracepoint programs, and user space may look too late
 * (/proc/PID/fd/N is gone with a short-lived task).  Deeper than
 * PATH_DEPTH components, the top of the path is cut and the result starts
 * with "...".  Emitted as FD_PATH just before the FD_BIND it names.
 * bpf_loop() keeps the verifier's work to one pass over each step.
 */
static __always_inline void emit_fd_path(struct file *f, int fd)
{
	struct path_walk w = {};
	struct task_struct *task;
	struct pcrace_str_event *e;
	__u32 zero = 0, len;

	w.ps = bpf_map_lookup_elem(&path_scratch, &zero);
	if (!w.ps)
		return;
	task = (void *)bpf_get_current_task();
	w.root_d = BPF_CORE_READ(task, fs, root.dentry);
	w.root_mnt = BPF_CORE_READ(task, fs, root.mnt);
	w.vfsmnt = BPF_CORE_READ(f, f_path.mnt);
	w.d = BPF_CORE_READ(f, f_path.dentry);
	w.mnt = (void *)w.vfsmnt - bpf_core_field_offset(struct mount, mnt);
	bpf_loop(PATH_DEPTH + 8, path_up, &w, 0);
	if (w.n >= PATH_DEPTH) {
		w.ps->buf[0] = '.';
		w.ps->buf[1] = '.';
		w.ps->buf[2] = '.';
		w.off = 3;
	}
	if (w.n)
		bpf_loop(PATH_DEPTH, path_put, &w, 0);
	else
		w.ps->buf[w.off++ & (PCRACE_STR_MAX - 1)] = '/';

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(PCRACE_EV_FD_PATH);
		return;
	}
	fill_hdr(&e->hdr, PCRACE_EV_FD_PATH);
	e->hdr.aux = fd;
	e->_pad = 0;
	len = w.off & (PCRACE_STR_MAX - 1);
	asm volatile("" : "+r"(len));	/* keep the bounded copy */
	len &= PCRACE_STR_MAX - 1;
	e->len = len;
	bpf_probe_read_kernel(e->str, PCRACE_STR_MAX, w.ps->buf);
	e->str[len] = 0;
	bpf_ringbuf_submit(e, submit_flags());
}

static __always_inline bool bind_fd(int fd, bool traced, __u32 kind)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct pcrace_file_key key = {};
	struct file **fdarr, *f = NULL;
	struct inode *host, *inode;
	__u32 max_fds, dev, rdev, tgid;
	__u64 magic;
	__u16 mode;
	__u8 one = 1;

	fdarr = BPF_CORE_READ(task, files, fdt, fd);
	max_fds = BPF_CORE_READ(task, files, fdt, max_fds);
	if ((__u32)fd >= max_fds)
		return traced;
	bpf_probe_read_kernel(&f, sizeof(f), &fdarr[fd]);
	if (!f)
		return traced;
	inode = BPF_CORE_READ(f, f_inode);
	host = BPF_CORE_READ(f, f_mapping, host);
	if (!host)
		host = inode;
	mode = BPF_CORE_READ(inode, i_mode);
	dev = BPF_CORE_READ(inode, i_sb, s_dev);
	rdev = BPF_CORE_READ(inode, i_rdev);
	magic = BPF_CORE_READ(inode, i_sb, s_magic);

	if (!traced && file_scope()) {
		bool match = false;

		if (targ_dev)
			match = dev == targ_dev ||
				((mode & S_IFMT) == S_IFBLK && rdev == targ_dev);
		if (!match && targ_dir_ino)
			match = under_targ_dir(f);
		if (!match)
			return false;
		tgid = bpf_get_current_pid_tgid() >> 32;
		bpf_map_update_elem(&traced_tgids, &tgid, &one, BPF_ANY);
		enter_scope(kind);
	} else if (!traced) {
		return false;
	}

	key.kdev = BPF_CORE_READ(host, i_sb, s_dev);
	key.ino = BPF_CORE_READ(host, i_ino);
	if ((mode & S_IFMT) == S_IFREG || (mode & S_IFMT) == S_IFBLK) {
		__u64 mapping = (__u64)BPF_CORE_READ(f, f_mapping);

		emit_fd_path(f, fd);
		bpf_map_update_elem(&traced_files, &key, &one, BPF_ANY);
		if (mapping)
			bpf_map_update_elem(&traced_mappings, &mapping, &key,
					    BPF_ANY);
		bpf_map_update_elem(&traced_inos, &key.ino, &one, BPF_ANY);
	}
	if (magic == PROC_SUPER_MAGIC) {
		struct pcrace_fd_key fk = {
			.tgid = bpf_get_current_pid_tgid() >> 32,
			.fd = fd,
		};

		bpf_map_update_elem(&capture_fds, &fk, &one, BPF_ANY);
	}
	emit7(PCRACE_EV_FD_BIND, fd, key.kdev, key.ino,
	      BPF_CORE_READ(f, f_flags), BPF_CORE_READ(host, i_size),
	      mode | magic << 32, rdev);
	return true;
}

SEC("raw_tp/sys_exit")
int handle_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (void *)ctx->args[0];
	long ret = ctx->args[1], nr;
	struct pcrace_event *e;
	__u32 *kind, k;
	bool traced;

	/* the syscall number, as syscall_get_nr() finds it */
	nr = BPF_CORE_READ(regs, orig_ax);
	kind = kind_of(nr);
	if (!kind || !*kind)
		return 0;
	k = *kind;
	traced = task_traced();
	if (!traced && !(file_scope() && (k & PCRACE_SC_FD_RESULT)))
		return 0;
	if ((k & PCRACE_SC_FD_RESULT) && ret >= 0)
		traced = bind_fd(ret, traced, k);
	if (file_scope() && (k & PCRACE_SC_FD_RESULT)) {
		__u32 tid = (__u32)bpf_get_current_pid_tgid();

		bpf_map_delete_elem(&dev_pending, &tid);
	}
	if (!traced)
		return 0;

	e = ev_reserve(PCRACE_EV_SYS_EXIT);
	if (!e)
		return 0;
	e->arg[0] = nr;
	e->arg[1] = ret;
	bpf_ringbuf_submit(e, submit_flags());
	return 0;
}

SEC("raw_tracepoint/sched_process_fork")
int handle_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (void *)ctx->args[0];
	struct task_struct *child = (void *)ctx->args[1];
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u32 cpid = BPF_CORE_READ(child, pid);
	__u8 *on = bpf_map_lookup_elem(&traced_tgids, &ptgid);
	__u8 one = 1;

	if (!(on && *on) && !(filter_comm && comm_matches()))
		return 0;
	if (follow_children && ctgid != ptgid)
		bpf_map_update_elem(&traced_tgids, &ctgid, &one, BPF_ANY);
	emit7(PCRACE_EV_TASK_FORK, cpid, ctgid, 0, 0, 0, 0, 0);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	if (!task_traced())
		return 0;
	emit7(PCRACE_EV_TASK_EXIT, BPF_CORE_READ(task, exit_code),
	      0, 0, 0, 0, 0, 0);
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	struct pcrace_str_event *e;

	if (!task_traced())
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(PCRACE_EV_TASK_EXEC);
		return 0;
	}
	fill_hdr(&e->hdr, PCRACE_EV_TASK_EXEC);
	e->_pad = 0;
	__builtin_memset(e->str, 0, PCRACE_COMM_LEN);
	bpf_get_current_comm(e->str, PCRACE_COMM_LEN);
	e->len = PCRACE_COMM_LEN - 1;
	bpf_ringbuf_submit(e, submit_flags());
	return 0;
}

/*
 * A tracepoint program, handle_<prog>, that hands its context to a helper
 * shared by the events of one class, with the pcrace event type to emit.
 */
#define TP_WRAP(group, name, prog, ctx_type, helper, type)		\
SEC("tracepoint/" #group "/" #name)					\
int handle_##prog(struct ctx_type *ctx)					\
{									\
	helper(type, ctx);						\
	return 0;							\
}

/* ---- page cache ---------------------------------------------------- */

/*
 * mm_filemap_op_page_cache gained "order" with large folios in the page
 * cache (v6.3?); on kernels without it the folio order is reported as 0.
 */
static __always_inline void pc_op(__u16 type,
				  struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	__u32 dev = ctx->s_dev;
	__u64 ino = ctx->i_ino, index = ctx->index, pfn = ctx->pfn, order = 0;

	if (bpf_core_field_exists(ctx->order))
		order = ctx->order;
	ctx_fence();
	if (type == PCRACE_EV_PC_ADD && file_traced(dev, ino)) {
		struct pcrace_file_key k = { .kdev = dev, .ino = ino };

		bpf_map_update_elem(&traced_pfns, &pfn, &k, BPF_ANY);
	}
	if (type == PCRACE_EV_PC_DELETE ? file_traced(dev, ino) :
	    file_read_traced(dev, ino))
		emit7(type, dev, ino, index, order, pfn, 0, 0);
}

TP_WRAP(filemap, mm_filemap_add_to_page_cache, pc_add,
	trace_event_raw_mm_filemap_op_page_cache,
	pc_op, PCRACE_EV_PC_ADD)

TP_WRAP(filemap, mm_filemap_delete_from_page_cache, pc_delete,
	trace_event_raw_mm_filemap_op_page_cache,
	pc_op, PCRACE_EV_PC_DELETE)

SEC("tracepoint/filemap/mm_filemap_fault")
int handle_pc_fault(struct trace_event_raw_mm_filemap_fault *ctx)
{
	__u32 dev = ctx->s_dev;
	__u64 ino = ctx->i_ino, index = ctx->index;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(PCRACE_EV_PC_FAULT, dev, ino, index, 0, 0, 0, 0);
	return 0;
}

/* The key of a traced fd's address_space (f_mapping), or NULL. */
static __always_inline struct pcrace_file_key *mapping_key(const void *mapping)
{
	__u64 m = (__u64)mapping;

	return bpf_map_lookup_elem(&traced_mappings, &m);
}

/*
 * The key of a page-cache mapping in *k, and whether its file is traced.
 * A traced fd's mapping is in traced_mappings, so most calls cost one
 * lookup of the pointer; only --dev and --all-files scopes, which trace
 * files no traced fd has opened, read the inode (as the classic
 * tracepoints' TP_fast_assign does).
 */
static __always_inline bool mapping_file(struct address_space *mapping,
					 struct pcrace_file_key *k)
{
	struct pcrace_file_key *hit = mapping_key(mapping);
	struct inode *host;

	if (hit) {
		*k = *hit;
		return true;
	}
	if (!all_files && !targ_dev)
		return false;
	host = BPF_CORE_READ(mapping, host);
	k->ino = BPF_CORE_READ(host, i_ino);
	if (BPF_CORE_READ(host, i_sb))
		k->kdev = BPF_CORE_READ(host, i_sb, s_dev);
	else
		k->kdev = BPF_CORE_READ(host, i_rdev);
	return file_traced(k->kdev, k->ino);
}

/*
 * get_pages and map_pages fire on every buffered read and fault-around:
 * raw tracepoints, for the reason given at handle_sys_enter.
 */
static __always_inline void pc_range(__u16 type,
				     struct bpf_raw_tracepoint_args *ctx)
{
	struct address_space *mapping = (void *)ctx->args[0];
	__u64 index = ctx->args[1], last = ctx->args[2];
	struct pcrace_file_key k;

	if (mapping_file(mapping, &k) && reader_traced())
		emit7(type, k.kdev, k.ino, index, last, 0, 0, 0);
}

SEC("raw_tp/mm_filemap_get_pages")
int handle_pc_get_pages(struct bpf_raw_tracepoint_args *ctx)
{
	pc_range(PCRACE_EV_PC_GET_PAGES, ctx);
	return 0;
}

SEC("raw_tp/mm_filemap_map_pages")
int handle_pc_map_pages(struct bpf_raw_tracepoint_args *ctx)
{
	pc_range(PCRACE_EV_PC_MAP_PAGES, ctx);
	return 0;
}

SEC("tracepoint/filemap/filemap_set_wb_err")
int handle_wb_set_err(struct trace_event_raw_filemap_set_wb_err *ctx)
{
	__u32 dev = ctx->s_dev, errseq = ctx->errseq;
	__u64 ino = ctx->i_ino;

	ctx_fence();
	if (file_traced(dev, ino))
		emit7(PCRACE_EV_WB_SET_ERR, dev, ino, errseq, 0, 0, 0, 0);
	return 0;
}

static __always_inline void ra_op(__u16 type,
				  struct trace_event_raw_page_cache_ra_op *ctx)
{
	__u32 dev = ctx->s_dev, size = ctx->size, async = ctx->async_size;
	__u64 ino = ctx->i_ino, index = ctx->index, req = ctx->req_count;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(type, dev, ino, index, req, size, async, 0);
}

TP_WRAP(readahead, page_cache_sync_ra, ra_sync,
	trace_event_raw_page_cache_ra_op,
	ra_op, PCRACE_EV_RA_SYNC)

TP_WRAP(readahead, page_cache_async_ra, ra_async,
	trace_event_raw_page_cache_ra_op,
	ra_op, PCRACE_EV_RA_ASYNC)

SEC("tracepoint/readahead/page_cache_ra_unbounded")
int handle_ra_unbounded(struct trace_event_raw_page_cache_ra_unbounded *ctx)
{
	__u32 dev = ctx->s_dev;
	__u64 ino = ctx->i_ino, index = ctx->index, nr = ctx->nr_to_read;
	__u64 la = ctx->lookahead_size;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(PCRACE_EV_RA_UNBOUNDED, dev, ino, index, nr, la, 0, 0);
	return 0;
}

static __always_inline void wb_folio(__u16 type,
				     struct trace_event_raw_writeback_folio_template *ctx)
{
	__u64 ino = ctx->ino, index = ctx->index;

	ctx_fence();
	if (all_files || bpf_map_lookup_elem(&traced_inos, &ino))
		emit7(type, ino, index, 0, 0, 0, 0, 0);
}

TP_WRAP(writeback, writeback_dirty_folio, wb_dirty,
	trace_event_raw_writeback_folio_template,
	wb_folio, PCRACE_EV_WB_DIRTY_FOLIO)

TP_WRAP(writeback, folio_wait_writeback, wb_wait,
	trace_event_raw_writeback_folio_template,
	wb_folio, PCRACE_EV_WB_WAIT_FOLIO)

SEC("tracepoint/iomap/iomap_dio_invalidate_fail")
int handle_dio_inval_fail(struct trace_event_raw_iomap_range_class *ctx)
{
	__u32 dev = ctx->dev;
	__u64 ino = ctx->ino, size = ctx->size, off = ctx->offset;
	__u64 len = ctx->length;

	ctx_fence();
	if (file_traced(dev, ino))
		emit7(PCRACE_EV_DIO_INVAL_FAIL, dev, ino, size, off, len, 0, 0);
	return 0;
}

/* ---- fs_dax -------------------------------------------------------- */

static __always_inline void dax_pmd(__u16 type,
				    struct trace_event_raw_dax_pmd_fault_class *ctx)
{
	__u32 dev = ctx->dev, flags = ctx->flags;
	__s64 result = ctx->result;
	__u64 ino = ctx->ino, pgoff = ctx->pgoff, addr = ctx->address;
	__u64 vm_flags = ctx->vm_flags;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(type, dev, ino, pgoff, addr, flags, result, vm_flags);
}

TP_WRAP(fs_dax, dax_pmd_fault, dax_pmd_fault,
	trace_event_raw_dax_pmd_fault_class,
	dax_pmd, PCRACE_EV_DAX_PMD_FAULT)

TP_WRAP(fs_dax, dax_pmd_fault_done, dax_pmd_fault_done,
	trace_event_raw_dax_pmd_fault_class,
	dax_pmd, PCRACE_EV_DAX_PMD_FAULT_DONE)

static __always_inline void dax_pmd_hole(__u16 type,
					 struct trace_event_raw_dax_pmd_load_hole_class *ctx)
{
	__u32 dev = ctx->dev;
	__u64 ino = ctx->ino, addr = ctx->address;
	__u64 entry = (__u64)ctx->radix_entry, vm_flags = ctx->vm_flags;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(type, dev, ino, addr, 0, entry, vm_flags, 0);
}

TP_WRAP(fs_dax, dax_pmd_load_hole, dax_pmd_load_hole,
	trace_event_raw_dax_pmd_load_hole_class,
	dax_pmd_hole, PCRACE_EV_DAX_PMD_LOAD_HOLE)

TP_WRAP(fs_dax, dax_pmd_load_hole_fallback, dax_pmd_load_hole_fallback,
	trace_event_raw_dax_pmd_load_hole_class,
	dax_pmd_hole, PCRACE_EV_DAX_PMD_LOAD_HOLE_FALLBACK)

/*
 * dax_pmd_insert_mapping and dax_insert_mapping exist in 6.1 but were
 * removed later (their classes are absent from newer BTF), so their
 * context layouts are declared here as CO-RE flavors of the 6.1 structs.
 */
struct trace_event_raw_dax_pmd_insert_mapping_class___v61 {
	struct trace_entry ent;
	unsigned long ino;
	unsigned long vm_flags;
	unsigned long address;
	long length;
	u64 pfn_val;
	void *radix_entry;
	dev_t dev;
	int write;
} __attribute__((preserve_access_index));

struct trace_event_raw_dax_insert_mapping___v61 {
	struct trace_entry ent;
	unsigned long ino;
	unsigned long vm_flags;
	unsigned long address;
	void *radix_entry;
	dev_t dev;
	int write;
} __attribute__((preserve_access_index));

SEC("tracepoint/fs_dax/dax_pmd_insert_mapping")
int handle_dax_pmd_insert_mapping(struct trace_event_raw_dax_pmd_insert_mapping_class___v61 *ctx)
{
	__u32 dev = ctx->dev;
	__u64 ino = ctx->ino, addr = ctx->address, len = ctx->length;
	__u64 pfn = ctx->pfn_val, entry = (__u64)ctx->radix_entry;
	__u64 vm_flags = ctx->vm_flags;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(PCRACE_EV_DAX_PMD_INSERT_MAPPING, dev, ino, addr, len,
		      pfn, entry, vm_flags);
	return 0;
}

SEC("tracepoint/fs_dax/dax_insert_mapping")
int handle_dax_insert_mapping(struct trace_event_raw_dax_insert_mapping___v61 *ctx)
{
	__u32 dev = ctx->dev, write = ctx->write;
	__u64 ino = ctx->ino, addr = ctx->address;
	__u64 entry = (__u64)ctx->radix_entry, vm_flags = ctx->vm_flags;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(PCRACE_EV_DAX_INSERT_MAPPING, dev, ino, addr, entry,
		      write, vm_flags, 0);
	return 0;
}

static __always_inline void dax_pte(__u16 type,
				    struct trace_event_raw_dax_pte_fault_class *ctx)
{
	__u32 dev = ctx->dev, flags = ctx->flags;
	__s64 result = ctx->result;
	__u64 ino = ctx->ino, pgoff = ctx->pgoff, addr = ctx->address;
	__u64 vm_flags = ctx->vm_flags;

	ctx_fence();
	if (file_read_traced(dev, ino))
		emit7(type, dev, ino, pgoff, addr, flags, result, vm_flags);
}

TP_WRAP(fs_dax, dax_pte_fault, dax_pte_fault,
	trace_event_raw_dax_pte_fault_class,
	dax_pte, PCRACE_EV_DAX_PTE_FAULT)

TP_WRAP(fs_dax, dax_pte_fault_done, dax_pte_fault_done,
	trace_event_raw_dax_pte_fault_class,
	dax_pte, PCRACE_EV_DAX_PTE_FAULT_DONE)

TP_WRAP(fs_dax, dax_load_hole, dax_load_hole,
	trace_event_raw_dax_pte_fault_class,
	dax_pte, PCRACE_EV_DAX_LOAD_HOLE)

TP_WRAP(fs_dax, dax_insert_pfn_mkwrite_no_entry, dax_mkwrite_no_entry,
	trace_event_raw_dax_pte_fault_class,
	dax_pte, PCRACE_EV_DAX_INSERT_PFN_MKWRITE_NO_ENTRY)

TP_WRAP(fs_dax, dax_insert_pfn_mkwrite, dax_mkwrite,
	trace_event_raw_dax_pte_fault_class,
	dax_pte, PCRACE_EV_DAX_INSERT_PFN_MKWRITE)

static __always_inline void dax_wb_range(__u16 type,
					 struct trace_event_raw_dax_writeback_range_class *ctx)
{
	__u32 dev = ctx->dev;
	__u64 ino = ctx->ino, start = ctx->start_index, end = ctx->end_index;

	ctx_fence();
	if (file_traced(dev, ino))
		emit7(type, dev, ino, start, end, 0, 0, 0);
}

TP_WRAP(fs_dax, dax_writeback_range, dax_wb_range,
	trace_event_raw_dax_writeback_range_class,
	dax_wb_range, PCRACE_EV_DAX_WRITEBACK_RANGE)

TP_WRAP(fs_dax, dax_writeback_range_done, dax_wb_range_done,
	trace_event_raw_dax_writeback_range_class,
	dax_wb_range, PCRACE_EV_DAX_WRITEBACK_RANGE_DONE)

SEC("tracepoint/fs_dax/dax_writeback_one")
int handle_dax_wb_one(struct trace_event_raw_dax_writeback_one *ctx)
{
	__u32 dev = ctx->dev;
	__u64 ino = ctx->ino, pgoff = ctx->pgoff, pglen = ctx->pglen;

	ctx_fence();
	if (file_traced(dev, ino))
		emit7(PCRACE_EV_DAX_WRITEBACK_ONE, dev, ino, pgoff, pglen,
		      0, 0, 0);
	return 0;
}

/* ---- io_uring ------------------------------------------------------ */

/*
 * The read/write opcodes keep their io_rw at the start of the request
 * (io_kiocb_to_cmd()), already prepared when io_uring_submit_req fires:
 * offset and length come from there, the fd from req->cqe.fd.
 */
#define IORING_OP_READV		1
#define IORING_OP_WRITEV	2
#define IORING_OP_READ_FIXED	4
#define IORING_OP_WRITE_FIXED	5
#define IORING_OP_READ		22
#define IORING_OP_WRITE		23
/* io_sync (fsync, sync_file_range, fallocate) and io_fadvise likewise */
#define IORING_OP_FSYNC		3
#define IORING_OP_SYNC_FILE_RANGE 8
#define IORING_OP_FALLOCATE	17
#define IORING_OP_FADVISE	24

static __always_inline void uring_submit(struct io_kiocb *req, __u8 op,
					 __u64 uctx, __u64 user_data,
					 __u64 flags)
{
	__u64 off = 0, len = 0;

	if (!task_traced())
		return;
	if (op == IORING_OP_READV || op == IORING_OP_WRITEV ||
	    op == IORING_OP_READ_FIXED || op == IORING_OP_WRITE_FIXED ||
	    op == IORING_OP_READ || op == IORING_OP_WRITE) {
		struct io_rw *rw = (void *)req;

		off = BPF_CORE_READ(rw, kiocb.ki_pos);
		len = BPF_CORE_READ(rw, len);
	} else if (op == IORING_OP_FSYNC || op == IORING_OP_SYNC_FILE_RANGE ||
		   op == IORING_OP_FALLOCATE) {
		struct io_sync *sync = (void *)req;

		off = BPF_CORE_READ(sync, off);
		len = BPF_CORE_READ(sync, len);
		flags |= (__u64)(__u32)(op == IORING_OP_FALLOCATE ?
					BPF_CORE_READ(sync, mode) :
					BPF_CORE_READ(sync, flags)) << 32;
	} else if (op == IORING_OP_FADVISE) {
		struct io_fadvise *fa = (void *)req;

		off = BPF_CORE_READ(fa, offset);
		len = BPF_CORE_READ(fa, len);
		flags |= (__u64)BPF_CORE_READ(fa, advice) << 32;
	}
	emit7(PCRACE_EV_URING_SUBMIT, uctx, user_data, op, flags,
	      (__s64)BPF_CORE_READ(req, cqe.fd), off, len);
}

SEC("tracepoint/io_uring/io_uring_submit_req")
int handle_uring_submit(struct trace_event_raw_io_uring_submit_req *ctx)
{
	struct io_kiocb *req = ctx->req;
	__u8 op = ctx->opcode;
	__u64 uctx = (__u64)ctx->ctx, user_data = ctx->user_data;
	__u64 flags = ctx->flags;

	ctx_fence();
	uring_submit(req, op, uctx, user_data, flags);
	return 0;
}

/*
 * 6.1 calls the same event io_uring_submit_sqe, with a 32-bit flags field
 * (checked against Debian's 6.1.192 source); it was renamed upstream after
 * 6.1 (6.18 has io_uring_submit_req).  Whichever exists is loaded.
 */
struct trace_event_raw_io_uring_submit_sqe___v61 {
	struct trace_entry ent;
	void *ctx;
	void *req;
	unsigned long long user_data;
	u8 opcode;
	u32 flags;
} __attribute__((preserve_access_index));

SEC("tracepoint/io_uring/io_uring_submit_sqe")
int handle_uring_submit_sqe(struct trace_event_raw_io_uring_submit_sqe___v61 *ctx)
{
	struct io_kiocb *req = ctx->req;
	__u8 op = ctx->opcode;
	__u64 uctx = (__u64)ctx->ctx, user_data = ctx->user_data;
	__u64 flags = ctx->flags;

	ctx_fence();
	uring_submit(req, op, uctx, user_data, flags);
	return 0;
}

SEC("tracepoint/io_uring/io_uring_complete")
int handle_uring_complete(struct trace_event_raw_io_uring_complete *ctx)
{
	__u64 uctx = (__u64)ctx->ctx, user_data = ctx->user_data;
	__s64 res = ctx->res;
	__u32 cflags = ctx->cflags;

	ctx_fence();
	if (!task_traced())
		return 0;
	emit7(PCRACE_EV_URING_COMPLETE, uctx, user_data, res, cflags,
	      0, 0, 0);
	return 0;
}

/* ---- kernel functions (kprobes) --------------------------------------
 *
 * Only where the kernel allows kprobes (the test VM; not every host):
 * user space switches these off before load otherwise.  They fire for
 * every mapping in the system, so each first checks the mapping with
 * mapping_key(): traced_mappings, filled when a traced fd is bound.
 */

/* The address_space an xa_state walks: page-cache xarrays are i_pages. */
static __always_inline struct pcrace_file_key *xas_key(struct xa_state *xas)
{
	void *xa = BPF_CORE_READ(xas, xa);

	return mapping_key(xa - bpf_core_field_offset(struct address_space,
						      i_pages));
}

/* What a kprobe hands to its kretprobe, per task and function. */
struct kp_stash {
	struct pcrace_file_key key;
	struct xa_state *xas;
	__u64 index;
	__u64 arg;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);		/* tid << 8 | event type */
	__type(value, struct kp_stash);
} kp_stash SEC(".maps");

static __always_inline __u64 stash_id(__u16 type)
{
	return (bpf_get_current_pid_tgid() & 0xffffffff) << 8 | type;
}

static __always_inline void stash_xas(__u16 type, struct xa_state *xas,
				      __u64 arg, bool read_side)
{
	struct pcrace_file_key *k = xas_key(xas);
	struct kp_stash st = {};
	__u64 id = stash_id(type);

	if (!k || (read_side && !file_read_traced(k->kdev, k->ino)))
		return;
	st.key = *k;
	st.xas = xas;
	st.index = BPF_CORE_READ(xas, xa_index);
	st.arg = arg;
	bpf_map_update_elem(&kp_stash, &id, &st, BPF_ANY);
}

static __always_inline struct kp_stash *unstash(__u16 type)
{
	__u64 id = stash_id(type);

	return bpf_map_lookup_elem(&kp_stash, &id);
}

static __always_inline void drop_stash(__u16 type)
{
	__u64 id = stash_id(type);

	bpf_map_delete_elem(&kp_stash, &id);
}

/*
 * A kretprobe's event: the stashed (dev, ino, index), then the stashed
 * argument if with_arg, then the return value.
 */
static __always_inline void emit_stashed(__u16 type, __u64 ret, bool with_arg)
{
	struct kp_stash *st = unstash(type);

	if (!st)
		return;
	if (with_arg)
		emit7(type, st->key.kdev, st->key.ino, st->index, st->arg, ret,
		      0, 0);
	else
		emit7(type, st->key.kdev, st->key.ino, st->index, ret, 0, 0, 0);
	drop_stash(type);
}

SEC("kprobe/xas_load")
int BPF_KPROBE(handle_xas_load, struct xa_state *xas)
{
	stash_xas(PCRACE_EV_XAS_LOAD, xas, 0, true);
	return 0;
}

SEC("kretprobe/xas_load")
int BPF_KRETPROBE(handle_xas_load_ret, void *entry)
{
	emit_stashed(PCRACE_EV_XAS_LOAD, (__u64)entry, false);
	return 0;
}

SEC("kprobe/xas_store")
int BPF_KPROBE(handle_xas_store, struct xa_state *xas, void *entry)
{
	struct pcrace_file_key *k = xas_key(xas);

	if (k)
		emit7(PCRACE_EV_XAS_STORE, k->kdev, k->ino,
		      BPF_CORE_READ(xas, xa_index), (__u64)entry,
		      BPF_CORE_READ(xas, xa_shift), 0, 0);
	return 0;
}

SEC("kprobe/xas_find")
int BPF_KPROBE(handle_xas_find, struct xa_state *xas, unsigned long max)
{
	stash_xas(PCRACE_EV_XAS_FIND, xas, max, true);
	return 0;
}

SEC("kretprobe/xas_find")
int BPF_KRETPROBE(handle_xas_find_ret, void *entry)
{
	struct kp_stash *st = unstash(PCRACE_EV_XAS_FIND);
	struct xa_state *xas;

	if (!st)
		return 0;
	xas = st->xas;
	emit7(PCRACE_EV_XAS_FIND, st->key.kdev, st->key.ino, st->index,
	      st->arg, (__u64)entry, BPF_CORE_READ(xas, xa_index), 0);
	drop_stash(PCRACE_EV_XAS_FIND);
	return 0;
}

SEC("kprobe/xas_find_conflict")
int BPF_KPROBE(handle_xas_find_conflict, struct xa_state *xas)
{
	stash_xas(PCRACE_EV_XAS_FIND_CONFLICT, xas, 0, true);
	return 0;
}

SEC("kretprobe/xas_find_conflict")
int BPF_KRETPROBE(handle_xas_find_conflict_ret, void *entry)
{
	emit_stashed(PCRACE_EV_XAS_FIND_CONFLICT, (__u64)entry, false);
	return 0;
}

/* fs/dax.c: the DAX entry lock, where seed 6's PMD fault hangs */
SEC("kprobe/grab_mapping_entry")
int BPF_KPROBE(handle_grab_entry, struct xa_state *xas, void *mapping,
	       unsigned int order)
{
	stash_xas(PCRACE_EV_DAX_GRAB_ENTRY, xas, order, false);
	return 0;
}

SEC("kretprobe/grab_mapping_entry")
int BPF_KRETPROBE(handle_grab_entry_ret, void *entry)
{
	emit_stashed(PCRACE_EV_DAX_GRAB_ENTRY, (__u64)entry, true);
	return 0;
}

SEC("kprobe/get_unlocked_entry")
int BPF_KPROBE(handle_get_unlocked, struct xa_state *xas, unsigned int order)
{
	struct pcrace_file_key *k = xas_key(xas);

	if (!k)
		return 0;
	/* emitted at entry too: a task stuck here shows in the trace */
	emit7(PCRACE_EV_DAX_GET_UNLOCKED, k->kdev, k->ino,
	      BPF_CORE_READ(xas, xa_index), order, 0, 0, 0);
	stash_xas(PCRACE_EV_DAX_GET_UNLOCKED_RET, xas, order, false);
	return 0;
}

SEC("kretprobe/get_unlocked_entry")
int BPF_KRETPROBE(handle_get_unlocked_ret, void *entry)
{
	emit_stashed(PCRACE_EV_DAX_GET_UNLOCKED_RET, (__u64)entry, false);
	return 0;
}

SEC("kprobe/dax_wake_entry")
int BPF_KPROBE(handle_dax_wake, struct xa_state *xas, void *entry, int mode)
{
	struct pcrace_file_key *k = xas_key(xas);

	if (k)
		emit7(PCRACE_EV_DAX_WAKE_ENTRY, k->kdev, k->ino,
		      BPF_CORE_READ(xas, xa_index), (__u64)entry, mode, 0, 0);
	return 0;
}

/*
 * 6.1's page->index is page->__folio_index in later kernels (6.18 here):
 * whichever this kernel has is read.
 */
struct page___v61 {
	unsigned long index;
} __attribute__((preserve_access_index));

struct page___folio_index {
	unsigned long __folio_index;
} __attribute__((preserve_access_index));

static __always_inline __u64 page_index(struct page *page)
{
	struct page___v61 *old = (void *)page;
	struct page___folio_index *new = (void *)page;

	if (bpf_core_field_exists(old->index))
		return BPF_CORE_READ(old, index);
	return BPF_CORE_READ(new, __folio_index);
}

static __always_inline struct pcrace_file_key *page_key(struct page *page)
{
	return mapping_key(BPF_CORE_READ(page, mapping));
}

SEC("kprobe/dax_lock_page")
int BPF_KPROBE(handle_dax_lock_page, struct page *page)
{
	struct pcrace_file_key *k = page_key(page);
	struct kp_stash st = {};
	__u64 id = stash_id(PCRACE_EV_DAX_LOCK_PAGE);

	if (!k)
		return 0;
	st.key = *k;
	st.index = page_index(page);
	st.arg = (__u64)page;
	bpf_map_update_elem(&kp_stash, &id, &st, BPF_ANY);
	return 0;
}

SEC("kretprobe/dax_lock_page")
int BPF_KRETPROBE(handle_dax_lock_page_ret, __u64 cookie)
{
	emit_stashed(PCRACE_EV_DAX_LOCK_PAGE, (__u64)cookie, true);
	return 0;
}

SEC("kprobe/dax_unlock_page")
int BPF_KPROBE(handle_dax_unlock_page, struct page *page, __u64 cookie)
{
	struct pcrace_file_key *k = page_key(page);

	if (k)
		emit7(PCRACE_EV_DAX_UNLOCK_PAGE, k->kdev, k->ino,
		      page_index(page), (__u64)page, cookie, 0, 0);
	return 0;
}

/* The rate-limited "Page cache invalidation failure" message, every time. */
SEC("kprobe/dio_warn_stale_pagecache")
int BPF_KPROBE(handle_dio_warn_stale, struct file *filp)
{
	struct pcrace_file_key *k = mapping_key(BPF_CORE_READ(filp, f_mapping));

	if (k)
		emit7(PCRACE_EV_DIO_WARN_STALE, k->kdev, k->ino, 0, 0, 0, 0, 0);
	return 0;
}

/* User page faults on traced file mappings, resolved to (file, index). */
SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(handle_user_fault, struct vm_area_struct *vma,
	       unsigned long address, unsigned int flags)
{
	struct file *file = BPF_CORE_READ(vma, vm_file);
	struct pcrace_file_key *k;
	__u64 index;

	if (!file)
		return 0;
	k = mapping_key(BPF_CORE_READ(file, f_mapping));
	if (!k || !task_traced())
		return 0;
	index = BPF_CORE_READ(vma, vm_pgoff) +
		((address - BPF_CORE_READ(vma, vm_start)) >> 12);
	emit7(PCRACE_EV_USER_FAULT, k->kdev, k->ino, index, address, flags,
	      0, 0);
	return 0;
}

/*
 * __filemap_add_folio's result: the losing side of an insertion race
 * (-EEXIST) is invisible to mm_filemap_add_to_page_cache (seed 1).
 */
SEC("kprobe/__filemap_add_folio")
int BPF_KPROBE(handle_add_folio, void *mapping, struct folio *folio,
	       unsigned long index)
{
	struct pcrace_file_key *k = mapping_key(mapping);
	struct kp_stash st = {};
	__u64 id = stash_id(PCRACE_EV_FILEMAP_ADD_FOLIO);

	if (!k)
		return 0;
	st.key = *k;
	st.index = index;
	st.arg = (__u64)folio;
	bpf_map_update_elem(&kp_stash, &id, &st, BPF_ANY);
	return 0;
}

SEC("kretprobe/__filemap_add_folio")
int BPF_KRETPROBE(handle_add_folio_ret, long ret)
{
	emit_stashed(PCRACE_EV_FILEMAP_ADD_FOLIO, (__u64)ret, true);
	return 0;
}

/* ---- page_ref (CONFIG_DEBUG_PAGE_REF) --------------------------------
 *
 * Reference changes on pages of traced mappings: who dropped the last
 * reference (page_ref_mod_and_test ret=1), failed speculative gets
 * (page_ref_mod_unless ret=0).  Debian's kernels lack these tracepoints;
 * the pcrace test kernel has them.  Their context structs are absent from
 * a BTF without DEBUG_PAGE_REF, hence the local CO-RE definitions (6.1).
 */
struct trace_event_raw_page_ref_mod_template___pcrace {
	struct trace_entry ent;
	unsigned long pfn;
	unsigned long flags;
	int count;
	int mapcount;
	void *mapping;
	int mt;
	int val;
} __attribute__((preserve_access_index));

struct trace_event_raw_page_ref_mod_and_test_template___pcrace {
	struct trace_entry ent;
	unsigned long pfn;
	unsigned long flags;
	int count;
	int mapcount;
	void *mapping;
	int mt;
	int val;
	int ret;
} __attribute__((preserve_access_index));

/*
 * The page's flags too: whether it was on the LRU, locked, under
 * writeback when its count moved (seed 3's injection acts only on
 * folios on the LRU).
 */
static __always_inline void page_ref(__u16 type, void *mapping, __u64 pfn,
				     __s64 count, __s64 val, __s64 ret,
				     __u64 flags)
{
	struct pcrace_file_key *k = mapping_key(mapping);

	if (!k)
		k = bpf_map_lookup_elem(&traced_pfns, &pfn);
	if (k)
		emit7(type, k->kdev, k->ino, pfn, count, val, ret, flags);
}

#define PAGE_REF_PROG(name, type)					\
SEC("tracepoint/page_ref/" #name)					\
int handle_##name(struct trace_event_raw_page_ref_mod_template___pcrace *ctx) \
{									\
	void *mapping = ctx->mapping;					\
	__u64 pfn = ctx->pfn, flags = ctx->flags;			\
	__s64 count = ctx->count, val = ctx->val;			\
									\
	ctx_fence();							\
	page_ref(type, mapping, pfn, count, val, 0, flags);		\
	return 0;							\
}

#define PAGE_REF_RET_PROG(name, type)					\
SEC("tracepoint/page_ref/" #name)					\
int handle_##name(struct trace_event_raw_page_ref_mod_and_test_template___pcrace *ctx) \
{									\
	void *mapping = ctx->mapping;					\
	__u64 pfn = ctx->pfn, flags = ctx->flags;			\
	__s64 count = ctx->count, val = ctx->val, ret = ctx->ret;	\
									\
	ctx_fence();							\
	page_ref(type, mapping, pfn, count, val, ret, flags);		\
	return 0;							\
}

PAGE_REF_PROG(page_ref_set, PCRACE_EV_PAGE_REF_SET)
PAGE_REF_PROG(page_ref_mod, PCRACE_EV_PAGE_REF_MOD)
PAGE_REF_RET_PROG(page_ref_mod_and_test, PCRACE_EV_PAGE_REF_MOD_AND_TEST)
PAGE_REF_RET_PROG(page_ref_mod_and_return, PCRACE_EV_PAGE_REF_MOD_AND_RETURN)
PAGE_REF_RET_PROG(page_ref_mod_unless, PCRACE_EV_PAGE_REF_MOD_UNLESS)
PAGE_REF_RET_PROG(page_ref_freeze, PCRACE_EV_PAGE_REF_FREEZE)
PAGE_REF_PROG(page_ref_unfreeze, PCRACE_EV_PAGE_REF_UNFREEZE)
