#!/bin/sh
':' /*
# The CLI's launcher: dist/cli.js is this sh script and the bundle at once (JavaScript reads the
# line above as a string and a comment). Node resets the signal dispositions it inherits, clears
# the signal mask and marks fds 0-15 close-on-exec before any JavaScript runs, so sh looks first
# (a non-interactive sh keeps the signals its caller ignored) and tells the CLI what it saw in
# PROCESSCACHE_LAUNCH (src/trace/launch.ts): the ignored and blocked masks (hex, from
# /proc/PID/status: /proc/PID/stat has only their low 31 bits), the fds from 3 up that are not
# close-on-exec, and whether this sh is bash (which ignores SIGQUIT itself, and not for the
# programs it runs). Builtins only: no process but sh itself. (No star-slash in here: it would end
# the comment for JavaScript.)
# (The variables are prefixed: one the caller exported would reach the command changed.)
__pc_ign= __pc_blk= __pc_fds=
while read -r __pc_k __pc_v; do
  case $__pc_k in SigBlk:) __pc_blk=$__pc_v;; SigIgn:) __pc_ign=$__pc_v; break;; esac
done </proc/$$/status
for __pc_p in /proc/$$/fd/*; do
  __pc_n=${__pc_p#/proc/$$/fd/}
  case $__pc_n in [012]|*[!0-9]*) continue;; esac
  # the directory this loop listed had an fd of its own, gone by now
  [ -e /proc/$$/fdinfo/$__pc_n ] || continue
  { read -r __pc_k __pc_v; read -r __pc_k __pc_v; } </proc/$$/fdinfo/$__pc_n
  [ $(($__pc_v & 02000000)) = 0 ] && __pc_fds=$__pc_fds,$__pc_n
done
export PROCESSCACHE_LAUNCH="$__pc_ign $__pc_blk ${__pc_fds#,} ${BASH_VERSION:+bash}"
# the Action names the runner's own Node: the one on PATH may be older, or absent
exec "${PROCESSCACHE_NODE:-node}" "$0" "$@"
*/
