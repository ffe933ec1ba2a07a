/* render.c - how long each renderer takes on a large result.
 *
 * Usage: bench/render [CHECKS [METRICS]]   (defaults 1000 and 5)
 * Builds CHECKS checks of METRICS metrics each (mixed states, thresholds),
 * renders them once per format to /dev/null and prints the milliseconds.
 * Built by make check (so it cannot rot); run it by hand, on a build
 * without --enable-sanitizers for meaningful numbers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "render/render.h"

static long
arg_or(int argc, char **argv, int i, long dflt)
{
	char *end;
	long v;

	if (argc <= i)
		return dflt;
	v = strtol(argv[i], &end, 10);
	if (*end || v < 0 || v > 1000000) {
		fprintf(stderr, "usage: render [CHECKS [METRICS]]\n");
		exit(3);
	}
	return v;
}

static struct wm_result *
build(long nchecks, long nmetrics)
{
	struct wm_result *r = wm_result_new("wm-bench", "1", "prod");
	char name[64];

	for (long i = 0; r && i < nchecks; i++) {
		struct wm_check *c;

		snprintf(name, sizeof(name), "svc%ld.latency", i);
		c = wm_result_add_check(r, name);
		wm_check_set(c, (enum wm_state)(i % 4), "check %ld: \"quoted\" summary", i);
		for (long j = 0; j < nmetrics; j++) {
			snprintf(name, sizeof(name), "p%ld", 50 + j);
			wm_metric_set_thresholds(
			    wm_check_add_metric(c, name, (double)i * 1.5 + (double)j, "ms"),
			    "~:500", "~:2000");
		}
	}
	return r;
}

int
main(int argc, char **argv)
{
	long nchecks = arg_or(argc, argv, 1, 1000), nmetrics = arg_or(argc, argv, 2, 5);
	struct wm_result *r = build(nchecks, nmetrics);
	FILE *null = fopen("/dev/null", "w");

	if (!r || !null)
		return 3;
	for (int f = WM_FORMAT_TEXT; f <= WM_FORMAT_PROMETHEUS; f++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (wm_render(r, (enum wm_format)f, null, 0) < 0)
			return 3;
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("%-10s %ld checks x %ld metrics: %.1f ms\n",
		       wm_format_name((enum wm_format)f), nchecks, nmetrics,
		       (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	}
	fclose(null);
	wm_result_free(r);
	return 0;
}
