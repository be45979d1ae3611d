// SPDX-License-Identifier: GPL-2.0
/*
 * mmap engine: mmap, munmap, msync, madvise, and touches: real loads and
 * stores on the mapping, a page at a time, as the recorded faults were.
 * A store copies the worker's pattern buffer in; a load copies the page
 * out for the data oracle.  A touch past EOF takes SIGBUS as the recorded
 * task would have: it is caught and becomes -EFAULT.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include "engine.h"

#define KEEP_MAP_FLAGS	(MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE | \
			 MAP_SYNC | MAP_POPULATE | MAP_NORESERVE | \
			 MAP_NONBLOCK | MAP_LOCKED)

static __thread sigjmp_buf *touch_jump;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	if (touch_jump)
		siglongjmp(*touch_jump, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handler(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO | SA_NODEFER };

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

static int mmap_init(struct worker *w)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, install_handler);
	return 0;
}

static bool mmap_carries(const struct worker *w, const struct plan_op *op)
{
	return op->kind == PK_MMAP || op->kind == PK_MUNMAP ||
	       op->kind == PK_MSYNC || op->kind == PK_MADVISE ||
	       op->kind == PK_TOUCH;
}

__u64 touch_off(const struct plan *p, const struct plan_op *op)
{
	return p->maps[op->map].off + op->off * 4096;
}

bool touch_stores(const struct plan *p, const struct plan_op *op)
{
	const struct plan_map *m = &p->maps[op->map];

	if (op->touch != PT_ACCESS)
		return op->touch == PT_STORE;
	return (m->prot & PROT_WRITE) && (m->flags & 3) != MAP_PRIVATE;
}

/*
 * Run fn(arg) with SIGBUS and SIGSEGV caught: false when one came.  The
 * accesses and advice replayed here may fault for good (past EOF, on a
 * poisoned page, on a truncated DAX extent), and the worker must live on
 * to report it.
 */
static bool sigbus_caught_call(void (*fn)(void *), void *arg)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 1)) {
		touch_jump = NULL;
		return false;
	}
	touch_jump = &jb;
	fn(arg);
	touch_jump = NULL;
	return true;
}

struct touch_call {
	struct worker *w;
	char *page;
	__u64 len;
	bool store;
};

static void do_touch(void *arg)
{
	struct touch_call *t = arg;

	worker_issued(t->w);
	if (!t->len)	/* past EOF: the access the task made, which faults */
		*(volatile char *)t->page;
	else if (t->store)
		memcpy(t->page, t->w->buf, t->len);
	else
		memcpy(t->w->buf, t->page, t->len);
}

static __s64 touch(struct worker *w, const struct plan_op *op, char *page)
{
	struct touch_call t = {
		.w = w, .page = page, .len = w->touch_len,
		.store = touch_stores(w->plan, op),
	};

	return sigbus_caught_call(do_touch, &t) ? (__s64)t.len : -EFAULT;
}

/* msync and madvise act from off= (checked to be inside) to len or the end */
static size_t part_len(const struct plan_map *m, const struct plan_op *op)
{
	__u64 room = m->len - op->off;

	return op->len < room ? op->len : room;
}

struct advise_call {
	struct worker *w;
	void *addr;
	size_t len;
	int advice;
	int ret;
};

static void do_advise(void *arg)
{
	struct advise_call *a = arg;

	worker_issued(a->w);
	a->ret = madvise(a->addr, a->len, a->advice) ? -errno : 0;
}

/*
 * madvise, with SIGBUS caught: MADV_HWPOISON's memory_failure() signals
 * the tasks that map the page, the caller among them (dax.sh's poison
 * test expects it).  The advice was taken: that is what its SIGBUS says.
 */
static __s64 advise(struct worker *w, const struct plan_op *op, void *addr,
		    size_t len)
{
	struct advise_call a = {
		.w = w, .addr = addr, .len = len, .advice = op->flags,
	};

	return sigbus_caught_call(do_advise, &a) ? a.ret : 0;
}

/*
 * The mapping at an address as far into its 2 MiB page as the recorded
 * one was: DAX maps a PMD only where address and file offset agree mod
 * 2 MiB, so this decides PMD against PTE faults.  The place is found by
 * reserving room.  A recorded MAP_FIXED mapping is placed with MAP_FIXED
 * inside the reservation; others get the place as a hint, as the call
 * replayed had no MAP_FIXED, and MAP_FIXED only if the kernel chose
 * another colour (it ignores hints for DAX files).
 */
/* room for len at the colour: the reservation, and *at inside it */
static char *reserve(size_t room, const struct plan_map *m, char **at)
{
	char *r = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (r == MAP_FAILED)
		return r;
	*at = (char *)((((unsigned long)r + (2ul << 20) - 1) & ~((2ul << 20) - 1)) +
		       m->colour);
	if (*at + m->len > r + room)
		*at -= 2ul << 20;
	return r;
}

static void *map_coloured(const struct plan_map *m, int fd)
{
	size_t room = m->len + (2ul << 20), len = (m->len + 4095) & ~4095ul;
	int flags = m->flags & KEEP_MAP_FLAGS;
	char *at, *addr, *r = reserve(room, m, &at);

	if (r == MAP_FAILED)
		return r;
	if (!(m->flags & MAP_FIXED)) {
		munmap(r, room);
		addr = mmap(at, m->len, m->prot, flags, fd, m->off);
		if (addr == MAP_FAILED ||
		    ((unsigned long)addr & ((2ul << 20) - 1)) == m->colour)
			return addr;
		munmap(addr, m->len);
		r = reserve(room, m, &at);
		if (r == MAP_FAILED)
			return r;
	}
	addr = mmap(at, m->len, m->prot, flags | MAP_FIXED, fd, m->off);
	if (addr == MAP_FAILED) {
		munmap(r, room);
		return addr;
	}
	/* the reservation's rest, around the mapping */
	if (at > r)
		munmap(r, at - r);
	if (r + room > at + len)
		munmap(at + len, r + room - (at + len));
	return addr;
}

static __s64 mmap_issue(struct worker *w, const struct plan_op *op)
{
	const struct plan_map *m = &w->plan->maps[op->map];
	void **slot = &w->proc->maps[op->map];
	void *addr;
	int fd, ret;

	if (op->kind != PK_MMAP && !*slot)
		return -EINVAL;		/* never mapped, or mmap failed */
	switch (op->kind) {
	case PK_MMAP:
		fd = worker_fd(w, op);
		if (fd < 0)
			return fd;
		worker_issued(w);
		addr = m->has_colour ? map_coloured(m, fd) :
			mmap(NULL, m->len, m->prot, m->flags & KEEP_MAP_FLAGS,
			     fd, m->off);
		if (addr == MAP_FAILED)
			return -errno;
		*slot = addr;
		return 0;
	case PK_MUNMAP:
		worker_issued(w);
		ret = munmap(*slot, m->len);
		*slot = NULL;
		break;
	case PK_MSYNC:
		worker_issued(w);
		ret = msync((char *)*slot + op->off, part_len(m, op), op->flags);
		break;
	case PK_MADVISE:
		return advise(w, op, (char *)*slot + op->off, part_len(m, op));
	case PK_TOUCH:
		return touch(w, op, (char *)*slot + op->off * 4096);
	default:
		return -EOPNOTSUPP;
	}
	return ret ? -errno : 0;
}

const struct replay_engine engine_mmap = {
	.name = "mmap",
	.init = mmap_init,
	.carries = mmap_carries,
	.issue = mmap_issue,
};
