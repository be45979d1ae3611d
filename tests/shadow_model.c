// SPDX-License-Identifier: GPL-2.0
/*
 * shadow_model: the data oracle's shadow model (replay/shadow.c) driven
 * through orders of completions a replay cannot force on a real kernel,
 * checked against what the kernel may then hold.  Prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../replay/shadow.h"

#define MAGIC	0x1234ull
#define NOPS	6

static struct plan_op plan_ops[NOPS];
static struct op_state ops[NOPS];
static unsigned int test;

static void check(int cond, const char *what)
{
	printf("%sok %u - %s\n", cond ? "" : "not ", ++test, what);
}

/* Does reading tag's bytes (or zeros) at off..off+len pass the oracle? */
static int reads_ok(struct shadow *sh, __u64 off, __u64 len, __u32 tag,
		    __u32 epoch)
{
	unsigned char buf[8192];
	struct mismatch m;
	__u64 checked = 0;

	pattern_fill(buf, off, len, tag, MAGIC);
	if (!shadow_check(sh, 0, 2, off, buf, len, epoch, &m, &checked))
		return 0;
	return checked == len ? 1 : -1;		/* -1: not judged */
}

/* op (thread t) wrote or stored [off, off + len) from epoch s to e */
static void op_write(struct shadow *sh, unsigned int op, unsigned int t,
		     bool store, __u64 off, __u64 len, __u32 s, __u32 e)
{
	if (store)
		shadow_store_begin(sh, 0, t, off, len);
	else
		shadow_write_begin(sh, 0, t, off, len);
	ops[op].start_epoch = s;
	ops[op].end_epoch = e;
	shadow_write_end(sh, 0, t, off, len, op + TAG_OP0, s, e, ops);
}

int main(void)
{
	struct plan_thread threads[3] = { { 0 } };
	struct plan_file file = { 0 };
	struct plan p = {
		.files = &file, .ops = plan_ops, .threads = threads,
		.nfiles = 1, .nops = NOPS, .nthreads = 3, .nprocs = 3,
	};
	struct shadow *sh;
	unsigned int i;
	void *mem;

	for (i = 0; i < NOPS; i++) {
		plan_ops[i].kind = PK_WRITE;
		plan_ops[i].file = 0;
		plan_ops[i].map = PLAN_NONE;
		plan_ops[i].buf_map = PLAN_NONE;
	}
	mem = calloc(1, shadow_bytes(&p));
	if (!mem)
		return 2;
	sh = shadow_init(mem, &p);
	printf("1..8\n");

	/* the size is known: a store's whole page is the file's */
	shadow_reset(sh, 0, 0, TAG_ZERO, MAGIC);
	op_write(sh, 0, 0, false, 0, 8192, 1, 2);
	op_write(sh, 2, 2, true, 4096, 4096, 3, 4);
	check(reads_ok(sh, 4096, 4096, 2 + TAG_OP0, 5) == 1,
	      "size known: the store's bytes read back");
	check(reads_ok(sh, 7168, 1024, TAG_ZERO, 5) == 0,
	      "size known: zeros at the page's end are a mismatch");

	/*
	 * T2's truncate to 0 completes while T1's 8 KiB write is in flight:
	 * the kernel may have cut the write, and the file then grew only
	 * to 7 KiB (a write the model places before the truncate).  T3's
	 * store to the second page has its last KiB past that EOF: an
	 * extension zeroes it.
	 */
	shadow_reset(sh, 0, 0, TAG_ZERO, MAGIC);
	shadow_write_begin(sh, 0, 0, 0, 8192);
	ops[1].start_epoch = 2;
	ops[1].end_epoch = 3;
	shadow_write_begin(sh, 0, 1, 0, ~0ull);
	shadow_set_size(sh, 0, 1, 0, 2, 3, ops);
	ops[0].start_epoch = 1;
	ops[0].end_epoch = 4;
	shadow_write_end(sh, 0, 0, 0, 8192, 0 + TAG_OP0, 1, 4, ops);
	check(shadow_size_min(sh, 0) == 0 && shadow_size(sh, 0) == 8192,
	      "a truncate raced a write: size 0 to 8 KiB");
	op_write(sh, 2, 2, true, 4096, 4096, 5, 6);
	check(reads_ok(sh, 7168, 1024, TAG_ZERO, 7) == 1,
	      "store past an unsure EOF: zeros at the page's end pass");
	check(reads_ok(sh, 4096, 4096, 2 + TAG_OP0, 7) == 1,
	      "store past an unsure EOF: the store's bytes pass too");
	check(reads_ok(sh, 4096, 4096, 0 + TAG_OP0, 7) == 0,
	      "store past an unsure EOF: the write it followed is stale");

	/* an ftruncate to the size makes it sure again */
	ops[3].start_epoch = 8;
	ops[3].end_epoch = 9;
	shadow_write_begin(sh, 0, 1, 8192, ~0ull - 8192);
	shadow_set_size(sh, 0, 1, 8192, 8, 9, ops);
	check(shadow_size_min(sh, 0) == 8192, "ftruncate to 8 KiB: size sure");
	op_write(sh, 4, 2, true, 4096, 4096, 10, 11);
	check(reads_ok(sh, 7168, 1024, TAG_ZERO, 12) == 0,
	      "size sure again: zeros at the page's end are a mismatch");
	free(mem);
	return 0;
}
