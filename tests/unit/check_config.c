/* check_config.c - configuration: search order, syntax errors, warnings,
 * targets and precedence, thresholds, host specs, secrets files, redaction. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "base/file.h"
#include "unit.h"

#define FIX WM_TEST_SRCDIR "/tests/fixtures/config/"

static char tmp[256];
static char oldcwd[PATH_MAX];

static const char *const env_vars[] = {
    "WM_CONFIG", "WM_TARGET",	"XDG_CONFIG_HOME", "DOCKER_HOST",    "COMPOSE_PROJECT_NAME",
    "WM_REDIS",	 "WM_POSTGRES", "WM_BASE_URL",	   "WM_METRICS_URL", "WM_TEST_SECRET",
};

/* Each test: no configuration anywhere, HOME and cwd in a fresh directory
 * named like a compose project. */
static void
setup(void)
{
	char home[300];

	for (size_t i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++)
		unsetenv(env_vars[i]);
	ck_assert_ptr_nonnull(getcwd(oldcwd, sizeof(oldcwd)));
	snprintf(tmp, sizeof(tmp), "/tmp/warungin-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(home, sizeof(home), "%s/home", tmp);
	ck_assert_int_eq(mkdir(home, 0700), 0);
	setenv("HOME", home, 1);
	ck_assert_int_eq(chdir(tmp), 0);
}

static void
teardown(void)
{
	ck_assert_int_eq(chdir(oldcwd), 0);
	wm_unit_rm_tree(tmp);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	ck_assert_int_eq(wm_file_mkdirs(dir, 0700, NULL), 0);
	ck_assert_int_eq(wm_file_write_atomic(path, text, strlen(text), mode, NULL), 0);
}

static struct wm_config *
load_ok(const char *path)
{
	struct wm_err e = {0};
	struct wm_config *cfg = wm_config_load(path, &e);

	ck_assert_msg(cfg != NULL, "load %s: %s", path ? path : "(search)", e.msg);
	return cfg;
}

static void
load_fails(const char *path, int code, const char *msg)
{
	struct wm_err e = {0};

	ck_assert_ptr_null(wm_config_load(path, &e));
	ck_assert_int_eq(e.code, code);
	ck_assert_msg(strcmp(e.msg, msg) == 0, "got '%s', want '%s'", e.msg, msg);
}

START_TEST(test_missing_file)
{
	struct wm_err e = {0};
	struct wm_config *cfg;
	const struct wm_target *t;

	/* An explicit file that does not exist is an error... */
	ck_assert_ptr_null(wm_config_load("/nonexistent/wm.conf", &e));
	ck_assert_int_eq(e.code, WM_ECONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/wm.conf"));
	ck_assert_ptr_nonnull(strstr(e.msg, "--config"));
	setenv("WM_CONFIG", "/nonexistent/env.conf", 1);
	ck_assert_ptr_null(wm_config_load(NULL, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "WM_CONFIG"));
	unsetenv("WM_CONFIG");
	/* ...no file anywhere is not: the local host, project = cwd's name. */
	cfg = load_ok(NULL);
	ck_assert_ptr_null(wm_config_path(cfg));
	t = wm_config_target(cfg, NULL, &e);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->name, "local");
	ck_assert_ptr_null(t->host);
	ck_assert_str_eq(t->project, strrchr(tmp, '/') + 1);
	ck_assert_str_eq(t->docker_socket, "/var/run/docker.sock");
	ck_assert_uint_eq(t->nservices, 0);
	ck_assert_ptr_null(t->redis);
	ck_assert_ptr_null(wm_config_get(cfg, "general", "timeout"));
	wm_config_free(cfg);
	wm_config_free(NULL);
}
END_TEST

START_TEST(test_search_order)
{
	char xdg[PATH_MAX], home_cfg[PATH_MAX], explicit[PATH_MAX];
	struct wm_config *cfg;

	snprintf(home_cfg, sizeof(home_cfg), "%s/home/.config/warunginmon/config", tmp);
	write_file(home_cfg, "[target fromhome]\n", 0600);
	cfg = load_ok(NULL);
	ck_assert_str_eq(wm_config_path(cfg), home_cfg);
	wm_config_free(cfg);
	snprintf(xdg, sizeof(xdg), "%s/xdg/warunginmon/config", tmp);
	write_file(xdg, "[target fromxdg]\n", 0600);
	snprintf(xdg, sizeof(xdg), "%s/xdg", tmp);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	cfg = load_ok(NULL);
	ck_assert_ptr_nonnull(strstr(wm_config_path(cfg), "/xdg/warunginmon/config"));
	ck_assert_str_eq(wm_config_target(cfg, NULL, NULL)->name, "fromxdg");
	wm_config_free(cfg);
	snprintf(explicit, sizeof(explicit), "%s/env.conf", tmp);
	write_file(explicit, "[target fromenv]\n", 0600);
	setenv("WM_CONFIG", explicit, 1);
	cfg = load_ok(NULL);
	ck_assert_str_eq(wm_config_path(cfg), explicit);
	wm_config_free(cfg);
	/* --config beats $WM_CONFIG. */
	cfg = load_ok(FIX "single.conf");
	ck_assert_str_eq(wm_config_path(cfg), FIX "single.conf");
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_syntax_errors)
{
	load_fails(FIX "syntax.conf", WM_ECONFIG,
		   FIX
		   "syntax.conf:4: syntax error (expected [section], key = value or a comment)");
	load_fails(FIX "badport.conf", WM_ECONFIG,
		   FIX "badport.conf:4: port: expected a port 1-65535, got '99999'");
	load_fails(FIX "badduration.conf", WM_ECONFIG,
		   FIX "badduration.conf:2: timeout: invalid duration 'soon' "
		       "(expected e.g. 90s, 30m, 4h, 1d, 1h30m)");
	load_fails(FIX "noname.conf", WM_ECONFIG,
		   FIX "noname.conf:1: [target] needs a name, e.g. [target prod]");
	load_fails(FIX "nosection.conf", WM_ECONFIG,
		   FIX "nosection.conf:1: 'host' outside of any [section]");
	load_fails(FIX "badname.conf", WM_ECONFIG,
		   FIX "badname.conf:3: [target prod/../x]: a name may only contain letters, "
		       "digits, '.', '_' and '-'");
	load_fails(FIX "contport.conf", WM_ECONFIG,
		   FIX "contport.conf:3: port: a single value; it cannot continue on an "
		       "indented line");
}
END_TEST

START_TEST(test_long_line_and_binary)
{
	char path[PATH_MAX], text[1024];
	struct wm_err e = {0};

	snprintf(path, sizeof(path), "%s/long.conf", tmp);
	snprintf(text, sizeof(text), "[general]\n\ndefault_target = %0500d\n", 7);
	write_file(path, text, 0600);
	ck_assert_ptr_null(wm_config_load(path, &e));
	ck_assert_int_eq(e.code, WM_ECONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "long.conf:3: line longer than"));
	snprintf(text, sizeof(text), "[target %060d]\n", 7);
	write_file(path, text, 0600);
	ck_assert_ptr_null(wm_config_load(path, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "long.conf:1: section name longer than 48"));
	ck_assert_int_eq(wm_file_write_atomic(path, "[general]\0x", 11, 0600, NULL), 0);
	ck_assert_ptr_null(wm_config_load(path, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "not a text file"));
	/* A directory is not a configuration file. */
	ck_assert_ptr_null(wm_config_load(tmp, &e));
	ck_assert_int_eq(e.code, WM_ECONFIG);
}
END_TEST

