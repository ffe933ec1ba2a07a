/* unit.h - what every Check suite's main() shares. */
#ifndef WM_UNIT_H
#define WM_UNIT_H

#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Run suite s (taking ownership); EXIT_SUCCESS when every test passed. */
static inline int
wm_unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Remove dir and everything below it (a test's temporary tree); links are
 * removed, never followed. */
static inline void
wm_unit_rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[PATH_MAX];

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= sizeof(p))
			continue; /* cannot name it: leave it */
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			wm_unit_rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* The real-log corpus: $WM_REAL_LOGS, which scripts/test exports (the
 * ../shared/data/real-logs beside the checkout).  Unset (distcheck, a build
 * from a tarball): NULL, and the suite says on stderr that it skips it.  Set
 * but not a readable directory: the test fails. */
static inline const char *
wm_unit_real_logs(const char *suite)
{
	const char *d = getenv("WM_REAL_LOGS");
	struct stat st;

	if (!d || !*d) {
		fprintf(stderr,
			"%s: SKIP the real-log corpus: WM_REAL_LOGS is unset "
			"(scripts/test sets it; distcheck and tarball builds do not)\n",
			suite);
		return NULL;
	}
	ck_assert_msg(stat(d, &st) == 0 && S_ISDIR(st.st_mode) && access(d, R_OK | X_OK) == 0,
		      "WM_REAL_LOGS=%s is not a readable directory", d);
	return d;
}

#endif
