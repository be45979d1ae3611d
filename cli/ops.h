/* SPDX-License-Identifier: GPL-2.0 */
/* pcrace dump --ops: a trace as a replay scenario (see ops.c). */
#ifndef PCRACE_OPS_H
#define PCRACE_OPS_H

#include "pcrace_trace.h"

/* Prints the scenario; < 0 with res->error set on a bad trace. */
int pcrace_dump_ops(const char *path, struct pcrace_read_result *res);

#endif /* PCRACE_OPS_H */
