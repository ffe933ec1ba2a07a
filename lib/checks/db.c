/* db.c - the window checks of wm-db (pure): query latency from
 * pg_stat_statements, integrity counters, tables that must never shrink. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/db.h"
#include "base/duration.h"
#include "store/sample.h"

struct window {
	bool first;
	bool restarted;
	double seconds;
	char words[160];
};

static void
make_window(const struct wm_db_facts *f, const cJSON *prev, int64_t now_ms, struct window *w)
{
	char dur[48];

	memset(w, 0, sizeof(*w));
	w->first = prev == NULL;
	w->restarted = prev && f->have_db &&
		       (strcmp(f->db.postmaster_start, wm_sample_str(prev, "postmaster_start")) ||
			strcmp(f->db.stats_reset, wm_sample_str(prev, "stats_reset")));
	if (w->first || w->restarted) {
		bool reset =
		    f->db.stats_reset[0] && strcmp(f->db.stats_reset, f->db.postmaster_start) > 0;

		snprintf(w->words, sizeof(w->words), "since %s %s (%s)",
			 reset ? "the statistics reset at" : "PostgreSQL started at",
			 reset ? f->db.stats_reset : f->db.postmaster_start,
			 w->first ? "first sample" : "restart or reset since the previous sample");
		return;
	}
	w->seconds = (double)(now_ms - (int64_t)wm_sample_num(prev, "time_ms")) / 1000.0;
	wm_sample_fmt_duration(w->seconds, dur, sizeof(dur));
	snprintf(w->words, sizeof(w->words), "over the last %s", dur);
}

/* The previous statements, back from the sample. */
struct wm_pg_stmt *
wm_db_stmts_load(const cJSON *prev, size_t *n)
{
	const cJSON *arr = prev ? cJSON_GetObjectItemCaseSensitive(prev, "statements") : NULL;
	int len = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
	struct wm_pg_stmt *s = calloc(len > 0 ? (size_t)len : 1, sizeof(*s));
	const cJSON *it;

	*n = 0;
	if (!s)
		return NULL;
	cJSON_ArrayForEach(it, arr)
	{
		snprintf(s[*n].key, sizeof(s[*n].key), "%s", wm_sample_str(it, "k"));
		s[*n].calls = wm_sample_num(it, "c");
		s[*n].total_ms = wm_sample_num(it, "t");
		s[*n].sumsq_ms2 = wm_sample_num(it, "q");
		if (s[*n].key[0] && !isnan(s[*n].calls) && !isnan(s[*n].total_ms) &&
		    !isnan(s[*n].sumsq_ms2))
			(*n)++;
	}
	return s;
}

