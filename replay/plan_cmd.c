// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace plan [--drop PREFIX] [--drop-thread T<n>] IN OUT: the plan replay
 * builds from trace or scenario IN, written as a plan image OUT
 * (plan_image.c) that `pcrace replay OUT` maps instead of building it
 * again.  For replays repeated on a slow machine: the test VM under TCG
 * took 0.2 s a run to build seed 7's plan from its scenario text.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "pcrace.h"
#include "plan.h"

int plan_filter_opt(const char **arr, unsigned int *n, bool thread,
		    const char *arg)
{
	const char *opt = thread ? "--drop-thread" : "--drop";

	if (*n == PLAN_FILTER_MAX) {
		pcrace_usage_error("at most %d %s", PLAN_FILTER_MAX, opt);
		return -1;
	}
	if (thread ? arg[0] != 'T' || !arg[1] ||
		     strspn(arg + 1, "0123456789") != strlen(arg + 1) :
		     arg[0] != '/') {
		pcrace_usage_error(thread ? "%s '%s': a thread as the scenario names it, T<n>" :
					    "%s '%s': an absolute path prefix", opt, arg);
		return -1;
	}
	arr[(*n)++] = arg;
	return 0;
}

static void plan_usage(void)
{
	printf("usage: pcrace plan [--drop PREFIX]... [--drop-thread T<n>]... IN OUT\n"
	       "Build the replay plan of trace or scenario IN, checked as replay\n"
	       "checks it, and write it to OUT (a new file) as a plan image for\n"
	       "`pcrace replay OUT`, which then maps it instead of building it.\n"
	       "An image is for this pcrace build only; --drop and --drop-thread\n"
	       "(see pcrace replay --help) are applied here, not at replay.\n");
}

int pcrace_plan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "drop", required_argument, NULL, 'd' },
		{ "drop-thread", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *drop[PLAN_FILTER_MAX], *drop_threads[PLAN_FILTER_MAX];
	struct plan_filter f = { .drop = drop, .drop_threads = drop_threads };
	struct plan p;
	char err[1024];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (plan_filter_opt(drop, &f.ndrop, false, optarg))
				return PCRACE_EXIT_USAGE;
			break;
		case 't':
			if (plan_filter_opt(drop_threads, &f.ndrop_threads, true,
					    optarg))
				return PCRACE_EXIT_USAGE;
			break;
		case 'h':
			plan_usage();
			return 0;
		default:
			return pcrace_usage_error("plan: bad option (see pcrace plan --help)");
		}
	}
	if (argc - optind != 2)
		return pcrace_usage_error("plan: expected IN (a trace or scenario) and OUT");
	if (plan_load(&p, argv[optind], &f, err, sizeof(err))) {
		fprintf(stderr, "pcrace: %s\n", err);
		return PCRACE_EXIT_USAGE;
	}
	if (p.image) {
		plan_free(&p);
		fprintf(stderr, "pcrace: plan: %s is a plan image already\n", argv[optind]);
		return PCRACE_EXIT_USAGE;
	}
	if (plan_image_write(&p, argv[optind + 1], err, sizeof(err))) {
		plan_free(&p);
		fprintf(stderr, "pcrace: plan: %s\n", err);
		return PCRACE_EXIT_USAGE;
	}
	printf("%s: %u ops of %u threads, %u waits -> plan image %s\n",
	       argv[optind], p.nops, p.nthreads, p.ndeps, argv[optind + 1]);
	plan_free(&p);
	return 0;
}
