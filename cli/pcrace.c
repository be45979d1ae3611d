// SPDX-License-Identifier: GPL-2.0
/* pcrace: one program, subcommands in the manner of perf and bpftool. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "pcrace.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "record", pcrace_record, "record file syscalls and page-cache/DAX events into a trace" },
	{ "info", pcrace_info, "show a trace's header, probe manifest, tables, counts and losses" },
	{ "dump", pcrace_dump, "print a trace's events in time order (text or --json)" },
	{ "convert", pcrace_convert, "rewrite a trace in this pcrace's format" },
	{ "plan", pcrace_plan, "build a trace's replay plan once, as an image replay maps" },
	{ "replay", pcrace_replay, "replay a trace or scenario on a target and check it" },
	{ "bisect", pcrace_bisect, "flake-aware Bayesian bisection: next step, record, simulate" },
};

int pcrace_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pcrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return PCRACE_EXIT_USAGE;
}

static void print_help(FILE *out)
{
	size_t i;

	fprintf(out, "usage: pcrace COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(out, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(out, "\n'pcrace COMMAND --help' describes each.  Exit codes: 0 success or\n"
		"not reproduced, 1 reproduced, 2 usage error or bad input, 125 cannot test.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (argc < 2) {
		print_help(stderr);
		return PCRACE_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		print_help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("pcrace %s\n", PCRACE_VERSION);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	return pcrace_usage_error("unknown command '%s' (see pcrace --help)", argv[1]);
}
