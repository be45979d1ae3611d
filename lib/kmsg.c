// SPDX-License-Identifier: GPL-2.0
/* /dev/kmsg reader and splat classifier; see pcrace_kmsg.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "pcrace.h"
#include "pcrace_kmsg.h"

int kmsg_open(struct kmsg_watch *k)
{
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -errno;
	/* only what the kernel logs from now on */
	lseek(k->fd, 0, SEEK_END);
	return 0;
}

void kmsg_close(struct kmsg_watch *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

int kmsg_read(struct kmsg_watch *k, char *buf, size_t len)
{
	char rec[8192], *msg, *nl;
	ssize_t n;
	size_t l;

	if (k->fd < 0)
		return -EBADF;
	for (;;) {
		n = read(k->fd, rec, sizeof(rec) - 1);
		if (n >= 0)
			break;
		if (errno == EAGAIN)
			return 0;
		if (errno != EPIPE && errno != EINTR)
			return -errno;
		/* EPIPE: records were overwritten before we read them */
	}
	rec[n] = 0;
	msg = strchr(rec, ';');
	msg = msg ? msg + 1 : rec;
	nl = strchr(msg, '\n');
	if (nl)
		*nl = 0;
	l = strlen(msg);
	if (l >= len)
		l = len - 1;
	memcpy(buf, msg, l);
	buf[l] = 0;
	return l ? (int)l : 1;	/* an empty line still counts as read */
}

static const struct {
	const char *needle;
	const char *kind;
} splats[] = {
	{ "kernel BUG at", "BUG" },
	{ "BUG: Bad page state", "Bad page state" },
	{ "BUG: soft lockup", "soft lockup" },
	{ "BUG:", "BUG" },
	{ "Oops:", "Oops" },
	{ "WARNING:", "WARNING" },
	{ "VM_BUG_ON", "VM_BUG_ON" },
	{ "Bad page state", "Bad page state" },
	{ "detected stalls on CPUs", "RCU stall" },
	{ "self-detected stall on CPU", "RCU stall" },
	{ "rcu_preempt detected stalls", "RCU stall" },
	{ "rcu_sched detected stalls", "RCU stall" },
	{ " blocked for more than ", "hung task" },
	{ "Page cache invalidation failure on direct I/O", "Page cache invalidation failure" },
	{ "general protection fault", "Oops" },
	/* file systems reporting what they found broken */
	{ "does not have buffers attached", "ext4: dirty page without buffers" },
	{ "EXT4-fs error", "ext4 error" },
	{ "Corruption detected", "xfs corruption" },
	{ "Corruption of in-memory data detected", "xfs corruption" },
	{ "XFS: Assertion failed", "xfs assertion" },
	{ "Internal error", "xfs internal error" },
	{ "Kernel panic", "panic" },
};

const char *pcrace_splat_kind(const char *line)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(splats); i++)
		if (strstr(line, splats[i].needle))
			return splats[i].kind;
	return NULL;
}
