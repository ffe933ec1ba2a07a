/* driver.c - `wm-run start`: the long-running driver of one run.
 *
 * One process, one session (kept for the 24 hours with explicit keepalives),
 * one thread of control: it blocks in poll(2) on a signalfd, the control
 * socket and its clients (and the watch's event descriptor) until the next
 * tick, watch round or keepalive is due, so it idles at ~0 % CPU.  Ticks run
 * at their planned (scaled) time; between records of a tick the driver
 * answers the socket and notices signals.  SIGTERM and SIGINT end it after
 * the record in hand (the tick in progress is attempted again on resume),
 * SIGHUP reloads the configuration.  A journal that cannot be written (a
 * full disk) stops it loudly with RUN_EXIT_JOURNAL.  After each tick the
 * heap is trimmed (malloc_trim), so the idle footprint is the libraries and
 * the run's state, not the tick's high-water mark.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/duration.h"
#include "common/prog.h"
#include "model/incident.h"
#include "run/report.h"
#include "run/sdnotify.h"
#include "run/watch.h"
#include "session/session.h"
#include "store/journal_plan.h"
#include "wm-run.h"

#define MAX_CONNS 8
#define CONN_IDLE_MS 5000 /* a client that sends no whole request in this long is dropped */
#define TTY_REFRESH_MS 1000

struct conn {
	int fd;
	uid_t uid;
	int64_t since; /* monotonic ms */
	size_t len;
	char *buf; /* WM_CTL_LINE_MAX */
};

struct driver {
	struct run_opts *o;
	struct wm_session *s;
	struct wm_journal *j;
	struct wm_clock clk;
	struct wm_schedule *plan;
	struct run_view view;
	struct run_live live;
	char dir[4096], sock[4200];
	int sigfd, lfd;
	struct conn conn[MAX_CONNS];
	size_t nconn;
	int stop;    /* 0, a signal number, or -1: a stop request (journaled) */
	bool hup;    /* reload the configuration */
	bool failed; /* the journal failed: err says why */
	struct wm_err err;
	int64_t watch_ms, next_watch, next_keepalive, next_refresh; /* monotonic */
	bool tty;
	cJSON *stale;	       /* tunnel directories of earlier drivers */
	struct wm_watch *w;    /* the watch between ticks (lib/run/watch.h) */
	struct wm_sdnotify sd; /* systemd's notify socket, when started by it */
	int64_t next_wdog;     /* monotonic ms of the next WATCHDOG=1 */
	char sd_status[208];   /* the last STATUS= sent */
	bool sd_said;	       /* a send failure was said (once) */
};

static void __attribute__((noreturn)) finish(struct driver *d, int rc);

/* A journal failure: remember the first one; the loop stops. */
static void
failed(struct driver *d, const struct wm_err *e)
{
	if (!d->failed)
		d->err = *e;
	d->failed = true;
}

/* The run's plan time: what the watch and the incidents count in. */
static int64_t
plan_now(const struct driver *d)
{
	return wm_clock_plan_ms(&d->clk);
}

/* A watch over session s (NULL with err). */
static struct wm_watch *
watch_open(struct driver *d, struct wm_session *s, struct wm_err *err)
{
	struct wm_watch_opts wo = {
	    .clock = &d->clk,
	    .run_dir = d->dir,
	    .interval_ms = d->o->watch_set ? d->o->watch_ms : 0,
	};

	return wm_watch_new(s, &wo, d->j, err);
}

/* After a tick's areas: the T+0 drill (once per run) and the cross-checks
 * only a driver can make, into the tick. */
static int
after_tick(void *ctx, const struct tick *t, const struct wm_result *const *res, size_t n,
	   struct wm_result *extra, struct wm_err *err)
{
	struct driver *d = ctx;

	if (!strcmp(t->tier->name, "full") && t->at_ms == 0 &&
	    wm_watch_drill(d->w, plan_now(d), extra, err) != 0)
		return -1;
	return wm_watch_on_tick(d->w, plan_now(d), res, n, extra, err);
}

