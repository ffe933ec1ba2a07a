/* ctl.c - what ack, note, approve, stop and status do: through the driver's
 * socket when one runs, else under the run's lock (warunginmon(7), The
 * control socket). */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/duration.h"
#include "common/prog.h"
#include "model/incident.h"
#include "session/session.h"
#include "wm-run.h"

/* Acknowledge without a watch: the incidents as the journal tells them. */
static int
ack_replayed(struct wm_journal *j, struct run_view *v, const struct wm_clock *clk,
	     const struct wm_ctl_req *req, const char *user, struct wm_err *err)
{
	struct wm_incident_actions acts = {0};
	int rc = wm_incidents_ack(v->inc, wm_clock_plan_ms(clk), req->id, &acts, err);

	for (size_t i = 0; rc == 0 && i < acts.n; i++) {
		const struct wm_incident *inc = wm_incidents_find(v->inc, acts.a[i].id);
		cJSON *f = cJSON_CreateObject();

		if (!f || !inc ||
		    !cJSON_AddStringToObject(f, "event", wm_incident_act_name(acts.a[i].act)) ||
		    !cJSON_AddItemToObject(f, "incident", wm_incident_json(inc)) ||
		    !cJSON_AddBoolToObject(f, "notify", false) ||
		    !cJSON_AddStringToObject(f, "who", user) ||
		    (req->text[0] && !cJSON_AddStringToObject(f, "note", req->text)))
			rc = wm_err_set(err, WM_ENOMEM, "out of memory");
		else
			rc = wm_journal_append(j, "incident", f, err);
		cJSON_Delete(f);
	}
	wm_incident_actions_free(&acts);
	return rc;
}

int
ctl_apply(struct wm_journal *j, struct run_view *v, const struct wm_clock *clk,
	  const struct wm_config *cfg, const struct wm_ctl_req *req, const char *user,
	  int (*ack)(void *ctx, const struct wm_ctl_req *req, const char *user, struct wm_err *err),
	  void *ack_ctx, int64_t *seq, const char **code, struct wm_err *err)
{
	cJSON *f = cJSON_CreateObject();
	const char *type = wm_ctl_cmd_name(req->cmd);
	int rc = -1;

	*code = WM_CTL_IO;
	if (!f)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (req->cmd == WM_CTL_ACK) {
		const struct wm_incident *inc = wm_incidents_find(v->inc, req->id);

		*code = !inc ? WM_CTL_NOT_FOUND : WM_CTL_REFUSED;
		if (!inc) {
			wm_err_set(err, WM_ENOTFOUND, "no incident %s", req->id);
			goto out;
		}
		if (inc->state == WM_INC_RESOLVED) {
			wm_err_set(err, WM_EINVAL, "%s is resolved already", req->id);
			goto out;
		}
		*code = WM_CTL_IO;
		if (!cJSON_AddStringToObject(f, "id", req->id) ||
		    !cJSON_AddStringToObject(f, "user", user) ||
		    !cJSON_AddStringToObject(f, "note", req->text))
			goto out_nomem;
	} else if (req->cmd == WM_CTL_NOTE) {
		if (!cJSON_AddStringToObject(f, "text", req->text) ||
		    !cJSON_AddBoolToObject(f, "user_issue", req->user_issue) ||
		    !cJSON_AddStringToObject(f, "user", user))
			goto out_nomem;
	} else if (req->cmd == WM_CTL_APPROVE) {
		if (!run_approver_known(cfg, req->role, err)) {
			*code = WM_CTL_NOT_FOUND;
			goto out;
		}
		if (!cJSON_AddStringToObject(f, "role", req->role) ||
		    !cJSON_AddStringToObject(f, "name", req->name) ||
		    !cJSON_AddStringToObject(f, "user", user))
			goto out_nomem;
	} else if (req->cmd == WM_CTL_STOP) {
		type = "stop";
		if (!cJSON_AddStringToObject(f, "reason", "request") ||
		    !cJSON_AddStringToObject(f, "user", user))
			goto out_nomem;
	} else {
		*code = WM_CTL_INVALID;
		wm_err_set(err, WM_EINVAL, "status makes no record");
		goto out;
	}
	if (wm_journal_append(j, type, f, err) != 0)
		goto out;
	if (req->cmd == WM_CTL_ACK &&
	    (ack ? ack(ack_ctx, req, user, err) : ack_replayed(j, v, clk, req, user, err)) != 0) {
		*code = err->code == WM_ENOTFOUND ? WM_CTL_NOT_FOUND
			: err->code == WM_EINVAL  ? WM_CTL_REFUSED
						  : WM_CTL_IO;
		goto out;
	}
	*seq = wm_journal_seq(j);
	rc = 0;
	goto out;
out_nomem:
	wm_err_set(err, WM_ENOMEM, "out of memory");
out:
	cJSON_Delete(f);
	return rc;
}

