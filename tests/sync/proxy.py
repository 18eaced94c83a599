#!/usr/bin/env python3
"""proxy.py - a TCP proxy that cuts connections, for tests/sync/faults.sh.

It sits between a workstation and the exchange and forwards bytes both
ways without looking into them (TLS goes through end to end: the
workstation still checks the exchange's certificate).  It cuts --cuts
connections, each at a random byte offset, in either direction; after
that every byte goes through.

  proxy.py --upstream HOST:PORT [--listen HOST:PORT] [--port-file F]
           [--stats F] [--log F] [--cuts N] [--up A:B] [--down A:B]
           [--pattern P] [--seed S]

Each connection accepted while cuts remain gets a cut point: a direction
drawn at random among the ones given (--up: the bytes from the
workstation to the exchange, --down: from the exchange to the
workstation) and a byte offset in that direction, drawn uniformly from
A..B.  A connection that ends before its point is forwarded whole and
uses no cut.  When a connection reaches its point, the next letter of
the pattern (repeated; default "x") says what happens:

  x   cut here: the bytes up to the offset are forwarded, then both sides
      get a TCP reset (SO_LINGER 0), as when a cable is pulled
  r   cut the answer: at an --up point the request goes on whole, and
      the connection is cut when the first bytes of the exchange's answer
      come back (the exchange has done the work, the workstation never
      hears of it); at a --down point the same as x
  f   cut here with a FIN: the bytes up to the offset are forwarded and
      the connection is then closed in order, so that the workstation
      reads every byte forwarded before it sees the end (a reset makes
      the kernel throw away what it has not read yet): what was
      forwarded is what arrived, which a test of a resumed download
      counts on
  .   spare it: the connection is forwarded whole (uses no cut)

So "xxr" cuts two requests, then one answer, and so on; a pattern with
spares or answer cuts lets work progress between cuts.

The statistics file (JSON, rewritten after every connection and at exit)
counts the connections, the cuts (cuts_up and cuts_down at the offset,
cuts_answer after the work), the spared, and the bytes forwarded each
way (up_bytes, down_bytes): what reached the other side, not what was
dropped at a cut.  The log file has a line a connection.  SIGTERM writes
the statistics and exits 0.  Meant for one client at a time: a cut is
counted when its point is reached.
"""
import argparse
import json
import os
import random
import select
import signal
import socket
import struct
import threading
import time

lock = threading.Lock()
stats = {"connections": 0, "cuts": 0, "cuts_up": 0, "cuts_down": 0,
         "cuts_answer": 0, "spared": 0, "up_bytes": 0, "down_bytes": 0,
         "open": 0}
args = None
rng = None
pattern_at = 0
logf = None


def write_stats():
    if not args.stats:
        return
    tmp = args.stats + ".tmp"
    with open(tmp, "w") as f:
        json.dump(stats, f)
    os.replace(tmp, args.stats)


def log(line):
    if logf:
        logf.write("%.3f %s\n" % (time.time(), line))
        logf.flush()


def reset(s):
    """Close with a TCP reset, not a FIN: a cut, not a goodbye."""
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass


def byte_range(text):
    a, b = text.split(":")
    a, b = int(a), int(b)
    if a < 1 or b < a:
        raise argparse.ArgumentTypeError("A:B with 1 <= A <= B")
    return (a, b)


def plan():
    """The cut point of a new connection, or None when no cut remains."""
    with lock:
        if stats["cuts"] >= args.cuts:
            return None
        dirs = []
        if args.up:
            dirs.append("up")
        if args.down:
            dirs.append("down")
        if not dirs:
            return None
        d = rng.choice(dirs)
        a, b = args.up if d == "up" else args.down
        return {"dir": d, "at": rng.randint(a, b)}


def next_action(d):
    """At a cut point in direction d: what the pattern's next letter makes
    of it (x, f, r or .); '.' when the cuts are used up (another connection
    may have taken the last one).  A cut is counted here; an answer cut
    whose answer never comes is given back (undo_answer_cut)."""
    global pattern_at
    with lock:
        if stats["cuts"] >= args.cuts:
            return "."
        act = args.pattern[pattern_at % len(args.pattern)]
        pattern_at += 1
        if act == "r" and d == "down":
            act = "x"
        if act == ".":
            stats["spared"] += 1
        else:
            stats["cuts"] += 1
            stats["cuts_" + (d if act == "x" else "answer")] += 1
        return act


