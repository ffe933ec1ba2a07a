/* fuzz_report.c - libFuzzer target: wm-report's model over a journal that a
 * crash, a full disk or a person may have cut or edited (the journal's own
 * reader is fuzz_journal.c; this one feeds what it accepts, results of every
 * shape included, into the report).  Whatever comes in, the report is
 * consistent: a failed criterion makes the verdict FAIL, PASS only with
 * every criterion met, downtime within the day, coverage a share of it, every
 * format renders. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "run/report.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};
	bool failed = false, all_met = true;
	FILE *out;

	if (!r)
		abort();
	if (wm_report_read_journal(r, (const char *)data, size, &e) != 0 ||
	    wm_report_finish(r, &e) != 0)
		abort(); /* only ENOMEM may fail, and the fuzzer has memory */
	for (int i = 0; i < WM_CRIT_N; i++) {
		failed = failed || r->crit[i].status == WM_REPORT_FAILED;
		all_met = all_met && r->crit[i].status == WM_REPORT_MET;
	}
	if (failed != (r->verdict == WM_VERDICT_FAIL) ||
	    (r->verdict == WM_VERDICT_PASS && !all_met) || r->n_reasons > 16 ||
	    r->downtime_ms < 0 || r->downtime_ms > r->opts.plan_ms ||
	    r->documented_ms > r->downtime_ms || (r->go_live && r->verdict > WM_VERDICT_PASS_WARN))
		abort();
	for (size_t i = 0; i < r->n_services; i++)
		for (size_t k = 0; k < r->services[i].n_down; k++)
			if (r->services[i].down[k].to_ms < r->services[i].down[k].from_ms ||
			    r->services[i].down[k].seen_down_ms < r->services[i].down[k].from_ms)
				abort();
	/* the observed share of the run is a share; every hole lies within it */
	if (!isnan(r->coverage) && !(r->coverage >= 0 && r->coverage <= 100))
		abort();
	for (size_t i = 0; i < r->n_gaps; i++)
		if (r->gaps[i].from_ms < 0 || r->gaps[i].to_ms <= r->gaps[i].from_ms ||
		    r->gaps[i].to_ms > r->opts.plan_ms)
			abort();
	if (!(out = fopen("/dev/null", "w")))
		abort();
	for (int f = WM_REPORT_TEXT; f <= WM_REPORT_HTML; f++)
		if (wm_report_render(r, (enum wm_report_format)f, out) != 0)
			abort();
	fclose(out);
	wm_report_free(r);
	return 0;
}
