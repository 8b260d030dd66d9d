#!/usr/bin/env python3
"""identd-hostile.py MODEFILE LOGFILE MAX_SECONDS ADDR... - a misbehaving RFC 1413 server.

Listens on ADDR:113 for each ADDR (run it in a client namespace) and answers every query the
way MODEFILE says at the moment the query arrives (one line "MODE [ARG]"), so that one server
serves a whole test suite.  Each query is appended to LOGFILE as one line
"QUERY-SOURCE-ADDRESS|QUERY|MODE", so tests can check what the library sent, and from where.
Every connection is closed after at most 30 s, and the whole server exits after MAX_SECONDS.

MODES (REPLY is "CLIENT-PORT , SERVER-PORT", echoing the query's ports)
  user NAME        REPLY : USERID : UNIX : NAME        (a well-formed answer)
  os OS NAME       REPLY : USERID : OS : NAME
  lower NAME       REPLY : userid : UNIX : NAME        (USERID must be in capitals)
  noos NAME        REPLY : USERID :: NAME              (the os field must not be empty)
  nonewline NAME   a well-formed answer without the newline, then close
  wrongport NAME   a well-formed answer for other ports
  error            REPLY : ERROR : NO-USER
  garbage          a line of junk without the ports
  long N           a well-formed answer whose user is N bytes long
  flood            65536 bytes without a newline, then silence
  silent           read the query, never answer
  slow SECONDS NAME  answer after SECONDS
  trickle          one byte of a valid answer every 0.5 s, never finishing the line
  close            close at once, before the query
"""
import os
import signal
import socket
import sys
import threading
import time

mode_file, log_file, max_seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
signal.alarm(max_seconds)
log_lock = threading.Lock()


def current_mode():
    try:
        with open(mode_file) as f:
            words = f.read().split()
    except OSError:
        words = []
    return (words or ["error"])[0], words[1:]


def answer(conn, peer):
    mode, args = current_mode()
    conn.settimeout(30)
    if mode == "close":
        return
    query = b""
    while b"\n" not in query and len(query) < 1000:
        data = conn.recv(1000)
        if not data:
            break
        query += data
    text = query.decode("latin-1").strip()
    with log_lock, open(log_file, "a") as log:
        log.write("%s|%s|%s\n" % (peer, text, mode))
    ports = text.replace(" ", "")
    name = args[-1] if args else "nobody"
    replies = {
        "user": "%s : USERID : UNIX : %s\r\n" % (ports, name),
        "os": "%s : USERID : %s : %s\r\n" % (ports, args[0] if args else "OTHER", name),
        "lower": "%s : userid : UNIX : %s\r\n" % (ports, name),
        "noos": "%s : USERID :: %s\r\n" % (ports, name),
        "nonewline": "%s : USERID : UNIX : %s" % (ports, name),
        "wrongport": "1 , 2 : USERID : UNIX : %s\r\n" % name,
        "error": "%s : ERROR : NO-USER\r\n" % ports,
        "garbage": "HTTP/1.0 400 nonsense\r\n",
    }
    if mode == "long":
        replies[mode] = "%s : USERID : UNIX : %s\r\n" % (ports, "A" * int(args[0]))
    if mode in replies:
        conn.sendall(replies[mode].encode("latin-1"))
    elif mode == "flood":
        conn.sendall(b"X" * 65536)
        time.sleep(30)
    elif mode == "silent":
        time.sleep(30)
    elif mode == "slow":
        time.sleep(float(args[0]))
        conn.sendall(("%s : USERID : UNIX : %s\r\n" % (ports, name)).encode())
    elif mode == "trickle":
        for ch in ("%s : USERID : UNIX : %s" % (ports, name)) * 10:
            conn.sendall(ch.encode())
            time.sleep(0.5)


def handle(conn, peer):
    try:
        answer(conn, peer)
    except OSError:
        pass
    finally:
        conn.close()


def serve(listener):
    while True:
        conn, peer = listener.accept()
        threading.Thread(target=handle, args=(conn, peer[0]), daemon=True).start()


for addr in sys.argv[4:]:
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((addr, 113))
    listener.listen(16)
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
while True:
    time.sleep(3600)
