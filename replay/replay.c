// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace replay: options, the trial loop, the verdict.  Exit codes follow
 * `git bisect run`: 0 not reproduced, 1 reproduced, 125 cannot test, 2
 * bad usage or input.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pcrace.h"
#include "pcrace_rand.h"
#include "pcrace_time.h"
#include "collide.h"
#include "engine.h"
#include "placement.h"
#include "stress.h"
#include "timing.h"
#include "trial.h"
#include "widen.h"

static const struct replay_engine *const chain_auto[] = {
	&engine_uring, &engine_mmap, &engine_sync, NULL
};
static const struct replay_engine *const chain_sync[] = {
	&engine_mmap, &engine_sync, NULL
};
static const struct replay_engine *const chain_null[] = { &engine_null, NULL };

struct replay_args {
	struct target_opts target;
	struct trial_opts base;
	unsigned long loops;
	double duration;
	bool rate, json, no_kmsg;
	bool seed_given;
	unsigned int stress_delay_us;
	enum placement placement;	/* --cpus */
	struct placement_list cpu_list;	/* --cpus LIST */
	bool placement_given;
	unsigned int collide;		/* --collide N */
	unsigned int collide_window_us;
	unsigned int collide_kinds;	/* --collide-ops: 1 << PK_*, 0 all */
	double hang_s;
	const char *out_dir;
	const char *timing_out;	/* --timing-out FILE */
	const char *splat;		/* --splat REGEX, or NULL */
	const char *drop[PLAN_FILTER_MAX];	/* --drop PREFIX */
	unsigned int ndrop;
	const char *drop_threads[PLAN_FILTER_MAX];	/* --drop-thread T<n> */
	unsigned int ndrop_threads;
	const char *input;
	struct widen_spec widen[WIDEN_MAX];
	unsigned int nwiden;
	bool widen_any;
};

