/* check_journal.c - the run directory: lock, records, resume, torn lines, full disk. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "store/journal.h"
#include "unit.h"

#define T0 INT64_C(1795824000000)
#define H INT64_C(3600000)

static char dir[96];
static struct wm_clock_fixed fc;
static struct wm_clock clk;

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/wm-check-journal-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fc.wall_ms = T0;
	fc.mono_ms = 1000;
	wm_clock_init_fixed(&clk, &fc);
}

static void
teardown(void)
{
	wm_unit_rm_tree(dir);
}

static struct wm_journal *
open_ok(struct wm_journal_state *st)
{
	struct wm_err e = {0};
	struct wm_journal *j = wm_journal_open(dir, &clk, st, &e);

	ck_assert_msg(j != NULL, "open: %s", e.msg);
	return j;
}

/* Append type with fields given as JSON text ("" for none). */
static void
add(struct wm_journal *j, const char *type, const char *json)
{
	struct wm_err e = {0};
	cJSON *f = *json ? cJSON_Parse(json) : NULL;

	ck_assert(!*json || f);
	ck_assert_msg(wm_journal_append(j, type, f, &e) == 0, "%s: %s", type, e.msg);
	cJSON_Delete(f);
	wm_clock_fixed_advance(&fc, 10);
}

static void
tick(struct wm_journal *j, const char *rec, const char *tier, int64_t at, int attempt, int state)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "{\"tier\":\"%s\",\"at_ms\":%lld,\"attempt\":%d,\"state\":%d}",
		 tier, (long long)at, attempt, state);
	add(j, rec, buf);
}

static void
start_run(struct wm_journal *j)
{
	add(j, "run_start",
	    "{\"start_wall_ms\":1795824000000,\"scale\":60,\"digest\":\"sha256:ab\","
	    "\"target\":\"prod\"}");
}

static char *
slurp(size_t *len)
{
	char path[128], *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_FILE);
	ck_assert_int_eq(wm_file_read(path, 1 << 20, &buf, len, NULL), 0);
	return buf;
}

static void
append_raw(const char *bytes)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_FILE);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, bytes, strlen(bytes)), (ssize_t)strlen(bytes));
	close(fd);
}

START_TEST(test_records_and_state)
{
	struct wm_journal_state st;
	struct wm_journal *j = open_ok(&st);
	const struct wm_journal_tick *t;
	size_t len;
	char *buf;

	ck_assert_int_eq(st.records, 0);
	start_run(j);
	tick(j, "tick_start", "full", 0, 1, 0);
	add(j, "result",
	    "{\"tier\":\"full\",\"at_ms\":0,\"result\":{\"state\":\"OK\",\"checks\":[]}}");
	tick(j, "tick_end", "full", 0, 1, 1);
	add(j, "notify", "{\"key\":\"inc-1/open/1\",\"channel\":\"hook\"}");
	add(j, "note", "{\"text\":\"all quiet\",\"user_issue\":false}");
	add(j, "tick_missed", "{\"tier\":\"quick\",\"at_ms\":3600000}");
	ck_assert_int_eq(wm_journal_seq(j), 7);
	wm_journal_close(j);
	wm_journal_state_free(&st);

	buf = slurp(&len);
	ck_assert_ptr_nonnull(strstr(buf, "{\"v\":1,\"seq\":1,\"type\":\"run_start\",\"wall_ms\":"
					  "1795824000000,\"mono_ms\":1000,\"start_wall_ms\":"));
	ck_assert_ptr_nonnull(strstr(buf, "{\"v\":1,\"seq\":6,\"type\":\"note\",\"wall_ms\":"
					  "1795824000050,\"mono_ms\":1050,\"text\":\"all quiet\""));
	free(buf);

	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, NULL), 0);
	ck_assert_int_eq(st.records, 7);
	ck_assert_int_eq(st.last_seq, 7);
	ck_assert(st.started && !st.ended);
	ck_assert_int_eq(st.scale, 60);
	ck_assert_int_eq(st.start_wall_ms, T0);
	ck_assert_str_eq(st.digest, "sha256:ab");
	ck_assert_int_eq(st.torn_bytes, 0);
	t = wm_journal_tick(&st, "full", 0);
	ck_assert(t && t->ended && t->attempts == 1 && t->state == 1);
	ck_assert(wm_journal_settled("full", 0, &st));
	ck_assert(wm_journal_settled("quick", H, &st)); /* missed */
	ck_assert(!wm_journal_settled("quick", 2 * H, &st));
	ck_assert(wm_journal_notified(&st, "inc-1/open/1"));
	ck_assert(!wm_journal_notified(&st, "inc-1/open/2"));
	wm_journal_state_free(&st);
}
END_TEST