/* -t NAME -H HOST keeps the target's own docker_socket (issue 11 item 12). */
START_TEST(test_hostspec_keeps_socket)
{
	char path[PATH_MAX];
	struct wm_config *cfg;
	struct wm_target *cl;

	snprintf(path, sizeof(path), "%s/sock.conf", tmp);
	write_file(path, "[target sock]\ndocker_socket = /run/user/1000/docker.sock\n", 0600);
	setenv("DOCKER_HOST", "unix:///tmp/other.sock", 1);
	cfg = load_ok(path);
	unsetenv("DOCKER_HOST");
	ck_assert_str_eq(wm_config_target(cfg, "sock", NULL)->docker_socket, "/tmp/other.sock");
	wm_config_free(cfg);
	cfg = load_ok(path);
	cl = wm_target_dup(wm_config_target(cfg, "sock", NULL));
	ck_assert_ptr_nonnull(cl);
	ck_assert_int_eq(wm_target_from_hostspec(cl, "deploy@127.0.0.2", NULL), 0);
	ck_assert_str_eq(cl->host, "127.0.0.2");
	ck_assert_str_eq(cl->docker_socket, "/run/user/1000/docker.sock");
	wm_target_free(cl);
	wm_config_free(cfg);
}
END_TEST

/* A password written into the file (issue 11 item 11): refused when others
 * may read the file, a warning otherwise. */