static void print_help(FILE *out)
{
	fprintf(out,
		"usage: pcrace replay [OPTIONS] TRACE|SCENARIO\n\n"
		"Replay a recorded trace or a scenario on a target and say whether the\n"
		"failure reproduced.\n\n"
		"target:\n"
		"  --target DIR          create and use the scenario's files in DIR\n"
		"  --target-dev DEV      the block device for block-device scenarios\n"
		"  --map OLD=NEW         replay recorded path OLD (or a dir) at NEW\n"
		"  --strict              a target unlike the recording is an error (125)\n"
		"  --allow-poison        replay MADV_HWPOISON on files that are not on DAX\n"
		"                        (it takes a page of this machine's RAM for good)\n"
		"  --prefill-max BYTES   files up to this size are pre-filled (64 MiB)\n"
		"  --drop PREFIX         do not replay ops on files under PREFIX\n"
		"  --drop-thread T<n>    do not replay thread T<n>'s ops (a trace cut\n"
		"                        down to the threads the race needs)\n"
		"schedule:\n"
		"  --engine auto|sync|null   io_uring where it can (auto), the recorded\n"
		"                        syscalls (sync), or nothing (null: no data\n"
		"                        oracle either)\n"
		"  --order recorded|starts|none|free   the recorded order of op starts\n"
		"                        and happens-before (an op waits for the ops of\n"
		"                        other threads that ended before it began), the\n"
		"                        default; the order of starts only; the\n"
		"                        happens-before only; or neither (only after=\n"
		"                        points, and a mapping's mmap before the ops on it)\n"
		"  --timing asap|recorded|scale=X   recorded start times, scaled by X\n"
		"  --timing-out FILE     the last trial's ops, recorded and replayed\n"
		"                        start, duration and gap, and what held each\n"
		"  --uring-async         submit every io_uring op to io-wq (IOSQE_ASYNC)\n"
		"  --cpus any|one|spread|LIST  where the workers run: where the scheduler\n"
		"                        puts them, all on one CPU, or thread t on the t-th\n"
		"                        CPU (round robin; with --collide the two threads\n"
		"                        of each pair apart where they can be); default\n"
		"                        spread under --order recorded or starts, else any;\n"
		"                        LIST (0,0,1): thread t on the t-th CPU number\n"
		"                        listed, round robin\n"
		"  --stress              perturb each trial around the recorded schedule\n"
		"  --stress-delay USEC   the perturbation's range (200)\n"
		"  --collide N           per trial, N pairs of same-range ops of two\n"
		"                        threads are issued at once: half of them a\n"
		"                        page's (on DAX a PMD's) first touches, the rest\n"
		"                        ops recorded within the window (two reads: on a\n"
		"                        range dropped from the cache)\n"
		"  --collide-window USEC recorded starts at most this far apart (2000)\n"
		"  --collide-ops KIND[,KIND]  only pairs with an op of these kinds: read,\n"
		"                        write, touch, ftruncate, fallocate (punch)\n"
		"  --seed S              the first trial's seed (a failing run prints it)\n"
		"  --widen FUNC[%%return]:USEC[@T<n>]   hold the CPU USEC at a kernel\n"
		"                        function in the workers (or thread T<n>); kprobes\n"
		"  --widen-any           ... and in every task that gets there (kworkers)\n"
		"trials:\n"
		"  --loops N             run N trials (1); stop at the first failure\n"
		"  --duration SEC        run trials for SEC seconds\n"
		"  --rate                do not stop: report failures/trials and a 95%% CI\n"
		"oracles:\n"
		"  --no-verify           no data oracle\n"
		"  --no-kmsg             do not watch the kernel log\n"
		"  --splat REGEX         only kernel-log splats whose first line matches\n"
		"                        (extended regex) count; others are printed\n"
		"  --hang-timeout SEC    an op running longer is a hang (from the trace)\n"
		"  --out DIR             write mismatching blocks (expected, found) and\n"
		"                        the ops' history here (the first failing trial's)\n"
		"  --json                one-line machine-readable summary on stdout\n\n"
		"Exit: 0 not reproduced, 1 reproduced, 2 bad usage or input, 125 cannot test.\n");
}

/* --collide-ops read,ftruncate: a mask of the data kinds --collide pairs */
static int parse_collide_ops(const char *arg, unsigned int *kinds)
{
	static const enum plan_kind data[] = {
		PK_READ, PK_WRITE, PK_TOUCH, PK_FTRUNCATE, PK_FALLOCATE,
	};
	const char *s = arg, *e;
	unsigned int k;
	size_t n;

	*kinds = 0;
	do {
		e = strchr(s, ',');
		n = e ? (size_t)(e - s) : strlen(s);
		for (k = 0; k < ARRAY_SIZE(data); k++)
			if (strlen(plan_kind_name(data[k])) == n &&
			    !strncmp(plan_kind_name(data[k]), s, n))
				break;
		if (k == ARRAY_SIZE(data))
			return pcrace_usage_error("--collide-ops: '%.*s' is not one of read, write, touch, ftruncate, fallocate",
						  (int)n, s);
		*kinds |= 1u << data[k];
		s = e ? e + 1 : NULL;
	} while (s);
	return 0;
}

