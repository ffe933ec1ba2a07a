/* check_logs.c - errors, security and perf's logs from one read of each
 * log: the security unit's and perf's analyzers ride on the errors unit's
 * read (readers of wm_errors_run_with) when errors reads every service
 * they need. */
#include "config.h"

#include <string.h>

#include "checks/check_security_int.h"
#include "checks/perf_int.h"
#include "conf/threshold_policy.h"

/* Can the errors unit's read serve the security unit? */
static bool
shared(const struct sec_unit *u, struct wm_session *s, const struct wm_errors_check_opts *eo)
{
	if (u->o.no_logs || u->config_error[0] || !u->an)
		return false;
	for (size_t i = 0; i < u->nsvcs; i++)
		if (!wm_errors_check_reads(s, eo, u->svcs[i])) {
			wm_session_log(s, WM_LOG_VERBOSE,
				       "security reads %s apart: errors does not read it",
				       u->svcs[i]);
			return false;
		}
	return true;
}

int
wm_logs_check_run(struct wm_session *s, const struct wm_logs_check_opts *o,
		  const struct wm_check_overrides *errors_over,
		  const struct wm_check_overrides *security_over, struct wm_result *re,
		  struct wm_result *rs, struct wm_err *err)
{
	struct wm_thresholds the, ths;
	struct wm_logs_reader rd[2];
	struct sec_unit u = {0};
	bool sec = o->security != NULL, share = false;
	size_t nrd = 0;
	int rc = -1;

	wm_check_thresholds(wm_check_find("errors"), s, errors_over, &the);
	wm_check_thresholds(wm_check_find("security"), s, security_over, &ths);
	if (wm_thresholds_check(&the, err) < 0 || (sec && wm_thresholds_check(&ths, err) < 0))
		return -1;
	if (sec && (wm_result_set_project(rs, wm_session_project(s)) < 0 ||
		    sec_unit_begin(&u, s, o->security) < 0))
		goto out_nomem;
	if (sec && (share = shared(&u, s, o->errors)))
		sec_unit_reader(&u, &rd[nrd++]);
	if (o->perf && wm_perf_logs_reader(o->perf, s, o->errors, &rd[nrd]))
		nrd++;
	wm_session_set_thresholds(s, &the);
	rc = nrd ? wm_errors_run_with(s, o->errors, re, rd, nrd) : wm_errors_run(s, o->errors, re);
	wm_session_set_thresholds(s, &ths);
	if (sec && rc == 0 && !share && !u.o.no_logs)
		rc = sec_unit_collect(&u, rs);
	if (sec && rc == 0)
		rc = sec_unit_finish(&u, rs);
	wm_session_set_thresholds(s, NULL);
	if (rc < 0)
		goto out_nomem;
	sec_unit_free(&u);
	if (wm_thresholds_set(&the, re, err) < 0 || (sec && wm_thresholds_set(&ths, rs, err) < 0))
		return -1;
	return 0;
out_nomem:
	sec_unit_free(&u);
	return wm_err_set(err, WM_ENOMEM, "out of memory");
}
