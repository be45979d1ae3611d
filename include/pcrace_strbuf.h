/* SPDX-License-Identifier: GPL-2.0 */
/* Growable text buffer for building table chunks. */
#ifndef PCRACE_STRBUF_H
#define PCRACE_STRBUF_H

#include <stddef.h>
#include "pcrace.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	unsigned int nrec;	/* table rows appended */
	int oom;		/* an append failed: the content is incomplete */
};

__printf(2, 3) void sb_printf(struct strbuf *sb, const char *fmt, ...);
void sb_puts(struct strbuf *sb, const char *s);
/* v in decimal, without printf's parsing of a format (a trace's every op) */
void sb_u64(struct strbuf *sb, unsigned long long v);
void sb_s64(struct strbuf *sb, long long v);
/* v in lower-case hex, no 0x */
void sb_x64(struct strbuf *sb, unsigned long long v);
/* Append s with tab, newline and backslash escaped (table field). */
void sb_field(struct strbuf *sb, const char *s);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Undo sb_field's escaping in place. */
void unescape_field(char *s);

#endif /* PCRACE_STRBUF_H */
