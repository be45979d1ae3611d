/* SPDX-License-Identifier: GPL-2.0 */
/* Subcommands of the pcrace program and the exit codes they share. */
#ifndef PCRACE_H
#define PCRACE_H

#define PCRACE_VERSION "0.1.0"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((__format__(__printf__, a, b)))

/*
 * Exit codes follow `git bisect run`: 0 not reproduced (or success),
 * 1 reproduced, 125 cannot test; 2 is a usage error or bad input.
 */
#define PCRACE_EXIT_OK		0
#define PCRACE_EXIT_REPRODUCED	1
#define PCRACE_EXIT_USAGE	2
#define PCRACE_EXIT_SKIP	125
/* record/info/dump failing for reasons outside the input: cannot test */
#define PCRACE_EXIT_ERROR	PCRACE_EXIT_SKIP

int pcrace_record(int argc, char **argv);
int pcrace_info(int argc, char **argv);
int pcrace_dump(int argc, char **argv);
int pcrace_convert(int argc, char **argv);
int pcrace_replay(int argc, char **argv);
int pcrace_plan(int argc, char **argv);
int pcrace_bisect(int argc, char **argv);

/* Prints "pcrace: <message>" on one line; returns PCRACE_EXIT_USAGE. */
__printf(1, 2) int pcrace_usage_error(const char *fmt, ...);

#endif /* PCRACE_H */
