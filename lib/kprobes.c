// SPDX-License-Identifier: GPL-2.0
/*
 * What the running kernel offers for probes, shared by the recorder and
 * replay's --widen: tracefs, kprobe support, kallsyms and the functions
 * that have ftrace hooks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "pcrace_kprobes.h"

const char *tracefs_root(void)
{
	static const char * const roots[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	static char found[64];
	struct stat st;
	size_t i;
	char p[96];

	if (found[0])
		return found;
	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/events", roots[i]);
		if (!stat(p, &st)) {
			snprintf(found, sizeof(found), "%s", roots[i]);
			return found;
		}
	}
	/* root and tracefs not mounted yet: libbpf needs it to attach too */
	if (!mount("nodev", roots[0], "tracefs", 0, NULL)) {
		snprintf(found, sizeof(found), "%s", roots[0]);
		return found;
	}
	return NULL;
}

/* kprobes attach through the perf kprobe PMU or tracefs kprobe_events. */
bool kprobes_available(void)
{
	const char *root = tracefs_root();
	struct stat st;
	char p[128];

	if (!stat("/sys/bus/event_source/devices/kprobe/type", &st))
		return true;
	snprintf(p, sizeof(p), "%s/kprobe_events", root ? root : "/nonexistent");
	return !stat(p, &st);
}

/*
 * A set of symbol names read from a file (the field'th word of each line),
 * as " a b c ", for word lookups.
 */
static char *read_symbols(const char *path, int field)
{
	FILE *f = fopen(path, "re");
	char line[512], sym[256], *syms;
	size_t cap = 1 << 20, len = 0;
	int i;

	syms = calloc(1, cap);
	if (!f || !syms) {
		if (f)
			fclose(f);
		free(syms);
		return NULL;
	}
	syms[len++] = ' ';
	while (fgets(line, sizeof(line), f)) {
		char *w = strtok(line, " \t\n");
		size_t l;

		for (i = 0; w && i < field; i++)
			w = strtok(NULL, " \t\n");
		if (!w)
			continue;
		snprintf(sym, sizeof(sym), "%s", w);
		l = strlen(sym);
		if (len + l + 2 >= cap) {
			char *n = realloc(syms, cap * 2);

			if (!n)
				break;
			syms = n;
			cap *= 2;
		}
		memcpy(syms + len, sym, l);
		len += l;
		syms[len++] = ' ';
		syms[len] = 0;
	}
	fclose(f);
	return syms;
}

static bool has_word(const char *set, const char *name)
{
	char pat[160];

	snprintf(pat, sizeof(pat), " %s ", name);
	return strstr(set, pat) != NULL;
}

/* Is the function in /proc/kallsyms (not inlined away, not renamed)? */
bool ksym_exists(const char *name)
{
	static char *syms;

	if (!syms)
		syms = read_symbols("/proc/kallsyms", 2);
	return syms && has_word(syms, name);
}

/*
 * Functions built without ftrace hooks ("notrace", e.g. lib/xarray.c in
 * Debian's 6.1) refuse kprobes unless CONFIG_KPROBE_EVENTS_ON_NOTRACE=y;
 * available_filter_functions lists those that have the hooks.  Used to
 * explain a failed attach; where that file cannot be read, nothing is
 * assumed.
 */
bool notrace_function(const char *name)
{
	static char *funcs;
	static bool tried;
	char p[128];

	if (!tried) {
		tried = true;
		snprintf(p, sizeof(p), "%s/available_filter_functions",
			 tracefs_root() ? tracefs_root() : "/nonexistent");
		funcs = read_symbols(p, 0);
	}
	return funcs && funcs[1] && !has_word(funcs, name);
}
