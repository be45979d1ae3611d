// SPDX-License-Identifier: GPL-2.0
/* Target mapping, safety checks and per-trial file set-up (see target.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include "pcrace.h"
#include "shadow.h"
#include "target.h"

#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif

static const struct {
	unsigned long magic;
	const char *name;
} fs_names[] = {
	{ 0xEF53, "ext4" }, { 0x58465342, "xfs" }, { 0x01021994, "tmpfs" },
	{ 0x9123683E, "btrfs" }, { 0xF2F52010, "f2fs" }, { 0x65735546, "fuse" },
	{ 0x6969, "nfs" }, { 0x2FC12FC1, "zfs" },
};

static const char *fs_name(unsigned long magic)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fs_names); i++)
		if (fs_names[i].magic == magic)
			return fs_names[i].name;
	return "?";
}

/* The mount options of the mount holding path, from mountinfo. */
static bool mount_opts(const char *path, char *opts, size_t len)
{
	char line[4096], mnt[PATH_MAX], o[1000], best[PATH_MAX] = "";
	char real[PATH_MAX];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	bool found = false;

	if (!f || !realpath(path, real)) {
		if (f)
			fclose(f);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n;

		if (sscanf(line, "%*s %*s %*s %*s %4095s %999s", mnt, o) != 2)
			continue;
		n = strlen(mnt);
		if (strncmp(real, mnt, n) || (real[n] && real[n] != '/' && n > 1))
			continue;
		if (n >= strlen(best)) {
			const char *dax = strstr(line, " - ");

			snprintf(best, sizeof(best), "%s", mnt);
			/*
			 * Super options (dax, dax=never|always|inode) are after
			 * the " - " separator: the dax token as it is written.
			 */
			dax = dax ? strstr(dax, "dax") : NULL;
			snprintf(opts, len, "%s%s%.*s", o, dax ? "," : "",
				 dax ? (int)strcspn(dax, ",\t\n ") : 0, dax ? dax : "");
			found = true;
		}
	}
	fclose(f);
	return found;
}

bool target_opts_dax(const char *opts)
{
	return opts && strstr(opts, "dax") && !strstr(opts, "dax=never");
}

/* The directory a file's target is in: its file system's options apply. */
static void target_parent(const struct plan_file *f, char *dir, size_t len)
{
	char *slash;

	snprintf(dir, len, "%s", f->target);
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
}

static void check_env(const struct plan_file *f, bool *mismatch, char *msg,
		      size_t len)
{
	struct statfs sfs;
	struct stat st;
	char dir[PATH_MAX], opts[1024] = "";
	const char *name;

	target_parent(f, dir, sizeof(dir));
	if (statfs(dir, &sfs) || stat(dir, &st))
		return;
	name = fs_name(sfs.f_type);
	mount_opts(dir, opts, sizeof(opts));
	if (f->fstype[0] && strcmp(f->fstype, name)) {
		snprintf(msg, len, "%s: recorded on %s, target is %s", f->path,
			 f->fstype, name);
		*mismatch = true;
	} else if (f->blksize && (unsigned long)sfs.f_bsize != f->blksize) {
		snprintf(msg, len, "%s: recorded block size %lu, target's is %ld",
			 f->path, f->blksize, (long)sfs.f_bsize);
		*mismatch = true;
	} else if (target_opts_dax(f->opts) != target_opts_dax(opts)) {
		snprintf(msg, len, "%s: recorded %s DAX, target is %s", f->path,
			 target_opts_dax(f->opts) ? "with" : "without",
			 target_opts_dax(opts) ? "DAX" : "not DAX");
		*mismatch = true;
	}
}

/* The sysfs directory of a block device, resolved. */
static bool sysfs_dir(dev_t dev, char *out)
{
	char p[64];

	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	return realpath(p, out) != NULL;
}