/* `wm-run ack` through the socket: the watch acknowledges (and journals). */
static int
ack_watch(void *ctx, const struct wm_ctl_req *req, const char *user, struct wm_err *err)
{
	struct driver *d = ctx;

	return wm_watch_ack(d->w, plan_now(d), req->id, user, req->text[0] ? req->text : NULL, err);
}

/* The watch round between ticks (real-time interval, not scaled). */
static int
watch_round(struct driver *d, struct wm_err *err)
{
	return wm_watch_round(d->w, plan_now(d), err);
}

/* The session made its tunnel directory: journal it, so that a driver
 * resuming after a crash removes it. */
static void
tunnel_made(void *arg, const char *dir)
{
	struct driver *d = arg;
	struct wm_err e = {0};
	cJSON *f;

	if (!d || !d->j)
		return;
	f = cJSON_CreateObject();
	if (!f || !cJSON_AddStringToObject(f, "dir", dir))
		wm_err_set(&e, WM_ENOMEM, "out of memory");
	else
		wm_journal_append(d->j, "tunnel", f, &e);
	cJSON_Delete(f);
	if (e.code)
		failed(d, &e);
}

/* Rebuild the view, and gather the tunnel directories of earlier drivers. */
static int
replay(const cJSON *rec, void *ctx)
{
	struct driver *d = ctx;
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(rec, "type");
	const cJSON *dir = cJSON_GetObjectItemCaseSensitive(rec, "dir");

	if (cJSON_IsString(type) && !strcmp(type->valuestring, "tunnel") && cJSON_IsString(dir))
		cJSON_AddItemToArray(d->stale, cJSON_CreateString(dir->valuestring));
	return view_apply(rec, &d->view);
}

/* Remove what a killed driver left of its tunnel directory: only a directory
 * of ours named like one (wm-ssh-XXXXXX), its sockets first.  The run's
 * lock says the driver that made it is gone. */
static void
remove_stale_tunnels(struct driver *d)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, d->stale)
	{
		const char *dir = x->valuestring, *base = strrchr(dir, '/');
		struct stat sb;
		struct dirent *de;
		DIR *dd;

		if (!base || strncmp(base + 1, "wm-ssh-", 7) != 0 || lstat(dir, &sb) != 0 ||
		    !S_ISDIR(sb.st_mode) || sb.st_uid != getuid())
			continue;
		if ((dd = opendir(dir))) {
			while ((de = readdir(dd)))
				/* libpq's tunnel is .s.PGSQL.PORT: only . and .. stay */
				if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
					unlinkat(dirfd(dd), de->d_name, 0);
			closedir(dd);
		}
		if (rmdir(dir) == 0)
			status_say("removed the tunnel directory %s of an earlier driver", dir);
	}
}

/* The control socket: a stale one (its driver is gone: we hold the lock)
 * is replaced. */
static void
listen_ctl(struct driver *d)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	if (strlen(d->sock) >= sizeof(sa.sun_path))
		wm_die(WM_UNKNOWN, "%s: the run directory's path is too long for a socket", d->dir);
	memcpy(sa.sun_path, d->sock, strlen(d->sock) + 1);
	unlink(d->sock);
	d->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d->lfd < 0 || bind(d->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(d->sock, 0600) != 0 || listen(d->lfd, MAX_CONNS) != 0)
		wm_die(WM_UNKNOWN, "%s: %s", d->sock, strerror(errno));
}

static void
conn_close(struct driver *d, size_t i)
{
	close(d->conn[i].fd);
	free(d->conn[i].buf);
	d->conn[i] = d->conn[--d->nconn];
}

static void
accept_ctl(struct driver *d)
{
	struct ucred cr;
	socklen_t cl = sizeof(cr);
	int fd = accept4(d->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct conn *c;

	if (fd < 0)
		return;
	if (d->nconn == MAX_CONNS || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) != 0) {
		close(fd);
		return;
	}
	c = &d->conn[d->nconn];
	*c = (struct conn){.fd = fd, .uid = cr.uid, .since = wm_monotonic_ms()};
	if (!(c->buf = malloc(WM_CTL_LINE_MAX))) {
		close(fd);
		return;
	}
	d->nconn++;
}

