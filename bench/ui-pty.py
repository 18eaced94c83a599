#!/usr/bin/env python3
"""ui-pty.py - time `rcms ui` through a pseudo-terminal (bench/ui.sh).

Starts rcms ui on a pty of COLSxLINES with the environment pinned (TERM,
LANG, LC_ALL, TZ, HOME, RCMS_HOME; no RCMS_USER unless --auto-login), and
reads everything it writes.  The end of a screen update is its last byte
before QUIET ms without output (the time of that byte counts, not the
quiet time after it).  Phases, each printed as "key value" lines:

  start_ms       exec to the last byte of the first full screen (the login
                 screen: "F1 help" and "log in" seen, then quiet), or with
                 --auto-login the case list (RCMS_USER, RCMS_PASSWORD_FILE)
  login_ms       Enter after the password to the case list drawn
  key_*          a key in the case list (Down, Up, PageDown, PageUp, End,
                 Home in a fixed mix) to the end of the update it causes:
                 --presses of them; median, p95, max, and the bytes written
  search_*       '/', then the letters of each --search prefix one by one:
                 each letter to the end of the list's update; then Esc and
                 x (clear) before the next word
  ranked_*       the last letter of each prefix to the end of the update
                 that ranks the hits once typing pauses (the pause
                 included)
  vmhwm_kb       VmHWM of /proc/PID/status before leaving
Runs --runs times for the start and login figures (a process each);
the key and search figures come from the last one.
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time

TERM = "xterm"


def term_keys(term):
    """The bytes of each key as the terminal sends them in keypad mode
    (ncurses turns it on): from terminfo, as rcms reads them."""
    import curses
    curses.setupterm(term, sys.stdout.fileno() if sys.stdout.isatty()
                     else os.open(os.devnull, os.O_WRONLY))
    cap = {"Down": "kcud1", "Up": "kcuu1", "PageDown": "knp",
           "PageUp": "kpp", "End": "kend", "Home": "khome"}
    keys = {k: curses.tigetstr(c) for k, c in cap.items()}
    for k, v in keys.items():
        if not v:
            sys.exit("ui-pty: TERM=%s has no %s key" % (term, k))
    keys["Enter"] = b"\r"
    keys["Esc"] = b"\x1b"
    return keys


KEYS = term_keys(TERM)


def now_ms():
    return time.monotonic() * 1000.0


class Term:
    def __init__(self, argv, env, cols, lines):
        self.t0 = now_ms()
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", lines, cols, 0, 0))
        self.buf = bytearray()

    def read_until_quiet(self, quiet_ms, limit_ms, want=None):
        """Read until quiet_ms pass without output (and, with want, after
        every byte string of want has been seen since the call).  Returns
        the time of the last byte read (None when nothing came), and the
        bytes."""
        start = now_ms()
        last = None
        got = bytearray()
        while True:
            t = now_ms()
            seen = want is None or all(w in got for w in want)
            if last is not None and seen and t - last >= quiet_ms:
                break
            if t - start > limit_ms:
                break
            wait = quiet_ms / 1000.0 if last is not None and seen else 0.05
            r, _, _ = select.select([self.fd], [], [], wait)
            if not r:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                break
            if not data:
                break
            last = now_ms()
            got += data
        self.buf += got
        return last, bytes(got)

    def send(self, data):
        t = now_ms()
        os.write(self.fd, data)
        return t

    def vmhwm_kb(self):
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return -1

    def close(self):
        try:
            os.write(self.fd, b"Q")
        except OSError:
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            p, _ = os.waitpid(self.pid, os.WNOHANG)
            if p:
                break
            try:
                os.read(self.fd, 65536)
            except OSError:
                pass
            time.sleep(0.01)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def stats(name, xs):
    xs = sorted(xs)
    if not xs:
        print("%s_n 0" % name)
        return
    r = -(-95 * len(xs) // 100)     # nearest rank
    print("%s_n %d" % (name, len(xs)))
    print("%s_median_ms %.2f" % (name, statistics.median(xs)))
    print("%s_p95_ms %.2f" % (name, xs[r - 1]))
    print("%s_max_ms %.2f" % (name, xs[-1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rcms", required=True)
    ap.add_argument("--home", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--lines", type=int, default=24)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--presses", type=int, default=300)
    ap.add_argument("--search", default="petrov,jovanov,nikolic")
    ap.add_argument("--quiet", type=float, default=40.0)
    ap.add_argument("--auto-login", action="store_true")
    ap.add_argument("--log", help="write the last run's output here")
    a = ap.parse_args()

    with open(a.password_file) as f:
        password = f.readline().rstrip("\n")
    env = {
        "PATH": "/usr/bin:/bin", "TERM": TERM, "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8", "TZ": "UTC", "HOME": a.home,
        "RCMS_HOME": a.home,
    }
    if a.auto_login:
        env["RCMS_USER"] = a.user
        env["RCMS_PASSWORD_FILE"] = a.password_file
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    # a purpose: the case list shows names and searches only with one
    argv = [a.rcms, "ui", "--why", "processing"]
    list_marks = [b"F1 help", b"sorted by"]
    starts, logins = [], []
    term = None
    for run in range(a.runs):
        if term:
            term.close()
        term = Term(argv, env, a.cols, a.lines)
        if a.auto_login:
            last, _ = term.read_until_quiet(a.quiet, 10000, list_marks)
            if last is None:
                sys.exit("ui-pty: no screen within 10 s")
            starts.append(last - term.t0)
            continue
        last, _ = term.read_until_quiet(a.quiet, 10000,
                                        [b"F1 help", b"log in"])
        if last is None:
            sys.exit("ui-pty: no login screen within 10 s")
        starts.append(last - term.t0)
        term.send(a.user.encode() + b"\r")
        term.read_until_quiet(a.quiet, 2000)
        term.send(password.encode())
        term.read_until_quiet(a.quiet, 2000)
        t = term.send(b"\r")
        # only what changed is written: the status line's "F1 help" is
        # not sent again
        last, got = term.read_until_quiet(a.quiet, 60000, [b"sorted by"])
        if last is None or b"sorted by" not in got:
            sys.exit("ui-pty: the case list did not come after login")
        logins.append(last - t)
    print("ui-pty: %d starts done; keys" % a.runs, file=sys.stderr)
    stats("start", starts)
    if logins:
        stats("login", logins)

    # keys in the case list
    mix = (["Down"] * 30 + ["PageDown"] * 5 + ["Up"] * 10 + ["PageUp"] * 3
           + ["End", "PageUp", "Up", "Home"])
    lat = {}
    allk, nbytes, missed = [], [], 0
    for i in range(a.presses):
        k = mix[i % len(mix)]
        term.read_until_quiet(a.quiet, 200)        # nothing pending
        t = term.send(KEYS[k])
        last, got = term.read_until_quiet(a.quiet, 2000)
        if last is None:
            missed += 1
            continue
        lat.setdefault(k, []).append(last - t)
        allk.append(last - t)
        nbytes.append(len(got))
    stats("key", allk)
    print("key_missed %d" % missed)
    print("key_bytes_median %d" % (statistics.median(nbytes) if nbytes
                                   else 0))
    for k in sorted(lat):
        stats("key_" + k, lat[k])

    # search as you type
    print("ui-pty: keys done; search", file=sys.stderr)
    sl, ranked = [], []
    term.send(b"g")
    term.read_until_quiet(a.quiet, 2000)
    for word in [w for w in a.search.split(",") if w]:
        term.send(b"/")
        term.read_until_quiet(a.quiet, 2000)
        for ch in word:
            t = term.send(ch.encode())
            last, _ = term.read_until_quiet(a.quiet, 5000)
            if last is not None:
                sl.append(last - t)
        # typing pauses: the hits are ranked (best first) after the pause;
        # its update is the last output before 700 ms of quiet (ncurses
        # writes only what changed, so no marker text can be awaited)
        last, got = term.read_until_quiet(700, 5000)
        if last is not None:
            ranked.append(last - t)
        term.send(KEYS["Esc"])
        term.read_until_quiet(a.quiet, 2000)
        term.send(b"x")
        term.read_until_quiet(a.quiet, 5000)
    print("ui-pty: search done", file=sys.stderr)
    stats("search", sl)
    stats("ranked", ranked)
    print("vmhwm_kb %d" % term.vmhwm_kb())
    if a.log:
        with open(a.log, "wb") as f:
            f.write(term.buf)
    term.close()


if __name__ == "__main__":
    main()
