// SPDX-License-Identifier: GPL-2.0
/*
 * The page-cache churn of generic/270 (fsstress writers, truncaters and
 * readers on a small xfs, then "echo 3 > drop_caches" from the quota
 * check), cut to what seed 3's stall needs, as threads of one process:
 *
 *   readers (2): buffered pread of the files' first 256 KiB, in a loop;
 *   truncater:   ftruncate to 0, rewrite 256 KiB, sync_file_range, and
 *                a hole punch, in a loop;
 *   dio writer:  O_DIRECT rewrites of 64 KiB in the middle;
 *   at the end:  echo 3 > /proc/sys/vm/drop_caches, as _check_quota_usage
 *                does after sync.
 *
 * A truncation that deletes a folio while a reader still holds it is
 * what seed 3's injected change turns into a slot that points at a freed
 * folio: the next lookup there (a read, or drop_caches) never ends.
 *
 * usage: trunc_drop DIR SECONDS
 * Exit: 0 done, 2 usage or set-up error.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/falloc.h>

#define NFILES	2
#define SIZE	(256 << 10)

static int fd[NFILES], dfd[NFILES];
static time_t deadline;
static unsigned long reads, truncs, dios;

static void *reader(void *arg)
{
	char *buf = malloc(SIZE);
	int i = 0;

	while (buf && time(NULL) < deadline) {
		if (pread(fd[i++ % NFILES], buf, SIZE, 0) < 0)
			perror("pread");
		reads++;
	}
	free(buf);
	return NULL;
}

static void *truncater(void *arg)
{
	char *buf = malloc(SIZE);
	int i = 0, f;

	if (buf)
		memset(buf, 't', SIZE);
	while (buf && time(NULL) < deadline) {
		f = fd[i++ % NFILES];
		if (ftruncate(f, 0) || pwrite(f, buf, SIZE, 0) != SIZE)
			perror("truncate and rewrite");
		sync_file_range(f, 0, SIZE, SYNC_FILE_RANGE_WRITE);
		fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 64 << 10, 16 << 10);
		truncs++;
	}
	free(buf);
	return NULL;
}

static void *dio_writer(void *arg)
{
	void *buf;
	int i = 0;

	if (posix_memalign(&buf, 4096, 64 << 10))
		return NULL;
	memset(buf, 'd', 64 << 10);
	while (time(NULL) < deadline) {
		if (pwrite(dfd[i++ % NFILES], buf, 64 << 10, 128 << 10) < 0 &&
		    errno != EINVAL)
			perror("pwrite O_DIRECT");
		dios++;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	void *(*fn[])(void *) = { reader, reader, truncater, dio_writer };
	pthread_t t[4];
	char path[4096];
	int i, dc;

	if (argc != 3 || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: trunc_drop DIR SECONDS\n");
		return 2;
	}
	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%d", argv[1], i);
		fd[i] = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		dfd[i] = open(path, O_RDWR | O_DIRECT);
		if (fd[i] < 0 || dfd[i] < 0) {
			fprintf(stderr, "trunc_drop: %s: %s\n", path, strerror(errno));
			return 2;
		}
	}
	deadline = time(NULL) + atoi(argv[2]);
	for (i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, fn[i], NULL)) {
			fprintf(stderr, "trunc_drop: cannot start a thread\n");
			return 2;
		}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	sync();
	dc = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (dc < 0 || write(dc, "3", 1) != 1)
		perror("drop_caches");
	printf("trunc_drop: %lu reads, %lu truncations, %lu direct writes\n",
	       reads, truncs, dios);
	return 0;
}
