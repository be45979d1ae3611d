// SPDX-License-Identifier: GPL-2.0
/* Names and argument layouts of the non-syscall events (pcrace_abi.h). */
#include <string.h>
#include "pcrace_schema.h"

#define A(n, f)	{ n, PCRACE_AF_##f }
#define EV(g, n, c, ...) { n, g, c, __VA_ARGS__ }

#define DAX_FAULT(n) EV("fs_dax", n, 7, { A("dev", KDEV), A("ino", U), \
	A("index", U), A("address", X), A("flags", X), A("result", X), \
	A("vm_flags", X) })
#define DAX_HOLE(n) EV("fs_dax", n, 6, { A("dev", KDEV), A("ino", U), \
	A("address", X), A("zero_folio", X), A("entry", X), A("vm_flags", X) })
#define DAX_WB(n) EV("fs_dax", n, 4, { A("dev", KDEV), A("ino", U), \
	A("index", U), A("end_index", U) })
#define RA(n) EV("readahead", n, 6, { A("dev", KDEV), A("ino", U), \
	A("index", U), A("req_count", U), A("size", U), A("async_size", U) })
#define PC(n) EV("filemap", n, 5, { A("dev", KDEV), A("ino", U), \
	A("index", U), A("order", U), A("pfn", X) })
#define PAGE_REF(n) EV("page_ref", n, 7, { A("dev", KDEV), A("ino", U), \
	A("pfn", X), A("count", D), A("val", D), A("ret", D), A("flags", X) })
#define PC_RANGE(n) EV("filemap", n, 4, { A("dev", KDEV), A("ino", U), \
	A("index", U), A("last_index", U) })

