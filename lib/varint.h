/* SPDX-License-Identifier: GPL-2.0 */
/* LEB128 varints and zigzag deltas for the EVENTS chunk encoding. */
#ifndef PCRACE_VARINT_H
#define PCRACE_VARINT_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t zigzag(uint64_t delta)
{
	return (delta << 1) ^ (uint64_t)((int64_t)delta >> 63);
}

static inline uint64_t unzigzag(uint64_t v)
{
	return (v >> 1) ^ -(v & 1);
}

/* Returns bytes written (at most 10). */
static inline size_t varint_put(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)v | 0x80;
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Returns bytes consumed, or 0 when the input ends or overflows. */
static inline size_t varint_get(const unsigned char *p, size_t avail,
				uint64_t *out)
{
	uint64_t v = 0;
	size_t n;

	/* most deltas fit in one byte: a trace's million events each have several */
	if (avail && !(p[0] & 0x80)) {
		*out = p[0];
		return 1;
	}
	for (n = 0; n < avail && n < 10; n++) {
		v |= (uint64_t)(p[n] & 0x7f) << (7 * n);
		if (!(p[n] & 0x80)) {
			*out = v;
			return n + 1;
		}
	}
	return 0;
}

#endif /* PCRACE_VARINT_H */
