/* fuzz_docker_json.c - the Docker Engine API bodies: the same bytes go to the
 * list, inspect and stats parsers (none needs a NUL-terminated body).  What
 * parses must be sane: containers have an id, name and state, an inspect a
 * status, a stats sample a CPU share >= 0 and a memory share that is a number. */
#include "config.h"

#include <math.h>

#include "clients/docker.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	struct wm_err err = {0};
	struct wm_container *c = NULL;
	struct wm_inspect in;
	struct wm_docker_sample smp;
	struct wm_stats st;
	size_t n = 0;

	if (wm_docker_parse_list(json, size, &c, &n, &err) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!c[i].id || !c[i].name || !c[i].state)
				abort();
		wm_docker_containers_free(c, n);
	}
	memset(&in, 0, sizeof(in));
	if (wm_docker_parse_inspect(json, size, &in, &err) == 0) {
		if (!in.status)
			abort();
		wm_docker_inspect_clear(&in);
	}
	memset(&st, 0, sizeof(st));
	(void)wm_docker_parse_stats(json, size, &st, &err);
	if (wm_docker_parse_sample(json, size, &smp, &err) == 0) {
		wm_docker_stats_compute(NULL, &smp, &st);
		if (st.cpu_percent < 0 || isnan(st.mem_percent))
			abort();
		wm_docker_stats_compute(&smp, &smp, &st);
		if (st.cpu_percent < 0 || isnan(st.mem_percent))
			abort();
	}
	return 0;
}
