/* render-fixture.c - print a fixture result in one format, so that shell
 * tests can hand the output to jq and promtool.
 * Usage: render-fixture full|empty|collide|labels FORMAT [WIDTH [long|color]]
 *        render-fixture families   (the family table: NAME TYPE LABELS HELP,
 *                                   tab-separated) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "render/render_family.h"
#include "render_fixture.h"

int
main(int argc, char **argv)
{
	struct wm_render_opts o = {0};
	struct wm_result *r;
	int f, rc;

	if (argc == 2 && strcmp(argv[1], "families") == 0) {
		const struct wm_family *fam;
		char labels[128];

		for (size_t i = 0; (fam = wm_family_at(i, labels, sizeof(labels))); i++)
			printf("%s\t%s\t%s\t%s\n", fam->name,
			       fam->type == WM_FAMILY_COUNTER ? "counter" : "gauge",
			       labels[0] ? labels : "-", fam->help);
		return 0;
	}
	if (argc < 3 || argc > 5 || (f = wm_format_parse(argv[2])) < 0) {
		fputs(
		    "usage: render-fixture full|empty|collide|labels FORMAT [WIDTH [long|color]]\n",
		    stderr);
		return 3;
	}
	if (strcmp(argv[1], "empty") == 0)
		r = fixture_empty();
	else if (strcmp(argv[1], "collide") == 0)
		r = fixture_collide();
	else if (strcmp(argv[1], "labels") == 0)
		r = fixture_labels();
	else
		r = fixture_full();
	if (argc > 3) {
		o.width = (size_t)strtoul(argv[3], NULL, 10);
		o.flags = argc > 4 && strcmp(argv[4], "long") == 0    ? WM_RENDER_LONG
			  : argc > 4 && strcmp(argv[4], "color") == 0 ? WM_RENDER_COLOR
								      : 0;
	}
	rc = wm_render_to(r, (enum wm_format)f, stdout, &o) < 0 ? 3 : wm_result_exit_code(r);
	wm_result_free(r);
	return rc;
}
