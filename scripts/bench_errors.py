#!/usr/bin/env python3
"""Writes a benchmark report project of Lambda error logs: one week (2026-W47) of `aws logs
filter-log-events` output for N functions, as the AWS CLI v2 prints it, holding EVENTS error events
in all (default 1,000,000) in the runtimes' formats: Python unhandled exceptions with their
traceback, logging.error lines, Node.js Invoke Error records, JSON log format records at level
ERROR, timeouts and out-of-memory crashes, with request ids, numbers and quoted values that vary.
Deterministic: a fixed seed, no clock.

    python3 scripts/bench_errors.py --out DIR [--functions N] [--events N]
"""
import argparse
import datetime as dt
import json
import pathlib
import random

MONDAY = dt.datetime(2026, 11, 16, tzinfo=dt.timezone.utc)
WEEK_MS = 7 * 24 * 3600 * 1000


def rid(r):
    return "%08x-%04x-4%03x-%04x-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(12),
                                             0x8000 | r.getrandbits(14), r.getrandbits(48))


def iso(ms):
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def messages(r, ms, request):
    """One error event's message, of one of eight shapes (some groups per function)."""
    kind = r.randrange(8)
    if kind == 0:
        key = r.choice(["order_id", "customer_id", "sku", "cart"])
        return (f"[ERROR] KeyError: '{key}'\nTraceback (most recent call last):\n"
                f"  File \"/var/task/app/handler.py\", line {r.randrange(20, 90)}, in handle\n"
                f"    value = event[\"{key}\"]\n")
    if kind == 1:
        return f"[ERROR]\t{iso(ms)}\t{request}\tPayment {r.randrange(10 ** 6)} failed for order {rid(r)}: card declined\n"
    if kind == 2:
        return (f"{iso(ms)}\t{request}\tERROR\tInvoke Error \t" + json.dumps({
            "errorType": "TypeError", "errorMessage": f"Cannot read properties of undefined (reading '{r.choice('abc')}')",
            "stack": ["TypeError: x", f"    at price (file:///var/task/src/price.mjs:{r.randrange(9, 99)}:7)",
                      "    at Runtime.handler (file:///var/task/index.mjs:9:30)"]}, separators=(",", ":")) + "\n")
    if kind == 3:
        return json.dumps({
            "timestamp": iso(ms), "level": "ERROR", "message": "publish failed", "requestId": request,
            "errorType": "ClientError",
            "errorMessage": f"An error occurred (ThrottlingException) when calling the PutEvents operation "
                            f"(reached max retries: {r.randrange(2, 6)}): Rate exceeded",
            "stackTrace": ["  File \"/var/task/events.py\", line 27, in publish\n    client.put_events()\n"]},
            separators=(",", ":"))
    if kind == 4:
        return f"{iso(ms)} {request} Task timed out after {r.randrange(3, 30)}.{r.randrange(100):02d} seconds\n"
    if kind == 5:
        return f"RequestId: {request} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n"
    if kind == 6:
        return (f"[ERROR] ClientError: An error occurred (AccessDeniedException) when calling the GetItem operation: "
                f"User: arn:aws:sts::123456789012:assumed-role/r{r.randrange(5)}/f is not authorized to perform: "
                f"dynamodb:GetItem on resource: arn:aws:dynamodb:eu-central-1:123456789012:table/t{r.randrange(9)}\n")
    return f"[ERROR]\t{iso(ms)}\t{request}\tRetry {r.randrange(1, 9)} of {r.randrange(9, 20)} for job {r.getrandbits(64):x}\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--functions", type=int, default=100)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    week = out / "snapshots" / "2026-W47"
    week.mkdir(parents=True, exist_ok=True)
    (out / "headroom.yml").write_text("title: Error bench\ntimeZone: UTC\n")
    r = random.Random(21)
    start = int(MONDAY.timestamp() * 1000)
    per = args.events // args.functions
    for f in range(args.functions):
        name = f"fn-{f:04d}"
        times = sorted(start + r.randrange(WEEK_MS) for _ in range(per))
        events = []
        for ms in times:
            request = rid(r)
            stream = f"2026/11/{16 + (ms - start) // 86_400_000:02d}/[$LATEST]{r.getrandbits(128):032x}"
            events.append({"logStreamName": stream, "timestamp": ms, "message": messages(r, ms, request),
                           "ingestionTime": ms + 200, "eventId": f"{ms:013d}{r.getrandbits(128) % 10 ** 43:043d}"})
        (week / f"lambda-logs-{name}.json").write_text(json.dumps({"events": events, "searchedLogStreams": []}, indent=4))
        (week / f"lambda-logs-{name}.query.json").write_text(json.dumps({"logGroupName": f"/aws/lambda/{name}"}))
    print(f"{args.functions * per} error events in {args.functions} files")


if __name__ == "__main__":
    main()
