// SPDX-License-Identifier: GPL-2.0
/*
 * pcrace record: attach the tracepoint programs, stream the ring buffer
 * into a trace file, and account for every lost event.
 *
 * Shape of libbpf-tools' main(): parse args, open, set rodata and autoload,
 * load, attach, poll until told to stop, drain, clean up in reverse order.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <zlib.h>
#include "pcrace.h"
#include "pcrace_schema.h"
#include "pcrace_strbuf.h"
#include "pcrace_time.h"
#include "pcrace_trace.h"
#include "pcrace_kmsg.h"
#include "flight.h"
#include "pcrace_kprobes.h"
#include "probes.h"
#include "tables.h"
#include "record.skel.h"

#define MAX_PIDS	64
#define MAX_REQUIRE	32
#define POLL_MS		20	/* the BPF side wakes us only when busy */

struct record_opts {
	const char *output;
	pid_t pids[MAX_PIDS];
	int npids;
	const char *comm;
	const char *dev;
	const char *path;
	const char *cgroup;
	const char *require[MAX_REQUIRE];
	int nrequire;
	bool all_files;
	bool no_follow;
	bool no_kprobes;
	bool verbose;
	unsigned int duration;
	unsigned int buffer_mb;
	int zlevel;
	const char *flight;
	char **cmd;
	int argc;
	char **argv;
};

struct record_ctx {
	struct record_opts *o;
	struct record_bpf *skel;
	struct pcrace_writer *w;
	struct rec_tables tables;
	__u64 lost_seen[PCRACE_EV_MAX];
	__u64 count[PCRACE_EV_MAX];
	int write_err;
	struct ring_buffer *rb;
	struct flight fl;
	struct kmsg_watch kmsg;
	struct strbuf splat;		/* kernel log from the first splat on */
	unsigned long long splat_ns;	/* when the current splat began, 0 none */
	unsigned int splats;
	int child_status;
	bool have_child;
};

/* How long the log (and, in flight mode, the events) after a splat are kept. */
#define SPLAT_TAIL_NS	1000000000ull
#define SPLAT_MAX	(64u << 10)

static volatile sig_atomic_t exiting;
static volatile sig_atomic_t child_done;
static volatile sig_atomic_t save_now;

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		child_done = 1;
	else if (sig == SIGUSR1)
		save_now = 1;
	else
		exiting = 1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	static bool verbose;

	if (!fmt) {		/* pcrace_record() switches -v on this way */
		verbose = true;
		return 0;
	}
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (!verbose)
		return 0;	/* probe failures are reported by the manifest */
	return vfprintf(stderr, fmt, args);
}

static void record_usage(FILE *out)
{
	fprintf(out,
		"usage: pcrace record -o TRACE [scope] [options] [-- CMD [ARGS...]]\n"
		"scope (at least one):\n"
		"  -p, --pid PID          trace this process and its children (repeatable)\n"
		"  -c, --comm COMM        trace tasks with this command name\n"
		"      --dev DEV          trace every task that opens DEV or a file on it\n"
		"      --path DIR         trace every task that opens a file below DIR\n"
		"      --cgroup DIR       trace the tasks of this cgroup (v2) and its descendants\n"
		"  -- CMD ARGS...         run CMD and trace it and all its descendants\n"
		"options:\n"
		"  -o, --output TRACE     trace file to write\n"
		"      --require PROBE    fail (exit 125) unless PROBE attaches (repeatable)\n"
		"      --all-files        page-cache events for every file, not only traced ones\n"
		"      --no-follow        do not trace children forked by traced tasks\n"
		"      --no-kprobes       do not attach the kernel-function probes (xas_*, DAX\n"
		"                         entry locking, ...) even where kprobes work\n"
		"      --buffer-size MB   ring buffer size (default 64)\n"
		"  -d, --duration SECS    stop after SECS seconds\n"
		"      --flight SIZE|AGE  keep only the last SIZE (64M) or AGE (30s) of events in\n"
		"                         memory; write them on a kernel splat, SIGUSR1 or exit\n"
		"  -z, --compress LEVEL   zlib level 1-9 (default 1)\n"
		"  -v, --verbose          libbpf debug output\n");
}

/* Checked before anything is loaded: a bad -o is bad input, not a skip. */
static bool output_dir_unwritable(const char *path)
{
	char dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	return access(dir, W_OK) != 0;
}

