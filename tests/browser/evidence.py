#!/usr/bin/env python3
"""evidence.py - read what headless Chromium left, for tests/browser/*.sh.

  evidence.py png FILE       "WIDTH HEIGHT COLOURS INK": the screenshot's size,
                             its number of distinct colours (up to 1000) and the
                             share of pixels that are not the background (the
                             top-left pixel's colour), in per mille.
  evidence.py requests NETLOG
                             one line "INITIATOR URL" per URL request the net
                             log (--log-net-log) holds (URL_REQUEST_START_JOB),
                             file:, data: and about: left out.  A page's own
                             requests have its origin ("null" for a file: page)
                             as initiator; the browser's own (component updater,
                             account checks) "not an origin".
Plain Python 3: the PNG is decoded here (zlib, the five filters), no library.
"""
import json
import struct
import sys
import zlib


def png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("%s: not a PNG" % path)
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise SystemExit("%s: not 8-bit RGB(A)" % path)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * bpp
    prev, colours, ink, bg = bytearray(stride), set(), 0, None
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            px = bytes(line[x:x + 3])
            if bg is None:
                bg = px
            if px != bg:
                ink += 1
            if len(colours) < 1000:
                colours.add(px)
        prev = line
    print(w, h, len(colours), ink * 1000 // (w * h))


def requests(path):
    d = json.load(open(path))
    names = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    for e in d["events"]:
        p = e.get("params") or {}
        if names.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        if p["url"].split(":", 1)[0] in ("file", "data", "about"):
            continue
        print(p.get("initiator", "?"), p["url"])


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("png", "requests"):
        raise SystemExit(__doc__)
    {"png": png, "requests": requests}[sys.argv[1]](sys.argv[2])