/* Is the device, or a partition of it, mounted, swapped on or held? */
static const char *device_busy(dev_t dev)
{
	char line[4096], sys[PATH_MAX], other[PATH_MAX], held[PATH_MAX + 16];
	unsigned int ma, mi;
	struct dirent *de;
	struct stat root;
	DIR *d;
	FILE *f;
	size_t n;

	if (!stat("/", &root) && root.st_dev == dev)
		return "holds the root file system";
	if (!sysfs_dir(dev, sys))
		return NULL;
	n = strlen(sys);
	if (!stat("/", &root) && sysfs_dir(root.st_dev, other) &&
	    !strncmp(other, sys, n) && (other[n] == '/' || !other[n]))
		return "holds the root file system";
	f = fopen("/proc/self/mountinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %u:%u", &ma, &mi) != 2)
			continue;
		if (!sysfs_dir(makedev(ma, mi), other))
			continue;
		if (!strncmp(other, sys, n) && (other[n] == '/' || !other[n])) {
			fclose(f);
			return "is mounted";
		}
	}
	if (f)
		fclose(f);
	f = fopen("/proc/swaps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char name[PATH_MAX];
		struct stat st;

		if (sscanf(line, "%4095s", name) == 1 && !stat(name, &st) &&
		    S_ISBLK(st.st_mode) && st.st_rdev == dev) {
			fclose(f);
			return "is in use as swap";
		}
	}
	if (f)
		fclose(f);
	snprintf(held, sizeof(held), "%s/holders", sys);
	d = opendir(held);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			closedir(d);
			return "is held by another device (dm, md)";
		}
	if (d)
		closedir(d);
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static char *mapped(const struct target_opts *t, const char *path)
{
	unsigned int i;
	size_t n;
	char *out;

	for (i = 0; i < t->nmap; i++) {
		n = strlen(t->map[i].from);
		if (strncmp(path, t->map[i].from, n) ||
		    (path[n] && path[n] != '/'))
			continue;
		if (asprintf(&out, "%s%s", t->map[i].to, path + n) < 0)
			return NULL;
		return out;
	}
	return NULL;
}

static int check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st, root;

	if (stat(dir, &st)) {
		snprintf(err, errlen, "target %s: %s", dir, strerror(errno));
		return PCRACE_EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "target %s: not a directory", dir);
		return PCRACE_EXIT_USAGE;
	}
	if (!stat("/", &root) && root.st_dev == st.st_dev) {
		snprintf(err, errlen,
			 "target %s is on the root file system; replay only writes to a scratch file system",
			 dir);
		return PCRACE_EXIT_USAGE;
	}
	return 0;
}

/*
 * MADV_HWPOISON and MADV_SOFT_OFFLINE take the page under the address out
 * of service for good.  On a DAX file that is the target's pmem (seed 5's
 * race); on any other file it is a page of this machine's RAM, holding
 * the target's page cache: outside the target, and not undone by
 * removing it.  Refused there unless --allow-poison.
 */
static int check_poison(const struct plan *p, const struct target_opts *t,
			char *err, size_t errlen)
{
	char dir[PATH_MAX], opts[1024];
	const struct plan_file *f;
	unsigned int i, on_dax = PLAN_NONE;

	for (i = 0; i < p->nops && !t->allow_poison; i++) {
		const struct plan_op *op = &p->ops[i];

		if (op->kind != PK_MADVISE ||
		    (op->flags != MADV_HWPOISON && op->flags != MADV_SOFT_OFFLINE))
			continue;
		/*
		 * A poisoning loop (dax.sh) hits one file op after op: judge
		 * it once, not with a read of mountinfo per op.
		 */
		if (p->maps[op->map].file == on_dax)
			continue;
		f = &p->files[p->maps[op->map].file];
		if (!f->target)
			continue;
		target_parent(f, dir, sizeof(dir));
		opts[0] = '\0';
		mount_opts(dir, opts, sizeof(opts));
		if (target_opts_dax(opts)) {
			on_dax = p->maps[op->map].file;
			continue;
		}
		snprintf(err, errlen,
			 "op %u (madvise %s) would poison a page of this machine's RAM: %s is not on DAX (replay it in a test VM with --allow-poison)",
			 op->seq, op->flags == MADV_HWPOISON ? "MADV_HWPOISON" : "MADV_SOFT_OFFLINE",
			 f->target);
		return PCRACE_EXIT_USAGE;
	}
	return 0;
}

