"""End to end: scripts/collect-aws.sh against a real moto server, then headroom build on what it collected.

moto (moto[server], pinned in requirements.txt) runs on a free loopback port and is seeded with
boto3: Lambda functions, a reserved concurrency, CloudWatch datapoints inside (and just outside)
the previous ISO week, CloudWatch Logs with real REPORT, timeout and platform.report lines, Cost
Explorer results (through moto's own /moto-api/static/ce/cost-and-usage-results, in two pages)
and a Security Hub finding. The script runs the pinned AWS CLI v1 (next to this Python) with
AWS_ENDPOINT_URL pointing at moto.

The calls moto does not implement are answered by a small `aws` wrapper put first on PATH (test
code only: the script does not know about it), which prints recorded outputs and runs the real
CLI for everything else:

- lambda get-account-settings (moto: 404), service-quotas list-service-quotas (moto: 500),
  support describe-trusted-advisor-check-result (moto: 500) and wellarchitected (not in moto):
  the recorded files of Tests/Fixtures (their READMEs say where each comes from: the AWS CLI's
  own examples, or bodies shaped to botocore's output shapes and printed by the real CLI) and of
  Tests/Python/fixtures/collect (see its README);
- moto's get-metric-data fails on percentile statistics (p50/p99 answer HTTP 500), so no Duration
  datapoints are seeded: Headroom only asks for metrics that list-metrics returns.

The wrapper also injects failures in the CLI's real format: a denied Security Hub call and an
unsubscribed Trusted Advisor (warnings, exit 0), and throttling (exit 1, nothing written).
"""
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import pytest

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto")

import moto_server  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[3]
BINARY = pathlib.Path(os.environ.get("HEADROOM_BIN", ROOT / ".build" / "debug" / "headroom"))
SCRIPT = ROOT / "scripts" / "collect-aws.sh"
FIXTURES = ROOT / "Tests" / "Fixtures"
RECORDED = ROOT / "Tests" / "Python" / "fixtures" / "collect"
VENV_BIN = pathlib.Path(sys.executable).parent
REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account
WORKLOAD = "a1b2c3d4e5f60718293a4b5c6d7e8f90"  # the workload of the recorded Well-Architected files



def previous_week():
    """The week `--week previous` collects, asked of Headroom itself (`headroom week previous` in UTC,
    the project's time zone), so that the test reads the same clock as the code under test and no
    other: the system clock, a shifted one under libfaketime, or SOURCE_DATE_EPOCH. Log events must
    be at most 14 days old for CloudWatch Logs (and moto), so the week must be the recent one, and
    every instant the test seeds is derived from it."""
    with tempfile.TemporaryDirectory() as folder:
        config = pathlib.Path(folder) / "headroom.yml"
        config.write_text("title: Clock\ntimeZone: UTC\n")
        line = subprocess.run([str(BINARY), "week", "--config", str(config), "previous"], check=True,
                              capture_output=True, text=True).stdout.split()
    start = dt.datetime.fromisoformat(line[1].replace("Z", "+00:00"))
    return line[0], start, dt.datetime.fromisoformat(line[2].replace("Z", "+00:00"))


WEEK, WEEK_START, WEEK_END = previous_week()
MONDAY = WEEK_START.date()

FUNCTIONS = {
    # name: (memory MB, timeout s, architecture)
    "checkout-api": (512, 10, "x86_64"),
    "orders-worker": (1024, 60, "arm64"),
    "nightly-report": (2048, 900, "x86_64"),
}
RESERVED = {"orders-worker": 5}


def at(day, hour, minute=0):
    """An instant of the week: day 0 is Monday."""
    return WEEK_START + dt.timedelta(days=day, hours=hour, minutes=minute)


# Hourly Lambda datapoints: (function, metric, instant, value). Thursday to Saturday, so that the
# log events of the same hours are accepted by CloudWatch Logs.
LAMBDA_POINTS = (
    [("checkout-api", "Invocations", at(3, h), 100.0) for h in range(9, 21)]
    + [("checkout-api", "Errors", at(3, 10), 4.0), ("checkout-api", "Errors", at(3, 15), 2.0)]
    + [("checkout-api", "Throttles", at(3, 12), 3.0)]
    + [("orders-worker", "Invocations", at(4, h), 40.0) for h in range(8, 14)]
    + [("orders-worker", "Errors", at(4, h), 0.0) for h in range(8, 14)]
    + [("nightly-report", "Invocations", at(d, 2), 1.0) for d in range(7)]
)
# Outside the week: the hour before it starts and the hour after it ends must not count.
OUTSIDE_POINTS = [
    ("checkout-api", "Invocations", WEEK_START - dt.timedelta(hours=1), 999.0),
    ("checkout-api", "Invocations", WEEK_END, 999.0),
]
ACCOUNT_CONCURRENCY = [(at(3, h), 7.0 if h != 12 else 42.0) for h in range(9, 21)]

# Cost Explorer, daily by service: two pages, as Cost Explorer pages a long answer.
COST_SERVICES = {
    "AWS Lambda": decimal.Decimal("1.2500000000"),
    "Amazon DynamoDB": decimal.Decimal("0.4012345678"),
    "Amazon Simple Queue Service": decimal.Decimal("0.0312000001"),
}


