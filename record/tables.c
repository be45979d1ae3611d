// SPDX-License-Identifier: GPL-2.0
/*
 * Task, file and block-device tables.  Files are resolved from user space
 * at the first FD_BIND of their (dev, ino): /proc/PID/fd/N while the fd is
 * still open, else the path argument of the open that made it.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "tables.h"
#include "pcrace_schema.h"

struct task_row {
	__u32 tgid;
	__u32 ppid;
	char comm[PCRACE_COMM_LEN];
};

/* The path argument of a task's syscall in flight. */
struct path_arg {
	char path[PCRACE_STR_MAX + 1];
	bool valid;		/* cleared at the next syscall entry */
	char fd_path[PCRACE_STR_MAX + 1];	/* FD_PATH from the kernel */
	int fd_path_fd;				/* its fd, -1 when used */
};

int tables_init(struct rec_tables *t)
{
	memset(t, 0, sizeof(*t));
	if (pcrace_keymap_init(&t->tasks, sizeof(struct task_row)) ||
	    pcrace_keymap_init(&t->files, 1) ||
	    pcrace_keymap_init(&t->paths, sizeof(struct path_arg)))
		return -1;
	return 0;
}

void tables_free(struct rec_tables *t)
{
	pcrace_keymap_free(&t->tasks);
	pcrace_keymap_free(&t->files);
	pcrace_keymap_free(&t->paths);
	sb_free(&t->task_rows);
	sb_free(&t->file_rows);
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	return 0;
}

static void proc_task(__u32 tgid, __u32 tid, struct task_row *row)
{
	char p[64], line[256];
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%u/task/%u/comm", tgid, tid);
	if (read_line(p, row->comm, sizeof(row->comm)))
		snprintf(row->comm, sizeof(row->comm), "?");
	snprintf(p, sizeof(p), "/proc/%u/task/%u/status", tgid, tid);
	f = fopen(p, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PPid: %u", &row->ppid) == 1)
			break;
	fclose(f);
}

static void emit_task(struct rec_tables *t, __u32 tid, const struct task_row *row)
{
	sb_printf(&t->task_rows, "%u\t%u\t%u\t", tid, row->tgid, row->ppid);
	sb_field(&t->task_rows, row->comm);
	sb_printf(&t->task_rows, "\n");
	t->task_rows.nrec++;
}

static struct task_row *see_task(struct rec_tables *t, __u32 tid, __u32 tgid)
{
	struct task_row *row;
	bool created;

	row = pcrace_keymap_put(&t->tasks, tid, 0, &created);
	if (row && created) {
		row->tgid = tgid;
		proc_task(tgid, tid, row);
		emit_task(t, tid, row);
	}
	return row;
}

/* Longest mount-point match for the device in /proc/PID/mountinfo. */
static void mount_of(__u32 tgid, dev_t dev, const char *path, char *fstype,
		     size_t ftlen, char *opts, size_t olen)
{
	char p[64], *line = NULL, mnt[PATH_MAX], mopts[1024], ft[64];
	char src[PATH_MAX], sopts[1024];
	size_t cap = 0, best = 0;
	unsigned int maj, min;
	FILE *f;

	snprintf(fstype, ftlen, "?");
	snprintf(opts, olen, "?");
	snprintf(p, sizeof(p), "/proc/%u/mountinfo", tgid);
	f = fopen(p, "re");
	if (!f)
		f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char *dash = strstr(line, " - ");
		size_t ml;

		if (!dash ||
		    sscanf(line, "%*u %*u %u:%u %*s %4095s %1023s", &maj, &min,
			   mnt, mopts) != 4 ||
		    sscanf(dash + 3, "%63s %4095s %1023s", ft, src, sopts) != 3)
			continue;
		if (makedev(maj, min) != dev)
			continue;
		ml = strlen(mnt);
		if (strncmp(path, mnt, ml) || (ml > 1 && path[ml] && path[ml] != '/'))
			continue;
		if (ml >= best) {
			best = ml;
			snprintf(fstype, ftlen, "%s", ft);
			snprintf(opts, olen, "%s,%s", mopts, sopts);
		}
	}
	free(line);
	fclose(f);
}

