#!/usr/bin/env python3
"""guardsem.py CMDS OUT ADDR PORT UNIXPATH - accept() semantics under libwrap_preload.so.

Listens (non-blocking) on ADDR:PORT and on the UNIX socket UNIXPATH, then runs each command
read from the fifo CMDS and appends one result line to OUT.  The test makes the connections
(from its client namespaces) before it sends a command.  Commands:
  accept        libc accept() with a 128-byte buffer, errno set to 42 before the call:
                "fd len=N ADDR errno=E" or "-1 ERRNAME len=N" (N: addrlen after the call)
  short         accept() with addrlen 4: "fd len=N head=HEX"
  null          accept(fd, NULL, NULL): "fd" or "-1 ERRNAME"
  flags         accept4(SOCK_NONBLOCK | SOCK_CLOEXEC): "fd nonblock=B cloexec=B"
  unix          accept() on the UNIX socket: "fd family=F"
  et            edge-triggered epoll: wait for the listener (20 s at most), then accept until
                EAGAIN: "event accepted=N ADDR..." (N connections handed over)
  quit
"""
import ctypes
import errno
import fcntl
import os
import select
import socket
import sys

cmds, out, addr, port, unixpath = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
libc = ctypes.CDLL(None, use_errno=True)
libc.accept.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
libc.accept4.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(16)
s.setblocking(False)
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.bind(unixpath)
u.listen(4)
u.setblocking(False)
ep = select.epoll()
ep.register(s.fileno(), select.EPOLLIN | select.EPOLLET)


def peer_text(buf):
    family = int.from_bytes(buf[0:2], "little")
    if family == socket.AF_INET:
        return socket.inet_ntop(socket.AF_INET, buf[4:8])
    return "family%d" % family


def run(cmd):
    if cmd == "accept" or cmd == "short":
        size = 128 if cmd == "accept" else 4
        buf = ctypes.create_string_buffer(128)
        ln = ctypes.c_uint32(size)
        ctypes.set_errno(42)
        fd = libc.accept(s.fileno(), buf, ctypes.byref(ln))
        e = ctypes.get_errno()
        if fd < 0:
            return "-1 %s len=%d" % (errno.errorcode.get(e, e), ln.value)
        os.close(fd)
        if cmd == "short":
            return "fd len=%d head=%s" % (ln.value, buf.raw[:4].hex())
        return "fd len=%d %s errno=%d" % (ln.value, peer_text(buf.raw), e)
    if cmd == "null":
        fd = libc.accept(s.fileno(), None, None)
        if fd < 0:
            return "-1 %s" % errno.errorcode.get(ctypes.get_errno())
        os.close(fd)
        return "fd"
    if cmd == "flags":
        fd = libc.accept4(s.fileno(), None, None, socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC)
        if fd < 0:
            return "-1 %s" % errno.errorcode.get(ctypes.get_errno())
        nb = bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)
        ce = bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
        os.close(fd)
        return "fd nonblock=%s cloexec=%s" % (nb, ce)
    if cmd == "unix":
        buf = ctypes.create_string_buffer(128)
        ln = ctypes.c_uint32(128)
        fd = libc.accept(u.fileno(), buf, ctypes.byref(ln))
        if fd < 0:
            return "-1 %s" % errno.errorcode.get(ctypes.get_errno())
        os.close(fd)
        return "fd family=%d" % int.from_bytes(buf.raw[0:2], "little")
    if cmd == "et":
        events = ep.poll(20)
        if not events:
            return "no event"
        got = []
        while True:
            try:
                c, a = s.accept()
            except BlockingIOError:
                break
            got.append(a[0])
            c.close()
        return "event accepted=%d %s" % (len(got), " ".join(got))
    return "unknown command " + cmd


with open(out, "a", buffering=1) as o:
    o.write("ready\n")
    while True:
        with open(cmds) as f:
            for line in f:
                cmd = line.strip()
                if cmd == "quit":
                    sys.exit(0)
                o.write(run(cmd) + "\n")