/* The user running this command, for records made under the lock. */
static void
user_name(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw && pw->pw_name)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %ld", (long)getuid());
}

/* The request of the command line. */
static void
make_req(const struct run_opts *o, struct wm_ctl_req *req)
{
	struct wm_err e = {0};
	int c = wm_ctl_cmd_parse(o->cmd);

	memset(req, 0, sizeof(*req));
	req->cmd = (enum wm_ctl_cmd)c;
	if (req->cmd == WM_CTL_ACK) {
		if (strlen(o->arg) >= sizeof(req->id))
			wm_usage_error("an incident id is INC-N");
		snprintf(req->id, sizeof(req->id), "%s", o->arg);
		if (o->note && strlen(o->note) >= sizeof(req->text))
			wm_usage_error("--note: longer than %zu bytes", sizeof(req->text) - 1);
		snprintf(req->text, sizeof(req->text), "%s", o->note ? o->note : "");
	} else if (req->cmd == WM_CTL_NOTE) {
		if (strlen(o->arg) >= sizeof(req->text))
			wm_usage_error("a note is at most %zu bytes", sizeof(req->text) - 1);
		snprintf(req->text, sizeof(req->text), "%s", o->arg);
		req->user_issue = o->user_issue;
	} else if (req->cmd == WM_CTL_APPROVE) {
		if (strlen(o->arg) >= sizeof(req->role) || strlen(o->name) >= sizeof(req->name))
			wm_usage_error("the role or the name is too long");
		snprintf(req->role, sizeof(req->role), "%s", o->arg);
		snprintf(req->name, sizeof(req->name), "%s", o->name);
	}
	if (wm_ctl_check(req, &e) != 0)
		wm_usage_error("%s", e.msg);
}

cJSON *
run_offline_status(const char *dir, const struct wm_config *cfg, struct wm_err *err)
{
	struct wm_schedule *plan = malloc(sizeof(*plan));
	struct wm_journal_state st;
	struct run_view v;
	struct wm_clock clk;
	cJSON *s = NULL;

	if (!plan || view_init(&v) != 0) {
		free(plan);
		return wm_err_set(err, WM_ENOMEM, "out of memory"), NULL;
	}
	wm_clock_init_real(&clk);
	memset(&st, 0, sizeof(st));
	if (run_plan_of(cfg, plan, err) == 0 &&
	    wm_journal_read(dir, &st, view_apply, &v, err) == 0) {
		if (!st.started)
			wm_err_set(err, WM_ENOTFOUND, "%s: no run has started there", dir);
		else if (wm_clock_set(&clk, st.scale, st.start_wall_ms, err) == 0 &&
			 !(s = view_status(&v, &st, plan, &clk, dir, NULL)))
			wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	wm_journal_state_free(&st);
	view_free(&v);
	free(plan);
	return s;
}

/* ack, note, approve under the lock: wait for a short-lived holder (a cron
 * tick) up to the timeout. */
static int
offline_apply(const char *dir, struct wm_session *s, const struct wm_ctl_req *req,
	      int64_t timeout_ms, int64_t *seq, struct wm_err *err)
{
	int64_t deadline = wm_monotonic_ms() + timeout_ms;
	struct wm_journal_state st;
	struct wm_journal *j;
	struct run_view v;
	struct wm_clock clk;
	const char *code;
	char user[64];
	int rc = -1;

	wm_clock_init_real(&clk);
	/* never make a run directory for a run that does not exist */
	if (wm_journal_read(dir, &st, NULL, NULL, err) != 0 || !st.started) {
		if (!err->code)
			wm_err_set(err, WM_ENOTFOUND, "%s: no run has started there", dir);
		wm_journal_state_free(&st);
		return -1;
	}
	wm_journal_state_free(&st);
	while (!(j = wm_journal_open(dir, &clk, NULL, err))) {
		struct timespec ts = {0, 200 * 1000 * 1000};

		if (err->code != WM_EBUSY || wm_monotonic_ms() > deadline)
			return -1;
		nanosleep(&ts, NULL);
	}
	if (!wm_journal_state_of(j)->started) {
		wm_err_set(err, WM_ENOTFOUND, "%s: no run has started there", dir);
		goto out;
	}
	if (view_init(&v) != 0) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out;
	}
	/* the lock is held: this reading is the journal as it stands */
	if (wm_journal_read(dir, &st, view_apply, &v, err) == 0 &&
	    wm_clock_set(&clk, st.scale, st.start_wall_ms, err) == 0) {
		user_name(user, sizeof(user));
		rc = ctl_apply(j, &v, &clk, wm_session_config(s), req, user, NULL, NULL, seq, &code,
			       err);
	}
	view_free(&v);
out:
	wm_journal_state_free(&st);
	wm_journal_close(j);
	return rc;
}