START_TEST(test_second_driver_refused)
{
	struct wm_err e = {0};
	struct wm_journal *j = open_ok(NULL), *k;
	char pid[32];

	k = wm_journal_open(dir, &clk, NULL, &e);
	ck_assert_ptr_null(k);
	ck_assert_int_eq(e.code, WM_EBUSY);
	snprintf(pid, sizeof(pid), "pid %ld", (long)getpid());
	ck_assert_msg(strstr(e.msg, pid) != NULL, "%s", e.msg);
	wm_journal_close(j);
	k = open_ok(NULL); /* released on close */
	wm_journal_close(k);
}
END_TEST

START_TEST(test_killed_tick_attempted_again)
{
	struct wm_journal_state st;
	struct wm_journal *j = open_ok(NULL);
	struct wm_err e = {0};

	start_run(j);
	tick(j, "tick_start", "full", 0, 1, 0);
	wm_journal_close(j); /* killed midway */
	j = open_ok(&st);
	ck_assert_int_eq(wm_journal_tick(&st, "full", 0)->attempts, 1);
	ck_assert(!wm_journal_settled("full", 0, &st));
	wm_journal_state_free(&st);
	tick(j, "tick_start", "full", 0, 2, 0);
	tick(j, "tick_end", "full", 0, 2, 0);
	wm_journal_close(j);
	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, &e), 0);
	ck_assert_int_eq(wm_journal_tick(&st, "full", 0)->attempts, 2);
	ck_assert(wm_journal_settled("full", 0, &st));
	wm_journal_state_free(&st);
}
END_TEST

START_TEST(test_torn_last_line)
{
	struct wm_journal_state st;
	struct wm_journal *j = open_ok(NULL);
	static const char torn[] = "{\"v\":1,\"seq\":3,\"type\":\"tick_end\",\"wall";
	char *buf, want[64];
	size_t len;

	start_run(j);
	tick(j, "tick_start", "full", 0, 1, 0);
	wm_journal_close(j);
	append_raw(torn); /* kill -9 mid-write */
	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, NULL), 0);
	ck_assert_int_eq(st.records, 2);
	ck_assert_int_eq(st.torn_bytes, strlen(torn));
	wm_journal_state_free(&st);

	j = open_ok(&st); /* cuts it and says so */
	ck_assert_int_eq(st.torn_bytes, strlen(torn));
	wm_journal_state_free(&st);
	tick(j, "tick_start", "full", 0, 2, 0);
	wm_journal_close(j);
	buf = slurp(&len);
	ck_assert_ptr_null(strstr(buf, "\"wall{"));
	ck_assert_ptr_nonnull(strstr(buf, "\"type\":\"repair\""));
	snprintf(want, sizeof(want), "\"dropped_bytes\":%zu}\n", strlen(torn));
	ck_assert_ptr_nonnull(strstr(buf, want));
	free(buf);
	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, NULL), 0);
	ck_assert_int_eq(st.records, 4);
	ck_assert_int_eq(st.torn_bytes, 0);
	wm_journal_state_free(&st);
}
END_TEST

START_TEST(test_torn_first_record)
{
	static const char torn[] = "{\"v\":1,\"seq\":1,\"type\":\"run_st";
	struct wm_journal_state st;
	struct wm_journal *j;

	ck_assert_int_eq(mkdir(dir, 0700) == 0 || errno == EEXIST, 1);
	append_raw(torn);
	j = open_ok(&st);
	ck_assert_int_eq(st.records, 0);
	ck_assert_int_eq(st.torn_bytes, strlen(torn));
	wm_journal_state_free(&st);
	start_run(j); /* the run starts cleanly after all */
	wm_journal_close(j);
	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, NULL), 0);
	ck_assert_int_eq(st.records, 1);
	wm_journal_state_free(&st);
}
END_TEST

