#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print how many pixels of a PNG are not (near) white, and its size.

Usage: png_ink.py FILE.png [RRGGBB]  ->  "INK WIDTH HEIGHT [MATCH]"
With a colour, MATCH counts the pixels within 8 of it in every channel.
Decodes 8-bit RGB/RGBA/grey PNGs (what chromium and rsvg-convert write)
with zlib only, so the tests need no imaging library. A pixel counts as
ink when any channel is below 240 (and, with alpha, it is not transparent).
"""
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def main(path, want=None):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit('not a PNG: ' + path)
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    chans = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or not chans or interlace:
        sys.exit('unsupported PNG (depth %d, colour type %d, interlace %d)'
                 % (depth, ctype, interlace))
    raw = zlib.decompress(idat)
    stride = w * chans
    prev = bytearray(stride)
    ink = match = 0
    rgb = bytes.fromhex(want) if want else None
    for y in range(h):
        off = y * (stride + 1)
        ftype = raw[off]
        line = bytearray(raw[off + 1:off + 1 + stride])
        for i in range(stride):
            a = line[i - chans] if i >= chans else 0
            b = prev[i]
            c = prev[i - chans] if i >= chans else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif ftype == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        for x in range(0, stride, chans):
            px = line[x:x + chans]
            colour = px[:3] if chans >= 3 else px[:1]
            if chans in (2, 4) and px[-1] < 16:
                continue
            if min(colour) < 240:
                ink += 1
            if rgb and len(colour) == 3 and \
                    all(abs(colour[k] - rgb[k]) <= 8 for k in range(3)):
                match += 1
        prev = line
    print(ink, w, h, *([match] if rgb else []))


if __name__ == '__main__':
    main(*sys.argv[1:3])
