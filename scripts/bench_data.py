#!/usr/bin/env python3
"""Writes a benchmark report project: one ISO week of CloudWatch get-metric-data output for many
Lambda functions, as the AWS CLI v2 prints it (indent 4, ISO timestamps newest first).

Default: 1,000 functions x 12 metrics x 5-minute periods = 24,192,000 points in files of 500
queries each (the GetMetricData limit). Deterministic: a fixed seed, no clock.

    python3 scripts/bench_data.py --out DIR [--functions N]
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
WEEK = "2026-W47"
START = dt.datetime(2026, 11, 16, tzinfo=dt.timezone.utc)
PERIOD = 300
POINTS = 7 * 24 * 3600 // PERIOD


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--functions", type=int, default=1000)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    folder = out / "snapshots" / WEEK
    folder.mkdir(parents=True, exist_ok=True)
    (out / "headroom.yml").write_text("title: Benchmark\ntimeZone: UTC\nsources: [snapshots]\n")
    rng = random.Random(47)
    stamps = [(START + dt.timedelta(seconds=PERIOD * i)).strftime("%Y-%m-%dT%H:%M:%S+00:00") for i in range(POINTS)]
    stamps.reverse()  # newest first, as ScanBy=TimestampDescending returns them
    indent = " " * 16
    stamp_block = ",\n".join(f'{indent}"{s}"' for s in stamps)
    queries = []
    for f in range(args.functions):
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
    print(f"{args.functions} functions, {len(queries)} series, {len(queries) * POINTS} points, {total_bytes} bytes")


if __name__ == "__main__":
    main()