START_TEST(test_secret_in_config)
{
	char path[PATH_MAX];
	struct wm_err e = {0};
	struct wm_config *cfg;
	size_t n;
	const char *const *w;

	snprintf(path, sizeof(path), "%s/pw.conf", tmp);
	write_file(path, "[target a]\npostgres = host=db user=m password=hunter2\n", 0644);
	ck_assert_ptr_null(wm_config_load(path, &e));
	ck_assert_int_eq(e.code, WM_ECONFIG);
	ck_assert_msg(strstr(e.msg, "pw.conf:2: 'postgres' holds a password or token and the "
				    "file is readable by others (mode 0644); refused"),
		      "%s", e.msg);
	ck_assert_ptr_null(strstr(e.msg, "hunter2"));
	ck_assert_int_eq(chmod(path, 0640), 0); /* the group is "others" too */
	ck_assert_ptr_null(wm_config_load(path, &e));
	write_file(path, "[target a]\nredis = redis://:hunter2@127.0.0.1:6379\n", 0644);
	ck_assert_ptr_null(wm_config_load(path, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "'redis' holds"));
	ck_assert_int_eq(chmod(path, 0600), 0);
	cfg = load_ok(path);
	w = wm_config_warnings(cfg, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(w[0], "pw.conf:2: 'redis' holds a password or token"));
	ck_assert_ptr_null(strstr(w[0], "hunter2"));
	wm_config_free(cfg);
	/* no secret, mode 0644: nothing to say; patterns are words, not secrets */
	write_file(path,
		   "[target a]\npostgres = host=db user=m\npostgres_password_file = ~/pw\n"
		   "[errors backend]\nerror_pattern = token: invalid\n",
		   0644);
	cfg = load_ok(path);
	wm_config_warnings(cfg, &n);
	ck_assert_uint_eq(n, 0);
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_writable_config_warned)
{
	char path[PATH_MAX];
	struct wm_config *cfg;
	size_t n;
	const char *const *w;

	snprintf(path, sizeof(path), "%s/open.conf", tmp);
	write_file(path, "[target a]\n", 0666);
	cfg = load_ok(path);
	w = wm_config_warnings(cfg, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(w[0], "open.conf: writable by anyone (mode 0666)"));
	wm_config_free(cfg);
	ck_assert_int_eq(chmod(path, 0664), 0); /* umask 002 is common: not warned */
	cfg = load_ok(path);
	wm_config_warnings(cfg, &n);
	ck_assert_uint_eq(n, 0);
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_unknown_keys_warned)
{
	struct wm_config *cfg = load_ok(FIX "unknown.conf");
	size_t n;
	const char *const *w = wm_config_warnings(cfg, &n);

	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(w[0], FIX "unknown.conf:2: unknown key 'colour' in [general]");
	ck_assert_str_eq(w[1], FIX "unknown.conf:5: unknown section [frobnicate]");
	ck_assert_str_eq(w[2], FIX "unknown.conf:9: unknown key 'hots' in [target prod]");
	ck_assert_ptr_null(w[3]);
	/* The known keys still count. */
	ck_assert_str_eq(wm_config_get(cfg, "general", "timeout"), "10s");
	ck_assert_str_eq(wm_config_target(cfg, "prod", NULL)->host, "127.0.0.1");
	ck_assert_ptr_null(wm_config_get(cfg, "general", "colour"));
	wm_config_free(cfg);
	cfg = load_ok(FIX "full.conf");
	w = wm_config_warnings(cfg, &n);
	ck_assert_msg(n == 0, "unexpected warning: %s", w[0]);
	wm_config_free(cfg);
}
END_TEST

/* An indented line continues the previous value (a long conninfo); an
 * indented "key = value" is almost certainly a mistake and is warned about. */
