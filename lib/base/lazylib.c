/* lazylib.c - dlopen a library and resolve a table of its functions. */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "base/lazylib.h"

void *
wm_lazylib_open(const char *soname, const char *package, const struct wm_lazylib_sym *syms,
		size_t n, void *table, size_t table_size, struct wm_err *err)
{
	const char *why;
	void *h, *sym;
	size_t i;

	memset(table, 0, table_size);
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		why = dlerror();
		wm_err_set(err, WM_ENOTFOUND, "%s (install %s)", why ? why : soname, package);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		sym = dlsym(h, syms[i].name);
		if (!sym) {
			wm_err_set(err, WM_ENOTFOUND, "%s: no function %s (install %s)", soname,
				   syms[i].name, package);
			memset(table, 0, table_size);
			dlclose(h);
			return NULL;
		}
		/* POSIX: a data pointer from dlsym converts to a function pointer. */
		memcpy((char *)table + syms[i].off, &sym, sizeof(sym));
	}
	return h;
}