static void
reply(int fd, const char *line)
{
	struct timeval tv = {1, 0};
	size_t off = 0, n = line ? strlen(line) : 0;
	int fl = fcntl(fd, F_GETFL);

	/* A reply is small; a client that does not read it within a second
	 * loses it rather than stalling the run. */
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (off < n) {
		ssize_t w = send(fd, line + off, n - off, MSG_NOSIGNAL);

		if (w <= 0 && errno != EINTR)
			break;
		off += w > 0 ? (size_t)w : 0;
	}
}

static void
user_of(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw && pw->pw_name)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %ld", (long)uid);
}

/* One whole request of client i: answer it, close. */
static void
serve(struct driver *d, size_t i)
{
	struct conn *c = &d->conn[i];
	struct wm_ctl_req req;
	struct wm_err e = {0};
	const char *code = WM_CTL_INVALID;
	char *line = NULL, user[64];
	int64_t seq = 0;

	if (wm_ctl_parse(c->buf, c->len, &req, &e) != 0) {
		line = wm_ctl_reply_err(WM_CTL_INVALID, e.msg);
	} else if (req.cmd == WM_CTL_STATUS) {
		cJSON *st = view_status(&d->view, wm_journal_state_of(d->j), d->plan, &d->clk,
					d->dir, &d->live);

		line = st ? wm_ctl_reply_ok(wm_journal_seq(d->j), st)
			  : wm_ctl_reply_err(WM_CTL_IO, "out of memory");
	} else {
		user_of(c->uid, user, sizeof(user));
		if (ctl_apply(d->j, &d->view, &d->clk, wm_session_config(d->s), &req, user,
			      d->w ? ack_watch : NULL, d, &seq, &code, &e) == 0) {
			line = wm_ctl_reply_ok(seq, NULL);
			if (req.cmd == WM_CTL_STOP)
				d->stop = -1;
		} else {
			line = wm_ctl_reply_err(code, e.msg);
			if (e.code == WM_EIO)
				failed(d, &e);
		}
	}
	reply(c->fd, line);
	free(line);
	conn_close(d, i);
}

/* Read what client i sent; serve it once a line is whole. */
static void
read_conn(struct driver *d, size_t i)
{
	struct conn *c = &d->conn[i];
	ssize_t n = read(c->fd, c->buf + c->len, WM_CTL_LINE_MAX - c->len);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (c->len)
			serve(d, i); /* a request without its newline */
		else
			conn_close(d, i);
		return;
	}
	c->len += (size_t)n;
	if (memchr(c->buf, '\n', c->len) || c->len == WM_CTL_LINE_MAX)
		serve(d, i);
}

/* ---- systemd's notify socket (lib/run/sdnotify.h; wm-run(1), SYSTEMD) ---- */

static void
sd_send(struct driver *d, const char *text)
{
	struct wm_err e = {0};

	if (wm_sdnotify_send(&d->sd, text, &e) != 0 && !d->sd_said) {
		d->sd_said = true;
		status_say("%s (said once; the run goes on)", e.msg);
	}
}

/* The tiers planned at next, "quick+security". */
static void
tiers_at(const struct wm_schedule *plan, int64_t next, char *buf, size_t len)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < plan->n_tiers; i++)
		for (size_t a = 0; a < plan->tier[i].n_at; a++)
			if (plan->tier[i].at[a] == next && k < len) {
				int w = snprintf(buf + k, len - k, "%s%s", k ? "+" : "",
						 plan->tier[i].name);

				k += w > 0 ? (size_t)w : 0;
			}
}

/* STATUS=, when it says something new: where the run stands, the tick
 * running or the next one, the open incidents. */
