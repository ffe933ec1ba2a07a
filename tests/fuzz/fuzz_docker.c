/* fuzz_docker.c - libFuzzer target: the Engine API parsers, the log frame
 * demultiplexer and the df -P parser.  Whatever the bytes, no crash, no
 * leak, and what parses is sane.  Build and run with tests/fuzz/run. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "docker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
line_ok(void *arg, int stream, const char *line, size_t len)
{
	size_t *total = arg;

	if (stream < 0 || stream > 2 || len > WM_DOCKER_LINE_MAX || memchr(line, '\n', len))
		abort();
	*total += len;
	return 0;
}

/* The first byte picks the chunk size, so frame boundaries fall anywhere. */
static void
demux(const uint8_t *data, size_t size, bool raw)
{
	struct wm_docker_demux m;
	size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1, total = 0;

	if (wm_docker_demux_init(&m, raw, NULL) < 0)
		return;
	for (size_t off = 0; off < size; off += chunk)
		if (wm_docker_demux_feed(&m, (const char *)data + off,
					 off + chunk > size ? size - off : chunk, line_ok, &total,
					 NULL) < 0)
			break;
	wm_docker_demux_finish(&m, line_ok, &total);
	if (total > size)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct wm_container *c;
	struct wm_inspect in;
	struct wm_docker_sample smp;
	struct wm_stats st;
	struct wm_disk dk[8];
	char *text;
	size_t n;

	if (wm_docker_parse_list(s, size, &c, &n, NULL) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!c[i].id || !c[i].name || !c[i].state)
				abort();
		wm_docker_containers_free(c, n);
	}
	if (wm_docker_parse_inspect(s, size, &in, NULL) == 0) {
		if (!in.status)
			abort();
		wm_docker_inspect_clear(&in);
	}
	if (wm_docker_parse_sample(s, size, &smp, NULL) == 0) {
		wm_docker_stats_compute(NULL, &smp, &st);
		if (st.cpu_percent < 0 || isnan(st.mem_percent))
			abort();
	}
	demux(data, size, false);
	demux(data, size, true);
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (wm_disk_parse_df(text, dk, 8, NULL) > 8)
		abort();
	free(text);
	return 0;
}
