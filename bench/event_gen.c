// SPDX-License-Identifier: GPL-2.0
/*
 * Event generator for the recorder's throughput benchmark: pread64 of
 * cached 4 KiB pages of one file, paced to a target rate of syscalls per
 * second, for a fixed time.  Each pread gives the recorder three events
 * (sys_enter, mm_filemap_get_pages, sys_exit).
 *
 * usage: event_gen FILE CALLS_PER_SEC SECONDS
 * prints: calls done, elapsed seconds
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double rate, secs, t0, t;
	unsigned long long done = 0, due;
	char buf[4096];
	off_t pages;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: event_gen FILE CALLS_PER_SEC SECONDS\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror("event_gen: open");
		return 1;
	}
	pages = lseek(fd, 0, SEEK_END) / 4096;
	if (pages < 1)
		return 1;
	rate = atof(argv[2]);
	secs = atof(argv[3]);
	t0 = now();
	for (;;) {
		t = now() - t0;
		if (t >= secs)
			break;
		due = rate > 0 ? (unsigned long long)(t * rate) : done + 1024;
		/* batches of up to 64 calls between clock reads */
		while (done < due && done % 64 != 63) {
			if (pread(fd, buf, sizeof(buf), (done % pages) * 4096) < 0)
				return 1;
			done++;
		}
		if (done < due) {
			if (pread(fd, buf, sizeof(buf), (done % pages) * 4096) < 0)
				return 1;
			done++;
		}
	}
	printf("%llu %.3f\n", done, now() - t0);
	return 0;
}