static void
sd_status(struct driver *d)
{
	char now[32], at[32], tiers[96], text[sizeof(d->sd_status)];
	int64_t next, off = wm_clock_offset_ms(&d->clk);
	size_t open = wm_incidents_count(d->view.inc);

	if (!wm_sdnotify_on(&d->sd))
		return;
	wm_schedule_offset_str(off, now, sizeof(now));
	if (d->live.tier) {
		wm_schedule_offset_str(d->live.at_ms, at, sizeof(at));
		snprintf(text, sizeof(text),
			 "STATUS=%s: tick %s of %s running%s; %zu open incidents", now,
			 d->live.tier, at, d->live.attempt > 1 ? " again" : "", open);
	} else if (wm_schedule_next(d->plan, off, &next)) {
		wm_schedule_offset_str(next, at, sizeof(at));
		tiers_at(d->plan, next, tiers, sizeof(tiers));
		snprintf(text, sizeof(text), "STATUS=%s: next tick %s at %s; %zu open incidents",
			 now, tiers, at, open);
	} else {
		snprintf(text, sizeof(text), "STATUS=%s: no tick left; %zu open incidents", now,
			 open);
	}
	if (!strcmp(text + 7, d->sd_status))
		return;
	snprintf(d->sd_status, sizeof(d->sd_status), "%s", text + 7);
	sd_send(d, text);
}

/* WATCHDOG=1 when due (WatchdogSec=): from the loop and between a tick's
 * records, so a driver stuck anywhere is restarted by systemd. */
static void
sd_watchdog(struct driver *d)
{
	int64_t now = wm_monotonic_ms();

	if (!d->sd.watchdog_ms || now < d->next_wdog)
		return;
	sd_send(d, "WATCHDOG=1");
	d->next_wdog = now + d->sd.watchdog_ms;
}

static void
read_signals(struct driver *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			d->hup = true;
		else if (!d->stop)
			d->stop = (int)si.ssi_signo;
	}
}

/* Wait up to timeout_ms for a signal, a client or a container event, and
 * handle what came.  Returns whether the watch's descriptor is readable. */
static bool
wait_events(struct driver *d, int64_t timeout_ms)
{
	struct pollfd p[3 + MAX_CONNS];
	size_t n = 0, nc = d->nconn;
	int64_t now = wm_monotonic_ms();

	p[n++] = (struct pollfd){.fd = d->sigfd, .events = POLLIN};
	p[n++] = (struct pollfd){.fd = d->lfd, .events = POLLIN};
	p[n++] = (struct pollfd){.fd = d->w ? wm_watch_events_fd(d->w) : -1, .events = POLLIN};
	for (size_t i = 0; i < nc; i++) {
		int64_t left = d->conn[i].since + CONN_IDLE_MS - now;

		if (left < timeout_ms)
			timeout_ms = left > 0 ? left : 0;
		p[n++] = (struct pollfd){.fd = d->conn[i].fd, .events = POLLIN};
	}
	if (poll(p, n, (int)(timeout_ms > 60000 ? 60000 : timeout_ms)) < 0 && errno != EINTR)
		wm_die(WM_UNKNOWN, "poll: %s", strerror(errno));
	if (p[0].revents)
		read_signals(d);
	/* clients from the last one down: conn_close moves the last into i */
	now = wm_monotonic_ms();
	for (size_t i = nc; i-- > 0;) {
		if (p[3 + i].revents)
			read_conn(d, i);
		else if (now - d->conn[i].since >= CONN_IDLE_MS)
			conn_close(d, i);
	}
	if (p[1].revents)
		accept_ctl(d);
	if (p[2].revents) {
		/* a container event: its incident opens now, not at the next round */
		struct wm_err e = {0};

		if (wm_watch_events(d->w, plan_now(d), &e) != 0)
			failed(d, &e);
	}
	return false;
}

/* Between two records of a tick: answer clients, notice signals; stop the
 * tick when asked to or when the journal failed. */
static int
between(void *ctx)
{
	struct driver *d = ctx;

	wait_events(d, 0);
	sd_watchdog(d);
	return d->stop || d->failed;
}

