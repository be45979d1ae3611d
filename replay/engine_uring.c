// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring engine: buffered and O_DIRECT reads and writes, fsync,
 * fdatasync, fallocate, sync_file_range and fadvise, one SQE at a time
 * per worker (a recorded thread waited for each op).  IOSQE_ASYNC forces
 * io-wq submission when asked (--uring-async, or a --stress trial).
 */
#include <errno.h>
#include "engine.h"

static int uring_init(struct worker *w)
{
	int ret = io_uring_queue_init(8, &w->ring, 0);

	w->ring_ready = !ret;
	return ret;
}

static void uring_exit(struct worker *w)
{
	if (w->ring_ready)
		io_uring_queue_exit(&w->ring);
	w->ring_ready = false;
}

static bool uring_carries(const struct worker *w, const struct plan_op *op)
{
	if (!w->ring_ready)
		return false;
	switch (op->kind) {
	case PK_READ:
	case PK_WRITE:
		/* read(2)/write(2) at the fd position stay syscalls */
		return op->call != PC_PLAIN;
	case PK_FSYNC:
	case PK_FDATASYNC:
	case PK_FALLOCATE:
	case PK_SYNC_FILE_RANGE:
	case PK_FADVISE:
		return true;
	default:
		return false;
	}
}

static __s64 uring_issue(struct worker *w, const struct plan_op *op)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int fd = worker_fd(w, op), ret;
	void *buf = worker_buf(w, op);
	__s64 res;

	/* checked before an SQE is taken: a taken one is submitted later */
	if (fd < 0)
		return fd;
	if (!buf)
		return -EFAULT;
	sqe = io_uring_get_sqe(&w->ring);
	if (!sqe)
		return -EBUSY;
	switch (op->kind) {
	case PK_READ:
		io_uring_prep_read(sqe, fd, buf, op->len, op->off);
		sqe->rw_flags = op->call == PC_V2 ? op->flags : 0;
		break;
	case PK_WRITE:
		io_uring_prep_write(sqe, fd, buf, op->len, op->off);
		sqe->rw_flags = op->call == PC_V2 ? op->flags : 0;
		break;
	case PK_FSYNC:
		io_uring_prep_fsync(sqe, fd, 0);
		break;
	case PK_FDATASYNC:
		io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
		break;
	case PK_FALLOCATE:
		io_uring_prep_fallocate(sqe, fd, op->flags, op->off, op->len);
		break;
	case PK_SYNC_FILE_RANGE:
		io_uring_prep_sync_file_range(sqe, fd, op->len, op->off, op->flags);
		break;
	case PK_FADVISE:
		io_uring_prep_fadvise(sqe, fd, op->off, op->len, op->flags);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (w->o->uring_async)
		sqe->flags |= IOSQE_ASYNC;
	/*
	 * A buffered op completes inside io_uring_submit(): opening the
	 * gate after it would start the next op no sooner than this one
	 * ends, though the two may have overlapped when recorded (no
	 * dependency in the plan orders them).  Open it now, as the sync
	 * engine does before its system call.
	 */
	worker_issued(w);
	ret = io_uring_submit(&w->ring);
	if (ret != 1)
		return ret < 0 ? ret : -EAGAIN;
	do {
		ret = io_uring_wait_cqe(&w->ring, &cqe);
	} while (ret == -EINTR);
	if (ret)
		return ret;
	res = cqe->res;
	io_uring_cqe_seen(&w->ring, cqe);
	return res;
}

const struct replay_engine engine_uring = {
	.name = "io_uring",
	.init = uring_init,
	.exit = uring_exit,
	.carries = uring_carries,
	.issue = uring_issue,
};
