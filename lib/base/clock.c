/* clock.c - wall, monotonic and scaled time (see clock.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "base/clock.h"
#include "base/duration.h"

static int64_t
real_wall(void *ctx)
{
	(void)ctx;
	return wm_now_ms();
}

static int64_t
real_mono(void *ctx)
{
	(void)ctx;
	return wm_monotonic_ms();
}

static int64_t
fixed_wall(void *ctx)
{
	return ((const struct wm_clock_fixed *)ctx)->wall_ms;
}

static int64_t
fixed_mono(void *ctx)
{
	return ((const struct wm_clock_fixed *)ctx)->mono_ms;
}

/* Place the process on the plan: read both clocks once (see clock.h). */
static void
anchor(struct wm_clock *c)
{
	c->anchor_offset_ms = (c->wall(c->ctx) - c->start_wall_ms) * c->scale;
	c->anchor_mono_ms = c->mono(c->ctx);
}

void
wm_clock_init_real(struct wm_clock *c)
{
	c->wall = real_wall;
	c->mono = real_mono;
	c->ctx = NULL;
	c->scale = 1;
	c->start_wall_ms = wm_now_ms();
	anchor(c);
}

void
wm_clock_init_fixed(struct wm_clock *c, struct wm_clock_fixed *f)
{
	c->wall = fixed_wall;
	c->mono = fixed_mono;
	c->ctx = f;
	c->scale = 1;
	c->start_wall_ms = f->wall_ms;
	anchor(c);
}

void
wm_clock_fixed_advance(struct wm_clock_fixed *f, int64_t ms)
{
	f->wall_ms += ms;
	f->mono_ms += ms;
}

int
wm_clock_set(struct wm_clock *c, int64_t scale, int64_t start_wall_ms, struct wm_err *err)
{
	if (scale < 1 || scale > WM_CLOCK_SCALE_MAX)
		return wm_err_set(err, WM_EINVAL, "time scale %lld: not in 1..%d", (long long)scale,
				  WM_CLOCK_SCALE_MAX);
	c->scale = scale;
	c->start_wall_ms = start_wall_ms;
	anchor(c);
	return 0;
}

int
wm_clock_parse_scale(const char *s, int64_t *scale, struct wm_err *err)
{
	char *end;
	long long v;

	errno = 0;
	v = s && *s >= '0' && *s <= '9' ? strtoll(s, &end, 10) : -1;
	if (v < 1 || v > WM_CLOCK_SCALE_MAX || errno || *end)
		return wm_err_set(err, WM_EINVAL, "time scale '%s': an integer in 1..%d",
				  s ? s : "", WM_CLOCK_SCALE_MAX);
	*scale = v;
	return 0;
}

int64_t
wm_clock_wall_ms(const struct wm_clock *c)
{
	return c->wall(c->ctx);
}

int64_t
wm_clock_mono_ms(const struct wm_clock *c)
{
	return c->mono(c->ctx);
}

int64_t
wm_clock_offset_ms(const struct wm_clock *c)
{
	return c->anchor_offset_ms + (wm_clock_mono_ms(c) - c->anchor_mono_ms) * c->scale;
}

int64_t
wm_clock_plan_ms(const struct wm_clock *c)
{
	return c->start_wall_ms + wm_clock_offset_ms(c);
}

int64_t
wm_clock_wall_at(const struct wm_clock *c, int64_t offset_ms)
{
	/* Round up: a tick never fires before its planned time. */
	int64_t q = offset_ms / c->scale;

	return c->start_wall_ms + q + (q * c->scale < offset_ms);
}

int64_t
wm_clock_real_span(const struct wm_clock *c, int64_t plan_ms)
{
	if (plan_ms <= 0)
		return 0;
	return (plan_ms + c->scale - 1) / c->scale;
}

int64_t
wm_clock_plan_span(const struct wm_clock *c, int64_t real_ms)
{
	return real_ms * c->scale;
}