def cost_day(day):
    start = MONDAY + dt.timedelta(days=day)
    amount = lambda base: str(base + decimal.Decimal(day) / 100)  # noqa: E731
    return {
        "TimePeriod": {"Start": start.isoformat(), "End": (start + dt.timedelta(days=1)).isoformat()},
        "Total": {},
        "Groups": [
            {"Keys": [name], "Metrics": {"UnblendedCost": {"Amount": amount(base), "Unit": "USD"}}}
            for name, base in COST_SERVICES.items()
        ],
        "Estimated": False,
    }


def expected_cost(service=None):
    return sum(
        base + decimal.Decimal(day) / 100
        for day in range(7)
        for name, base in COST_SERVICES.items()
        if service in (None, name)
    )


def request_id(n):
    return f"{n:08x}-1f2e-4d3c-9b8a-{n:012x}"


def log_events():
    """checkout-api's log: text format, a cold start, a timeout; orders-worker's: JSON format."""
    millis = lambda t: int(t.timestamp() * 1000)  # noqa: E731
    checkout = []
    for n, (minute, duration, memory, init) in enumerate(
            [(5, 102.51, 88, 245.12), (20, 45.20, 90, None), (35, 61.75, 91, None)], start=1):
        t = at(3, 10, minute)
        rid = request_id(n)
        checkout.append((millis(t), f"START RequestId: {rid} Version: $LATEST\n"))
        checkout.append((millis(t) + 1, f"{t.isoformat()}\t{rid}\tINFO\tcheckout for cart 42\n"))
        report = (f"REPORT RequestId: {rid}\tDuration: {duration:.2f} ms\tBilled Duration: {int(duration) + 1} ms\t"
                  f"Memory Size: 512 MB\tMax Memory Used: {memory} MB\t")
        if init:
            report += f"Init Duration: {init:.2f} ms\t"
        checkout.append((millis(t) + 2, report + "\n"))
    # An unhandled Python exception, as the runtime writes it: one multi-line event without a
    # request id, between the request's START and REPORT.
    t = at(3, 10, 50)
    rid = request_id(10)
    checkout.append((millis(t), f"START RequestId: {rid} Version: $LATEST\n"))
    checkout.append((millis(t) + 3, "[ERROR] KeyError: 'cart_id'\nTraceback (most recent call last):\n"
                                    "  File \"/var/task/checkout/app.py\", line 31, in handler\n"
                                    "    cart = event[\"cart_id\"]\n"))
    checkout.append((millis(t) + 4, f"REPORT RequestId: {rid}\tDuration: 3.10 ms\tBilled Duration: 4 ms\t"
                                    f"Memory Size: 512 MB\tMax Memory Used: 88 MB\tStatus: error\tError Type: KeyError\n"))
    t = at(3, 11)
    rid = request_id(4)
    checkout.append((millis(t), f"START RequestId: {rid} Version: $LATEST\n"))
    checkout.append((millis(t) + 10010, f"{(t + dt.timedelta(seconds=10)).isoformat()} {rid} Task timed out after 10.01 seconds\n"))
    checkout.append((millis(t) + 10011, f"REPORT RequestId: {rid}\tDuration: 10010.00 ms\tBilled Duration: 10000 ms\t"
                                        f"Memory Size: 512 MB\tMax Memory Used: 120 MB\tStatus: timeout\n"))
    worker = []
    for n in range(5, 8):
        t = at(4, 9, n)
        rid = request_id(n)
        record = {"time": t.isoformat().replace("+00:00", "Z"), "type": "platform.report",
                  "record": {"requestId": rid, "metrics": {"durationMs": 250.5 + n, "billedDurationMs": 252 + n,
                                                           "memorySizeMB": 1024, "maxMemoryUsedMB": 200},
                             "status": "success"}}
        worker.append((millis(t), json.dumps(record, separators=(",", ":"))))
    # A handled error at level ERROR in the JSON log format, with the password in its message.
    t = at(4, 9, 30)
    worker.append((millis(t), json.dumps({
        "timestamp": t.isoformat().replace("+00:00", "Z"), "level": "ERROR", "message": "order rejected",
        "logger": "root", "requestId": request_id(11), "errorType": "ValueError",
        "errorMessage": "quantity -2 for order 7781 with password=swordfish",
        "stackTrace": ["  File \"/var/task/worker.py\", line 12, in handle\n    raise ValueError(msg)\n"]},
        separators=(",", ":"))))
    # After the week: filter-log-events' endTime must leave it out.
    late = WEEK_END + dt.timedelta(minutes=1)
    rid = request_id(99)
    checkout.append((millis(late), f"REPORT RequestId: {rid}\tDuration: 1.00 ms\tBilled Duration: 1 ms\t"
                                   f"Memory Size: 512 MB\tMax Memory Used: 80 MB\t\n"))
    return {"checkout-api": sorted(checkout), "orders-worker": sorted(worker)}


