// SPDX-License-Identifier: GPL-2.0
/* Shared by info and dump; see read_common.h. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace.h"
#include "read_common.h"

int parse_read_args(const char *cmd, int argc, char **argv,
		    struct read_opts *o, bool json_ok)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "allow-truncated", no_argument, NULL, 't' },
		{ "ops", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (!json_ok)
				return pcrace_usage_error("%s: --json is not supported", cmd);
			o->json = true;
			break;
		case 't':
			o->allow_truncated = true;
			break;
		case 'o':
			if (!json_ok)
				return pcrace_usage_error("%s: --ops is not supported", cmd);
			o->ops = true;
			break;
		case 'h':
			printf("usage: pcrace %s [--allow-truncated]%s TRACE\n", cmd,
			       json_ok ? " [--json | --ops]" : "");
			exit(0);
		default:
			return PCRACE_EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return pcrace_usage_error("%s: expected one trace file", cmd);
	o->path = argv[optind];
	return 0;
}

int read_verdict(const struct read_opts *o, int read_ret,
		 const struct pcrace_read_result *res)
{
	if (read_ret < 0) {
		fprintf(stderr, "pcrace: %s\n", res->error);
		return PCRACE_EXIT_USAGE;
	}
	if (res->truncated) {
		fprintf(stderr, "pcrace: %s: trace is truncated: %llu complete chunks (%llu events) read, no END chunk%s\n",
			o->path, res->chunks, res->events,
			o->allow_truncated ? "" : " (use --allow-truncated to accept)");
		return o->allow_truncated ? 0 : PCRACE_EXIT_USAGE;
	}
	return 0;
}