static void resolve_path(struct rec_tables *t, const struct pcrace_rec *r,
			 char *path, size_t len, struct stat *st)
{
	__u32 kdev_r = r->arg[6], mode = r->arg[5] & 0xffff;
	struct path_arg *pa;
	char p[64], cwd[PATH_MAX];
	ssize_t n;

	/* the kernel's own walk of the file's dentries comes first */
	pa = pcrace_keymap_get(&t->paths, r->hdr.tid, 0);
	if (pa && pa->fd_path_fd == (int)r->arg[0] && pa->fd_path[0] == '/') {
		pa->fd_path_fd = -1;
		snprintf(path, len, "%s", pa->fd_path);
		if (stat(path, st))
			memset(st, 0, sizeof(*st));
		return;
	}
	snprintf(p, sizeof(p), "/proc/%u/fd/%d", r->hdr.tgid, (int)r->arg[0]);
	n = readlink(p, path, len - 1);
	if (n > 0) {
		path[n] = 0;
		if (!stat(path, st) &&
		    (((mode & S_IFMT) == S_IFBLK &&
		      st->st_rdev == makedev(pcrace_kdev_major(kdev_r),
					     pcrace_kdev_minor(kdev_r))) ||
		     st->st_ino == r->arg[2]))
			return;
		if (path[0] != '/') {
			/* pipe:[N], anon_inode:[io_uring], ... */
			memset(st, 0, sizeof(*st));
			return;
		}
	}
	/*
	 * The fd (or the whole process) is gone already: fall back to the
	 * path argument of the syscall that made the fd, if it had one.
	 */
	pa = pcrace_keymap_get(&t->paths, r->hdr.tid, 0);
	if (pa && !pa->valid)
		pa = NULL;
	if (pa && pa->path[0] == '/') {
		snprintf(path, len, "%s", pa->path);
	} else if (pa && pa->path[0]) {
		snprintf(p, sizeof(p), "/proc/%u/cwd", r->hdr.tgid);
		n = readlink(p, cwd, sizeof(cwd) - 1);
		cwd[n > 0 ? n : 0] = 0;
		snprintf(path, len, "%.3800s/%s", n > 0 ? cwd : "?", pa->path);
	} else {
		snprintf(path, len, "?");
	}
	if (stat(path, st))
		memset(st, 0, sizeof(*st));
}

static void see_file(struct rec_tables *t, const struct pcrace_rec *r)
{
	char path[PATH_MAX], fstype[64], opts[2048];
	struct stat st;
	bool created;

	if (!pcrace_keymap_put(&t->files, (__u32)r->arg[1], r->arg[2], &created) ||
	    !created)
		return;
	resolve_path(t, r, path, sizeof(path), &st);
	if (st.st_dev || st.st_ino)
		mount_of(r->hdr.tgid, st.st_dev, path, fstype, sizeof(fstype),
			 opts, sizeof(opts));
	else
		snprintf(fstype, sizeof(fstype), "?"), snprintf(opts, sizeof(opts), "?");
	/* kdev ino path size mode fstype blksize mount_opts st_dev */
	sb_printf(&t->file_rows, "%u:%u\t%llu\t",
		  pcrace_kdev_major(r->arg[1]), pcrace_kdev_minor(r->arg[1]),
		  (unsigned long long)r->arg[2]);
	sb_field(&t->file_rows, path);
	sb_printf(&t->file_rows, "\t%llu\t0%llo\t%s\t%lu\t",
		  (unsigned long long)r->arg[4],
		  (unsigned long long)(r->arg[5] & 0xffff), fstype,
		  (unsigned long)st.st_blksize);
	sb_field(&t->file_rows, opts);
	sb_printf(&t->file_rows, "\t%u:%u\n", major(st.st_dev), minor(st.st_dev));
	t->file_rows.nrec++;
}