def undo_answer_cut():
    with lock:
        stats["cuts"] -= 1
        stats["cuts_answer"] -= 1


def handle(cs, n):
    p = plan()
    try:
        ss = socket.create_connection(args.upstream, timeout=10)
        ss.settimeout(None)
    except OSError as e:
        log("conn %d: upstream: %s" % (n, e))
        reset(cs)
        with lock:
            stats["open"] -= 1
            write_stats()
        return
    cs.settimeout(None)
    peer = {cs: ss, ss: cs}
    name = {cs: "up", ss: "down"}
    count = {"up": 0, "down": 0}
    open_from = {cs, ss}          # sides we still read from
    outcome = "whole"
    answer_cut = False            # an 'r' waits for the answer's first byte
    reached = False
    cut = False
    try:
        while open_from:
            r, _, _ = select.select(list(open_from), [], [], 600)
            if not r:
                outcome = "idle"
                break
            for s in r:
                try:
                    data = s.recv(65536)
                except OSError:
                    data = b""
                d = name[s]
                if not data:
                    # a half close goes on to the other side
                    open_from.discard(s)
                    try:
                        peer[s].shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    continue
                if answer_cut and d == "down":
                    cut = True
                    outcome = "cut the answer (%d up, %d down)" % (
                        count["up"], count["down"])
                    break
                if p and not reached and p["dir"] == d and \
                        count[d] + len(data) >= p["at"]:
                    reached = True
                    act = next_action(d)
                    if act in ("x", "f"):
                        keep = p["at"] - count[d]
                        peer[s].sendall(data[:keep])
                        count[d] += keep
                        with lock:
                            stats[d + "_bytes"] += keep
                        cut = act
                        outcome = "cut %s at byte %d%s" % (
                            d, p["at"], " (FIN)" if act == "f" else "")
                        break
                    if act == "r":
                        answer_cut = True
                    if act == ".":
                        outcome = "spared (%s at byte %d)" % (d, p["at"])
                peer[s].sendall(data)
                count[d] += len(data)
                with lock:
                    stats[d + "_bytes"] += len(data)
            if cut:
                break
        if cut == "f":
            for s in (cs, ss):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        elif cut:
            reset(cs)
            reset(ss)
    except OSError as e:
        outcome = "ended: %s" % e
    finally:
        if answer_cut and not cut:
            undo_answer_cut()     # the answer never came
        for s in (cs, ss):
            try:
                s.close()
            except OSError:
                pass
        with lock:
            stats["open"] -= 1
            log("conn %d: plan %s: %s; %d up, %d down" % (
                n, p and "%s@%d" % (p["dir"], p["at"]), outcome,
                count["up"], count["down"]))
            write_stats()


def on_term(signum, frame):
    with lock:
        write_stats()
    os._exit(0)


def main():
    global args, rng, logf
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--listen", default="127.0.0.1:0")
    ap.add_argument("--port-file")
    ap.add_argument("--stats")
    ap.add_argument("--log")
    ap.add_argument("--cuts", type=int, default=0)
    ap.add_argument("--up", type=byte_range)
    ap.add_argument("--down", type=byte_range)
    ap.add_argument("--pattern", default="x")
    ap.add_argument("--seed", type=int)
    args = ap.parse_args()
    if not args.pattern or set(args.pattern) - set("xfr."):
        ap.error("the pattern is made of x, f, r and .")
    h, p = args.upstream.rsplit(":", 1)
    args.upstream = (h, int(p))
    rng = random.Random(args.seed)
    if args.log:
        logf = open(args.log, "a")
    signal.signal(signal.SIGTERM, on_term)
    h, p = args.listen.rsplit(":", 1)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((h, int(p)))
    ls.listen(64)
    log("listening on %s:%d, upstream %s:%d, %d cuts, up %s, down %s, "
        "pattern %s, seed %s" % (h, ls.getsockname()[1], args.upstream[0],
                                 args.upstream[1], args.cuts, args.up,
                                 args.down, args.pattern, args.seed))
    write_stats()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % ls.getsockname()[1])
        os.replace(tmp, args.port_file)
    n = 0
    while True:
        try:
            cs, _ = ls.accept()
        except InterruptedError:
            continue
        n += 1
        with lock:
            stats["connections"] += 1
            stats["open"] += 1
        threading.Thread(target=handle, args=(cs, n), daemon=True).start()


if __name__ == "__main__":
    main()
