/* security_follow.c - the security unit's analyzer for a follower of the
 * logs (see security_follow.h): check_security.c's unit, begun and kept. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check_security_int.h"
#include "checks/security_follow.h"

struct wm_security_follow {
	struct sec_unit u;
	char problem[SEC_PROBLEM_MAX + 64];
};

struct wm_security_follow *
wm_security_follow_new(struct wm_session *s, struct wm_err *err)
{
	struct wm_security_follow *f = calloc(1, sizeof(*f));

	if (!f || sec_unit_begin(&f->u, s, NULL) < 0) {
		if (f)
			sec_unit_free(&f->u);
		free(f);
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	if (f->u.config_error[0])
		snprintf(f->problem, sizeof(f->problem), "%s", f->u.config_error);
	else if (!f->u.an)
		snprintf(f->problem, sizeof(f->problem), "no analyzer");
	else if (!f->u.nsvcs)
		snprintf(f->problem, sizeof(f->problem),
			 "no [security] access_services or backend_services log to follow");
	return f;
}

void
wm_security_follow_free(struct wm_security_follow *f)
{
	if (!f)
		return;
	sec_unit_free(&f->u);
	free(f);
}

struct wm_security *
wm_security_follow_analyzer(const struct wm_security_follow *f)
{
	return f->problem[0] ? NULL : f->u.an;
}

const char *
wm_security_follow_problem(const struct wm_security_follow *f)
{
	return f->problem;
}

bool
wm_security_follow_reads(const struct wm_security_follow *f, const char *svc, bool *access)
{
	bool found = false;

	if (access)
		*access = false;
	if (f->problem[0])
		return false;
	for (size_t i = 0; i < f->u.nsvcs && !found; i++)
		found = !strcmp(f->u.svcs[i], svc);
	for (size_t i = 0; access && found && !f->u.access_log && i < f->u.naccess; i++)
		*access |= !strcmp(f->u.access[i], svc);
	return found;
}

bool
wm_security_follow_access(const struct wm_security_follow *f)
{
	return !f->problem[0] && !f->u.access_log && f->u.naccess > 0;
}