static const struct pcrace_ev_desc descs[PCRACE_EV_MAX] = {
	[PCRACE_EV_SYS_ENTER] = EV("raw_syscalls", "sys_enter", 7,
	   { A("nr", U), A("a0", X), A("a1", X), A("a2", X), A("a3", X),
	     A("a4", X), A("a5", X) }),
	[PCRACE_EV_SYS_EXIT] = EV("raw_syscalls", "sys_exit", 2,
	   { A("nr", U), A("ret", ERRNO) }),
	[PCRACE_EV_FD_BIND] = EV("pcrace", "fd_bind", 7,
	   { A("fd", FD), A("dev", KDEV), A("ino", U), A("flags", OFLAGS),
	     A("size", U), A("mode", MODE), A("rdev", KDEV) }),
	[PCRACE_EV_PATH] = EV("pcrace", "path", 0, { }),
	[PCRACE_EV_DATA] = EV("pcrace", "data", 0, { }),
	[PCRACE_EV_TASK_FORK] = EV("sched", "sched_process_fork", 2,
	   { A("child_tid", U), A("child_tgid", U) }),
	[PCRACE_EV_TASK_EXIT] = EV("sched", "sched_process_exit", 1,
	   { A("exit_code", X) }),
	[PCRACE_EV_TASK_EXEC] = EV("sched", "sched_process_exec", 0, { }),
	[PCRACE_EV_TASK_COMM] = EV("pcrace", "task_comm", 0, { }),
	[PCRACE_EV_FD_PATH] = EV("pcrace", "fd_path", 0, { }),
	[PCRACE_EV_BLKPG] = EV("pcrace", "blkpg", 5,
	   { A("op", U), A("flags", X), A("start", U), A("length", U),
	     A("pno", U) }),
	[PCRACE_EV_LOSS] = EV("pcrace", "loss", 2,
	   { A("lost_type", U), A("count", U) }),
	[PCRACE_EV_PC_ADD] = PC("mm_filemap_add_to_page_cache"),
	[PCRACE_EV_PC_DELETE] = PC("mm_filemap_delete_from_page_cache"),
	[PCRACE_EV_PC_FAULT] = EV("filemap", "mm_filemap_fault", 3,
	   { A("dev", KDEV), A("ino", U), A("index", U) }),
	[PCRACE_EV_PC_GET_PAGES] = PC_RANGE("mm_filemap_get_pages"),
	[PCRACE_EV_PC_MAP_PAGES] = PC_RANGE("mm_filemap_map_pages"),
	[PCRACE_EV_RA_SYNC] = RA("page_cache_sync_ra"),
	[PCRACE_EV_RA_ASYNC] = RA("page_cache_async_ra"),
	[PCRACE_EV_RA_UNBOUNDED] = EV("readahead", "page_cache_ra_unbounded", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("nr_to_read", U),
	     A("lookahead", U) }),
	[PCRACE_EV_WB_DIRTY_FOLIO] = EV("writeback", "writeback_dirty_folio", 2,
	   { A("ino", U), A("index", U) }),
	[PCRACE_EV_WB_WAIT_FOLIO] = EV("writeback", "folio_wait_writeback", 2,
	   { A("ino", U), A("index", U) }),
	[PCRACE_EV_DIO_INVAL_FAIL] = EV("iomap", "iomap_dio_invalidate_fail", 5,
	   { A("dev", KDEV), A("ino", U), A("size", U), A("offset", U),
	     A("len", U) }),
	[PCRACE_EV_WB_SET_ERR] = EV("filemap", "filemap_set_wb_err", 3,
	   { A("dev", KDEV), A("ino", U), A("errseq", X) }),
	[PCRACE_EV_DAX_PMD_FAULT] = DAX_FAULT("dax_pmd_fault"),
	[PCRACE_EV_DAX_PMD_FAULT_DONE] = DAX_FAULT("dax_pmd_fault_done"),
	[PCRACE_EV_DAX_PMD_LOAD_HOLE] = DAX_HOLE("dax_pmd_load_hole"),
	[PCRACE_EV_DAX_PMD_LOAD_HOLE_FALLBACK] = DAX_HOLE("dax_pmd_load_hole_fallback"),
	[PCRACE_EV_DAX_PMD_INSERT_MAPPING] = EV("fs_dax", "dax_pmd_insert_mapping", 7,
	   { A("dev", KDEV), A("ino", U), A("address", X), A("len", U),
	     A("pfn", X), A("entry", X), A("vm_flags", X) }),
	[PCRACE_EV_DAX_PTE_FAULT] = DAX_FAULT("dax_pte_fault"),
	[PCRACE_EV_DAX_PTE_FAULT_DONE] = DAX_FAULT("dax_pte_fault_done"),
	[PCRACE_EV_DAX_LOAD_HOLE] = DAX_FAULT("dax_load_hole"),
	[PCRACE_EV_DAX_INSERT_PFN_MKWRITE_NO_ENTRY] = DAX_FAULT("dax_insert_pfn_mkwrite_no_entry"),
	[PCRACE_EV_DAX_INSERT_PFN_MKWRITE] = DAX_FAULT("dax_insert_pfn_mkwrite"),
	[PCRACE_EV_DAX_INSERT_MAPPING] = EV("fs_dax", "dax_insert_mapping", 6,
	   { A("dev", KDEV), A("ino", U), A("address", X), A("entry", X),
	     A("write", U), A("vm_flags", X) }),
	[PCRACE_EV_DAX_WRITEBACK_RANGE] = DAX_WB("dax_writeback_range"),
	[PCRACE_EV_DAX_WRITEBACK_RANGE_DONE] = DAX_WB("dax_writeback_range_done"),
	[PCRACE_EV_DAX_WRITEBACK_ONE] = EV("fs_dax", "dax_writeback_one", 4,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("len", U) }),
	[PCRACE_EV_XAS_LOAD] = EV("kprobe", "xas_load", 4,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("entry", X) }),
	[PCRACE_EV_XAS_STORE] = EV("kprobe", "xas_store", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("entry", X),
	     A("shift", U) }),
	[PCRACE_EV_XAS_FIND] = EV("kprobe", "xas_find", 6,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("max", U),
	     A("entry", X), A("found_index", U) }),
	[PCRACE_EV_XAS_FIND_CONFLICT] = EV("kprobe", "xas_find_conflict", 4,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("entry", X) }),
	[PCRACE_EV_DAX_GRAB_ENTRY] = EV("kprobe", "grab_mapping_entry", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("order", U),
	     A("entry", X) }),
	[PCRACE_EV_DAX_GET_UNLOCKED] = EV("kprobe", "get_unlocked_entry", 4,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("order", U) }),
	[PCRACE_EV_DAX_GET_UNLOCKED_RET] = EV("kretprobe", "get_unlocked_entry_ret",
	   4, { A("dev", KDEV), A("ino", U), A("index", U), A("entry", X) }),
	[PCRACE_EV_DAX_WAKE_ENTRY] = EV("kprobe", "dax_wake_entry", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("entry", X),
	     A("mode", U) }),
	[PCRACE_EV_DAX_LOCK_PAGE] = EV("kprobe", "dax_lock_page", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("page", X),
	     A("cookie", X) }),
	[PCRACE_EV_DAX_UNLOCK_PAGE] = EV("kprobe", "dax_unlock_page", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("page", X),
	     A("cookie", X) }),
	[PCRACE_EV_DIO_WARN_STALE] = EV("kprobe", "dio_warn_stale_pagecache", 2,
	   { A("dev", KDEV), A("ino", U) }),
	[PCRACE_EV_USER_FAULT] = EV("kprobe", "handle_mm_fault", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("address", X),
	     A("flags", X) }),
	[PCRACE_EV_FILEMAP_ADD_FOLIO] = EV("kretprobe", "__filemap_add_folio", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("folio", X),
	     A("ret", ERRNO) }),
	[PCRACE_EV_PAGE_REF_SET] = PAGE_REF("page_ref_set"),
	[PCRACE_EV_PAGE_REF_MOD] = PAGE_REF("page_ref_mod"),
	[PCRACE_EV_PAGE_REF_MOD_AND_TEST] = PAGE_REF("page_ref_mod_and_test"),
	[PCRACE_EV_PAGE_REF_MOD_AND_RETURN] = PAGE_REF("page_ref_mod_and_return"),
	[PCRACE_EV_PAGE_REF_MOD_UNLESS] = PAGE_REF("page_ref_mod_unless"),
	[PCRACE_EV_PAGE_REF_FREEZE] = PAGE_REF("page_ref_freeze"),
	[PCRACE_EV_PAGE_REF_UNFREEZE] = PAGE_REF("page_ref_unfreeze"),
	[PCRACE_EV_URING_SUBMIT] = EV("io_uring", "io_uring_submit_req", 7,
	   { A("ctx", X), A("user_data", X), A("opcode", URING_OP),
	     A("flags", X), A("fd", FD), A("offset", U), A("len", U) }),
	[PCRACE_EV_URING_COMPLETE] = EV("io_uring", "io_uring_complete", 4,
	   { A("ctx", X), A("user_data", X), A("res", ERRNO), A("cflags", X) }),
};

const struct pcrace_ev_desc *pcrace_ev_desc(unsigned int type)
{
	if (type >= PCRACE_EV_MAX || !descs[type].name)
		return NULL;
	return &descs[type];
}

const char *pcrace_ev_name(unsigned int type)
{
	const struct pcrace_ev_desc *d = pcrace_ev_desc(type);

	return d ? d->name : "unknown";
}

int pcrace_ev_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < PCRACE_EV_MAX; i++)
		if (descs[i].name && !strcmp(descs[i].name, name))
			return i;
	return -1;
}
