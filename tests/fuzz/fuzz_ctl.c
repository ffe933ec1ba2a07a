/* fuzz_ctl.c - libFuzzer target: a request line on wm-run's control socket
 * (lib/store/journal_ctl.h).  Whatever parses must pass the checks the
 * client makes, and format back into a line that parses to the same
 * request.  Build and run with scripts/fuzz. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "store/journal_ctl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_ctl_req req, again;
	struct wm_err e = {0};
	char *line;

	if (wm_ctl_parse((const char *)data, size, &req, &e) != 0) {
		if (e.code == WM_EOK || !e.msg[0])
			abort();
		return 0;
	}
	if (wm_ctl_check(&req, &e) != 0 || !(line = wm_ctl_format(&req)))
		abort();
	if (wm_ctl_parse(line, strlen(line), &again, &e) != 0 || again.cmd != req.cmd ||
	    strcmp(again.id, req.id) || strcmp(again.text, req.text) ||
	    strcmp(again.role, req.role) || strcmp(again.name, req.name) ||
	    again.user_issue != req.user_issue)
		abort();
	free(line);
	return 0;
}
