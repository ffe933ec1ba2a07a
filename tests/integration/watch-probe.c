/* watch-probe.c - run the watch (lib/run/watch.h) against the world the way
 * the driver will: a session, a journal in RUN_DIR, the drill at T+0, then
 * poll() on the events descriptor between rounds, until SIGTERM.
 *   watch-probe RUN_DIR INTERVAL_MS
 * The target is WM_CONFIG's default; tests/integration/watch-world.test
 * injects faults and reads the journal. */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/duration.h"
#include "run/watch.h"

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
say(void *arg, enum wm_log_level level, const char *msg)
{
	(void)arg;
	(void)level;
	fprintf(stderr, "watch-probe: %s\n", msg);
}

int
main(int argc, char **argv)
{
	struct wm_session_opts so = {.log = say, .timeout_ms = 10000};
	struct wm_watch_opts wo = {0};
	struct wm_journal_state st;
	struct wm_clock clk;
	struct wm_err e = {0};
	struct wm_session *s;
	struct wm_journal *j;
	struct wm_watch *w;
	struct wm_result *out;
	struct sigaction sa = {.sa_handler = on_term};
	int64_t next;
	cJSON *rs;

	if (argc != 3) {
		fprintf(stderr, "usage: watch-probe RUN_DIR INTERVAL_MS\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	wm_clock_init_real(&clk);
	if (!(s = wm_session_open(&so, &e)) || !(j = wm_journal_open(argv[1], &clk, &st, &e))) {
		fprintf(stderr, "watch-probe: %s\n", e.msg);
		return 1;
	}
	rs = cJSON_CreateObject();
	cJSON_AddNumberToObject(rs, "start_wall_ms", (double)clk.start_wall_ms);
	cJSON_AddNumberToObject(rs, "scale", 1);
	cJSON_AddStringToObject(rs, "digest", "watch-probe");
	if (!st.started && wm_journal_append(j, "run_start", rs, &e)) {
		fprintf(stderr, "watch-probe: %s\n", e.msg);
		return 1;
	}
	cJSON_Delete(rs);
	wm_journal_state_free(&st);
	wo.clock = &clk;
	wo.run_dir = argv[1];
	wo.interval_ms = strtol(argv[2], NULL, 10);
	if (!(w = wm_watch_new(s, &wo, j, &e))) {
		fprintf(stderr, "watch-probe: %s\n", e.msg);
		return 1;
	}
	out = wm_result_new("wm-run", PACKAGE_VERSION, "");
	if (wm_watch_drill(w, wm_clock_plan_ms(&clk), out, &e)) {
		fprintf(stderr, "watch-probe: %s\n", e.msg);
		return 1;
	}
	printf("%s %s\n", wm_state_name(out->checks[0]->state), out->checks[0]->summary);
	fflush(stdout);
	wm_result_free(out);
	next = 0;
	while (!stop) {
		struct pollfd p = {.fd = wm_watch_events_fd(w), .events = POLLIN};
		int64_t now = wm_monotonic_ms();
		int rc;

		if (now >= next) {
			rc = wm_watch_round(w, wm_clock_plan_ms(&clk), &e);
			next = now + wm_watch_interval_ms(w);
		} else if (poll(&p, p.fd >= 0 ? 1 : 0, (int)(next - now)) > 0) {
			rc = wm_watch_events(w, wm_clock_plan_ms(&clk), &e);
		} else {
			continue;
		}
		if (rc) {
			fprintf(stderr, "watch-probe: %s\n", e.msg);
			break;
		}
	}
	wm_watch_free(w);
	wm_journal_close(j);
	wm_session_close(s);
	return 0;
}
