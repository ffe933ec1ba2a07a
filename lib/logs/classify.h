/* classify.h - the level of a log line: its own when it has one, else words.
 *
 * A line whose format carries a level (JSON level, nginx [error], PostgreSQL
 * severity, Redis mark, HTTP status) keeps it.  Any other line is matched
 * against three case-insensitive PCRE2 patterns, compiled once (JIT when
 * available): critical (default \b(?:critical|fatal|panic)\b), error
 * (\b(?:error|critical|fatal|panic)\b, the runbook's grep made word-bounded)
 * and warn (\bwarn(?:ing)?\b), in that order; no match is INFO.  All three are
 * first tried as one alternation so an ordinary line costs one scan.  The
 * default patterns are not run through PCRE2 at all but as one word scan
 * (wm_classify_default_words) that gives the same level.
 * A set holds a default classifier and optional ones per service.
 */
#ifndef WM_CLASSIFY_H
#define WM_CLASSIFY_H

#include <stddef.h>

#include "base/err.h"
#include "logs/logline.h"

#define WM_CLASSIFY_CRITICAL "\\b(?:critical|fatal|panic)\\b"
#define WM_CLASSIFY_ERROR "\\b(?:error|critical|fatal|panic)\\b"
#define WM_CLASSIFY_WARN "\\bwarn(?:ing)?\\b"

struct wm_classifier;

/* Compile the three patterns; NULL means the default, "" disables that level.
 * Returns NULL with err set (WM_EINVAL naming the pattern and the offset). */
struct wm_classifier *wm_classifier_new(const char *critical, const char *error, const char *warn,
					struct wm_err *err);
void wm_classifier_free(struct wm_classifier *c);
/* Level of free text by the patterns: CRITICAL, ERROR, WARN or INFO. */
int wm_classifier_text(struct wm_classifier *c, const char *s, size_t n);
/* The same by the patterns always (PCRE2), even for the defaults. */
int wm_classifier_text_pcre(struct wm_classifier *c, const char *s, size_t n);
/* The default patterns without PCRE2, which the classifiers built from them
 * use: the highest level of any whole word ([A-Za-z0-9_] runs, as PCRE2's \b
 * sees them without UCP) critical/fatal/panic, error, warn/warning, compared
 * ASCII case-insensitively as PCRE2_CASELESS does without UTF; else INFO. */
int wm_classify_default_words(const char *s, size_t n);
/* Set ll->level: kept when ll->structured, else by the patterns over the
 * message (the whole text for a JSON line without a message field). */
void wm_classify(struct wm_classifier *c, struct wm_logline *ll);

/* Per-service classifiers with a default; owns them. */
struct wm_classify_set;
struct wm_classify_set *wm_classify_set_new(struct wm_classifier *deflt);
void wm_classify_set_free(struct wm_classify_set *set);
/* Give service its own classifier (owned by set from now on; also on failure). */
int wm_classify_set_add(struct wm_classify_set *set, const char *service, struct wm_classifier *c,
			struct wm_err *err);
/* The classifier for a service name of len bytes, also a compose name of it
 * ("backend-1", "warungin-backend"; see wm_logline_service_is); else the
 * default. */
struct wm_classifier *wm_classify_set_get(const struct wm_classify_set *set, const char *service,
					  size_t len);

#endif
