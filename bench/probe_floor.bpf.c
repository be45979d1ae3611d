// SPDX-License-Identifier: GPL-2.0
/*
 * The floor under any eBPF recorder, for bench/record_overhead.sh: the
 * same three hooks pcrace puts on a cached read (sys_enter,
 * mm_filemap_get_pages, sys_exit), first with programs that do nothing
 * ("empty": the kernel's dispatch cost), then with programs that do the
 * least a ring-buffer recorder must (a tgid test, a timestamp, one
 * 32-byte record reserved and submitted: "minimal").  What pcrace costs
 * above "minimal" is its own; what "minimal" costs is not.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* set by the loader once the command's pid is known */
__u32 target_tgid;

struct floor_record {
	__u64 ts_ns;
	__u32 tid;
	__u32 type;
	__u64 arg[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 20);
} floor_events SEC(".maps");

__u64 floor_lost;

SEC("raw_tp/sys_enter")
int empty_sys_enter(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_exit")
int empty_sys_exit(void *ctx)
{
	return 0;
}

SEC("raw_tp/mm_filemap_get_pages")
int empty_get_pages(void *ctx)
{
	return 0;
}

static __always_inline void minimal(__u32 type,
				    struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct floor_record *r;

	if (id >> 32 != target_tgid)
		return;
	r = bpf_ringbuf_reserve(&floor_events, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&floor_lost, 1);
		return;
	}
	r->ts_ns = bpf_ktime_get_ns();
	r->tid = (__u32)id;
	r->type = type;
	r->arg[0] = ctx->args[0];
	r->arg[1] = ctx->args[1];
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
}

SEC("raw_tp/sys_enter")
int minimal_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	minimal(0, ctx);
	return 0;
}

SEC("raw_tp/sys_exit")
int minimal_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	minimal(1, ctx);
	return 0;
}

SEC("raw_tp/mm_filemap_get_pages")
int minimal_get_pages(struct bpf_raw_tracepoint_args *ctx)
{
	minimal(2, ctx);
	return 0;
}
