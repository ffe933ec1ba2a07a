/* schedule_cron.c - the plan as crontab lines (wm-run --print-crontab). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "model/schedule.h"

#define MIN_MS INT64_C(60000)

/* Every tick time of s, rounded up to the minute, sorted, unique: n returned. */
static size_t
minutes(const struct wm_schedule *s, int64_t *out, size_t cap)
{
	size_t n = 0, u = 0;

	for (size_t i = 0; i < s->n_tiers; i++)
		for (size_t k = 0; k < s->tier[i].n_at && n < cap; k++)
			out[n++] = s->tier[i].at[k];
	for (size_t i = 1; i < n; i++) /* insertion sort: a few hundred at most */
		for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
			int64_t x = out[j];

			out[j] = out[j - 1];
			out[j - 1] = x;
		}
	for (size_t i = 0; i < n; i++)
		if (u == 0 || out[i] != out[u - 1])
			out[u++] = out[i];
	return u;
}

/* Two decimal digits at p. */
static int
two(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* The command with cron's '%' escaped (newlines were refused before). */
static void
put_command(FILE *f, const char *cmd)
{
	for (const char *p = cmd; *p; p++) {
		if (*p == '%')
			fputc('\\', f);
		fputc(*p, f);
	}
}

char *
wm_schedule_crontab(const struct wm_schedule *s, int64_t start_wall_ms, int utc_offset_min,
		    const char *command, struct wm_err *err)
{
	static const size_t cap = WM_SCHEDULE_TIERS_MAX * WM_SCHEDULE_TICKS_MAX;
	int64_t *at = malloc(cap * sizeof(*at));
	int64_t shift = (int64_t)utc_offset_min * MIN_MS, prev_min = INT64_MIN;
	char *buf = NULL, ts[WM_TIME_BUF], off[32];
	size_t len = 0, n;
	FILE *f;

	if (!at)
		return wm_err_set(err, WM_ENOMEM, "out of memory"), NULL;
	if (strpbrk(command, "\r\n")) {
		free(at);
		return wm_err_set(err, WM_EINVAL, "crontab command holds a newline"), NULL;
	}
	if (!(f = open_memstream(&buf, &len))) {
		free(at);
		return wm_err_set(err, WM_ENOMEM, "out of memory"), NULL;
	}
	n = minutes(s, at, cap);
	(void)wm_time_format(start_wall_ms, ts, sizeof(ts));
	fprintf(f, "# wm-run plan for the run starting %s (T+0), cron time UTC%c%d:%02d.\n", ts,
		utc_offset_min < 0 ? '-' : '+', abs(utc_offset_min) / 60, abs(utc_offset_min) % 60);
	fprintf(f, "# One line per minute with a tick; remove them after the run (cron would\n"
		   "# repeat them a year later).  'tick' runs what is due and is idempotent.\n");
	for (size_t i = 0; i < n; i++) {
		/* Round up to the minute: cron never fires early, so neither do we. */
		int64_t local = start_wall_ms + at[i] + shift;
		int64_t m = local / MIN_MS + (local % MIN_MS > 0);

		if (m == prev_min)
			continue; /* two ticks in one minute: one line runs both */
		prev_min = m;
		if (wm_time_format(m * MIN_MS, ts, sizeof(ts)))
			continue; /* outside years 0..9999: no cron line can say it */
		/* ts = "YYYY-MM-DDTHH:MM:SS.mmmZ" */
		fprintf(f, "%d %d %d %d * ", two(ts + 14), two(ts + 11), two(ts + 8), two(ts + 5));
		put_command(f, command);
		fprintf(f, "  #");
		for (size_t k = i; k < n; k++) {
			int64_t lk = start_wall_ms + at[k] + shift;

			if (lk / MIN_MS + (lk % MIN_MS > 0) != m)
				break;
			wm_schedule_offset_str(at[k], off, sizeof(off));
			fprintf(f, " %s", off);
			for (size_t t = 0; t < s->n_tiers; t++)
				for (size_t j = 0; j < s->tier[t].n_at; j++)
					if (s->tier[t].at[j] == at[k])
						fprintf(f, " %s", s->tier[t].name);
		}
		fputc('\n', f);
	}
	free(at);
	if (fclose(f) != 0) {
		free(buf);
		return wm_err_set(err, WM_ENOMEM, "out of memory"), NULL;
	}
	return buf;
}
