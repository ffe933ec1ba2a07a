/* prog_endpoints.c - main() of the programs that check one target's
 * endpoints (wm-cache, wm-db): open, collect, thresholds, emit. */
#include "config.h"

#include "cli.h"
#include "endpoint.h"
#include "prog.h"
#include "result.h"

int
wm_prog_endpoints_run(struct wm_cli *cli, const char *group, const char *metric,
		      int (*collect)(const void *arg, struct wm_endpoints *ends,
				     struct wm_result *r),
		      const void *arg)
{
	struct wm_endpoints *ends;
	struct wm_err err = {0};
	struct wm_result *r;
	int rc;

	ends = wm_endpoints_open(cli, &err);
	if (!ends)
		wm_die(WM_UNKNOWN, "%s", err.msg);
	r = wm_result_new(wm_prog_name(), PACKAGE_VERSION, wm_endpoints_target(ends)->name);
	if (!r || collect(arg, ends, r) < 0)
		wm_err_set(&err, WM_ENOMEM, "out of memory");
	else
		wm_thresholds_apply(r, wm_endpoints_config(ends), wm_endpoints_target(ends), cli,
				    group, metric, &err);
	if (err.code != WM_EOK) {
		wm_result_free(r);
		wm_endpoints_close(ends);
		wm_die(WM_UNKNOWN, "%s", err.msg);
	}
	rc = wm_prog_emit(r, cli);
	wm_result_free(r);
	wm_endpoints_close(ends);
	return rc;
}
