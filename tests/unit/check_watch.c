/* check_watch.c - the /events parsers on fixture answers, the events'
 * observations, and the watch itself on a fixed clock: a blind round opens
 * "monitoring lost", the hook gets the JSON, the chain escalates, ack stops
 * it, and a resumed watch never sends a key twice. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "base/file.h"
#include "clients/docker_events.h"
#include "run/events.h"
#include "run/watch.h"
#include "run/watch_int.h"
#include "unit.h"

#define DIE                                                                                        \
	"{\"status\":\"die\",\"id\":\"abc123\",\"Type\":\"container\",\"Action\":\"die\","         \
	"\"Actor\":{\"ID\":\"abc123\",\"Attributes\":{\"exitCode\":\"137\",\"name\":"              \
	"\"warungin-backend\",\"com.docker.compose.service\":\"backend\","                         \
	"\"com.docker.compose.project\":\"warungin\"}},\"scope\":\"local\",\"time\":1700000000,"   \
	"\"timeNano\":1700000000123456789}"
#define UNHEALTHY                                                                                  \
	"{\"Type\":\"container\",\"Action\":\"health_status: "                                     \
	"unhealthy\",\"Actor\":{\"ID\":\"d1\","                                                    \
	"\"Attributes\":{\"com.docker.compose.service\":\"postgres\"}},\"time\":1700000001}"
#define IMAGE "{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"x\"}}"

START_TEST(test_event_parse)
{
	struct wm_docker_event ev;
	struct wm_err e = {0};

	ck_assert_int_eq(wm_docker_event_parse(DIE, strlen(DIE), &ev, &e), 0);
	ck_assert_str_eq(ev.action, "die");
	ck_assert_str_eq(ev.service, "backend");
	ck_assert_str_eq(ev.name, "warungin-backend");
	ck_assert_int_eq(ev.exit_code, 137);
	ck_assert(ev.time_ns == INT64_C(1700000000123456789));
	ck_assert_int_eq(wm_docker_event_parse(UNHEALTHY, strlen(UNHEALTHY), &ev, &e), 0);
	ck_assert_str_eq(ev.action, "health_status");
	ck_assert_str_eq(ev.health, "unhealthy");
	ck_assert(ev.time_ns == INT64_C(1700000001000000000));
	ck_assert_int_eq(wm_docker_event_parse(IMAGE, strlen(IMAGE), &ev, &e), 1);
	/* fuzz_docker_events found it: a health change without its status was
	 * returned as an event with no action */
	{
		static const char nul[] =
		    "{\"Type\":\"container\",\"Action\":\"health_status:\\u0000 "
		    "unhealthy\",\"Actor\":{\"ID\":\"d4\"}}";

		ck_assert_int_eq(wm_docker_event_parse(nul, strlen(nul), &ev, &e), 1);
	}
	/* ... and a detail after another action is no health (fuzz_docker_events) */
	{
		static const char die[] = "{\"Type\":\"container\",\"Action\":\"die: x\","
					  "\"Actor\":{\"ID\":\"d5\"}}";

		ck_assert_int_eq(wm_docker_event_parse(die, strlen(die), &ev, &e), 0);
		ck_assert_str_eq(ev.action, "die");
		ck_assert_str_eq(ev.health, "");
	}
	ck_assert_int_eq(wm_docker_event_parse("[1]", 3, &ev, &e), -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
}
END_TEST

static int seen;
static char seen_actions[256];

static int
count(void *arg, const struct wm_docker_event *ev)
{
	(void)arg;
	seen++;
	strcat(seen_actions, ev->action);
	strcat(seen_actions, " ");
	return 0;
}