static void
show_line(struct driver *d)
{
	char now[32], nx[64] = "", line[200];
	int64_t next, off = wm_clock_offset_ms(&d->clk);

	if (!d->tty)
		return;
	wm_schedule_offset_str(off, now, sizeof(now));
	if (wm_schedule_next(d->plan, off, &next)) {
		char at[32];

		wm_schedule_offset_str(next, at, sizeof(at));
		snprintf(nx, sizeof(nx), "%s in %" PRId64 " s", at,
			 (next - off) / d->clk.scale / 1000);
	}
	if (d->live.tier)
		snprintf(line, sizeof(line), "%s: %s %s running%s%s", now, d->live.tier,
			 d->live.phase, d->live.attempt > 1 ? " again" : "", "");
	else
		snprintf(line, sizeof(line), "%s  next tick %s  last %s %s  incidents %zu", now,
			 *nx ? nx : "none", d->view.have_last ? d->view.last_tier : "-",
			 d->view.have_last ? wm_state_name(d->view.last_state) : "",
			 wm_incidents_count(d->view.inc));
	status_line(line);
}

/* The report so far, after every tick (warunginmon(7), RUN DIRECTORY): a
 * report that cannot be written is said, never a reason to stop the run. */
static void
write_reports(struct driver *d)
{
	struct wm_err e = {0};

	if (wm_report_write_files(d->dir, wm_session_config(d->s), &e) != 0)
		status_say("%s", e.msg);
}

static int
run_one(void *ctx, const struct wm_schedule_tier *tier, int64_t at_ms, int attempt, bool late)
{
	struct driver *d = ctx;
	struct tick t = {
	    .s = d->s,
	    .j = d->j,
	    .clk = &d->clk,
	    .tier = tier,
	    .at_ms = at_ms,
	    .attempt = attempt,
	    .late = late,
	    .between = between,
	    .after = d->w ? after_tick : NULL,
	    .ctx = d,
	};
	struct wm_err e = {0};
	char off[32];
	int rc;

	d->live.phase = "tick";
	d->live.tier = tier->name;
	d->live.at_ms = at_ms;
	d->live.attempt = attempt;
	show_line(d);
	sd_status(d);
	rc = tick_run(&t, &e);
	d->live.phase = "idle";
	d->live.tier = NULL;
	if (rc < 0)
		failed(d, &e);
	if (rc == 0) {
		wm_schedule_offset_str(at_ms, off, sizeof(off));
		status_say("%s %s%s: %s", tier->name, off, late ? " (late)" : "",
			   wm_state_name(t.worst));
		write_reports(d);
		malloc_trim(0);
	}
	return d->failed ? -1 : rc ? 1 : d->stop ? 1 : 0;
}

/* The reload record: ok with the new digest, the plan's tiers and the plan
 * itself (journal_plan.h), or the reason the new configuration was refused. */
static void
reload_record(struct driver *d, const char *digest, const struct wm_schedule *plan,
	      const char *error)
{
	struct wm_err je = {0};
	cJSON *f = cJSON_CreateObject(), *tiers = NULL;
	bool ok = f && cJSON_AddBoolToObject(f, "ok", error == NULL);

	if (ok && error)
		ok = cJSON_AddStringToObject(f, "error", error) != NULL;
	else if (ok)
		ok = cJSON_AddStringToObject(f, "digest", digest) &&
		     (tiers = cJSON_AddObjectToObject(f, "tiers")) &&
		     cJSON_AddItemToObject(f, "plan", wm_journal_plan_json(plan));
	for (size_t i = 0; ok && tiers && i < plan->n_tiers; i++)
		ok = cJSON_AddNumberToObject(tiers, plan->tier[i].name,
					     (double)plan->tier[i].n_at) != NULL;
	if (!ok)
		wm_err_set(&je, WM_ENOMEM, "out of memory");
	else
		wm_journal_append(d->j, "reload", f, &je);
	cJSON_Delete(f);
	if (je.code)
		failed(d, &je);
}

