#!/usr/bin/env python3
"""Generate the raw AWS data of the "Acme" example project for Headroom.

What it writes
--------------
For each of the seven ISO weeks 2026-W41 ... 2026-W47 (weeks are computed in
Europe/Berlin: Monday 00:00 local to the next Monday 00:00 local, so 2026-W43
is 169 hours long because of the DST change on 2026-10-25) it writes into
``<out>/snapshots/<week>/``:

* ``cloudwatch-lambda.json``      + ``cloudwatch-lambda.query.json``
* ``cloudwatch-apigateway.json``  + ``cloudwatch-apigateway.query.json``
* ``cloudwatch-sqs.json``         + ``cloudwatch-sqs.query.json``
* ``cloudwatch-dynamodb.json``    + ``cloudwatch-dynamodb.query.json``
* ``cloudwatch-states.json``      + ``cloudwatch-states.query.json``
* ``lambda-list-functions.json``
* ``lambda-account-settings.json``
* ``lambda-function-concurrency-<function>.json`` + ``.query.json``, for
  payment-authorize and fulfillment-ship (the functions with reserved
  concurrency)
* ``lambda-logs-<function>.json`` + ``lambda-logs-<function>.query.json``, for
  cost-tagger, reports-daily-sales and reports-export (see "Lambda logs" below)
* ``service-quotas-lambda.json``
* ``trusted-advisor-checks.json``
* ``trusted-advisor-service-limits.json``
* ``cost-explorer.json``
* ``security-hub-findings.json``

Every ``*.query.json`` is the exact file that would be passed to
``aws cloudwatch get-metric-data --metric-data-queries file://<it>
--start-time <week start, UTC> --end-time <next week start, UTC>`` and the
matching ``*.json`` is what AWS CLI v2 prints for it with ``--output json``
(``json.dumps(obj, indent=4, ensure_ascii=False)`` plus one newline).
``lambda-list-functions.json`` is ``aws lambda list-functions``,
``lambda-account-settings.json`` is ``aws lambda get-account-settings``,
``lambda-function-concurrency-<function>.json`` is ``aws lambda
get-function-concurrency --function-name <function>`` and its ``.query.json``
is that request as ``--cli-input-json`` (``{"FunctionName": ...}``, which is
how Headroom learns the function), ``service-quotas-lambda.json`` is ``aws
service-quotas list-service-quotas --service-code lambda``,
``trusted-advisor-checks.json`` is ``aws support
describe-trusted-advisor-checks --language en`` (trimmed to the
service-limits checks of interest), ``trusted-advisor-service-limits.json`` is
``aws support describe-trusted-advisor-check-result --check-id gW7HH0l7J9``
(CloudFormation Stacks) and ``cost-explorer.json`` is ``aws ce
get-cost-and-usage --time-period Start=<monday>,End=<next monday> --granularity
DAILY --metrics UnblendedCost --group-by Type=DIMENSION,Key=SERVICE``.
``security-hub-findings.json`` is ``aws securityhub get-findings --filters
'{"ResourceType": [{"Value": "AwsLambdaFunction", "Comparison": "EQUALS"}],
"UpdatedAt": [{"Start": <week start>, "End": <next week start>}]}'``: AWS
Foundational Security Best Practices controls in the consolidated format
(Lambda.2, unsupported runtimes, every week for log-shipper and inventory-sync;
Lambda.1, a public resource policy on reports-export added for the W45 export
job, FAILED in W45 and W46 and PASSED in W47 once removed).

The data is a seeded simulation of a fictional serverless shop (25 Lambda
functions in five services, three REST APIs, four SQS queues, four DynamoDB
tables, one Step Functions state machine) and tells seven stories:

1. 2026-W45: payment-authorize incident on Wed 2026-11-04 14:00-17:30 local
   (errors ~18 %, Duration p99 ~9 s, throttles, checkout-api 5XX).
2. 2026-W46: reports-export retry loop Thu-Sun (invocations x400, long
   durations, AWS Lambda cost up sharply in Cost Explorer).
3. payment-capture (6 s timeout) Duration p99 creeps up week by week to
   ~5.6 s in 2026-W47, with a few timeouts (Errors) in 2026-W47.
4. 2026-W47: shipping-queue backlog (age of oldest message climbs from
   minutes to ~9 hours) while fulfillment-ship throttles at its low reserved
   concurrency.
5. Quota pressure: the account-wide ConcurrentExecutions peak (the last
   query of ``cloudwatch-lambda`` before the Duration Sum queries, Id
   ``conc_account``, no dimensions) grows
   steadily from 110 in 2026-W41 to 172 in 2026-W47 against the account
   limit of 200 (``lambda-account-settings.json``, and the Service Quotas
   quota L-B99A9384 with its usage metric); the W45 incident spikes it to
   185.  Reserved concurrency (10 + 3, one ``get-function-concurrency`` file
   each) leaves 187 unreserved.  Simplification: the account series is shaped
   by the traffic cycle plus the real batch peaks, not summed from the
   per-function series, so at busy hours it is larger than the sum of the
   per-function hourly maxima.
6. DynamoDB write headroom: ``orders`` is the only provisioned-mode table
   (the others are on-demand), so ``cloudwatch-dynamodb`` also carries its
   ProvisionedRead/WriteCapacityUnits (Average, hourly).  After a cost review
   the team trims the write capacity by hand, one unit at a time at the start
   of a week (9 WCU in 2026-W41, 8 from W42, 7 from W44, 6 from W46), so the
   peak hour's consumed writes per second (Sum / 3600), which stay flat at
   about 4 WCU/s, climb from 47 % to 66 % of the provisioned capacity.  The
   read capacity (80 RCU, sized for the nightly sales report's ~26 RCU/s) is
   raised to 150 RCU for the Black Friday weeks from 2026-W47 on, the week in
   which the report runs twice one night (~52 RCU/s): reads stay at 32-38 %.
7. Trusted Advisor service limits: the CloudFormation Stacks check
   (gW7HH0l7J9, one row per region) sees the eu-central-1 stack count grow
   from 1534 to 1822 of 2000 (preview environments of pull requests are never
   deleted): Green until 2026-W42, Yellow (warning, >= 80 %) from 2026-W43.
   us-east-1 and eu-west-1 stay flat and low.  The result is taken on the
   Monday of each week at 06:00 UTC.

CloudWatch conventions that are reproduced on purpose: periods without data
are omitted (never a 0 for an hour without invocations); timestamps are
newest first (ScanBy=TimestampDescending); the Lambda results of W46 and W47
emulate the CLI's NextToken auto-pagination merge (some Ids appear twice,
``conc_account`` among them: first the newest part of the series, then the
older rest); in W45 the payment-authorize Throttles result is "PartialData"
with one top-level message.

Duration Sum: after ``conc_account``, ``cloudwatch-lambda`` carries one more
query per function, the hourly ``Duration`` ``Sum`` (Id ``dsum_<function>``,
Unit Milliseconds), the total duration of the hour's invocations (what the
GB-seconds of the bill are made of): for the sampled functions the sum of the
simulated durations, otherwise invocations x the capped mean of the hour's
duration distribution.  Throttled requests add nothing; hours without
invocations have no point.  These queries were added after the others, so every
older query and result is unchanged (in W46/W47 their pages are cut the same
way as the other second-half Ids).

Lambda logs: ``lambda-logs-<function>.json`` is ``aws logs filter-log-events
--log-group-name /aws/lambda/<function> --start-time <week start, ms> --end-time
<next week start, ms>`` (CLI v2, pages merged; events of all log streams in time
order) and its ``.query.json`` the request as ``--cli-input-json``
(``{"logGroupName": ...}``, which is how Headroom learns the function).  They
hold the platform records of every invocation of the three low-volume batch
functions, in the log format of their LoggingConfig (JSON: platform.initStart /
initRuntimeDone / initReport on cold starts, platform.start, platform.runtimeDone,
platform.report).  The durations are exactly the simulated samples behind the
hourly p50/p99 and the Duration Sum, each invocation starts inside the hour the
metrics count it in, errors and timeouts match the Errors series, and an
invocation is a cold start when no execution environment has been idle for at
most 15 minutes.  Cold starts, Init Duration, Max Memory Used (reports-export
reaches 2,400-2,900 MB of its 3,008 MB in 2026-W47) and request ids come from
new random streams, so no other file changed.  The W46 reports-export runaway
(2,194 invocations) was exported with ``--filter-pattern '{ $.type =
"platform.report" }'`` (``filterPattern`` in its request) to keep the file
small.  accounts-signup and inventory-sync are simulated per invocation as well,
but their ~10,000 and ~5,400 invocations a week would not fit the example's size.

How to rerun
------------
    python3 scripts/generate_example.py                # writes examples/acme
    python3 scripts/generate_example.py --out DIR      # writes DIR/snapshots
    python3 scripts/generate_example.py --check        # verify, write nothing

The output is byte-for-byte reproducible (fixed seed, no wall clock, ordered
iteration only).  The script owns everything under ``<out>/snapshots/`` and
deletes/replaces only that; hand-written files such as ``<out>/notes/`` or
``<out>/headroom.yml`` are never touched.  Only the Python standard library is
used.
"""

import argparse
import datetime as dt
import json
import math
import random
from pathlib import Path
from zoneinfo import ZoneInfo

SEED = 20261116
TZ = ZoneInfo("Europe/Berlin")
UTC = dt.timezone.utc
REGION = "eu-central-1"
ACCOUNT = "123456789012"
YEAR = 2026
WEEK_NUMBERS = list(range(41, 48))
Z99 = 2.3263478740408408  # standard normal quantile for 0.99
STATE_MACHINE_ARN = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:order-fulfillment"


# ---------------------------------------------------------------------------
# small deterministic helpers
# ---------------------------------------------------------------------------

def rng(*parts):
    """An independent, reproducible random stream for one named series."""
    return random.Random(":".join([str(SEED)] + [str(p) for p in parts]))


def poisson(r, lam):
    if lam <= 0:
        return 0
    if lam < 50:
        limit = math.exp(-lam)
        k, p = 0, 1.0
        while True:
            p *= r.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(r.gauss(lam, math.sqrt(lam)))))


def phi(z):
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def lognorm_cdf(x, median, sigma):
    if x <= 0:
        return 0.0
    return phi((math.log(x) - math.log(median)) / sigma)


def mix_cdf(x, comps):
    total = 0.0
    for w, m, s in comps:
        total += w * lognorm_cdf(x, m, s)
    return total


def mix_quantile(q, comps, cap):
    """Quantile of a lognormal mixture; values above cap (timeout) are cap."""
    comps = [c for c in comps if c[0] > 0]
    wsum = sum(c[0] for c in comps)
    comps = [(w / wsum, m, s) for w, m, s in comps]
    if len(comps) == 1:
        _, m, s = comps[0]
        z = 0.0 if q == 0.5 else Z99
        return min(m * math.exp(s * z), cap)
    if mix_cdf(cap, comps) < q:
        return cap
    lo = min(math.log(m) - 6 * s for _, m, s in comps)
    hi = math.log(cap)
    for _ in range(48):
        mid = 0.5 * (lo + hi)
        if mix_cdf(math.exp(mid), comps) < q:
            lo = mid
        else:
            hi = mid
    return math.exp(0.5 * (lo + hi))


def mix_mean(comps, cap):
    wsum = sum(c[0] for c in comps)
    return sum(w * min(m * math.exp(s * s / 2.0), cap) for w, m, s in comps) / wsum


def draw(r, comps, cap):
    x = r.random() * sum(c[0] for c in comps)
    for w, m, s in comps:
        if x <= w:
            break
        x -= w
    return min(m * math.exp(r.gauss(0.0, s)), cap)


def nearest_rank(sorted_values, q):
    n = len(sorted_values)
    return sorted_values[max(0, math.ceil(q * n) - 1)]


def b64(data):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = []
    for i in range(0, len(data), 3):
        chunk = data[i:i + 3]
        n = int.from_bytes(chunk + b"\0" * (3 - len(chunk)), "big")
        chars = [alphabet[(n >> s) & 63] for s in (18, 12, 6, 0)]
        if len(chunk) < 3:
            chars[len(chunk) + 1:] = "=" * (3 - len(chunk))
        out.extend(chars)
    return "".join(out)


def fake_uuid(r):
    h = "%032x" % r.getrandbits(128)
    h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) % 4] + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def iso(t):
    return t.astimezone(UTC).isoformat()


def metric_id(prefix, name):
    return prefix + "_" + name.replace("-", "_")


def dumps(obj):
    return json.dumps(obj, indent=4, ensure_ascii=False) + "\n"


def count(x):
    return float(int(round(x)))


def ms(x):
    return round(x, 2)


# ---------------------------------------------------------------------------
# calendar
# ---------------------------------------------------------------------------

