// SPDX-License-Identifier: GPL-2.0
/*
 * A multi-threaded workload on one shared file, for replay's round trip:
 * a buffered writer/reader, an O_DIRECT writer/reader and an mmap thread
 * that also punches holes, re-extends and fsyncs, each with its own
 * seeded jitter so the cross-thread interleaving varies from op to op.
 *
 * usage: workload_threads FILE [OPS_PER_THREAD]
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/falloc.h>

#define PG	4096
#define PAGES	64

static int bfd, dfd, nops = 40;

static unsigned int next(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static void jitter(unsigned int *s)
{
	usleep(50 + next(s) % 400);
}

static void *buffered(void *arg)
{
	unsigned int s = 1;
	char buf[2 * PG];
	int i;

	memset(buf, 'b', sizeof(buf));
	for (i = 0; i < nops; i++) {
		off_t off = (off_t)(next(&s) % (PAGES - 2)) * PG + (next(&s) % 8) * 512;

		if (i % 3 == 2) {
			if (pread(bfd, buf, sizeof(buf), off) < 0)
				perror("pread");
		} else if (pwrite(bfd, buf, sizeof(buf), off) < 0) {
			perror("pwrite");
		}
		if (i % 10 == 9)
			fsync(bfd);
		jitter(&s);
	}
	return NULL;
}

static void *direct(void *arg)
{
	unsigned int s = 2;
	char *buf;
	int i;

	if (posix_memalign((void **)&buf, PG, PG))
		return NULL;
	memset(buf, 'd', PG);
	for (i = 0; i < nops; i++) {
		off_t off = (off_t)(next(&s) % PAGES) * PG;

		if (i % 2 ? pread(dfd, buf, PG, off) < 0 : pwrite(dfd, buf, PG, off) < 0)
			perror("direct");
		jitter(&s);
	}
	free(buf);
	return NULL;
}

static void *mapper(void *arg)
{
	unsigned int s = 3;
	char *p;
	int i;

	p = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, bfd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return NULL;
	}
	for (i = 0; i < nops; i++) {
		unsigned int pg = next(&s) % PAGES;

		switch (i % 8) {
		case 3:
			fallocate(bfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				  (off_t)pg * PG, PG);
			break;
		case 5:
			msync(p, PAGES * PG, MS_SYNC);
			break;
		case 7:
			madvise(p, PAGES * PG, MADV_DONTNEED);
			break;
		default:
			p[(size_t)pg * PG + next(&s) % PG] = 'm';
			break;
		}
		jitter(&s);
	}
	munmap(p, PAGES * PG);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[3];
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: workload_threads FILE [OPS_PER_THREAD]\n");
		return 2;
	}
	if (argc > 2)
		nops = atoi(argv[2]);
	bfd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	dfd = open(argv[1], O_RDWR | O_DIRECT);
	if (bfd < 0 || dfd < 0 || ftruncate(bfd, PAGES * PG)) {
		perror(argv[1]);
		return 1;
	}
	pthread_create(&t[0], NULL, buffered, NULL);
	pthread_create(&t[1], NULL, direct, NULL);
	pthread_create(&t[2], NULL, mapper, NULL);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	fsync(bfd);
	close(dfd);
	close(bfd);
	return 0;
}