void tables_on_event(struct rec_tables *t, const struct pcrace_rec *r)
{
	struct task_row *row, *parent;
	struct path_arg *pa;
	bool created;

	row = see_task(t, r->hdr.tid, r->hdr.tgid);
	switch (r->hdr.type) {
	case PCRACE_EV_TASK_FORK:
		/* the child may be gone before user space could look at it */
		parent = row;
		row = pcrace_keymap_put(&t->tasks, (__u32)r->arg[0], 0, &created);
		if (row && created) {
			row->tgid = r->arg[1];
			row->ppid = r->hdr.tgid;
			snprintf(row->comm, sizeof(row->comm), "%s",
				 parent ? parent->comm : "?");
			emit_task(t, r->arg[0], row);
		}
		break;
	case PCRACE_EV_TASK_EXEC:
	case PCRACE_EV_TASK_COMM:
		if (row) {
			snprintf(row->comm, sizeof(row->comm), "%.15s", r->str);
			emit_task(t, r->hdr.tid, row);	/* supersedes */
		}
		break;
	case PCRACE_EV_PATH:
		pa = pcrace_keymap_put(&t->paths, r->hdr.tid, 0, &created);
		if (pa) {
			snprintf(pa->path, sizeof(pa->path), "%s", r->str);
			pa->valid = true;
		}
		break;
	case PCRACE_EV_FD_PATH:
		pa = pcrace_keymap_put(&t->paths, r->hdr.tid, 0, &created);
		if (pa) {
			snprintf(pa->fd_path, sizeof(pa->fd_path), "%s", r->str);
			pa->fd_path_fd = r->hdr.aux;
		}
		break;
	case PCRACE_EV_SYS_ENTER:
		/* PATH events come just before their SYS_ENTER */
		pa = pcrace_keymap_get(&t->paths, r->hdr.tid, 0);
		if (pa) {
			const struct pcrace_syscall_desc *d;

			d = pcrace_syscall_by_nr(r->arg[0]);
			pa->valid = pa->valid && d &&
				    (d->kind & (PCRACE_SC_PATH0 | PCRACE_SC_PATH1));
		}
		break;
	case PCRACE_EV_FD_BIND:
		see_file(t, r);
		break;
	default:
		break;
	}
}

int tables_flush(struct rec_tables *t, struct pcrace_writer *w)
{
	int err = 0;

	if (t->task_rows.len)
		err = pcrace_write_text(w, PCRACE_CHUNK_TASKS, t->task_rows.buf,
					t->task_rows.len, t->task_rows.nrec);
	if (!err && t->file_rows.len)
		err = pcrace_write_text(w, PCRACE_CHUNK_FILES, t->file_rows.buf,
					t->file_rows.len, t->file_rows.nrec);
	sb_reset(&t->task_rows);
	sb_reset(&t->file_rows);
	return err;
}

int tables_write_bdevs(struct pcrace_writer *w)
{
	struct strbuf sb = { 0 };
	struct dirent *de;
	char p[PATH_MAX], dev[32], size[32], dax[8];
	DIR *d;
	int err;

	d = opendir("/sys/class/block");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/class/block/%s/dev", de->d_name);
		if (read_line(p, dev, sizeof(dev)))
			continue;
		snprintf(p, sizeof(p), "/sys/class/block/%s/size", de->d_name);
		if (read_line(p, size, sizeof(size)))
			snprintf(size, sizeof(size), "0");
		snprintf(p, sizeof(p), "/sys/class/block/%s/queue/dax", de->d_name);
		if (read_line(p, dax, sizeof(dax)))
			snprintf(dax, sizeof(dax), "0");
		snprintf(p, sizeof(p), "/sys/class/block/%s/partition", de->d_name);
		/* name dev size_bytes pmem dax partition */
		sb_printf(&sb, "%s\t%s\t%llu\t%d\t%s\t%d\n", de->d_name, dev,
			  strtoull(size, NULL, 10) * 512,
			  !strncmp(de->d_name, "pmem", 4), dax, !stat(p, &st));
		sb.nrec++;
	}
	closedir(d);
	err = sb.len ? pcrace_write_text(w, PCRACE_CHUNK_BDEVS, sb.buf, sb.len,
					 sb.nrec) : 0;
	sb_free(&sb);
	return err;
}
