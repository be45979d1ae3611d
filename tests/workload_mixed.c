// SPDX-License-Identifier: GPL-2.0
/*
 * A fixed workload on one file that mixes buffered, O_DIRECT, mmap and
 * io_uring I/O with fallocate, truncate, fsync and fadvise, so a test can
 * assert the exact syscalls and page-cache events a recording must hold.
 * Each step checks its own result: the test trusts the workload.
 *
 * usage: workload_mixed FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <linux/falloc.h>

#define PG 4096

static void check(long got, long want, const char *what)
{
	if (got != want) {
		fprintf(stderr, "workload_mixed: %s returned %ld (want %ld): %s\n",
			what, got, want, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct iovec iov;
	char *buf, *p;
	int fd, dfd, i;

	if (argc != 2) {
		fprintf(stderr, "usage: workload_mixed FILE\n");
		return 2;
	}
	if (posix_memalign((void **)&buf, PG, 4 * PG))
		return 1;
	memset(buf, 'a', 4 * PG);

	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0, 1, "open");
	check(pwrite(fd, buf, 3 * PG, 0), 3 * PG, "buffered pwrite");
	check(fsync(fd), 0, "fsync");

	dfd = open(argv[1], O_RDWR | O_DIRECT);
	check(dfd >= 0, 1, "open O_DIRECT");
	check(pwrite(dfd, buf, PG, 4 * PG), PG, "direct pwrite");

	check(fallocate(fd, 0, 5 * PG, 2 * PG), 0, "fallocate");
	check(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2 * PG, PG),
	      0, "fallocate punch");

	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED, 1, "mmap");
	p[0] = 'm';
	p[PG] = 'm';
	check(msync(p, 2 * PG, MS_SYNC), 0, "msync");
	check(munmap(p, 2 * PG), 0, "munmap");

	check(ftruncate(fd, PG), 0, "ftruncate");
	check(pread(fd, buf, PG, 0), PG, "pread");
	iov.iov_base = buf;
	iov.iov_len = PG;
	check(pwritev2(fd, &iov, 1, 0, RWF_DSYNC), PG, "pwritev2 RWF_DSYNC");
	check(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0, "fadvise DONTNEED");

	check(io_uring_queue_init(4, &ring, 0), 0, "io_uring_queue_init");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, fd, buf, PG, 2 * PG);
	sqe->user_data = 1;
	check(io_uring_submit_and_wait(&ring, 1), 1, "io_uring write");
	check(io_uring_wait_cqe(&ring, &cqe), 0, "io_uring wait");
	check(cqe->res, PG, "io_uring write res");
	io_uring_cqe_seen(&ring, cqe);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, dfd, buf, PG, 0);
	sqe->user_data = 2;
	check(io_uring_submit_and_wait(&ring, 1), 1, "io_uring read");
	check(io_uring_wait_cqe(&ring, &cqe), 0, "io_uring wait");
	check(cqe->res, PG, "io_uring read res");
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);

	for (i = 0; i < 2; i++)
		check(close(i ? fd : dfd), 0, "close");
	free(buf);
	return 0;
}
