#ifndef PCT_GROUP_H
#define PCT_GROUP_H

/* The processes of a process group, for a signal sent to it (kill(0), kill(-pgrp)): whether each
 * is traced decides whether the signal leaves the command. */

/* Fills out (cap entries) with the pids whose process group is pgrp, zombies left out (a signal
 * changes nothing for them). Returns how many, or -1 when /proc cannot be read or the group has
 * more than cap members. */
int group_members(int pgrp, int *out, int cap);

#endif
