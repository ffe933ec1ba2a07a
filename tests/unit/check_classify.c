/* check_classify.c - the structured level first, word patterns otherwise. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "logs/classify.h"
#include "unit.h"

static int
text_level(struct wm_classifier *c, const char *s)
{
	return wm_classifier_text(c, s, strlen(s));
}

START_TEST(test_defaults)
{
	struct wm_err err = {0};
	struct wm_classifier *c = wm_classifier_new(NULL, NULL, NULL, &err);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(text_level(c, "Connection error while reading"), WM_LVL_ERROR);
	ck_assert_int_eq(text_level(c, "ERROR in module"), WM_LVL_ERROR);
	ck_assert_int_eq(text_level(c, "fatal: Write failed"), WM_LVL_CRITICAL);
	ck_assert_int_eq(text_level(c, "kernel PANIC - not syncing"), WM_LVL_CRITICAL);
	ck_assert_int_eq(text_level(c, "Critical section entered"), WM_LVL_CRITICAL);
	/* critical wins over error anywhere in the line */
	ck_assert_int_eq(text_level(c, "error: then fatal"), WM_LVL_CRITICAL);
	ck_assert_int_eq(text_level(c, "warning: disk 91% full"), WM_LVL_WARN);
	/* word-bounded: not in other words, unlike grep -i error */
	ck_assert_int_eq(text_level(c, "ErrorHandler registered"), WM_LVL_INFO);
	ck_assert_int_eq(text_level(c, "0 errors, 0 warnings"), WM_LVL_INFO);
	ck_assert_int_eq(text_level(c, "terrorist panicking"), WM_LVL_INFO);
	/* '-' is a word boundary: Redis' bf-error-rate line is text-wise an
	 * error, which is why Redis lines keep their own (structured) level */
	ck_assert_int_eq(text_level(c, "bf-error-rate 0.01"), WM_LVL_ERROR);
	ck_assert_int_eq(text_level(c, ""), WM_LVL_INFO);
	/* NUL bytes and invalid UTF-8 are just bytes */
	ck_assert_int_eq(wm_classifier_text(c, "\xff\x00 error \xc3", 10), WM_LVL_ERROR);
	wm_classifier_free(c);
}
END_TEST

START_TEST(test_structured_wins)
{
	struct wm_classifier *c = wm_classifier_new(NULL, NULL, NULL, NULL);
	struct wm_logline ll;
	const char *info = "{\"level\":\"info\",\"message\":\"Response: 500 error from upstream\"}";
	const char *pino = "{\"level\":60,\"msg\":\"bye\"}";
	const char *text = "🚀 Starting Warungin Backend... fatal error";

	wm_logline_parse(&ll, info, strlen(info), 0);
	wm_classify(c, &ll);
	ck_assert_int_eq(ll.level, WM_LVL_INFO);
	wm_logline_parse(&ll, pino, strlen(pino), 0);
	wm_classify(c, &ll);
	ck_assert_int_eq(ll.level, WM_LVL_CRITICAL);
	wm_logline_parse(&ll, text, strlen(text), 0);
	wm_classify(c, &ll);
	ck_assert_int_eq(ll.level, WM_LVL_CRITICAL);
	ck_assert(!ll.structured);
	wm_classifier_free(c);
}
END_TEST

START_TEST(test_custom_and_sets)
{
	struct wm_err err = {0};
	/* Indonesian: "gagal" = failed; warnings off */
	struct wm_classifier *id = wm_classifier_new(NULL, "\\b(?:gagal|error)\\b", "", &err);
	struct wm_classify_set *set;

	ck_assert_ptr_nonnull(id);
	ck_assert_int_eq(text_level(id, "Koneksi GAGAL"), WM_LVL_ERROR);
	ck_assert_int_eq(text_level(id, "warning: ignored"), WM_LVL_INFO);
	set = wm_classify_set_new(wm_classifier_new(NULL, NULL, NULL, NULL));
	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(wm_classify_set_add(set, "backend", id, &err), 0);
	ck_assert_ptr_eq(wm_classify_set_get(set, "backend", 7), id);
	/* compose names of the service get its classifier too */
	ck_assert_ptr_eq(wm_classify_set_get(set, "backend-1", 9), id);
	ck_assert_ptr_eq(wm_classify_set_get(set, "warungin-backend", 16), id);
	ck_assert_ptr_ne(wm_classify_set_get(set, "backend2", 8), id);
	ck_assert_ptr_ne(wm_classify_set_get(set, "backendx-1", 10), id);
	ck_assert_ptr_ne(wm_classify_set_get(set, NULL, 0), id);
	ck_assert_int_eq(text_level(wm_classify_set_get(set, "redis", 5), "Koneksi gagal"),
			 WM_LVL_INFO);
	wm_classify_set_free(set);
}
END_TEST

START_TEST(test_bad_pattern)
{
	struct wm_err err = {0};

	ck_assert_ptr_null(wm_classifier_new(NULL, "(unclosed", NULL, &err));
	ck_assert_int_eq(err.code, WM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "error pattern"));
	ck_assert_ptr_nonnull(strstr(err.msg, "(unclosed"));
	/* all disabled: every plain line is info */
	{
		struct wm_classifier *c = wm_classifier_new("", "", "", &err);

		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(text_level(c, "fatal error"), WM_LVL_INFO);
		wm_classifier_free(c);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("classify");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_structured_wins);
	tcase_add_test(tc, test_custom_and_sets);
	tcase_add_test(tc, test_bad_pattern);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
