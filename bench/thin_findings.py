#!/usr/bin/env python3
"""Copies a generated CloudTrail data set, keeping only a share of the records the detection packs flag.

The generator's records are rich in security events (about 18 % of them raise a finding with both packs); real trails
raise far fewer. This keeps every other record and KEEP of the flagged kinds (by eventName, seeded, deterministic), so
detections.sh can also measure at a realistic finding rate. Files keep their names and layout.

usage: thin_findings.py IN OUT [--keep 0.05] [--seed 1]
"""
import argparse
import gzip
import json
import os
import random

# The eventNames the shipped packs (rules/detections/) look at.
FLAGGED = {
    "ConsoleLogin", "DeleteBucket", "DeleteDBInstance", "TerminateInstances", "AttachUserPolicy", "PutUserPolicy",
    "CreateRole", "AttachRolePolicy", "CreateAccessKey", "DeleteUser", "PutBucketPolicy", "DeleteBucketPolicy",
    "ScheduleKeyDeletion", "DisableKey", "AuthorizeSecurityGroupIngress", "PassRole",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--keep", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    kept = dropped = 0
    for root, _, files in os.walk(a.src):
        for name in sorted(files):
            if not name.endswith(".json.gz"):
                continue
            with gzip.open(os.path.join(root, name)) as f:
                doc = json.load(f)
            records = []
            for record in doc["Records"]:
                is_root = (record.get("userIdentity") or {}).get("type") == "Root"
                if (record.get("eventName") in FLAGGED or is_root) and rng.random() >= a.keep:
                    dropped += 1
                    continue
                records.append(record)
                kept += 1
            out_dir = os.path.join(a.dst, os.path.relpath(root, a.src))
            os.makedirs(out_dir, exist_ok=True)
            raw = json.dumps({"Records": records}, separators=(",", ":")).encode()
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(gzip.compress(raw, 6, mtime=0))
    print(f"kept {kept} records, dropped {dropped} flagged ones")


if __name__ == "__main__":
    main()
