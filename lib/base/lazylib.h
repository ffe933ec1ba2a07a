/* lazylib.h - open a shared library at first use and fill a table of its
 * functions (curl_lazy.h, pq_lazy.h): the programs do not link libraries
 * whose dependency chains would cost most of their start-up (DESIGN §8). */
#ifndef WM_LAZYLIB_H
#define WM_LAZYLIB_H

#include <stddef.h>

#include "base/err.h"

/* Compile-time check that a table's field has the type of fn as the library's
 * header declares it.  _Generic does not evaluate &fn, so no reference to
 * the library is emitted; the parentheses keep function-like macros of the
 * same name (curl_easy_setopt's type checks) from expanding. */
#define WM_LAZYLIB_SAME_TYPE(table, field, fn)                                                     \
	_Static_assert(_Generic(&(fn), __typeof__(((table *)0)->field) : 1, default : 0),          \
		       #fn " does not match " #table "." #field)

/* One function: its name and where its pointer goes in the table. */
struct wm_lazylib_sym {
	const char *name;
	size_t off;
};

/* dlopen soname (RTLD_NOW | RTLD_LOCAL) and store each of syms[0..n) into
 * table + off.  The handle, or NULL with err set (WM_ENOTFOUND, "<dlerror>
 * (install <package>)" or "<soname>: no function <name> (install
 * <package>)") and the table zeroed (table_size bytes). */
void *wm_lazylib_open(const char *soname, const char *package, const struct wm_lazylib_sym *syms,
		      size_t n, void *table, size_t table_size, struct wm_err *err);

#endif
