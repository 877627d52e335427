#!/usr/bin/env python3
# A one-shot FastCGI application for capture.sh: accepts one connection on argv[2], saves
# every byte up to the empty FCGI_STDIN of request 1 to argv[1], answers a fixed response.
import socket, os, sys, struct
path = sys.argv[2]
try: os.unlink(path)
except FileNotFoundError: pass
srv = socket.socket(socket.AF_UNIX); srv.bind(path); srv.listen(1)
c, _ = srv.accept()
data = b""
c.settimeout(2)
# read until the empty STDIN record of request 1
def done(d):
    i = 0
    while i + 8 <= len(d):
        t = d[i+1]; n = (d[i+4] << 8) | d[i+5]; p = d[i+6]
        if i + 8 + n + p > len(d): return False
        if t == 5 and n == 0: return True
        i += 8 + n + p
    return False
while not done(data):
    chunk = c.recv(65536)
    if not chunk: break
    data += chunk
open(sys.argv[1], "wb").write(data)
# answer: stdout + end request
body = b"Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok"
def rec(t, rid, content):
    pad = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, t, rid, len(content), pad, 0) + content + b"\0" * pad
c.sendall(rec(6, 1, body) + rec(6, 1, b"") + rec(3, 1, struct.pack(">IB3x", 0, 0)))
c.close()