static int parse_record_args(int argc, char **argv, struct record_opts *o)
{
	enum { OPT_DEV = 256, OPT_REQUIRE, OPT_ALL_FILES, OPT_NO_FOLLOW,
	       OPT_BUFSZ, OPT_FLIGHT, OPT_PATH, OPT_CGROUP, OPT_NO_KPROBES };
	/* 'd' is the duration */
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "dev", required_argument, NULL, OPT_DEV },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "require", required_argument, NULL, OPT_REQUIRE },
		{ "all-files", no_argument, NULL, OPT_ALL_FILES },
		{ "no-follow", no_argument, NULL, OPT_NO_FOLLOW },
		{ "no-kprobes", no_argument, NULL, OPT_NO_KPROBES },
		{ "buffer-size", required_argument, NULL, OPT_BUFSZ },
		{ "compress", required_argument, NULL, 'z' },
		{ "duration", required_argument, NULL, 'd' },
		{ "flight", required_argument, NULL, OPT_FLIGHT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	char *end;
	long v;
	int c;

	o->buffer_mb = 64;
	o->zlevel = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:p:c:z:d:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'p':
			v = strtol(optarg, &end, 10);
			if (*end || v <= 0 || o->npids == MAX_PIDS)
				return pcrace_usage_error("record: bad pid '%s'", optarg);
			o->pids[o->npids++] = v;
			break;
		case 'c':
			if (strlen(optarg) >= PCRACE_COMM_LEN)
				return pcrace_usage_error("record: comm '%s' is longer than %d characters",
							  optarg, PCRACE_COMM_LEN - 1);
			o->comm = optarg;
			break;
		case OPT_DEV:
			o->dev = optarg;
			break;
		case OPT_PATH:
			o->path = optarg;
			break;
		case OPT_CGROUP:
			o->cgroup = optarg;
			break;
		case OPT_REQUIRE:
			if (o->nrequire == MAX_REQUIRE)
				return pcrace_usage_error("record: too many --require");
			o->require[o->nrequire++] = optarg;
			break;
		case OPT_ALL_FILES:
			o->all_files = true;
			break;
		case OPT_NO_FOLLOW:
			o->no_follow = true;
			break;
		case OPT_NO_KPROBES:
			o->no_kprobes = true;
			break;
		case OPT_FLIGHT: {
			struct flight probe;

			if (flight_parse(&probe, optarg))
				return pcrace_usage_error("record: --flight takes a size (64M, at least 64K) or an age (30s, 2m), not '%s'",
							  optarg);
			o->flight = optarg;
			break;
		}
		case OPT_BUFSZ:
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 4096 || (v & (v - 1)))
				return pcrace_usage_error("record: --buffer-size must be a power of two from 1 to 4096 MiB, not '%s'",
							  optarg);
			o->buffer_mb = v;
			break;
		case 'z':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 9)
				return pcrace_usage_error("record: --compress must be 1-9, not '%s'",
							  optarg);
			o->zlevel = v;
			break;
		case 'd':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1)
				return pcrace_usage_error("record: --duration must be a positive number of seconds, not '%s'",
							  optarg);
			o->duration = v;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			record_usage(stdout);
			exit(0);
		default:
			record_usage(stderr);
			return PCRACE_EXIT_USAGE;
		}
	}
	if (optind < argc)
		o->cmd = &argv[optind];
	if (!o->output)
		return pcrace_usage_error("record: no output file (-o TRACE)");
	if (output_dir_unwritable(o->output))
		return pcrace_usage_error("record: cannot write %s: %s", o->output,
					  strerror(errno));
	if (!o->npids && !o->comm && !o->dev && !o->path && !o->cgroup && !o->cmd)
		return pcrace_usage_error("record: nothing to trace (give -p, -c, --dev, --path, --cgroup or -- CMD)");
	o->argc = argc;
	o->argv = argv;
	return 0;
}

