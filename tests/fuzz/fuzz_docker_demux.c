/* fuzz_docker_demux.c - the 8-byte framed log stream, fed in random chunkings.
 * Byte 0: bit 0 raw (TTY) stream, bits 1-7 seed the chunk sizes; byte 1: the
 * line after which the callback asks to stop (0 = never).  The rest is the stream.
 * Lines never hold '\n' nor exceed WM_DOCKER_LINE_MAX, nor add up to more than was fed. */
#include "config.h"

#include "clients/docker.h"
#include "fuzz.h"

struct sink {
	size_t total; /* bytes delivered: never more than were fed */
	unsigned lines;
	unsigned stop_at;
};

static int
on_line(void *arg, int stream, const char *line, size_t len)
{
	struct sink *s = arg;

	if (stream < 0 || stream > 2)
		abort();
	if (len > WM_DOCKER_LINE_MAX || memchr(line, '\n', len))
		abort();
	s->total += len;
	if (len > 0) { /* read both ends: ASan checks the bounds */
		volatile char first = line[0], last = line[len - 1];
		(void)first;
		(void)last;
	}
	s->lines++;
	return s->stop_at && s->lines >= s->stop_at;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_docker_demux m;
	struct wm_err err = {0};
	struct sink s = {0, 0, 0};
	unsigned seed;
	size_t off = 0;

	if (size < 2)
		return 0;
	seed = data[0] >> 1;
	s.stop_at = data[1];
	if (wm_docker_demux_init(&m, data[0] & 1, &err) != 0)
		return 0;
	data += 2;
	size -= 2;
	while (off < size) {
		size_t chunk;

		seed = seed * 1103515245u + 12345u;
		chunk = (seed >> 16) % 17 == 0 ? size - off : 1 + (seed >> 16) % 13;
		if (chunk > size - off)
			chunk = size - off;
		if (wm_docker_demux_feed(&m, (const char *)data + off, chunk, on_line, &s, &err) !=
		    0)
			break;
		off += chunk;
	}
	wm_docker_demux_finish(&m, on_line, &s);
	if (s.total > size)
		abort();
	return 0;
}
