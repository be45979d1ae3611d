/* SPDX-License-Identifier: GPL-2.0 */
/* pcrace dump --ops: a trace as a replay scenario (see ops.c). */
#ifndef PCRACE_OPS_H
#define PCRACE_OPS_H

#include <stdio.h>
#include "pcrace_trace.h"

/* Writes the scenario to out; < 0 with res->error set on a bad trace. */
int pcrace_dump_ops(const char *path, FILE *out,
		    struct pcrace_read_result *res);

#endif /* PCRACE_OPS_H */
