// SPDX-License-Identifier: GPL-2.0
/* --timing recorded's fidelity (see timing.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcrace_percentile.h"
#include "history.h"
#include "timing.h"

/*
 * The gap between op i - 1's start and op i's, recorded (scaled) and
 * replayed, in us; false if either op did not start.
 */
static bool gap_of(const struct plan *p, const struct op_state *os,
		   unsigned int i, double scale, double *rec, double *got)
{
	if (!i || !os[i].start_ns || !os[i - 1].start_ns)
		return false;
	*rec = ((double)p->ops[i].usec - (double)p->ops[i - 1].usec) * scale;
	*got = ((double)os[i].start_ns - (double)os[i - 1].start_ns) / 1000.0;
	return true;
}

void timing_gap_stats(const struct plan *p, const struct op_state *os,
		      double scale, struct gap_stats *g)
{
	double *d = malloc(2 * p->nops * sizeof(*d)), *unheld = d + p->nops;
	unsigned int i, n = 0, nu = 0;

	memset(g, 0, sizeof(*g));
	if (!d)
		return;
	for (i = 1; i < p->nops; i++) {
		double rec, got;

		if (!gap_of(p, os, i, scale, &rec, &got))
			continue;
		d[n++] = got > rec ? got - rec : rec - got;
		if (os[i].held == HELD_BY_DEP)
			g->held_by_dep++;
		if (os[i].held)
			g->held++;
		else
			unheld[nu++] = d[n - 1];
	}
	g->gaps = n;
	if (n) {
		g->p99 = pcrace_kth(d, n, pcrace_p99_index(n));
		/* the median is among the gaps pcrace_kth() put below the p99 */
		g->p50 = pcrace_kth(d, pcrace_p99_index(n) + 1, n / 2);
	}
	g->p99_unheld = !g->held ? g->p99 :
			nu ? pcrace_kth(unheld, nu, pcrace_p99_index(nu)) : 0;
	free(d);
}

static const char *held_name(__u8 held)
{
	switch (held) {
	case HELD_BY_THREAD:
		return "thread";
	case HELD_BY_DEP:
		return "dep";
	default:
		return "-";
	}
}

bool timing_write(FILE *f, const struct plan *p, const struct op_state *os,
		  double scale)
{
	__u64 t0 = 0, r0 = 0;
	unsigned int i;
	char name[160];

	/* both clocks from the first op that started */
	for (i = 0; i < p->nops && !t0; i++) {
		t0 = os[i].start_ns;
		r0 = p->ops[i].usec;
	}
	fprintf(f, "# times in us; rec: recorded (scaled), got: replayed; gap: from the op before in plan order\n");
	fprintf(f, "# rec_start\trec_dur\tgot_start\tgot_dur\trec_gap\tgot_gap\terror\theld\theld_by\top\n");
	for (i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];
		double rec = ((double)op->usec - (double)r0) * scale, got, dur;
		double rg, gg;

		op_text(p, i, name, sizeof(name));
		if (!os[i].start_ns) {
			fprintf(f, "%.1f\t%.1f\t-\t-\t-\t-\t-\t-\t-\t%s\n", rec,
				(double)op->dur * scale, name);
			continue;
		}
		got = (double)(os[i].start_ns - t0) / 1000.0;
		dur = os[i].end_ns >= os[i].start_ns ?
		      (double)(os[i].end_ns - os[i].start_ns) / 1000.0 : -1;
		fprintf(f, "%.1f\t%.1f\t%.1f\t%.1f", rec,
			(double)op->dur * scale, got, dur);
		if (gap_of(p, os, i, scale, &rg, &gg))
			fprintf(f, "\t%.1f\t%.1f\t%.1f", rg, gg,
				gg > rg ? gg - rg : rg - gg);
		else
			fprintf(f, "\t-\t-\t-");
		fprintf(f, "\t%s", held_name(os[i].held));
		if (os[i].held && os[i].held_op < p->nops)
			fprintf(f, "\t%u", p->ops[os[i].held_op].seq);
		else
			fprintf(f, "\t-");
		fprintf(f, "\t%s\n", name);
	}
	return !fclose(f);
}
