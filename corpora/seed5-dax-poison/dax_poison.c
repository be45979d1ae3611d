// SPDX-License-Identifier: GPL-2.0
/*
 * ndctl's test/dax-pmd.c test_dax_poison() (Nov 2018), the step of
 * dax.sh that met seed 5's WARNING: on a file of an fsdax file system,
 * map 4 MiB at a 2 MiB-aligned address and offset with MAP_SYNC and
 * MAP_POPULATE (PMD mappings), poison the page 1 MiB in with
 * MADV_HWPOISON (memory_failure() locks and unlocks the DAX entry of a
 * page in the middle of a PMD), punch that page out, write it again, and
 * fault the mapping's start back in.
 *
 * usage: dax_poison FILE
 * Exit: 0 done (the kernel log holds the verdict), 2 usage or set-up
 * error.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON		100
#endif

#define SZ_1M	(1ul << 20)
#define SZ_2M	(2ul << 20)
#define LEN	(4ul << 20)

static sigjmp_buf sj_env;
static volatile int sigbus;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	sigbus++;
	siglongjmp(sj_env, 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	char buf[4096], *probe, *addr;
	size_t off;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: dax_poison FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || fallocate(fd, 0, 0, 2 * LEN)) {
		fprintf(stderr, "dax_poison: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	sigaction(SIGBUS, &sa, NULL);
	/*
	 * All written, so that the read faults below map the data with PMDs:
	 * a 2 MiB range that is partly unwritten extents is mapped with
	 * PTEs (the hole pages), and then there is no PMD entry to poison.
	 */
	memset(buf, 'x', sizeof(buf));
	for (off = 0; off < 2 * LEN; off += sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), off) != sizeof(buf)) {
			perror("pwrite");
			return 2;
		}
	if (fsync(fd)) {
		perror("fsync");
		return 2;
	}
	probe = mmap(NULL, LEN + SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (probe == MAP_FAILED)
		return 2;
	addr = (char *)(((uintptr_t)probe + SZ_2M - 1) & ~(SZ_2M - 1));
	munmap(probe, LEN + SZ_2M);
	addr = mmap(addr, LEN, PROT_READ | PROT_WRITE,
		    MAP_SHARED_VALIDATE | MAP_POPULATE | MAP_SYNC | MAP_FIXED, fd, 0);
	if (addr == MAP_FAILED) {
		perror("mmap MAP_SYNC");
		return 2;
	}
	if (!sigsetjmp(sj_env, 1)) {
		if (madvise(addr + SZ_1M, 4096, MADV_HWPOISON))
			perror("madvise MADV_HWPOISON");
	}
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, SZ_1M, 4096))
		perror("fallocate punch");
	if (pwrite(fd, buf, sizeof(buf), SZ_1M) != sizeof(buf) || fsync(fd))
		perror("pwrite after punch");
	if (!sigsetjmp(sj_env, 1))
		(void)*(volatile char *)addr;
	printf("dax_poison: done, %d SIGBUS\n", sigbus);
	munmap(addr, LEN);
	close(fd);
	return 0;
}
