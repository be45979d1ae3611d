// SPDX-License-Identifier: GPL-2.0
/* Growable text buffer; see pcrace_strbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace_strbuf.h"

static int sb_reserve(struct strbuf *sb, size_t more)
{
	size_t cap = sb->cap ? sb->cap : 256;
	char *p;

	if (sb->len + more + 1 <= sb->cap)
		return 0;
	while (cap < sb->len + more + 1)
		cap *= 2;
	p = realloc(sb->buf, cap);
	if (!p) {
		sb->oom = 1;
		return -1;
	}
	sb->buf = p;
	sb->cap = cap;
	return 0;
}

/*
 * One vsnprintf() into the room left, a second only when it did not fit:
 * dump --ops makes a dozen of these per op, and measuring each first
 * doubled their cost.
 */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!sb->buf && sb_reserve(sb, 0))
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->buf[sb->len] = 0;
		return;
	}
	if ((size_t)n >= sb->cap - sb->len) {
		if (sb_reserve(sb, n)) {
			sb->buf[sb->len] = 0;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
		va_end(ap);
	}
	sb->len += n;
}

void sb_puts(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	if (sb_reserve(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n + 1);
	sb->len += n;
}

/*
 * v's digits in base (10 or 16), most significant first; inlined with a
 * constant base, so the divisions are multiplications and shifts.
 */
static inline void sb_digits(struct strbuf *sb, unsigned long long v,
			     unsigned int base)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (sb_reserve(sb, n))
		return;
	while (n)
		sb->buf[sb->len++] = d[--n];
	sb->buf[sb->len] = 0;
}

void sb_u64(struct strbuf *sb, unsigned long long v)
{
	sb_digits(sb, v, 10);
}

void sb_s64(struct strbuf *sb, long long v)
{
	if (v < 0)
		sb_puts(sb, "-");
	sb_u64(sb, v < 0 ? -(unsigned long long)v : (unsigned long long)v);
}

void sb_x64(struct strbuf *sb, unsigned long long v)
{
	sb_digits(sb, v, 16);
}

void sb_field(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		if (sb_reserve(sb, 2))
			return;
		switch (*s) {
		case '\t':
			sb->buf[sb->len++] = '\\';
			sb->buf[sb->len++] = 't';
			break;
		case '\n':
			sb->buf[sb->len++] = '\\';
			sb->buf[sb->len++] = 'n';
			break;
		case '\\':
			sb->buf[sb->len++] = '\\';
			sb->buf[sb->len++] = '\\';
			break;
		default:
			sb->buf[sb->len++] = *s;
		}
	}
	if (sb->buf)
		sb->buf[sb->len] = 0;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->nrec = 0;
	if (sb->buf)
		sb->buf[0] = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->nrec = 0;
}

void unescape_field(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*w++ = *s;
		}
	}
	*w = 0;
}
