/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probe manifest: every probe record asks for, whether it attached,
 * and why not.  Written into every trace so a replay knows what the
 * recording could and could not see.
 */
#ifndef PCRACE_RECORD_PROBES_H
#define PCRACE_RECORD_PROBES_H

#include <stdbool.h>
#include <bpf/libbpf.h>

struct record_bpf;

enum probe_status {
	PROBE_ATTACHED,
	PROBE_MISSING,		/* the kernel does not have it */
	PROBE_FAILED,		/* it exists but load/attach failed */
};

struct probe {
	const char *name;	/* kernel name: tracepoint, syscall or function */
	const char *kind;	/* tracepoint, raw_tracepoint, syscall */
	const char *group;	/* tracepoint system */
	struct bpf_program *prog;
	bool core;		/* record cannot work without it */
	enum probe_status status;
	char reason[128];
	struct bpf_link *link;
};

struct probe_set {
	struct probe *v;
	int n;
};

int probes_init(struct probe_set *ps, struct record_bpf *skel);
/* Before load: switch off programs whose tracepoint the kernel lacks. */
void probes_disable_missing(struct probe_set *ps, bool no_kprobes);
/* After load: attach every loaded program; < 0 when a core probe failed. */
int probes_attach(struct probe_set *ps);
void probes_detach(struct probe_set *ps);
struct probe *probes_find(struct probe_set *ps, const char *name);
/* Manifest text: name \t kind \t status \t reason, one line a probe. */
char *probes_manifest(const struct probe_set *ps, size_t *len, unsigned int *n);
const char *probe_status_name(enum probe_status s);

#endif /* PCRACE_RECORD_PROBES_H */
