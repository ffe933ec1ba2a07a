#!/bin/bash
# lint-tests.sh - scripts/lint-tests under make check (no check/expect call
# followed by && or || in the shell tests), from tests/cli so that its log
# lands in a directory the build tree has (distcheck's VPATH build).
exec "${WM_SRCDIR:?run under make check}/scripts/lint-tests" "$WM_SRCDIR/tests"