/* SIGHUP: the configuration and the plan as they are now, with a new
 * session and watch.  A new file that cannot be loaded, or whose plan is
 * bad, is refused loudly (journaled, said) and the old ones stay. */
static void
reload(struct driver *d)
{
	struct wm_err e = {0};
	struct wm_session *s = run_session(d->o, tunnel_made, d, &e);
	struct wm_schedule *plan = malloc(sizeof(*plan));
	char digest[WM_JOURNAL_DIGEST_MAX] = "";
	struct wm_watch *w = NULL;

	d->hup = false;
	if (!plan && s)
		wm_err_set(&e, WM_ENOMEM, "out of memory");
	/* the watch borrows the session: a new one over the new session */
	if (!plan || !s || run_plan_of(wm_session_config(s), plan, &e) != 0 ||
	    !(w = watch_open(d, s, &e))) {
		if (e.code == WM_EIO)
			failed(d, &e);
		wm_session_close(s);
		free(plan);
		reload_record(d, NULL, NULL, e.msg);
		status_say("SIGHUP: the new configuration is refused, the old one stays: %s",
			   e.msg);
		return;
	}
	run_digest(s, digest, sizeof(digest));
	reload_record(d, digest, plan, NULL);
	status_say("SIGHUP: the configuration and the plan reloaded (%s)", digest);
	wm_watch_free(d->w);
	wm_session_close(d->s);
	free(d->plan);
	d->s = s;
	d->w = w;
	d->plan = plan;
	d->watch_ms = wm_watch_interval_ms(w);
	malloc_trim(0);
}

static void
stop_record(struct driver *d)
{
	struct wm_err e = {0};
	cJSON *f = cJSON_CreateObject();

	if (f && cJSON_AddStringToObject(f, "reason", d->stop == SIGINT ? "SIGINT" : "SIGTERM"))
		if (wm_journal_append(d->j, "stop", f, &e) != 0)
			failed(d, &e);
	cJSON_Delete(f);
}

static void __attribute__((noreturn)) finish(struct driver *d, int rc)
{
	sd_send(d, "STOPPING=1");
	status_line(NULL);
	if (d->failed && rc != RUN_EXIT_BUSY) {
		status_say("%s: the journal cannot be written: %s", d->dir, d->err.msg);
		status_say("the run stops rather than lose records; free space and run "
			   "'wm-run start' again to resume it");
		rc = RUN_EXIT_JOURNAL;
	}
	if (d->lfd >= 0) {
		unlink(d->sock);
		close(d->lfd);
	}
	while (d->nconn)
		conn_close(d, d->nconn - 1);
	wm_watch_free(d->w);
	wm_journal_close(d->j);
	wm_session_close(d->s);
	wm_sdnotify_close(&d->sd);
	view_free(&d->view);
	cJSON_Delete(d->stale);
	free(d->plan);
	exit(rc);
}

/* The plan is over when nothing is due and nothing is left. */
static bool
plan_over(struct driver *d)
{
	int64_t next;

	return !wm_schedule_next(d->plan, wm_clock_offset_ms(&d->clk), &next);
}

static int
end_record(struct driver *d)
{
	const struct wm_journal_state *st = wm_journal_state_of(d->j);
	struct wm_err e = {0};
	int64_t done = 0, missed = 0;
	cJSON *f = cJSON_CreateObject();

	for (size_t i = 0; i < st->n_ticks; i++) {
		done += st->ticks[i].ended;
		missed += st->ticks[i].missed;
	}
	if (!f || !cJSON_AddNumberToObject(f, "done", (double)done) ||
	    !cJSON_AddNumberToObject(f, "missed", (double)missed))
		wm_err_set(&e, WM_ENOMEM, "out of memory");
	else
		wm_journal_append(d->j, "run_end", f, &e);
	cJSON_Delete(f);
	if (e.code)
		failed(d, &e);
	else
		status_say("%s: the plan is over: %" PRId64 " ticks done, %" PRId64 " missed",
			   d->dir, done, missed);
	if (!e.code)
		write_reports(d); /* the final report, over the journal with its run_end */
	return e.code ? -1 : 0;
}

