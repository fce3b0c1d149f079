#include "group.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* pid's process group and whether it is a zombie, from /proc/PID/stat ("pid (comm) S ppid pgrp"),
 * or -1 when it is gone. comm may hold spaces and parentheses: the fields start after the last ')'. */
static int group_of(const char *pid, int *zombie)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    char *close_paren = strrchr(buf, ')');
    char state;
    int ppid, pgrp;
    if (!close_paren || sscanf(close_paren + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) return -1;
    *zombie = state == 'Z' || state == 'X';
    return pgrp;
}

int group_members(int pgrp, int *out, int cap)
{
    DIR *d = opendir("/proc");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        int zombie = 0;
        if (group_of(e->d_name, &zombie) != pgrp || zombie) continue;
        if (n == cap) {
            n = -1;
            break;
        }
        out[n++] = atoi(e->d_name);
    }
    closedir(d);
    return n;
}
