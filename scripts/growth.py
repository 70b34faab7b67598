#!/usr/bin/env python3
"""Growth of the cost of pathological inputs, for `make bench`: each input at size N and 2N on top
of a one-function project, built by the release binary. The cost is counted in instructions by
valgrind's callgrind (repeatable on a busy machine, unlike time), and the wall time is printed
beside it. For each input, the extra instructions of 2N over the base project must be at most 2.5
times those of N: doubling an input may not cost much more than double.

    python3 scripts/growth.py BINARY WORKDIR

Inputs: many series in one get-metric-data file; many files; deep JSON (200 levels under a key
the reader skips, in every result); Markdown lists nested 30 deep by two spaces; a note whose
paragraph is one long line of links and emphasis; and the Markdown constructs that are quadratic
in libcmark-gfm, each at its limit: tables 250 columns wide, paragraphs of `![[]()`, words of
`www.a_`. Prints a line per input; exits 1 if any misses.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import time

WEEK = "2026-W47"
START = 1_795_219_200  # Monday 2026-11-16 00:00 UTC
HOURS = 168


def metric_file(path, functions, extra=None):
    """get-metric-data output with its queries inline: hourly Invocations of each function."""
    stamps = [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(START + 3600 * h)) for h in range(HOURS)]
    results, queries = [], []
    for n, name in enumerate(functions):
        result = {"Id": f"m{n}", "Label": name, "Timestamps": stamps,
                  "Values": [float((n + h) % 97) for h in range(HOURS)], "StatusCode": "Complete"}
        if extra is not None:
            result["Extra"] = extra
        results.append(result)
        queries.append({"Id": f"m{n}", "MetricStat": {"Metric": {
            "Namespace": "AWS/Lambda", "MetricName": "Invocations",
            "Dimensions": [{"Name": "FunctionName", "Value": name}]}, "Period": 3600, "Stat": "Sum"}})
    path.write_text(json.dumps({"MetricDataResults": results, "MetricDataQueries": queries, "Messages": []}))


def base(folder):
    (folder / "snapshots" / WEEK).mkdir(parents=True)
    (folder / "notes").mkdir()
    (folder / "headroom.yml").write_text("title: Growth\ntimeZone: UTC\nsources: [snapshots]\nnotes: notes\n")
    metric_file(folder / "snapshots" / WEEK / "base.json", ["base-function"])


def many_series(folder, k):
    metric_file(folder / "snapshots" / WEEK / "series.json", [f"fn-{n:05d}" for n in range(k)])


def many_files(folder, k):
    for n in range(k):
        metric_file(folder / "snapshots" / WEEK / f"file-{n:05d}.json", [f"fn-{n:05d}"])


def deep_json(folder, k):
    deep = 0
    for _ in range(200):
        deep = [deep]
    metric_file(folder / "snapshots" / WEEK / "deep.json", [f"fn-{n:05d}" for n in range(k)], extra=deep)


def nested_markdown(folder, k):
    block = "".join("  " * level + f"- item {level}\n" for level in range(30))
    (folder / "notes" / f"{WEEK}.md").write_text("\n".join([block] * k))


def long_line(folder, k):
    words = "see **the queue** and [the runbook](https://runbooks.example/q) www.example.com/a _now_ "
    (folder / "notes" / f"{WEEK}.md").write_text(words * k + "\n")


def wide_table(folder, k):
    """Tables of 250 columns, k rows in all, in tables of 200 rows (under the 100,000-cell limit)."""
    header = "|" + " c |" * 250 + "\n|" + "---|" * 250 + "\n"
    tables = [header + "| x |\n" * min(200, k - start) for start in range(0, k, 200)]
    (folder / "notes" / f"{WEEK}.md").write_text("\n".join(tables))


def brackets(folder, k):
    """Paragraphs of 450 `![[]()` (900 `[`, under the 1,000 a paragraph limit)."""
    (folder / "notes" / f"{WEEK}.md").write_text("\n\n".join(["![[]()" * 450] * k))


def web_addresses(folder, k):
    """Words of 16 `www.a_` (the limit a word), k words on one line."""
    (folder / "notes" / f"{WEEK}.md").write_text(" ".join(["www.a_" * 16] * k) + "\n")


CASES = [
    ("many series in one file", many_series, 200),
    ("many files", many_files, 100),
    ("deep JSON, 200 levels a result", deep_json, 150),
    ("Markdown lists nested 30 deep", nested_markdown, 100),
    ("one long Markdown line", long_line, 450),
    ("Markdown tables 250 columns wide", wide_table, 190),
    ("Markdown paragraphs of 450 ![[]()", brackets, 20),
    ("Markdown words of 16 www.a_", web_addresses, 1200),
]


def measure(binary, folder):
    """(instructions, seconds) of a build of folder, from scratch."""
    def clean():
        for name in (".headroom", "public"):
            shutil.rmtree(folder / name, ignore_errors=True)
    clean()
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", str(binary), "build",
                          "-q", "--config", str(folder / "headroom.yml")], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"the build of {folder} failed:\n{run.stdout}{run.stderr}")
    instructions = int(re.search(r"Collected : (\d+)", run.stderr).group(1))
    seconds = []
    for _ in range(3):
        clean()
        started = time.perf_counter()
        subprocess.run([str(binary), "build", "-q", "--config", str(folder / "headroom.yml")], check=True)
        seconds.append(time.perf_counter() - started)
    return instructions, min(seconds)


def main():
    binary, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    # Valgrind cannot read the debug information of a Swift release binary: count a stripped copy.
    stripped = work / "headroom"
    subprocess.run(["strip", "--strip-debug", "-o", str(stripped), str(binary)], check=True)
    binary = stripped
    base(work / "base")
    base_i, base_s = measure(binary, work / "base")
    print(f"growth: the one-function project: {base_i / 1e6:.0f} M instructions, {base_s:.2f} s")
    failed = False
    for name, make, n in CASES:
        costs = []
        for k in (n, 2 * n):
            folder = work / f"{make.__name__}-{k}"
            base(folder)
            make(folder, k)
            costs.append(measure(binary, folder))
            shutil.rmtree(folder)
        (i1, s1), (i2, s2) = costs
        ratio = (i2 - base_i) / max(i1 - base_i, 1)
        ok = ratio <= 2.5
        failed |= not ok
        print(f"{'ok  ' if ok else 'MISS'}  growth of {name}: N={n} +{(i1 - base_i) / 1e6:.0f} M instructions "
              f"({s1:.2f} s), 2N +{(i2 - base_i) / 1e6:.0f} M ({s2:.2f} s): {ratio:.2f}x (target <= 2.5x)")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
