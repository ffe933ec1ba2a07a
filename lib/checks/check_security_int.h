/* check_security_int.h - the security unit in pieces, so that the logs unit
 * (check_logs.c) can feed its analyzer from the errors unit's read:
 * begin (configuration, analyzer), reader (what it wants of the read),
 * finish (the access log file, the report, the probes). */
#ifndef WM_CHECK_SECURITY_INT_H
#define WM_CHECK_SECURITY_INT_H

#include "checks/checks.h"
#include "checks/security.h"

#define SEC_SERVICES_MAX 16	 /* access + backend services */
#define SEC_FILE_MAX (16u << 20) /* bytes of [security] access_log read (its end) */
#define SEC_PROBLEM_MAX 512

struct sec_unit {
	struct wm_security_check_opts o;
	struct wm_session *s;
	struct wm_security *an;
	char **access, **backend; /* [security] access_services, backend_services */
	size_t naccess, nbackend;
	const char *svcs[SEC_SERVICES_MAX]; /* both, for the collector */
	size_t nsvcs;
	const char *access_log;		    /* a file on the target, or NULL */
	char problem[SEC_PROBLEM_MAX];	    /* services that could not be read */
	char config_error[SEC_PROBLEM_MAX]; /* a [security] value the unit refused */
	uint64_t read_services;		    /* services read */
	char lists[3][1024];		    /* the analyzer's login_paths, scanner_paths, words */
};

/* The unit's configuration and analyzer for o (NULL: the defaults now).
 * -1 on ENOMEM only: a bad setting is u->config_error (an UNKNOWN check). */
int sec_unit_begin(struct sec_unit *u, struct wm_session *s,
		   const struct wm_security_check_opts *o);
/* The reader of the errors unit's read for this unit's services. */
void sec_unit_reader(struct sec_unit *u, struct wm_logs_reader *rd);
/* Read the services' logs through the collector itself. */
int sec_unit_collect(struct sec_unit *u, struct wm_result *r);
/* Read [security] access_log, report the logs' checks and run the probes
 * into r.  -1 on ENOMEM. */
int sec_unit_finish(struct sec_unit *u, struct wm_result *r);
void sec_unit_free(struct sec_unit *u);

#endif
