// SPDX-License-Identifier: GPL-2.0
/*
 * generic/418's diotest, "-w" case: N processes each own one block of a
 * new file; each writes its block with O_DIRECT, reads it back buffered
 * and compares, nr_iter times.  With blocks smaller than a page (ext4 -b
 * 1024 on pmem) the processes share a page, and a buffered read of one
 * block can cache the page while another block's extending direct write
 * is between its page-cache invalidation and its i_size update: the
 * owner then reads back zeros.  Modelled on xfstests'
 * src/dio-invalidate-cache.c.
 *
 * usage: dio_invalidate FILE BLKSZ NPROCS NITER [ROUNDS]
 * Exit: 0 all rounds compared equal, 1 a mismatch (printed as
 * diotest does), 2 usage or set-up error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static int child(const char *path, int n, size_t blksz, int niter)
{
	int fd_rd = open(path, O_RDONLY);
	int fd_wr = open(path, O_WRONLY | O_DIRECT);
	char *buf, *rbuf;
	size_t j;
	int i;

	if (fd_rd < 0 || fd_wr < 0 || posix_memalign((void **)&buf, 4096, blksz) ||
	    posix_memalign((void **)&rbuf, 4096, blksz)) {
		perror(path);
		return 2;
	}
	for (i = 0; i < niter; i++) {
		memset(buf, i + 1, blksz);
		if (pwrite(fd_wr, buf, blksz, (off_t)n * blksz) != (ssize_t)blksz) {
			perror("pwrite");
			return 2;
		}
		if (pread(fd_rd, rbuf, blksz, (off_t)n * blksz) != (ssize_t)blksz) {
			perror("pread");
			return 2;
		}
		for (j = 0; j < blksz; j++) {
			if (rbuf[j] != buf[j]) {
				printf("cmpbuf: offset %zu: Expected: 0x%x, got 0x%x\n",
				       j, buf[j] & 0xff, rbuf[j] & 0xff);
				printf("[%d:%d] FAIL - comparison failed, offset %zu\n",
				       n, i, (size_t)n * blksz);
				return 1;
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int nprocs, niter, rounds, r, n, status, ret = 0, fd;
	size_t blksz;

	if (argc < 5) {
		fprintf(stderr, "usage: dio_invalidate FILE BLKSZ NPROCS NITER [ROUNDS]\n");
		return 2;
	}
	blksz = strtoul(argv[2], NULL, 0);
	nprocs = atoi(argv[3]);
	niter = atoi(argv[4]);
	rounds = argc > 5 ? atoi(argv[5]) : 1;
	if (!blksz || nprocs < 1 || niter < 1 || rounds < 1) {
		fprintf(stderr, "dio_invalidate: bad arguments\n");
		return 2;
	}
	for (r = 0; r < rounds && !ret; r++) {
		/* a new, empty file each round: every first write extends it */
		fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || fsync(fd) || close(fd)) {
			perror(argv[1]);
			return 2;
		}
		for (n = 0; n < nprocs; n++) {
			pid_t pid = fork();

			if (pid == 0)
				exit(child(argv[1], n, blksz, niter));
			if (pid < 0) {
				perror("fork");
				return 2;
			}
		}
		for (n = 0; n < nprocs; n++) {
			if (wait(&status) < 0)
				break;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				ret = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
		}
	}
	if (ret == 1)
		printf("round %d failed\n", r);
	return ret;
}
