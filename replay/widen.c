// SPDX-License-Identifier: GPL-2.0
/* Kernel-side race-window widening for replay (see widen.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "pcrace.h"
#include "pcrace_kprobes.h"
#include "widen.h"
#include "widen.skel.h"

struct widen {
	struct widen_bpf *skel;
	struct bpf_link *links[WIDEN_MAX];
	unsigned int nlinks;
	__u32 thread_specs[256];	/* per plan thread: its own specs' bits */
	__u32 process_specs;		/* the specs that hold every worker */
};

/* widen.bpf.c's cookie: the hold in ns below the spec's index */
#define SPEC_SHIFT	40

int widen_parse(const char *arg, struct widen_spec *w, char *err, size_t len)
{
	const char *colon = strrchr(arg, ':'), *at;
	char *end;
	size_t n;
	double us;

	memset(w, 0, sizeof(*w));
	if (!colon || colon == arg) {
		snprintf(err, len, "--widen takes FUNC[%%return]:USEC[@T<n>], not '%s'", arg);
		return -1;
	}
	n = colon - arg;
	if (n >= sizeof(w->func)) {
		snprintf(err, len, "--widen: function name too long");
		return -1;
	}
	memcpy(w->func, arg, n);
	if (n > 7 && !strcmp(w->func + n - 7, "%return")) {
		w->ret = true;
		w->func[n - 7] = '\0';
	}
	us = strtod(colon + 1, &end);
	at = end;
	if (end == colon + 1 || !(us > 0) || us > 1000000 ||
	    (*at && (*at != '@' || at[1] != 'T' || strlen(at + 1) >= sizeof(w->thread)))) {
		snprintf(err, len, "--widen %s: USEC must be 0 < USEC <= 1000000, then @T<n> optionally",
			 arg);
		return -1;
	}
	w->ns = us * 1000;
	if (*at)
		snprintf(w->thread, sizeof(w->thread), "%s", at + 1);
	return 0;
}

struct widen *widen_start(const struct widen_spec *specs, unsigned int n,
			  const struct plan *p, bool anyone, char *err, size_t len)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	struct widen *w;
	unsigned int i;
	int t;

	if (!kprobes_available()) {
		snprintf(err, len, "--widen needs kprobes, which this kernel does not offer");
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (!ksym_exists(specs[i].func)) {
			snprintf(err, len, "--widen: this kernel has no function %s", specs[i].func);
			goto fail;
		}
		if (!specs[i].thread[0]) {
			w->process_specs |= 1u << i;
			continue;
		}
		t = plan_thread_by_name(p, specs[i].thread);
		if (t < 0 || t >= (int)ARRAY_SIZE(w->thread_specs)) {
			snprintf(err, len, "--widen: the scenario has no thread %s", specs[i].thread);
			goto fail;
		}
		w->thread_specs[t] |= 1u << i;
	}
	w->skel = widen_bpf__open();
	if (w->skel) {
		w->skel->rodata->widen_anyone = anyone;
		if (widen_bpf__load(w->skel)) {
			widen_bpf__destroy(w->skel);
			w->skel = NULL;
		}
	}
	if (!w->skel) {
		snprintf(err, len, "--widen: cannot load its BPF program: %s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < n; i++) {
		struct bpf_program *prog = specs[i].ret ? w->skel->progs.widen_return :
							  w->skel->progs.widen_entry;

		opts.bpf_cookie = specs[i].ns | (__u64)i << SPEC_SHIFT;
		opts.retprobe = specs[i].ret;
		w->links[i] = bpf_program__attach_kprobe_opts(prog, specs[i].func, &opts);
		if (!w->links[i]) {
			snprintf(err, len, "--widen: cannot attach to %s%s: %s", specs[i].func,
				 notrace_function(specs[i].func) ?
				 " (a notrace function)" : "", strerror(errno));
			goto fail;
		}
		w->nlinks++;
	}
	return w;
fail:
	widen_stop(w);
	return NULL;
}

static void enroll(struct widen *w, __u32 id, __u32 specs)
{
	__u32 mask = 0;

	/* a tid can equal its tgid: keep what the other enrolment gave */
	bpf_map__lookup_elem(w->skel->maps.widen_who, &id, sizeof(id), &mask,
			     sizeof(mask), 0);
	mask |= specs;
	bpf_map__update_elem(w->skel->maps.widen_who, &id, sizeof(id), &mask,
			     sizeof(mask), BPF_ANY);
}

void widen_enroll_process(struct widen *w)
{
	if (w && w->process_specs)
		enroll(w, getpid(), w->process_specs);
}

void widen_enroll_thread(struct widen *w, unsigned int thread)
{
	if (w && thread < ARRAY_SIZE(w->thread_specs) && w->thread_specs[thread])
		enroll(w, syscall(SYS_gettid), w->thread_specs[thread]);
}

void widen_stats(struct widen *w, __u64 *holds, __u64 *ns)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct { __u64 holds, ns; } *v;
	__u32 zero = 0;

	*holds = *ns = 0;
	if (!w || ncpu <= 0)
		return;
	v = calloc(ncpu, sizeof(*v));
	if (v && !bpf_map__lookup_elem(w->skel->maps.widen_stats, &zero, sizeof(zero),
				       v, ncpu * sizeof(*v), 0)) {
		for (i = 0; i < ncpu; i++) {
			*holds += v[i].holds;
			*ns += v[i].ns;
		}
	}
	free(v);
}

void widen_stop(struct widen *w)
{
	unsigned int i;

	if (!w)
		return;
	for (i = 0; i < w->nlinks; i++)
		bpf_link__destroy(w->links[i]);
	widen_bpf__destroy(w->skel);
	free(w);
}
