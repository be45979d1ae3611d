// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 6's pattern (RocksDB db_bench readwhilewriting --mmap_read=1 on
 * ext4-dax: readers fault SST files in through a huge-page-capable
 * mapping while other mappings of the same range take 4 KiB faults), cut
 * to its kernel-visible core, as threads of one process on one DAX file:
 *
 *   pmd:    a mapping whose address and file offset are 2 MiB aligned:
 *           read then write faults there are PMD faults (and go through
 *           wp_huge_pmd), after MADV_DONTNEED each round;
 *   pte:    a second mapping of the same range at an address 4 KiB past
 *           a 2 MiB boundary, so its faults can only be PTE faults;
 *           it touches the pages after the first of every 2 MiB range;
 *   writer: appends and rewrites with write(2), as RocksDB's WAL does.
 *
 * Once a 2 MiB range holds PTE entries, a PMD fault there finds them: in
 * 6.1 it falls back to PTEs at once, but before 23c84eb78375 it waited
 * for a locked one on the wrong wait queue, and a PTE fault's unlock
 * never woke it (the task hangs in get_unlocked_entry).
 *
 * usage: dax_pmd_pte FILE MIB SECONDS
 * Exit: 0 after SECONDS, 2 usage or set-up error.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#define SZ_2M	(2ul << 20)

static int fd;
static size_t len;
static char *pmd_map, *pte_map;
static time_t deadline;
static unsigned long pmd_rounds, pte_rounds, writes;

/* len bytes of address space at an address that is ALIGN + skew */
static char *map_at(size_t skew, size_t align)
{
	char *probe = mmap(NULL, len + 2 * align, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *want;

	if (probe == MAP_FAILED)
		return MAP_FAILED;
	want = (char *)(((uintptr_t)probe + align - 1) & ~(align - 1)) + skew;
	munmap(probe, len + 2 * align);
	return mmap(want, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		    fd, 0);
}

static void *pmd_faults(void *arg)
{
	size_t off;

	while (time(NULL) < deadline) {
		madvise(pmd_map, len, MADV_DONTNEED);
		for (off = 0; off < len; off += SZ_2M)
			(void)*(volatile char *)(pmd_map + off);
		for (off = 0; off < len; off += SZ_2M)
			*(volatile char *)(pmd_map + off + 8) = 'p';
		pmd_rounds++;
	}
	return NULL;
}

static void *pte_faults(void *arg)
{
	size_t off, page;

	while (time(NULL) < deadline) {
		madvise(pte_map, len, MADV_DONTNEED);
		for (off = 0; off < len; off += SZ_2M)
			for (page = 1; page < 4; page++)
				*(volatile char *)(pte_map + off + page * 4096) = 't';
		pte_rounds++;
	}
	return NULL;
}

static void *writer(void *arg)
{
	char buf[4096];
	off_t off = 0;

	memset(buf, 'w', sizeof(buf));
	while (time(NULL) < deadline) {
		if (pwrite(fd, buf, sizeof(buf), off) < 0)
			perror("pwrite");
		off = (off + 3 * 4096 + SZ_2M) % len;
		writes++;
		usleep(1000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	void *(*fn[])(void *) = { pmd_faults, pte_faults, writer };
	pthread_t t[3];
	int i;

	if (argc != 4 || atoi(argv[2]) < 2 || atoi(argv[3]) <= 0) {
		fprintf(stderr, "usage: dax_pmd_pte FILE MIB SECONDS (MIB >= 2)\n");
		return 2;
	}
	len = ((size_t)atoi(argv[2]) << 20) & ~(SZ_2M - 1);
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || fallocate(fd, 0, 0, len)) {
		fprintf(stderr, "dax_pmd_pte: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	pmd_map = map_at(0, SZ_2M);
	pte_map = map_at(4096, SZ_2M);
	if (pmd_map == MAP_FAILED || pte_map == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	deadline = time(NULL) + atoi(argv[3]);
	for (i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, fn[i], NULL)) {
			fprintf(stderr, "dax_pmd_pte: cannot start a thread\n");
			return 2;
		}
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("dax_pmd_pte: %lu PMD rounds, %lu PTE rounds, %lu writes\n",
	       pmd_rounds, pte_rounds, writes);
	return 0;
}
