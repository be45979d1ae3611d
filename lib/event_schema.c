// SPDX-License-Identifier: GPL-2.0
/* Names and argument layouts of the non-syscall events (pcrace_abi.h). */
#include <string.h>
#include "pcrace_schema.h"

#define A(n, f)	{ n, PCRACE_AF_##f }
#define EV(t, g, n, ...) [t] = { n, g, __VA_ARGS__ }

#define DAX_FAULT_ARGS 7, { A("dev", KDEV), A("ino", U), A("index", U), \
	A("address", X), A("flags", X), A("result", X), A("vm_flags", X) }
#define DAX_HOLE_ARGS 6, { A("dev", KDEV), A("ino", U), A("address", X), \
	A("zero_folio", X), A("entry", X), A("vm_flags", X) }
#define DAX_WB_ARGS 4, { A("dev", KDEV), A("ino", U), A("index", U), \
	A("end_index", U) }
#define RA_ARGS 6, { A("dev", KDEV), A("ino", U), A("index", U), \
	A("req_count", U), A("size", U), A("async_size", U) }
#define PC_ARGS 5, { A("dev", KDEV), A("ino", U), A("index", U), \
	A("order", U), A("pfn", X) }
#define PC_RANGE_ARGS 4, { A("dev", KDEV), A("ino", U), A("index", U), \
	A("last_index", U) }

