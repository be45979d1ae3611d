/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data oracle's shadow model: for every byte of every target file,
 * which write(s) it may hold now.  Every write replay issues (syscall,
 * io_uring or mmap store) fills its buffer with a pattern naming the op
 * and the file offset, so a block read back says who wrote it.
 *
 * Writes that overlapped in time may land in either order: a range keeps
 * every write that completed after the last write known to precede them
 * all (up to SHADOW_CANDS), and a read accepts any of them.  Bytes that
 * changed while a read was in flight are not judged by that read.
 */
#ifndef PCRACE_SHADOW_H
#define PCRACE_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "shared.h"

#define SHADOW_CANDS	4

/* Tags: what a byte holds.  Ops' writes are op index + TAG_OP0. */
#define TAG_ZERO	0u	/* a hole, an extension, a punched range */
#define TAG_INIT	1u	/* replay's pre-fill */
#define TAG_UNKNOWN	2u	/* not judged (collapse/insert range, overflow) */
#define TAG_OP0		3u

size_t shadow_bytes(const struct plan *p);
struct shadow *shadow_init(void *mem, const struct plan *p);
/* Per trial: file contents start as tag over [0, size). */
void shadow_reset(struct shadow *sh, unsigned int file, __u64 size, __u32 tag,
		  __u64 magic);

/* The pattern: 8-byte words, each naming its tag and file offset. */
void pattern_fill(void *buf, __u64 off, size_t len, __u32 tag, __u64 magic);

void shadow_write_begin(struct shadow *sh, unsigned int file,
			unsigned int thread, __u64 off, __u64 len);
/* A store through a mapping (it cannot extend the file). */
void shadow_store_begin(struct shadow *sh, unsigned int file,
			unsigned int thread, __u64 off, __u64 len);
/* A write of len bytes at off completed; start/end epochs of this op. */
void shadow_write_end(struct shadow *sh, unsigned int file,
		      unsigned int thread, __u64 off, __u64 len, __u32 tag,
		      __u32 start_epoch, __u32 end_epoch,
		      const struct op_state *ops);
/*
 * Size changes, at completion.  A truncate is in flight from
 * shadow_write_begin(off = new size) to here, which ends it.
 */
void shadow_set_size(struct shadow *sh, unsigned int file, unsigned int thread,
		     __u64 size, __u32 start_epoch, __u32 end_epoch,
		     const struct op_state *ops);
/* A punched or zeroed range: a write of op tag's zeros (see shadow.c). */
void shadow_zero(struct shadow *sh, unsigned int file, unsigned int thread,
		 __u64 off, __u64 len, bool extend, __u32 tag, __u32 start_epoch,
		 __u32 end_epoch, const struct op_state *ops);
void shadow_unknown_from(struct shadow *sh, unsigned int file, __u64 off,
			 __s64 size_delta, __u32 epoch);
/* The largest and least size the file may have now. */
__u64 shadow_size(struct shadow *sh, unsigned int file);
__u64 shadow_size_min(struct shadow *sh, unsigned int file);

/*
 * Check len bytes read at off by a read that started at start_epoch.
 * Returns false and fills *m (all but op) on the first mismatching run.
 */
bool shadow_check(struct shadow *sh, unsigned int file, unsigned int thread,
		  __u64 off, const void *buf, __u64 len, __u32 start_epoch,
		  struct mismatch *m, __u64 *checked);

/* The tag a pattern word decodes to at off, or ~0 if it is not one. */
__u32 pattern_tag(const void *word, __u64 off, __u64 magic);

#endif /* PCRACE_SHADOW_H */