int
wm_db_stmts_save(cJSON *next, const struct wm_pg_stmt *st, size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(next, "statements");

	for (size_t i = 0; arr && i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddStringToObject(o, "k", st[i].key) ||
		    !cJSON_AddNumberToObject(o, "c", st[i].calls) ||
		    !cJSON_AddNumberToObject(o, "t", st[i].total_ms) ||
		    !cJSON_AddNumberToObject(o, "q", st[i].sumsq_ms2)) {
			cJSON_Delete(o);
			return -1;
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr ? 0 : -1;
}

static int
check_statements(struct wm_result *r, const struct wm_db_facts *f, const cJSON *prev,
		 const struct window *w)
{
	struct wm_check *c = wm_result_add_check(r, "pg.statements");
	struct wm_pg_stmt_delta *d = NULL;
	struct wm_pg_stmt *p;
	double calls = 0, mean, p95;
	struct wm_metric *m;
	size_t np = 0, nd = 0;

	if (!c)
		return -1;
	cJSON_AddBoolToObject(wm_check_data(c), "available", f->have_stmts);
	if (!f->have_stmts) {
		/* the extension is optional: not installed is OK, said so; a
		 * query that failed (no answer in time, a broken session) is
		 * not knowing */
		wm_check_set(c, f->stmts_err == WM_ENOTFOUND ? WM_OK : WM_UNKNOWN,
			     "query latency unavailable: %s", f->stmts_msg);
		return 0;
	}
	p = wm_db_stmts_load(w->first ? NULL : prev, &np);
	if (!p || wm_pg_stmt_deltas(p, np, f->stmts, f->nstmts, &d, &nd) < 0) {
		free(p);
		return -1;
	}
	free(p);
	for (size_t i = 0; i < nd; i++)
		calls += d[i].calls;
	mean = wm_pg_stmt_mean(d, nd);
	p95 = wm_pg_stmt_quantile(d, nd, 0.95);
	free(d);
	if (!wm_check_add_metric(c, "calls", calls, ""))
		return -1;
	cJSON_AddStringToObject(wm_check_data(c), "p95_method",
				"estimate: calls-weighted mixture of per-statement lognormals "
				"(mean and stddev of each statement over the window)");
	cJSON_AddNumberToObject(wm_check_data(c), "statements", (double)nd);
	/* Without calls there is no latency, hence no metric to judge. */
	if (calls <= 0) {
		wm_check_set(c, WM_OK, "no statements executed %s", w->words);
		return 0;
	}
	/* Seconds, as every latency threshold of the configuration (db.p95). */
	if (!wm_check_add_metric(c, "mean", mean / 1000, "s") ||
	    !(m = wm_check_add_metric(c, "p95", p95 / 1000, "s")) ||
	    wm_metric_set_thresholds(m, WM_DB_P95_WARN, NULL) < 0)
		return -1;
	wm_check_set(c, WM_OK,
		     "p95 ~%.3g ms (estimate), mean %.3g ms over %.0f calls of %zu "
		     "statements %s",
		     p95, mean, calls, nd, w->words);
	return 0;
}

/* The window count of a counter into *d, as a metric unless it is unknown
 * (checksums off): a threshold on nothing would read UNKNOWN.  Unit "" not
 * "c": the value is the window's count, not an ever-growing counter.
 * Returns -1 on ENOMEM. */
static int
counter(struct wm_check *c, const char *name, double prev, double cur, const char *warn,
	const char *crit, double *d)
{
	struct wm_metric *m;

	wm_sample_delta(prev, cur, d);
	if (isnan(*d))
		return 0;
	m = wm_check_add_metric(c, name, *d, "");
	return m && wm_metric_set_thresholds(m, warn, crit) == 0 ? 0 : -1;
}

static int
check_integrity(struct wm_result *r, const struct wm_db_facts *f, const cJSON *prev,
		const struct window *w)
{
	struct wm_check *c = wm_result_add_check(r, "pg.integrity");
	const cJSON *p = w->first || w->restarted ? NULL : prev;
	double dc, dr, cs, dl, ratio;
	struct wm_metric *rr = NULL;
	char cks[64];

	if (!c)
		return -1;
	if (!f->have_db) {
		wm_check_set(c, WM_UNKNOWN, "%s", f->db_msg);
		return 0;
	}
	if (counter(c, "checksum_failures", wm_sample_num(p, "checksum_failures"),
		    f->db.checksum_failures, NULL, "0", &cs) < 0 ||
	    counter(c, "deadlocks", wm_sample_num(p, "deadlocks"), f->db.deadlocks, "0", NULL,
		    &dl) < 0)
		return -1;
	wm_sample_delta(wm_sample_num(p, "xact_commit"), f->db.xact_commit, &dc);
	wm_sample_delta(wm_sample_num(p, "xact_rollback"), f->db.xact_rollback, &dr);
	ratio = dc + dr > 0 ? 100 * dr / (dc + dr) : NAN;
	if (!isnan(ratio) && !(rr = wm_check_add_metric(c, "rollback_ratio", ratio, "%")))
		return -1;
	/* A handful of transactions says nothing about a ratio. */
	if (rr && dc + dr >= 100 && wm_metric_set_thresholds(rr, "10", NULL) < 0)
		return -1;
	if (isnan(cs))
		snprintf(cks, sizeof(cks), "data checksums off");
	else
		snprintf(cks, sizeof(cks), "%.0f checksum failures%s", cs,
			 cs > 0 ? " (data corruption)" : "");
	wm_check_set(c, WM_OK, "%s, %.0f deadlocks, rollback ratio %.1f %% of %.0f transactions %s",
		     cks, dl, isnan(ratio) ? 0.0 : ratio, dc + dr, w->words);
	return 0;
}

/* "orders" -> "orders_rows", "shop.orders" -> "shop_orders_rows". */
static void
metric_name(const char *table, char *buf, size_t size)
{
	size_t i = 0;

	for (; table[i] && i + 6 < size; i++)
		buf[i] =
		    isalnum((unsigned char)table[i]) ? (char)tolower((unsigned char)table[i]) : '_';
	snprintf(buf + i, size - i, "_rows");
}

/* One never-shrink table against its high-water mark (the most rows ever
 * counted): fewer rows stay CRITICAL on every run, not only the first after
 * the drop, until the rows are back or the operator resets the mark
 * (reset).  The mark is kept whatever happens (a gone table, an error). */
static int
check_table(struct wm_check *c, const struct wm_db_table *t, double hw, bool reset, cJSON *saved)
{
	char name[96];

	metric_name(t->name, name, sizeof(name));
	if (t->err == WM_ENOTFOUND && !isnan(hw)) {
		wm_check_raise(c, WM_CRITICAL);
		cJSON_AddNumberToObject(saved, t->name, hw); /* keep alerting */
		return 1;
	}
	if (t->err) {
		if (!isnan(hw))
			cJSON_AddNumberToObject(saved, t->name, hw);
		wm_check_raise(c, WM_UNKNOWN);
		return 2;
	}
	if (!wm_check_add_metric(c, name, (double)t->rows, ""))
		return -1;
	if (!isnan(hw) && (double)t->rows < hw && !reset) {
		wm_check_raise(c, WM_CRITICAL);
		return cJSON_AddNumberToObject(saved, t->name, hw) ? 3 : -1;
	}
	if (!cJSON_AddNumberToObject(saved, t->name, (double)t->rows))
		return -1;
	return !isnan(hw) && (double)t->rows < hw ? 4 : 0;
}

/* When the drop of table was first seen: the previous sample's, else now;
 * kept in next. */
static int64_t
drop_since(const cJSON *prev_since, cJSON *next_since, const char *table, int64_t now_ms)
{
	double was = wm_sample_num(prev_since, table);
	int64_t since = isnan(was) ? now_ms : (int64_t)was;

	cJSON_AddNumberToObject(next_since, table, (double)since);
	return since;
}

static int
check_data_loss(struct wm_result *r, const struct wm_db_facts *f, const cJSON *prev, cJSON *next,
		int64_t now_ms)
{
	struct wm_check *c = wm_result_add_check(r, "pg.data_loss");
	const cJSON *was = prev ? cJSON_GetObjectItemCaseSensitive(prev, "tables") : NULL;
	const cJSON *was_since =
	    prev ? cJSON_GetObjectItemCaseSensitive(prev, "tables_since") : NULL;
	cJSON *saved = cJSON_AddObjectToObject(next, "tables");
	cJSON *since = cJSON_AddObjectToObject(next, "tables_since");
	char text[768] = "", part[300], when[WM_TIME_BUF];
	size_t used = 0;

	if (!c || !saved || !since)
		return -1;
	for (size_t i = 0; i < f->ntables; i++) {
		const struct wm_db_table *t = &f->tables[i];
		double before = wm_sample_num(was, t->name);
		int how = check_table(c, t, before, f->reset_high_water, saved);

		if (how < 0)
			return -1;
		if ((how == 1 || how == 3) &&
		    wm_time_format(drop_since(was_since, since, t->name, now_ms), when,
				   sizeof(when)) < 0)
			snprintf(when, sizeof(when), "?");
		if (how == 1)
			snprintf(part, sizeof(part),
				 "possible data loss: table %s is gone "
				 "(had %.0f rows), since %s",
				 t->name, before, when);
		else if (how == 2)
			snprintf(part, sizeof(part), "%s: %s", t->name, t->msg);
		else if (how == 3)
			snprintf(part, sizeof(part),
				 "possible data loss: %s went from %.0f to %lld "
				 "rows (%lld), since %s; CRITICAL until the rows are back or "
				 "--reset-high-water",
				 t->name, before, t->rows, t->rows - (long long)before, when);
		else if (how == 4)
			snprintf(part, sizeof(part),
				 "%s: %lld rows (high-water mark %.0f reset by "
				 "the operator)",
				 t->name, t->rows, before);
		else
			snprintf(part, sizeof(part), "%s: %lld rows%s", t->name, t->rows,
				 isnan(before) ? " (first count)" : "");
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", used ? "; " : "",
					 part);
		if (used >= sizeof(text))
			used = sizeof(text) - 1;
	}
	wm_check_set(c, c->state, "%s", f->ntables ? text : "no never_shrink tables configured");
	return 0;
}