static const struct pcrace_ev_desc descs[PCRACE_EV_MAX] = {
	EV(PCRACE_EV_SYS_ENTER, "raw_syscalls", "sys_enter", 7,
	   { A("nr", U), A("a0", X), A("a1", X), A("a2", X), A("a3", X),
	     A("a4", X), A("a5", X) }),
	EV(PCRACE_EV_SYS_EXIT, "raw_syscalls", "sys_exit", 2,
	   { A("nr", U), A("ret", ERRNO) }),
	EV(PCRACE_EV_FD_BIND, "pcrace", "fd_bind", 7,
	   { A("fd", FD), A("dev", KDEV), A("ino", U), A("flags", OFLAGS),
	     A("size", U), A("mode", MODE), A("rdev", KDEV) }),
	EV(PCRACE_EV_PATH, "pcrace", "path", 0, { }),
	EV(PCRACE_EV_DATA, "pcrace", "data", 0, { }),
	EV(PCRACE_EV_TASK_FORK, "sched", "sched_process_fork", 2,
	   { A("child_tid", U), A("child_tgid", U) }),
	EV(PCRACE_EV_TASK_EXIT, "sched", "sched_process_exit", 1,
	   { A("exit_code", X) }),
	EV(PCRACE_EV_TASK_EXEC, "sched", "sched_process_exec", 0, { }),
	EV(PCRACE_EV_TASK_COMM, "pcrace", "task_comm", 0, { }),
	EV(PCRACE_EV_LOSS, "pcrace", "loss", 2,
	   { A("lost_type", U), A("count", U) }),
	EV(PCRACE_EV_PC_ADD, "filemap", "mm_filemap_add_to_page_cache", PC_ARGS),
	EV(PCRACE_EV_PC_DELETE, "filemap", "mm_filemap_delete_from_page_cache",
	   PC_ARGS),
	EV(PCRACE_EV_PC_FAULT, "filemap", "mm_filemap_fault", 3,
	   { A("dev", KDEV), A("ino", U), A("index", U) }),
	EV(PCRACE_EV_PC_GET_PAGES, "filemap", "mm_filemap_get_pages",
	   PC_RANGE_ARGS),
	EV(PCRACE_EV_PC_MAP_PAGES, "filemap", "mm_filemap_map_pages",
	   PC_RANGE_ARGS),
	EV(PCRACE_EV_RA_SYNC, "readahead", "page_cache_sync_ra", RA_ARGS),
	EV(PCRACE_EV_RA_ASYNC, "readahead", "page_cache_async_ra", RA_ARGS),
	EV(PCRACE_EV_RA_UNBOUNDED, "readahead", "page_cache_ra_unbounded", 5,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("nr_to_read", U),
	     A("lookahead", U) }),
	EV(PCRACE_EV_WB_DIRTY_FOLIO, "writeback", "writeback_dirty_folio", 2,
	   { A("ino", U), A("index", U) }),
	EV(PCRACE_EV_WB_WAIT_FOLIO, "writeback", "folio_wait_writeback", 2,
	   { A("ino", U), A("index", U) }),
	EV(PCRACE_EV_DIO_INVAL_FAIL, "iomap", "iomap_dio_invalidate_fail", 5,
	   { A("dev", KDEV), A("ino", U), A("size", U), A("offset", U),
	     A("len", U) }),
	EV(PCRACE_EV_WB_SET_ERR, "filemap", "filemap_set_wb_err", 3,
	   { A("dev", KDEV), A("ino", U), A("errseq", X) }),
	EV(PCRACE_EV_DAX_PMD_FAULT, "fs_dax", "dax_pmd_fault", DAX_FAULT_ARGS),
	EV(PCRACE_EV_DAX_PMD_FAULT_DONE, "fs_dax", "dax_pmd_fault_done",
	   DAX_FAULT_ARGS),
	EV(PCRACE_EV_DAX_PMD_LOAD_HOLE, "fs_dax", "dax_pmd_load_hole",
	   DAX_HOLE_ARGS),
	EV(PCRACE_EV_DAX_PMD_LOAD_HOLE_FALLBACK, "fs_dax",
	   "dax_pmd_load_hole_fallback", DAX_HOLE_ARGS),
	EV(PCRACE_EV_DAX_PMD_INSERT_MAPPING, "fs_dax", "dax_pmd_insert_mapping", 7,
	   { A("dev", KDEV), A("ino", U), A("address", X), A("len", U),
	     A("pfn", X), A("entry", X), A("vm_flags", X) }),
	EV(PCRACE_EV_DAX_PTE_FAULT, "fs_dax", "dax_pte_fault", DAX_FAULT_ARGS),
	EV(PCRACE_EV_DAX_PTE_FAULT_DONE, "fs_dax", "dax_pte_fault_done",
	   DAX_FAULT_ARGS),
	EV(PCRACE_EV_DAX_LOAD_HOLE, "fs_dax", "dax_load_hole", DAX_FAULT_ARGS),
	EV(PCRACE_EV_DAX_INSERT_PFN_MKWRITE_NO_ENTRY, "fs_dax",
	   "dax_insert_pfn_mkwrite_no_entry", DAX_FAULT_ARGS),
	EV(PCRACE_EV_DAX_INSERT_PFN_MKWRITE, "fs_dax", "dax_insert_pfn_mkwrite",
	   DAX_FAULT_ARGS),
	EV(PCRACE_EV_DAX_INSERT_MAPPING, "fs_dax", "dax_insert_mapping", 6,
	   { A("dev", KDEV), A("ino", U), A("address", X), A("entry", X),
	     A("write", U), A("vm_flags", X) }),
	EV(PCRACE_EV_DAX_WRITEBACK_RANGE, "fs_dax", "dax_writeback_range",
	   DAX_WB_ARGS),
	EV(PCRACE_EV_DAX_WRITEBACK_RANGE_DONE, "fs_dax",
	   "dax_writeback_range_done", DAX_WB_ARGS),
	EV(PCRACE_EV_DAX_WRITEBACK_ONE, "fs_dax", "dax_writeback_one", 4,
	   { A("dev", KDEV), A("ino", U), A("index", U), A("len", U) }),
	EV(PCRACE_EV_URING_SUBMIT, "io_uring", "io_uring_submit_req", 7,
	   { A("ctx", X), A("user_data", X), A("opcode", URING_OP),
	     A("flags", X), A("fd", FD), A("offset", U), A("len", U) }),
	EV(PCRACE_EV_URING_COMPLETE, "io_uring", "io_uring_complete", 4,
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
