// SPDX-License-Identifier: GPL-2.0
/* Varint delta coding of events; see trace_codec.h for the layout. */
#include <string.h>
#include "trace_codec.h"
#include "varint.h"

size_t pcrace_encode(struct pcrace_codec *c, const struct pcrace_rec *r,
		     unsigned char *out)
{
	unsigned int type = r->hdr.type, i, nargs;
	bool is_str = pcrace_type_is_str(type);
	size_t n = 0;

	out[n++] = type | (is_str ? PCRACE_TYPE_STR_FLAG : 0);
	n += varint_put(out + n, zigzag(r->hdr.ts_ns - c->ts));
	n += varint_put(out + n, zigzag((__u64)(__s64)(__s32)(r->hdr.tid - c->tid)));
	n += varint_put(out + n, zigzag((__u64)(__s64)(__s32)(r->hdr.tgid - r->hdr.tid)));
	n += varint_put(out + n, r->hdr.cpu);
	n += varint_put(out + n, r->hdr.aux);
	c->ts = r->hdr.ts_ns;
	c->tid = r->hdr.tid;

	if (is_str) {
		unsigned int len = r->len > PCRACE_STR_MAX ? PCRACE_STR_MAX : r->len;

		n += varint_put(out + n, len);
		memcpy(out + n, r->str, len);
		return n + len;
	}

	nargs = r->nargs > PCRACE_NARGS ? PCRACE_NARGS : r->nargs;
	while (nargs && !r->arg[nargs - 1])
		nargs--;
	out[n++] = nargs;
	for (i = 0; i < PCRACE_NARGS; i++) {
		__u64 v = i < nargs ? r->arg[i] : 0;

		if (i < nargs)
			n += varint_put(out + n, zigzag(v - c->prev[type][i]));
		c->prev[type][i] = v;
	}
	return n;
}

size_t pcrace_decode(struct pcrace_codec *c, const unsigned char *in,
		     size_t avail, struct pcrace_rec *r)
{
	return pcrace_decode_if(c, in, avail, r, NULL);
}

size_t pcrace_decode_if(struct pcrace_codec *c, const unsigned char *in,
			size_t avail, struct pcrace_rec *r,
			bool (*want)(unsigned int type))
{
	uint64_t v[5], len;
	unsigned int type, i;
	size_t n = 0, k;

	if (avail < 1)
		return 0;
	type = in[n++];
	memset(&r->hdr, 0, sizeof(r->hdr));
	for (i = 0; i < 5; i++) {
		k = varint_get(in + n, avail - n, &v[i]);
		if (!k)
			return 0;
		n += k;
	}
	r->hdr.ts_ns = c->ts + unzigzag(v[0]);
	r->hdr.tid = c->tid + (__u32)unzigzag(v[1]);
	r->hdr.tgid = r->hdr.tid + (__u32)unzigzag(v[2]);
	if (v[3] > 0xffff || v[4] > 0xffffffffu)
		return 0;
	r->hdr.cpu = v[3];
	r->hdr.aux = v[4];
	c->ts = r->hdr.ts_ns;
	c->tid = r->hdr.tid;

	if (type & PCRACE_TYPE_STR_FLAG) {
		type &= ~PCRACE_TYPE_STR_FLAG;
		if (type >= PCRACE_EV_MAX || !pcrace_type_is_str(type))
			return 0;
		r->hdr.type = type;
		k = varint_get(in + n, avail - n, &len);
		if (!k || len > PCRACE_STR_MAX || len > avail - n - k)
			return 0;
		n += k;
		memcpy(r->str, in + n, len);
		r->str[len] = 0;
		r->len = len;
		r->nargs = 0;
		return n + len;
	}

	if (type >= PCRACE_EV_MAX || pcrace_type_is_str(type) || n >= avail)
		return 0;
	r->hdr.type = type;
	r->nargs = in[n++];
	if (r->nargs > PCRACE_NARGS)
		return 0;
	r->len = 0;
	r->str[0] = 0;
	/*
	 * A type the reader does not want: its arguments are only stepped
	 * over.  Its delta state (prev[type]) goes stale, which is harmless
	 * while this reader never wants that type.
	 */
	if (want && !want(type)) {
		for (i = 0; i < r->nargs; i++) {
			k = varint_get(in + n, avail - n, &len);
			if (!k)
				return 0;
			n += k;
		}
		return n;
	}
	for (i = 0; i < PCRACE_NARGS; i++) {
		uint64_t d = 0;

		if (i < r->nargs) {
			k = varint_get(in + n, avail - n, &d);
			if (!k)
				return 0;
			n += k;
			r->arg[i] = c->prev[type][i] + unzigzag(d);
		} else {
			r->arg[i] = 0;
		}
		c->prev[type][i] = r->arg[i];
	}
	return n;
}
