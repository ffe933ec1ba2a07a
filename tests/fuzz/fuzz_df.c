/* fuzz_df.c - `df -P` output read back from a remote host. */
#include "config.h"

#include "checks/disk.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct wm_disk out[8];
	struct wm_err err = {0};

	if (wm_disk_parse_df(text, out, sizeof(out) / sizeof(out[0]), &err) > 8 ||
	    wm_disk_parse_df(text, out, 1, &err) > 1)
		abort(); /* never more rows than room */
	free(text);
	return 0;
}
