#!/usr/bin/env python3
"""guardload.py KIND DST PORT ALLOWED_SRC DENIED_SRC COUNT - a bounded mixed load.

COUNT connections, alternately from ALLOWED_SRC and DENIED_SRC (the same family as DST), 8 at a
time, each with a 20 s timeout.  KIND says what an allowed connection asks and must get back:
  http   "GET / HTTP/1.0" -> a status line "HTTP/1.x 200"
  redis  "PING"           -> "+PONG"
  echo   a line, then end of file -> the line back (after whatever greeting the server sends)
A denied connection must get no byte before the server closes it.  Prints one line:
"allowed OK/N denied OK/N" (OK = answered as expected); exits 0 either way (the caller checks).
"""
import concurrent.futures
import socket
import sys

kind, dst, port, good, bad, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    sys.argv[4], sys.argv[5], int(sys.argv[6])
family = socket.AF_INET6 if ":" in dst else socket.AF_INET
ask = {"http": b"GET / HTTP/1.0\r\n\r\n", "redis": b"PING\r\n", "echo": b"load line\n"}[kind]


def reply_ok(data):
    if kind == "http":
        return data.startswith(b"HTTP/1.") and data.split(b"\r\n", 1)[0].split()[1] == b"200"
    if kind == "redis":
        return data.startswith(b"+PONG")
    return b"load line\n" in data


def one(i):
    src = good if i % 2 == 0 else bad
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(20)
    data = b""
    try:
        s.bind((src, 0))
        s.connect((dst, port))
        try:
            s.sendall(ask)
            if kind == "echo":
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # a refused connection may already be closed
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if kind != "http" and reply_ok(data):
                break
    except ConnectionResetError:
        pass
    except OSError as e:
        return (src == good, False, repr(e))
    finally:
        s.close()
    if src == good:
        return (True, reply_ok(data), data[:40])
    return (False, data == b"", data[:40])


ok = {True: 0, False: 0}
seen = {True: 0, False: 0}
bad_samples = []
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    for allowed, good_reply, sample in pool.map(one, range(count)):
        seen[allowed] += 1
        if good_reply:
            ok[allowed] += 1
        elif len(bad_samples) < 3:
            bad_samples.append((allowed, sample))
print("allowed %d/%d denied %d/%d" % (ok[True], seen[True], ok[False], seen[False]))
for s in bad_samples:
    print("sample:", s, file=sys.stderr)