static int parse_args(int argc, char **argv, struct replay_args *a)
{
	enum {
		OPT_TARGET = 256, OPT_TARGET_DEV, OPT_MAP, OPT_STRICT, OPT_ALLOW_POISON, OPT_PREFILL, OPT_ENGINE,
		OPT_ORDER, OPT_TIMING, OPT_ASYNC, OPT_CPUS, OPT_STRESS, OPT_STRESS_DELAY,
		OPT_COLLIDE, OPT_COLLIDE_WINDOW, OPT_COLLIDE_OPS, OPT_SEED,
		OPT_LOOPS, OPT_DURATION, OPT_RATE, OPT_NO_VERIFY, OPT_NO_KMSG, OPT_HANG,
		OPT_OUT, OPT_JSON, OPT_HELP, OPT_WIDEN, OPT_WIDEN_ANY, OPT_SPLAT,
		OPT_DROP,
		OPT_DROP_THREAD, OPT_TIMING_OUT,
	};
	static const struct option opts[] = {
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "target-dev", required_argument, NULL, OPT_TARGET_DEV },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "allow-poison", no_argument, NULL, OPT_ALLOW_POISON },
		{ "prefill-max", required_argument, NULL, OPT_PREFILL },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "order", required_argument, NULL, OPT_ORDER },
		{ "timing", required_argument, NULL, OPT_TIMING },
		{ "uring-async", no_argument, NULL, OPT_ASYNC },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "stress", no_argument, NULL, OPT_STRESS },
		{ "stress-delay", required_argument, NULL, OPT_STRESS_DELAY },
		{ "collide", required_argument, NULL, OPT_COLLIDE },
		{ "collide-window", required_argument, NULL, OPT_COLLIDE_WINDOW },
		{ "collide-ops", required_argument, NULL, OPT_COLLIDE_OPS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "loops", required_argument, NULL, OPT_LOOPS },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "rate", no_argument, NULL, OPT_RATE },
		{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
		{ "no-kmsg", no_argument, NULL, OPT_NO_KMSG },
		{ "hang-timeout", required_argument, NULL, OPT_HANG },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "widen", required_argument, NULL, OPT_WIDEN },
		{ "widen-any", no_argument, NULL, OPT_WIDEN_ANY },
		{ "splat", required_argument, NULL, OPT_SPLAT },
		{ "drop", required_argument, NULL, OPT_DROP },
		{ "drop-thread", required_argument, NULL, OPT_DROP_THREAD },
		{ "timing-out", required_argument, NULL, OPT_TIMING_OUT },
		{ NULL, 0, NULL, 0 }
	};
	char *end, *eq;
	int c;

	a->base.order = ORDER_RECORDED;
	a->base.timing = TIMING_ASAP;
	a->base.scale = 1.0;
	a->base.engines = chain_auto;
	a->base.verify = true;
	a->loops = 1;
	a->stress_delay_us = 200;
	a->collide_window_us = COLLIDE_WINDOW_US;
	a->target.prefill_max = 64ull << 20;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case OPT_TARGET:
			a->target.dir = optarg;
			break;
		case OPT_TARGET_DEV:
			a->target.dev = optarg;
			break;
		case OPT_MAP:
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1] ||
			    a->target.nmap == TARGET_MAX_MAPS)
				return pcrace_usage_error("--map takes OLD=NEW (at most %d)",
							  TARGET_MAX_MAPS);
			*eq = '\0';
			a->target.map[a->target.nmap].from = optarg;
			a->target.map[a->target.nmap++].to = eq + 1;
			break;
		case OPT_STRICT:
			a->target.strict = true;
			break;
		case OPT_ALLOW_POISON:
			a->target.allow_poison = true;
			break;
		case OPT_PREFILL:
			a->target.prefill_max = strtoull(optarg, &end, 0);
			if (*end || errno)
				return pcrace_usage_error("--prefill-max: '%s' is not a size", optarg);
			break;
		case OPT_ENGINE:
			if (!strcmp(optarg, "auto"))
				a->base.engines = chain_auto;
			else if (!strcmp(optarg, "sync"))
				a->base.engines = chain_sync;
			else if (!strcmp(optarg, "null"))
				a->base.engines = chain_null;
			else
				return pcrace_usage_error("--engine: auto, sync or null, not '%s'", optarg);
			break;
		case OPT_ORDER:
			if (!strcmp(optarg, "recorded"))
				a->base.order = ORDER_RECORDED;
			else if (!strcmp(optarg, "none"))
				a->base.order = ORDER_NONE;
			else if (!strcmp(optarg, "free"))
				a->base.order = ORDER_FREE;
			else if (!strcmp(optarg, "starts"))
				a->base.order = ORDER_STARTS;
			else
				return pcrace_usage_error("--order: recorded, starts, none or free, not '%s'", optarg);
			break;
		case OPT_TIMING:
			if (!strcmp(optarg, "asap")) {
				a->base.timing = TIMING_ASAP;
			} else if (!strcmp(optarg, "recorded")) {
				a->base.timing = TIMING_RECORDED;
			} else if (!strncmp(optarg, "scale=", 6)) {
				a->base.timing = TIMING_RECORDED;
				a->base.scale = strtod(optarg + 6, &end);
				if (*end || errno || !(a->base.scale > 0))
					return pcrace_usage_error("--timing scale=X: X > 0, not '%s'",
								  optarg + 6);
			} else {
				return pcrace_usage_error("--timing: asap, recorded or scale=X, not '%s'",
							  optarg);
			}
			break;
		case OPT_ASYNC:
			a->base.uring_async = true;
			break;
		case OPT_CPUS:
			if (placement_parse(optarg, &a->placement, &a->cpu_list))
				return pcrace_usage_error("--cpus: any, one, spread or a list of CPU numbers, not '%s'",
							  optarg);
			a->placement_given = true;
			break;
		case OPT_STRESS:
			a->base.stress = true;
			break;
		case OPT_STRESS_DELAY:
			a->stress_delay_us = strtoul(optarg, &end, 10);
			if (*end || errno)
				return pcrace_usage_error("--stress-delay: '%s' is not microseconds", optarg);
			break;
		case OPT_COLLIDE:
			a->collide = strtoul(optarg, &end, 10);
			if (*end || errno || !a->collide || a->collide > COLLIDE_MAX)
				return pcrace_usage_error("--collide: '%s' is not a count of pairs (1-%d)",
							  optarg, COLLIDE_MAX);
			break;
		case OPT_COLLIDE_WINDOW:
			a->collide_window_us = strtoul(optarg, &end, 10);
			if (*end || errno || !a->collide_window_us)
				return pcrace_usage_error("--collide-window: '%s' is not microseconds",
							  optarg);
			break;
		case OPT_COLLIDE_OPS:
			if (parse_collide_ops(optarg, &a->collide_kinds))
				return PCRACE_EXIT_USAGE;
			break;
		case OPT_SEED:
			a->base.seed = strtoull(optarg, &end, 0);
			if (*end || errno)
				return pcrace_usage_error("--seed: '%s' is not a number", optarg);
			a->seed_given = true;
			break;
		case OPT_LOOPS:
			a->loops = strtoul(optarg, &end, 10);
			if (*end || errno || !a->loops)
				return pcrace_usage_error("--loops: '%s' is not a count", optarg);
			break;
		case OPT_DURATION:
			a->duration = strtod(optarg, &end);
			if (*end || errno || !(a->duration > 0))
				return pcrace_usage_error("--duration: '%s' is not seconds", optarg);
			if (a->loops == 1)
				a->loops = ~0ul;
			break;
		case OPT_RATE:
			a->rate = true;
			break;
		case OPT_NO_VERIFY:
			a->base.verify = false;
			break;
		case OPT_NO_KMSG:
			a->no_kmsg = true;
			break;
		case OPT_HANG:
			a->hang_s = strtod(optarg, &end);
			if (*end || errno || !(a->hang_s > 0))
				return pcrace_usage_error("--hang-timeout: '%s' is not seconds", optarg);
			break;
		case OPT_OUT:
			a->out_dir = optarg;
			break;
		case OPT_TIMING_OUT:
			a->timing_out = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_WIDEN: {
			char msg[256];

			if (a->nwiden == WIDEN_MAX)
				return pcrace_usage_error("at most %d --widen", WIDEN_MAX);
			if (widen_parse(optarg, &a->widen[a->nwiden], msg, sizeof(msg)))
				return pcrace_usage_error("%s", msg);
			a->nwiden++;
			break;
		}
		case OPT_WIDEN_ANY:
			a->widen_any = true;
			break;
		case OPT_SPLAT:
			a->splat = optarg;
			break;
		case OPT_DROP:
			if (plan_filter_opt(a->drop, &a->ndrop, false, optarg))
				return PCRACE_EXIT_USAGE;
			break;
		case OPT_DROP_THREAD:
			if (plan_filter_opt(a->drop_threads, &a->ndrop_threads,
					    true, optarg))
				return PCRACE_EXIT_USAGE;
			break;
		case OPT_HELP:
			print_help(stdout);
			exit(0);
		default:
			return pcrace_usage_error("replay: bad option (see pcrace replay --help)");
		}
	}
	if (optind != argc - 1)
		return pcrace_usage_error("replay: name one trace or scenario (see --help)");
	a->input = argv[optind];
	/*
	 * The null engine reads and writes nothing: the data oracle would
	 * judge buffers no read filled, and files no write changed.
	 */
	if (a->base.engines == chain_null)
		a->base.verify = false;
	if (!a->target.dir && !a->target.dev && !a->target.nmap)
		return pcrace_usage_error("replay: name a target (--target DIR, --target-dev DEV or --map)");
	/*
	 * Where the order of starts holds every op of another thread is a
	 * handoff: the next op's worker waits on its own CPU while the op
	 * before it runs.  Left to itself the scheduler stacks such workers on one CPU
	 * (bench/replay_vs_fio.sh: 0.65 of fio's throughput unpinned, 0.96
	 * spread), so spread is that order's default.  --stress draws its
	 * own placement per trial.
	 */
	if (!a->placement_given && !a->base.stress &&
	    order_keeps_starts(a->base.order)) {
		a->placement = PLACE_SPREAD;
		a->placement_given = true;
	}
	return 0;
}

