/* security_follow.h - wm-security's log analyzer for a caller that follows
 * the services' logs itself (wm-run's watch, every round): made from
 * [security] exactly as wm-security makes it, with the services whose lines
 * it wants (checks/security.h for what it counts).
 */
#ifndef WM_SECURITY_FOLLOW_H
#define WM_SECURITY_FOLLOW_H

#include <stdbool.h>

#include "base/err.h"
#include "checks/security.h"
#include "session/session.h"

struct wm_security_follow;

/* The analyzer of s's configuration.  NULL only on ENOMEM (err).  A
 * [security] value the unit refuses, or no service to read, leaves it
 * without an analyzer: wm_security_follow_problem says why. */
struct wm_security_follow *wm_security_follow_new(struct wm_session *s, struct wm_err *err);
void wm_security_follow_free(struct wm_security_follow *f);

/* The analyzer to feed the services' lines to; NULL when there is none. */
struct wm_security *wm_security_follow_analyzer(const struct wm_security_follow *f);
/* Why there is no analyzer ("" when there is one). */
const char *wm_security_follow_problem(const struct wm_security_follow *f);
/* Is the container log of compose service svc one the analyzer wants
 * ([security] access_services unless access_log names a file instead, and
 * backend_services)?  *access (may be NULL): it is an access service's
 * (nginx's), whose lines say who sent each request. */
bool wm_security_follow_reads(const struct wm_security_follow *f, const char *svc, bool *access);
/* Does the analyzer want an access service's container log at all? */
bool wm_security_follow_access(const struct wm_security_follow *f);

#endif
