#!/usr/bin/env python3
"""devlog.py SOCKET OUTFILE - a syslog catcher for the test sandbox.

Binds an AF_UNIX datagram socket at SOCKET (the sandbox's private /dev/log) and appends each
message to OUTFILE as one line, embedded newlines shown as \\n, so tests can grep for exact
log lines ("<PRI>TIMESTAMP TAG[PID]: text").  Runs until it is killed; the rig kills it with
the sandbox."""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o666)
with open(out, "ab", buffering=0) as log:
    while True:
        data = sock.recv(65536)
        log.write(data.rstrip(b"\n").replace(b"\n", b"\\n") + b"\n")
