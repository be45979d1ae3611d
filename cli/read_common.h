/* SPDX-License-Identifier: GPL-2.0 */
/* Argument parsing and exit status shared by the trace-reading commands. */
#ifndef PCRACE_READ_COMMON_H
#define PCRACE_READ_COMMON_H

#include <stdbool.h>
#include "pcrace_trace.h"

struct read_opts {
	const char *path;
	bool json;
	bool allow_truncated;
	bool ops;			/* dump: the scenario form */
};

int parse_read_args(const char *cmd, int argc, char **argv,
		    struct read_opts *o, bool json_ok);
/*
 * Exit status of a read: a corrupt or unreadable trace is bad input (2);
 * so is a truncated one, after everything readable has been printed,
 * unless --allow-truncated was given.
 */
int read_verdict(const struct read_opts *o, int read_ret,
		 const struct pcrace_read_result *res);

#endif /* PCRACE_READ_COMMON_H */