START_TEST(test_stream_identity_bytewise)
{
	const char *ans = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" DIE
			  "\n{garbage\n" IMAGE "\n" UNHEALTHY "\n";
	struct wm_docker_events_parser p;
	struct wm_err e = {0};

	seen = 0;
	seen_actions[0] = '\0';
	wm_docker_events_parser_init(&p);
	for (size_t i = 0; ans[i]; i++) /* one byte at a time: no chunk boundary matters */
		ck_assert_int_eq(wm_docker_events_feed(&p, ans + i, 1, count, NULL, &e), 0);
	ck_assert_int_eq(seen, 2);
	ck_assert_str_eq(seen_actions, "die health_status ");
	ck_assert_uint_eq(p.skipped, 1); /* the garbage line, not an error */
	wm_docker_events_parser_free(&p);
}
END_TEST

START_TEST(test_stream_chunked_and_errors)
{
	char ans[2048];
	struct wm_docker_events_parser p;
	struct wm_err e = {0};
	const char *bad = "HTTP/1.1 400 Bad Request\r\n\r\n{\"message\":\"invalid filter\"}";

	snprintf(ans, sizeof(ans),
		 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n%s\n\r\n0\r\n\r\n",
		 strlen(DIE) + 1, DIE);
	seen = 0;
	seen_actions[0] = '\0';
	wm_docker_events_parser_init(&p);
	ck_assert_int_eq(wm_docker_events_feed(&p, ans, strlen(ans), count, NULL, &e), 1);
	ck_assert_int_eq(seen, 1);
	wm_docker_events_parser_free(&p);

	/* an event split over two chunks (a proxy's, or a flush mid-line) */
	snprintf(ans, sizeof(ans),
		 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		 "a\r\n%.10s\r\n%zx\r\n%s\n\r\n0\r\n\r\n",
		 DIE, strlen(DIE) - 10 + 1, DIE + 10);
	seen = 0;
	wm_docker_events_parser_init(&p);
	ck_assert_int_eq(wm_docker_events_feed(&p, ans, strlen(ans), count, NULL, &e), 1);
	ck_assert_int_eq(seen, 1);
	ck_assert_uint_eq(p.skipped, 0);
	wm_docker_events_parser_free(&p);

	wm_docker_events_parser_init(&p);
	ck_assert_int_eq(wm_docker_events_feed(&p, bad, strlen(bad), count, NULL, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "HTTP 400: {\"message\":\"invalid filter\"}"));
	wm_docker_events_parser_free(&p);

	wm_docker_events_parser_init(&p);
	ck_assert_int_eq(wm_docker_events_feed(&p, "SSH-2.0-x\r\n", 11, count, NULL, &e), -1);
	wm_docker_events_parser_free(&p);
}
END_TEST

START_TEST(test_events_path)
{
	struct wm_docker_events_opts o = {.project = "warungin",
					  .since_ns = INT64_C(1700000000000000001)};
	struct wm_err e = {0};
	char path[2200];

	ck_assert_int_eq(wm_docker_events_path(&o, path, sizeof(path), &e), 0);
	ck_assert_ptr_nonnull(strstr(path, "&since=1700000000.000000001"));
	ck_assert_ptr_nonnull(strstr(path, "com.docker.compose.project%3Dwarungin"));
	ck_assert_ptr_nonnull(strstr(path, "health_status"));
	o.project = "a\"b";
	ck_assert_int_eq(wm_docker_events_path(&o, path, sizeof(path), &e), -1);
}
END_TEST

START_TEST(test_event_obs)
{
	struct wm_docker_event ev;
	struct wm_watch_obs o;
	struct wm_err e = {0};

	wm_docker_event_parse(DIE, strlen(DIE), &ev, &e);
	ck_assert_int_eq(wm_watch_event_obs(&ev, &o), 0);
	ck_assert(o.fail);
	ck_assert_str_eq(o.subject, "backend");
	ck_assert_str_eq(o.detail, "backend exited (code 137)");
	snprintf(ev.action, sizeof(ev.action), "start");
	ck_assert_int_eq(wm_watch_event_obs(&ev, &o), 0);
	ck_assert(!o.fail);
	snprintf(ev.action, sizeof(ev.action), "kill");
	ck_assert_int_eq(wm_watch_event_obs(&ev, &o), 1);
}
END_TEST