class Week:
    def __init__(self, number, offset):
        self.number = number
        self.label = f"{YEAR}-W{number:02d}"
        monday = dt.date.fromisocalendar(YEAR, number, 1)
        nxt = monday + dt.timedelta(days=7)
        self.days = [monday + dt.timedelta(days=k) for k in range(7)]
        self.next_monday = nxt
        self.start_local = dt.datetime(monday.year, monday.month, monday.day, tzinfo=TZ)
        self.end_local = dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=TZ)
        self.start_utc = self.start_local.astimezone(UTC)
        self.end_utc = self.end_local.astimezone(UTC)
        self.hours = int((self.end_utc - self.start_utc).total_seconds() // 3600)
        self.period = self.hours * 3600
        self.offset = offset  # index of the first hour in the global timeline


def build_calendar():
    weeks, hours, offset = [], [], 0
    for n in WEEK_NUMBERS:
        w = Week(n, offset)
        weeks.append(w)
        for k in range(w.hours):
            t = w.start_utc + dt.timedelta(hours=k)
            hours.append({"utc": t, "local": t.astimezone(TZ), "week": w})
        offset += w.hours
    return weeks, hours


def local_time(y, mo, d, h, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=TZ).astimezone(UTC)


def overlap(hour_utc, start, end):
    """Fraction of the hour [hour_utc, +1h) that lies inside [start, end)."""
    a = max(hour_utc, start)
    b = min(hour_utc + dt.timedelta(hours=1), end)
    return max(0.0, (b - a).total_seconds() / 3600.0)


INCIDENT = (local_time(2026, 11, 4, 14, 0), local_time(2026, 11, 4, 17, 30))
RUNAWAY = (local_time(2026, 11, 12, 10, 0), local_time(2026, 11, 15, 22, 40))
CARRIER = local_time(2026, 11, 17, 8, 0)        # carrier API starts degrading
CARRIER_FULL = local_time(2026, 11, 23, 0, 0)   # degradation keeps growing until week end
PARTIAL_CUTOFF = local_time(2026, 11, 4, 0, 0)  # W45 thr_payment_authorize

# ---------------------------------------------------------------------------
# traffic shape (local time)
# ---------------------------------------------------------------------------

WEEKDAY_SHAPE = [0.45, 0.28, 0.18, 0.13, 0.12, 0.16, 0.30, 0.55, 0.80, 0.92, 1.00, 1.05,
                 1.10, 1.05, 1.00, 1.02, 1.08, 1.20, 1.45, 1.75, 1.90, 1.80, 1.35, 0.85]
WEEKEND_SHAPE = [0.55, 0.35, 0.22, 0.15, 0.13, 0.14, 0.20, 0.35, 0.60, 0.90, 1.15, 1.30,
                 1.35, 1.30, 1.25, 1.25, 1.30, 1.40, 1.60, 1.85, 1.95, 1.80, 1.40, 0.95]
DAY_FACTOR = [0.95, 0.93, 0.95, 0.98, 1.05, 1.25, 1.30]
GROWTH = {41: 1.000, 42: 1.012, 43: 1.020, 44: 1.028, 45: 1.040, 46: 1.050, 47: 1.120}


def raw_shape(weekday, hour):
    table = WEEKEND_SHAPE if weekday >= 5 else WEEKDAY_SHAPE
    return table[hour] * DAY_FACTOR[weekday]


SHAPE_NORM = sum(raw_shape(d, h) for d in range(7) for h in range(24)) / 168.0


def traffic(hours):
    """Shared relative load (mean 1.0 in a normal week) for each hour."""
    out = []
    hour_noise = rng("traffic-hour")
    for h in hours:
        loc = h["local"]
        weather = math.exp(rng("weather", loc.date().isoformat()).gauss(0.0, 0.04))
        base = raw_shape(loc.weekday(), loc.hour) / SHAPE_NORM
        out.append(base * GROWTH[h["week"].number] * weather * math.exp(hour_noise.gauss(0.0, 0.025)))
    return out


# ---------------------------------------------------------------------------
# inventory
# ---------------------------------------------------------------------------
# name: (service, runtime, arch, memory MB, timeout s, weekly volume, median ms,
#        sigma, base error rate, reserved concurrency, description)

FUNCTIONS = {
    "catalog-get-product": ("storefront", "nodejs20.x", "arm64", 512, 10, 25_000_000, 38, 0.55, 0.00015, None,
                            "Storefront: product detail page data"),
    "catalog-search": ("storefront", "nodejs20.x", "arm64", 1024, 10, 6_200_000, 120, 0.60, 0.0004, None,
                       "Storefront: full-text product search"),
    "catalog-list-categories": ("storefront", "nodejs20.x", "arm64", 256, 5, 3_100_000, 22, 0.40, 0.0001, None,
                                "Storefront: category tree for navigation"),
    "cart-get": ("storefront", "nodejs20.x", "arm64", 512, 10, 4_400_000, 31, 0.50, 0.0002, None,
                 "Storefront: read the shopping cart"),
    "cart-update": ("storefront", "nodejs20.x", "arm64", 512, 10, 1_300_000, 58, 0.50, 0.0006, None,
                    "Storefront: add/remove cart items"),
    "checkout-validate-cart": ("checkout", "python3.12", "x86_64", 512, 10, 820_000, 85, 0.45, 0.0008, None,
                               "Checkout: price and stock validation before payment"),
    "checkout-create-order": ("checkout", "python3.12", "x86_64", 1024, 15, 152_000, 240, 0.45, 0.0015, None,
                              "Checkout: create order, authorize payment, enqueue for fulfillment"),
    "payment-authorize": ("checkout", "python3.12", "x86_64", 512, 10, None, 610, 0.40, 0.003, 10,
                          "Checkout: authorize card payment with the PSP (reserved concurrency 10 = PSP limit)"),
    "payment-capture": ("checkout", "python3.12", "x86_64", 512, 6, None, 320, 0.50, 0.00005, None,
                        "Checkout: capture authorized payment (called by order-fulfillment)"),
    "payment-webhook": ("checkout", "nodejs20.x", "arm64", 256, 10, None, 95, 0.45, 0.0005, None,
                        "Checkout: PSP webhook receiver"),
    "fulfillment-reserve-stock": ("fulfillment", "python3.12", "x86_64", 512, 30, None, 140, 0.45, 0.0004, None,
                                  "Fulfillment: reserve stock for new orders (orders-queue consumer)"),
    "fulfillment-ship": ("fulfillment", "python3.12", "x86_64", 1024, 60, None, 950, 0.50, 0.001, 3,
                         "Fulfillment: book shipment with the carrier (shipping-queue consumer, reserved concurrency 3)"),
    "fulfillment-notify": ("fulfillment", "nodejs20.x", "arm64", 256, 15, None, 180, 0.45, 0.0005, None,
                           "Fulfillment: order and shipping e-mails"),
    "inventory-sync": ("fulfillment", "python3.9", "x86_64", 1024, 300, None, 2100, 0.50, 0.002, None,
                       "Fulfillment: nightly stock sync from the warehouse system"),
    "shipping-label-render": ("fulfillment", "nodejs20.x", "x86_64", 1536, 30, None, 1400, 0.40, 0.0008, None,
                              "Fulfillment: render carrier label PDF"),
    "accounts-signup": ("accounts", "python3.12", "arm64", 512, 10, 9_500, 420, 0.40, 0.002, None,
                        "Accounts: customer registration"),
    "accounts-login": ("accounts", "python3.12", "arm64", 1024, 10, 410_000, 180, 0.35, 0.0005, None,
                       "Accounts: password login, issues session token"),
    "accounts-profile-get": ("accounts", "nodejs20.x", "arm64", 256, 5, 960_000, 28, 0.45, 0.0002, None,
                             "Accounts: read customer profile"),
    "accounts-profile-update": ("accounts", "nodejs20.x", "arm64", 256, 10, 34_000, 64, 0.45, 0.0008, None,
                                "Accounts: update customer profile"),
    "auth-authorizer": ("accounts", "nodejs20.x", "arm64", 256, 5, None, 9, 0.60, 0.00002, None,
                        "Accounts: API Gateway Lambda authorizer (JWT)"),
    "reports-daily-sales": ("reporting", "python3.12", "x86_64", 2048, 300, None, 38000, 0.20, 0.0, None,
                            "Reporting: nightly sales report"),
    "reports-export": ("reporting", "python3.12", "x86_64", 3008, 900, None, 42000, 0.50, 0.0, None,
                       "Reporting: on-demand CSV export for the back office"),
    "analytics-ingest": ("reporting", "python3.12", "arm64", 512, 60, 1_100_000, 45, 0.50, 0.0003, None,
                         "Reporting: clickstream ingestion into Firehose"),
    "log-shipper": ("reporting", "nodejs16.x", "x86_64", 256, 60, 620_000, 110, 0.50, 0.0004, None,
                    "Reporting: ships CloudWatch Logs subscriptions to the log archive"),
    "cost-tagger": ("reporting", "python3.12", "arm64", 256, 120, None, 12500, 0.30, 0.0, None,
                    "Reporting: nightly cost-allocation tag audit"),
}
FUNCTION_NAMES = sorted(FUNCTIONS)
SAMPLED_LIMIT = 20_000  # functions below this weekly volume get exact samples

SERVICE_ROLES = {
    "storefront": "acme-storefront-lambda-role",
    "checkout": "acme-checkout-lambda-role",
    "fulfillment": "acme-fulfillment-lambda-role",
    "accounts": "acme-accounts-lambda-role",
    "reporting": "acme-reporting-lambda-role",
}

APIS = {
    "storefront-api": ["catalog-get-product", "catalog-search", "catalog-list-categories", "cart-get", "cart-update"],
    "checkout-api": ["checkout-validate-cart", "checkout-create-order", "payment-webhook"],
    "accounts-api": ["accounts-signup", "accounts-login", "accounts-profile-get", "accounts-profile-update"],
}
QUEUES = ["orders-queue", "orders-dlq", "shipping-queue", "shipping-dlq"]
TABLES = ["catalog", "carts", "orders", "users"]
TABLE_LATENCY = {"catalog": 2.6, "carts": 3.1, "orders": 3.6, "users": 2.9}

# story 6: orders is the only provisioned-mode table (the others are on-demand and
# publish no Provisioned* metrics).  Capacity units per week, constant within a week
# (changed at the start of a week, so the hourly Average is always a whole number):
# writes are trimmed by hand after a cost review while the write load stays flat
# (peak ~4 WCU/s), reads are raised for the Black Friday weeks.
PROVISIONED_TABLE = "orders"
ORDERS_RCU = {41: 80, 42: 80, 43: 80, 44: 80, 45: 80, 46: 80, 47: 150}
ORDERS_WCU = {41: 9, 42: 8, 43: 8, 44: 7, 45: 7, 46: 6, 47: 6}

# payment-capture weekly Duration p99 targets (ms): story 3
CAPTURE_P99 = {41: 2200.0, 42: 2700.0, 43: 3200.0, 44: 3800.0, 45: 4400.0, 46: 5000.0, 47: 5600.0}

# account-wide ConcurrentExecutions: story 5 (weekly peak outside the incident)
ACCOUNT_CONCURRENCY_LIMIT = 200
ACCOUNT_PEAK = {41: 110, 42: 120, 43: 131, 44: 141, 45: 151, 46: 162, 47: 172}
INCIDENT_ACCOUNT_PEAK = 185
BATCH_FUNCTIONS = ["cost-tagger", "inventory-sync", "reports-daily-sales", "reports-export"]


# ---------------------------------------------------------------------------
# simulation
# ---------------------------------------------------------------------------

class Fn:
    """Hourly series of one Lambda function over the whole timeline."""

    def __init__(self, name, n_hours):
        spec = FUNCTIONS[name]
        self.name = name
        self.service, self.runtime, self.arch, self.memory, self.timeout = spec[:5]
        self.volume, self.median, self.sigma, self.err_rate, self.reserved, self.description = spec[5:]
        self.cap = self.timeout * 1000.0
        self.inv = [0] * n_hours
        self.err = [0] * n_hours
        self.thr = [0] * n_hours
        self.comps = [None] * n_hours
        self.samples = [None] * n_hours
        self.conc = [0] * n_hours
        self.p50 = [None] * n_hours
        self.p99 = [None] * n_hours
        self.mean = [0.0] * n_hours
        self.force_conc = {}


class World:
    pass


def simulate():
    weeks, hours = build_calendar()
    H = len(hours)
    T = traffic(hours)
    fns = {name: Fn(name, H) for name in FUNCTION_NAMES}
    world = World()
    world.weeks, world.hours, world.T, world.fns = weeks, hours, T, fns

    inc = [overlap(h["utc"], *INCIDENT) for h in hours]
    run = [overlap(h["utc"], *RUNAWAY) for h in hours]
    world.inc = inc

    def base_comps(fn, i, r, load_effect=0.10):
        m = fn.median * math.exp(r.gauss(0.0, 0.05)) * (1.0 + load_effect * (T[i] - 1.0))
        return [(1.0, m, fn.sigma)]

    def consumer(name, jitter=0.03, shape=None):
        fn = fns[name]
        r = rng("inv", name)
        for i in range(H):
            load = T[i] if shape is None else shape(i)
            fn.inv[i] = poisson(r, fn.volume / 168.0 * load * math.exp(r.gauss(0.0, jitter)))

    def derived(name, source, ratio, jitter=0.03):
        fn = fns[name]
        r = rng("inv", name)
        for i in range(H):
            fn.inv[i] = poisson(r, source[i] * ratio * math.exp(r.gauss(0.0, jitter)))

    # --- storefront, accounts, reporting consumers -------------------------
    for name in ["catalog-get-product", "catalog-search", "catalog-list-categories", "cart-get", "cart-update",
                 "checkout-validate-cart", "checkout-create-order", "accounts-signup", "accounts-login",
                 "accounts-profile-get", "accounts-profile-update", "analytics-ingest"]:
        consumer(name)
    consumer("log-shipper", jitter=0.05, shape=lambda i: 0.6 + 0.4 * T[i])

    # --- checkout ------------------------------------------------------------
    co = fns["checkout-create-order"]
    orders_placed = [0] * H
    pending_auth = [0] * H  # incident: orders enqueued with a pending authorization
    r_err = rng("err", co.name)
    for i in range(H):
        rate = co.err_rate + 0.15 * inc[i]
        co.err[i] = min(co.inv[i], poisson(r_err, co.inv[i] * rate))
        orders_placed[i] = co.inv[i] - co.err[i]
        pending_auth[i] = poisson(r_err, orders_placed[i] * 0.09 * inc[i])

    pa = fns["payment-authorize"]
    r = rng("inv", pa.name)
    for i in range(H):
        pa.inv[i] = poisson(r, co.inv[i] * 1.03 * (1.0 + 1.4 * inc[i]))

    # orders-queue: arrivals = placed orders (+ redrive), consumer is reserve-stock
    redrive_hour = None
    redrive_t = local_time(2026, 11, 5, 10, 0)
    poison_times = [local_time(2026, 10, 22, 15, 20), local_time(2026, 10, 22, 19, 5)]
    dlq_arrivals = [0] * H
    dlq_origin = [[] for _ in range(H)]  # original enqueue times of DLQ'd messages
    for i, h in enumerate(hours):
        if h["utc"] == redrive_t:
            redrive_hour = i
        for pt in poison_times:
            if h["utc"] <= pt < h["utc"] + dt.timedelta(hours=1):
                dlq_arrivals[i] += 1
                dlq_origin[i].append(pt - dt.timedelta(minutes=4))
        if pending_auth[i]:
            dlq_arrivals[i] += pending_auth[i]
            dlq_origin[i].append(h["utc"] + dt.timedelta(minutes=2))
    dlq_total_before_redrive = sum(dlq_arrivals[:redrive_hour])

    oq_sent = [0] * H
    oq_deleted = [0] * H
    r = rng("orders-queue")
    carry = 0
    for i in range(H):
        oq_sent[i] = orders_placed[i] + (dlq_total_before_redrive if i == redrive_hour else 0)
        avail = carry + oq_sent[i] - dlq_arrivals[i]
        residual = min(avail, int(r.random() * 0.012 * oq_sent[i]))
        oq_deleted[i] = avail - residual
        carry = residual
    rs = fns["fulfillment-reserve-stock"]
    r = rng("inv", rs.name)
    for i in range(H):
        extra = 3 * dlq_arrivals[i]  # received maxReceiveCount=3 times before moving to the DLQ
        base_err = poisson(r, oq_deleted[i] * rs.err_rate)
        rs.err[i] = base_err + extra
        rs.inv[i] = oq_deleted[i] + base_err + extra
    started = [max(0, oq_deleted[i] - poisson(r, oq_deleted[i] * 0.0005)) for i in range(H)]

    derived("payment-webhook", [orders_placed[i] + started[i] for i in range(H)], 1.0)

    # --- payment-capture (story 3) -----------------------------------------
    pc = fns["payment-capture"]
    for i in range(H):
        pc.inv[i] = started[i]
    week_peak = {}
    for w in weeks:
        week_peak[w.number] = max(T[w.offset:w.offset + w.hours])
    rs_noise = rng("capture-noise")
    body_med = [pc.median * math.exp(rs_noise.gauss(0.0, 0.05)) for _ in range(H)]
    slow_jit = [math.exp(rs_noise.gauss(0.0, 0.01)) for _ in range(H)]
    slow_w = [0.0] * H
    for w in weeks:
        for i in range(w.offset, w.offset + w.hours):
            load = T[i] / week_peak[w.number]
            slow_w[i] = 0.004 + 0.022 * load ** 1.5
    capture_slow_sigma = 0.02

    def capture_comps(i, slow_median):
        return [(1.0 - slow_w[i], body_med[i], pc.sigma), (slow_w[i], slow_median * slow_jit[i], capture_slow_sigma)]

    for w in weeks:
        target = CAPTURE_P99[w.number]
        lo, hi = 500.0, 9000.0
        for _ in range(36):
            mid = 0.5 * (lo + hi)
            comps = []
            for i in range(w.offset, w.offset + w.hours):
                for cw, cm, cs in capture_comps(i, mid):
                    comps.append((cw * pc.inv[i], cm, cs))
            if mix_quantile(0.99, comps, pc.cap) < target:
                lo = mid
            else:
                hi = mid
        slow_median = 0.5 * (lo + hi)
        for i in range(w.offset, w.offset + w.hours):
            pc.comps[i] = capture_comps(i, slow_median)
    r = rng("err", pc.name)
    capture_timeouts = [0] * H
    for i in range(H):
        timeouts = poisson(r, pc.inv[i] * (1.0 - mix_cdf(pc.cap, pc.comps[i])))
        capture_timeouts[i] = timeouts
        pc.err[i] = timeouts + poisson(r, pc.inv[i] * pc.err_rate)
        pc.inv[i] += timeouts  # the state machine retries a timed-out capture once

    # --- Step Functions ---------------------------------------------------------
    r = rng("states")
    sf_failed = [0] * H
    sf_timedout = [0] * H
    sf_succeeded = [0] * H
    for i in range(H):
        sf_failed[i] = poisson(r, started[i] * 0.0004) + int(round(capture_timeouts[i] * 0.5))
        sf_timedout[i] = poisson(r, 0.0015)
        sf_succeeded[i] = max(0, started[i] - sf_failed[i] - sf_timedout[i])
    world.sf = (started, sf_succeeded, sf_failed, sf_timedout)

    # --- shipping-queue backlog (story 4) -------------------------------------
    ship = fns["fulfillment-ship"]
    sq_arrivals = [int(round(sf_succeeded[i] * 0.995)) for i in range(H)]
    r = rng("ship-median")
    ship_med_noise = [math.exp(r.gauss(0.0, 0.05)) for _ in range(H)]
    degrade = [0.0] * H
    for i, h in enumerate(hours):
        t = h["utc"]
        if t >= CARRIER:
            ramp = min(1.0, (t - CARRIER).total_seconds() / (CARRIER_FULL - CARRIER).total_seconds())
            degrade[i] = ramp ** 0.6 * (1.0 + 0.08 * math.sin(i / 5.0))

    def ship_median(i, k):
        return ship.median * ship_med_noise[i] * (1.0 + 0.10 * (T[i] - 1.0)) * (1.0 + k * degrade[i])

    def run_ship(k):
        backlog = 0
        processed = [0] * H
        backlog_end = [0] * H
        for i in range(H):
            mean_s = ship_median(i, k) * math.exp(ship.sigma ** 2 / 2.0) / 1000.0
            capacity = int(ship.reserved * 3600.0 * 0.92 / mean_s)
            avail = backlog + sq_arrivals[i]
            processed[i] = min(avail, capacity)
            backlog = avail - processed[i]
            backlog_end[i] = backlog
        return processed, backlog_end

    cum_arrivals = []
    total = 0
    for a in sq_arrivals:
        total += a
        cum_arrivals.append(total)

    def oldest_age(processed, i, cum_processed=None):
        """Age (s) of the oldest message at the end of hour i (FIFO approximation)."""
        done = sum(processed[:i + 1]) if cum_processed is None else cum_processed[i]
        lo_j, hi_j = 0, i
        while lo_j < hi_j:  # first hour whose cumulative arrivals exceed what was processed
            mid = (lo_j + hi_j) // 2
            if cum_arrivals[mid] > done:
                hi_j = mid
            else:
                lo_j = mid + 1
        j = lo_j
        if cum_arrivals[j] <= done:
            return 0.0
        before = cum_arrivals[j - 1] if j else 0
        frac = (done - before) / sq_arrivals[j]
        t_oldest = hours[j]["utc"] + dt.timedelta(seconds=3600.0 * frac)
        return (hours[i]["utc"] + dt.timedelta(hours=1) - t_oldest).total_seconds()

    def cumulative(xs):
        out, total = [], 0
        for x in xs:
            total += x
            out.append(total)
        return out

    last_week = range(weeks[-1].offset, H)
    lo, hi = 0.0, 40.0
    for _ in range(30):
        k = 0.5 * (lo + hi)
        processed, backlog_end = run_ship(k)
        cp = cumulative(processed)
        if max([oldest_age(processed, i, cp) for i in last_week if backlog_end[i]], default=0.0) < 9.0 * 3600 - 300:
            lo = k
        else:
            hi = k
    k_ship = 0.5 * (lo + hi)
    processed, backlog_end = run_ship(k_ship)
    r = rng("err", ship.name)
    ship_dlq = [0] * H
    sq_age = [0.0] * H
    sq_visible = [0] * H
    r_q = rng("shipping-queue")
    cp = cumulative(processed)
    for i in range(H):
        deg = degrade[i] > 0.05
        ship.comps[i] = [(1.0, ship_median(i, k_ship), ship.sigma)]
        rate = ship.err_rate + (0.04 * min(1.0, degrade[i]) if deg else 0.0)
        ship.err[i] = poisson(r, processed[i] * rate)
        ship_dlq[i] = poisson(r, ship.err[i] * 0.03) if deg else 0
        ship.inv[i] = processed[i] + ship.err[i]
        prev_backlog = backlog_end[i - 1] if i else 0
        if backlog_end[i] > 0 or prev_backlog > 0:
            age_end = oldest_age(processed, i, cp) if backlog_end[i] > 0 else 0.0
            age_start = oldest_age(processed, i - 1, cp) if prev_backlog > 0 else 0.0
            sq_age[i] = max(age_end, age_start, r_q.uniform(60.0, 240.0))
            sq_visible[i] = max(prev_backlog, backlog_end[i]) + int(sq_arrivals[i] / 3600.0 * r_q.uniform(20, 90))
            ship.thr[i] = int(round(processed[i] * r_q.uniform(0.5, 1.1)))
            ship.force_conc[i] = ship.reserved
        else:
            sq_age[i] = r_q.uniform(15.0, 70.0) + 140.0 * T[i] * r_q.random()
            sq_visible[i] = int(sq_arrivals[i] / 3600.0 * r_q.uniform(20, 90))
    world.shipping_queue = (sq_arrivals, processed, sq_visible, sq_age)

    derived("shipping-label-render", processed, 1.0, jitter=0.01)
    derived("fulfillment-notify", [started[i] + processed[i] for i in range(H)], 1.0, jitter=0.02)

    # --- orders-queue metrics --------------------------------------------------
    r_q = rng("orders-queue-metrics")
    oq_visible = [int(oq_sent[i] / 3600.0 * r_q.uniform(10, 45)) for i in range(H)]
    oq_age = [r_q.uniform(4.0, 25.0) + 70.0 * T[i] * r_q.random() for i in range(H)]
    if redrive_hour is not None:
        oq_visible[redrive_hour] += dlq_total_before_redrive
        oq_age[redrive_hour] = 340.0  # the redrive re-sends the messages as a burst
    world.orders_queue = (oq_sent, oq_deleted, oq_visible, oq_age)

    # --- DLQs --------------------------------------------------------------------
    def dlq_series(arrivals, origins, redrive_at):
        """DLQ metrics exist only while the queue is active: while it holds
        messages and for six hours after it was last touched. Messages moved
        by a redrive policy do not count in NumberOfMessagesSent."""
        visible, oldest, last_busy = 0, [], None
        out = [None] * H
        for i, h in enumerate(hours):
            start_visible = visible
            visible += arrivals[i]
            oldest.extend(origins[i])
            peak = visible
            deleted = 0
            age = (h["utc"] + dt.timedelta(hours=1) - min(oldest)).total_seconds() if oldest else 0.0
            if i == redrive_at and visible:
                age = (h["utc"] + dt.timedelta(minutes=14) - min(oldest)).total_seconds()
                deleted, visible, oldest = visible, 0, []
            if start_visible or peak or deleted:
                last_busy = i
            if last_busy is not None and i - last_busy <= 6:
                out[i] = (0, deleted, max(start_visible, peak), age)
        return out

    world.orders_dlq = dlq_series(dlq_arrivals, dlq_origin, redrive_hour)
    ship_origins = [[hours[i]["utc"] - dt.timedelta(seconds=sq_age[i] * 0.5)] if ship_dlq[i] else [] for i in range(H)]
    world.shipping_dlq = dlq_series(ship_dlq, ship_origins, None)

    # --- nightly and sporadic jobs ---------------------------------------------------
    r = rng("inv", "batch")
    for i, h in enumerate(hours):
        loc = h["local"]
        if loc.hour in (2, 3):
            fns["inventory-sync"].inv[i] = poisson(r, (520.0 if loc.hour == 2 else 240.0) * (1.0 + 0.1 * math.sin(i)))
            fns["inventory-sync"].force_conc[i] = min(fns["inventory-sync"].inv[i], 30 + int(r.random() * 25))
        if loc.hour == 3:
            fns["reports-daily-sales"].inv[i] = 1 + (1 if r.random() < 0.06 else 0)
        if loc.hour == 4:
            fns["cost-tagger"].inv[i] = 1 + (1 if r.random() < 0.1 else 0)
        export_rate = 0.16 if (loc.weekday() < 5 and 9 <= loc.hour < 18) else 0.0
        n = poisson(r, export_rate)
        if run[i] > 0:
            n = poisson(r, 27.0 * run[i])
        fns["reports-export"].inv[i] = n

    # --- auth-authorizer follows the APIs ----------------------------------------------
    auth = fns["auth-authorizer"]
    r = rng("inv", auth.name)
    for i in range(H):
        reqs = sum(fns[f].inv[i] for f in APIS["storefront-api"] + APIS["accounts-api"])
        reqs += fns["checkout-validate-cart"].inv[i] + fns["checkout-create-order"].inv[i]
        auth.inv[i] = poisson(r, reqs * 1.004 * 0.97)

    # --- durations, errors, throttles, concurrency -------------------------------------------
    for name in FUNCTION_NAMES:
        fn = fns[name]
        r = rng("dur", name)
        re = rng("err", name)
        sampled = fn.name in ("accounts-signup", "inventory-sync", "reports-daily-sales", "reports-export", "cost-tagger")
        for i in range(H):
            n = fn.inv[i]
            if fn.comps[i] is None:
                fn.comps[i] = base_comps(fn, i, r)
            if name == "payment-authorize" and inc[i] > 0:
                f = 0.35 * inc[i]
                fn.comps[i] = [(1.0 - f, fn.comps[i][0][1] * 1.08, fn.sigma), (f, 5900.0 * math.exp(r.gauss(0.0, 0.04)), 0.22)]
            if name == "checkout-create-order" and inc[i] > 0:
                f = 0.33 * inc[i]
                fn.comps[i] = [(1.0 - f, fn.comps[i][0][1], fn.sigma), (f, 6250.0 * math.exp(r.gauss(0.0, 0.04)), 0.22)]
            if name == "reports-export" and run[i] > 0:
                fn.comps[i] = [(0.7, 905000.0, 0.02), (0.3, 380000.0, 0.3)]
            if name == "inventory-sync" and hours[i]["local"].hour == 3:
                fn.comps[i] = [(1.0, fn.comps[i][0][1] * 0.5, fn.sigma)]  # delta pages after the 02:00 full pass
            if n == 0:
                continue
            if sampled:
                xs = sorted(draw(r, fn.comps[i], fn.cap) for _ in range(n))
                fn.samples[i] = xs
                fn.p50[i] = nearest_rank(xs, 0.5)
                fn.p99[i] = nearest_rank(xs, 0.99)
                fn.mean[i] = sum(xs) / n
                timeouts = sum(1 for x in xs if x >= fn.cap)
            else:
                fn.p50[i] = mix_quantile(0.5, fn.comps[i], fn.cap)
                fn.p99[i] = mix_quantile(0.99, fn.comps[i], fn.cap)
                fn.mean[i] = mix_mean(fn.comps[i], fn.cap)
                timeouts = 0
            if name not in ("checkout-create-order", "payment-capture", "fulfillment-ship", "fulfillment-reserve-stock"):
                rate = fn.err_rate
                if name == "payment-authorize":
                    rate += 0.178 * inc[i]
                fn.err[i] = min(n, poisson(re, n * rate) + timeouts)
                if name == "reports-export" and run[i] > 0:
                    fn.err[i] = max(fn.err[i], int(round(n * (0.62 + 0.1 * re.random()))))
            # concurrency
            mean_c = n * fn.mean[i] / 1000.0 / 3600.0
            peak = mean_c * re.uniform(1.6, 2.3) + 2.2 * math.sqrt(mean_c) + 1.0
            if name == "payment-authorize" and inc[i] > 0:
                peak = 10.0 + 12.0 * inc[i]
            c = max(1, min(n, math.ceil(peak)))
            if i in fn.force_conc:
                c = fn.force_conc[i]
            if fn.reserved is not None and c > fn.reserved:
                if name == "payment-authorize" and inc[i] > 0:
                    fn.thr[i] = max(fn.thr[i], int(round(n * re.uniform(0.05, 0.09) * inc[i])))
                elif fn.thr[i] == 0:
                    fn.thr[i] = poisson(re, (peak - fn.reserved) * 2.0)
                c = fn.reserved
            fn.conc[i] = c
    world.acct_conc = account_concurrency(world)
    return world


def account_concurrency(world):
    """Story 5: hourly maximum of the account-wide ConcurrentExecutions.

    A traffic-driven part (scaled per week so that the weekly peak outside the
    incident hits ACCOUNT_PEAK) plus the real peaks of the batch functions,
    never below the largest single function of the hour; the W45 incident adds
    requests piling up behind the slow PSP (peak INCIDENT_ACCOUNT_PEAK).  Uses
    its own random stream, so no other series changes."""
    H = len(world.hours)
    r = rng("account-concurrency")
    noisy = [world.T[i] * math.exp(r.gauss(0.0, 0.03)) for i in range(H)]
    batch = [sum(world.fns[f].conc[i] for f in BATCH_FUNCTIONS) for i in range(H)]
    largest = [max(world.fns[f].conc[i] for f in FUNCTION_NAMES) for i in range(H)]

    def value(i, k, extra=0.0):
        return max(largest[i] + 2, math.ceil(4.0 + k * noisy[i] + batch[i] + extra))

    def smallest(f, target):
        """Smallest x (to float precision) with f(x) >= target; f is non-decreasing."""
        lo, hi = 0.0, 400.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if f(mid) >= target:
                hi = mid
            else:
                lo = mid
        return hi

    out = [0] * H
    for w in world.weeks:
        idx = range(w.offset, w.offset + w.hours)
        calm = [i for i in idx if world.inc[i] == 0]
        k = smallest(lambda x: max(value(i, x) for i in calm), ACCOUNT_PEAK[w.number])
        for i in idx:
            out[i] = value(i, k)
        hit = [i for i in idx if world.inc[i] > 0]
        if hit:
            e = smallest(lambda x: max(value(i, k, x * world.inc[i]) for i in hit), INCIDENT_ACCOUNT_PEAK)
            for i in hit:
                out[i] = value(i, k, e * world.inc[i])
    return out


# ---------------------------------------------------------------------------
# CloudWatch files
# ---------------------------------------------------------------------------

def query(qid, namespace, metric, dims, period, stat, label, unit=None):
    metric_stat = {
        "Metric": {
            "Namespace": namespace,
            "MetricName": metric,
            "Dimensions": [{"Name": n, "Value": v} for n, v in dims],
        },
        "Period": period,
        "Stat": stat,
    }
    if unit is not None:  # only the Duration Sum queries name one (older queries stay as they were)
        metric_stat["Unit"] = unit
    return {
        "Id": qid,
        "MetricStat": metric_stat,
        "Label": label,
        "ReturnData": True,
    }


def result(qid, label, points, status="Complete"):
    """points: list of (datetime, value) in any order -> newest first."""
    points = sorted(points, key=lambda p: p[0], reverse=True)
    return {
        "Id": qid,
        "Label": label,
        "Timestamps": [iso(t) for t, _ in points],
        "Values": [v for _, v in points],
        "StatusCode": status,
    }


def hourly(world, week, values):
    """values: function(i) -> float or None (None = no datapoint)."""
    pts = []
    for k in range(week.hours):
        i = week.offset + k
        v = values(i)
        if v is not None:
            pts.append((world.hours[i]["utc"], v))
    return pts


def lambda_files(world, week):
    queries, results = [], []
    for name in FUNCTION_NAMES:
        fn = world.fns[name]
        dims = [("FunctionName", name)]

        def has(i, fn=fn):
            return fn.inv[i] > 0

        specs = [
            ("inv", "Invocations", 3600, "Sum", f"{name} Invocations", lambda i, fn=fn: count(fn.inv[i]) if has(i) else None),
            ("err", "Errors", 3600, "Sum", f"{name} Errors", lambda i, fn=fn: count(fn.err[i]) if has(i) else None),
            ("thr", "Throttles", 3600, "Sum", f"{name} Throttles", lambda i, fn=fn: count(fn.thr[i]) if has(i) else None),
            ("p50", "Duration", 3600, "p50", f"{name} Duration p50", lambda i, fn=fn: ms(fn.p50[i]) if has(i) else None),
            ("p99", "Duration", 3600, "p99", f"{name} Duration p99", lambda i, fn=fn: ms(fn.p99[i]) if has(i) else None),
            ("conc", "ConcurrentExecutions", 3600, "Maximum", f"{name} ConcurrentExecutions",
             lambda i, fn=fn: count(fn.conc[i]) if has(i) else None),
        ]
        for prefix, metric, period, stat, label, fnv in specs:
            qid = metric_id(prefix, name)
            queries.append(query(qid, "AWS/Lambda", metric, dims, period, stat, label))
            pts = hourly(world, week, fnv)
            status = "Complete"
            if week.number == 45 and qid == "thr_payment_authorize":
                pts = [p for p in pts if p[0] >= PARTIAL_CUTOFF]
                status = "PartialData"
            results.append(result(qid, label, pts, status))
        wp50, wp99 = weekly_percentiles(world, fn, week)
        for prefix, stat, value in (("wp50", "p50", wp50), ("wp99", "p99", wp99)):
            qid = metric_id(prefix, name)
            label = f"{name} Duration {stat} (week)"
            queries.append(query(qid, "AWS/Lambda", "Duration", dims, week.period, stat, label))
            pts = [] if value is None else [(week.start_utc, ms(value))]
            results.append(result(qid, label, pts))
    # story 5: one account-level series, no dimensions, last in the list
    qid, label = "conc_account", "Account ConcurrentExecutions"
    queries.append(query(qid, "AWS/Lambda", "ConcurrentExecutions", [], 3600, "Maximum", label))
    results.append(result(qid, label, hourly(world, week, lambda i: count(world.acct_conc[i]))))
    # Duration Sum per function, appended after conc_account so that every older query and
    # result keeps its place and bytes.
    for name in FUNCTION_NAMES:
        fn = world.fns[name]
        qid, label = metric_id(DURATION_SUM_PREFIX, name), f"{name} Duration Sum"
        queries.append(query(qid, "AWS/Lambda", "Duration", [("FunctionName", name)], 3600, "Sum", label,
                             unit="Milliseconds"))
        results.append(result(qid, label, hourly(world, week, lambda i, fn=fn: duration_sum(fn, i))))
    messages = []
    if week.number == 45:
        messages.append({
            "Code": "PartialData",
            "Value": "Incomplete data returned for query thr_payment_authorize: data points before "
                     + iso(PARTIAL_CUTOFF) + " could not be retrieved. Retry the request to get the missing data points.",
        })
    if week.number in (46, 47):
        results = paginate(results, week)
    return queries, {"MetricDataResults": results, "Messages": messages}


DURATION_SUM_PREFIX = "dsum"


def duration_sum(fn, i):
    """Hourly Duration Sum (ms) of one function, None (a gap) without invocations.

    The total of the simulated durations of the hour's invocations, capped at the
    timeout: for the sampled functions the sum of the very samples their hourly
    p50/p99 come from, otherwise invocations x the capped mixture mean of the
    hour's distribution (``mix_mean``, the same ``fn.mean`` that drives the
    concurrency and the Cost Explorer bill).  ``fn.inv`` never includes
    throttled requests, which do not run and add no duration.  Deterministic, no
    random draws."""
    n = fn.inv[i]
    if n <= 0:
        return None
    if fn.samples[i] is not None:
        return ms(sum(fn.samples[i]))
    return ms(n * mix_mean(fn.comps[i], fn.cap))


def paginate(results, week):
    """Emulate the CLI concatenating NextToken pages: for the Ids of the second
    half of the query list (hourly series only) page 1 carries the newest part
    and page 2 the older rest; series that do not straddle the cut stay whole.
    conc_account and the Duration Sum series after it close the query list, so
    they count as second half."""
    cut_hours = {46: 84, 47: 100}[week.number]
    cutoff = iso(week.start_utc + dt.timedelta(hours=cut_hours))
    split_from = FUNCTION_NAMES[len(FUNCTION_NAMES) // 2]
    page1, page2 = [], []
    for res in results:
        fname = res["Label"].split(" ")[0]
        if res["Id"] == "conc_account" or res["Id"].startswith(DURATION_SUM_PREFIX + "_"):
            fname = split_from  # at the end of the query list, so in its second half
        hourly_series = not res["Label"].endswith("(week)")
        newer = [k for k, t in enumerate(res["Timestamps"]) if t >= cutoff]
        older = [k for k, t in enumerate(res["Timestamps"]) if t < cutoff]
        if fname >= split_from and hourly_series and newer and older:
            first = dict(res)
            first["Timestamps"] = [res["Timestamps"][k] for k in newer]
            first["Values"] = [res["Values"][k] for k in newer]
            rest = dict(res)
            rest["Timestamps"] = [res["Timestamps"][k] for k in older]
            rest["Values"] = [res["Values"][k] for k in older]
            page1.append(first)
            page2.append(rest)
        else:
            page1.append(res)
    return page1 + page2


def weekly_percentiles(world, fn, week):
    idx = [i for i in range(week.offset, week.offset + week.hours) if fn.inv[i] > 0]
    if not idx:
        return None, None
    if fn.samples[idx[0]] is not None:
        xs = sorted(x for i in idx for x in fn.samples[i])
        return nearest_rank(xs, 0.5), nearest_rank(xs, 0.99)
    comps = [(w * fn.inv[i], m, s) for i in idx for (w, m, s) in fn.comps[i]]
    return mix_quantile(0.5, comps, fn.cap), mix_quantile(0.99, comps, fn.cap)


def apigateway_files(world, week):
    fns = world.fns
    queries, results = [], []
    r = rng("apigw", week.label)
    rows = {}
    for api, members in APIS.items():
        rows[api] = []
        for k in range(week.hours):
            i = week.offset + k
            n_fn = sum(fns[f].inv[i] for f in members)
            rejected = poisson(r, n_fn * 0.004)
            if api == "storefront-api":
                fourxx = rejected + poisson(r, fns["catalog-get-product"].inv[i] * 0.011) + poisson(r, n_fn * 0.002)
            elif api == "accounts-api":
                fourxx = rejected + poisson(r, fns["accounts-login"].inv[i] * 0.07) + poisson(r, n_fn * 0.003)
            else:
                fourxx = rejected + poisson(r, n_fn * 0.008)
            fivexx = sum(fns[f].err[i] for f in members) + poisson(r, n_fn * 0.00002)
            comps = []
            for f in members:
                if fns[f].inv[i]:
                    comps.extend((w * fns[f].inv[i], m, s) for w, m, s in fns[f].comps[i])
            integ = mix_quantile(0.99, comps, 29000.0) + 2.5 * math.exp(r.gauss(0, 0.1))
            lat = integ + 12.0 * math.exp(r.gauss(0, 0.1)) + fns["auth-authorizer"].median * 1.4
            rows[api].append((i, n_fn + rejected, fourxx, fivexx, lat, integ))
    for api in APIS:
        dims = [("ApiName", api)]
        specs = [
            ("cnt", "Count", "Sum", f"{api} Count", lambda row: count(row[1])),
            ("err4", "4XXError", "Sum", f"{api} 4XXError", lambda row: count(row[2])),
            ("err5", "5XXError", "Sum", f"{api} 5XXError", lambda row: count(row[3])),
            ("lat", "Latency", "p99", f"{api} Latency p99", lambda row: ms(row[4])),
            ("ilat", "IntegrationLatency", "p99", f"{api} IntegrationLatency p99", lambda row: ms(row[5])),
        ]
        for prefix, metric, stat, label, fnv in specs:
            qid = metric_id(prefix, api)
            queries.append(query(qid, "AWS/ApiGateway", metric, dims, 3600, stat, label))
            pts = [(world.hours[row[0]]["utc"], fnv(row)) for row in rows[api] if row[1] > 0]
            results.append(result(qid, label, pts))
    return queries, {"MetricDataResults": results, "Messages": []}


def sqs_files(world, week):
    queries, results = [], []
    oq_sent, oq_deleted, oq_visible, oq_age = world.orders_queue
    sq_sent, sq_deleted, sq_visible, sq_age = world.shipping_queue

    def series(qname):
        def get(i):
            if qname == "orders-queue":
                return (oq_sent[i], oq_deleted[i], oq_visible[i], oq_age[i])
            if qname == "shipping-queue":
                return (sq_sent[i], sq_deleted[i], sq_visible[i], sq_age[i])
            return (world.orders_dlq if qname == "orders-dlq" else world.shipping_dlq)[i]
        return get

    for qname in QUEUES:
        dims = [("QueueName", qname)]
        get = series(qname)
        specs = [
            ("sent", "NumberOfMessagesSent", "Sum", 0, count),
            ("del", "NumberOfMessagesDeleted", "Sum", 1, count),
            ("vis", "ApproximateNumberOfMessagesVisible", "Maximum", 2, count),
            ("age", "ApproximateAgeOfOldestMessage", "Maximum", 3, count),
        ]
        for prefix, metric, stat, pos, conv in specs:
            qid = metric_id(prefix, qname)
            label = f"{qname} {metric}"
            queries.append(query(qid, "AWS/SQS", metric, dims, 3600, stat, label))
            pts = hourly(world, week, lambda i: None if get(i) is None else conv(get(i)[pos]))
            results.append(result(qid, label, pts))
    return queries, {"MetricDataResults": results, "Messages": []}


def dynamodb_files(world, week):
    fns = world.fns
    queries, results = [], []
    r = rng("dynamodb", week.label)
    data = {t: [] for t in TABLES}
    for k in range(week.hours):
        i = week.offset + k
        inv = lambda f: fns[f].inv[i]  # noqa: E731
        loc = world.hours[i]["local"]
        rows = {
            "catalog": (inv("catalog-get-product") * 0.5 + inv("catalog-search") * 2.5 + inv("catalog-list-categories") * 0.5
                        + inv("checkout-validate-cart") * 1.5 + inv("inventory-sync") * 40,
                        inv("inventory-sync") * 300 + 60 * math.exp(r.gauss(0, 0.5)) + inv("fulfillment-reserve-stock") * 1.0),
            "carts": (inv("cart-get") * 0.5 + inv("cart-update") * 0.5 + inv("checkout-validate-cart") * 0.5,
                      inv("cart-update") * 1.0 + inv("checkout-create-order") * 1.0),
            "orders": (inv("payment-webhook") * 1.0 + inv("payment-capture") * 1.0 + inv("fulfillment-ship") * 1.0
                       + inv("accounts-profile-get") * 0.05 + inv("reports-export") * 400 + inv("reports-daily-sales") * 90000,
                       inv("checkout-create-order") * 2.0 + inv("payment-webhook") * 1.0 + inv("payment-capture") * 1.0
                       + inv("fulfillment-ship") * 1.0),
            "users": (inv("accounts-login") * 0.5 + inv("accounts-profile-get") * 0.5 + inv("accounts-signup") * 0.5,
                      inv("accounts-signup") * 2.0 + inv("accounts-login") * 1.0 + inv("accounts-profile-update") * 1.0),
        }
        for t in TABLES:
            rcu, wcu = rows[t]
            rcu = round(rcu * math.exp(r.gauss(0, 0.02)) * 2) / 2.0
            wcu = round(wcu * math.exp(r.gauss(0, 0.02)) * 2) / 2.0
            throttled = 0
            if t == "catalog" and loc.hour == 2 and r.random() < 0.35:
                throttled = 1 + poisson(r, 18)
            if t == "orders" and world.inc[i] > 0:
                throttled = poisson(r, 55 * world.inc[i])
            lat = TABLE_LATENCY[t] * math.exp(r.gauss(0, 0.06)) * (1.0 + 0.05 * (world.T[i] - 1.0))
            if t == "catalog" and loc.hour in (2, 3):
                lat *= 1.35
            data[t].append((i, rcu, wcu, throttled, lat))
    for t in TABLES:
        specs = [
            ("rcu", "ConsumedReadCapacityUnits", "Sum", [("TableName", t)], f"{t} ConsumedReadCapacityUnits",
             lambda row: float(row[1]) if row[1] > 0 else None),
            ("wcu", "ConsumedWriteCapacityUnits", "Sum", [("TableName", t)], f"{t} ConsumedWriteCapacityUnits",
             lambda row: float(row[2]) if row[2] > 0 else None),
            ("thr", "ThrottledRequests", "Sum", [("TableName", t)], f"{t} ThrottledRequests",
             lambda row: count(row[3]) if row[3] > 0 else None),
            ("lat", "SuccessfulRequestLatency", "Average", [("TableName", t), ("Operation", "GetItem")],
             f"{t} SuccessfulRequestLatency GetItem", lambda row: ms(row[4])),
        ]
        for prefix, metric, stat, dims, label, fnv in specs:
            qid = metric_id(prefix, t)
            queries.append(query(qid, "AWS/DynamoDB", metric, dims, 3600, stat, label))
            pts = []
            for row in data[t]:
                v = fnv(row)
                if v is not None:
                    pts.append((world.hours[row[0]]["utc"], v))
            results.append(result(qid, label, pts))
    # story 6: the provisioned capacity of orders, appended after the consumed series
    # (so those keep their place); a provisioned table publishes it every period.
    t = PROVISIONED_TABLE
    for prefix, metric, units in (("prcu", "ProvisionedReadCapacityUnits", ORDERS_RCU),
                                  ("pwcu", "ProvisionedWriteCapacityUnits", ORDERS_WCU)):
        qid = metric_id(prefix, t)
        label = f"{t} {metric}"
        queries.append(query(qid, "AWS/DynamoDB", metric, [("TableName", t)], 3600, "Average", label))
        value = float(units[week.number])
        results.append(result(qid, label, hourly(world, week, lambda i, value=value: value)))
    return queries, {"MetricDataResults": results, "Messages": []}


def states_files(world, week):
    started, succeeded, failed, timedout = world.sf
    pc = world.fns["payment-capture"]
    rs = world.fns["fulfillment-reserve-stock"]
    notify = world.fns["fulfillment-notify"]
    r = rng("states-time", week.label)
    dims = [("StateMachineArn", STATE_MACHINE_ARN)]
    name = "order-fulfillment"
    specs = [
        ("started", "ExecutionsStarted", "Sum", lambda i: count(started[i]) if started[i] else None),
        ("succeeded", "ExecutionsSucceeded", "Sum", lambda i: count(succeeded[i]) if started[i] else None),
        ("failed", "ExecutionsFailed", "Sum", lambda i: count(failed[i]) if failed[i] else None),
        ("timedout", "ExecutionsTimedOut", "Sum", lambda i: count(timedout[i]) if timedout[i] else None),
        ("xtime", "ExecutionTime", "p99", None),
    ]
    queries, results = [], []
    for prefix, metric, stat, fnv in specs:
        qid = metric_id(prefix, name)
        label = f"{name} {metric}" + (" p99" if stat == "p99" else "")
        queries.append(query(qid, "AWS/States", metric, dims, 3600, stat, label))
        if fnv is None:
            def fnv(i):
                if not started[i]:
                    return None
                base = pc.p99[i] if pc.p99[i] is not None else pc.median * 3
                return ms(base + (rs.p50[i] or rs.median) + (notify.p50[i] or notify.median)
                          + 650.0 * math.exp(r.gauss(0, 0.08)))
        results.append(result(qid, label, hourly(world, week, fnv)))
    return queries, {"MetricDataResults": results, "Messages": []}


# ---------------------------------------------------------------------------
# Lambda inventory
# ---------------------------------------------------------------------------

POWERTOOLS_LAYER = {
    "python3.12": ("arn:aws:lambda:eu-central-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-{arch}:7", 6410721),
}


def log_format(name):
    """LoggingConfig.LogFormat of a function: the newer runtimes outside the storefront log JSON."""
    service, runtime = FUNCTIONS[name][:2]
    return "JSON" if runtime in ("python3.12", "nodejs20.x") and service != "storefront" else "Text"


def function_configuration(name, week):
    fn = FUNCTIONS[name]
    service, runtime, arch, memory, timeout = fn[:5]
    description = fn[10]
    r = rng("inventory", name)
    deployed = dt.datetime(2026, 8, 3, 0, 0, tzinfo=UTC) + dt.timedelta(
        days=r.randrange(0, 60), seconds=r.randrange(7 * 3600, 17 * 3600), milliseconds=r.randrange(1000))
    code_size = r.randrange(4_000, 900_000) if runtime.startswith("python") else r.randrange(40_000, 4_500_000)
    if name == "shipping-label-render":
        code_size = 38_412_977
    sha = b64(bytes(r.getrandbits(8) for _ in range(32)))
    revision = fake_uuid(r)
    # story-driven changes (snapshots are taken at the end of each week)
    if name == "payment-authorize" and week.number >= 45:
        r2 = rng("inventory", name, "post-incident")
        deployed = dt.datetime(2026, 11, 5, 9, 14, 27, 412000, tzinfo=UTC)
        description = "Checkout: authorize card payment with the PSP (circuit breaker, fail fast; reserved concurrency 10 = PSP limit)"
        code_size += 2_318
        sha = b64(bytes(r2.getrandbits(8) for _ in range(32)))
        revision = fake_uuid(r2)
    if name == "reports-export" and week.number >= 46:
        r2 = rng("inventory", name, "retry-fix")
        deployed = dt.datetime(2026, 11, 15, 21, 41, 9, 118000, tzinfo=UTC)
        description = "Reporting: on-demand CSV export for the back office (retries capped at 3 attempts)"
        code_size += 905
        sha = b64(bytes(r2.getrandbits(8) for _ in range(32)))
        revision = fake_uuid(r2)
    if runtime.startswith("python"):
        handler = "app.lambda_handler"
    else:
        handler = "index.handler"
    env = {"POWERTOOLS_SERVICE_NAME": service, "LOG_LEVEL": "INFO"}
    table = {"catalog": "catalog", "cart": "carts", "checkout": "orders", "payment": "orders",
             "accounts": "users", "fulfillment": "orders", "reports": "orders"}.get(name.split("-")[0])
    if table:
        env["TABLE_NAME"] = table
    if name == "checkout-create-order":
        env["ORDERS_QUEUE_URL"] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders-queue"
    if name == "fulfillment-reserve-stock":
        env["SHIPPING_QUEUE_URL"] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/shipping-queue"
    if name == "reports-export":
        env["EXPORT_BUCKET"] = "acme-reports-exports-eu-central-1"
    cfg = {
        "FunctionName": name,
        "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
        "Runtime": runtime,
        "Role": f"arn:aws:iam::{ACCOUNT}:role/{SERVICE_ROLES[service]}",
        "Handler": handler,
        "CodeSize": code_size,
        "Description": description,
        "Timeout": timeout,
        "MemorySize": memory,
        "LastModified": deployed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{deployed.microsecond // 1000:03d}+0000",
        "CodeSha256": sha,
        "Version": "$LATEST",
        "Environment": {"Variables": env},
        "TracingConfig": {"Mode": "Active" if service in ("checkout", "fulfillment") else "PassThrough"},
        "RevisionId": revision,
    }
    if runtime in POWERTOOLS_LAYER:
        arn, size = POWERTOOLS_LAYER[runtime]
        cfg["Layers"] = [{"Arn": arn.format(arch=arch), "CodeSize": size}]
    cfg["PackageType"] = "Zip"
    cfg["Architectures"] = [arch]
    cfg["EphemeralStorage"] = {"Size": 1024 if name in ("reports-export", "shipping-label-render") else 512}
    cfg["SnapStart"] = {"ApplyOn": "None", "OptimizationStatus": "Off"}
    if log_format(name) == "JSON":
        logging = {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO"}
    else:
        logging = {"LogFormat": "Text"}
    logging["LogGroup"] = f"/aws/lambda/{name}"
    cfg["LoggingConfig"] = logging
    return cfg


def list_functions(week):
    return {"Functions": [function_configuration(name, week) for name in FUNCTION_NAMES]}


# ---------------------------------------------------------------------------
# account settings and Service Quotas (story 5)
# ---------------------------------------------------------------------------

STORAGE_QUOTA_GB = 75.0


def reserved_total():
    return sum(spec[9] for spec in FUNCTIONS.values() if spec[9] is not None)


def account_settings(week):
    """``aws lambda get-account-settings`` (member order of botocore's model).
    The usage counts the $LATEST packages only (no published versions, and the
    Powertools layer belongs to another account)."""
    functions = list_functions(week)["Functions"]
    return {
        "AccountLimit": {
            "TotalCodeSize": int(STORAGE_QUOTA_GB * 1024 ** 3),
            "CodeSizeUnzipped": 262144000,
            "CodeSizeZipped": 52428800,
            "ConcurrentExecutions": ACCOUNT_CONCURRENCY_LIMIT,
            "UnreservedConcurrentExecutions": ACCOUNT_CONCURRENCY_LIMIT - reserved_total(),
        },
        "AccountUsage": {
            "TotalCodeSize": sum(f["CodeSize"] for f in functions),
            "FunctionCount": len(functions),
        },
    }


LAMBDA_QUOTAS = [
    ("L-B99A9384", "Concurrent executions", float(ACCOUNT_CONCURRENCY_LIMIT), "None",
     "The maximum number of events that functions can process simultaneously in the current Region.",
     {"MetricNamespace": "AWS/Lambda", "MetricName": "ConcurrentExecutions", "MetricDimensions": {},
      "MetricStatisticRecommendation": "Maximum"}),
    ("L-2ACBD22F", "Function and layer storage", STORAGE_QUOTA_GB, "Gigabytes",
     "The amount of storage that's available for deployment packages and layer archives in the current Region.",
     None),
    ("L-9FEE3D26", "Elastic network interfaces per VPC", 500.0, "None",
     "The maximum number of network interfaces that Lambda creates for VPC-connected functions in each VPC.",
     None),
]


def service_quotas():
    """``aws service-quotas list-service-quotas --service-code lambda`` (the CLI
    follows NextToken, so none is printed; member order of botocore's model)."""
    quotas = []
    for code, name, value, unit, description, usage in LAMBDA_QUOTAS:
        q = {
            "ServiceCode": "lambda",
            "ServiceName": "AWS Lambda",
            "QuotaArn": f"arn:aws:servicequotas:{REGION}:{ACCOUNT}:lambda/{code}",
            "QuotaCode": code,
            "QuotaName": name,
            "Value": value,
            "Unit": unit,
            "Adjustable": True,
            "GlobalQuota": False,
        }
        if usage is not None:
            q["UsageMetric"] = usage
        q["QuotaAppliedAtLevel"] = "ACCOUNT"
        q["Description"] = description
        quotas.append(q)
    return {"Quotas": quotas}


def reserved_functions():
    """The functions with reserved concurrency (FUNCTIONS column 9), sorted."""
    return [name for name in FUNCTION_NAMES if FUNCTIONS[name][9] is not None]


def function_concurrency(name):
    """``aws lambda get-function-concurrency --function-name <name>`` and its request
    (``--cli-input-json`` form, the sidecar that names the function).  Functions
    without a reservation print nothing, so only the reserved ones get a file."""
    return {"ReservedConcurrentExecutions": FUNCTIONS[name][9]}, {"FunctionName": name}


# ---------------------------------------------------------------------------
# Trusted Advisor service limits (story 7)
# ---------------------------------------------------------------------------

def limit_check_description(subject, url, title):
    """The description every Trusted Advisor service-limits check shares (verbatim
    from AWS's catalogue, as captured from moto's copy of it), but for its subject
    and the documentation link."""
    return (
        f"Checks for usage that is more than 80% of the {subject}. Values are based on a snapshot, so your current "
        "usage might differ. Limit and usage data can take up to 24 hours to reflect any changes. In cases where "
        "limits have been recently increased, you may temporarily see utilization that exceeds the limit.<br>\n"
        "<br>\n<b>Alert Criteria</b><br>\nYellow: 80% of limit reached.<br>\nRed: 100% of limit reached.<br>\n"
        "Blue: Trusted Advisor was unable to retrieve utilization or limits in one or more regions.<br>\n<br>\n"
        "<b>Recommended Action</b><br>\nIf you anticipate exceeding a service limit, open a case in Support Center "
        "to <a href=\"https://aws.amazon.com/support/createCase?type=service_limit_increase\" target=\"_blank\">"
        "request a limit increase</a>.<br>\n<br>\n<b>Additional Resources</b><br>\n"
        f"<a href=\"{url}\" target=\"_blank\">{title}</a>"
    )


LIMIT_COLUMNS = ["Region", "Service", "Limit Name", "Limit Amount", "Current Usage", "Status"]
DYNAMODB_LIMITS_DOC = "https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html#limits_dynamodb"
# (id, name, subject of the description, documentation link, its title): real ids and
# names, in the order of AWS's catalogue.
TA_LIMIT_CHECKS = [
    ("gW7HH0l7J9", "CloudFormation Stacks", "CloudFormation Stacks Limit",
     "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
     "CloudFormation Limits"),
    ("oQ7TT0l7J9", "IAM Roles", "IAM Roles Limit",
     "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-limits.html", "IAM Limits"),
    ("6gtQddfEw6", "DynamoDB Read Capacity", "DynamoDB Provisioned Throughput Limit for Reads per Account",
     DYNAMODB_LIMITS_DOC, "DynamoDB Limits"),
    ("c5ftjdfkMr", "DynamoDB Write Capacity", "DynamoDB Provisioned Throughput Limit for Writes per Account",
     DYNAMODB_LIMITS_DOC, "DynamoDB Limits"),
]
TA_RESULT_CHECK = "gW7HH0l7J9"
TA_STACK_LIMIT = 2000
# CloudFormation stacks per region when the check ran on each Monday: eu-central-1 grows
# by the preview environments of pull requests (five stacks each, never deleted), the
# CloudFront/ACM stacks in us-east-1 and the log-archive stacks in eu-west-1 stay put.
TA_STACKS = {
    REGION: {41: 1534, 42: 1581, 43: 1627, 44: 1676, 45: 1718, 46: 1769, 47: 1822},
    "us-east-1": {n: 9 for n in WEEK_NUMBERS},
    "eu-west-1": {n: 4 for n in WEEK_NUMBERS},
}


def trusted_advisor_checks():
    """``aws support describe-trusted-advisor-checks --language en`` (member order of
    botocore's TrustedAdvisorCheckDescription), trimmed to the service-limits checks."""
    return {"checks": [
        {"id": cid, "name": name, "description": limit_check_description(subject, url, title),
         "category": "service_limits", "metadata": list(LIMIT_COLUMNS)}
        for cid, name, subject, url, title in TA_LIMIT_CHECKS
    ]}


def ta_resource_id(check_id, region):
    """Trusted Advisor's opaque resource id: stable for a check and region."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    r = rng("trusted-advisor", check_id, region)
    return "".join(alphabet[r.randrange(64)] for _ in range(43))


def limit_status(usage, limit):
    """(per-resource status, Status column) with Trusted Advisor's 80 % / 100 % rule."""
    if usage >= limit:
        return "error", "Red"
    if usage >= 0.8 * limit:
        return "warning", "Yellow"
    return "ok", "Green"


def trusted_advisor_result(week):
    """``aws support describe-trusted-advisor-check-result --check-id gW7HH0l7J9``,
    taken on the week's Monday at 06:00 UTC.  Service-limits checks list every region
    (resourcesFlagged = resourcesProcessed, green rows included), metadata in the
    check's column order, values as strings."""
    taken = dt.datetime(week.days[0].year, week.days[0].month, week.days[0].day, 6, 0, tzinfo=UTC)
    rows = []
    for region, usage in TA_STACKS.items():
        status, colour = limit_status(usage[week.number], TA_STACK_LIMIT)
        rows.append({
            "status": status,
            "region": region,
            "resourceId": ta_resource_id(TA_RESULT_CHECK, region),
            "isSuppressed": False,
            "metadata": [region, "CloudFormation", "Stacks", str(TA_STACK_LIMIT), str(usage[week.number]), colour],
        })
    worst = max((row["status"] for row in rows), key=["ok", "warning", "error"].index)
    return {"result": {
        "checkId": TA_RESULT_CHECK,
        "timestamp": taken.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": worst,
        "resourcesSummary": {
            "resourcesProcessed": len(rows),
            "resourcesFlagged": len(rows),
            "resourcesIgnored": 0,
            "resourcesSuppressed": 0,
        },
        "categorySpecificSummary": {},
        "flaggedResources": rows,
    }}


# ---------------------------------------------------------------------------
# Cost Explorer
# ---------------------------------------------------------------------------

PRICE = {
    "lambda_request": 0.20 / 1e6,
    "lambda_gbs": {"x86_64": 0.0000166667, "arm64": 0.0000133334},
    "apigw_request": 3.70 / 1e6,
    "ddb_rru": 0.1525 / 1e6,
    "ddb_wru": 0.7625 / 1e6,
    "sqs_request": 0.40 / 1e6,
    "sfn_transition": 0.025 / 1000,
    "logs_gb": 0.63,
}
CE_SERVICES = sorted([
    "AWS Lambda", "Amazon API Gateway", "Amazon DynamoDB", "Amazon Simple Queue Service", "AWS Step Functions",
    "AmazonCloudWatch", "Amazon Simple Storage Service", "AWS Key Management Service",
])


def amount(x):
    text = f"{x:.10f}".rstrip("0").rstrip(".")
    return text if text else "0"


def cost_explorer(world, week):
    fns = world.fns
    started = world.sf[0]
    sq = world.shipping_queue
    oq = world.orders_queue
    per_day = {d: {s: 0.0 for s in CE_SERVICES} for d in week.days}
    for k in range(week.hours):
        i = week.offset + k
        day = world.hours[i]["local"].date()
        c = per_day[day]
        log_gb = 0.0
        for name in FUNCTION_NAMES:
            fn = fns[name]
            n = fn.inv[i]
            if not n:
                continue
            gbs = n * fn.mean[i] / 1000.0 * fn.memory / 1024.0
            c["AWS Lambda"] += n * PRICE["lambda_request"] + gbs * PRICE["lambda_gbs"][fn.arch]
            log_gb += n * (40_000 if name == "reports-export" else 650) / 1e9
        api_reqs = sum(fns[f].inv[i] for members in APIS.values() for f in members)
        c["Amazon API Gateway"] += api_reqs * 1.005 * PRICE["apigw_request"]
        reads = fns["catalog-get-product"].inv[i] * 0.5 + fns["catalog-search"].inv[i] * 2.5 + fns["cart-get"].inv[i] * 0.5 \
            + fns["accounts-profile-get"].inv[i] * 0.5 + fns["accounts-login"].inv[i] * 0.5 + started[i] * 3
        writes = fns["cart-update"].inv[i] + started[i] * 5 + fns["inventory-sync"].inv[i] * 300
        c["Amazon DynamoDB"] += reads * PRICE["ddb_rru"] + writes * PRICE["ddb_wru"] + 0.41 / 24
        sqs_reqs = 3 * (oq[0][i] + sq[0][i]) + 2 * 4 * 180
        c["Amazon Simple Queue Service"] += sqs_reqs * PRICE["sqs_request"]
        c["AWS Step Functions"] += started[i] * 14 * PRICE["sfn_transition"]
        c["AmazonCloudWatch"] += 5.8 / 24 + log_gb * PRICE["logs_gb"]
        c["Amazon Simple Storage Service"] += 1.72 / 24 + fns["reports-export"].inv[i] * 0.0045
        c["AWS Key Management Service"] += 0.134 / 24 + (reads + writes) * 1e-9
    results = []
    for d in week.days:
        r = rng("ce", d.isoformat())
        groups = []
        for s in CE_SERVICES:
            value = per_day[d][s] * math.exp(r.gauss(0, 0.015))
            groups.append({"Keys": [s], "Metrics": {"UnblendedCost": {"Amount": amount(value), "Unit": "USD"}}})
        results.append({
            "TimePeriod": {"Start": d.isoformat(), "End": (d + dt.timedelta(days=1)).isoformat()},
            "Total": {},
            "Groups": groups,
            "Estimated": week.number == WEEK_NUMBERS[-1] and d.weekday() >= 5,
        })
    return {
        "GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}],
        "ResultsByTime": results,
        "DimensionValueAttributes": [],
    }


# ---------------------------------------------------------------------------
# Lambda platform logs (aws logs filter-log-events)
# ---------------------------------------------------------------------------
# Every invocation of the nightly and on-demand reporting jobs, as the platform log records
# Lambda writes to /aws/lambda/<function>.  Only those three: accounts-signup and
# inventory-sync are sampled too, but at ~10,000 and ~5,400 invocations a week their logs
# (1-3 KB per invocation in the CLI's output) would not fit the example's 20 MB.

LOG_FUNCTIONS = ["cost-tagger", "reports-daily-sales", "reports-export"]
# A function-week with more invocations than this (the W46 reports-export runaway) was exported
# with a filter pattern that keeps only the report records, to keep the file small.
LOG_REPORT_ONLY_ABOVE = 500
LOG_IDLE_MS = 15 * 60 * 1000  # an execution environment idle for longer is gone: the next start is cold
LOG_INIT_MS = {"python": (300.0, 600.0), "nodejs": (200.0, 400.0)}
LOG_SCHEDULED = ("cost-tagger", "reports-daily-sales")  # EventBridge schedules at the full hour
# Max Memory Used ÷ Memory Size, per week: the exports grow towards Black Friday and reach
# 2,400-2,900 MB of reports-export's 3,008 MB in 2026-W47.
LOG_MEMORY = {
    "cost-tagger": {n: (0.36, 0.52) for n in WEEK_NUMBERS},
    "reports-daily-sales": {n: (0.30, 0.46) for n in WEEK_NUMBERS},
    "reports-export": {41: (0.50, 0.62), 42: (0.52, 0.64), 43: (0.55, 0.67), 44: (0.57, 0.69),
                       45: (0.60, 0.72), 46: (0.63, 0.75), 47: (2400.0 / 3008.0, 2900.0 / 3008.0)},
}
LOG_ERROR = ("ReadTimeoutError", 'Read timeout on endpoint URL: "https://athena.eu-central-1.amazonaws.com/"')
# A handled error cost-tagger logs at level ERROR (the JSON log format's logger.exception record)
# on its nightly run: its role lost tag:TagResources in W42, got it back in W43 (the error group
# is resolved), and lost it again with a policy change on Thursday of W46 (back again). The
# week's number -> the first weekday (0 = Monday) with the error.
TAGGER_DENIED_WEEKS = {42: 0, 46: 3, 47: 0}
TAGGER_DENIED = ("ClientError",
                 "An error occurred (AccessDeniedException) when calling the TagResources operation: User: "
                 "arn:aws:sts::{account}:assumed-role/cost-tagger-role/cost-tagger is not authorized to perform: "
                 "tag:TagResources on resource: arn:aws:lambda:{region}:{account}:function:{target}")
TAGGER_TARGETS = ["reports-export", "reports-daily-sales", "inventory-sync", "payment-authorize"]
RUNTIME_VERSIONS = {
    "python3.12": ("python:3.12.v38",
                   "2b4e3c1d8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d"),
    "python3.9": ("python:3.9.v64", "6c1f0e3b9d2a8c7e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e"),
    "nodejs20.x": ("nodejs:20.v48", "0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9"),
}


def epoch_ms(t):
    return int(round(t.timestamp() * 1000))


def iso_ms(ms_):
    t = dt.datetime.fromtimestamp(ms_ // 1000, UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms_ % 1000:03d}Z"


def log_invocations(world, name):
    """Every invocation of one function over the whole timeline, in start order.

    The durations are the generator's own samples (``fn.samples``: the same values behind the
    hourly p50/p99 and the Duration Sum), shuffled and started at stratified times inside
    their hour (scheduled jobs fire in the first seconds of it; the W46 runaway only inside
    its window).  Timed-out samples (at the cap) time out; the hour's other Errors fall on
    random other invocations.  An invocation reuses the most recently freed execution
    environment that has been idle for at most LOG_IDLE_MS, else it starts a new one (a cold
    start, with an Init Duration and a new log stream); a timeout resets its environment.
    Only new random streams are used, so no other series changes."""
    fn = world.fns[name]
    lang = "python" if fn.runtime.startswith("python") else "nodejs"
    r_time, r_env, r_init, r_mem, r_out = (rng("logs", name, part)
                                           for part in ("time", "environment", "init", "memory", "outcome"))
    envs = []  # {"stream", "free" (ms), "alive"}
    out = []
    for i, h in enumerate(world.hours):
        xs = fn.samples[i]
        if not xs:
            continue
        n = len(xs)
        a, b = h["utc"], h["utc"] + dt.timedelta(hours=1)
        if name == "reports-export" and overlap(h["utc"], *RUNAWAY) > 0:
            a, b = max(a, RUNAWAY[0]), min(b, RUNAWAY[1])
        lo, hi = epoch_ms(a), epoch_ms(b)
        durations = list(xs)
        r_time.shuffle(durations)
        starts = []
        if name in LOG_SCHEDULED:
            starts.append(lo + int(r_time.uniform(200.0, 2500.0)))
            lo += 10 * 60 * 1000  # a rerun by hand, later in the hour
        m = n - len(starts)
        starts += [lo + int((hi - lo) * (k + r_time.uniform(0.1, 0.9)) / m) for k in range(m)]
        timeouts = [k for k in range(n) if durations[k] >= fn.cap]
        others = [k for k in range(n) if durations[k] < fn.cap]
        failed = set(r_out.sample(others, fn.err[i] - len(timeouts)))
        week = h["week"].number
        mlo, mhi = LOG_MEMORY[name][week]
        for k in range(n):
            t, x = starts[k], durations[k]
            warm = [e for e in envs if e["alive"] and e["free"] <= t and t - e["free"] <= LOG_IDLE_MS]
            init = None
            if warm:
                env = max(warm, key=lambda e: e["free"])
            else:
                day = dt.datetime.fromtimestamp(t // 1000, UTC).strftime("%Y/%m/%d")
                env = {"stream": f"{day}/[$LATEST]{r_env.getrandbits(128):032x}", "free": t, "alive": True}
                envs.append(env)
                init = round(r_init.uniform(*LOG_INIT_MS[lang]), 3)
            begin = t + (int(init) + 1 if init is not None else 0)
            end = begin + int(x)
            status = "timeout" if x >= fn.cap else ("error" if k in failed else "success")
            # bigger exports take longer and need more memory
            v = 0.7 * lognorm_cdf(x, fn.median, fn.sigma) + 0.3 * r_mem.random()
            memory = int(round(fn.memory * (mlo + (mhi - mlo) * v)))
            inv = {"t": t, "begin": begin, "end": end, "report": end + 1, "duration": x, "init": init,
                   "stream": env["stream"], "id": fake_uuid(r_env), "memory": memory, "status": status,
                   "bytes": r_out.randrange(40, 400)}
            if not (epoch_ms(h["utc"]) <= t and begin < epoch_ms(h["utc"]) + 3_600_000
                    and inv["report"] < epoch_ms(h["week"].end_utc)):
                raise SystemExit(f"{name}: invocation at {iso_ms(t)} does not fit its hour and week")
            env["free"], env["alive"] = inv["report"], status != "timeout"
            out.append(inv)
        envs = [e for e in envs if e["alive"]]
    return sorted(out, key=lambda inv: inv["t"])


def log_records(fn, inv):
    """[(timestamp ms, message, is the report)] of one invocation, in the function's log format."""
    rid, x, init = inv["id"], inv["duration"], inv["init"]
    version, arn = RUNTIME_VERSIONS[fn.runtime]
    arn = f"arn:aws:lambda:{REGION}::runtime:{arn}"
    out = []
    if log_format(fn.name) == "JSON":
        def record(ms_, kind, body):
            return ms_, json.dumps({"time": iso_ms(ms_), "type": kind, "record": body}, separators=(",", ":")), \
                kind == "platform.report"
        if init is not None:
            phase = {"initializationType": "on-demand", "phase": "init"}
            out.append(record(inv["t"], "platform.initStart", dict(phase, runtimeVersion=version, runtimeVersionArn=arn,
                                                                   functionName=fn.name, functionVersion="$LATEST")))
            out.append(record(inv["t"] + int(init), "platform.initRuntimeDone", dict(phase, status="success")))
            out.append(record(inv["t"] + int(init), "platform.initReport",
                              dict(phase, status="success", metrics={"durationMs": init})))
        out.append(record(inv["begin"], "platform.start", {"requestId": rid, "version": "$LATEST"}))
        start = dt.datetime.fromtimestamp(inv["begin"] // 1000, UTC)
        denied_from = TAGGER_DENIED_WEEKS.get(start.isocalendar()[1])
        if fn.name == "cost-tagger" and denied_from is not None and start.weekday() >= denied_from:
            target = TAGGER_TARGETS[int(rid[:2], 16) % len(TAGGER_TARGETS)]
            message = TAGGER_DENIED[1].format(account=ACCOUNT, region=REGION, target=target)
            at = inv["begin"] + max(1, int(x) // 2)
            out.append((at, json.dumps({
                "timestamp": iso_ms(at), "level": "ERROR", "message": f"Could not tag {target}",
                "logger": "root", "requestId": rid, "errorType": TAGGER_DENIED[0], "errorMessage": message,
                "stackTrace": ["  File \"/var/task/tagger.py\", line 57, in tag_function\n"
                               "    client.tag_resources(ResourceARNList=[arn], Tags=tags)\n",
                               "  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 1023, "
                               "in _make_api_call\n    raise error_class(parsed_response, operation_name)\n"],
            }, separators=(",", ":")), False))
        done = {"requestId": rid, "status": inv["status"]}
        if inv["status"] == "error":
            done["errorType"] = LOG_ERROR[0]
        if inv["status"] == "timeout":
            done["metrics"] = {"durationMs": round(x, 3), "producedBytes": 0}
        else:
            done["spans"] = [
                {"name": "responseLatency", "start": iso_ms(inv["begin"]), "durationMs": round(max(0.0, x - 0.6), 3)},
                {"name": "responseDuration", "start": iso_ms(inv["end"]), "durationMs": 0.091},
            ]
            done["metrics"] = {"durationMs": round(max(0.0, x - 0.5), 3), "producedBytes": inv["bytes"]}
        out.append(record(inv["end"], "platform.runtimeDone", done))
        metrics = {"durationMs": ms(x), "billedDurationMs": math.ceil(x), "memorySizeMB": fn.memory,
                   "maxMemoryUsedMB": inv["memory"]}
        if init is not None:
            metrics["initDurationMs"] = init
        report = {"requestId": rid, "metrics": metrics, "status": inv["status"]}
        if inv["status"] == "error":
            report["errorType"] = LOG_ERROR[0]
        out.append(record(inv["report"], "platform.report", report))
        return out
    if init is not None:
        out.append((inv["t"], f"INIT_START Runtime Version: {version}\tRuntime Version ARN: {arn}\n", False))
    out.append((inv["begin"], f"START RequestId: {rid} Version: $LATEST\n", False))
    if inv["status"] == "timeout":
        out.append((inv["end"], f"{iso_ms(inv['end'])} {rid} Task timed out after {x / 1000.0:.2f} seconds\n", False))
    elif inv["status"] == "error":
        out.append((inv["end"], f"[ERROR] {LOG_ERROR[0]}: {LOG_ERROR[1]}\nTraceback (most recent call last):\n"
                                f"  File \"/var/task/app.py\", line 88, in lambda_handler\n", False))
    out.append((inv["end"], f"END RequestId: {rid}\n", False))
    line = (f"REPORT RequestId: {rid}\tDuration: {x:.2f} ms\tBilled Duration: {math.ceil(x)} ms\t"
            f"Memory Size: {fn.memory} MB\tMax Memory Used: {inv['memory']} MB\t")
    if init is not None:
        line += f"Init Duration: {init:.2f} ms\t"
    if inv["status"] == "timeout":
        line += "Status: timeout"
    out.append((inv["report"], line + "\n", True))
    return out


def lambda_logs(world, name, week):
    """``aws logs filter-log-events --log-group-name /aws/lambda/<name> --start-time <week start>
    --end-time <week end>`` (CLI v2, pages merged: no nextToken; events of all streams in time
    order, AWS-style 56-digit eventIds) and its request (``--cli-input-json`` form, the sidecar
    that names the function); with ``filterPattern`` when only the reports were exported."""
    fn = world.fns[name]
    lo, hi = epoch_ms(week.start_utc), epoch_ms(week.end_utc)
    invs = [inv for inv in world.logs[name] if lo <= inv["t"] < hi]
    request = {"logGroupName": f"/aws/lambda/{name}"}
    report_only = len(invs) > LOG_REPORT_ONLY_ABOVE
    if report_only:
        request["filterPattern"] = '{ $.type = "platform.report" }' if log_format(name) == "JSON" else "REPORT"
    rows = []
    for inv in invs:
        rows.extend((ms_, inv["stream"], message) for ms_, message, is_report in log_records(fn, inv)
                    if is_report or not report_only)
    rows.sort(key=lambda row: row[0])  # stable: the records of one invocation keep their order
    r = rng("logs", name, week.label, "ingestion")
    events = []
    for ms_, stream, message in rows:
        events.append({
            "logStreamName": stream,
            "timestamp": ms_,
            "message": message,
            "ingestionTime": ms_ + r.randrange(15, 900),
            "eventId": f"{ms_:013d}{r.randrange(10 ** 43):043d}",
        })
    return {"events": events, "searchedLogStreams": []}, request



# ---------------------------------------------------------------------------
# AWS X-Ray (aws xray get-service-graph, get-trace-summaries, batch-get-traces), W47 only
# ---------------------------------------------------------------------------
# Sampled traces of "place an order": the checkout API calls checkout-create-order, which calls
# payment-authorize (itself calling the payment provider), writes the order and queues it. The
# hand-written critical path in headroom.yml also lists the authorizer, the cart validation and
# the fulfillment consumer, which the traces never reach: the Traces page says so.

XRAY_WEEKS = (47,)


def xray_files(week):
    """{file name: JSON} of one week's X-Ray output, as AWS CLI v1 prints it (epoch seconds)."""
    r = rng("xray", week.label)
    w0, w1 = int(week.start_utc.timestamp()), int(week.end_utc.timestamp())

    def stats(total, errors=0, throttles=0, faults=0, mean=0.1):
        return {"OkCount": total - errors - throttles - faults,
                "ErrorStatistics": {"ThrottleCount": throttles, "OtherCount": errors, "TotalCount": errors + throttles},
                "FaultStatistics": {"OtherCount": faults, "TotalCount": faults}, "TotalCount": total,
                "TotalResponseTime": round(total * mean, 3)}

    def hist(bins):
        return [{"Value": v, "Count": c} for v, c in bins]

    def edge(ref, st, h):
        return {"ReferenceId": ref, "StartTime": w0, "EndTime": w1, "SummaryStatistics": st,
                "ResponseTimeHistogram": hist(h), "Aliases": []}

    def node(ref, name, typ, edges, st, h, root=False):
        out = {"ReferenceId": ref, "Name": name, "Names": [name], "Root": root, "Type": typ, "State": "active",
               "StartTime": w0, "EndTime": w1, "Edges": edges, "SummaryStatistics": st,
               "DurationHistogram": hist(h), "ResponseTimeHistogram": hist(h)}
        if typ != "client":
            out["AccountId"] = ACCOUNT
        return out

    api = [(0.09, 6100), (0.16, 2500), (0.3, 900), (0.8, 330), (2.4, 120), (6.5, 50)]
    fn = [(0.07, 6150), (0.13, 2480), (0.26, 890), (0.7, 320), (2.2, 110), (6.2, 45)]
    pay = [(0.04, 7200), (0.09, 1900), (0.25, 600), (1.8, 240)]
    psp = [(0.03, 7300), (0.07, 1800), (0.2, 600), (1.6, 240)]
    ddb = [(0.004, 8300), (0.008, 1200), (0.02, 400), (0.09, 40)]
    sqs = [(0.012, 8600), (0.03, 1200), (0.1, 140)]
    graph = {"Services": [
        node(0, "client", "client", [edge(1, stats(10000, 380, 24, 85, 0.21), api)], stats(10000, 380, 24, 85, 0.21),
             api, root=True),
        node(1, "checkout-api/prod", "AWS::ApiGateway::Stage", [edge(2, stats(9596, 0, 0, 85, 0.2), fn)],
             stats(10000, 380, 24, 85, 0.21), api),
        node(2, "checkout-create-order", "AWS::Lambda", [edge(3, stats(9596, 0, 0, 85, 0.19), fn)],
             stats(9596, 0, 0, 85, 0.2), fn),
        node(3, "checkout-create-order", "AWS::Lambda::Function",
             [edge(4, stats(9940, 0, 0, 61, 0.1), pay), edge(6, stats(9511, 18, 4, 0, 0.006), ddb),
              edge(7, stats(9511, 0, 0, 0, 0.016), sqs)], stats(9596, 0, 0, 85, 0.19), fn),
        node(4, "payment-authorize", "AWS::Lambda::Function", [edge(5, stats(9940, 0, 0, 61, 0.09), psp)],
             stats(9940, 0, 0, 61, 0.1), pay),
        node(5, "psp.example.net", "remote", [], stats(9940, 0, 0, 61, 0.09), psp),
        node(6, "orders", "AWS::DynamoDB::Table", [], stats(9511, 18, 4, 0, 0.006), ddb),
        node(7, "orders-queue", "AWS::SQS::Queue", [], stats(9511, 0, 0, 0, 0.016), sqs),
    ], "StartTime": w0, "EndTime": w1, "ContainsOldGroupVersions": False}

    summaries = []
    for i in range(48):
        start = w0 + 3600 + i * 12500 + r.randrange(900)
        fault = i in (9, 26, 41)
        throttle = i == 17
        slow = i in (4, 33)
        duration = round(r.choice([0.11, 0.14, 0.18, 0.24, 0.5]) + (5.8 if slow else 0) + (0.6 if fault else 0), 3)
        status = 502 if fault else (429 if throttle else 201)
        summaries.append({
            "Id": "1-%08x-%024x" % (start, r.getrandbits(96)), "StartTime": start, "Duration": duration,
            "ResponseTime": duration, "HasFault": fault, "HasError": throttle, "HasThrottle": throttle,
            "IsPartial": False,
            "Http": {"HttpURL": "https://api.acme.example/prod/orders", "HttpStatus": status, "HttpMethod": "POST",
                     "ClientIp": "203.0.113.7"},
            "Annotations": {}, "Users": [],
            "ServiceIds": [{"Name": n, "Names": [n], "AccountId": ACCOUNT, "Type": t} for n, t in [
                ("checkout-api/prod", "AWS::ApiGateway::Stage"), ("checkout-create-order", "AWS::Lambda::Function"),
                ("payment-authorize", "AWS::Lambda::Function"), ("orders", "AWS::DynamoDB::Table")]],
            "EntryPoint": {"Name": "checkout-api/prod", "Names": ["checkout-api/prod"], "AccountId": ACCOUNT,
                           "Type": "AWS::ApiGateway::Stage"},
            "FaultRootCauses": [], "ErrorRootCauses": [], "ResponseTimeRootCauses": [], "Revision": 1,
            "MatchedEventTime": start})

    def sid():
        return "%016x" % r.getrandbits(64)

    def trace(summary, cold):
        t, start, total = summary["Id"], float(summary["StartTime"]), summary["Duration"]
        fault = summary["HasFault"]
        end = round(start + total, 3)
        call = {"id": sid(), "name": "Lambda", "start_time": round(start + 0.003, 3), "end_time": round(end - 0.002, 3),
                "namespace": "aws", "aws": {"operation": "Invoke", "function_name": "checkout-create-order",
                                            "region": REGION},
                "fault": fault}
        api_segment = {"id": sid(), "name": "checkout-api/prod", "start_time": start, "end_time": end, "trace_id": t,
                       "origin": "AWS::ApiGateway::Stage", "fault": fault, "subsegments": [call],
                       "http": {"request": {"method": "POST", "url": "https://api.acme.example/prod/orders"},
                                "response": {"status": summary["Http"]["HttpStatus"]}}}
        service = {"id": sid(), "parent_id": call["id"], "name": "checkout-create-order", "trace_id": t,
                   "start_time": round(start + 0.005, 3), "end_time": round(end - 0.003, 3), "origin": "AWS::Lambda",
                   "resource_arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:checkout-create-order"}
        f0, f1 = round(start + 0.006, 3), round(end - 0.004, 3)
        ready = round(f0 + (0.74 if cold else 0.0), 3)
        invoke = {"id": sid(), "name": "payment-authorize", "start_time": round(ready + 0.004, 3),
                  "end_time": round(f1 - 0.03, 3), "namespace": "aws", "fault": fault,
                  "aws": {"operation": "Invoke", "function_name": "payment-authorize", "region": REGION}}
        write = {"id": sid(), "name": "DynamoDB", "start_time": round(f1 - 0.028, 3), "end_time": round(f1 - 0.02, 3),
                 "namespace": "aws", "aws": {"operation": "PutItem", "table_name": "orders", "region": REGION},
                 "http": {"response": {"status": 200}}}
        queue = {"id": sid(), "name": "SQS", "start_time": round(f1 - 0.019, 3), "end_time": round(f1 - 0.006, 3),
                 "namespace": "aws", "aws": {"operation": "SendMessage", "region": REGION,
                                             "queue_url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders-queue"}}
        subsegments = []
        if cold:
            subsegments.append({"id": sid(), "name": "Initialization", "start_time": f0, "end_time": ready})
        subsegments.append({"id": sid(), "name": "Invocation", "start_time": ready, "end_time": round(f1 - 0.002, 3),
                            "fault": fault, "subsegments": [invoke, write, queue] if not fault else [invoke]})
        subsegments.append({"id": sid(), "name": "Overhead", "start_time": round(f1 - 0.002, 3), "end_time": f1})
        function = {"id": sid(), "parent_id": service["id"], "name": "checkout-create-order", "trace_id": t,
                    "start_time": f0, "end_time": f1, "origin": "AWS::Lambda::Function", "fault": fault,
                    "subsegments": subsegments, "annotations": {"cold_start": cold, "items": 1 + r.randrange(4)},
                    "metadata": {"debug": {"card_number": "4111111111111111"}}}
        p0, p1 = round(invoke["start_time"] + 0.002, 3), round(invoke["end_time"] - 0.001, 3)
        provider = {"id": sid(), "name": "psp.example.net", "start_time": round(p0 + 0.004, 3),
                    "end_time": round(p1 - 0.002, 3), "namespace": "remote", "fault": fault,
                    "http": {"request": {"method": "POST", "url": "https://psp.example.net/v2/authorize"},
                             "response": {"status": 503 if fault else 200}}}
        if fault:
            provider["cause"] = {"exceptions": [{"id": sid(), "type": "ProviderUnavailable",
                                                 "message": "psp.example.net answered 503 Service Unavailable"}]}
        payment = {"id": sid(), "parent_id": invoke["id"], "name": "payment-authorize", "trace_id": t,
                   "start_time": p0, "end_time": p1, "origin": "AWS::Lambda::Function", "fault": fault,
                   "subsegments": [{"id": sid(), "name": "Invocation", "start_time": p0, "end_time": p1,
                                    "fault": fault, "subsegments": [provider]}]}
        documents = [api_segment, service, function, payment]
        return {"Id": t, "Duration": total, "LimitExceeded": False,
                "Segments": [{"Id": d["id"], "Document": json.dumps(d, separators=(",", ":"))} for d in documents]}

    picked = [4, 33, 9, 26, 41, 1, 2, 3, 5, 6, 7]
    # The two slowest traces (4 and 33) and a faulted one (26) start cold.
    traces = {"Traces": [trace(summaries[i], cold=i in (4, 26, 33)) for i in picked], "UnprocessedTraceIds": []}
    return {"xray-service-graph.json": graph,
            "xray-trace-summaries.json": {"TraceSummaries": summaries, "ApproximateTime": w1,
                                          "TracesProcessedCount": len(summaries)},
            "xray-traces.json": traces}


# ---------------------------------------------------------------------------
# assembling, checking, writing
# ---------------------------------------------------------------------------

def generate():
    """Return {relative path under snapshots/: file text}."""
    world = simulate()
    world.logs = {name: log_invocations(world, name) for name in LOG_FUNCTIONS}
    files = {}
    for week in world.weeks:
        base = week.label + "/"
        for group, builder in (("lambda", lambda_files), ("apigateway", apigateway_files), ("sqs", sqs_files),
                               ("dynamodb", dynamodb_files), ("states", states_files)):
            q, res = builder(world, week)
            files[base + f"cloudwatch-{group}.query.json"] = dumps(q)
            files[base + f"cloudwatch-{group}.json"] = dumps(res)
        files[base + "lambda-list-functions.json"] = dumps(list_functions(week))
        files[base + "lambda-account-settings.json"] = dumps(account_settings(week))
        for name in reserved_functions():
            output, request = function_concurrency(name)
            files[base + f"lambda-function-concurrency-{name}.json"] = dumps(output)
            files[base + f"lambda-function-concurrency-{name}.query.json"] = dumps(request)
        files[base + "service-quotas-lambda.json"] = dumps(service_quotas())
        files[base + "trusted-advisor-checks.json"] = dumps(trusted_advisor_checks())
        files[base + "trusted-advisor-service-limits.json"] = dumps(trusted_advisor_result(week))
        files[base + "cost-explorer.json"] = dumps(cost_explorer(world, week))
        files[base + "security-hub-findings.json"] = dumps(security_hub_findings(week))
        for name in LOG_FUNCTIONS:
            output, request = lambda_logs(world, name, week)
            files[base + f"lambda-logs-{name}.json"] = dumps(output)
            files[base + f"lambda-logs-{name}.query.json"] = dumps(request)
        if week.number in XRAY_WEEKS:
            for name, output in xray_files(week).items():
                files[base + name] = dumps(output)
    return dict(sorted(files.items())), world


SECURITY_HUB_CONTROLS = {
    "Lambda.1": ("Lambda function policies should prohibit public access", "CRITICAL", 90,
                 "This control checks whether the Lambda function resource-based policy prohibits public access outside of your account."),
    "Lambda.2": ("Lambda functions should use supported runtimes", "MEDIUM", 40,
                 "This control checks whether the AWS Lambda function settings for runtimes match the expected values set for the supported runtimes in each language."),
}


def security_hub_findings(week):
    """``aws securityhub get-findings`` for the week's Lambda findings (ASFF, consolidated controls)."""
    def finding(control, function, status):
        title, label, normalized, description = SECURITY_HUB_CONTROLS[control]
        r = rng("security-hub", control, function)
        finding_id = f"arn:aws:securityhub:{REGION}:{ACCOUNT}:security-control/{control}/finding/{fake_uuid(r)}"
        first = dt.datetime(YEAR, 10, 5, 8, 14, 51, tzinfo=UTC)
        updated = week.start_utc + dt.timedelta(days=4, hours=8, minutes=15)
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function}"
        stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return {
            "SchemaVersion": "2018-10-08",
            "Id": finding_id,
            "ProductArn": f"arn:aws:securityhub:{REGION}::product/aws/securityhub",
            "ProductName": "Security Hub",
            "CompanyName": "AWS",
            "Region": REGION,
            "GeneratorId": f"security-control/{control}",
            "AwsAccountId": ACCOUNT,
            "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
            "FirstObservedAt": stamp(first),
            "LastObservedAt": stamp(updated),
            "CreatedAt": stamp(first),
            "UpdatedAt": stamp(updated),
            "Severity": {"Label": label if status == "FAILED" else "INFORMATIONAL",
                         "Normalized": normalized if status == "FAILED" else 0, "Original": label},
            "Title": title,
            "Description": description,
            "Remediation": {"Recommendation": {
                "Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.",
                "Url": f"https://docs.aws.amazon.com/console/securityhub/{control}/remediation"}},
            "ProductFields": {"aws/securityhub/ProductName": "Security Hub", "aws/securityhub/CompanyName": "AWS",
                              "Resources:0/Id": arn},
            "Resources": [{"Type": "AwsLambdaFunction", "Id": arn, "Partition": "aws", "Region": REGION}],
            "Compliance": {"Status": status, "SecurityControlId": control,
                           "AssociatedStandards": [{"StandardsId": "standards/aws-foundational-security-best-practices/v/1.0.0"}]},
            "WorkflowState": "NEW",
            "Workflow": {"Status": "NEW" if status == "FAILED" else "RESOLVED"},
            "RecordState": "ACTIVE",
        }
    findings = [finding("Lambda.2", name, "FAILED") for name in ("inventory-sync", "log-shipper")]
    if week.number >= 45:
        findings.append(finding("Lambda.1", "reports-export", "FAILED" if week.number < 47 else "PASSED"))
    return {"Findings": findings}


def valid_id(qid):
    return bool(qid) and "a" <= qid[0] <= "z" and all(c.isdigit() or "a" <= c <= "z" or c == "_" for c in qid)


def self_check(files):
    problems = []
    for path, text in files.items():
        try:
            obj = json.loads(text)
        except ValueError as exc:
            problems.append(f"{path}: invalid JSON ({exc})")
            continue
        if not text.endswith("}\n") and not text.endswith("]\n"):
            problems.append(f"{path}: must end with exactly one newline")
        if "/lambda-function-concurrency-" in path:
            name = path.split("/lambda-function-concurrency-")[1].split(".")[0]
            expected = function_concurrency(name)[1 if path.endswith(".query.json") else 0] \
                if name in FUNCTIONS else None
            if obj != expected:
                problems.append(f"{path}: does not hold the reserved concurrency of {name}")
        elif "/cloudwatch-" in path and path.endswith(".query.json"):
            ids = [q["Id"] for q in obj]
            if len(ids) != len(set(ids)):
                problems.append(f"{path}: duplicate query Ids")
            problems.extend(f"{path}: bad Id {q}" for q in ids if not valid_id(q))
            results = json.loads(files[path.replace(".query.json", ".json")])["MetricDataResults"]
            if sorted(set(ids)) != sorted(set(x["Id"] for x in results)):
                problems.append(f"{path}: query Ids and result Ids differ")
        elif "/cloudwatch-" in path:
            for res in obj["MetricDataResults"]:
                ts, vs = res["Timestamps"], res["Values"]
                if len(ts) != len(vs):
                    problems.append(f"{path}: {res['Id']} Timestamps/Values length mismatch")
                if any(not a > b for a, b in zip(ts, ts[1:])):
                    problems.append(f"{path}: {res['Id']} timestamps not strictly descending")
                if any(not t.endswith("+00:00") for t in ts):
                    problems.append(f"{path}: {res['Id']} timestamp not UTC")
                if any(isinstance(v, bool) or not isinstance(v, float) or v != v or v < 0 for v in vs):
                    problems.append(f"{path}: {res['Id']} bad value")
    for week in (Week(n, 0) for n in WEEK_NUMBERS):
        problems.extend(quota_check(files, week))
        problems.extend(capacity_check(files, week))
        problems.extend(trusted_advisor_check(files, week))
        problems.extend(duration_sum_check(files, week))
        problems.extend(lambda_logs_check(files, week))
    return problems


def log_reports(text, json_format):
    """[(report timestamp ms, stream, request id, duration, memory size, max memory, init, status)]
    of a filter-log-events file, and whether its events are in time order."""
    events = json.loads(text)["events"]
    out = []
    for e in events:
        msg = e["message"]
        if json_format:
            rec = json.loads(msg)
            if rec.get("type") != "platform.report":
                continue
            body, metrics = rec["record"], rec["record"]["metrics"]
            out.append((e["timestamp"], e["logStreamName"], body["requestId"], metrics["durationMs"],
                        metrics["memorySizeMB"], metrics["maxMemoryUsedMB"], metrics.get("initDurationMs"),
                        body["status"]))
        elif msg.startswith("REPORT RequestId: "):
            fields = dict(f.split(": ", 1) for f in msg.rstrip("\n").split("\t") if f)
            out.append((e["timestamp"], e["logStreamName"], fields["REPORT RequestId"],
                        float(fields["Duration"][:-3]), int(fields["Memory Size"][:-3]),
                        int(fields["Max Memory Used"][:-3]),
                        float(fields["Init Duration"][:-3]) if "Init Duration" in fields else None,
                        fields.get("Status", "success")))
    ordered = all(a["timestamp"] <= b["timestamp"] for a, b in zip(events, events[1:]))
    return out, ordered


def lambda_logs_check(files, week):
    """The log files hold exactly the invocations of the metrics: per hour of the start the
    Invocations, Errors and Duration Sum, the memory size of the inventory, timeouts only at
    the timeout, and never more invocations running at once than the hour's
    ConcurrentExecutions Maximum."""
    problems = []
    base = week.label + "/"
    by = {}
    for x in json.loads(files[base + "cloudwatch-lambda.json"])["MetricDataResults"]:
        by.setdefault(x["Id"], {}).update(zip(x["Timestamps"], x["Values"]))
    inventory = {f["FunctionName"]: f for f in json.loads(files[base + "lambda-list-functions.json"])["Functions"]}
    lo, hi = epoch_ms(week.start_utc), epoch_ms(week.end_utc)
    for name in LOG_FUNCTIONS:
        path = base + f"lambda-logs-{name}.json"
        request = json.loads(files[path.replace(".json", ".query.json")])
        if request.get("logGroupName") != f"/aws/lambda/{name}":
            problems.append(f"{path}: the request does not name /aws/lambda/{name}")
        cfg = inventory[name]
        reports, ordered = log_reports(files[path], cfg["LoggingConfig"]["LogFormat"] == "JSON")
        if not ordered:
            problems.append(f"{path}: events not in time order")
        if len({r[2] for r in reports}) != len(reports):
            problems.append(f"{path}: a request id is reported twice")
        hours = {}
        intervals = []
        for stamp, _, _, duration, size, used, _, status in reports:
            start = stamp - 1 - int(duration)
            intervals.append((start, stamp))
            hour = iso(dt.datetime.fromtimestamp((start - start % 3_600_000) // 1000, UTC))
            n, err, total = hours.get(hour, (0, 0, 0.0))
            hours[hour] = (n + 1, err + (status != "success"), total + duration)
            if not (lo <= start and stamp < hi):
                problems.append(f"{path}: an invocation outside the week")
            if size != cfg["MemorySize"] or not 0 < used <= size:
                problems.append(f"{path}: memory {used}/{size} MB does not fit the inventory")
            if (status == "timeout") != (duration >= cfg["Timeout"] * 1000.0):
                problems.append(f"{path}: status {status} with a duration of {duration} ms")
        inv, err, total = (by[metric_id(p, name)] for p in ("inv", "err", DURATION_SUM_PREFIX))
        if sorted(hours) != sorted(t for t, v in inv.items() if v > 0):
            problems.append(f"{path}: the hours with logs differ from the hours with invocations")
            continue
        for t, (n, e, d) in hours.items():
            if n != inv[t] or e != err[t] or abs(d - total[t]) > 0.005 * n + 0.01:
                problems.append(f"{path}: {t}: {n} invocations, {e} errors, {d:.2f} ms; "
                                f"metrics {inv[t]}, {err[t]}, {total[t]}")
        points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
        running, peak = 0, {}
        for stamp, step in points:
            hour = iso(dt.datetime.fromtimestamp((stamp - stamp % 3_600_000) // 1000, UTC))
            peak[hour] = max(peak.get(hour, 0), running, running + step)  # before an end, after a start
            running += step
        conc = by[metric_id("conc", name)]
        over = [t for t, p in peak.items() if p > conc.get(t, 0.0) and t in inv]
        if over:
            problems.append(f"{path}: more invocations at once than ConcurrentExecutions at {over[0]}")
    return problems


def duration_sum_check(files, week):
    """Duration Sum (pages merged) has a point exactly in the hours with
    invocations, its mean per invocation is at most the timeout, and its mean
    concurrency (Sum / 1 h) is at most the hour's ConcurrentExecutions Maximum."""
    problems = []
    base = week.label + "/"
    queries = json.loads(files[base + "cloudwatch-lambda.query.json"])
    by = {}
    for x in json.loads(files[base + "cloudwatch-lambda.json"])["MetricDataResults"]:
        by.setdefault(x["Id"], {}).update(zip(x["Timestamps"], x["Values"]))
    stats = {q["Id"]: q["MetricStat"] for q in queries}
    for name in FUNCTION_NAMES:
        qid = metric_id(DURATION_SUM_PREFIX, name)
        expected = {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Duration",
                               "Dimensions": [{"Name": "FunctionName", "Value": name}]},
                    "Period": 3600, "Stat": "Sum", "Unit": "Milliseconds"}
        if stats.get(qid) != expected:
            problems.append(f"{base}: {qid} is not the hourly Duration Sum of {name}")
            continue
        total, inv, conc = (by.get(x, {}) for x in (qid, metric_id("inv", name), metric_id("conc", name)))
        if sorted(total) != sorted(t for t, v in inv.items() if v > 0):
            problems.append(f"{base}: {qid} hours differ from the hours with invocations")
            continue
        cap = FUNCTIONS[name][4] * 1000.0
        if any(v <= 0 or v > inv[t] * cap + 0.01 for t, v in total.items()):
            problems.append(f"{base}: {qid} mean duration outside (0, timeout]")
        if any(v / 3_600_000.0 > conc[t] for t, v in total.items()):
            problems.append(f"{base}: {qid} mean concurrency above the hour's ConcurrentExecutions Maximum")
    return problems


def orders_utilisation(files, week):
    """Story 6: peak consumed units per second (hourly Sum / 3600) over the week's
    provisioned units, for reads and writes, in %."""
    res = {x["Id"]: x for x in json.loads(files[week.label + "/cloudwatch-dynamodb.json"])["MetricDataResults"]}
    out = []
    for consumed, provisioned in (("rcu_orders", "prcu_orders"), ("wcu_orders", "pwcu_orders")):
        out.append(100.0 * max(res[consumed]["Values"]) / 3600.0 / max(res[provisioned]["Values"]))
    return out


def capacity_check(files, week):
    """Story 6: only orders has provisioned capacity, one whole value per hour of the week."""
    problems = []
    base = week.label + "/"
    queries = json.loads(files[base + "cloudwatch-dynamodb.query.json"])
    res = {x["Id"]: x for x in json.loads(files[base + "cloudwatch-dynamodb.json"])["MetricDataResults"]}
    provisioned = sorted(q["Id"] for q in queries if q["MetricStat"]["Metric"]["MetricName"].startswith("Provisioned"))
    if provisioned != ["prcu_orders", "pwcu_orders"]:
        problems.append(f"{base}: unexpected provisioned-capacity queries {provisioned}")
        return problems
    for qid, units in (("prcu_orders", ORDERS_RCU), ("pwcu_orders", ORDERS_WCU)):
        values = res[qid]["Values"]
        if len(values) != week.hours or set(values) != {float(units[week.number])}:
            problems.append(f"{base}: {qid} is not {units[week.number]} in every hour")
    reads, writes = orders_utilisation(files, week)
    if not (25.0 <= reads <= 40.0 and 45.0 <= writes < 80.0):
        problems.append(f"{base}: orders peak utilisation reads {reads:.1f} %, writes {writes:.1f} %")
    return problems


def trusted_advisor_check(files, week):
    """Story 7: the check result matches the catalogue, its timestamp lies in the week
    and every row's status follows from its usage."""
    problems = []
    base = week.label + "/"
    checks = {c["id"]: c for c in json.loads(files[base + "trusted-advisor-checks.json"])["checks"]}
    res = json.loads(files[base + "trusted-advisor-service-limits.json"])["result"]
    check = checks.get(res["checkId"])
    if check is None or check["category"] != "service_limits" or check["metadata"] != LIMIT_COLUMNS:
        return [f"{base}: check {res['checkId']} is not a service-limits check of the catalogue"]
    taken = dt.datetime.strptime(res["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if not week.start_utc <= taken < week.end_utc:
        problems.append(f"{base}: Trusted Advisor timestamp {res['timestamp']} outside the week")
    statuses = []
    for row in res["flaggedResources"]:
        meta = row["metadata"]
        if len(meta) != len(LIMIT_COLUMNS) or any(not isinstance(v, str) for v in meta) or meta[0] != row["region"]:
            problems.append(f"{base}: bad Trusted Advisor row {row['resourceId']}")
            continue
        if limit_status(int(meta[4]), int(meta[3])) != (row["status"], meta[5]):
            problems.append(f"{base}: Trusted Advisor row {row['region']} has the wrong status")
        statuses.append(row["status"])
    if res["resourcesSummary"]["resourcesFlagged"] != len(res["flaggedResources"]) \
            or res["status"] != max(statuses, key=["ok", "warning", "error"].index):
        problems.append(f"{base}: Trusted Advisor summary does not match the rows")
    return problems


def account_peak(files, week):
    """{timestamp: value} of conc_account (pages merged) and the peak."""
    res = json.loads(files[week.label + "/cloudwatch-lambda.json"])["MetricDataResults"]
    points = {}
    for x in res:
        if x["Id"] == "conc_account":
            points.update(zip(x["Timestamps"], x["Values"]))
    return points, max(points.values(), default=0.0)


def quota_check(files, week):
    """Story 5 consistency between the account series, settings and quotas."""
    problems = []
    base = week.label + "/"
    if base + "cloudwatch-lambda.query.json" not in files:
        return [f"{week.label}: missing"]
    queries = json.loads(files[base + "cloudwatch-lambda.query.json"])
    results = json.loads(files[base + "cloudwatch-lambda.json"])["MetricDataResults"]
    settings = json.loads(files[base + "lambda-account-settings.json"])
    quotas = {q["QuotaCode"]: q for q in json.loads(files[base + "service-quotas-lambda.json"])["Quotas"]}
    functions = json.loads(files[base + "lambda-list-functions.json"])["Functions"]
    # conc_account closes the original query list; only the Duration Sum queries follow it
    tail = [x["Id"] for x in queries if x["Id"].startswith(DURATION_SUM_PREFIX + "_")]
    q = queries[-1 - len(tail)]
    if q["Id"] != "conc_account" or [x["Id"] for x in queries[len(queries) - len(tail):]] != tail:
        problems.append(f"{base}: conc_account must be the last query before the Duration Sum queries")
    elif q["MetricStat"] != {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "ConcurrentExecutions",
                                        "Dimensions": []}, "Period": 3600, "Stat": "Maximum"}:
        problems.append(f"{base}: conc_account query is not the account-level ConcurrentExecutions Maximum")
    points, peak = account_peak(files, week)
    if len(points) != week.hours:
        problems.append(f"{base}: conc_account has {len(points)} hours, expected {week.hours}")
    per_fn = {}
    for x in results:
        if x["Id"].startswith("conc_") and x["Id"] != "conc_account":
            for t, v in zip(x["Timestamps"], x["Values"]):
                per_fn[t] = max(per_fn.get(t, 0.0), v)
    low = [t for t, v in per_fn.items() if points.get(t, 0.0) < v]
    if low:
        problems.append(f"{base}: conc_account below a single function at {low[0]}")
    limit = settings["AccountLimit"]["ConcurrentExecutions"]
    expected_peak = INCIDENT_ACCOUNT_PEAK if week.number == 45 else ACCOUNT_PEAK[week.number]
    if peak != expected_peak or peak >= limit:
        problems.append(f"{base}: conc_account peak {peak}, expected {expected_peak} (limit {limit})")
    reserved = sum(json.loads(text)["ReservedConcurrentExecutions"] for path, text in files.items()
                   if path.startswith(base + "lambda-function-concurrency-") and not path.endswith(".query.json"))
    if settings["AccountLimit"]["UnreservedConcurrentExecutions"] != limit - reserved \
            or reserved != reserved_total():
        problems.append(f"{base}: UnreservedConcurrentExecutions does not match the reserved concurrency")
    usage = settings["AccountUsage"]
    if usage != {"TotalCodeSize": sum(f["CodeSize"] for f in functions), "FunctionCount": len(functions)}:
        problems.append(f"{base}: AccountUsage does not match lambda-list-functions.json")
    if sorted(quotas) != sorted(c[0] for c in LAMBDA_QUOTAS):
        problems.append(f"{base}: unexpected quota codes {sorted(quotas)}")
    elif quotas["L-B99A9384"]["Value"] != float(limit) \
            or quotas["L-2ACBD22F"]["Value"] * 1024 ** 3 != settings["AccountLimit"]["TotalCodeSize"]:
        problems.append(f"{base}: Service Quotas values differ from get-account-settings")
    return problems


def story_summary(files, world):
    lines = []
    for week in world.weeks:
        res = json.loads(files[week.label + "/cloudwatch-lambda.json"])["MetricDataResults"]
        by = {}
        for x in res:
            by.setdefault(x["Id"], []).extend(zip(x["Timestamps"], x["Values"]))
        for f in FUNCTION_NAMES:
            hourly99 = sorted(v for _, v in by[metric_id("p99", f)])
            w50 = [v for _, v in by[metric_id("wp50", f)]]
            w99 = [v for _, v in by[metric_id("wp99", f)]]
            if not w99:
                continue
            mid = len(hourly99) // 2
            median_h = hourly99[mid] if len(hourly99) % 2 else (hourly99[mid - 1] + hourly99[mid]) / 2.0
            if not (w50[0] <= w99[0] and (median_h <= w99[0] <= hourly99[-1] or len(hourly99) < 3)):
                lines.append(f"note: {week.label} {f}: weekly p99 {w99[0]} outside [{median_h}, {hourly99[-1]}]")
        inv = lambda f: sum(v for _, v in by[metric_id("inv", f)])  # noqa: E731
        err = lambda f: sum(v for _, v in by[metric_id("err", f)])  # noqa: E731
        wp99 = lambda f: by[metric_id("wp99", f)][0][1]  # noqa: E731
        age = json.loads(files[week.label + "/cloudwatch-sqs.json"])["MetricDataResults"]
        age = max((v for x in age if x["Id"] == "age_shipping_queue" for v in x["Values"]), default=0)
        lines.append(f"{week.label}: {week.hours}h  payment-capture wp99={wp99('payment-capture'):.0f}ms "
                     f"err={err('payment-capture'):.0f}  payment-authorize err={err('payment-authorize'):.0f}"
                     f"/{inv('payment-authorize'):.0f}  reports-export inv={inv('reports-export'):.0f}  "
                     f"shipping-queue max age={age / 3600:.1f}h  "
                     f"account concurrency peak={account_peak(files, week)[1]:.0f}/{ACCOUNT_CONCURRENCY_LIMIT}  "
                     "orders peak reads={:.1f}% writes={:.1f}%  ".format(*orders_utilisation(files, week))
                     + "stacks " + " ".join(f"{region}={usage[week.number]}" for region, usage in TA_STACKS.items())
                     + f"/{TA_STACK_LIMIT}")
    return lines


def remove_tree(path):
    if not path.exists():
        return
    for p in sorted(path.rglob("*"), key=lambda q: len(q.parts), reverse=True):
        if p.is_dir() and not p.is_symlink():
            p.rmdir()
        else:
            p.unlink()
    path.rmdir()


def main():
    parser = argparse.ArgumentParser(description="Generate the Acme example snapshots for Headroom.")
    parser.add_argument("--out", default="examples/acme", help="project folder (default: examples/acme)")
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and compare with <out>/snapshots; write nothing")
    parser.add_argument("--quiet", action="store_true", help="do not print the story summary")
    args = parser.parse_args()
    files, world = generate()
    problems = self_check(files)
    if problems:
        raise SystemExit("self-check failed:\n" + "\n".join(problems))
    snapshots = Path(args.out) / "snapshots"
    if args.check:
        on_disk = sorted(p.relative_to(snapshots).as_posix() for p in snapshots.rglob("*") if p.is_file()) \
            if snapshots.exists() else []
        diffs = [p for p in files if p not in on_disk or (snapshots / p).read_bytes() != files[p].encode("utf-8")]
        extra = [p for p in on_disk if p not in files]
        if diffs or extra:
            raise SystemExit("out of date: " + ", ".join(diffs + extra))
        print(f"ok: {len(files)} files in {snapshots} match the generator")
        return
    remove_tree(snapshots)
    for rel, text in files.items():
        target = snapshots / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    if not args.quiet:
        for line in story_summary(files, world):
            print(line)
    print(f"wrote {len(files)} files to {snapshots}")


if __name__ == "__main__":
    main()
