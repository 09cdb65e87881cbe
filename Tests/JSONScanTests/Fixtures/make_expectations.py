#!/usr/bin/env python3
"""Writes <name>.expected next to each <name>.ndjson fixture: one line per record,
"<item count> <FNV-1a 64 hex>" over the record's items in document order, where an item is
"s:" + decoded string (keys and values), "i:" + integer, "f:" + IEEE bits of a float in hex,
"b:true"/"b:false" or "n". JSONScanTests recomputes the same digest from the scanner's tokens.

Regenerate the inputs with:
  python3 gen_events.py logs --records 2000 > logs-2000.ndjson
  python3 gen_events.py events --records 2000 > events-2000.ndjson
"""
import json
import struct
import sys
from pathlib import Path


def items(value, out):
    if isinstance(value, dict):
        for key, member in value.items():
            out.append(b"s:" + key.encode())
            items(member, out)
    elif isinstance(value, list):
        for element in value:
            items(element, out)
    elif isinstance(value, str):
        out.append(b"s:" + value.encode())
    elif value is True or value is False:
        out.append(b"b:true" if value else b"b:false")
    elif value is None:
        out.append(b"n")
    elif isinstance(value, int):
        out.append(b"i:%d" % value)
    else:
        out.append(b"f:%016x" % struct.unpack("<Q", struct.pack("<d", value))[0])


def digest(parts):
    h = 0xCBF29CE484222325
    for part in parts:
        for byte in part + b"\xff":
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    here = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    for path in sorted(here.glob("*.ndjson")):
        lines = []
        for raw in path.read_bytes().splitlines():
            parts = []
            items(json.loads(raw), parts)
            lines.append("%d %016x" % (len(parts), digest(parts)))
        path.with_suffix(".expected").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
