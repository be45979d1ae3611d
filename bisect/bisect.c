// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace bisect: the flake-aware Bayesian bisection's engine, for
 * scripts/pcrace-bisect (which builds, boots and replays) and for
 * simulations over synthetic histories.
 *
 *   pcrace bisect start STATE --commits N --bad TRIALS FAILURES
 *                       [--build-cost S] [--trial-cost S] [--step-cost S]
 *                       [--threshold P]
 *   pcrace bisect next STATE          -> "test COMMIT TRIALS" | "done COMMIT PROB"
 *   pcrace bisect record STATE COMMIT TRIALS FAILURES
 *   pcrace bisect skip STATE COMMIT
 *   pcrace bisect status STATE
 *   pcrace bisect simulate [--commits N] [--runs R] [--p P,P...] [--seed S]
 *
 * Commits are indices 0..N-1 (0 good, N-1 bad); the state file is the
 * observations, one per line, so it can be read, appended and replayed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace.h"
#include "bayes.h"
#include "simulate.h"

struct state {
	int commits;
	double build_cost, trial_cost, step_cost, threshold;
	struct bayes b;
};

static int load(const char *path, struct state *st)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int a, m, k, lineno = 0;

	memset(st, 0, sizeof(*st));
	if (!f)
		return pcrace_usage_error("bisect: %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "commits %d cost %lf %lf threshold %lf step %lf",
			   &st->commits, &st->build_cost, &st->trial_cost,
			   &st->threshold, &st->step_cost) >= 4) {
			if (bayes_init(&st->b, st->commits, 0, 0, st->build_cost,
				       st->trial_cost))
				goto bad;
			st->b.step_cost = st->step_cost;
		} else if (st->b.n && sscanf(line, "observe %d %d %d", &a, &m, &k) == 3 &&
			   a >= 0 && a < st->commits && m > 0 && k >= 0 && k <= m) {
			bayes_observe(&st->b, a, m, k);
		} else if (st->b.n && sscanf(line, "skip %d", &a) == 1 &&
			   a > 0 && a < st->commits - 1) {
			bayes_skip(&st->b, a);
		} else {
			goto bad;
		}
	}
	fclose(f);
	if (!st->b.n)
		return pcrace_usage_error("bisect: %s: no 'commits' line", path);
	return 0;
bad:
	fclose(f);
	return pcrace_usage_error("bisect: %s:%d: not a state line", path, lineno);
}

static int append(const char *path, const char *fmt, int a, int b, int c)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return pcrace_usage_error("bisect: %s: %s", path, strerror(errno));
	fprintf(f, fmt, a, b, c);
	return fclose(f) ? PCRACE_EXIT_SKIP : 0;
}

static int cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "commits", required_argument, NULL, 'n' },
		{ "bad", required_argument, NULL, 'b' },
		{ "build-cost", required_argument, NULL, 'B' },
		{ "trial-cost", required_argument, NULL, 'T' },
		{ "threshold", required_argument, NULL, 't' },
		{ "step-cost", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	double build = 300, trial = 15, thr = 0.95, step = 20;
	int n = 0, m = -1, k = -1, c;
	FILE *f;

	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'b':
			if (optind >= argc)
				return pcrace_usage_error("bisect start: --bad TRIALS FAILURES");
			m = atoi(optarg);
			k = atoi(argv[optind++]);
			break;
		case 'B':
			build = atof(optarg);
			break;
		case 'T':
			trial = atof(optarg);
			break;
		case 't':
			thr = atof(optarg);
			break;
		case 'S':
			step = atof(optarg);
			break;
		default:
			return pcrace_usage_error("bisect start: bad option");
		}
	}
	if (optind != argc - 1 || n < 2 || m <= 0 || k < 0 || k > m ||
	    !(build >= 0) || !(trial > 0) || !(step >= 0) || !(thr > 0 && thr < 1))
		return pcrace_usage_error("bisect start STATE --commits N>=2 --bad TRIALS FAILURES [--build-cost S] [--trial-cost S] [--step-cost S] [--threshold P]");
	if (!k)
		return pcrace_usage_error("bisect start: the bad end did not reproduce in %d trials: nothing to bisect",
					  m);
	f = fopen(argv[optind], "w");
	if (!f)
		return pcrace_usage_error("bisect: %s: %s", argv[optind], strerror(errno));
	fprintf(f, "# pcrace bisect state: commit 0 good, %d bad\n", n - 1);
	fprintf(f, "commits %d cost %g %g threshold %g step %g\n", n, build, trial, thr,
		step);
	fprintf(f, "observe %d %d %d\n", n - 1, m, k);
	return fclose(f) ? PCRACE_EXIT_SKIP : 0;
}