int target_map(struct plan *p, const struct target_opts *t, char *err,
	       size_t errlen)
{
	char msg[512] = "", dir[PATH_MAX];
	bool mismatch = false;
	struct stat st;
	const char *why;
	unsigned int i, j;
	int ret;

	ret = t->dir ? check_dir(t->dir, err, errlen) : 0;
	if (ret)
		return ret;
	if (t->dev) {
		if (stat(t->dev, &st) || !S_ISBLK(st.st_mode)) {
			snprintf(err, errlen, "target device %s: %s", t->dev,
				 errno && !S_ISBLK(st.st_mode) ? strerror(errno) :
				 "not a block device");
			return PCRACE_EXIT_USAGE;
		}
		why = device_busy(st.st_rdev);
		if (why) {
			snprintf(err, errlen, "target device %s %s; refusing to write to it",
				 t->dev, why);
			return PCRACE_EXIT_USAGE;
		}
	}
	for (i = 0; i < p->nfiles; i++) {
		struct plan_file *f = &p->files[i];

		if (f->pseudo)
			continue;
		f->target = mapped(t, f->path);
		if (!f->target && f->bdev) {
			for (j = 0; j < i; j++)
				if (p->files[j].bdev && !mapped(t, p->files[j].path)) {
					snprintf(err, errlen,
						 "%s: the scenario acts on several block devices; map each with --map OLD=NEW",
						 f->path);
					return PCRACE_EXIT_USAGE;
				}
			if (!t->dev) {
				snprintf(err, errlen, "%s is a block device: name a --target-dev",
					 f->path);
				return PCRACE_EXIT_USAGE;
			}
			f->target = strdup(t->dev);
		} else if (!f->target) {
			if (!t->dir) {
				snprintf(err, errlen, "%s: no --target DIR to replay it in",
					 f->path);
				return PCRACE_EXIT_USAGE;
			}
			for (j = 0; j < i; j++)
				if (!strcmp(base_name(p->files[j].path), base_name(f->path)))
					break;
			if (j < i)
				ret = asprintf(&f->target, "%s/F%u-%s", t->dir, i + 1,
					       base_name(f->path));
			else
				ret = asprintf(&f->target, "%s/%s", t->dir,
					       base_name(f->path));
			if (ret < 0)
				f->target = NULL;
		}
		if (!f->target) {
			snprintf(err, errlen, "out of memory");
			return PCRACE_EXIT_SKIP;
		}
		if (f->bdev) {
			why = stat(f->target, &st) || !S_ISBLK(st.st_mode) ?
			      "is not a block device" : device_busy(st.st_rdev);
			if (why) {
				snprintf(err, errlen, "target device %s %s", f->target, why);
				return PCRACE_EXIT_USAGE;
			}
			continue;
		}
		/* a mapped file's directory gets the same checks as --target */
		snprintf(dir, sizeof(dir), "%s", f->target);
		*strrchr(dir, '/') = '\0';
		ret = check_dir(dir[0] ? dir : "/", err, errlen);
		if (ret)
			return ret;
		if (!lstat(f->target, &st) && !S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "target %s exists and is not a regular file",
				 f->target);
			return PCRACE_EXIT_USAGE;
		}
		if (!mismatch)
			check_env(f, &mismatch, msg, sizeof(msg));
	}
	ret = check_poison(p, t, err, errlen);
	if (ret)
		return ret;
	if (mismatch) {
		if (t->strict) {
			snprintf(err, errlen, "target does not match the recording: %s", msg);
			return PCRACE_EXIT_SKIP;
		}
		fprintf(stderr, "pcrace: warning: target does not match the recording: %s\n",
			msg);
	}
	return 0;
}

static int fill(int fd, __u64 size, __u64 magic)
{
	size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	__u64 off;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		pattern_fill(buf, off, n, TAG_INIT, magic);
		n = pwrite(fd, buf, n, off);
		if (n <= 0) {
			free(buf);
			return n < 0 ? -errno : -EIO;
		}
	}
	free(buf);
	return 0;
}

int target_setup(const struct plan *p, const struct target_opts *t,
		 struct shadow *sh, __u64 magic, char *err, size_t errlen)
{
	unsigned int i;
	__u64 size;
	int fd, ret;

	for (i = 0; i < p->nfiles; i++) {
		const struct plan_file *f = &p->files[i];

		if (f->pseudo)
			continue;
		if (f->bdev) {
			/* devices are not pre-filled: judged where written */
			fd = open(f->target, O_RDONLY | O_CLOEXEC);
			size = 0;
			if (fd >= 0) {
				ioctl(fd, BLKGETSIZE64, &size);
				close(fd);
			}
			shadow_reset(sh, i, size, TAG_UNKNOWN, magic);
			continue;
		}
		fd = open(f->target, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0) {
			ret = -errno;
			snprintf(err, errlen, "cannot create %s: %s", f->target,
				 strerror(errno));
			return ret;
		}
		ret = ftruncate(fd, 0) || ftruncate(fd, f->size) ? -errno : 0;
		if (!ret && f->size <= t->prefill_max)
			ret = fill(fd, f->size, magic);
		if (!ret && fsync(fd))
			ret = -errno;
		/* start from the media, as the recorded run likely did */
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
		if (ret) {
			snprintf(err, errlen, "cannot set up %s: %s", f->target,
				 strerror(-ret));
			return ret;
		}
		shadow_reset(sh, i, f->size,
			     f->size <= t->prefill_max ? TAG_INIT : TAG_ZERO, magic);
	}
	return 0;
}
