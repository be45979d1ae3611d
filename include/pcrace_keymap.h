/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open-addressing hash map from a two-word key to a fixed-size value,
 * for the tables that record and dump keep per task, file and fd.
 */
#ifndef PCRACE_KEYMAP_H
#define PCRACE_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcrace_keymap {
	size_t cap;		/* slots, a power of two */
	size_t len;
	size_t vsize;
	unsigned char *used;	/* 0 empty, 1 used, 2 deleted */
	uint64_t (*keys)[2];
	unsigned char *vals;
};

int pcrace_keymap_init(struct pcrace_keymap *m, size_t vsize);
void pcrace_keymap_free(struct pcrace_keymap *m);
void *pcrace_keymap_get(const struct pcrace_keymap *m, uint64_t a, uint64_t b);
/* Returns the value slot, zero-filled when new; *created tells which. */
void *pcrace_keymap_put(struct pcrace_keymap *m, uint64_t a, uint64_t b,
			bool *created);
bool pcrace_keymap_del(struct pcrace_keymap *m, uint64_t a, uint64_t b);

/* Copy every (from, b) entry to (to, b): a forked process's fd table. */
int pcrace_keymap_copy(struct pcrace_keymap *m, uint64_t from, uint64_t to);

/* Iterate: for (i = 0; (v = pcrace_keymap_next(m, &i, key)); ) */
void *pcrace_keymap_next(const struct pcrace_keymap *m, size_t *i,
			 uint64_t key[2]);

#endif /* PCRACE_KEYMAP_H */