/* The vmlinux BTF object id, and a checksum that names its content. */
static void btf_identity(unsigned int *id, unsigned long *crc)
{
	struct bpf_btf_info info;
	__u32 next = 0, len;
	char name[64];
	FILE *f;
	char buf[65536];
	size_t n;

	*id = 0;
	*crc = crc32(0, NULL, 0);
	while (!bpf_btf_get_next_id(next, &next)) {
		int fd = bpf_btf_get_fd_by_id(next);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = (unsigned long)name;
		info.name_len = sizeof(name);
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.kernel_btf &&
		    !strcmp(name, "vmlinux")) {
			*id = info.id;
			close(fd);
			break;
		}
		close(fd);
	}
	f = fopen("/sys/kernel/btf/vmlinux", "rb");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)))
		*crc = crc32(*crc, (const Bytef *)buf, n);
	fclose(f);
}

static int write_meta(struct record_ctx *rc, const char *scope)
{
	struct strbuf sb = { 0 };
	struct timespec mono, real;
	struct utsname u;
	unsigned long crc;
	unsigned int btf_id;
	char host[256] = "?";
	int i, err;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	uname(&u);
	gethostname(host, sizeof(host) - 1);
	btf_identity(&btf_id, &crc);

	sb_printf(&sb, "format_version\t%d\n", PCRACE_TRACE_VERSION);
	sb_printf(&sb, "pcrace_version\t%s\n", PCRACE_VERSION);
	sb_printf(&sb, "kernel_release\t%s\n", u.release);
	sb_printf(&sb, "kernel_version\t");
	sb_field(&sb, u.version);
	sb_printf(&sb, "\nmachine\t%s\n", u.machine);
	sb_printf(&sb, "btf_id\t%u\nbtf_crc32\t%08lx\n", btf_id, crc);
	sb_printf(&sb, "page_size\t%ld\n", sysconf(_SC_PAGESIZE));
	sb_printf(&sb, "ncpus\t%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	sb_printf(&sb, "host\t");
	sb_field(&sb, host);
	sb_printf(&sb, "\nclock\tCLOCK_MONOTONIC\n");
	sb_printf(&sb, "start_monotonic_ns\t%llu\n",
		  mono.tv_sec * 1000000000ull + mono.tv_nsec);
	sb_printf(&sb, "start_realtime_ns\t%llu\n",
		  real.tv_sec * 1000000000ull + real.tv_nsec);
	sb_printf(&sb, "scope\t");
	sb_field(&sb, scope);
	sb_printf(&sb, "\ncmdline\t");
	for (i = 0; i < rc->o->argc; i++) {
		if (i)
			sb_printf(&sb, " ");
		sb_field(&sb, rc->o->argv[i]);
	}
	sb_printf(&sb, "\n");
	err = sb.oom ? -ENOMEM : pcrace_write_text(rc->w, PCRACE_CHUNK_META,
						   sb.buf, sb.len, 0);
	sb_free(&sb);
	return err;
}

static int preflush(struct pcrace_writer *w, void *arg)
{
	return tables_flush(&((struct record_ctx *)arg)->tables, w);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct record_ctx *rc = ctx;
	const struct pcrace_ev_hdr *h = data;
	struct pcrace_rec r;
	int err;

	if (size < sizeof(*h) || h->type >= PCRACE_EV_MAX)
		return 0;
	r.hdr = *h;
	if (size >= sizeof(struct pcrace_str_event) && pcrace_type_is_str(h->type)) {
		const struct pcrace_str_event *s = data;

		r.len = s->len > PCRACE_STR_MAX ? PCRACE_STR_MAX : s->len;
		memcpy(r.str, s->str, r.len);
		r.str[r.len] = 0;
		r.nargs = 0;
	} else if (size >= sizeof(struct pcrace_event)) {
		memcpy(r.arg, ((const struct pcrace_event *)data)->arg, sizeof(r.arg));
		r.nargs = PCRACE_NARGS;
		r.len = 0;
	} else {
		return 0;
	}
	tables_on_event(&rc->tables, &r);
	rc->count[h->type]++;
	err = pcrace_write_event(rc->w, &r);
	if (err && !rc->write_err)
		rc->write_err = err;
	return err ? err : 0;
}

/* New reserve failures become a LOSS event at this point of the stream. */
static void note_losses(struct record_ctx *rc)
{
	struct pcrace_rec r = { 0 };
	unsigned int t;

	for (t = 0; t < PCRACE_EV_MAX; t++) {
		__u64 lost = rc->skel->bss->lost[t];

		if (lost == rc->lost_seen[t])
			continue;
		r.hdr.ts_ns = pcrace_mono_ns();
		r.hdr.type = PCRACE_EV_LOSS;
		r.nargs = 2;
		r.arg[0] = t;
		r.arg[1] = lost - rc->lost_seen[t];
		rc->lost_seen[t] = lost;
		pcrace_write_event(rc->w, &r);
	}
}

static int fill_syscall_kinds(struct record_bpf *skel)
{
	int fd = bpf_map__fd(skel->maps.syscall_kind);
	const struct pcrace_syscall_desc *d;
	unsigned int i;

	for (i = 0; (d = pcrace_syscall_at(i)); i++) {
		__u32 key = d->nr, val = d->kind;

		if (d->nr < 0 || d->nr >= PCRACE_MAX_SYSCALL)
			continue;
		if (bpf_map_update_elem(fd, &key, &val, BPF_ANY))
			return -errno;
	}
	return 0;
}

static int trace_tgid(struct record_bpf *skel, __u32 tgid)
{
	__u8 one = 1;

	return bpf_map_update_elem(bpf_map__fd(skel->maps.traced_tgids), &tgid,
				   &one, BPF_ANY) ? -errno : 0;
}

/* traced_tgids is indexed by tgid: it must cover every possible pid. */
static unsigned int kernel_pid_max(void)
{
	unsigned int v = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v >= 1024 && v <= (1u << 22) ? v + 1 : (1u << 22) + 1;
}

static bool pids_alive(const struct record_opts *o)
{
	int i;

	for (i = 0; i < o->npids; i++)
		if (!kill(o->pids[i], 0) || errno != ESRCH)
			return true;
	return false;
}

/* Fork CMD stopped on a pipe; it execs once the probes are live. */
static pid_t spawn_stopped(char **cmd, int *go_fd)
{
	int pfd[2];
	pid_t pid;
	char c;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			_exit(127);
		execvp(cmd[0], cmd);
		fprintf(stderr, "pcrace: record: cannot run %s: %s\n", cmd[0],
			strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	*go_fd = pfd[1];
	return pid;
}

/* LOSSES, BDEVS (again: partitions may have appeared), SPLAT, END. */
static int write_trailer(struct record_ctx *rc, struct pcrace_writer *w)
{
	struct strbuf sb = { 0 };
	__u64 total = 0;
	unsigned int t;
	int err = 0;

	for (t = 0; t < PCRACE_EV_MAX; t++) {
		if (!rc->lost_seen[t])
			continue;
		sb_printf(&sb, "%s\t%llu\n", pcrace_ev_name(t),
			  (unsigned long long)rc->lost_seen[t]);
		sb.nrec++;
		total += rc->lost_seen[t];
	}
	if (sb.len)
		err = pcrace_write_text(w, PCRACE_CHUNK_LOSSES, sb.buf, sb.len,
					sb.nrec);
	if (!err)
		err = tables_write_bdevs(w);
	if (!err && rc->splat.len)
		err = pcrace_write_text(w, PCRACE_CHUNK_SPLAT, rc->splat.buf,
					rc->splat.len, rc->splats);
	if (!err)
		err = pcrace_writer_flush(w);
	sb_reset(&sb);
	sb_printf(&sb, "events\t%llu\nlost\t%llu\nsplats\t%u\n",
		  pcrace_writer_events(w), (unsigned long long)total,
		  rc->splats);
	if (rc->o->flight)
		sb_printf(&sb, "flight_window\t%s\nflight_dropped_events\t%llu\n",
			  rc->o->flight, rc->fl.dropped_events);
	if (rc->have_child)
		sb_printf(&sb, "child_status\t%d\n", rc->child_status);
	if (!err)
		err = pcrace_write_text(w, PCRACE_CHUNK_END, sb.buf, sb.len, 0);
	sb_free(&sb);
	if (total)
		fprintf(stderr, "pcrace: record: LOST %llu events (ring buffer full); the gaps are marked in the trace\n",
			(unsigned long long)total);
	return err;
}

/* Flight mode: write the window (PATH, PATH.1, ...) and keep recording. */
static int flight_write(struct record_ctx *rc, const char *why)
{
	struct pcrace_writer *w;
	char path[4096];
	int err;

	/* what the kernel queued up to now, then pending events, go in */
	ring_buffer__consume(rc->rb);
	err = pcrace_writer_flush(rc->w);
	if (err)
		return err;
	flight_path(rc->o->output, rc->fl.saves, path, sizeof(path));
	w = flight_save(&rc->fl, path, rc->o->zlevel);
	if (!w) {
		fprintf(stderr, "pcrace: record: cannot write %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	err = write_trailer(rc, w);
	fprintf(stderr, "pcrace: record: %s: wrote %llu events (%llu bytes) to %s\n",
		why, pcrace_writer_events(w), pcrace_writer_bytes(w), path);
	if (pcrace_writer_close(w) && !err)
		err = -EIO;
	return err;
}

/*
 * Kernel log: from a splat on, keep the log text for SPLAT_TAIL_NS (the
 * stack and what follows), then, in flight mode, write the window.
 */
static int watch_kmsg(struct record_ctx *rc)
{
	char line[1024];
	const char *kind;
	int n, err = 0;

	while ((n = kmsg_read(&rc->kmsg, line, sizeof(line))) > 0) {
		kind = pcrace_splat_kind(line);
		if (kind && !rc->splat_ns) {
			rc->splat_ns = pcrace_mono_ns();
			rc->fl.hold_ns = rc->splat_ns;
			rc->splats++;
			fprintf(stderr, "pcrace: record: kernel splat (%s): %s\n",
				kind, line);
		}
		if (rc->splat_ns && rc->splat.len < SPLAT_MAX)
			sb_printf(&rc->splat, "%s\n", line);
	}
	if (rc->splat_ns && pcrace_mono_ns() - rc->splat_ns >= SPLAT_TAIL_NS) {
		if (rc->o->flight)
			err = flight_write(rc, "kernel splat");
		rc->splat_ns = 0;
		rc->fl.hold_ns = 0;
	}
	return err;
}

int pcrace_record(int argc, char **argv)
{
	struct record_opts o = { 0 };
	struct record_ctx rc = { .o = &o, .kmsg = { .fd = -1 } };
	struct probe_set ps = { 0 };
	struct ring_buffer *rb = NULL;
	struct sigaction sa = { 0 };
	char scope[512] = "";
	struct timespec start, now, last_flush;
	struct stat pst;
	int cgroup_fd = -1;
	pid_t child = -1;
	int go_fd = -1, status = 0, ret, err, i;
	__u32 targ_dev = 0;

	ret = parse_record_args(argc, argv, &o);
	if (ret)
		return ret;
	if (o.verbose)
		libbpf_print(LIBBPF_DEBUG, NULL, NULL);
	libbpf_set_print(libbpf_print);

	if (o.dev) {
		struct stat st;

		if (stat(o.dev, &st) || !S_ISBLK(st.st_mode))
			return pcrace_usage_error("record: --dev %s is not a block device", o.dev);
		targ_dev = major(st.st_rdev) << 20 | minor(st.st_rdev);
	}
	if (o.path) {
		if (stat(o.path, &pst) || !S_ISDIR(pst.st_mode))
			return pcrace_usage_error("record: --path %s is not a directory", o.path);
	}
	if (o.cgroup) {
		struct statfs sfs;

		cgroup_fd = open(o.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cgroup_fd < 0 || fstatfs(cgroup_fd, &sfs) ||
		    sfs.f_type != CGROUP2_SUPER_MAGIC) {
			if (cgroup_fd >= 0)
				close(cgroup_fd);
			return pcrace_usage_error("record: --cgroup %s is not a cgroup v2 directory", o.cgroup);
		}
	}
	for (i = 0; i < o.npids; i++)
		if (kill(o.pids[i], 0) && errno == ESRCH)
			return pcrace_usage_error("record: no process %d", o.pids[i]);

	rc.skel = record_bpf__open();
	if (!rc.skel) {
		fprintf(stderr, "pcrace: record: cannot open BPF object: %s\n",
			strerror(errno));
		return PCRACE_EXIT_SKIP;
	}
	rc.skel->rodata->follow_children = !o.no_follow;
	rc.skel->rodata->all_files = o.all_files;
	rc.skel->rodata->targ_dev = targ_dev;
	if (o.path) {
		rc.skel->rodata->targ_dir_ino = pst.st_ino;
		rc.skel->rodata->targ_dir_dev = major(pst.st_dev) << 20 |
						minor(pst.st_dev);
	}
	rc.skel->rodata->filter_cgroup = o.cgroup != NULL;
	if (o.comm) {
		rc.skel->rodata->filter_comm = true;
		strncpy((char *)rc.skel->rodata->targ_comm, o.comm,
			PCRACE_COMM_LEN - 1);
	}
	bpf_map__set_max_entries(rc.skel->maps.events, o.buffer_mb << 20);
	bpf_map__set_max_entries(rc.skel->maps.traced_tgids, kernel_pid_max());
	/* wake the consumer at 1/16 full; it also polls every POLL_MS */
	rc.skel->rodata->wakeup_bytes = (__u64)o.buffer_mb << 16;

	ret = PCRACE_EXIT_SKIP;
	if (probes_init(&ps, rc.skel))
		goto out_destroy;
	if (!tracefs_root())
		fprintf(stderr, "pcrace: record: tracefs is not mounted and cannot be mounted\n");
	probes_disable_missing(&ps, o.no_kprobes);

	err = record_bpf__load(rc.skel);
	if (err) {
		fprintf(stderr, "pcrace: record: cannot load BPF programs: %s (run as root on a kernel with BTF)\n",
			strerror(-err));
		goto out_probes;
	}
	if (cgroup_fd >= 0) {
		__u32 zero = 0;

		if (bpf_map_update_elem(bpf_map__fd(rc.skel->maps.cgroup_scope),
					&zero, &cgroup_fd, BPF_ANY)) {
			fprintf(stderr, "pcrace: record: cannot scope to cgroup %s: %s\n",
				o.cgroup, strerror(errno));
			goto out_probes;
		}
	}
	err = fill_syscall_kinds(rc.skel);
	if (err) {
		fprintf(stderr, "pcrace: record: cannot fill the syscall table: %s\n",
			strerror(-err));
		goto out_probes;
	}
	for (i = 0; i < o.npids; i++) {
		trace_tgid(rc.skel, o.pids[i]);
		snprintf(scope + strlen(scope), sizeof(scope) - strlen(scope),
			 "pid=%d ", o.pids[i]);
	}
	if (o.comm)
		snprintf(scope + strlen(scope), sizeof(scope) - strlen(scope),
			 "comm=%s ", o.comm);
	if (o.dev)
		snprintf(scope + strlen(scope), sizeof(scope) - strlen(scope),
			 "dev=%s ", o.dev);
	if (o.path)
		snprintf(scope + strlen(scope), sizeof(scope) - strlen(scope),
			 "path=%s ", o.path);
	if (o.cgroup)
		snprintf(scope + strlen(scope), sizeof(scope) - strlen(scope),
			 "cgroup=%s ", o.cgroup);
	if (o.cmd)
		snprintf(scope + strlen(scope), sizeof(scope) - strlen(scope),
			 "cmd=%s ", o.cmd[0]);

	err = probes_attach(&ps);
	if (err) {
		fprintf(stderr, "pcrace: record: cannot attach the syscall probes; no trace written\n");
		goto out_probes;
	}
	for (i = 0; i < o.nrequire; i++) {
		struct probe *p = probes_find(&ps, o.require[i]);

		if (!p || p->status != PROBE_ATTACHED) {
			fprintf(stderr, "pcrace: record: required probe %s %s%s\n",
				o.require[i], p ? "is not attached: " : "is unknown to pcrace",
				p ? p->reason : "");
			goto out_detach;
		}
	}

	ret = PCRACE_EXIT_ERROR;
	if (o.flight) {
		flight_parse(&rc.fl, o.flight);
		rc.w = pcrace_writer_open_sink(o.zlevel, flight_sink, &rc.fl);
	} else {
		rc.w = pcrace_writer_open(o.output, o.zlevel);
	}
	if (!rc.w) {
		fprintf(stderr, "pcrace: record: cannot create %s: %s\n", o.output,
			strerror(errno));
		goto out_detach;
	}
	if (tables_init(&rc.tables))
		goto out_writer;
	pcrace_writer_set_preflush(rc.w, preflush, &rc);
	err = write_meta(&rc, scope);
	if (!err) {
		size_t len;
		unsigned int n;
		char *m = probes_manifest(&ps, &len, &n);

		err = m ? pcrace_write_text(rc.w, PCRACE_CHUNK_PROBES, m, len, n) :
			  -ENOMEM;
		free(m);
	}
	if (!err)
		err = tables_write_bdevs(rc.w);
	if (err) {
		fprintf(stderr, "pcrace: record: cannot write %s: %s\n", o.output,
			strerror(-err));
		goto out_tables;
	}

	rb = ring_buffer__new(bpf_map__fd(rc.skel->maps.events), handle_event,
			      &rc, NULL);
	if (!rb) {
		fprintf(stderr, "pcrace: record: cannot create ring buffer: %s\n",
			strerror(errno));
		goto out_tables;
	}
	rc.rb = rb;

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	if (kmsg_open(&rc.kmsg))
		fprintf(stderr, "pcrace: record: cannot read /dev/kmsg: kernel splats will not be noted\n");

	if (o.cmd) {
		child = spawn_stopped(o.cmd, &go_fd);
		if (child < 0 || trace_tgid(rc.skel, child)) {
			fprintf(stderr, "pcrace: record: cannot start %s: %s\n",
				o.cmd[0], strerror(errno));
			goto out_rb;
		}
		if (write(go_fd, "g", 1) != 1)
			exiting = 1;
		close(go_fd);
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	last_flush = start;
	while (!exiting && !rc.write_err) {
		err = ring_buffer__poll(rb, POLL_MS);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "pcrace: record: ring buffer poll: %s\n",
				strerror(-err));
			break;
		}
		note_losses(&rc);
		err = watch_kmsg(&rc);
		if (!err && save_now && o.flight) {
			save_now = 0;
			err = flight_write(&rc, "SIGUSR1");
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		/* flight windows age by chunk: close one at least every second */
		if (!err && o.flight && now.tv_sec > last_flush.tv_sec) {
			err = pcrace_writer_flush(rc.w);
			last_flush = now;
		}
		if (err && !rc.write_err)
			rc.write_err = err;
		if (child > 0 && child_done) {
			if (waitpid(child, &status, WNOHANG) == child)
				break;
			child_done = 0;
		}
		if (o.duration && now.tv_sec - start.tv_sec >= (time_t)o.duration)
			break;
		if (o.npids && !o.cmd && !o.comm && !o.dev && !o.path &&
		    !o.cgroup && !pids_alive(&o))
			break;		/* every -p process has exited */
	}
	/* detach first so the drain ends, then take what is still queued */
	probes_detach(&ps);
	ring_buffer__consume(rb);
	note_losses(&rc);
	if (child > 0 && exiting && waitpid(child, &status, WNOHANG) == 0) {
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}

	rc.child_status = status;
	rc.have_child = child > 0;
	/* a splat just before exit still gets its log tail */
	while (rc.splat_ns && !rc.write_err && !watch_kmsg(&rc))
		usleep(POLL_MS * 1000);
	if (rc.write_err)
		err = rc.write_err;
	else if (o.flight)
		err = flight_write(&rc, "exit");
	else
		err = write_trailer(&rc, rc.w);
	if (err) {
		fprintf(stderr, "pcrace: record: writing %s failed: %s; the trace is readable up to its last complete chunk\n",
			o.output, strerror(-err));
	} else if (!o.flight) {
		fprintf(stderr, "pcrace: record: %llu events, %llu bytes (%.1f bytes/event) in %s\n",
			pcrace_writer_events(rc.w), pcrace_writer_bytes(rc.w),
			pcrace_writer_events(rc.w) ?
			(double)pcrace_writer_bytes(rc.w) / pcrace_writer_events(rc.w) : 0,
			o.output);
		ret = 0;
	} else {
		ret = 0;
	}
out_rb:
	ring_buffer__free(rb);
out_tables:
	tables_free(&rc.tables);
	kmsg_close(&rc.kmsg);
	sb_free(&rc.splat);
	flight_free(&rc.fl);
out_writer:
	if (pcrace_writer_close(rc.w) && !ret)
		ret = PCRACE_EXIT_ERROR;
out_detach:
	probes_detach(&ps);
out_probes:
	free(ps.v);
out_destroy:
	record_bpf__destroy(rc.skel);
	if (cgroup_fd >= 0)
		close(cgroup_fd);
	return ret;
}
