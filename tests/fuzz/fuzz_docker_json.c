/* fuzz_docker_json.c - the Docker Engine API bodies: the same bytes go to the
 * list, inspect and stats parsers (none needs a NUL-terminated body). */
#include "config.h"

#include "docker.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	struct wm_err err = { 0 };
	struct wm_container *c = NULL;
	struct wm_inspect in;
	struct wm_stats st;
	size_t n = 0;

	if (wm_docker_parse_list(json, size, &c, &n, &err) == 0)
		wm_docker_containers_free(c, n);
	memset(&in, 0, sizeof(in));
	if (wm_docker_parse_inspect(json, size, &in, &err) == 0)
		wm_docker_inspect_clear(&in);
	memset(&st, 0, sizeof(st));
	(void)wm_docker_parse_stats(json, size, &st, &err);
	return 0;
}