/* Scratch paths of the tests below. */
static char dir[256], cfgpath[300], hookout[300];

/* A fake engine for the events thread: answers the first subscription with
 * one event and hangs up, the second with another, and keeps the request
 * lines it got. */
struct fake_engine {
	int lfd;
	char req[2][4096];
};

static void *
fake_engine_run(void *arg)
{
	struct fake_engine *fe = arg;
	const char *ev[2] = {DIE, UNHEALTHY};

	for (int i = 0; i < 2; i++) {
		char buf[8192], ans[4096];
		int fd = accept(fe->lfd, NULL, NULL);
		ssize_t n;

		if (fd < 0)
			return NULL;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		snprintf(fe->req[i], sizeof(fe->req[i]), "%.*s", (int)strcspn(buf, "\r\n"), buf);
		snprintf(ans, sizeof(ans),
			 "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n%s\n", ev[i]);
		if (send(fd, ans, strlen(ans), MSG_NOSIGNAL) < 0)
			break;
		if (i == 0) {
			close(fd); /* the engine went away: the thread resubscribes */
		} else {
			char c;

			(void)recv(fd, &c, 1, 0); /* held open until the client stops */
			close(fd);
		}
	}
	return NULL;
}

/* Wait for one event on ev's descriptor (at most 10 s) and take it. */
static size_t
wait_event(struct wm_events *ev, struct wm_docker_event *out, struct wm_events_status *st)
{
	struct pollfd p = {.fd = wm_events_fd(ev), .events = POLLIN};

	for (int i = 0; i < 100; i++) {
		size_t n;

		if (poll(&p, 1, 100) > 0 && (n = wm_events_drain(ev, out, 4, st)) > 0)
			return n;
	}
	return 0;
}

START_TEST(test_events_thread_resubscribes_since)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct fake_engine fe = {0};
	struct wm_docker_event got[4];
	struct wm_events_status st;
	struct wm_events *ev;
	struct wm_err e = {0};
	pthread_t th;

	snprintf(dir, sizeof(dir), "%s/wm-ev-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.90s/d.sock", dir);
	fe.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fe.lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fe.lfd, 4), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, fake_engine_run, &fe), 0);
	ev = wm_events_start(sa.sun_path, "warungin", NULL, &e);
	ck_assert_msg(ev != NULL, "%s", e.msg);
	ck_assert_uint_eq(wait_event(ev, got, &st), 1);
	ck_assert_str_eq(got[0].action, "die");
	ck_assert_uint_eq(wait_event(ev, got, &st), 1);
	ck_assert_str_eq(got[0].action, "health_status");
	ck_assert_int_eq(st.reconnects, 1);
	wm_events_stop(ev); /* joins: returns although the stream is idle */
	pthread_join(th, NULL);
	close(fe.lfd);
	ck_assert_ptr_nonnull(strstr(fe.req[0], "GET /events?filters="));
	ck_assert_ptr_null(strstr(fe.req[0], "since="));
	ck_assert_ptr_nonnull(strstr(fe.req[1], "&since=1700000000.123456789 HTTP/1.0"));
	wm_unit_rm_tree(dir);
}
END_TEST

static struct wm_session *
open_session(void)
{
	struct wm_session_opts so = {.config = cfgpath, .timeout_ms = 2000};
	struct wm_err e = {0};
	struct wm_session *s = wm_session_open(&so, &e);

	ck_assert_msg(s != NULL, "%s", e.msg);
	return s;
}

static size_t
occurrences(const char *text, const char *word)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, word)); p++)
		n++;
	return n;
}

