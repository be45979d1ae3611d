/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming ops in verdicts, and a data mismatch's history: the ops of the
 * failing trial that put bytes in the mismatching range or changed the
 * file's size or cache, in the order they started, with when each
 * started and ended and what it returned.
 */
#ifndef PCRACE_REPLAY_HISTORY_H
#define PCRACE_REPLAY_HISTORY_H

#include <stddef.h>
#include "plan.h"
#include "shared.h"

/* "op 26417 (P39:T43 touch F7 page=69 store)" */
void op_text(const struct plan *p, unsigned int i, char *buf, size_t len);

/* Write m's history to path; false (and errno) if it cannot be made. */
bool history_write(const char *path, const struct plan *p,
		   const struct op_state *ops, const struct mismatch *m);

#endif /* PCRACE_REPLAY_HISTORY_H */