def security_hub_finding():
    """The first finding of the recorded moto capture, moved to checkout-api in this account and region."""
    recorded = json.loads((FIXTURES / "security-hub-asff" / "moto-get-findings.json").read_text())["Findings"][0]
    text = json.dumps(recorded).replace("legacy-report", "checkout-api").replace("eu-central-1", REGION)
    finding = json.loads(text)
    # The capture's dates are those of the day it was recorded; a finding is placed in the week of its
    # UpdatedAt, so they move into the collected week: first seen a week before it, updated inside it.
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # noqa: E731
    first, last = stamp(at(-7, 8, 14)), stamp(at(2, 8, 15))
    finding.update(FirstObservedAt=first, CreatedAt=first, LastObservedAt=last, UpdatedAt=last)
    return finding


# The dates in the recorded outputs, as they were on the day they were recorded. The wrapper moves
# each by whole weeks into the collected week (same weekday and time), because Headroom places a
# finding in the week of its observation.
RECORDED_DATES = [
    "2026-11-16T05:12:44Z",  # Trusted Advisor check results: timestamp
    "2026-11-15T12:42:07.512000+00:00",  # Well-Architected get-lens-review: UpdatedAt
    "1794746527.512",  # Well-Architected list-workloads: UpdatedAt (epoch seconds, as CLI v1 prints)
]