static int cmd_next(const char *path)
{
	struct state st;
	double prob;
	int best, i, m, ret = load(path, &st);

	if (ret)
		return ret;
	if (bayes_step(&st.b, st.threshold, &i, &m)) {
		best = bayes_best(&st.b, &prob);
		printf("done %d %.4f\n", best, prob);
	} else {
		printf("test %d %d\n", i, m);
	}
	bayes_free(&st.b);
	return 0;
}

static int cmd_status(const char *path)
{
	struct state st;
	double prob, q;
	int best, i, ret = load(path, &st);

	if (ret)
		return ret;
	best = bayes_best(&st.b, &prob);
	printf("culprit %d posterior %.4f rate %.3f\n", best, prob, bayes_rate(&st.b));
	for (i = 0; i < st.commits; i++) {
		q = bayes_prob(&st.b, i);
		if (!st.b.trials[i] && !st.b.skipped[i] && q < 0.01)
			continue;
		printf("commit %d trials %d failures %d%s posterior %.4f\n", i,
		       st.b.trials[i], st.b.failures[i],
		       st.b.skipped[i] ? " skipped" : "", q);
	}
	bayes_free(&st.b);
	return 0;
}

static int cmd_simulate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "commits", required_argument, NULL, 'n' },
		{ "runs", required_argument, NULL, 'r' },
		{ "p", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct sim_params sp = {
		.commits = 64, .runs = 200, .seed = 1, .build_cost = 300,
		.trial_cost = 15, .step_cost = 20, .threshold = 0.95,
	};
	struct sim_result bay, syz, fix;
	const char *ps = "0.05,0.1,0.2,0.5";
	char *list, *tok, *save;
	int c, per;

	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			sp.commits = atoi(optarg);
			break;
		case 'r':
			sp.runs = atoi(optarg);
			break;
		case 'p':
			ps = optarg;
			break;
		case 's':
			sp.seed = strtoull(optarg, NULL, 0);
			break;
		default:
			return pcrace_usage_error("bisect simulate: bad option");
		}
	}
	if (sp.commits < 2 || sp.runs < 1)
		return pcrace_usage_error("bisect simulate: --commits >= 2, --runs >= 1");
	printf("# %d commits, %d runs per p; trials include measuring the bad end\n",
	       sp.commits, sp.runs);
	printf("# p\tbayes_acc\tbayes_trials\tbayes_builds\tsyzbot10_acc\tsyzbot10_trials\tfixed_n\tfixed_acc\tfixed_trials\n");
	list = strdup(ps);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		double p = atof(tok), acc;

		if (!(p > 0 && p <= 1)) {
			free(list);
			return pcrace_usage_error("bisect simulate: p must be in (0, 1], not '%s'", tok);
		}
		sim_bayes(&sp, p, &bay);
		sim_fixed(&sp, p, 10, &syz);
		acc = sim_accuracy(&sp, &bay);
		/* the fewest fixed runs per commit that are as accurate */
		for (per = 10; per < 2000; per += per / 10 + 1) {
			sim_fixed(&sp, p, per, &fix);
			if (sim_accuracy(&sp, &fix) >= acc)
				break;
		}
		printf("%.2f\t%.3f\t%.1f\t%.1f\t%.3f\t%.1f\t%d\t%.3f\t%.1f\n", p, acc,
		       (double)bay.trials / sp.runs, (double)bay.builds / sp.runs,
		       sim_accuracy(&sp, &syz), (double)syz.trials / sp.runs, per,
		       sim_accuracy(&sp, &fix), (double)fix.trials / sp.runs);
		fflush(stdout);
	}
	free(list);
	return 0;
}

int pcrace_bisect(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (!strcmp(sub, "start"))
		return cmd_start(argc, argv);
	if (!strcmp(sub, "simulate"))
		return cmd_simulate(argc, argv);
	if (argc == 3 && !strcmp(sub, "next"))
		return cmd_next(argv[2]);
	if (argc == 3 && !strcmp(sub, "status"))
		return cmd_status(argv[2]);
	if (argc == 6 && !strcmp(sub, "record")) {
		int i = atoi(argv[3]), m = atoi(argv[4]), k = atoi(argv[5]);

		if (m <= 0 || k < 0 || k > m || i < 0)
			return pcrace_usage_error("bisect record: COMMIT TRIALS FAILURES");
		/*
		 * The good end is good by assumption (failures are never
		 * invented); when its verification fails, the range is not
		 * what it was said to be and there is nothing to bisect.
		 */
		if (i == 0 && k) {
			fprintf(stderr, "pcrace: bisect: the good end failed %d of %d trials: it is not good\n",
				k, m);
			return 125;
		}
		return append(argv[2], "observe %d %d %d\n", i, m, k);
	}
	if (argc == 4 && !strcmp(sub, "skip"))
		return append(argv[2], "skip %d\n", atoi(argv[3]), 0, 0);
	return pcrace_usage_error("bisect: start|next|record|skip|status|simulate (see the README)");
}