static cJSON *
make_sample(const struct wm_db_facts *f, int64_t now_ms, const char *label)
{
	cJSON *s = cJSON_CreateObject();
	bool ok = s && cJSON_AddStringToObject(s, "label", label ? label : "") &&
		  cJSON_AddNumberToObject(s, "time_ms", (double)now_ms);

	if (ok && f->have_db) {
		ok = cJSON_AddStringToObject(s, "postmaster_start", f->db.postmaster_start) &&
		     cJSON_AddStringToObject(s, "stats_reset", f->db.stats_reset) &&
		     cJSON_AddNumberToObject(s, "xact_commit", f->db.xact_commit) &&
		     cJSON_AddNumberToObject(s, "xact_rollback", f->db.xact_rollback) &&
		     cJSON_AddNumberToObject(s, "deadlocks", f->db.deadlocks);
		if (ok && !isnan(f->db.checksum_failures))
			ok = cJSON_AddNumberToObject(s, "checksum_failures",
						     f->db.checksum_failures) != NULL;
	}
	if (ok && f->have_stmts)
		ok = wm_db_stmts_save(s, f->stmts, f->nstmts) == 0;
	if (!ok) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

int
wm_db_evaluate(struct wm_result *r, const struct wm_db_facts *f, const cJSON *prev, int64_t now_ms,
	       const char *label, cJSON **next)
{
	struct window w;

	if (prev && strcmp(wm_sample_str(prev, "label"), label ? label : ""))
		prev = NULL;
	make_window(f, prev, now_ms, &w);
	*next = make_sample(f, now_ms, label);
	if (!*next || check_statements(r, f, prev, &w) < 0 || check_integrity(r, f, prev, &w) < 0 ||
	    check_data_loss(r, f, prev, *next, now_ms) < 0)
		return -1;
	return 0;
}
