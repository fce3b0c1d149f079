#!/usr/bin/env bash
# Runs a command with no fd above 2: whatever started us (a CI agent, an editor's shell) may have
# leaked a pipe, and every traced process would inherit it and be uncacheable (it could write
# there, and a replay would not). Used by the test runner and the fuzzer, which measure reuse.
for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
exec "$@"