/* Invalid journals: each is named by its line. */
#define REC(seq, rest) "{\"v\":1,\"seq\":" #seq ",\"wall_ms\":1,\"mono_ms\":1," rest "}\n"
#define RS REC(1, "\"type\":\"run_start\",\"start_wall_ms\":1,\"scale\":1,\"digest\":\"d\"")
#define TK(seq, type, attempt)                                                                     \
	REC(seq, "\"type\":\"" type "\",\"tier\":\"quick\",\"at_ms\":0,\"attempt\":" #attempt      \
		 ",\"state\":0")

START_TEST(test_invalid_journals)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {REC(1, "\"type\":\"note\""), "line 1: the first record is not run_start"},
	    {"[]\n", "line 1: not a JSON object"},
	    {"{\"v\":1} x\n", "line 1: not one JSON value"},
	    {RS "\n", "line 2: not one JSON value"},
	    {"{\"v\":2,\"seq\":1,\"type\":\"run_start\",\"wall_ms\":1,\"mono_ms\":1}\n",
	     "line 1: no \"v\""},
	    {RS REC(3, "\"type\":\"note\""), "line 2: \"seq\""},
	    {RS REC(2, "\"type\":\"Note\""), "line 2: no valid \"type\""},
	    {RS "{\"v\":1,\"seq\":2,\"type\":\"note\",\"wall_ms\":1.5,\"mono_ms\":1}\n",
	     "line 2: \"wall_ms\""},
	    {RS TK(2, "tick_start", 1) TK(3, "tick_end", 1) TK(4, "tick_end", 1),
	     "line 4: a record for a tick that already ended"},
	    {RS TK(2, "tick_end", 1), "line 2: tick_end without its tick_start"},
	    {RS TK(2, "tick_start", 1) TK(3, "tick_start", 3),
	     "line 3: tick_start's attempt is not the next one"},
	    {RS TK(2, "tick_start", 1) TK(3, "tick_missed", 0) TK(4, "tick_end", 1),
	     "line 4: a record for a tick that already ended or was missed"},
	    {RS REC(2, "\"type\":\"tick_start\",\"tier\":\"quick\""),
	     "line 2: a tick record needs"},
	    {RS RS, "line 2: \"seq\""},
	    {RS REC(2, "\"type\":\"run_start\",\"start_wall_ms\":1,\"scale\":1,\"digest\":\"d\""),
	     "line 2: a second run_start"},
	    {RS REC(2, "\"type\":\"notify\""), "line 2: notify needs"},
	    {REC(1, "\"type\":\"run_start\",\"start_wall_ms\":1,\"scale\":0,\"digest\":\"d\""),
	     "line 1: run_start needs"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct wm_journal_state st;
		struct wm_err e = {0};
		const char *t = bad[i].text;

		ck_assert_int_eq(wm_journal_read_mem(t, strlen(t), &st, NULL, NULL, &e), -1);
		ck_assert_int_eq(e.code, WM_EPROTO);
		ck_assert_msg(strstr(e.msg, bad[i].msg) != NULL, "case %zu: '%s' lacks '%s'\n%s", i,
			      e.msg, bad[i].msg, t);
		wm_journal_state_free(&st);
	}
	/* The same records, in a valid order, read fine. */
	{
		static const char ok[] = RS TK(2, "tick_start", 1) TK(3, "tick_start", 2)
		    TK(4, "tick_end", 2) REC(5, "\"type\":\"future_kind\",\"x\":[1]");
		struct wm_journal_state st;
		struct wm_err e = {0};

		ck_assert_int_eq(wm_journal_read_mem(ok, strlen(ok), &st, NULL, NULL, &e), 0);
		ck_assert_int_eq(st.records, 5);
		ck_assert_int_eq(st.valid_bytes, strlen(ok));
		wm_journal_state_free(&st);
	}
}
END_TEST

