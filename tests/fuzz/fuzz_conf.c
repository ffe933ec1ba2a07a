/* fuzz_conf.c - libFuzzer target: the INI parser, target selection and
 * copies, host specs and redaction on arbitrary bytes.  Build and run with
 * tests/fuzz/run. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
hostspec(const char *s)
{
	struct wm_target t = {0};

	if (wm_target_from_hostspec(&t, s, NULL) == 0) {
		free(t.host);
		free(t.user);
		free(t.docker_socket);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_err err = {0};
	struct wm_config *cfg = wm_config_parse("fuzz", (const char *)data, size, &err);
	char *copy;

	if (cfg) {
		const struct wm_target *t = wm_config_target(cfg, NULL, &err);
		struct wm_target *d = t ? wm_target_dup(t) : NULL;
		size_t n;

		wm_config_warnings(cfg, &n);
		wm_config_threshold(cfg, t, "cache.hit_rate", true);
		wm_target_free(d);
		wm_config_free(cfg);
	} else if (strncmp(err.msg, "fuzz:", 5) != 0 && err.code != WM_ENOMEM) {
		abort(); /* every parse error names the file and line */
	}
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	hostspec(copy);
	wm_redact(copy);
	if (strlen(copy) > size)
		abort(); /* redaction never lengthens */
	free(copy);
	return 0;
}