START_TEST(test_watch_blind_escalate_ack_resume)
{
	struct wm_clock_fixed f = {.wall_ms = INT64_C(1795824000000), .mono_ms = 1000};
	struct wm_clock clk;
	struct wm_watch_opts o = {.no_events = true};
	struct wm_journal_state st;
	struct wm_journal *j;
	struct wm_watch *w;
	struct wm_session *s;
	struct wm_err e = {0};
	char path[400], hook[400], *text = NULL, *journal = NULL;
	size_t len;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/wm-watch-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(hookout, sizeof(hookout), "%s/hook.out", dir);
	snprintf(hook, sizeof(hook), "%s/hook.sh", dir);
	fp = fopen(hook, "w");
	fprintf(fp, "#!/bin/sh\ncat >>'%s'\necho >>'%s'\n", hookout, hookout);
	fclose(fp);
	chmod(hook, 0700);
	snprintf(cfgpath, sizeof(cfgpath), "%s/config", dir);
	fp = fopen(cfgpath, "w");
	fprintf(fp,
		"[target t]\ndocker_socket = %s/no.sock\nproject = demo\nservices = a\n"
		"[escalation]\ncommand = %s\n[watch]\nlost_rounds = 2\n",
		dir, hook);
	fclose(fp);
	chmod(cfgpath, 0600);
	snprintf(path, sizeof(path), "%s/run", dir);
	wm_clock_init_fixed(&clk, &f);
	o.clock = &clk;
	o.run_dir = path;

	s = open_session();
	j = wm_journal_open(path, &clk, &st, &e);
	ck_assert_msg(j != NULL, "%s", e.msg);
	wm_journal_state_free(&st);
	{
		cJSON *rs = cJSON_Parse("{\"start_wall_ms\":1795824000000,\"scale\":1,"
					"\"digest\":\"x\"}");

		ck_assert_int_eq(wm_journal_append(j, "run_start", rs, &e), 0);
		cJSON_Delete(rs);
	}
	w = wm_watch_new(s, &o, j, &e);
	ck_assert_msg(w != NULL, "%s", e.msg);
	/* One blind round is not yet "lost"; the second is. */
	ck_assert_int_eq(wm_watch_round(w, wm_clock_plan_ms(&clk), &e), 0);
	ck_assert_uint_eq(wm_incidents_count(wm_watch_incidents(w)), 0);
	wm_clock_fixed_advance(&f, 60000);
	ck_assert_int_eq(wm_watch_round(w, wm_clock_plan_ms(&clk), &e), 0);
	ck_assert_uint_eq(wm_incidents_count(wm_watch_incidents(w)), 1);
	ck_assert_str_eq(wm_incidents_get(wm_watch_incidents(w), 0)->id, "INC-1");
	ck_assert_int_eq(wm_file_read(hookout, 1 << 20, &text, &len, &e), 0);
	ck_assert_ptr_nonnull(strstr(text, "\"key\":\"INC-1/open/1\""));
	ck_assert_ptr_nonnull(strstr(text, "\"kind\":\"monitoring-lost\""));
	ck_assert_ptr_nonnull(strstr(text, "\"drill\":false"));
	free(text);
	/* Not acknowledged within 5 min: the secondary on-call is paged. */
	wm_clock_fixed_advance(&f, 5 * 60000);
	ck_assert_int_eq(wm_watch_events(w, wm_clock_plan_ms(&clk), &e), 0);
	ck_assert_int_eq(wm_incidents_get(wm_watch_incidents(w), 0)->level, 1);
	ck_assert_int_eq(wm_watch_ack(w, wm_clock_plan_ms(&clk), "INC-1", "ana", "on it", &e), 0);
	ck_assert_int_eq(wm_watch_ack(w, wm_clock_plan_ms(&clk), "INC-9", "ana", NULL, &e), -1);
	wm_clock_fixed_advance(&f, 10 * 60000);
	ck_assert_int_eq(wm_watch_round(w, wm_clock_plan_ms(&clk), &e), 0);
	ck_assert_int_eq(wm_incidents_get(wm_watch_incidents(w), 0)->level, 1); /* acked: stays */
	wm_watch_free(w);
	wm_journal_close(j);

	/* Resumed: the incident is back, acknowledged; nothing is sent again. */
	j = wm_journal_open(path, &clk, &st, &e);
	ck_assert_msg(j != NULL, "%s", e.msg);
	wm_journal_state_free(&st);
	w = wm_watch_new(s, &o, j, &e);
	ck_assert_msg(w != NULL, "%s", e.msg);
	ck_assert_uint_eq(wm_incidents_count(wm_watch_incidents(w)), 1);
	ck_assert_int_eq(wm_incidents_get(wm_watch_incidents(w), 0)->state, WM_INC_ACKED);
	wm_clock_fixed_advance(&f, 60000);
	ck_assert_int_eq(wm_watch_round(w, wm_clock_plan_ms(&clk), &e), 0);
	wm_watch_free(w);
	wm_journal_close(j);
	ck_assert_int_eq(wm_file_read(hookout, 1 << 20, &text, &len, &e), 0);
	ck_assert_uint_eq(occurrences(text, "\"key\":\"INC-1/open/1\""), 1);
	ck_assert_uint_eq(occurrences(text, "\"key\":\"INC-1/escalate/2\""), 1);
	ck_assert_uint_eq(occurrences(text, "\"key\":"), 2);
	free(text);
	snprintf(path, sizeof(path), "%s/run/journal.jsonl", dir);
	ck_assert_int_eq(wm_file_read(path, 1 << 22, &journal, &len, &e), 0);
	ck_assert_ptr_nonnull(strstr(journal, "\"type\":\"notify\""));
	ck_assert_ptr_nonnull(strstr(journal, "\"who\":\"ana\""));
	ck_assert_ptr_nonnull(strstr(journal, "\"type\":\"watch\""));
	free(journal);
	wm_session_close(s);
	wm_unit_rm_tree(dir);
}
END_TEST