START_TEST(test_refused_fields)
{
	struct wm_journal *j = open_ok(NULL);
	struct wm_err e = {0};
	cJSON *f = cJSON_Parse("{\"seq\":9}"), *arr = cJSON_CreateArray();

	start_run(j);
	ck_assert_int_eq(wm_journal_append(j, "note", f, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert_int_eq(wm_journal_append(j, "Note", NULL, &e), -1);
	ck_assert_int_eq(wm_journal_append(j, "", NULL, &e), -1);
	ck_assert_int_eq(wm_journal_append(j, "note\",\"x", NULL, &e), -1);
	ck_assert_int_eq(wm_journal_append(j, "note", arr, &e), -1);
	ck_assert_int_eq(wm_journal_seq(j), 1); /* nothing written */
	ck_assert_int_eq(wm_journal_append(j, "stop", NULL, &e), 0);
	ck_assert_int_eq(wm_journal_seq(j), 2);
	cJSON_Delete(f);
	cJSON_Delete(arr);
	wm_journal_close(j);
}
END_TEST

/* A full disk, simulated by a file size limit just above the journal. */
START_TEST(test_full_disk_stops)
{
	struct wm_journal_state st;
	struct wm_journal *j = open_ok(NULL);
	struct wm_err e = {0};
	struct rlimit rl;
	char big[2048];
	struct stat sb;
	char path[128];
	cJSON *f;

	start_run(j);
	tick(j, "tick_start", "full", 0, 1, 0);
	snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_FILE);
	ck_assert_int_eq(stat(path, &sb), 0);
	signal(SIGXFSZ, SIG_IGN); /* EFBIG instead of a kill (this test runs forked) */
	rl.rlim_cur = rl.rlim_max = (rlim_t)sb.st_size + 1000;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "text", big);
	ck_assert_int_eq(wm_journal_append(j, "note", f, &e), -1);
	ck_assert_int_eq(e.code, WM_EIO);
	ck_assert_msg(strstr(e.msg, "File too large") != NULL, "%s", e.msg);
	cJSON_Delete(f);
	/* No half record left, and no later record slips in silently. */
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(wm_journal_append(j, "stop", NULL, &e), -1);
	ck_assert_int_eq(e.code, WM_EIO);
	wm_journal_close(j);
	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, &e), 0);
	ck_assert_int_eq(st.records, 2);
	ck_assert_int_eq(st.torn_bytes, 0);
	ck_assert_int_eq(st.valid_bytes, (size_t)sb.st_size);
	wm_journal_state_free(&st);
}
END_TEST

/* A real full disk: a 16 KiB tmpfs, when this process may mount one (root);
 * otherwise the file size limit above stands in for it. */
START_TEST(test_tmpfs_full_stops)
{
	struct wm_journal_state st;
	struct wm_journal *j;
	struct wm_err e = {0};
	char fs[sizeof(dir)], big[1024];
	int i, rc = 0;
	cJSON *f;

	ck_assert_int_lt(snprintf(fs, sizeof(fs) - 4, "%s/fs", dir), (int)sizeof(fs) - 4);
	ck_assert_int_eq(mkdir(fs, 0700), 0);
	if (mount("tmpfs", fs, "tmpfs", 0, "size=16k,mode=0700") != 0)
		return; /* not allowed here: covered by test_full_disk_stops */
	snprintf(dir, sizeof(dir), "%s", fs); /* open_ok uses dir */
	j = open_ok(NULL);
	start_run(j);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "text", big);
	for (i = 0; i < 64 && (rc = wm_journal_append(j, "note", f, &e)) == 0; i++)
		;
	cJSON_Delete(f);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(e.code, WM_EIO);
	ck_assert_msg(strstr(e.msg, "No space left on device") != NULL, "%s", e.msg);
	ck_assert_int_lt(i, 16); /* it did fill up */
	ck_assert_int_eq(wm_journal_append(j, "stop", NULL, &e), -1);
	wm_journal_close(j);
	ck_assert_int_eq(wm_journal_read(fs, &st, NULL, NULL, &e), 0);
	ck_assert_int_eq(st.records, 1 + i);
	ck_assert_int_eq(st.torn_bytes, 0);
	wm_journal_state_free(&st);
	ck_assert_int_eq(umount2(fs, MNT_DETACH), 0);
	*strrchr(dir, '/') = '\0'; /* teardown removes the test's directory */
}
END_TEST

static int
collect(const cJSON *rec, void *ctx)
{
	char *types = ctx;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "type");

	strncat(types, t->valuestring, 200 - strlen(types) - 2);
	strncat(types, " ", 200 - strlen(types) - 1);
	return strcmp(t->valuestring, "ack") == 0 ? 7 : 0;
}

