#!/usr/bin/env python3
"""Streams one large CloudTrail file (gzip of {"Records":[...]}) for the memory runs of bench/run.sh.

usage: gen_big_cloudtrail.py OUTFILE [--bytes N] [--pool P] [--seed S] [--level L]

Generates P distinct records with the shared generator (../shared/tools/gen_cloudtrail.py, found next to the repo
root), then writes them round-robin, each with its own eventID, until the uncompressed document reaches N bytes
(default 2e9). Only the pool is held in memory; the output is written through gzip as it is produced.
"""
import argparse, datetime, gzip, importlib.util, json, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "shared", "tools", "gen_cloudtrail.py")


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_cloudtrail", GEN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--bytes", type=int, default=2_000_000_000)
    ap.add_argument("--pool", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--level", type=int, default=6)
    a = ap.parse_args()

    gen = load_generator()
    r = random.Random(a.seed)
    acct, region = "123456789012", "us-east-1"
    t0 = datetime.datetime(2026, 10, 1, 0, 0, tzinfo=datetime.timezone.utc)
    marker = "@@EVENTID@@"
    templates = []
    for _ in range(a.pool):
        e = gen.event(r, acct, region, t0 + datetime.timedelta(seconds=r.randint(0, 299)))
        e["eventID"] = marker
        head, tail = json.dumps(e, separators=(",", ":")).encode().split(marker.encode())
        templates.append((head, tail))

    tmp = a.out + ".partial"
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    written = 0
    count = 0
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=a.level, mtime=0) as gz:
        opening = b'{"Records":['
        gz.write(opening)
        written += len(opening)
        batch = []
        while written < a.bytes:
            head, tail = templates[count % a.pool]
            h = f"{count:032x}"
            event_id = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}".encode()
            piece = (b"," if count else b"") + head + event_id + tail
            batch.append(piece)
            written += len(piece)
            count += 1
            if len(batch) == 1024:
                gz.write(b"".join(batch))
                batch.clear()
        batch.append(b"]}")
        written += 2
        gz.write(b"".join(batch))
    os.replace(tmp, a.out)
    print(f"1 file, {count} events, {written} bytes uncompressed, {os.path.getsize(a.out)} bytes gzip")


if __name__ == "__main__":
    sys.exit(main())