/* A fake engine for a resumed watch: any request but /events gets "{}";
 * /events gets DIE (journaled already by the run before the restart) and
 * UNHEALTHY (new), and is held open until the client goes. */
struct resume_engine {
	int lfd;
	char req[4096];
};

static void *
resume_engine_run(void *arg)
{
	struct resume_engine *fe = arg;

	for (;;) {
		char buf[8192], ans[4096];
		int fd = accept(fe->lfd, NULL, NULL);
		ssize_t n;

		if (fd < 0)
			return NULL;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		if (strncmp(buf, "GET /events", 11) != 0) {
			snprintf(ans, sizeof(ans),
				 "HTTP/1.0 200 OK\r\nContent-Type: "
				 "application/json\r\n\r\n{}");
			(void)send(fd, ans, strlen(ans), MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		snprintf(fe->req, sizeof(fe->req), "%.*s", (int)strcspn(buf, "\r\n"), buf);
		snprintf(ans, sizeof(ans),
			 "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n%s\n%s\n", DIE,
			 UNHEALTHY);
		if (send(fd, ans, strlen(ans), MSG_NOSIGNAL) > 0) {
			char c;

			(void)recv(fd, &c, 1, 0); /* held until the watch stops */
		}
		close(fd);
		return NULL;
	}
}

START_TEST(test_watch_resumes_events_from_journal)
{
	struct wm_clock_fixed f = {.wall_ms = INT64_C(1700000100000), .mono_ms = 1000};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct wm_watch_opts o = {.no_logs = true, .interval_ms = 2000};
	struct resume_engine fe = {0};
	struct wm_journal_state st;
	struct wm_clock clk;
	struct wm_journal *j;
	struct wm_watch *w;
	struct wm_session *s;
	struct wm_err e = {0};
	char path[400], *journal = NULL;
	struct pollfd p;
	size_t len;
	pthread_t th;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/wm-wres-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.90s/d.sock", dir);
	fe.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fe.lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fe.lfd, 8), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, resume_engine_run, &fe), 0);
	snprintf(cfgpath, sizeof(cfgpath), "%s/config", dir);
	fp = fopen(cfgpath, "w");
	fprintf(fp, "[target t]\ndocker_socket = %s\nproject = warungin\nservices = backend\n",
		sa.sun_path);
	fclose(fp);
	chmod(cfgpath, 0600);
	snprintf(path, sizeof(path), "%s/run", dir);
	wm_clock_init_fixed(&clk, &f);
	o.clock = &clk;
	o.run_dir = path;
	s = open_session();
	/* The run before the restart: it journaled the die. */
	j = wm_journal_open(path, &clk, &st, &e);
	ck_assert_msg(j != NULL, "%s", e.msg);
	wm_journal_state_free(&st);
	{
		cJSON *rs = cJSON_Parse("{\"start_wall_ms\":1699999000000,\"scale\":1,"
					"\"digest\":\"x\"}");
		cJSON *ev =
		    cJSON_Parse("{\"service\":\"backend\",\"container\":\"warungin-backend\","
				"\"action\":\"die\",\"id\":\"abc123\",\"time_ms\":"
				"1700000000123,\"time_ns\":\"1700000000123456789\"}");

		ck_assert_int_eq(wm_journal_append(j, "run_start", rs, &e), 0);
		ck_assert_int_eq(wm_journal_append(j, "container", ev, &e), 0);
		cJSON_Delete(rs);
		cJSON_Delete(ev);
	}
	wm_journal_close(j);
	/* The restarted driver's watch. */
	j = wm_journal_open(path, &clk, &st, &e);
	ck_assert_msg(j != NULL, "%s", e.msg);
	wm_journal_state_free(&st);
	w = wm_watch_new(s, &o, j, &e);
	ck_assert_msg(w != NULL, "%s", e.msg);
	p = (struct pollfd){.fd = wm_watch_events_fd(w), .events = POLLIN};
	ck_assert_int_ge(p.fd, 0);
	for (int i = 0; i < 100 && !strstr(journal ? journal : "", "health_status"); i++) {
		if (poll(&p, 1, 100) > 0)
			ck_assert_int_eq(wm_watch_events(w, wm_clock_plan_ms(&clk), &e), 0);
		free(journal);
		journal = NULL;
		snprintf(path, sizeof(path), "%s/run/journal.jsonl", dir);
		ck_assert_int_eq(wm_file_read(path, 1 << 22, &journal, &len, &e), 0);
	}
	wm_watch_free(w);
	wm_journal_close(j);
	pthread_join(th, NULL);
	close(fe.lfd);
	/* Resubscribed from the journal's last event, at its exact time ... */
	ck_assert_ptr_nonnull(strstr(fe.req, "&since=1700000000.123456789 HTTP/1.0"));
	/* ... the event that happened while it was down is journaled ... */
	ck_assert_ptr_nonnull(strstr(journal, "\"action\":\"health_status\""));
	/* ... and the one journaled before is not journaled again. */
	ck_assert_uint_eq(occurrences(journal, "\"action\":\"die\""), 1);
	free(journal);
	wm_session_close(s);
	wm_unit_rm_tree(dir);
}
END_TEST