/* How long to sleep (real ms) until the next tick, watch round, keepalive or
 * status line refresh. */
static int64_t
sleep_ms(struct driver *d)
{
	int64_t now = wm_monotonic_ms(), off = wm_clock_offset_ms(&d->clk), next, ms = 60000;

	if (wm_schedule_next(d->plan, off, &next))
		ms = (next - off + d->clk.scale - 1) / d->clk.scale;
	if (d->next_watch - now < ms)
		ms = d->next_watch - now;
	if (d->next_keepalive - now < ms)
		ms = d->next_keepalive - now;
	if (d->tty && d->next_refresh - now < ms)
		ms = d->next_refresh - now;
	if (d->sd.watchdog_ms && d->next_wdog - now < ms)
		ms = d->next_wdog - now;
	return ms < 0 ? 0 : ms;
}

static void
open_run(struct driver *d)
{
	struct wm_err e = {0};
	struct wm_journal_state st;
	cJSON *f;
	bool resumed;

	d->j = wm_journal_open(d->dir, &d->clk, NULL, &e);
	if (!d->j && e.code == WM_EBUSY) {
		status_say("%s", e.msg);
		status_say("one driver per run: this one does not start");
		finish(d, RUN_EXIT_BUSY);
	}
	if (!d->j)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	/* under the lock: the journal as it stands, replayed into the view */
	if (wm_journal_read(d->dir, &st, replay, d, &e) != 0)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	wm_journal_state_free(&st);
	if (wm_journal_state_of(d->j)->ended) {
		status_say("%s: this run is over (run_end); 'wm-run start' without --run begins "
			   "a new one",
			   d->dir);
		finish(d, RUN_EXIT_OK);
	}
	resumed = wm_journal_state_of(d->j)->started;
	if (run_begin(d->j, d->s, d->o, d->plan, &d->clk, &e) != 0) {
		if (e.code == WM_EIO)
			failed(d, &e), finish(d, RUN_EXIT_JOURNAL);
		wm_die(WM_UNKNOWN, "%s: %s", d->dir, e.msg);
	}
	if (!resumed) /* run_start carries the target */
		snprintf(d->view.target, sizeof(d->view.target), "%s",
			 wm_session_target_name(d->s));
	remove_stale_tunnels(d);
	wm_journal_set_hook(d->j, view_apply, &d->view);
	f = cJSON_CreateObject();
	/* the plan this driver follows: a resumed run's configuration may have
	 * changed while no driver ran */
	if (!f || !cJSON_AddNumberToObject(f, "pid", (double)getpid()) ||
	    !cJSON_AddStringToObject(f, "version", PACKAGE_VERSION) ||
	    !cJSON_AddBoolToObject(f, "resumed", resumed) ||
	    !cJSON_AddItemToObject(f, "plan", wm_journal_plan_json(d->plan)))
		wm_die(WM_UNKNOWN, "out of memory");
	if (wm_journal_append(d->j, "driver", f, &e) != 0)
		failed(d, &e), finish(d, RUN_EXIT_JOURNAL);
	cJSON_Delete(f);
	if (resumed) {
		char off[32];

		wm_schedule_offset_str(wm_clock_offset_ms(&d->clk), off, sizeof(off));
		status_say("%s: resuming the run at %s", d->dir, off);
	} else
		status_say("%s: a new run", d->dir);
}

