/* sample.c - counter deltas and window words (see sample.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "store/sample.h"
#include "store/statedir.h"

int
wm_sample_delta(double prev, double cur, double *delta)
{
	if (isnan(prev) || isnan(cur)) {
		*delta = isnan(cur) ? NAN : cur;
		return 0;
	}
	return wm_counter_delta(prev, cur, delta);
}

double
wm_sample_num(const cJSON *doc, const char *key)
{
	const cJSON *v = doc ? cJSON_GetObjectItemCaseSensitive(doc, key) : NULL;

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *
wm_sample_str(const cJSON *doc, const char *key)
{
	const cJSON *v = doc ? cJSON_GetObjectItemCaseSensitive(doc, key) : NULL;

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

void
wm_sample_fmt_duration(double s, char *buf, size_t size)
{
	long long t = (long long)llround(s);

	if (isnan(s) || s < 0)
		snprintf(buf, size, "?");
	else if (s < 10 && s != floor(s))
		snprintf(buf, size, "%.1fs", s);
	else if (t < 60)
		snprintf(buf, size, "%llds", t);
	else if (t < 3600)
		snprintf(buf, size, "%lldm %llds", t / 60, t % 60);
	else if (t < 86400)
		snprintf(buf, size, "%lldh %lldm", t / 3600, t % 3600 / 60);
	else
		snprintf(buf, size, "%lldd %lldh", t / 86400, t % 86400 / 3600);
}
