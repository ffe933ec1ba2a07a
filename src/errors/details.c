/* details.c - the text details after the checks: top groups, critical lines
 * and the last lines of each service (JSON carries the same as check data). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "wm-errors.h"

static const char *
when(int64_t ms, char *buf, size_t size)
{
	if (ms < 0 || wm_time_format(ms, buf, size) < 0)
		return "-";
	return buf;
}

static void
print_groups(struct wm_errors *e, const struct wm_errors_service *s, FILE *out)
{
	size_t n;
	const struct wm_group **g = wm_errors_groups(e, s->name, &n);
	char a[WM_TIME_BUF], b[WM_TIME_BUF];

	if (n > 0)
		fprintf(out, "\n%s: top messages\n", s->name);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %6llu x %-8s %s\n", (unsigned long long)g[i]->count,
			wm_level_name(g[i]->level), g[i]->signature);
		fprintf(out, "           first %s, last %s\n", when(g[i]->first_ms, a, sizeof a),
			when(g[i]->last_ms, b, sizeof b));
		fprintf(out, "           e.g. %s\n", g[i]->example);
	}
	free(g);
}

static void
print_ring(const char *title, const char *svc, const struct wm_errors_line *r, size_t cap, size_t n,
	   size_t next, FILE *out)
{
	char t[WM_TIME_BUF];

	if (n == 0)
		return;
	fprintf(out, "\n%s: %s\n", svc, title);
	for (size_t i = 0; i < n; i++) {
		const struct wm_errors_line *l = &r[(n < cap ? i : next + i) % cap];

		fprintf(out, "  %s %-8s %s\n", when(l->ts_ms, t, sizeof t), wm_level_name(l->level),
			l->text ? l->text : "");
	}
}

void
errors_print_details(struct wm_errors *e, FILE *out)
{
	size_t n;
	struct wm_errors_service *s = wm_errors_services(e, &n);
	const struct wm_errors_opts *eo = wm_errors_options(e);

	for (size_t i = 0; i < n; i++) {
		print_groups(e, &s[i], out);
		if (eo->criticals)
			print_ring("critical lines", s[i].name, s[i].crit, eo->criticals,
				   s[i].crit_n, s[i].crit_next, out);
		if (eo->tail)
			print_ring("last lines", s[i].name, s[i].tail, eo->tail, s[i].tail_n,
				   s[i].tail_next, out);
	}
}
