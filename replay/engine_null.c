// SPDX-License-Identifier: GPL-2.0
/*
 * null engine: issues nothing and returns the recorded result, so the
 * gates, timing and verdict machinery can be tested and measured alone.
 */
#include "engine.h"

static bool null_carries(const struct worker *w, const struct plan_op *op)
{
	return true;
}

static __s64 null_issue(struct worker *w, const struct plan_op *op)
{
	worker_issued(w);
	return op->ret;
}

const struct replay_engine engine_null = {
	.name = "null",
	.carries = null_carries,
	.issue = null_issue,
};
