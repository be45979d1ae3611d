// SPDX-License-Identifier: GPL-2.0
/*
 * Jan Kara's GUP race (linux-mm, 2018-01-03, "Filesystem crashes due to
 * pages without buffers"), as threads of one process:
 *
 *   reader:    pread(O_DIRECT source file) into a MAP_SHARED mapping of
 *              the target file.  GUP write-faults the pages (page_mkwrite
 *              attaches buffers and dirties them), the bio fills them;
 *   flusher:   sync_file_range(WAIT_BEFORE | WRITE | WAIT_AFTER) on the
 *              target: writeback cleans the pages under the read;
 *   reclaimer: madvise(MADV_PAGEOUT) on the mapping: reclaim unmaps the
 *              clean pages and strips their buffers, and fails to free
 *              them only because the read holds a reference.
 *
 * When the read completes on a page that was cleaned meanwhile, the block
 * layer redirties it (bio_check_pages_dirty -> set_page_dirty_lock): a
 * dirty page without buffers.  6.1 ext4 warns ("page %lu does not have
 * buffers attached") and drops the data; before it learnt to, it BUGged.
 *
 * usage: gup_dio DIR MIB SECONDS
 * Exit: 0 after SECONDS (the kernel log holds the verdict), 2 usage or
 * set-up error.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static int fd_mapped, fd_source;
static char *map;
static size_t len;
static time_t deadline;
static unsigned long reads, flushes, pageouts;

static int make_file(const char *path, int c, int flags)
{
	char *buf = malloc(1 << 20);
	size_t done;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || !buf)
		return -1;
	memset(buf, c, 1 << 20);
	for (done = 0; done < len; done += 1 << 20)
		if (pwrite(fd, buf, 1 << 20, done) != 1 << 20)
			return -1;
	free(buf);
	if (fsync(fd))
		return -1;
	close(fd);
	return open(path, flags);
}

static void *reader(void *arg)
{
	while (time(NULL) < deadline) {
		if (pread(fd_source, map, len, 0) < 0)
			perror("pread");
		reads++;
	}
	return NULL;
}

static void *flusher(void *arg)
{
	while (time(NULL) < deadline) {
		sync_file_range(fd_mapped, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE |
				SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
		flushes++;
	}
	return NULL;
}

static void *reclaimer(void *arg)
{
	while (time(NULL) < deadline) {
		madvise(map, len, MADV_PAGEOUT);
		pageouts++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	void *(*fn[])(void *) = { reader, flusher, reclaimer };
	pthread_t t[3];
	char path[4096];
	int i;

	if (argc != 4 || atoi(argv[2]) <= 0 || atoi(argv[3]) <= 0) {
		fprintf(stderr, "usage: gup_dio DIR MIB SECONDS\n");
		return 2;
	}
	len = (size_t)atoi(argv[2]) << 20;
	snprintf(path, sizeof(path), "%s/mapped", argv[1]);
	fd_mapped = make_file(path, 'm', O_RDWR);
	snprintf(path, sizeof(path), "%s/source", argv[1]);
	fd_source = make_file(path, 's', O_RDONLY | O_DIRECT);
	if (fd_mapped < 0 || fd_source < 0) {
		fprintf(stderr, "gup_dio: %s: %s\n", path, strerror(errno));
		return 2;
	}
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd_mapped, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	deadline = time(NULL) + atoi(argv[3]);
	for (i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, fn[i], NULL)) {
			fprintf(stderr, "gup_dio: cannot start a thread\n");
			return 2;
		}
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("gup_dio: %lu direct reads into the mapping, %lu flushes, %lu pageouts\n",
	       reads, flushes, pageouts);
	munmap(map, len);
	return 0;
}