/* The status as text, or the status object with -j and the other formats. */
static void
print_status(const struct run_opts *o, const cJSON *st)
{
	char *t;

	if (o->cli.format == WM_FORMAT_TEXT) {
		status_print(stdout, st, wm_now_ms());
		return;
	}
	t = cJSON_Print(st);
	puts(t ? t : "null");
	free(t);
}

int
run_ctl(struct run_opts *o)
{
	struct wm_err e = {0};
	struct wm_session *s = run_session(o, NULL, NULL, &e);
	int64_t timeout_ms, seq = 0;
	struct wm_ctl_req req;
	char dir[4096], sock[4200];
	cJSON *r;
	int rc = RUN_EXIT_OK;

	if (!s)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	make_req(o, &req);
	run_find(s, o, wm_now_ms(), false, dir, sizeof(dir));
	if ((size_t)snprintf(sock, sizeof(sock), "%s/%s", dir, WM_JOURNAL_SOCKET) >= sizeof(sock))
		wm_die(WM_UNKNOWN, "%s: path too long", dir);
	/* The driver answers between records: give it a check's time. */
	timeout_ms = 3 * wm_session_timeout_ms(s) + 5000;
	if (req.cmd == WM_CTL_STATUS && o->follow) {
		rc = run_follow(dir, wm_session_config(s), sock, timeout_ms, o);
		wm_session_close(s);
		return rc;
	}
	r = wm_ctl_call(sock, &req, timeout_ms, &e);
	if (r) {
		const cJSON *ok = cJSON_GetObjectItemCaseSensitive(r, "ok");
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(r, "error");
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(r, "code");
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(r, "status");

		if (!cJSON_IsTrue(ok)) {
			status_say("%s: %s", dir,
				   cJSON_IsString(msg) ? msg->valuestring : "refused");
			rc =
			    cJSON_IsString(code) && (!strcmp(code->valuestring, WM_CTL_NOT_FOUND) ||
						     !strcmp(code->valuestring, WM_CTL_REFUSED))
				? RUN_EXIT_REFUSED
				: RUN_EXIT_ERROR;
		} else if (req.cmd == WM_CTL_STATUS && cJSON_IsObject(st)) {
			print_status(o, st);
		} else if (req.cmd == WM_CTL_STOP) {
			status_say("the driver stops after the record in hand");
		}
		cJSON_Delete(r);
	} else if (e.code != WM_ENOTFOUND) {
		wm_die(WM_UNKNOWN, "%s: %s", dir, e.msg);
	} else if (req.cmd == WM_CTL_STATUS) {
		cJSON *st = run_offline_status(dir, wm_session_config(s), &e);

		if (!st)
			wm_die(WM_UNKNOWN, "%s", e.msg);
		print_status(o, st);
		cJSON_Delete(st);
	} else if (req.cmd == WM_CTL_STOP) {
		status_say("%s: no driver runs", dir);
		rc = RUN_EXIT_REFUSED;
	} else if (offline_apply(dir, s, &req, timeout_ms, &seq, &e) != 0) {
		status_say("%s: %s", dir, e.msg);
		rc = e.code == WM_EBUSY	      ? RUN_EXIT_BUSY
		     : e.code == WM_ENOTFOUND ? RUN_EXIT_REFUSED
		     : e.code == WM_EINVAL    ? RUN_EXIT_REFUSED
					      : RUN_EXIT_ERROR;
	}
	wm_session_close(s);
	return rc;
}
