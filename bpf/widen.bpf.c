// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace replay --widen FUNC:USEC: hold the CPU for USEC at a kernel
 * function's entry (or return), so that a race window inside it becomes
 * wide enough to hit on a slow test VM.  The hold is a bounded busy-wait
 * (bpf_loop over bpf_ktime_get_ns); the attachment's cookie carries the
 * delay and which --widen it is, so one program serves them all.  Only
 * the replay's workers are held unless widen_anyone is set: widen_who
 * maps a worker process's tgid, or a chosen thread's tid, to the mask of
 * the --widen specs that apply to it.  An io_uring op a worker thread
 * submits may run in one of its io-wq workers, a thread named
 * "iou-wrk-<tid of the submitter>": the specs of that submitter apply.
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
	__type(value, __u32);		/* bit i: the i-th --widen holds it */
} widen_who SEC(".maps");

/* the cookie: the hold in ns, below the spec's index */
#define SPEC_SHIFT	40

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

static __u32 mask_of(__u32 id)
{
	__u32 *m = bpf_map_lookup_elem(&widen_who, &id);

	return m ? *m : 0;
}

/* The submitter's tid in an io-wq worker's name "iou-wrk-<tid>", or 0. */
static __u32 iowq_owner(void)
{
	char comm[16];
	__u32 tid = 0;
	int i;

	if (bpf_get_current_comm(comm, sizeof(comm)) ||
	    comm[0] != 'i' || comm[1] != 'o' || comm[2] != 'u' || comm[3] != '-' ||
	    comm[4] != 'w' || comm[5] != 'r' || comm[6] != 'k' || comm[7] != '-')
		return 0;
	for (i = 8; i < 15; i++) {
		if (comm[i] < '0' || comm[i] > '9')
			break;
		tid = tid * 10 + comm[i] - '0';
	}
	return tid;
}

static int hold(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), cookie = bpf_get_attach_cookie(ctx);
	__u64 start, deadline;
	__u32 spec = cookie >> SPEC_SHIFT, zero = 0, owner;
	struct widen_stats *st;

	if (!widen_anyone) {
		__u32 mask = mask_of(id >> 32) | mask_of((__u32)id);

		owner = iowq_owner();
		if (owner)
			mask |= mask_of(owner);
		if (spec >= 32 || !(mask & (1u << spec)))
			return 0;
	}
	start = bpf_ktime_get_ns();
	deadline = start + (cookie & ((1ull << SPEC_SHIFT) - 1));
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
