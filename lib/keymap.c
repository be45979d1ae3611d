// SPDX-License-Identifier: GPL-2.0
/* Linear-probing hash map; see pcrace_keymap.h. */
#include <stdlib.h>
#include <string.h>
#include "pcrace_keymap.h"

enum { SLOT_EMPTY, SLOT_USED, SLOT_DELETED };

static uint64_t hash2(uint64_t a, uint64_t b)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull);

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 32);
}

static int alloc_slots(struct pcrace_keymap *m, size_t cap)
{
	m->used = calloc(cap, 1);
	m->keys = calloc(cap, sizeof(*m->keys));
	m->vals = calloc(cap, m->vsize);
	if (!m->used || !m->keys || !m->vals) {
		free(m->used);
		free(m->keys);
		free(m->vals);
		return -1;
	}
	m->cap = cap;
	m->len = 0;
	return 0;
}

int pcrace_keymap_init(struct pcrace_keymap *m, size_t vsize)
{
	memset(m, 0, sizeof(*m));
	m->vsize = vsize;
	return alloc_slots(m, 64);
}

void pcrace_keymap_free(struct pcrace_keymap *m)
{
	free(m->used);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static size_t find(const struct pcrace_keymap *m, uint64_t a, uint64_t b,
		   bool *found)
{
	size_t mask = m->cap - 1, i = hash2(a, b) & mask, tomb = (size_t)-1;

	for (;;) {
		if (m->used[i] == SLOT_EMPTY) {
			*found = false;
			return tomb != (size_t)-1 ? tomb : i;
		}
		if (m->used[i] == SLOT_USED && m->keys[i][0] == a &&
		    m->keys[i][1] == b) {
			*found = true;
			return i;
		}
		if (m->used[i] == SLOT_DELETED && tomb == (size_t)-1)
			tomb = i;
		i = (i + 1) & mask;
	}
}

static int grow(struct pcrace_keymap *m)
{
	struct pcrace_keymap old = *m;
	size_t i;
	bool created;

	if (alloc_slots(m, old.cap * 2))
		return -1;
	for (i = 0; i < old.cap; i++)
		if (old.used[i] == SLOT_USED)
			memcpy(pcrace_keymap_put(m, old.keys[i][0], old.keys[i][1],
						 &created),
			       old.vals + i * m->vsize, m->vsize);
	free(old.used);
	free(old.keys);
	free(old.vals);
	return 0;
}

void *pcrace_keymap_get(const struct pcrace_keymap *m, uint64_t a, uint64_t b)
{
	bool found;
	size_t i = find(m, a, b, &found);

	return found ? m->vals + i * m->vsize : NULL;
}

void *pcrace_keymap_put(struct pcrace_keymap *m, uint64_t a, uint64_t b,
			bool *created)
{
	bool found;
	size_t i;

	/* keep the load (tombstones included) under 1/2 */
	if ((m->len + 1) * 2 > m->cap && grow(m))
		return NULL;
	i = find(m, a, b, &found);
	*created = !found;
	if (!found) {
		m->used[i] = SLOT_USED;
		m->keys[i][0] = a;
		m->keys[i][1] = b;
		memset(m->vals + i * m->vsize, 0, m->vsize);
		m->len++;
	}
	return m->vals + i * m->vsize;
}

bool pcrace_keymap_del(struct pcrace_keymap *m, uint64_t a, uint64_t b)
{
	bool found;
	size_t i = find(m, a, b, &found);

	if (found)
		m->used[i] = SLOT_DELETED;
	/* len still counts the tombstone, so growth rehashes them away */
	return found;
}

void *pcrace_keymap_next(const struct pcrace_keymap *m, size_t *i,
			 uint64_t key[2])
{
	for (; *i < m->cap; (*i)++) {
		if (m->used[*i] == SLOT_USED) {
			key[0] = m->keys[*i][0];
			key[1] = m->keys[*i][1];
			return m->vals + (*i)++ * m->vsize;
		}
	}
	return NULL;
}

int pcrace_keymap_copy(struct pcrace_keymap *m, uint64_t from, uint64_t to)
{
	unsigned char *vals, *v;
	uint64_t key[2], *bs;
	size_t i = 0, n = 0, k;
	bool created;

	/* collect first: inserting may grow the map under the iteration */
	bs = malloc(m->len * sizeof(*bs) + 1);
	vals = malloc(m->len * m->vsize + 1);
	if (!bs || !vals) {
		free(bs);
		free(vals);
		return -1;
	}
	while ((v = pcrace_keymap_next(m, &i, key))) {
		if (key[0] != from)
			continue;
		bs[n] = key[1];
		memcpy(vals + n++ * m->vsize, v, m->vsize);
	}
	for (k = 0; k < n; k++) {
		v = pcrace_keymap_put(m, to, bs[k], &created);
		if (v)
			memcpy(v, vals + k * m->vsize, m->vsize);
	}
	free(bs);
	free(vals);
	return 0;
}
