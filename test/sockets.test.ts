// Sockets on the standard streams (a Node parent's child_process gives its children socketpairs,
// and runs processcache so too): what comes in or goes out through them must either be captured
// or make the process uncacheable. Each case runs the same program untraced and under
// processcache, in rounds whose data changes, with a peer outside the command that sends the data
// through the socket: a cached round must print what the untraced one printed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, compileC, runMemo, scratch, statusOf } from './helpers.js';

const PY = '/usr/bin/python3';

/** Runs CMD untraced and cached for each payload; the peer (mode) serves the data through a
 * socket on stdin or stdout. Prints one JSON line per round: [untraced, cached]. */
const DRIVER = String.raw`
import json, os, socket, subprocess, sys, threading
node, cli, store, mode, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]

def run(argv, data):
    peer_end = None
    if mode == 'scm':      # stdin: a socket to the peer, which takes an fd the program sends and writes into it
        ours, theirs = socket.socketpair()
        def serve():
            _, anc, _, _ = ours.recvmsg(1, socket.CMSG_SPACE(4))
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    s = socket.socket(fileno=int.from_bytes(payload[:4], 'little')); s.sendall(data); s.close()
        stdin, stdout = theirs, subprocess.PIPE
    elif mode == 'accept': # stdin: a listening socket, which the peer connects to
        name = '\0pc-test-accept-%d' % os.getpid()
        ours = socket.socket(socket.AF_UNIX); ours.bind(name); ours.listen(1)
        def serve():
            c = socket.socket(socket.AF_UNIX); c.connect(name); c.sendall(data); c.close()
        stdin, stdout, theirs = ours, subprocess.PIPE, None
    else:                  # stdout: a socket the peer also writes into
        ours, theirs = socket.socketpair()
        def serve():
            ours.sendall(data)
        stdin, stdout = subprocess.DEVNULL, theirs
    t = threading.Thread(target=serve, daemon=True); t.start()
    p = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL)
    if theirs is not None: theirs.close()
    if mode == 'read1':
        p.wait(timeout=60); ours.shutdown(socket.SHUT_WR)
        out = b''
        while True:
            b = ours.recv(4096)
            if not b: break
            out += b
    else:
        out = p.communicate(timeout=60)[0]
    ours.close()
    return [p.returncode, out.decode()]

for data in [b'one\n', b'one\n', b'two\n']:
    plain = run(cmd, data)
    cached = run([node, cli, 'run', '--quiet', '--store', store, '--'] + cmd, data)
    print(json.dumps([plain, cached]), flush=True)
`;

function rounds(mode: string, program: string): [unknown, unknown][] {
  const dir = scratch();
  writeFileSync(join(dir, 'driver.py'), DRIVER);
  const prog = compileC(dir, 'prog', program);
  const r = spawnSync(PY, [join(dir, 'driver.py'), process.execPath, CLI, scratch('pc-store-'), mode, prog], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as [unknown, unknown]);
}

function sameEachRound(results: [unknown, unknown][]): void {
  assert.is(results.length, 3);
  for (const [plain, cached] of results) assert.equal(cached, plain);
}

test('an open file sent out over a socket stdin (SCM_RIGHTS): the pipe or socket its child reads is not the subtree\'s own', () => {
  sameEachRound(rounds('scm', [
    '#include <string.h>', '#include <sys/socket.h>', '#include <sys/wait.h>', '#include <unistd.h>',
    'int main(void) {',
    '  int sv[2]; if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return 4;',
    '  char c = 0, ctl[CMSG_SPACE(sizeof(int))]; memset(ctl, 0, sizeof ctl);',
    '  struct iovec v = { &c, 1 }; struct msghdr m = { 0 }; m.msg_iov = &v; m.msg_iovlen = 1;',
    '  m.msg_control = ctl; m.msg_controllen = sizeof ctl;',
    '  struct cmsghdr *h = CMSG_FIRSTHDR(&m); h->cmsg_level = SOL_SOCKET; h->cmsg_type = SCM_RIGHTS;',
    '  h->cmsg_len = CMSG_LEN(sizeof(int)); memcpy(CMSG_DATA(h), &sv[0], sizeof(int));',
    '  if (sendmsg(0, &m, 0) != 1) return 5;',
    '  close(sv[0]);',
    '  pid_t p = fork();',
    '  if (p == 0) { dup2(sv[1], 0); execlp("cat", "cat", (char *)0); _exit(127); }',
    '  close(sv[1]); int st; waitpid(p, &st, 0); return WEXITSTATUS(st);',
    '}',
  ].join('\n')));
});

test('a connection accepted on a listening socket given as stdin, read by a child: never replayed', () => {
  sameEachRound(rounds('accept', [
    '#include <sys/socket.h>', '#include <sys/wait.h>', '#include <unistd.h>',
    'int main(void) {',
    '  int c = accept(0, 0, 0); if (c < 0) return 4;',
    '  pid_t p = fork();',
    '  if (p == 0) { dup2(c, 0); execlp("cat", "cat", (char *)0); _exit(127); }',
    '  close(c); int st; waitpid(p, &st, 0); return WEXITSTATUS(st);',
    '}',
  ].join('\n')));
});

test('a read of fd 1 where stdout is a socket (both ways): what it got is not captured, never replayed', () => {
  sameEachRound(rounds('read1', [
    '#include <unistd.h>',
    'int main(void) { char b[64]; ssize_t n = read(1, b, sizeof b); if (n < 0) return 3; write(1, "got:", 4); write(1, b, (size_t)n); return 0; }',
  ].join('\n')));
});

test('send through a copy of a socket stdout, and into a socket stdin: flagged, never replayed without the bytes', () => {
  const dir = scratch();
  const prog = compileC(dir, 'sendcopy', [
    '#include <fcntl.h>', '#include <stdlib.h>', '#include <sys/socket.h>', '#include <unistd.h>',
    'int main(int argc, char **argv) {',
    '  char buf[64]; int in = open("in.txt", O_RDONLY); ssize_t n = read(in, buf, sizeof buf); if (n < 0) n = 0;',
    '  int fd = argc > 1 && argv[1][0] == \'0\' ? 0 : fcntl(1, F_DUPFD, atoi(argv[1]));',
    '  send(fd, buf, (size_t)n, 0); write(1, "done\\n", 5); return 0;',
    '}',
  ].join('\n'));
  for (const to of ['3', '12']) {
    const store = scratch('pc-store-');
    writeFileSync(join(dir, 'in.txt'), 'one\n');
    const first = runMemo([prog, to], { cwd: dir, store });
    writeFileSync(join(dir, 'in.txt'), 'two\n');
    const second = runMemo([prog, to], { cwd: dir, store });
    assert.is(first.stdout, 'one\ndone\n');
    assert.is(second.stdout, 'two\ndone\n');
    assert.is(statusOf(second, 'sendcopy'), 'uncacheable');
    assert.match(second.stats.executions[0]!.reason ?? '', /stdout-uncaptured:sendto/);
  }
  // the command's own stdin is the test's socket: what it sends there goes nowhere a replay reaches
  const store = scratch('pc-store-');
  const run = runMemo([prog, '0'], { cwd: dir, store });
  assert.match(run.stats.executions[0]!.reason ?? '', /stdout-uncaptured:sendto/);
});

test.run();