def into_week(t):
    """t moved by whole weeks into [WEEK_START, WEEK_END)."""
    return t - dt.timedelta(weeks=(t - WEEK_START) // dt.timedelta(weeks=1))


def date_map():
    """The sed script that moves RECORDED_DATES into the week, keeping each one's notation."""
    lines = []
    for text in RECORDED_DATES:
        if "-" not in text:
            moved = into_week(dt.datetime.fromtimestamp(float(text), dt.timezone.utc))
            new = f"{moved.timestamp():.3f}"
        else:
            moved = into_week(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
            new = moved.isoformat(timespec="microseconds" if "." in text else "seconds")
            new = new.replace("+00:00", "Z") if text.endswith("Z") else new
        assert WEEK_START <= moved < WEEK_END, (text, moved)
        lines.append(f"s/{re.escape(text)}/{new}/g")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def moto():
    with moto_server.running() as url:
        seed(url)
        yield url


def client(url, service):
    return boto3.client(service, region_name=REGION, endpoint_url=url,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def seed(url):
    iam = client(url, "iam")
    role = iam.create_role(RoleName="shop-lambda", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {}\n")
    lam = client(url, "lambda")
    for name, (memory, timeout, architecture) in FUNCTIONS.items():
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="app.handler",
                            Code={"ZipFile": code.getvalue()}, MemorySize=memory, Timeout=timeout,
                            Architectures=[architecture])
    for name, reserved in RESERVED.items():
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)

    cloudwatch = client(url, "cloudwatch")
    data = [{"MetricName": metric, "Dimensions": [{"Name": "FunctionName", "Value": fn}], "Timestamp": t,
             "Value": value, "Unit": "Count"} for fn, metric, t, value in LAMBDA_POINTS + OUTSIDE_POINTS]
    data += [{"MetricName": "ConcurrentExecutions", "Timestamp": t, "Value": v, "Unit": "Count"}
             for t, v in ACCOUNT_CONCURRENCY]
    cloudwatch.put_metric_data(Namespace="AWS/Lambda", MetricData=data)
    cloudwatch.put_metric_data(Namespace="AWS/SQS", MetricData=[
        {"MetricName": "NumberOfMessagesSent", "Dimensions": [{"Name": "QueueName", "Value": "orders-queue"}],
         "Timestamp": at(4, h), "Value": 50.0, "Unit": "Count"} for h in range(8, 14)])
    cloudwatch.put_metric_data(Namespace="AWS/DynamoDB", MetricData=[
        {"MetricName": "ConsumedReadCapacityUnits", "Dimensions": [{"Name": "TableName", "Value": "orders"}],
         "Timestamp": at(3, h), "Value": 360.0, "Unit": "Count"} for h in range(9, 21)])
    client(url, "sqs").create_queue(QueueName="orders-queue")
    client(url, "dynamodb").create_table(
        TableName="orders", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])

    # One X-Ray trace on Wednesday: the API stage calling checkout-api, which faults.
    start = at(3, 12, 30).timestamp()
    trace_id = "1-%08x-0123456789abcdef01234567" % int(start)
    segments = [
        {"trace_id": trace_id, "id": "70de5b6f19ff9a0a", "name": "shop-api/prod", "start_time": start,
         "end_time": start + 0.8, "origin": "AWS::ApiGateway::Stage", "fault": True,
         "subsegments": [{"id": "53995c3f42cd8ad8", "name": "Lambda", "start_time": start + 0.01,
                          "end_time": start + 0.79, "namespace": "aws", "aws": {"function_name": "checkout-api"}}]},
        {"trace_id": trace_id, "id": "4a7b2c9d0e1f3a56", "parent_id": "53995c3f42cd8ad8", "name": "checkout-api",
         "start_time": start + 0.02, "end_time": start + 0.78, "origin": "AWS::Lambda::Function", "fault": True,
         "metadata": {"card": "4111111111111111"}},
    ]
    client(url, "xray").put_trace_segments(TraceSegmentDocuments=[json.dumps(d) for d in segments])

    logs = client(url, "logs")
    for fn, events in log_events().items():
        group = f"/aws/lambda/{fn}"
        stream = f"{MONDAY:%Y/%m/%d}/[$LATEST]0123456789abcdef0123456789abcdef"
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        response = logs.put_log_events(logGroupName=group, logStreamName=stream,
                                       logEvents=[{"timestamp": t, "message": m} for t, m in events])
        assert "rejectedLogEventsInfo" not in response, response

    pages = [cost_day(day) for day in range(7)]
    definitions = [{"Type": "DIMENSION", "Key": "SERVICE"}]
    results = [
        {"GroupDefinitions": definitions, "ResultsByTime": pages[:4], "DimensionValueAttributes": [],
         "NextPageToken": "eyJwYWdlIjogMn0="},
        {"GroupDefinitions": definitions, "ResultsByTime": pages[4:], "DimensionValueAttributes": []},
    ]
    moto_server.post(url, "/moto-api/static/ce/cost-and-usage-results", {"results": results})

    securityhub = client(url, "securityhub")
    securityhub.enable_security_hub()
    imported = securityhub.batch_import_findings(Findings=[security_hub_finding()])
    assert imported["FailedCount"] == 0, imported


# The `aws` wrapper: recorded outputs for what moto lacks, injected errors, the real CLI otherwise.
WRAPPER = r"""#!/usr/bin/env bash
set -u
call="${1:-} ${2:-}"
args=("$@")
value_of() {
    local i
    for ((i = 0; i + 1 < ${#args[@]}; i++)); do
        if [[ ${args[i]} == "$1" ]]; then printf '%s' "${args[i + 1]}"; return; fi
    done
}
# A recorded output, its dates moved into the collected week (FAKE_AWS_DATES, a sed script).
recorded() {
    exec sed -f "$FAKE_AWS_DATES" -- "$1"
}
if [[ -n ${FAKE_AWS_ERRORS:-} ]]; then
    while IFS=$'\t' read -r failing message; do
        if [[ $failing == "$call" ]]; then
            printf '\n%s\n' "$message" >&2
            exit 255
        fi
    done <"$FAKE_AWS_ERRORS"
fi
# A function name that is not [A-Za-z0-9_-], added to the list the script reads the names from.
if [[ -n ${FAKE_AWS_EXTRA_FUNCTION:-} && $call == "lambda list-functions" && " $* " == *" text "* ]]; then
    "$REAL_AWS" "$@" || exit
    printf '%s\tNone\n' "$FAKE_AWS_EXTRA_FUNCTION"
    exit 0
fi
case $call in
    "lambda get-account-settings")
        recorded "$FIXTURES/lambda-account-settings/shaped-default-account-with-reservations.json" ;;
    "service-quotas list-service-quotas")
        if [[ $(value_of --service-code) == lambda ]]; then
            recorded "$FIXTURES/service-quotas/shaped-list-service-quotas-lambda.json"
        fi ;;
    "support describe-trusted-advisor-check-result")
        id=$(value_of --check-id)
        recorded=$FIXTURES/trusted-advisor/describe-trusted-advisor-check-result-$id.json
        if [[ -f $recorded ]]; then recorded "$recorded"; fi
        template=$(recorded "$FIXTURES/trusted-advisor/nasty-check-result-nothing-flagged.json")
        printf '%s\n' "${template//L4dfs2Q3C3/$id}"
        exit 0 ;;
    "wellarchitected list-workloads")
        recorded "$RECORDED/wellarchitected-list-workloads.json" ;;
    "wellarchitected get-lens-review")
        recorded "$FIXTURES/wellarchitected/get-lens-review-wellarchitected.json" ;;
    "wellarchitected list-answers")
        request=$(value_of --cli-input-json)
        if [[ $(<"${request#file://}") == *NextToken* ]]; then
            recorded "$RECORDED/wellarchitected-list-answers-page-2.json"
        fi
        recorded "$FIXTURES/wellarchitected/list-answers-wellarchitected-costOptimization-page1.json" ;;
esac
exec "$REAL_AWS" "$@"
"""

CONFIG = """title: Collect test
timeZone: UTC
sources:
  - snapshots
services:
  - name: shop
    match: ["checkout-*", "orders-*"]
  - name: reporting
    match: ["nightly-*"]
"""


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory, moto):
    if not BINARY.exists():
        pytest.fail(f"no binary at {BINARY}: run swift build first (or set HEADROOM_BIN)")
    real_aws = VENV_BIN / "aws"
    if not real_aws.exists():
        pytest.fail(f"no AWS CLI next to {sys.executable}: pip install -r Tests/Python/requirements.txt")
    base = tmp_path_factory.mktemp("collect")
    fake_bin = base / "bin"
    fake_bin.mkdir()
    (fake_bin / "aws").write_text(WRAPPER)
    (fake_bin / "aws").chmod(0o755)
    project = base / "project"
    project.mkdir()
    (project / "headroom.yml").write_text(CONFIG)
    home = base / "home"
    home.mkdir()
    dates = base / "dates.sed"
    dates.write_text(date_map())
    env = {
        "PATH": os.pathsep.join([str(fake_bin), str(VENV_BIN), os.defpath]),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        # The clock, zone and locale the suite runs under (libfaketime in CI's shifted runs) reach
        # the script, the CLI and Headroom, as they reach moto.
        **{k: v for k, v in os.environ.items()
           if k in ("TZ", "LANG", "LC_ALL", "LD_PRELOAD") or k.startswith("FAKETIME")},
        "HEADROOM": str(BINARY),
        "AWS_ENDPOINT_URL": moto,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(home / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "FAKE_AWS_DATES": str(dates),
        "REAL_AWS": str(real_aws),
        "FIXTURES": str(FIXTURES),
        "RECORDED": str(RECORDED),
    }
    return {"base": base, "project": project, "env": env}


def collect(sandbox, *args, errors=None, region_env=True, tmp=None, extra_function=None):
    env = dict(sandbox["env"])
    if extra_function:
        env["FAKE_AWS_EXTRA_FUNCTION"] = extra_function
    if region_env:
        env["AWS_DEFAULT_REGION"] = REGION
    if errors:
        path = sandbox["base"] / "errors.tsv"
        path.write_text("".join(f"{call}\t{message}\n" for call, message in errors.items()))
        env["FAKE_AWS_ERRORS"] = str(path)
    tmp = tmp or sandbox["base"] / "tmp"
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)
    return subprocess.run(["bash", str(SCRIPT), *args], cwd=sandbox["project"], env=env,
                          capture_output=True, text=True, timeout=120)


