// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a command under the floor programs of probe_floor.bpf.c, so that
 * bench/record_overhead.sh can set pcrace's cost beside the least any
 * eBPF recorder on the same hooks must pay.
 *
 * usage: probe_floor empty|minimal -- CMD [ARGS...]
 * exit: the command's exit status; 2 on a usage error; 1 if BPF fails
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "probe_floor.skel.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned long long drained;

static int count_record(void *ctx, void *data, size_t len)
{
	drained++;
	return 0;
}

static int attach(struct probe_floor_bpf *skel, bool minimal)
{
	struct bpf_program *progs[] = {
		minimal ? skel->progs.minimal_sys_enter : skel->progs.empty_sys_enter,
		minimal ? skel->progs.minimal_sys_exit : skel->progs.empty_sys_exit,
		minimal ? skel->progs.minimal_get_pages : skel->progs.empty_get_pages,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(progs); i++) {
		if (!bpf_program__attach(progs[i])) {
			fprintf(stderr, "probe_floor: attaching %s: %s\n",
				bpf_program__name(progs[i]), strerror(errno));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct probe_floor_bpf *skel;
	struct ring_buffer *rb;
	int go[2], status = 0;
	bool minimal;
	pid_t pid;

	if (argc < 4 || strcmp(argv[2], "--") ||
	    (strcmp(argv[1], "empty") && strcmp(argv[1], "minimal"))) {
		fprintf(stderr, "usage: probe_floor empty|minimal -- CMD [ARGS...]\n");
		return 2;
	}
	minimal = !strcmp(argv[1], "minimal");
	skel = probe_floor_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "probe_floor: loading BPF: %s\n", strerror(errno));
		return 1;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.floor_events),
			      count_record, NULL, NULL);
	if (!rb || pipe(go))
		return 1;
	/* the child waits until the programs know its pid and are attached */
	pid = fork();
	if (pid == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[3], argv + 3);
		fprintf(stderr, "probe_floor: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	skel->bss->target_tgid = pid;
	if (attach(skel, minimal)) {
		kill(pid, SIGKILL);
		return 1;
	}
	if (write(go[1], "g", 1) != 1)
		return 1;
	/* records are submitted without wake-ups: drain on a 1 ms clock */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		ring_buffer__consume(rb);
		usleep(1000);
	}
	ring_buffer__consume(rb);
	fprintf(stderr, "probe_floor: %s: %llu records drained, %llu lost\n",
		argv[1], drained, (unsigned long long)skel->bss->floor_lost);
	ring_buffer__free(rb);
	probe_floor_bpf__destroy(skel);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
