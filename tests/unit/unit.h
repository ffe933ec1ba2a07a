/* unit.h - what every Check suite's main() shares. */
#ifndef WM_UNIT_H
#define WM_UNIT_H

#include <check.h>
#include <stdlib.h>

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

#endif
