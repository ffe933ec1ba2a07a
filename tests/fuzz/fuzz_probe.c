/* fuzz_probe.c - wm-security's judging of probe answers (hostile: any server
 * can answer a probe): status, headers and body from the input, judged by
 * a probe expecting JSON fields (dotted paths with [N]) and by the header
 * probe.  Input: 2 bytes of status, then "Name: value" header lines up to an
 * empty line, then the body. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/probe.h"
#include "fuzz.h"

#define NH 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_probe p = {.status = "403, 2xx", .login = true};
	struct wm_http_header h[NH];
	char buf[4096], why[256];
	size_t n = size < sizeof buf - 1 ? size : sizeof buf - 1, nh = 0, i = 2;
	long status = size >= 2 ? (long)(data[0] << 8 | data[1]) % 1000 : 0;

	memcpy(buf, data, n);
	buf[n] = '\0';
	/* header lines, NUL-terminated in place */
	while (i < n && nh < NH) {
		char *line = buf + i, *nl = memchr(line, '\n', n - i), *colon;

		if (!nl || nl == line)
			break;
		*nl = '\0';
		if ((colon = strchr(line, ':'))) {
			*colon = '\0';
			h[nh].name = line;
			h[nh].value = colon + 1;
			nh++;
		}
		i = (size_t)(nl - buf) + 1;
	}
	i = i < n ? i + 1 : n;
	snprintf(p.json[0], sizeof p.json[0], "requires2FA = true");
	snprintf(p.json[1], sizeof p.json[1], "data.items[2].id = \"x\"");
	wm_probe_judge(&p, status, h, nh, buf + i, n - i, why, sizeof why);
	memset(&p, 0, sizeof p);
	snprintf(p.headers, sizeof p.headers, "%s, Strict-Transport-Security: max-age",
		 WM_PROBE_HEADERS);
	wm_probe_judge(&p, status, h, nh, buf + i, n - i, why, sizeof why);
	if (!memchr(why, '\0', sizeof why))
		abort();
	return 0;
}
