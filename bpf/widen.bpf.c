// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace replay --widen FUNC:USEC: hold the CPU for USEC at a kernel
 * function's entry (or return), so that a race window inside it becomes
 * wide enough to hit on a slow test VM.  The hold is a bounded busy-wait
 * (bpf_loop over bpf_ktime_get_ns); the delay is the attachment's cookie,
 * so one program serves every --widen.  Only the replay's workers are
 * held (their tgids, or chosen threads' tids, in widen_who) unless
 * widen_anyone is set.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile bool widen_anyone;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);		/* a tgid or a tid */
	__type(value, __u8);
} widen_who SEC(".maps");

/* holds and nanoseconds held, per CPU */
struct widen_stats {
	__u64 holds, ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct widen_stats);
} widen_stats SEC(".maps");

/* bpf_loop's bound: far more iterations than any sane hold needs */
#define MAX_SPINS	(1 << 23)

static long spin(__u64 index, void *deadline)
{
	return bpf_ktime_get_ns() >= *(__u64 *)deadline;
}

static int hold(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), start, deadline;
	__u32 tgid = id >> 32, tid = (__u32)id, zero = 0;
	struct widen_stats *st;

	if (!widen_anyone && !bpf_map_lookup_elem(&widen_who, &tgid) &&
	    !bpf_map_lookup_elem(&widen_who, &tid))
		return 0;
	start = bpf_ktime_get_ns();
	deadline = start + bpf_get_attach_cookie(ctx);
	bpf_loop(MAX_SPINS, spin, &deadline, 0);
	st = bpf_map_lookup_elem(&widen_stats, &zero);
	if (st) {
		st->holds++;
		st->ns += bpf_ktime_get_ns() - start;
	}
	return 0;
}

SEC("kprobe")
int widen_entry(struct pt_regs *ctx)
{
	return hold(ctx);
}

SEC("kretprobe")
int widen_return(struct pt_regs *ctx)
{
	return hold(ctx);
}