/* Default hang deadline: generous against the slowest recorded op. */
static __u64 hang_deadline(const struct plan *p, double hang_s, double scale)
{
	__u64 longest = 0, ns;
	unsigned int i;

	if (hang_s > 0)
		return hang_s * 1e9;
	for (i = 0; i < p->nops; i++)
		if (p->ops[i].dur > longest)
			longest = p->ops[i].dur;
	ns = longest * 1000 * 50 * (scale > 1 ? scale : 1);
	return ns > 30000000000ull ? ns : 30000000000ull;
}

static void wilson(unsigned long k, unsigned long n, double *lo, double *hi)
{
	const double z = 1.959964;
	double ph, den, c, h;

	if (!n) {
		*lo = 0;
		*hi = 1;
		return;
	}
	ph = (double)k / n;
	den = 1 + z * z / n;
	c = (ph + z * z / (2.0 * n)) / den;
	h = z * sqrt(ph * (1 - ph) / n + z * z / (4.0 * n * n)) / den;
	*lo = c - h < 0 ? 0 : c - h;
	*hi = c + h > 1 ? 1 : c + h;
}

int pcrace_replay(int argc, char **argv)
{
	struct replay_args a = { 0 };
	struct replay_ctx c = { 0 };
	struct plan plan;
	struct plan_filter filter = { 0 };
	struct verdict v, first = { 0 };
	struct trial_opts o;
	struct collide *collide = NULL;
	unsigned long meets_met = 0, meets_missed = 0, meets_first = 0;
	cpu_set_t *cpus = NULL;
	FILE *timing_file = NULL;
	int *nice = NULL, pinned;
	char schedule[256] = "", placed[96];
	unsigned long trial, failures = 0, first_trial = 0;
	__u64 start, first_fail_ns = 0, first_seed = 0, holds = 0, held_ns = 0;
	__u64 entry = pcrace_mono_ns();
	double lo, hi, ops_per_s = 0, setup_s = 0;
	struct gap_stats gaps;
	char err[1024];
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret;
	if (a.placement == PLACE_LIST) {
		int cpu = placement_list_check(&a.cpu_list);

		/* a CPU this machine lacks is the machine's, not a usage error */
		if (cpu >= 0) {
			fprintf(stderr, "pcrace: cannot test: --cpus: CPU %d is not one this process may use\n",
				cpu);
			return PCRACE_EXIT_SKIP;
		}
	}
	if (a.splat) {
		int rc = regcomp(&c.splat_re, a.splat, REG_EXTENDED | REG_NOSUB);

		if (rc) {
			char msg[128];

			regerror(rc, &c.splat_re, msg, sizeof(msg));
			return pcrace_usage_error("--splat '%s': %s", a.splat, msg);
		}
		c.splat_only = true;
	}
	filter.drop = a.drop;
	filter.ndrop = a.ndrop;
	filter.drop_threads = a.drop_threads;
	filter.ndrop_threads = a.ndrop_threads;
	if (plan_load(&plan, a.input, &filter, err, sizeof(err)))
		return pcrace_usage_error("%s", err);
	ret = target_map(&plan, &a.target, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "pcrace: %s\n", err);
		plan_free(&plan);
		return ret;
	}
	c.plan = &plan;
	c.target = &a.target;
	c.out_dir = a.out_dir;
	c.hang_ns = hang_deadline(&plan, a.hang_s, a.base.scale);
	c.sh = shared_create(&plan);
	cpus = calloc(plan.nthreads, sizeof(*cpus));
	nice = calloc(plan.nthreads, sizeof(*nice));
	if (!c.sh || !cpus || !nice) {
		fprintf(stderr, "pcrace: cannot map the replay's shared state: %s\n",
			strerror(errno));
		plan_free(&plan);
		return PCRACE_EXIT_SKIP;
	}
	/* made before the first trial: a path it cannot have is bad usage */
	if (a.timing_out) {
		timing_file = fopen(a.timing_out, "w");
		if (!timing_file) {
			ret = pcrace_usage_error("--timing-out: %s: %s", a.timing_out,
						 strerror(errno));
			goto out;
		}
	}
	if (a.collide) {
		collide = collide_prepare(&plan, a.base.order, a.collide_window_us,
					  a.collide_kinds);
		a.base.meet = calloc(plan.nops, sizeof(*a.base.meet));
		if (!collide || !a.base.meet) {
			fprintf(stderr, "pcrace: out of memory for --collide\n");
			ret = PCRACE_EXIT_SKIP;
			goto out;
		}
		if (!collide_candidates(collide))
			fprintf(stderr, "pcrace: warning: --collide: no two threads touch the same bytes (first, or within %u us) in this trace\n",
				a.collide_window_us);
	}
	if (a.nwiden) {
		a.base.widen = widen_start(a.widen, a.nwiden, &plan, a.widen_any,
					   err, sizeof(err));
		if (!a.base.widen) {
			fprintf(stderr, "pcrace: cannot test: %s\n", err);
			ret = PCRACE_EXIT_SKIP;
			goto out;
		}
	}
	/* the kernel log is watched from before the first op */
	c.kmsg_ok = !a.no_kmsg && kmsg_open(&c.kmsg) >= 0;
	if (!a.no_kmsg && !c.kmsg_ok)
		fprintf(stderr, "pcrace: warning: cannot read /dev/kmsg: no kernel-log oracle\n");
	if (!a.seed_given)
		a.base.seed = pcrace_mono_ns() ^ ((__u64)getpid() << 32);
	start = pcrace_mono_ns();
	for (trial = 0; trial < a.loops; trial++) {
		if (a.duration > 0 && (pcrace_mono_ns() - start) / 1e9 >= a.duration)
			break;
		o = a.base;
		o.seed = a.base.seed + trial;
		o.magic = pcrace_mix64(o.seed);
		if (o.stress)
			stress_trial(&plan, &o, a.stress_delay_us, cpus, nice);
		/* --cpus holds under --stress too: it is the user's choice */
		if (a.placement_given) {
			o.placement = placement_fill(a.placement, &a.cpu_list,
						     plan.nthreads, cpus, &pinned);
			o.cpus = pinned ? cpus : NULL;
		}
		if (collide)
			collide_trial(collide, &plan, &o, a.collide);
		if (collide && o.cpus && a.placement == PLACE_SPREAD) {
			snprintf(placed, sizeof(placed), "%s, %u of %u pairs apart",
				 o.placement, placement_apart(&plan, &o, cpus),
				 o.nmeet);
			o.placement = placed;
		}
		trial_run(&c, &o, &v);
		setup_s += v.setup_s;
		meets_met += atomic_load(&c.sh->meets_met);
		meets_missed += atomic_load(&c.sh->meets_missed);
		meets_first += atomic_load(&c.sh->meets_first);
		if (v.kind == V_ERROR) {
			fprintf(stderr, "pcrace: cannot test: %s\n", v.what);
			ret = PCRACE_EXIT_SKIP;
			goto out;
		}
		if (v.ops_per_s > ops_per_s)
			ops_per_s = v.ops_per_s;
		if (v.kind != V_CLEAN) {
			if (!failures++) {
				first = v;
				first_seed = o.seed;
				first_trial = trial + 1;
				stress_describe(&plan, &o, schedule, sizeof(schedule));
				first_fail_ns = pcrace_mono_ns() - start;
				/* --out keeps the blocks of the trial the verdict names */
				c.out_dir = NULL;
			}
			if (!a.rate || v.kind == V_HANG) {
				trial++;
				break;
			}
		}
		if (isatty(2))
			fprintf(stderr, "\rtrial %lu: %lu failed", trial + 1, failures);
	}
	if (isatty(2))
		fputc('\n', stderr);
	timing_gap_stats(&plan, c.sh->ops, a.base.scale, &gaps);
	if (timing_file) {
		if (!timing_write(timing_file, &plan, c.sh->ops, a.base.scale))
			fprintf(stderr, "pcrace: --timing-out: %s: %s\n",
				a.timing_out, strerror(errno));
		timing_file = NULL;
	}
	wilson(failures, trial, &lo, &hi);
	if (failures) {
		fprintf(stderr, "pcrace: REPRODUCED (%s) in trial %lu, seed %llu: %s\n",
			verdict_name(first.kind), first_trial, (unsigned long long)first_seed,
			first.what);
		fprintf(stderr, "pcrace: schedule: %s\n", schedule);
		fputs(first.detail, stderr);
	} else {
		stress_describe(&plan, &o, schedule, sizeof(schedule));
		fprintf(stderr, "pcrace: not reproduced in %lu trial%s (%u ops each, %llu bytes verified in the last)\n",
			trial, trial == 1 ? "" : "s", plan.nops,
			(unsigned long long)atomic_load(&c.sh->bytes_checked));
	}
	if (a.rate)
		fprintf(stderr, "pcrace: %lu/%lu trials failed, rate %.3f (95%% CI %.3f-%.3f)\n",
			failures, trial, trial ? (double)failures / trial : 0, lo, hi);
	widen_stats(a.base.widen, &holds, &held_ns);
	if (a.nwiden)
		fprintf(stderr, "pcrace: widen: %llu holds, %.1f ms held in all\n",
			(unsigned long long)holds, held_ns / 1e6);
	if (collide)
		fprintf(stderr, "pcrace: collide: %lu pairs met (%lu first touches), %lu missed, of %u candidates (%u first touches)\n",
			meets_met, meets_first, meets_missed,
			collide_candidates(collide),
			collide_first_touches(collide));
	if (a.base.timing == TIMING_RECORDED && gaps.gaps)
		fprintf(stderr, "pcrace: timing: gaps off by p50 %.1f us, p99 %.1f us; %u of %u held by an op that ran longer than recorded (%u by another thread's), the rest p99 %.1f us\n",
			gaps.p50, gaps.p99, gaps.held, gaps.gaps,
			gaps.held_by_dep, gaps.p99_unheld);
	if (atomic_load(&c.sh->result_diffs)) {
		__u32 d = atomic_load(&c.sh->first_diff);
		const struct plan_op *op = d ? &plan.ops[d - 1] : NULL;

		fprintf(stderr, "pcrace: note: %u ops returned other than recorded (last trial)",
			atomic_load(&c.sh->result_diffs));
		if (op)
			fprintf(stderr, ", first op %u (%s %s): %lld, recorded %lld", op->seq,
				plan.threads[op->thread].name,
				plan_op_name_of(op),
				(long long)atomic_load(&c.sh->first_diff_ret),
				(long long)op->ret);
		fputc('\n', stderr);
	}
	if (a.json) {
		printf("{\"verdict\":\"%s\",\"kind\":\"%s\",",
		       failures ? "reproduced" : "not_reproduced",
		       failures ? verdict_name(first.kind) : "none");
		printf("\"trials\":%lu,\"failures\":%lu,\"rate\":%.4f,",
		       trial, failures, trial ? (double)failures / trial : 0);
		printf("\"elapsed_s\":%.3f,", (pcrace_mono_ns() - start) / 1e9);
		printf("\"load_s\":%.6f,\"setup_s\":%.6f,", (start - entry) / 1e9,
		       setup_s);
		printf("\"ci95\":[%.4f,%.4f],\"first_failure_s\":%.3f,",
		       lo, hi, first_fail_ns / 1e9);
		printf("\"seed\":%llu,\"ops\":%u,\"threads\":%u,\"ops_per_s\":%.0f,",
		       (unsigned long long)(failures ? first_seed : a.base.seed),
		       plan.nops, plan.nthreads, ops_per_s);
		printf("\"gap_p50_us\":%.1f,\"gap_p99_us\":%.1f,", gaps.p50, gaps.p99);
		printf("\"gaps\":%u,\"gaps_held\":%u,\"gaps_held_by_dep\":%u,",
		       gaps.gaps, gaps.held, gaps.held_by_dep);
		printf("\"gap_p99_unheld_us\":%.1f,", gaps.p99_unheld);
		printf("\"schedule\":\"%s\",", schedule);
		printf("\"reads_checked\":%llu,\"reads_skipped\":%llu,",
		       (unsigned long long)atomic_load(&c.sh->reads_checked),
		       (unsigned long long)atomic_load(&c.sh->reads_skipped));
		printf("\"bytes_checked\":%llu,\"result_diffs\":%u,",
		       (unsigned long long)atomic_load(&c.sh->bytes_checked),
		       atomic_load(&c.sh->result_diffs));
		printf("\"widen_holds\":%llu,\"widen_ms\":%.1f,",
		       (unsigned long long)holds, held_ns / 1e6);
		printf("\"collide_met\":%lu,\"collide_missed\":%lu,",
		       meets_met, meets_missed);
		printf("\"collide_first_met\":%lu}\n", meets_first);
	}
	ret = failures ? PCRACE_EXIT_REPRODUCED : PCRACE_EXIT_OK;
out:
	if (timing_file)
		fclose(timing_file);
	widen_stop(a.base.widen);
	collide_free(collide);
	free(a.base.meet);
	if (c.kmsg_ok)
		kmsg_close(&c.kmsg);
	if (c.splat_only)
		regfree(&c.splat_re);
	shared_destroy(c.sh);
	free(cpus);
	free(nice);
	plan_free(&plan);
	return ret;
}
