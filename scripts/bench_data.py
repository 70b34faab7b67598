#!/usr/bin/env python3
"""Writes a benchmark report project: ISO weeks of CloudWatch get-metric-data output for many
Lambda functions, as the AWS CLI v2 prints it (indent 4, ISO timestamps newest first).

Default: one week (2026-W47) of 1,000 functions x 12 metrics x 5-minute periods = 24,192,000
points in files of 500 queries each (the GetMetricData limit). With --weeks N, the N weeks that end
with 2026-W47, each in its own snapshots/<week>/ folder. Deterministic: a fixed seed, no clock.

    python3 scripts/bench_data.py --out DIR [--functions N] [--weeks N]
"""
import argparse
import datetime as dt
import json
import pathlib
import random

METRICS = [
    ("Invocations", "Sum"), ("Errors", "Sum"), ("Throttles", "Sum"), ("Duration", "p50"), ("Duration", "p90"),
    ("Duration", "p99"), ("Duration", "Average"), ("Duration", "Maximum"), ("ConcurrentExecutions", "Maximum"),
    ("DeadLetterErrors", "Sum"), ("AsyncEventsDropped", "Sum"), ("ProvisionedConcurrencySpilloverInvocations", "Sum"),
]
LAST = dt.datetime(2026, 11, 16, tzinfo=dt.timezone.utc)  # Monday of 2026-W47
PERIOD = 300
POINTS = 7 * 24 * 3600 // PERIOD


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--functions", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=1)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    (out / "snapshots").mkdir(parents=True, exist_ok=True)
    (out / "headroom.yml").write_text("title: Benchmark\ntimeZone: UTC\nsources: [snapshots]\n")
    total = (0, 0, 0)
    for back in reversed(range(args.weeks)):
        start = LAST - dt.timedelta(weeks=back)
        week = "{}-W{:02d}".format(*start.isocalendar()[:2])
        counts = write_week(out / "snapshots" / week, start, args.functions, random.Random(47 + 1000 * back))
        total = tuple(a + b for a, b in zip(total, counts))
    series, points, size = total
    print(f"{args.functions} functions, {series} series, {points} points, {size} bytes")


def write_week(folder, start, functions, rng):
    """One week's get-metric-data files; returns (series, points, bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamps = [(start + dt.timedelta(seconds=PERIOD * i)).strftime("%Y-%m-%dT%H:%M:%S+00:00") for i in range(POINTS)]
    stamps.reverse()  # newest first, as ScanBy=TimestampDescending returns them
    indent = " " * 16
    stamp_block = ",\n".join(f'{indent}"{s}"' for s in stamps)
    queries = []
    for f in range(functions):
        name = f"bench-function-{f:04d}"
        for metric, stat in METRICS:
            queries.append((f"m{len(queries)}", name, metric, stat))
    total_bytes = 0
    for part in range(0, len(queries), 500):
        chunk = queries[part:part + 500]
        query_json = [{"Id": qid, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": metric,
                       "Dimensions": [{"Name": "FunctionName", "Value": name}]}, "Period": PERIOD, "Stat": stat},
                       "ReturnData": True} for qid, name, metric, stat in chunk]
        stem = folder / f"lambda-{part // 500:03d}"
        (stem.parent / (stem.name + ".query.json")).write_text(json.dumps(query_json, indent=4) + "\n")
        pieces = ['{\n    "MetricDataResults": [\n']
        for n, (qid, name, metric, stat) in enumerate(chunk):
            base = rng.uniform(1, 500)
            values = ",\n".join(f"{indent}{round(base * rng.uniform(0.5, 1.5), 2)}" for _ in range(POINTS))
            pieces.append(
                f'        {{\n            "Id": "{qid}",\n            "Label": "{name} {metric}",\n'
                f'            "Timestamps": [\n{stamp_block}\n            ],\n'
                f'            "Values": [\n{values}\n            ],\n            "StatusCode": "Complete"\n        }}'
                + (",\n" if n + 1 < len(chunk) else "\n"))
        pieces.append('    ],\n    "Messages": []\n}\n')
        text = "".join(pieces)
        (stem.parent / (stem.name + ".json")).write_text(text)
        total_bytes += len(text.encode())
    return len(queries), len(queries) * POINTS, total_bytes


if __name__ == "__main__":
    main()
