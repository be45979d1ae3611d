// SPDX-License-Identifier: GPL-2.0
/*
 * Probe detection and attachment.  A tracepoint is looked up in tracefs
 * before load, so that a kernel without it (6.1 has no
 * mm_filemap_fault, newer kernels no dax_insert_mapping) loses that one
 * probe, and says so in the manifest, instead of failing to load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "probes.h"
#include "pcrace.h"
#include "pcrace_kprobes.h"
#include "pcrace_schema.h"
#include "record.skel.h"

static bool tracepoint_exists(const char *group, const char *name)
{
	const char *root = tracefs_root();
	struct stat st;
	char p[256];

	if (!root)
		return false;
	snprintf(p, sizeof(p), "%s/events/%s/%s", root, group, name);
	return !stat(p, &st);
}

#define TP(g, n, p) { n, "tracepoint", g, skel->progs.p, false }
#define KP(n, p) { n, "kprobe", "kprobe", skel->progs.p, false }
#define KRP(n, p) { n, "kretprobe", "kretprobe", skel->progs.p, false }
#define RAW_TP(g, n, p) { n, "raw_tracepoint", g, skel->progs.p, false }
#define CORE_RAW_TP(g, n, p) { n, "raw_tracepoint", g, skel->progs.p, true }

int probes_init(struct probe_set *ps, struct record_bpf *skel)
{
	const struct probe tmpl[] = {
		CORE_RAW_TP("raw_syscalls", "sys_enter", handle_sys_enter),
		CORE_RAW_TP("raw_syscalls", "sys_exit", handle_sys_exit),
		CORE_RAW_TP("sched", "sched_process_fork", handle_fork),
		TP("sched", "sched_process_exit", handle_exit),
		TP("sched", "sched_process_exec", handle_exec),
		TP("filemap", "mm_filemap_add_to_page_cache", handle_pc_add),
		TP("filemap", "mm_filemap_delete_from_page_cache", handle_pc_delete),
		TP("filemap", "mm_filemap_fault", handle_pc_fault),
		RAW_TP("filemap", "mm_filemap_get_pages", handle_pc_get_pages),
		RAW_TP("filemap", "mm_filemap_map_pages", handle_pc_map_pages),
		TP("filemap", "filemap_set_wb_err", handle_wb_set_err),
		TP("readahead", "page_cache_sync_ra", handle_ra_sync),
		TP("readahead", "page_cache_async_ra", handle_ra_async),
		TP("readahead", "page_cache_ra_unbounded", handle_ra_unbounded),
		TP("writeback", "writeback_dirty_folio", handle_wb_dirty),
		TP("writeback", "folio_wait_writeback", handle_wb_wait),
		TP("iomap", "iomap_dio_invalidate_fail", handle_dio_inval_fail),
		TP("fs_dax", "dax_pmd_fault", handle_dax_pmd_fault),
		TP("fs_dax", "dax_pmd_fault_done", handle_dax_pmd_fault_done),
		TP("fs_dax", "dax_pmd_load_hole", handle_dax_pmd_load_hole),
		TP("fs_dax", "dax_pmd_load_hole_fallback",
		   handle_dax_pmd_load_hole_fallback),
		TP("fs_dax", "dax_pmd_insert_mapping", handle_dax_pmd_insert_mapping),
		TP("fs_dax", "dax_pte_fault", handle_dax_pte_fault),
		TP("fs_dax", "dax_pte_fault_done", handle_dax_pte_fault_done),
		TP("fs_dax", "dax_load_hole", handle_dax_load_hole),
		TP("fs_dax", "dax_insert_pfn_mkwrite_no_entry",
		   handle_dax_mkwrite_no_entry),
		TP("fs_dax", "dax_insert_pfn_mkwrite", handle_dax_mkwrite),
		TP("fs_dax", "dax_insert_mapping", handle_dax_insert_mapping),
		TP("fs_dax", "dax_writeback_range", handle_dax_wb_range),
		TP("fs_dax", "dax_writeback_range_done", handle_dax_wb_range_done),
		TP("fs_dax", "dax_writeback_one", handle_dax_wb_one),
		TP("io_uring", "io_uring_submit_req", handle_uring_submit),
		TP("io_uring", "io_uring_submit_sqe", handle_uring_submit_sqe),
		TP("io_uring", "io_uring_complete", handle_uring_complete),
		TP("page_ref", "page_ref_set", handle_page_ref_set),
		TP("page_ref", "page_ref_mod", handle_page_ref_mod),
		TP("page_ref", "page_ref_mod_and_test", handle_page_ref_mod_and_test),
		TP("page_ref", "page_ref_mod_and_return", handle_page_ref_mod_and_return),
		TP("page_ref", "page_ref_mod_unless", handle_page_ref_mod_unless),
		TP("page_ref", "page_ref_freeze", handle_page_ref_freeze),
		TP("page_ref", "page_ref_unfreeze", handle_page_ref_unfreeze),
		KP("xas_load", handle_xas_load),
		KRP("xas_load", handle_xas_load_ret),
		KP("xas_store", handle_xas_store),
		KP("xas_find", handle_xas_find),
		KRP("xas_find", handle_xas_find_ret),
		KP("xas_find_conflict", handle_xas_find_conflict),
		KRP("xas_find_conflict", handle_xas_find_conflict_ret),
		KP("grab_mapping_entry", handle_grab_entry),
		KRP("grab_mapping_entry", handle_grab_entry_ret),
		KP("get_unlocked_entry", handle_get_unlocked),
		KRP("get_unlocked_entry", handle_get_unlocked_ret),
		KP("dax_wake_entry", handle_dax_wake),
		KP("dax_lock_page", handle_dax_lock_page),
		KRP("dax_lock_page", handle_dax_lock_page_ret),
		KP("dax_unlock_page", handle_dax_unlock_page),
		KP("dio_warn_stale_pagecache", handle_dio_warn_stale),
		KP("handle_mm_fault", handle_user_fault),
		KP("__filemap_add_folio", handle_add_folio),
		KRP("__filemap_add_folio", handle_add_folio_ret),
	};
	int ntp = ARRAY_SIZE(tmpl), nsys = 0, i;

	while (pcrace_syscall_at(nsys))
		nsys++;
	ps->n = ntp + nsys;
	ps->v = calloc(ps->n, sizeof(*ps->v));
	if (!ps->v)
		return -ENOMEM;
	memcpy(ps->v, tmpl, sizeof(tmpl));
	/* syscalls ride on raw_syscalls: listed by name, attached with it */
	for (i = 0; i < nsys; i++) {
		ps->v[ntp + i].name = pcrace_syscall_at(i)->name;
		ps->v[ntp + i].kind = "syscall";
		ps->v[ntp + i].group = "syscalls";
	}
	return 0;
}