START_TEST(test_continuation)
{
	struct wm_config *cfg = load_ok(FIX "indented.conf");
	const struct wm_target *t = wm_config_target(cfg, "prod", NULL);
	size_t n;
	const char *const *w = wm_config_warnings(cfg, &n);

	ck_assert_str_eq(t->postgres, "host=127.0.0.1 port=5432 dbname=warungin user=monitor");
	ck_assert_str_eq(t->host, "127.0.0.1 user = deploy");
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(w[0], FIX "indented.conf:5: indented line continues the value of "
				   "'host'; do not indent keys");
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_full_target)
{
	struct wm_config *cfg = load_ok(FIX "full.conf");
	const struct wm_target *t = wm_config_target(cfg, "prod", NULL);
	char want[PATH_MAX];

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->host, "prod.example.test");
	ck_assert_str_eq(t->user, "deploy");
	ck_assert_int_eq(t->port, 2222);
	snprintf(want, sizeof(want), "%s/home/.ssh/id_prod", tmp);
	ck_assert_str_eq(t->identity, want); /* ~ expanded */
	ck_assert_str_eq(t->known_hosts, "/etc/warunginmon/known_hosts");
	ck_assert_str_eq(t->docker_socket, "/run/docker.sock");
	ck_assert_str_eq(t->project, "warungin");
	/* A continuation line and a repeated list key both add to the list. */
	ck_assert_uint_eq(t->nservices, 6);
	ck_assert_str_eq(t->services[0], "postgres");
	ck_assert_str_eq(t->services[3], "frontend");
	ck_assert_str_eq(t->services[4], "nginx");
	ck_assert_str_eq(t->services[5], "loki");
	ck_assert_ptr_null(t->services[6]);
	ck_assert_str_eq(t->redis, "127.0.0.1:6379");
	ck_assert_str_eq(t->postgres, "host=127.0.0.1 port=5432 dbname=warungin user=monitor");
	snprintf(want, sizeof(want), "%s/home/.config/warunginmon/pg.pass", tmp);
	ck_assert_str_eq(t->postgres_password_file, want);
	ck_assert_str_eq(t->base_url, "https://warungin.example.test");
	ck_assert_str_eq(t->metrics_url, "http://127.0.0.1:3000/metrics");
	ck_assert_uint_eq(t->nnever_shrink, 3);
	ck_assert_str_eq(t->never_shrink[2], "orders");
	ck_assert_uint_eq(t->ndisk_paths, 2);
	ck_assert_str_eq(t->disk_paths[1], "/var/lib/docker");
	ck_assert_str_eq(t->section, "target prod");
	ck_assert_str_eq(wm_config_get(cfg, t->section, "tls_verify"), "yes");
	/* Section names are compared with blanks folded and quotes dropped. */
	ck_assert_str_eq(wm_config_get(cfg, "target  staging", "host"), "127.0.0.1");
	ck_assert_str_eq(wm_config_get(cfg, "role oncall", "contacts"),
			 "ops@example.test, lead@example.test, cto@example.test");
	ck_assert_str_eq(wm_config_get(cfg, "step  health", "url"), "/health");
	ck_assert_ptr_null(wm_config_get(cfg, "step health", "nope"));
	ck_assert_ptr_null(wm_config_get(cfg, "nope", "url"));
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_parse_from_memory)
{
	static const char text[] = "[target a]\nhost = ::1\n[target b]\nport = x\n";
	struct wm_err e = {0};
	struct wm_config *cfg = wm_config_parse("mem", text, 22, &e); /* the first target */

	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(wm_config_path(cfg), "mem");
	ck_assert_str_eq(wm_config_target(cfg, NULL, &e)->host, "::1");
	wm_config_free(cfg);
	ck_assert_ptr_null(wm_config_parse("mem", text, sizeof(text) - 1, &e));
	ck_assert_str_eq(e.msg, "mem:4: port: expected a port 1-65535, got 'x'");
	cfg = wm_config_parse(NULL, NULL, 0, &e);
	ck_assert_str_eq(wm_config_target(cfg, NULL, &e)->name, "local");
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_typed_access)
{
	struct wm_config *cfg = load_ok(FIX "full.conf");
	int64_t ms = -1;
	char **list;
	size_t n;

	ck_assert(wm_config_bool(cfg, "target prod", "tls_verify", false));
	ck_assert(!wm_config_bool(cfg, "target staging", "tls_verify", false));
	ck_assert(wm_config_bool(cfg, "target staging", "tls_verify", true));
	ck_assert_int_eq(wm_config_duration(cfg, "general", "timeout", &ms), 0);
	ck_assert_int_eq(ms, 30000);
	ck_assert_int_eq(wm_config_duration(cfg, "smoke", "timeout", &ms), 1);
	ck_assert_int_eq(ms, 30000);
	ck_assert_int_eq(wm_config_list(cfg, "role oncall", "contacts", &list, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(list[1], "lead@example.test");
	ck_assert_ptr_null(list[3]);
	wm_config_list_free(list);
	ck_assert_int_eq(wm_config_list(cfg, "smoke", "nope", &list, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(list);
	wm_config_list_free(NULL);
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_target_selection)
{
	struct wm_config *cfg = load_ok(FIX "full.conf");
	struct wm_err e = {0};
	size_t n;
	const char *const *names = wm_config_target_names(cfg, &n);

	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "prod");
	ck_assert_str_eq(names[1], "staging");
	ck_assert_str_eq(names[2], "local");
	/* default_target, then $WM_TARGET over it, then the name over both. */
	ck_assert_str_eq(wm_config_target(cfg, NULL, &e)->name, "staging");
	setenv("WM_TARGET", "local", 1);
	ck_assert_str_eq(wm_config_target(cfg, NULL, &e)->name, "local");
	ck_assert_str_eq(wm_config_target(cfg, "prod", &e)->name, "prod");
	ck_assert_ptr_null(wm_config_target(cfg, "prd", &e));
	ck_assert_int_eq(e.code, WM_ECONFIG);
	ck_assert_str_eq(e.msg, "unknown target 'prd' (known: prod, staging, local)");
	unsetenv("WM_TARGET");
	wm_config_free(cfg);
	/* The only target of a file is the default. */
	cfg = load_ok(FIX "single.conf");
	ck_assert_str_eq(wm_config_target(cfg, NULL, &e)->name, "only");
	ck_assert_str_eq(wm_config_target(cfg, "local", &e)->name, "local");
	wm_config_free(cfg);
	/* An empty $WM_TARGET counts as unset. */
	setenv("WM_TARGET", "", 1);
	cfg = load_ok(FIX "single.conf");
	ck_assert_str_eq(wm_config_target(cfg, NULL, &e)->name, "only");
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_target_several_no_default)
{
	char path[PATH_MAX];
	struct wm_config *cfg;

	struct wm_err e = {0};
	char want[PATH_MAX + 200];

	/* Several targets and no default: never a silent guess of "local"
	 * (issue 11 item 12); the message says how to choose. */
	snprintf(path, sizeof(path), "%s/two.conf", tmp);
	write_file(path, "[target a]\nhost = 127.0.0.1\n[target b]\nhost = ::1\n", 0600);
	cfg = load_ok(path);
	ck_assert_ptr_null(wm_config_target(cfg, NULL, &e));
	ck_assert_int_eq(e.code, WM_ECONFIG);
	snprintf(want, sizeof(want),
		 "%s defines 2 targets (a, b) and none is chosen: name one with -t NAME, "
		 "$WM_TARGET or [general] default_target",
		 path);
	ck_assert_str_eq(e.msg, want);
	ck_assert_str_eq(wm_config_target(cfg, "b", NULL)->host, "::1");
	ck_assert_str_eq(wm_config_target(cfg, "local", NULL)->name, "local"); /* by name */
	setenv("WM_TARGET", "a", 1);
	ck_assert_str_eq(wm_config_target(cfg, NULL, NULL)->name, "a");
	unsetenv("WM_TARGET");
	wm_config_free(cfg);
	/* A file may redefine "local". */
	write_file(path, "[target a]\n[target local]\nproject = mine\n", 0600);
	cfg = load_ok(path);
	ck_assert_str_eq(wm_config_target(cfg, NULL, NULL)->project, "mine");
	ck_assert_str_eq(wm_config_target(cfg, "a", NULL)->name, "a"); /* an empty section */
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_precedence)
{
	struct wm_config *cfg;
	const struct wm_target *t;
	struct wm_target *cl;

	/* defaults < file */
	cfg = load_ok(FIX "full.conf");
	t = wm_config_target(cfg, "prod", NULL);
	ck_assert_str_eq(t->redis, "127.0.0.1:6379");
	ck_assert_str_eq(t->docker_socket, "/run/docker.sock");
	wm_config_free(cfg);
	/* file < environment */
	setenv("WM_REDIS", "/run/redis.sock", 1);
	setenv("WM_BASE_URL", "http://127.0.0.1:8080", 1);
	setenv("DOCKER_HOST", "unix:///tmp/docker.sock", 1);
	setenv("COMPOSE_PROJECT_NAME", "fromenv", 1);
	cfg = load_ok(FIX "full.conf");
	t = wm_config_target(cfg, "prod", NULL);
	ck_assert_str_eq(t->redis, "/run/redis.sock");
	ck_assert_str_eq(t->base_url, "http://127.0.0.1:8080");
	/* DOCKER_HOST and COMPOSE_PROJECT_NAME describe this machine only. */
	ck_assert_str_eq(t->docker_socket, "/run/docker.sock");
	ck_assert_str_eq(t->project, "warungin");
	t = wm_config_target(cfg, "local", NULL);
	ck_assert_str_eq(t->docker_socket, "/tmp/docker.sock");
	ck_assert_str_eq(t->project, "fromenv");
	/* environment < command line, on a copy */
	cl = wm_target_dup(wm_config_target(cfg, "prod", NULL));
	ck_assert_ptr_nonnull(cl);
	free(cl->redis);
	cl->redis = strdup("127.0.0.1:16379");
	ck_assert_int_eq(wm_target_from_hostspec(cl, "root@127.0.0.2:2200", NULL), 0);
	ck_assert_str_eq(cl->redis, "127.0.0.1:16379");
	ck_assert_str_eq(cl->host, "127.0.0.2");
	ck_assert_str_eq(cl->user, "root");
	ck_assert_int_eq(cl->port, 2200);
	ck_assert_str_eq(cl->docker_socket, "/run/docker.sock"); /* was remote: kept */
	wm_target_free(cl);
	/* -H over a local target: $DOCKER_HOST is this host's socket, not the
	 * remote engine's */
	cl = wm_target_dup(wm_config_target(cfg, "local", NULL));
	ck_assert_int_eq(wm_target_from_hostspec(cl, "127.0.0.2", NULL), 0);
	ck_assert_str_eq(cl->docker_socket, "/var/run/docker.sock");
	wm_target_free(cl);
	cl = wm_target_dup(wm_config_target(cfg, "prod", NULL));
	ck_assert_int_eq(wm_target_from_hostspec(cl, "root@127.0.0.2:2200", NULL), 0);
	ck_assert_uint_eq(cl->nservices, 6);
	ck_assert_str_eq(cl->section, "target prod");
	/* The original is untouched. */
	ck_assert_str_eq(wm_config_target(cfg, "prod", NULL)->host, "prod.example.test");
	wm_target_free(cl);
	wm_target_free(NULL);
	/* A non-unix DOCKER_HOST is ignored with a warning. */
	wm_config_free(cfg);
	setenv("DOCKER_HOST", "tcp://127.0.0.1:2375", 1);
	cfg = load_ok(NULL);
	{
		size_t n;
		const char *const *w = wm_config_warnings(cfg, &n);

		ck_assert_uint_eq(n, 1);
		ck_assert_ptr_nonnull(strstr(w[0], "DOCKER_HOST=tcp://127.0.0.1:2375"));
	}
	ck_assert_str_eq(wm_config_target(cfg, NULL, NULL)->docker_socket, "/var/run/docker.sock");
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_thresholds)
{
	struct wm_config *cfg = load_ok(FIX "full.conf");
	const struct wm_target *prod = wm_config_target(cfg, "prod", NULL);
	const struct wm_target *staging = wm_config_target(cfg, "staging", NULL);

	/* [target X] overrides [thresholds] ... */
	ck_assert_str_eq(wm_config_threshold(cfg, prod, "cache.hit_rate", false), "90:");
	ck_assert_str_eq(wm_config_threshold(cfg, prod, "cache.hit_rate", true), "70:");
	ck_assert_str_eq(wm_config_threshold(cfg, staging, "cache.hit_rate", false), "85:");
	ck_assert_str_eq(wm_config_threshold(cfg, NULL, "perf.p99", false), "~:2");
	/* ... else NULL: the program's runbook default. */
	ck_assert_ptr_null(wm_config_threshold(cfg, prod, "perf.p99", true));
	ck_assert_ptr_null(wm_config_threshold(cfg, prod, "db.p95", false));
	wm_config_free(cfg);
}
END_TEST

static void
hostspec_ok(const char *spec, const char *host, const char *user, int port)
{
	struct wm_target *t = calloc(1, sizeof(*t));
	struct wm_err e = {0};

	t->port = 22;
	ck_assert_msg(wm_target_from_hostspec(t, spec, &e) == 0, "%s: %s", spec, e.msg);
	ck_assert_str_eq(t->host, host);
	if (user)
		ck_assert_str_eq(t->user, user);
	else
		ck_assert_ptr_null(t->user);
	ck_assert_int_eq(t->port, port);
	ck_assert_str_eq(t->docker_socket, "/var/run/docker.sock");
	wm_target_free(t);
}

static void
hostspec_bad(const char *spec)
{
	struct wm_target t = {.port = 22};
	struct wm_err e = {0};

	ck_assert_msg(wm_target_from_hostspec(&t, spec, &e) == -1, "'%s' accepted", spec);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert_ptr_null(t.host);
	ck_assert_int_eq(t.port, 22);
}

START_TEST(test_hostspec)
{
	hostspec_ok("127.0.0.1", "127.0.0.1", NULL, 22);
	hostspec_ok("deploy@127.0.0.1", "127.0.0.1", "deploy", 22);
	hostspec_ok("deploy@localhost:2222", "localhost", "deploy", 2222);
	hostspec_ok("host-1.example_x.test:1", "host-1.example_x.test", NULL, 1);
	hostspec_ok("[::1]:2222", "::1", NULL, 2222);
	hostspec_ok("me@[::1]", "::1", "me", 22);
	hostspec_ok("::1", "::1", NULL, 22);
	hostspec_bad("");
	hostspec_bad("@host");
	hostspec_bad("user@");
	hostspec_bad("host:");
	hostspec_bad("host:0");
	hostspec_bad("host:65536");
	hostspec_bad("host:22x");
	hostspec_bad("host:-1");
	hostspec_bad("-oProxyCommand=x");
	hostspec_bad("ho st");
	hostspec_bad("host/x");
	hostspec_bad("a@b@c");
	hostspec_bad("[::1");
	hostspec_bad("[::1]x");
	hostspec_bad("host;id");
}
END_TEST

START_TEST(test_secret_modes)
{
	char path[PATH_MAX], buf[64];
	struct wm_err e = {0};

	snprintf(path, sizeof(path), "%s/redis.pass", tmp);
	write_file(path, "s3cret\n", 0644);
	ck_assert_int_eq(wm_secret_read(path, buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(e.code, WM_EPERM);
	ck_assert_ptr_nonnull(strstr(e.msg, "mode 0644"));
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(wm_secret_read(path, buf, sizeof(buf), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "mode 0640"));
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(wm_secret_read(path, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "s3cret"); /* one trailing newline stripped */
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_int_eq(wm_secret_read(path, buf, sizeof(buf), &e), 0);
	/* Only one newline is stripped; inner ones stay. */
	write_file(path, "a b\nc\n\n", 0600);
	ck_assert_int_eq(wm_secret_read(path, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "a b\nc\n");
	/* Too long for the buffer. */
	ck_assert_int_eq(wm_secret_read(path, buf, 4, &e), -1);
	ck_assert_int_eq(e.code, WM_ETOOBIG);
	/* ~ is the home directory (for keys read raw with wm_config_get). */
	snprintf(path, sizeof(path), "%s/home/smoke.pass", tmp);
	write_file(path, "tilde\n", 0600);
	ck_assert_int_eq(wm_secret_read("~/smoke.pass", buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "tilde");
	/* Missing, and not a regular file. */
	ck_assert_int_eq(wm_secret_read("/nonexistent/x", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(e.code, WM_ENOTFOUND);
	ck_assert_int_eq(wm_secret_read(tmp, buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(e.code, WM_EPERM);
}
END_TEST

START_TEST(test_secret_owner)
{
	char path[PATH_MAX], buf[64];
	struct wm_err e = {0};
	struct passwd *nobody = getpwnam("nobody");

	if (geteuid() != 0 || !nobody)
		return; /* only root can give a file away; see test_secret_modes */
	snprintf(path, sizeof(path), "%s/pg.pass", tmp);
	write_file(path, "pw\n", 0600);
	ck_assert_int_eq(chown(path, nobody->pw_uid, nobody->pw_gid), 0);
	ck_assert_int_eq(wm_secret_read(path, buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(e.code, WM_EPERM);
	ck_assert_ptr_nonnull(strstr(e.msg, "owned by uid"));
}
END_TEST

START_TEST(test_secret_get)
{
	char path[PATH_MAX], buf[64];
	struct wm_err e = {0};
	struct wm_target t = {.name = "prod"};

	/* Neither: no secret, not an error. */
	ck_assert_int_eq(wm_secret_get(&t, NULL, "WM_TEST_SECRET", buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "");
	/* Environment. */
	setenv("WM_TEST_SECRET", "fromenv", 1);
	ck_assert_int_eq(wm_secret_get(&t, NULL, "WM_TEST_SECRET", buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "fromenv");
	/* The file comes first. */
	snprintf(path, sizeof(path), "%s/s.pass", tmp);
	write_file(path, "fromfile\n", 0600);
	ck_assert_int_eq(wm_secret_get(&t, path, "WM_TEST_SECRET", buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "fromfile");
	/* An insecure file is an error, not a silent fall back to the environment. */
	ck_assert_int_eq(chmod(path, 0604), 0);
	ck_assert_int_eq(wm_secret_get(&t, path, "WM_TEST_SECRET", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(e.code, WM_EPERM);
	ck_assert_ptr_nonnull(strstr(e.msg, "target prod: "));
	ck_assert_str_eq(buf, "");
}
END_TEST

/* Random files from the tokens the parser cares about, and random strings to
 * redact: never a crash, a leak or a sanitizer report; a failure always says
 * FILE:LINE. */
START_TEST(test_garbage_does_not_crash)
{
	static const char *const tok[] = {
	    "[",	  "]",
	    "target",	  "general",
	    "thresholds", " prod",
	    "=",	  "host",
	    "port",	  "services",
	    " ",	  "\t",
	    "\n",	  "\n",
	    ";",	  "#",
	    "\"",	  "x",
	    "99999",	  "22",
	    ",",	  "~/",
	    ".warning",	  "password=",
	    "://u:p@",	  "Authorization: Bearer ",
	    "'",	  "\r",
	};
	unsigned seed = 4242;
	char path[PATH_MAX], text[512];
	int loaded = 0, refused = 0;

	snprintf(path, sizeof(path), "%s/fuzz.conf", tmp);
	for (int i = 0; i < 400; i++) {
		/* Half start well, so that the parser gets past the first line. */
		size_t off =
		    (size_t)snprintf(text, sizeof(text), "%s", i % 2 ? "[target p]\nhost" : "");
		struct wm_err e = {0};
		struct wm_config *cfg;
		FILE *f;

		for (int k = 0; k < 40; k++) {
			seed = seed * 1103515245u + 12345u;
			off += (size_t)snprintf(text + off, sizeof(text) - off, "%s",
						tok[(seed >> 16) % (sizeof(tok) / sizeof(tok[0]))]);
		}
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
		cfg = wm_config_load(path, &e);
		if (cfg) {
			const struct wm_target *t = wm_config_target(cfg, NULL, &e);
			struct wm_target *d = t ? wm_target_dup(t) : NULL;

			wm_target_free(d);
			wm_config_free(cfg);
			loaded++;
		} else {
			ck_assert_msg(strncmp(e.msg, path, strlen(path)) == 0, "%s", e.msg);
			refused++;
		}
		wm_redact(text);
	}
	/* Both paths were exercised. */
	ck_assert_int_gt(loaded, 10);
	ck_assert_int_gt(refused, 10);
}
END_TEST

/* The example in contrib/ loads cleanly and shows every known key. */
START_TEST(test_example_covers_every_key)
{
	struct wm_config *cfg = load_ok(WM_TEST_SRCDIR "/contrib/warunginmon.conf.example");
	const char *kind, *key, *section;
	size_t n, i;

	wm_config_warnings(cfg, &n);
	ck_assert_uint_eq(n, 0);
	for (i = 0; wm_config_known_key(i, &kind, &key) == 0; i++) {
		/* the section of the example that shows the key */
		static const char *const shown[][2] = {
		    {"target", "target prod"},	    {"errors", "errors backend"},
		    {"probe", "probe admin-2fa"},   {"step", "step login"},
		    {"role", "role security_lead"}, {"approver", "approver product_manager"},
		    {"tier", "tier quick"}};
		static const char *const http[] = {
		    "probe no-token", "probe admin-2fa", "probe login-rate-limit",
		    "step login",     "step products",	 "step frontend",
		    "step 2fa",	      "step db"};
		const char *v;

		section = kind;
		for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++)
			if (strcmp(kind, shown[s][0]) == 0)
				section = shown[s][1];
		if (wm_config_key_replaced(kind, key))
			continue; /* replaced keys are documented, no longer shown */
		if (strcmp(key, "capture") == 0)
			key = "capture token";
		v = wm_config_get(cfg, section, key);
		/* a key [probe] and [step] share may show in any of them */
		for (size_t s = 0; !v && s < sizeof http / sizeof http[0]; s++)
			if (strcmp(kind, "probe") == 0 || strcmp(kind, "step") == 0)
				v = wm_config_get(cfg, http[s], key);
		ck_assert_msg(v != NULL, "example lacks [%s] %s", kind, key);
	}
	ck_assert_uint_gt(i, 30);
	ck_assert_ptr_nonnull(wm_config_threshold(cfg, NULL, "cache.hit_rate", true));
	ck_assert_str_eq(wm_config_target(cfg, NULL, NULL)->name, "prod");
	wm_config_free(cfg);
}
END_TEST

static void
redacts(const char *in, const char *want)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", in);
	wm_redact(buf);
	ck_assert_msg(strcmp(buf, want) == 0, "redact(%s) = '%s', want '%s'", in, buf, want);
}

START_TEST(test_redact)
{
	redacts("host=db password=hunter22 user=x", "host=db password=*** user=x");
	redacts("PGPASSWORD=hunter22", "PGPASSWORD=***");
	redacts("passwd: abcdef", "passwd: ***");
	redacts("{\"password\":\"hunter22\",\"user\":\"a\"}",
		"{\"password\":\"***\",\"user\":\"a\"}");
	redacts("{\"password\": \"with space\"}", "{\"password\": \"***\"}");
	redacts("client_secret=abc&x=1", "client_secret=***&x=1");
	redacts("access_token=eyJhbGciOi.x.y;", "access_token=***;");
	redacts("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x rest",
		"Authorization: Bearer *** rest");
	redacts("authorization: basic dXNlcjpwYXNz", "authorization: basic ***");
	redacts("headers:{\"authorization\":\"Bearer eyJ.x.y\",\"origin\":\"o\"}",
		"headers:{\"authorization\":\"Bearer ***\",\"origin\":\"o\"}");
	redacts("headers:{authorization:\"Bearer ***\"}", "headers:{authorization:\"Bearer ***\"}");
	redacts("Authorization: abcdef", "Authorization: ***");
	redacts("Cookie: session=abc; theme=dark\nnext", "Cookie: ***\nnext");
	redacts("X-Api-Key: k123", "X-Api-Key: ***");
	redacts("api_key=k123 apikey: k456", "api_key=*** apikey: ***");
	redacts("pwd='x y'", "pwd='***'");
	redacts("postgres://monitor:hunter22@127.0.0.1:5432/db",
		"postgres://monitor:***@127.0.0.1:5432/db");
	redacts("postgresql://u:p@h/db", "postgresql://u:*@h/db");
	redacts("redis://:hunter22@127.0.0.1", "redis://:***@127.0.0.1");
	redacts("http://127.0.0.1:3000/metrics", "http://127.0.0.1:3000/metrics");
	redacts("postgres://monitor@127.0.0.1/db", "postgres://monitor@127.0.0.1/db");
	redacts("no secrets here: 42 errors", "no secrets here: 42 errors");
	redacts("password=", "password=");
	/* a smoke step's {{capture}} is no secret; a literal beside it is */
	redacts("Authorization: Bearer {{token}}", "Authorization: Bearer {{token}}");
	redacts("{\"password\":\"hunter22\",\"otp\":\"{{otp}}\"}",
		"{\"password\":\"***\",\"otp\":\"{{otp}}\"}");
	redacts("password={{pw}} token=abcdef", "password={{pw}} token=***");
	redacts("", "");
	wm_redact(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_search_order);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_long_line_and_binary);
	tcase_add_test(tc, test_unknown_keys_warned);
	tcase_add_test(tc, test_writable_config_warned);
	tcase_add_test(tc, test_continuation);
	tcase_add_test(tc, test_full_target);
	tcase_add_test(tc, test_parse_from_memory);
	tcase_add_test(tc, test_typed_access);
	tcase_add_test(tc, test_target_selection);
	tcase_add_test(tc, test_target_several_no_default);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_thresholds);
	tcase_add_test(tc, test_hostspec);
	tcase_add_test(tc, test_secret_modes);
	tcase_add_test(tc, test_secret_owner);
	tcase_add_test(tc, test_secret_get);
	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_garbage_does_not_crash);
	tcase_add_test(tc, test_example_covers_every_key);
	tcase_add_test(tc, test_secret_in_config);
	tcase_add_test(tc, test_hostspec_keeps_socket);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