START_TEST(test_replay_callback)
{
	struct wm_journal_state st;
	struct wm_journal *j = open_ok(NULL);
	char types[200] = "";

	start_run(j);
	add(j, "incident", "{\"id\":\"i1\",\"event\":\"open\"}");
	add(j, "ack", "{\"id\":\"i1\",\"user\":\"ops\"}");
	add(j, "incident", "{\"id\":\"i1\",\"event\":\"resolve\"}");
	wm_journal_close(j);
	ck_assert_int_eq(wm_journal_read(dir, &st, collect, types, NULL), 7);
	ck_assert_str_eq(types, "run_start incident ack ");
	wm_journal_state_free(&st);
}
END_TEST

START_TEST(test_missing_and_unreadable)
{
	struct wm_journal_state st;
	struct wm_err e = {0};

	ck_assert_int_eq(wm_journal_read("/nonexistent/run", &st, NULL, NULL, &e), 0);
	ck_assert_int_eq(st.records, 0);
	ck_assert_ptr_null(wm_journal_open("/nonexistent/run", &clk, NULL, &e));
	ck_assert_int_eq(e.code, WM_EIO);
}
END_TEST

/* A run directory whose lock path fits in the 4096-byte buffers but whose
 * journal path does not: refused, never opened under a cut name. */
START_TEST(test_dir_name_too_long)
{
	char longdir[4096];
	size_t n = (size_t)snprintf(longdir, sizeof(longdir), "%s", dir);
	struct wm_err e = {0};

	while (n < 4085) { /* + "/lock" fits, + "/journal.jsonl" does not */
		size_t part = 4085 - n - 1 > 200 ? 200 : 4085 - n - 1;

		longdir[n++] = '/';
		memset(longdir + n, 'd', part);
		n += part;
		longdir[n] = '\0';
		ck_assert_msg(mkdir(longdir, 0700) == 0, "mkdir: %s", strerror(errno));
	}
	ck_assert_uint_eq(strlen(longdir), 4085);
	ck_assert_ptr_null(wm_journal_open(longdir, &clk, NULL, &e));
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert_str_eq(e.msg, "run directory name too long");
}
END_TEST

START_TEST(test_schedule_over_journal)
{
	struct wm_schedule *p = malloc(sizeof(*p));
	struct wm_journal_state st;
	struct wm_journal *j = open_ok(NULL);
	struct wm_due d[8];

	wm_schedule_default(p);
	start_run(j);
	tick(j, "tick_start", "full", 0, 1, 0);
	tick(j, "tick_end", "full", 0, 1, 0);
	tick(j, "tick_start", "quick", H, 1, 0); /* killed midway */
	wm_journal_close(j);
	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, NULL), 0);
	ck_assert_int_eq(wm_schedule_due(p, H + 60000, wm_journal_settled, &st, d, 8), 2);
	ck_assert_int_eq(d[0].at_ms, H);
	ck_assert_str_eq(p->tier[d[0].tier].name, "quick");
	ck_assert_int_eq(wm_journal_tick(&st, "quick", H)->attempts + 1, 2); /* attempt 2 next */
	wm_journal_state_free(&st);
	free(p);
}
END_TEST

