#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/<target>/ from the repository's own fixtures
(Tests/Fixtures) and a few hand-made FastCGI streams. Each file is named by the SHA-1 of its
bytes, as libFuzzer names what it finds. Run from anywhere: python3 Fuzz/seeds.py"""
import base64, glob, hashlib, json, os, shutil, struct

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fixtures = os.path.join(root, "Tests", "Fixtures")
corpus = os.path.join(root, "Fuzz", "corpus")


def write(target, items):
    folder = os.path.join(corpus, target)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for data in items:
        with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
    print(target, len(set(items)), "seeds")


# --- FastCGI: libfcgi's own requests, and one stream per behaviour of the record layer.
def record(kind, rid, content=b"", padding=0, version=1):
    return struct.pack(">BBHHBB", version, kind, rid, len(content), padding, 0) + content + b"\0" * padding


def length(n):
    return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)


def pair(name, value):
    return length(len(name)) + length(len(value)) + name + value


def begin(rid, role=1, keep=False):
    return record(1, rid, struct.pack(">HB5x", role, 1 if keep else 0))


def request(rid, params, body=b"", keep=False):
    content = b"".join(pair(n, v) for n, v in params)
    out = begin(rid, keep=keep) + (record(4, rid, content) if content else b"") + record(4, rid)
    return out + (record(5, rid, body) if body else b"") + record(5, rid)


get = [(b"REQUEST_METHOD", b"GET"), (b"REQUEST_URI", b"/health")]
post = [(b"REQUEST_METHOD", b"POST"), (b"REQUEST_URI", b"/handle-payment"), (b"CONTENT_LENGTH", b"14")]
fastcgi = [open(f, "rb").read() for f in sorted(glob.glob(os.path.join(fixtures, "fastcgi", "*.bin")))]
fastcgi += [
    request(1, get),
    request(1, post, b'{"amount":"1"}', keep=True) + request(2, get, keep=True),
    request(1, post, b'{"amount":"1"}', keep=True) + record(2, 1) + request(1, get),
    record(9, 0, pair(b"FCGI_MAX_CONNS", b"") * 5 + pair(b"FCGI_MAX_REQS", b"") + pair(b"FCGI_MPXS_CONNS", b"")),
    begin(1) + record(4, 1, b"\xff\xff\xff\xfe\x00" + b"A" * 27),  # F2
    begin(1) + record(4, 1, length(1_800_000_000) + b"\x00" + b"A" * 100),  # F3
    b"".join(record(12 + i, 0, b"x" * i) for i in range(16)),  # F4
    begin(1, keep=True) + begin(2) + record(4, 2, pair(b"A", b"b")) + record(4, 1) + record(5, 1),
    begin(3, role=2) + record(4, 3, pair(b"A", b"b")),
    begin(1) + record(4, 1, pair(b"A", b"b"), padding=7) + record(4, 1, padding=255) + record(5, 1, b"x" * 9, padding=7) + record(5, 1),
    begin(1) + record(4, 1, pair(b"CONTENT_LENGTH", b"999999")) + record(4, 1),
    begin(1) + record(5, 1, b"y" * 4000) + record(5, 1, b"y" * 200),
    record(4, 1, version=2),
]
write("fastcgi", fastcgi)

# --- Payments: every payment case's body, and the same events as /handle-packet bodies.
cases = json.load(open(os.path.join(fixtures, "vectors", "payment-cases.json")))["cases"]
bodies = []
for case in cases:
    req = case["request"]
    if "json" in req:
        bodies.append(json.dumps(req["json"], separators=(",", ":")).encode())
    else:
        bodies.append(base64.b64decode(req["body_base64"]))
packets = []
for case in cases[:60]:
    body = case["request"].get("json")
    if isinstance(body, dict) and isinstance(body.get("data"), str):
        packets.append(json.dumps({
            "paymentId": "p-" + case["id"], "destination": "g.bls-acceptance.dev",
            "amount": str(body.get("amount")), "expiresAt": "2030-01-01T00:00:00.000Z", "data": body["data"],
        }, separators=(",", ":")).encode())
# The first byte chooses the endpoint: even /handle-payment, odd /handle-packet.
write("payment", [b"\x00" + b for b in bodies] + [b"\x01" + b for b in packets])

# --- JSON: the payment bodies and the TOON fixtures' expected values.
values = []
for path in sorted(glob.glob(os.path.join(fixtures, "toon-fixtures", "*", "*.json"))):
    for test in json.load(open(path))["tests"]:
        value = test["expected"] if "decode" in path else test["input"]
        if value is not None:
            values.append(json.dumps(value, ensure_ascii=False).encode())
edge = [b'-0.0e-0', b'1E400', b'"\\ud83d\\ude00\\u0000\\/"', b' [ ] ', b'{"a":{"a":{"a":[[[]]]}}}', b'"\xc3\xa9\xf0\x9f\x98\x80"']
write("json", bodies[:120] + sorted(set(values))[:150] + edge)

# --- TOON: all 516 conformance cases: decode inputs and encode outputs.
toon = []
for path in sorted(glob.glob(os.path.join(fixtures, "toon-fixtures", "*", "*.json"))):
    for test in json.load(open(path))["tests"]:
        text = test["input"] if "decode" in path else test["expected"]
        if isinstance(text, str):
            toon.append(text.encode())
# Inputs that once failed a target (see Fuzz/README.md, "Found").
toon.append(b"11e" + b"2" * 54 + b"12")
write("toon", toon)
