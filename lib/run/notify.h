/* notify.h - the watch's channels: a hook command, a webhook, Alertmanager.
 *
 *   hook          [escalation] command, or the [role] command of the role
 *                 being paged: argv split on blanks, run without a shell
 *                 (base/exec.h), the payload as JSON on stdin; exit 0 = sent.
 *   webhook       [escalation] webhook: POST of the same JSON; 2xx = sent.
 *   alertmanager  [escalation] alertmanager (its base URL): POST
 *                 /api/v2/alerts with one alert (model/incident.h
 *                 wm_incident_am_alert); 200 = sent.
 * Every delivery is bounded (10 s) and its answer kept for the journal.
 * A notification carries its idempotency key ("key" in the JSON), so a
 * receiver can drop a repeat; the watch never sends one key twice itself.
 */
#ifndef WM_RUN_NOTIFY_H
#define WM_RUN_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "conf/conf.h"
#include "model/incident.h"

#define WM_NOTIFY_TIMEOUT_MS 10000
#define WM_NOTIFY_CHANNELS 3

enum wm_channel { WM_CH_HOOK, WM_CH_WEBHOOK, WM_CH_ALERTMANAGER };

struct wm_notify_answer {
	enum wm_channel channel;
	bool ok;
	char detail[160]; /* "exit 0", "HTTP 200", why it failed */
};

struct wm_notifier;

/* The channels of cfg (none configured is fine: nothing is sent).  NULL with
 * err on WM_ENOMEM or a bad URL (WM_ECONFIG). */
struct wm_notifier *wm_notifier_new(const struct wm_config *cfg, struct wm_err *err);
void wm_notifier_free(struct wm_notifier *n);
/* How many channels are configured; and whether Alertmanager is one. */
size_t wm_notifier_channels(const struct wm_notifier *n);
bool wm_notifier_has_am(const struct wm_notifier *n);

/* Send payload (hook and webhook) and alert (Alertmanager; NULL: not sent
 * there) to role's channels; answers into ans (up to WM_NOTIFY_CHANNELS).
 * Returns how many answers were written. */
size_t wm_notify_send(struct wm_notifier *n, enum wm_chain_role role, const cJSON *payload,
		      const cJSON *alert, struct wm_notify_answer *ans);
/* The channels a notification of role goes to, in order (Alertmanager
 * only when with_am); returns how many were written to out. */
size_t wm_notify_route(const struct wm_notifier *n, enum wm_chain_role role, bool with_am,
		       enum wm_channel *out);
/* Send on one channel (payload: hook and webhook; alert: Alertmanager). */
void wm_notify_one(struct wm_notifier *n, enum wm_channel ch, enum wm_chain_role role,
		   const cJSON *payload, const cJSON *alert, struct wm_notify_answer *ans);
/* Post one alert to Alertmanager only (a refresh or a resolution). */
int wm_notify_am(struct wm_notifier *n, const cJSON *alert, struct wm_notify_answer *ans);

const char *wm_channel_name(enum wm_channel c);
/* The chain role a [role NAME] section stands for, by its name with '-',
 * '_' and case ignored ("on-call", "oncall", "tech_lead", "dba", "cto"…);
 * -1 when none. */
int wm_notify_chain_role(const char *name);
/* ans as a JSON array for the journal; NULL on ENOMEM. */
cJSON *wm_notify_answers_json(const struct wm_notify_answer *ans, size_t n);

#endif
