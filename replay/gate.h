/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ordering gates for --order recorded: a worker waits until a shared
 * counter reaches a value (ops started so far, a thread's completed
 * ops).  A short spin covers the common handoff between running workers;
 * then a futex sleep, woken only when someone sleeps, so an uncontended
 * gate costs no system call.  Waits give up when the trial is stopped.
 */
#ifndef PCRACE_GATE_H
#define PCRACE_GATE_H

#include "shared.h"

/*
 * Waiters and wakers name themselves with futex bitset bits: on the start
 * gate each worker waits for its own next op, so opening it wakes only
 * the worker whose op is next (bit of its thread), not every sleeper.
 */
#define GATE_ANY	0xffffffffu
#define GATE_BIT(thread)	(1u << ((thread) % 32))

/*
 * The start gate wakes two workers: the one whose op is next, and the
 * one after, which then spins (up to this long) while the op before
 * its own runs.  A handoff between workers is then a spin, not a futex
 * wake-up on another CPU (tens of microseconds on a VM), and at most two
 * workers are awake: the one issuing and the one next in line.
 */
#define GATE_NEXT_SPIN_NS	200000ull

/*
 * 0 when *word >= target, -1 if the trial was stopped first.  Once *word
 * is target - 1, a waiter spins up to spin_ns (0: not at all) instead of
 * sleeping: see GATE_NEXT_SPIN_NS.
 */
int gate_wait(struct replay_shared *s, _Atomic __u32 *word, __u32 target,
	      __u32 bits, __u64 spin_ns);
/* *word = value (never lowering it), waking sleepers matching bits. */
void gate_open(struct replay_shared *s, _Atomic __u32 *word, __u32 value,
	       __u32 bits);
/* Wake every sleeper (stop). */
void gate_wake_all(struct replay_shared *s, const struct plan *p);

#endif /* PCRACE_GATE_H */
