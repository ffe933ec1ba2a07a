/* check_sdnotify.c - lib/run/sdnotify: the datagrams as a listener bound
 * here receives them, at a path and at an abstract '@name'; the watchdog
 * interval from WATCHDOG_USEC and WATCHDOG_PID; the values refused. */
#include "config.h"

#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "run/sdnotify.h"
#include "unit.h"

/* A datagram listener at name ('@' for an abstract one). */
static int
listener(const char *name)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	size_t n = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memcpy(a.sun_path, name, n);
	if (name[0] == '@')
		a.sun_path[0] = '\0';
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
					  (name[0] == '@' ? 0 : 1))),
			 0);
	return fd;
}

static void
receive(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	ck_assert_int_eq(n, (ssize_t)strlen(want));
	buf[n] = '\0';
	ck_assert_str_eq(buf, want);
}

START_TEST(test_path_socket)
{
	char dir[] = "/tmp/wm-check-sdnotify-XXXXXX", path[128];
	struct wm_sdnotify n;
	struct wm_err e = {0};
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listener(path);
	ck_assert_int_eq(wm_sdnotify_open(&n, path, "4000000", NULL, getpid(), &e), 0);
	ck_assert(wm_sdnotify_on(&n));
	ck_assert_int_eq(n.watchdog_ms, 2000); /* half of WATCHDOG_USEC */
	ck_assert_int_eq(wm_sdnotify_send(&n, "READY=1", &e), 0);
	ck_assert_int_eq(wm_sdnotify_send(&n, "STATUS=T+0: next tick quick at T+1h", &e), 0);
	receive(fd, "READY=1");
	receive(fd, "STATUS=T+0: next tick quick at T+1h");
	close(fd);
	unlink(path);
	/* no listener any more: said, naming the socket */
	ck_assert_int_eq(wm_sdnotify_send(&n, "WATCHDOG=1", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, path));
	wm_sdnotify_close(&n);
	ck_assert(!wm_sdnotify_on(&n));
	rmdir(dir);
}
END_TEST

START_TEST(test_abstract_socket)
{
	char name[64];
	struct wm_sdnotify n;
	struct wm_err e = {0};
	int fd;

	snprintf(name, sizeof(name), "@wm-check-sdnotify-%ld", (long)getpid());
	fd = listener(name);
	ck_assert_int_eq(wm_sdnotify_open(&n, name, NULL, NULL, getpid(), &e), 0);
	ck_assert_int_eq(n.watchdog_ms, 0);
	ck_assert_int_eq(wm_sdnotify_send(&n, "STOPPING=1", &e), 0);
	receive(fd, "STOPPING=1");
	close(fd);
	wm_sdnotify_close(&n);
}
END_TEST

START_TEST(test_off_and_refused)
{
	struct wm_sdnotify n;
	struct wm_err e = {0};
	char pid[32];

	ck_assert_int_eq(wm_sdnotify_open(&n, NULL, "1000000", NULL, getpid(), &e), 0);
	ck_assert(!wm_sdnotify_on(&n));
	ck_assert_int_eq(wm_sdnotify_send(&n, "READY=1", &e), 0); /* nothing to tell */
	ck_assert_int_eq(wm_sdnotify_open(&n, "run/notify", NULL, NULL, getpid(), &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert(!wm_sdnotify_on(&n));
	ck_assert_int_eq(wm_sdnotify_open(&n, "/run/notify", "soon", NULL, getpid(), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "WATCHDOG_USEC"));
	/* the watchdog of another process is not ours */
	snprintf(pid, sizeof(pid), "%ld", (long)getpid() + 1);
	ck_assert_int_eq(wm_sdnotify_open(&n, "/run/notify", "1000000", pid, getpid(), &e), 0);
	ck_assert_int_eq(n.watchdog_ms, 0);
	wm_sdnotify_close(&n);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	ck_assert_int_eq(wm_sdnotify_open(&n, "/run/notify", "1000000", pid, getpid(), &e), 0);
	ck_assert_int_eq(n.watchdog_ms, 500);
	wm_sdnotify_close(&n);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sdnotify");
	TCase *tc = tcase_create("sdnotify");

	tcase_add_test(tc, test_path_socket);
	tcase_add_test(tc, test_abstract_socket);
	tcase_add_test(tc, test_off_and_refused);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
