// SPDX-License-Identifier: GPL-2.0
/*
 * sync engine: every op as the system call the recorded task made
 * (read(2) at the fd position, pread64, preadv2 with its RWF_* flags,
 * ...), and what io_uring cannot carry: open and close, ftruncate, ioctl,
 * drop_caches.  ioctls whose argument the trace does not hold are only
 * replayed when they take none (BLKRRPART, BLKFLSBUF) or just report
 * into a buffer (the *GET* family); others are not replayable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include "pcrace.h"
#include "engine.h"

static bool sync_carries(const struct worker *w, const struct plan_op *op)
{
	return op->kind != PK_MMAP && op->kind != PK_MUNMAP &&
	       op->kind != PK_MSYNC && op->kind != PK_MADVISE &&
	       op->kind != PK_TOUCH;
}

static __s64 rw(struct worker *w, const struct plan_op *op, int fd)
{
	void *buf = worker_buf(w, op);
	struct iovec iov = { buf, op->len };
	bool rd = op->kind == PK_READ;
	ssize_t n;

	if (!buf)
		return -EFAULT;	/* its mapping is gone, as it was then */

	switch (op->call) {
	case PC_PLAIN:
		if (worker_fd_pos(w, fd) != (__s64)op->off &&
		    lseek(fd, op->off, SEEK_SET) < 0)
			return -errno;
		worker_issued(w);
		n = rd ? read(fd, buf, op->len) : write(fd, buf, op->len);
		worker_fd_moved(w, fd, op->off + (n > 0 ? n : 0));
		break;
	case PC_V2:
		worker_issued(w);
		n = rd ? preadv2(fd, &iov, 1, op->off, op->flags) :
			 pwritev2(fd, &iov, 1, op->off, op->flags);
		break;
	default:
		worker_issued(w);
		n = rd ? pread(fd, buf, op->len, op->off) :
			 pwrite(fd, buf, op->len, op->off);
		break;
	}
	return n < 0 ? -errno : n;
}

static bool ioctl_replayable(unsigned long cmd, bool *takes_buf)
{
	static const unsigned long none[] = { BLKRRPART, BLKFLSBUF };
	static const unsigned long get[] = {
		BLKROGET, BLKGETSIZE, BLKRAGET, BLKSSZGET, BLKBSZGET,
		BLKGETSIZE64, BLKIOMIN, BLKIOOPT, BLKALIGNOFF, BLKPBSZGET,
		FIGETBSZ, FS_IOC_GETFLAGS, FS_IOC_FSGETXATTR,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(none); i++)
		if (cmd == none[i]) {
			*takes_buf = false;
			return true;
		}
	for (i = 0; i < ARRAY_SIZE(get); i++)
		if (cmd == get[i]) {
			*takes_buf = true;
			return true;
		}
	return false;
}

static __s64 write_drop_caches(struct worker *w, const struct plan_op *op)
{
	char v[24];
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC), n;
	__s64 ret;

	if (fd < 0)
		return -errno;
	n = snprintf(v, sizeof(v), "%llu\n", (unsigned long long)op->flags);
	worker_issued(w);
	ret = write(fd, v, n) == n ? 0 : -errno;
	close(fd);
	return ret;
}

/*
 * ioctl BLKPG with the recorded partition (parted adds and deletes
 * partitions one by one this way).  The partition device it makes or
 * removes is the target's own.  A trace from before BLKPG's argument
 * was recorded has no part=: that call cannot be replayed.
 */
static __s64 blkpg(struct worker *w, const struct plan_op *op, int fd)
{
	struct blkpg_partition part = {
		.start = op->off, .length = op->len, .pno = op->blkpg_pno,
	};
	struct blkpg_ioctl_arg arg = {
		.op = op->blkpg_op, .datalen = sizeof(part), .data = &part,
	};

	if (!op->blkpg_op)
		return -ENOTTY;
	worker_issued(w);
	return ioctl(fd, BLKPG, &arg) ? -errno : 0;
}

static __s64 sync_issue(struct worker *w, const struct plan_op *op)
{
	bool takes_buf;
	int fd, ret;

	if (op->kind == PK_DROP_CACHES)
		return write_drop_caches(w, op);
	fd = worker_fd(w, op);	/* opens for PK_OPEN, closes for PK_CLOSE */
	if (op->kind == PK_OPEN || op->kind == PK_CLOSE || fd < 0)
		return fd < 0 ? fd : 0;
	switch (op->kind) {
	case PK_READ:
	case PK_WRITE:
		return rw(w, op, fd);
	case PK_FSYNC:
		worker_issued(w);
		ret = fsync(fd);
		break;
	case PK_FDATASYNC:
		worker_issued(w);
		ret = fdatasync(fd);
		break;
	case PK_FTRUNCATE:
		worker_issued(w);
		ret = ftruncate(fd, op->len);
		break;
	case PK_FALLOCATE:
		worker_issued(w);
		ret = fallocate(fd, op->flags, op->off, op->len);
		break;
	case PK_SYNC_FILE_RANGE:
		worker_issued(w);
		ret = sync_file_range(fd, op->off, op->len, op->flags);
		break;
	case PK_FADVISE:
		worker_issued(w);
		return -posix_fadvise(fd, op->off, op->len, op->flags);
	case PK_IOCTL:
		if (op->flags == BLKPG)
			return blkpg(w, op, fd);
		if (!ioctl_replayable(op->flags, &takes_buf))
			return -ENOTTY;
		worker_issued(w);
		ret = takes_buf ? ioctl(fd, op->flags, w->buf) :
				  ioctl(fd, op->flags);
		break;
	default:
		return -EOPNOTSUPP;
	}
	return ret < 0 ? -errno : ret;
}

const struct replay_engine engine_sync = {
	.name = "sync",
	.carries = sync_carries,
	.issue = sync_issue,
};
