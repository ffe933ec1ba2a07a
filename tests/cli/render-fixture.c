/* render-fixture.c - print a fixture result in one format, so that shell
 * tests can hand the output to jq and promtool.
 * Usage: render-fixture full|empty|collide FORMAT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_fixture.h"

int
main(int argc, char **argv)
{
	struct wm_result *r;
	int f, rc;

	if (argc != 3 || (f = wm_format_parse(argv[2])) < 0) {
		fputs("usage: render-fixture full|empty|collide FORMAT\n", stderr);
		return 3;
	}
	if (strcmp(argv[1], "empty") == 0)
		r = fixture_empty();
	else if (strcmp(argv[1], "collide") == 0)
		r = fixture_collide();
	else
		r = fixture_full();
	rc = wm_render(r, (enum wm_format)f, stdout, 0) < 0 ? 3 : wm_result_exit_code(r);
	wm_result_free(r);
	return rc;
}
