/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event encoding inside an EVENTS chunk, shared by the writer and reader.
 *
 *   u8     type | 0x80 when a string payload follows
 *   varint zigzag(ts - prev ts)
 *   varint zigzag(tid - prev tid)
 *   varint zigzag(tgid - tid)
 *   varint cpu, varint aux
 *   string: varint len, bytes
 *   else:   u8 nargs, then per slot varint zigzag(arg - prev arg of type)
 *
 * Trailing zero arguments are not stored; they reset the slot to 0.
 * The state is reset at every chunk so that chunks decode on their own.
 */
#ifndef PCRACE_TRACE_CODEC_H
#define PCRACE_TRACE_CODEC_H

#include "pcrace_trace.h"

#define PCRACE_TYPE_STR_FLAG	0x80
#define PCRACE_EV_MAX_BYTES	(1 + 5 * 10 + 1 + PCRACE_NARGS * 10 + PCRACE_STR_MAX + 10)

struct pcrace_codec {
	__u64 ts;
	__u32 tid;
	__u64 prev[PCRACE_EV_MAX][PCRACE_NARGS];
};

static inline void pcrace_codec_reset(struct pcrace_codec *c)
{
	__builtin_memset(c, 0, sizeof(*c));
}

size_t pcrace_encode(struct pcrace_codec *c, const struct pcrace_rec *r,
		     unsigned char *out);
/* Returns bytes consumed, 0 on malformed input. */
size_t pcrace_decode(struct pcrace_codec *c, const unsigned char *in,
		     size_t avail, struct pcrace_rec *r);
/*
 * The same, but an event whose type want() refuses is checked and
 * stepped over, its arguments not decoded (r has only its header): the
 * same input is accepted or refused as by pcrace_decode().  want() must
 * give the same answer for a type over the whole stream.
 */
size_t pcrace_decode_if(struct pcrace_codec *c, const unsigned char *in,
			size_t avail, struct pcrace_rec *r,
			bool (*want)(unsigned int type));

#endif /* PCRACE_TRACE_CODEC_H */