START_TEST(test_events_backoff_bound)
{
	/* half a round, so a compressed day's 2 s rounds retry within a second */
	ck_assert_int_eq(wm_events_backoff_max(2000), 1000);
	ck_assert_int_eq(wm_events_backoff_max(60000), 30000);
	ck_assert_int_eq(wm_events_backoff_max(600000), WM_EVENTS_BACKOFF_MAX_MS);
	ck_assert_int_eq(wm_events_backoff_max(100), 250);
}
END_TEST

/* A tick's results: services.backend restarts, the cache's lookups, nginx's
 * lines (requests served), backend's errors and the hit rate. */
static struct wm_result *
tick_result(double restarts, double lookups, double lines, double errors, double hit_rate)
{
	struct wm_result *r = wm_result_new("wm-run", "0", "t");
	struct wm_check *c;

	c = wm_result_add_check(r, "services.backend");
	wm_check_add_metric(c, "restarts", restarts, "");
	c = wm_result_add_check(r, "redis.hit_rate");
	cJSON_AddNumberToObject(wm_check_data(c), "hits", lookups);
	cJSON_AddNumberToObject(wm_check_data(c), "misses", 0);
	if (lookups > 0)
		wm_check_add_metric(c, "hit_rate", hit_rate, "%");
	c = wm_result_add_check(r, "errors.nginx");
	wm_check_add_metric(c, "lines", lines, "");
	c = wm_result_add_check(r, "errors.backend");
	wm_check_add_metric(c, "errors", errors, "");
	return r;
}