def tree(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(project):
    dump = project / "report.txt"
    result = subprocess.run([str(BINARY), "build", "--quiet", "--config", str(project / "headroom.yml"),
                             "--dump-report", str(dump)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads((project / "public" / "report.json").read_text()), dump.read_text()


@pytest.fixture(scope="module")
def collected(sandbox):
    """The whole collection: every source, with the week found by headroom week previous."""
    result = collect(sandbox, "--with", "security-hub,trusted-advisor,wellarchitected,xray")
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def site(sandbox, collected):
    return build(sandbox["project"])


def test_usage_errors_and_help(sandbox):
    before = sorted(sandbox["project"].rglob("*"))
    result = collect(sandbox, "--help")
    assert result.returncode == 0 and "Usage: collect-aws.sh" in result.stdout
    result = collect(sandbox, "--frobnicate")
    assert result.returncode == 2 and "unknown option: --frobnicate" in result.stderr
    result = collect(sandbox, "--with", "cloudtrail")
    assert result.returncode == 2 and "unknown source" in result.stderr
    result = collect(sandbox, "--logs-limit", "many")
    assert result.returncode == 2
    assert sorted(sandbox["project"].rglob("*")) == before, "a usage error writes nothing"


def test_the_week_is_written_whole_with_a_request_beside_each_output(sandbox, collected):
    snapshots = sandbox["project"] / "snapshots"
    assert sorted(p.name for p in snapshots.iterdir()) == [WEEK], "no hidden partial folder is left"
    assert list((sandbox["base"] / "tmp").iterdir()) == [], "the scratch folder is removed"
    week = snapshots / WEEK
    names = {p.name for p in week.iterdir()}
    for name in ["cloudwatch-lambda", "cloudwatch-sqs", "cloudwatch-dynamodb", "cost-explorer", "cost-explorer-2",
                 "lambda-logs-checkout-api", "lambda-logs-orders-worker", "security-hub-findings",
                 f"wellarchitected-{WORKLOAD}-answers", f"wellarchitected-{WORKLOAD}-answers-2"] + [
                    f"lambda-function-concurrency-{fn}" for fn in FUNCTIONS]:
        assert {f"{name}.json", f"{name}.query.json"} <= names, name
    for name in ["lambda-list-functions.json", "lambda-account-settings.json", "service-quotas-lambda.json",
                 "trusted-advisor-checks.json", "trusted-advisor-result-6gtQddfEw6.json",
                 f"wellarchitected-{WORKLOAD}-lens-review.json", "COLLECT.md", "xray-service-graph.json",
                 "xray-traces-0.json"] + [f"xray-trace-summaries-{day}.json" for day in range(7)]:
        assert name in names, name
    # nightly-report has no log group: skipped with a note, no orphaned request file.
    assert not any(n.startswith("lambda-logs-nightly-report") for n in names)
    for name in names:
        if name.endswith(".query.json"):
            assert name.replace(".query.json", ".json") in names, f"{name} has no output beside it"
    assert not any(n.endswith(".partial") for n in names)
    # The CloudWatch requests are Headroom's, for the week; the logs request covers the week in ms.
    request = json.loads((week / "cloudwatch-lambda.query.json").read_text())
    assert dt.datetime.fromisoformat(request["StartTime"].replace("Z", "+00:00")) == WEEK_START
    logs = json.loads((week / "lambda-logs-checkout-api.query.json").read_text())
    assert logs["logGroupName"] == "/aws/lambda/checkout-api"
    assert logs["startTime"] == int(WEEK_START.timestamp() * 1000)
    assert logs["endTime"] == int(WEEK_END.timestamp() * 1000) - 1
    concurrency = json.loads((week / "lambda-function-concurrency-orders-worker.query.json").read_text())
    assert concurrency == {"FunctionName": "orders-worker"}
    # 49 of moto's 104 Trusted Advisor checks are service_limits checks: one result file each.
    checks = json.loads((week / "trusted-advisor-checks.json").read_text())["checks"]
    limits = {c["id"] for c in checks if c["category"] == "service_limits"}
    assert {n[len("trusted-advisor-result-"):-5] for n in names if n.startswith("trusted-advisor-result-")} == limits
    cost = json.loads((week / "cost-explorer-2.query.json").read_text())
    assert cost["NextPageToken"] == "eyJwYWdlIjogMn0="
    assert cost["TimePeriod"] == {"Start": MONDAY.isoformat(), "End": (MONDAY + dt.timedelta(days=7)).isoformat()}


def test_collect_md_says_what_when_and_where(sandbox, collected):
    text = (sandbox["project"] / "snapshots" / WEEK / "COLLECT.md").read_text()
    assert f"- Week: {WEEK}, {WEEK_START:%Y-%m-%dT%H:%M:%SZ} to {WEEK_END:%Y-%m-%dT%H:%M:%SZ}" in text
    assert f"- Region: {REGION}" in text
    assert f"- Account: {ACCOUNT}" in text
    assert "## Warnings\n\nNone." in text
    assert "no log group /aws/lambda/nightly-report" in text
    assert "warning:" not in collected.stderr


def test_headroom_reads_every_collected_file(site):
    report, dump = site
    assert report["week"] == WEEK
    sources = [line for line in dump.splitlines() if line.startswith("source ")]
    # The collector's own report is listed as not read (Markdown), with the reason; every other
    # file is read.
    collect_md = f"source snapshots/{WEEK}/COLLECT.md ignored (Markdown is not an input"
    assert [line for line in sources if " ignored (" in line] == [line for line in sources if line.startswith(collect_md)]
    assert len([line for line in sources if line.startswith(collect_md)]) == 1
    others = [line for line in sources if not line.startswith(collect_md)]
    assert others and all(" read " in line or line.endswith(" empty") for line in others), sources
    assert not any("invalid" in line for line in sources)


def test_the_seeded_lambda_figures_come_through(site):
    report, dump = site
    functions = {f["name"]: f for f in report["functions"]}
    assert set(functions) == set(FUNCTIONS)
    for fn, (_, timeout, _) in FUNCTIONS.items():
        expected = {metric: sum(v for f, m, _, v in LAMBDA_POINTS if f == fn and m == metric)
                    for metric in ["Invocations", "Errors", "Throttles"]}
        assert functions[fn]["invocations"] == expected["Invocations"], fn
        assert functions[fn].get("errors", 0) == expected["Errors"], fn
        assert functions[fn].get("throttles", 0) == expected["Throttles"], fn
        assert functions[fn]["timeoutSeconds"] == timeout
    assert functions["checkout-api"]["errorRatePercent"] == pytest.approx(0.5)
    assert functions["checkout-api"]["service"] == "shop"
    assert functions["nightly-report"]["service"] == "reporting"
    # REPORT lines: 5 requests (one cold start, one error, one timeout); the line after the week is left out.
    checkout_logs = next(line for line in dump.splitlines()
                         if line.strip().startswith("logs ") and "timeouts=1" in line)
    assert "invocations=5 cold-starts=1" in checkout_logs
    assert "init-p50=245.12" in checkout_logs
    # platform.report records of orders-worker.
    assert any(line.strip().startswith("logs invocations=3 cold-starts=0") for line in dump.splitlines())
    # Error groups from the same logs: the exception joins its request (one event, not two with the
    # REPORT's Status: error), the timeout is one, and the worker's message is normalised and redacted.
    groups = {g["title"]: g for g in report["errorGroups"]}
    assert set(groups) == {"KeyError: '<value>'", "Task timed out after <n> seconds",
                           "ValueError: quantity <n> for order <n> with password=[redacted]"}
    assert groups["KeyError: '<value>'"]["events"] == 1
    assert groups["KeyError: '<value>'"]["frame"] == "checkout/app.py in handler"
    assert groups["Task timed out after <n> seconds"]["kind"] == "timeout"
    assert all(g["state"] == "new" for g in groups.values())
    assert report["errorLogFunctions"] == ["checkout-api", "orders-worker"]
    assert "swordfish" not in json.dumps(report)
    # X-Ray: the one sampled trace (moto keeps no StartTime in its summaries: counted in no week,
    # so the faulted trace is read whole only as the slowest of the day) and no graph from moto.
    traces = report["traces"]
    assert traces["traced"] == 1 and traces["nodes"] == []
    assert "4111111111111111" not in json.dumps(report)
    assert "queue orders-queue namespace=AWS/SQS" in dump
    assert "table orders namespace=AWS/DynamoDB" in dump


def test_quotas_and_costs_come_through(site):
    report, _ = site
    quotas = {(q["service"], q["code"]): q for q in report["quotas"]}
    concurrent = quotas[("AWS Lambda", "L-B99A9384")]
    assert concurrent["limit"] == 3000 and concurrent["peak"] == 42
    cost = report["cost"]
    assert decimal.Decimal(cost["total"]) == expected_cost()
    services = {s["name"]: decimal.Decimal(s["current"]) for s in cost["services"]}
    assert services == {name: expected_cost(name) for name in COST_SERVICES}


def test_imported_findings_come_through(site):
    report, _ = site
    rules = {(f["rule"], f.get("resource")) for f in report["findings"]}
    assert ("security-hub:Lambda.2", "checkout-api") in rules
    assert any(rule == "trusted-advisor:6gtQddfEw6" for rule, _ in rules)
    # Both pages of list-answers: page 1 (cost optimisation) and page 2 (reliability).
    assert ("well-architected:govern-usage", WORKLOAD) in rules
    assert ("well-architected:manage-service-limits", WORKLOAD) in rules
    # The REPORT lines' timeout comes through as a finding of its own.
    assert ("lambda-timeouts", "checkout-api") in rules


def test_an_existing_week_is_an_error_and_untouched(sandbox, collected):
    week = sandbox["project"] / "snapshots" / WEEK
    before = tree(week)
    result = collect(sandbox, "--week", WEEK)
    assert result.returncode == 2
    assert "--replace" in result.stderr
    assert tree(week) == before
    assert sorted(p.name for p in week.parent.iterdir()) == [WEEK]


def test_denied_calls_are_warnings_and_replace_swaps_the_week(sandbox, collected, site):
    week = sandbox["project"] / "snapshots" / WEEK
    (week / "OLD.md").write_text("the week before --replace\n")
    denied = ("An error occurred (AccessDeniedException) when calling the GetFindings operation: User: "
              f"arn:aws:iam::{ACCOUNT}:user/ci is not authorized to perform: securityhub:GetFindings")
    unsubscribed = ("An error occurred (SubscriptionRequiredException) when calling the "
                    "DescribeTrustedAdvisorChecks operation: AWS Premium Support Subscription is required "
                    "to use this service.")
    hostile = "../$(touch pwned) *"
    result = collect(sandbox, "--week", WEEK, "--region", REGION, "--replace", "--logs-limit", "0",
                     "--with", "security-hub,trusted-advisor", region_env=False, extra_function=hostile,
                     errors={"securityhub get-findings": denied,
                             "support describe-trusted-advisor-checks": unsubscribed})
    assert result.returncode == 0, result.stderr
    assert f"warning: Security Hub get-findings: {denied}" in result.stderr
    assert f"warning: Trusted Advisor describe-trusted-advisor-checks: {unsubscribed}" in result.stderr
    assert f"warning: Lambda: skipped the function '{hostile}': its name is not [A-Za-z0-9_-]" in result.stderr
    assert not list(sandbox["base"].rglob("pwned")), "a function name was run as code"
    names = {p.name for p in week.iterdir()}
    assert "OLD.md" not in names, "the old week is gone"
    assert "cloudwatch-lambda.json" in names
    assert not any(n.startswith(("security-hub", "trusted-advisor", "wellarchitected", "lambda-logs"))
                   for n in names)
    assert sorted(p.name for p in week.parent.iterdir()) == [WEEK], "no old or partial folder is left"
    text = (week / "COLLECT.md").read_text()
    assert f"- warning: Security Hub get-findings: {denied}" in text
    assert f"- warning: Trusted Advisor describe-trusted-advisor-checks: {unsubscribed}" in text
    assert "CloudWatch Logs: not collected (--logs-limit 0)" in text
    report, _ = build(sandbox["project"])
    assert not any(f["rule"].startswith("security-hub:") for f in report["findings"])
    assert {f["name"] for f in report["functions"]} == set(FUNCTIONS)


def test_a_failure_writes_nothing(sandbox, collected):
    out = sandbox["base"] / "other-snapshots"
    tmp = sandbox["base"] / "tmp-failure"
    # CloudWatch is collected after the Lambda inventory: the partial folder holds files by then.
    throttled = ("An error occurred (Throttling) when calling the ListMetrics operation "
                 "(reached max retries: 4): Rate exceeded")
    result = collect(sandbox, "--week", WEEK, "--out", str(out), errors={"cloudwatch list-metrics": throttled},
                     tmp=tmp)
    assert result.returncode == 1
    assert f"CloudWatch list-metrics AWS/Lambda failed (aws exit 255): {throttled}" in result.stderr
    assert list(out.iterdir()) == [], "neither the week nor its partial folder is left"
    assert list(tmp.iterdir()) == [], "the scratch folder is removed"


def test_the_github_workflow_steps_collect_archive_build_keep_and_gate(sandbox, tmp_path):
    """The run: steps of the workflow `headroom init` writes, in order, as GitHub would run them
    (bash -e in the project, headroom on PATH), against moto with HEADROOM_ARCHIVE in its S3: the
    week is collected and archived (tarball and S3), the site built with the digest in the step
    summary, the store copied to S3, and a failing gate fails the last step after writing the JUnit
    file. Then two later runners whose cache is gone: one restores the store from S3, the other,
    with no store in S3, the archived snapshots; both build the same site, byte for byte."""
    import hashlib
    import tarfile

    import yaml

    project = tmp_path / "ops"
    subprocess.run([str(BINARY), "init", str(project)], check=True, capture_output=True)
    (project / "headroom.yml").write_text(CONFIG + "gates:\n  - when: {quotaAbove: 1}\n")
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "headroom").symlink_to(BINARY)
    s3 = client(sandbox["env"]["AWS_ENDPOINT_URL"], "s3")
    s3.create_bucket(Bucket="ops-history", CreateBucketConfiguration={"LocationConstraint": REGION})
    env = dict(sandbox["env"], AWS_DEFAULT_REGION=REGION, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
               TMPDIR=str(tmp_path), HEADROOM_ARCHIVE="s3://ops-history/acme/")
    env["PATH"] = os.pathsep.join([str(tools), env["PATH"]])
    env.pop("HEADROOM")
    workflow = yaml.safe_load((project / ".github/workflows/headroom.yml").read_text())
    steps = {step["name"]: step for step in workflow["jobs"]["review"]["steps"]
             if "run" in step and step["name"] != "Install Headroom"}
    assert list(steps) == ["Restore the store", "Collect", "Archive the snapshots", "Build", "Keep the store", "Gates"]

    def run(name):
        step = steps[name]
        script = step["run"].replace("${{ inputs.week || 'previous' }}", "previous")
        assert "${{" not in script, script
        step_env = dict(env, **{k: str(v) for k, v in step.get("env", {}).items() if "${{" not in str(v)})
        return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=project, env=step_env,
                              capture_output=True, text=True, timeout=180)

    results = {name: run(name) for name in steps}
    for name in list(steps)[:-1]:
        assert results[name].returncode == 0, f"{name}: {results[name].stdout}{results[name].stderr}"
    assert "no store in acme; unpacked the snapshots of 0 archived weeks" in results["Restore the store"].stdout \
        .replace("s3://ops-history/acme", "acme")
    tarball = project / f"snapshots-{WEEK}.tar.gz"
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert f"{WEEK}/lambda-list-functions.json" in names and all(n.startswith(WEEK) for n in names)
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="ops-history")["Contents"])
    assert keys == ["acme/snapshots/snapshots-" + WEEK + ".tar.gz", "acme/store.sqlite"]
    stored = s3.get_object(Bucket="ops-history", Key="acme/store.sqlite")["Body"].read()
    assert stored == (project / ".headroom" / "store.sqlite").read_bytes()
    assert (tmp_path / "summary.md").read_text().startswith(f"# Collect test · {WEEK}\n")
    gates = results["Gates"]
    assert gates.returncode == 1, gates.stdout + gates.stderr
    assert f"1 of 1 gate failed for week {WEEK}." in gates.stdout
    junit = (project / "junit.xml").read_text()
    assert '<testsuite name="gates" tests="1" failures="1"' in junit

    def site():
        return {str(p.relative_to(project / "public")): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((project / "public").rglob("*")) if p.is_file()}

    built = site()
    # A later runner, its cache evicted: a fresh checkout has neither the store nor the collected
    # weeks (snapshots/README.md is in git, so it is there).
    for restored_from in ("the store", "the snapshots"):
        shutil.rmtree(project / ".headroom")
        for week in (project / "snapshots").glob("20*-W*"):
            shutil.rmtree(week)
        shutil.rmtree(project / "public")
        if restored_from == "the snapshots":
            s3.delete_object(Bucket="ops-history", Key="acme/store.sqlite")
        restore = run("Restore the store")
        assert restore.returncode == 0, restore.stderr
        expected = "the store restored from" if restored_from == "the store" else "unpacked the snapshots of 1"
        assert expected in restore.stdout, restore.stdout
        build = run("Build")
        assert build.returncode == 0, build.stderr
        assert site() == built, f"the site rebuilt from {restored_from} differs"

    # Without HEADROOM_ARCHIVE the script says what it does not keep; a bad location is refused.
    bare = dict(env)
    bare.pop("HEADROOM_ARCHIVE")
    keep = subprocess.run(["bash", str(project / "scripts/history.sh"), "keep"], cwd=project, env=bare,
                          capture_output=True, text=True)
    assert keep.returncode == 0 and "the store stays in the CI cache only" in keep.stdout
    wrong = subprocess.run(["bash", str(project / "scripts/history.sh"), "keep"], cwd=project,
                           env=dict(env, HEADROOM_ARCHIVE="https://example.com/x"), capture_output=True, text=True)
    assert wrong.returncode == 2 and "HEADROOM_ARCHIVE must be an S3 location" in wrong.stderr