int
run_start(struct run_opts *o)
{
	static struct driver dv;
	struct driver *d = &dv;
	struct wm_err e = {0};
	sigset_t set;

	d->o = o;
	d->lfd = d->sigfd = -1;
	d->tty = isatty(STDERR_FILENO);
	/* systemd's notify socket: ours alone, not the hooks' we run */
	if (wm_sdnotify_open(&d->sd, getenv("NOTIFY_SOCKET"), getenv("WATCHDOG_USEC"),
			     getenv("WATCHDOG_PID"), getpid(), &e) != 0)
		status_say("%s: systemd is not told how the run stands", e.msg);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	/* Signals arrive on a descriptor the loop polls; blocked before any
	 * thread (the SSH tunnel pump) is made, so that none takes them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    (d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		wm_die(WM_UNKNOWN, "signalfd: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN); /* a file size limit is a write error, not a kill */
	/* The footprint between ticks (RSS under 16 MiB, wm-run(1)): a tick's
	 * threads share two malloc arenas rather than one each, and after a
	 * tick (its results, the report written from the whole journal) the
	 * heap's free pages go back to the system: about 2.5 MiB. */
	mallopt(M_ARENA_MAX, 2);
	if (!(d->plan = malloc(sizeof(*d->plan))) || view_init(&d->view) != 0 ||
	    !(d->stale = cJSON_CreateArray()))
		wm_die(WM_UNKNOWN, "out of memory");
	wm_clock_init_real(&d->clk);
	if (!(d->s = run_session(o, tunnel_made, d, &e)))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	run_plan(wm_session_config(d->s), d->plan);
	run_find(d->s, o, run_start_time(o), true, d->dir, sizeof(d->dir));
	if ((size_t)snprintf(d->sock, sizeof(d->sock), "%s/%s", d->dir, WM_JOURNAL_SOCKET) >=
	    sizeof(d->sock))
		wm_die(WM_UNKNOWN, "%s: path too long", d->dir);
	open_run(d);
	listen_ctl(d);
	d->live = (struct run_live){.pid = getpid(), .since_wall_ms = wm_now_ms(), .phase = "idle"};
	/* ready: the run is ours (the lock), its journal open, its socket answers */
	sd_send(d, "READY=1");
	sd_status(d);
	d->next_wdog = wm_monotonic_ms();
	sd_watchdog(d);
	if (!(d->w = watch_open(d, d->s, &e))) {
		if (e.code == WM_EIO)
			failed(d, &e), finish(d, RUN_EXIT_JOURNAL);
		wm_die(WM_UNKNOWN, "the watch: %s", e.msg);
	}
	d->watch_ms = wm_watch_interval_ms(d->w);
	d->next_watch = wm_monotonic_ms() + d->watch_ms;
	d->next_keepalive = wm_monotonic_ms() + WM_SESSION_KEEPALIVE_MS;
	for (;;) {
		int64_t now;

		wait_events(d, 0);
		if (d->hup)
			reload(d);
		if (!d->stop && !d->failed && tick_due(d->plan, d->j, &d->clk, run_one, d, &e) < 0)
			failed(d, &e);
		if (d->failed)
			finish(d, RUN_EXIT_JOURNAL);
		if (d->stop) {
			if (d->stop > 0)
				stop_record(d);
			status_say("%s: stopped (%s); 'wm-run start' resumes the run", d->dir,
				   d->stop == SIGINT ? "SIGINT"
				   : d->stop > 0     ? "SIGTERM"
						     : "on request");
			finish(d, d->failed ? RUN_EXIT_JOURNAL : RUN_EXIT_OK);
		}
		if (plan_over(d)) {
			end_record(d);
			finish(d, d->failed ? RUN_EXIT_JOURNAL : RUN_EXIT_OK);
		}
		show_line(d);
		sd_status(d);
		sd_watchdog(d);
		wait_events(d, sleep_ms(d));
		now = wm_monotonic_ms();
		if (now >= d->next_watch) {
			d->live.phase = "watch";
			if (watch_round(d, &e) != 0)
				failed(d, &e);
			d->live.phase = "idle";
			d->next_watch = now + d->watch_ms;
		}
		if (now >= d->next_keepalive) {
			if (wm_session_keepalive(d->s) != 0)
				status_say("the SSH connection was lost; the next use reconnects");
			d->next_keepalive = now + WM_SESSION_KEEPALIVE_MS;
		}
		if (now >= d->next_refresh)
			d->next_refresh = now + TTY_REFRESH_MS;
	}
}