START_TEST(test_run_dir)
{
	char buf[256], want[160];
	struct wm_err e = {0};
	struct stat sb;

	setenv("WM_STATE_DIR", dir, 1);
	ck_assert_int_eq(
	    wm_journal_run_dir(NULL, "prod/../x", T0 + 13 * 60000 + 41500, buf, sizeof(buf), &e),
	    0);
	snprintf(want, sizeof(want), "%s/runs/prod_.._x/20261128T001341Z", dir);
	ck_assert_str_eq(buf, want);
	*strrchr(buf, '/') = '\0';
	ck_assert_int_eq(stat(buf, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	ck_assert_int_eq(wm_journal_run_dir(NULL, NULL, T0, buf, sizeof(buf), &e), 0);
	ck_assert_ptr_nonnull(strstr(buf, "/runs/local/20261128T000000Z"));
	ck_assert_int_eq(wm_journal_run_dir(NULL, NULL, T0, buf, 20, &e), -1);
	/* The configuration's state_dir wins over the environment. */
	snprintf(want, sizeof(want), "%s/conf", dir);
	ck_assert_int_eq(wm_journal_run_dir(want, "prod", T0, buf, sizeof(buf), &e), 0);
	ck_assert_ptr_nonnull(strstr(buf, "/conf/runs/prod/20261128T000000Z"));
	*strrchr(buf, '/') = '\0';
	ck_assert_int_eq(stat(buf, &sb), 0);
}
END_TEST

START_TEST(test_tick_helper)
{
	struct wm_journal_state st;
	struct wm_journal *j = open_ok(NULL);
	struct wm_err e = {0};
	const struct wm_journal_tick *t;

	start_run(j);
	ck_assert_int_eq(wm_journal_append_tick(j, "tick_start", "quick", H, 1, 0, false, &e), 0);
	ck_assert_int_eq(wm_journal_append_tick(j, "tick_end", "quick", H, 1, 2, true, &e), 0);
	ck_assert_int_eq(wm_journal_append_tick(j, "tick_missed", "smoke", 4 * H, 0, 0, 0, &e), 0);
	ck_assert_int_eq(wm_journal_append_tick(j, "tick_over", "smoke", 4 * H, 0, 0, 0, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	wm_journal_close(j);
	ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, &e), 0);
	t = wm_journal_tick(&st, "quick", H);
	ck_assert(t && t->ended && t->state == 2 && t->attempts == 1);
	ck_assert(wm_journal_tick(&st, "smoke", 4 * H)->missed);
	wm_journal_state_free(&st);
}
END_TEST

static int
count_rec(const cJSON *rec, void *ctx)
{
	(void)rec;
	++*(int *)ctx;
	return 0;
}

/* The appending side refuses what the reader would call invalid, before
 * writing: a second tick_end, an end without its start; its live state and
 * hook see every record written, and only those. */
START_TEST(test_append_refuses_invalid)
{
	struct wm_err e = {0};
	struct wm_journal *j = open_ok(NULL);
	const struct wm_journal_state *st = wm_journal_state_of(j);
	size_t before, after;
	int seen = 0;
	char *buf;

	start_run(j);
	wm_journal_set_hook(j, count_rec, &seen);
	tick(j, "tick_start", "quick", H, 1, 0);
	tick(j, "tick_end", "quick", H, 1, 2);
	free(slurp(&before));
	ck_assert_int_eq(wm_journal_append_tick(j, "tick_end", "quick", H, 1, 0, false, &e), -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
	ck_assert_int_eq(wm_journal_append_tick(j, "tick_end", "smoke", 4 * H, 1, 0, false, &e),
			 -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
	buf = slurp(&after);
	free(buf);
	ck_assert_uint_eq(before, after);
	ck_assert_int_eq(seen, 2);
	ck_assert_int_eq(st->last_seq, 3);
	ck_assert(wm_journal_tick(st, "quick", H)->ended);
	ck_assert_int_eq(wm_journal_tick(st, "quick", H)->state, 2);
	ck_assert_int_ge(wm_journal_tick(st, "quick", H)->end_wall_ms, T0);
	tick(j, "tick_start", "smoke", 4 * H, 1, 0);
	ck_assert_int_eq(wm_journal_seq(j), 4);
	wm_journal_close(j);
}
END_TEST

/* A compressed day with 20 kill -9 moments: every 10 minutes a driver opens
 * the run, journals what is due (missed, or start/result/notify/end), closes;
 * at 20 pseudo-random steps it dies after some records, its last one cut at
 * a random byte.  The restarts must leave a valid journal where every tick of
 * the plan is settled, none has two ends, and no notification key repeats. */
START_TEST(test_day_with_kills)
{
	struct wm_schedule *p = malloc(sizeof(*p));
	uint32_t rnd = 20261129;
	bool kill_at[24 * 6 + 1] = {false};
	int kills = 0, notifies = 0;
	char path[128];

#define RND() (rnd = rnd * 1103515245u + 12345u, (rnd >> 16) & 0x7fff)
	wm_schedule_default(p);
	snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_FILE);
	while (kills < 20) {
		int s = (int)(RND() % (24 * 6 + 1));

		kills += !kill_at[s];
		kill_at[s] = true;
	}
	for (int step = 0; step <= 24 * 6; step++) {
		struct wm_journal_state st;
		struct wm_journal *j;
		struct wm_due d[64];
		int budget = kill_at[step] ? (int)(RND() % 6) : 1 << 30;
		size_t n;

		fc.wall_ms = T0 + step * 10 * 60000;
		j = open_ok(&st);
		if (!st.started)
			start_run(j);
		n = wm_schedule_due(p, step * 10 * 60000, wm_journal_settled, &st, d, 64);
		ck_assert(n <= 64);
		for (size_t i = 0; i < n && budget > 0; i++) {
			const char *tier = p->tier[d[i].tier].name;
			const struct wm_journal_tick *t = wm_journal_tick(&st, tier, d[i].at_ms);
			int attempt = t ? t->attempts + 1 : 1;
			char key[64];

			if (d[i].status == WM_TICK_MISSED) {
				ck_assert_int_eq(wm_journal_append_tick(j, "tick_missed", tier,
									d[i].at_ms, 0, 0, false,
									NULL),
						 0);
				budget--;
				continue;
			}
			ck_assert_int_eq(wm_journal_append_tick(j, "tick_start", tier, d[i].at_ms,
								attempt, 0, false, NULL),
					 0);
			if (--budget <= 0)
				break;
			add(j, "result", "{\"result\":{\"state\":\"OK\",\"checks\":[]}}");
			snprintf(key, sizeof(key), "K/%s/%lld", tier, (long long)d[i].at_ms);
			if (!wm_journal_notified(&st, key)) {
				char f[96];

				snprintf(f, sizeof(f), "{\"key\":\"%s\"}", key);
				add(j, "notify", f);
				notifies++;
			}
			if (--budget <= 0)
				break;
			ck_assert_int_eq(wm_journal_append_tick(j, "tick_end", tier, d[i].at_ms,
								attempt, 0,
								d[i].status == WM_TICK_LATE, NULL),
					 0);
			budget--;
		}
		wm_journal_state_free(&st);
		wm_journal_close(j);
		if (kill_at[step]) { /* kill -9 in the middle of the last write */
			struct stat sb;
			char *buf;
			size_t len, last;

			buf = slurp(&len);
			for (last = len - 1; last > 0 && buf[last - 1] != '\n'; last--)
				;
			free(buf);
			ck_assert_int_eq(stat(path, &sb), 0);
			ck_assert_int_eq(truncate(path, (off_t)(last + RND() % (len - last))), 0);
		}
	}
	{
		struct wm_journal_state st;
		struct wm_err e = {0};
		char *buf;
		size_t len, sent = 0;

		ck_assert_int_eq(wm_journal_read(dir, &st, NULL, NULL, &e), 0);
		for (size_t i = 0; i < p->n_tiers; i++)
			for (size_t k = 0; k < p->tier[i].n_at; k++)
				ck_assert_msg(
				    wm_journal_settled(p->tier[i].name, p->tier[i].at[k], &st),
				    "%s@%lld not settled", p->tier[i].name,
				    (long long)p->tier[i].at[k]);
		/* Every key sent once: what the journal kept equals what it lists. */
		buf = slurp(&len);
		for (const char *q = buf; (q = strstr(q, "\"type\":\"notify\"")); q++)
			sent++;
		free(buf);
		ck_assert_int_eq(sent, st.n_keys);
		ck_assert_int_le(sent, notifies);
		wm_journal_state_free(&st);
	}
	free(p);
#undef RND
}
END_TEST

static Suite *
journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_records_and_state);
	tcase_add_test(tc, test_append_refuses_invalid);
	tcase_add_test(tc, test_second_driver_refused);
	tcase_add_test(tc, test_killed_tick_attempted_again);
	tcase_add_test(tc, test_torn_last_line);
	tcase_add_test(tc, test_torn_first_record);
	tcase_add_test(tc, test_invalid_journals);
	tcase_add_test(tc, test_refused_fields);
	tcase_add_test(tc, test_full_disk_stops);
	tcase_add_test(tc, test_tmpfs_full_stops);
	tcase_add_test(tc, test_replay_callback);
	tcase_add_test(tc, test_missing_and_unreadable);
	tcase_add_test(tc, test_dir_name_too_long);
	tcase_add_test(tc, test_schedule_over_journal);
	tcase_add_test(tc, test_run_dir);
	tcase_add_test(tc, test_tick_helper);
	tcase_add_test(tc, test_day_with_kills);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(journal_suite());
}
