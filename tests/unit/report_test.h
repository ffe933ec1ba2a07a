/* report_test.h - what the report model's suites share (check_report*.c):
 * the report of a fixture journal, a criterion and a service by name. */
#ifndef WM_REPORT_TEST_H
#define WM_REPORT_TEST_H

#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "run/report.h"
#include "unit.h"

#define H INT64_C(3600000)
#define MIN INT64_C(60000)

/* The report of fixture name, finished. */
static inline struct wm_report *
report_of(const char *name)
{
	char path[512];
	char *buf = NULL;
	size_t len = 0;
	struct wm_err e = {0};
	struct wm_report *r = wm_report_new(NULL);

	ck_assert_ptr_nonnull(r);
	snprintf(path, sizeof(path), "%s/tests/fixtures/journals/%s/journal.jsonl", WM_TEST_SRCDIR,
		 name);
	ck_assert_msg(wm_file_read(path, 64u << 20, &buf, &len, &e) == 0, "%s: %s", path, e.msg);
	ck_assert_msg(wm_report_read_journal(r, buf, len, &e) == 0, "%s", e.msg);
	free(buf);
	ck_assert_msg(wm_report_finish(r, &e) == 0, "%s", e.msg);
	return r;
}

static inline const struct wm_report_criterion *
crit(const struct wm_report *r, const char *key)
{
	for (int i = 0; i < WM_CRIT_N; i++)
		if (!strcmp(r->crit[i].key, key))
			return &r->crit[i];
	ck_abort_msg("no criterion %s", key);
	return NULL;
}

static inline const struct wm_report_service *
service(const struct wm_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_services; i++)
		if (!strcmp(r->services[i].name, name))
			return &r->services[i];
	ck_abort_msg("no service %s", name);
	return NULL;
}

#endif
