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

/* 0 when *word >= target, -1 if the trial was stopped first. */
int gate_wait(struct replay_shared *s, _Atomic __u32 *word, __u32 target);
/* *word = value (never lowering it), waking sleepers. */
void gate_open(struct replay_shared *s, _Atomic __u32 *word, __u32 value);
/* Wake every sleeper (stop). */
void gate_wake_all(struct replay_shared *s, const struct plan *p);

#endif /* PCRACE_GATE_H */