void probes_disable_missing(struct probe_set *ps, bool no_kprobes)
{
	bool kprobes = kprobes_available();
	int i;

	for (i = 0; i < ps->n; i++) {
		struct probe *p = &ps->v[i];

		if (!p->prog)
			continue;
		if (!strcmp(p->group, "kprobe") || !strcmp(p->group, "kretprobe")) {
			const char *why = NULL;

			if (no_kprobes)
				why = "not requested (--no-kprobes)";
			else if (!kprobes)
				why = "kprobes unavailable on this kernel (no kprobe PMU or kprobe_events)";
			else if (!ksym_exists(p->name))
				why = "function not in /proc/kallsyms (inlined or renamed)";

			if (why) {
				p->status = PROBE_MISSING;
				snprintf(p->reason, sizeof(p->reason), "%s", why);
				bpf_program__set_autoload(p->prog, false);
			}
			continue;
		}
		if (strcmp(p->kind, "tracepoint") &&
		    strcmp(p->kind, "raw_tracepoint"))
			continue;
		if (!tracepoint_exists(p->group, p->name)) {
			p->status = PROBE_MISSING;
			snprintf(p->reason, sizeof(p->reason),
				 "no tracepoint %s:%s in this kernel",
				 p->group, p->name);
			bpf_program__set_autoload(p->prog, false);
		}
	}
}

int probes_attach(struct probe_set *ps)
{
	struct probe *sys_enter = NULL;
	int i, err = 0;

	for (i = 0; i < ps->n; i++) {
		struct probe *p = &ps->v[i];

		if (!p->prog || p->status == PROBE_MISSING)
			continue;
		p->link = bpf_program__attach(p->prog);
		if (!p->link && !strcmp(p->kind, "kprobe") &&
		    notrace_function(p->name)) {
			p->status = PROBE_FAILED;
			snprintf(p->reason, sizeof(p->reason),
				 "notrace function: kprobes on it need CONFIG_KPROBE_EVENTS_ON_NOTRACE=y");
			continue;
		}
		if (!p->link) {
			p->status = PROBE_FAILED;
			snprintf(p->reason, sizeof(p->reason), "attach failed: %s",
				 strerror(errno));
			if (p->core)
				err = -ENOENT;
		} else {
			p->status = PROBE_ATTACHED;
		}
		if (!strcmp(p->name, "sys_enter"))
			sys_enter = p;
	}
	for (i = 0; i < ps->n; i++) {
		struct probe *p = &ps->v[i];

		if (strcmp(p->kind, "syscall"))
			continue;
		p->status = sys_enter ? sys_enter->status : PROBE_FAILED;
		if (p->status != PROBE_ATTACHED)
			snprintf(p->reason, sizeof(p->reason),
				 "raw_syscalls:sys_enter not attached");
	}
	return err;
}

void probes_detach(struct probe_set *ps)
{
	int i;

	for (i = ps->n - 1; i >= 0; i--) {
		bpf_link__destroy(ps->v[i].link);
		ps->v[i].link = NULL;
	}
}

struct probe *probes_find(struct probe_set *ps, const char *name)
{
	const char *colon = strchr(name, ':');
	int i;

	/* accept "group:name" as well as the bare kernel name */
	for (i = 0; i < ps->n; i++) {
		struct probe *p = &ps->v[i];

		if (colon) {
			if (strlen(p->group) == (size_t)(colon - name) &&
			    !strncmp(p->group, name, colon - name) &&
			    !strcmp(p->name, colon + 1))
				return p;
		} else if (!strcmp(p->name, name)) {
			return p;
		}
	}
	return NULL;
}

const char *probe_status_name(enum probe_status s)
{
	switch (s) {
	case PROBE_ATTACHED:
		return "attached";
	case PROBE_MISSING:
		return "missing";
	default:
		return "failed";
	}
}

char *probes_manifest(const struct probe_set *ps, size_t *len, unsigned int *n)
{
	size_t cap = 384 * ps->n + 1;
	char *buf = malloc(cap);
	int i;

	if (!buf)
		return NULL;
	*len = 0;
	for (i = 0; i < ps->n; i++) {
		const struct probe *p = &ps->v[i];

		*len += snprintf(buf + *len, cap - *len, "%s:%s\t%s\t%s\t%s\n",
				 p->group, p->name, p->kind,
				 probe_status_name(p->status),
				 p->reason[0] ? p->reason : "-");
		if (*len >= cap)
			return free(buf), NULL;
	}
	*n = ps->n;
	return buf;
}
