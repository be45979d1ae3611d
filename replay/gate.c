// SPDX-License-Identifier: GPL-2.0
/* Futex gates across the worker processes (see gate.h). */
#include <limits.h>
#include <stdbool.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include "pcrace_time.h"
#include "gate.h"

/*
 * A short spin catches a handoff between two running workers.  Then
 * yield: with more workers than CPUs the worker whose turn it is may need
 * this CPU, and spinning would hold it off for a whole time slice.
 */
#define SPINS	50
#define YIELDS	64

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	asm volatile("yield");
#endif
}

static void futex_wait(_Atomic __u32 *word, __u32 val, __u32 bits)
{
	/* bounded, so a stop is seen even if a wake was lost to a kill */
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 50 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	syscall(SYS_futex, word, FUTEX_WAIT_BITSET, val, &ts, NULL, bits);
}

static void futex_wake(_Atomic __u32 *word, __u32 bits)
{
	syscall(SYS_futex, word, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, bits);
}

/*
 * Spin while the gate is one short of the target, within the caller's
 * budget from the moment it got there: the op before ours is under way,
 * and a futex wake-up after it would cost more than the op itself.
 */
static bool spin_near(_Atomic __u32 *word, __u32 target, __u64 spin_ns,
		      __u64 *near_since)
{
	__u64 now;

	if (!spin_ns || atomic_load(word) + 1 < target)
		return false;
	now = pcrace_mono_ns();
	if (!*near_since)
		*near_since = now;
	return now - *near_since < spin_ns;
}

int gate_wait(struct replay_shared *s, _Atomic __u32 *word, __u32 target,
	      __u32 bits, __u64 spin_ns)
{
	__u64 near_since = 0;
	__u32 v;
	int i;

	for (i = 0; i < SPINS + YIELDS; i++) {
		v = atomic_load_explicit(word, memory_order_acquire);
		if (v >= target)
			return 0;
		/*
		 * Not next in line: sleep until the start gate's pre-wake.
		 * Spinning or yielding here only takes turns with the
		 * worker whose op is under way, on its CPU.
		 */
		if (spin_ns && v + 1 < target)
			break;
		if (i < SPINS)
			cpu_relax();
		else
			sched_yield();
	}
	atomic_fetch_add(&s->nwaiting, 1);
	while ((v = atomic_load(word)) < target && !atomic_load(&s->stop)) {
		if (!spin_near(word, target, spin_ns, &near_since)) {
			futex_wait(word, v, bits);
			continue;
		}
		for (i = 0; i < SPINS; i++)
			cpu_relax();
		sched_yield();
	}
	atomic_fetch_sub(&s->nwaiting, 1);
	return v >= target ? 0 : -1;
}

void gate_open(struct replay_shared *s, _Atomic __u32 *word, __u32 value,
	       __u32 bits)
{
	__u32 v = atomic_load(word);

	while (v < value && !atomic_compare_exchange_weak(word, &v, value))
		;
	if (atomic_load(&s->nwaiting))
		futex_wake(word, bits);
}

void gate_wake_all(struct replay_shared *s, const struct plan *p)
{
	unsigned int t;

	futex_wake(&s->started, FUTEX_BITSET_MATCH_ANY);
	for (t = 0; t < p->nthreads; t++)
		futex_wake(&s->threads[t].done, FUTEX_BITSET_MATCH_ANY);
}