/* The check of out named name, or NULL. */
static const struct wm_check *
out_check(const struct wm_result *out, const char *name)
{
	for (size_t i = 0; i < out->nchecks; i++)
		if (!strcmp(out->checks[i]->name, name))
			return out->checks[i];
	return NULL;
}

START_TEST(test_watch_on_tick)
{
	struct wm_clock_fixed f = {.wall_ms = INT64_C(1795824000000), .mono_ms = 1000};
	struct wm_clock clk;
	struct wm_watch_opts o = {.no_events = true};
	struct wm_session *s;
	struct wm_watch *w;
	struct wm_result *r, *out;
	const struct wm_result *rs[1];
	const struct wm_check *c;
	struct wm_err e = {0};
	char path[400], *text = NULL;
	size_t len;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/wm-watch-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cfgpath, sizeof(cfgpath), "%s/config", dir);
	fp = fopen(cfgpath, "w");
	fprintf(fp,
		"[target t]\ndocker_socket = %s/no.sock\nproject = demo\n[watch]\nbaseline = 1h\n",
		dir);
	fclose(fp);
	chmod(cfgpath, 0600);
	wm_clock_init_fixed(&clk, &f);
	o.clock = &clk;
	o.run_dir = dir;
	s = open_session();
	w = wm_watch_new(s, &o, NULL, &e);
	ck_assert_msg(w != NULL, "%s", e.msg);

	/* T+10min: a restart, lookups, 2 errors (learning the baseline). */
	wm_clock_fixed_advance(&f, 10 * 60000);
	r = tick_result(1, 100, 50, 2, 90);
	rs[0] = r;
	out = wm_result_new("wm-run", "0", "t");
	ck_assert_int_eq(wm_watch_on_tick(w, wm_clock_plan_ms(&clk), rs, 1, out, &e), 0);
	ck_assert_uint_eq(out->nchecks, 0); /* one restart is not a loop */
	wm_result_free(r);
	wm_result_free(out);

	/* T+30min: restarted again, and Redis saw no lookups while nginx served. */
	wm_clock_fixed_advance(&f, 20 * 60000);
	r = tick_result(2, 0, 50, 2, 0);
	rs[0] = r;
	out = wm_result_new("wm-run", "0", "t");
	ck_assert_int_eq(wm_watch_on_tick(w, wm_clock_plan_ms(&clk), rs, 1, out, &e), 0);
	c = out_check(out, "watch.crash_looping.backend");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->state, WM_WARNING);
	ck_assert_str_eq(c->summary,
			 "crash-looping: backend restarted in each of the last 2 ticks");
	c = out_check(out, "watch.cache_bypassed");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(
	    c->summary, "cache bypassed: no key lookups in Redis while the app served 50 requests");
	wm_result_free(r);
	wm_result_free(out);

	/* T+2h: the baseline (1h) is written; 10 errors and a 30 % hit rate drift. */
	wm_clock_fixed_advance(&f, 90 * 60000);
	r = tick_result(0, 100, 0, 10, 30);
	rs[0] = r;
	out = wm_result_new("wm-run", "0", "t");
	ck_assert_int_eq(wm_watch_on_tick(w, wm_clock_plan_ms(&clk), rs, 1, out, &e), 0);
	ck_assert_ptr_null(out_check(out, "watch.crash_looping.backend")); /* no restart now */
	ck_assert_ptr_null(out_check(out, "watch.cache_bypassed"));	   /* nothing served */
	c = out_check(out, "watch.degradation.errors.backend.errors");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->summary,
			 "degradation: errors.backend errors 10 against 2 in the baseline");
	c = out_check(out, "watch.degradation.redis.hit_rate.hit_rate");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->state, WM_WARNING);
	wm_result_free(r);
	wm_result_free(out);
	snprintf(path, sizeof(path), "%s/baseline.json", dir);
	ck_assert_int_eq(wm_file_read(path, 1 << 20, &text, &len, &e), 0);
	ck_assert_ptr_nonnull(strstr(text, "\"errors.backend.errors\":\t2"));
	free(text);
	wm_watch_free(w);

	/* A later run starts from that baseline: no learning, drift at once. */
	o.baseline_from = path;
	o.run_dir = NULL;
	w = wm_watch_new(s, &o, NULL, &e);
	ck_assert_msg(w != NULL, "%s", e.msg);
	r = tick_result(0, 100, 0, 3, 90);
	rs[0] = r;
	out = wm_result_new("wm-run", "0", "t");
	ck_assert_int_eq(wm_watch_on_tick(w, wm_clock_plan_ms(&clk), rs, 1, out, &e), 0);
	ck_assert_uint_eq(out->nchecks, 0); /* 3 errors: under twice the baseline's 2 */
	wm_result_free(r);
	wm_result_free(out);
	r = tick_result(0, 100, 0, 5, 90);
	rs[0] = r;
	out = wm_result_new("wm-run", "0", "t");
	ck_assert_int_eq(wm_watch_on_tick(w, wm_clock_plan_ms(&clk), rs, 1, out, &e), 0);
	ck_assert_ptr_nonnull(out_check(out, "watch.degradation.errors.backend.errors"));
	wm_result_free(r);
	wm_result_free(out);
	wm_watch_free(w);
	wm_session_close(s);
	wm_unit_rm_tree(dir);
}
END_TEST

/* A webhook that does not answer: the journaled answer says why, without
 * the URL's path (a Slack or Discord webhook's secret). */
START_TEST(test_notify_webhook_secret_not_in_answer)
{
	static const char conf[] =
	    "[escalation]\nwebhook = http://127.0.0.1:29599/services/T0/B0/s3cr3tT0ken\n";
	struct wm_err e = {0};
	struct wm_config *cfg = wm_config_parse("test", conf, sizeof(conf) - 1, &e);
	struct wm_notifier *n;
	struct wm_notify_answer ans;
	cJSON *payload = cJSON_CreateObject();

	ck_assert_msg(cfg != NULL, "%s", e.msg);
	ck_assert_msg((n = wm_notifier_new(cfg, &e)) != NULL, "%s", e.msg);
	wm_notify_one(n, WM_CH_WEBHOOK, WM_ROLE_N, payload, NULL, &ans);
	ck_assert(!ans.ok);
	ck_assert_msg(!strstr(ans.detail, "s3cr3t"), "%s", ans.detail);
	ck_assert_msg(strstr(ans.detail, "http://127.0.0.1:29599/"), "%s", ans.detail);
	cJSON_Delete(payload);
	wm_notifier_free(n);
	wm_config_free(cfg);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_event_parse);
	tcase_add_test(tc, test_stream_identity_bytewise);
	tcase_add_test(tc, test_stream_chunked_and_errors);
	tcase_add_test(tc, test_events_path);
	tcase_add_test(tc, test_event_obs);
	tcase_add_test(tc, test_events_thread_resubscribes_since);
	tcase_add_test(tc, test_watch_blind_escalate_ack_resume);
	tcase_add_test(tc, test_watch_resumes_events_from_journal);
	tcase_add_test(tc, test_events_backoff_bound);
	tcase_add_test(tc, test_watch_on_tick);
	tcase_add_test(tc, test_notify_webhook_secret_not_in_answer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(suite());
}
