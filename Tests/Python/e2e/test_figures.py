"""Recomputes the site's figures (overview, costs, limits, function pages) from the raw AWS CLI files, independently of the Swift code.

For every Lambda function of the example project, week 2026-W47 in Europe/Berlin:
invocations and errors are sums of the hourly datapoints inside the week, the error rate is
errors / invocations * 100, and p99 is the whole-week Duration p99 datapoint. The built
overview page must show exactly these numbers, formatted as the README describes.
"""
import datetime as dt
import html
import json
import os
import pathlib
import re
import subprocess
import zoneinfo

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "acme"
BINARY = pathlib.Path(os.environ.get("HEADROOM_BIN", ROOT / ".build" / "debug" / "headroom"))


def week_bounds(year, week, zone):
    monday = dt.date.fromisocalendar(year, week, 1)
    start = dt.datetime.combine(monday, dt.time(), tzinfo=zoneinfo.ZoneInfo(zone))
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), tzinfo=zoneinfo.ZoneInfo(zone))
    return start.timestamp(), end.timestamp()


def parse_time(value):
    if isinstance(value, (int, float)):
        return float(value)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def lambda_points():
    """{(function, metric, stat, period): {timestamp: value}} over every week's Lambda file."""
    series = {}
    for results_file in sorted(EXAMPLE.glob("snapshots/*/cloudwatch-lambda.json")):
        queries = json.loads(results_file.with_name("cloudwatch-lambda.query.json").read_text())
        by_id = {}
        for query in queries:
            stat = query.get("MetricStat")
            if not stat:
                continue
            dims = {d["Name"]: d["Value"] for d in stat["Metric"].get("Dimensions", [])}
            if "FunctionName" not in dims:
                continue  # account-level series
            by_id[query["Id"]] = (dims["FunctionName"], stat["Metric"]["MetricName"], stat["Stat"], stat["Period"])
        for result in json.loads(results_file.read_text())["MetricDataResults"]:
            if result["Id"] not in by_id:
                continue
            points = series.setdefault(by_id[result["Id"]], {})
            for timestamp, value in zip(result["Timestamps"], result["Values"]):
                points.setdefault(parse_time(timestamp), value)
    return series


def count(value):
    return f"{int(round(value)):,}"


def percent(value):
    if value == 0:
        return "0%"
    if abs(value) < 0.01:
        return "<0.01%"
    text = f"{abs(value):,.1f}%" if abs(value) >= 100 else f"{abs(value):.2f}%"
    return ("−" if value < 0 else "") + text


def point_change(before, now):
    """A change in percentage points as the site prints it: two decimals, three when two would read 0,
    and no sign on what rounds to no change at all."""
    change = now - before
    decimals = 3 if abs(change) < 0.005 else 2
    text = f"{abs(change):.{decimals}f}"
    return "0 pp" if text == "0.000" else f"{'+' if change >= 0 else '−'}{text} pp"


def duration(ms):
    if ms >= 60_000:
        return f"{ms / 60_000:.1f} min"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 100:
        return f"{ms:.0f} ms"
    return f"{ms:.1f} ms"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"no binary at {BINARY}: run swift build first")
    out = tmp_path_factory.mktemp("site") / "public"
    subprocess.run([str(BINARY), "build", "--quiet", "--config", str(EXAMPLE / "headroom.yml"), "--output", str(out)],
                   check=True)
    return out


@pytest.fixture(scope="module")
def overview(site):
    return (site / "index.html").read_text()


@pytest.fixture(scope="module")
def service_pages(site):
    """Every service page of the review week: together they list every function and resource (the
    overview lists those that are not OK)."""
    return "".join(p.read_text() for p in sorted((site / "weeks" / "2026-W47" / "services").glob("*.html")))


@pytest.fixture(scope="module")
def costs(site):
    return (site / "costs.html").read_text()


@pytest.fixture(scope="module")
def limits(site):
    return (site / "limits.html").read_text()


def test_the_headline_tiles_match_an_independent_computation(overview):
    """Invocations and error % of every function this week and the week before, and the p99 nearest
    its timeout (from the whole-week Duration p99 and the W47 list-functions timeouts)."""
    series = lambda_points()
    functions = sorted({key[0] for key in series})

    def total(metric, year_week):
        start, end = week_bounds(2026, year_week, "Europe/Berlin")
        return sum(v for f in functions for t, v in series[(f, metric, "Sum", 3600)].items() if start <= t < end)

    tiles = tile_map(overview)
    invocations, before = total("Invocations", 47), total("Invocations", 46)
    assert tiles["Invocations"] == (f"{round(invocations):,}", f"{'+' if invocations >= before else '−'}{abs(invocations - before) / before * 100:.1f}%", "of 25 functions")
    rate = total("Errors", 47) / invocations * 100
    rate_before = total("Errors", 46) / before * 100
    value, change, _ = tiles["Errors"]
    assert value == percent(rate)
    assert change == point_change(rate_before, rate)
    timeouts = {f["FunctionName"]: f["Timeout"] for f in json.loads(
        (EXAMPLE / "snapshots" / "2026-W47" / "lambda-list-functions.json").read_text())["Functions"]}
    start, end = week_bounds(2026, 47, "Europe/Berlin")
    p99 = {}
    for (f, m, s, p), points in series.items():
        if (m, s) == ("Duration", "p99") and p >= 604800:
            p99.update({f: v for t, v in points.items() if start <= t < end})
    nearest = max((v / (timeouts[f] * 1000), f) for f, v in p99.items() if timeouts.get(f))
    value, _, note = tiles["p99 against timeout"]
    assert note == f"{nearest[1]}, {percent(nearest[0] * 100)} of {timeouts[nearest[1]]} s"


def function_rows(page):
    return dict(
        (html.unescape(name), [html.unescape(cell) for cell in cells])
        for name, *cells in re.findall(
            r'<th scope="row"><a href="(?:\.\./)?functions/[^"]+">([^<]+)</a></th><td><span[^>]*>([^<]*)</span></td>'
            r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td><td class="num"[^>]*>([^<]*)</td>',
            page)
    )


def test_function_tables_match_an_independent_computation(overview, service_pages):
    start, end = week_bounds(2026, 47, "Europe/Berlin")
    series = lambda_points()
    functions = sorted({key[0] for key in series})
    assert len(functions) == 25
    everyone = function_rows(service_pages)
    assert sorted(everyone) == functions
    # The overview's rows are those not OK, with the same figures.
    shown = function_rows(overview)
    assert shown and sorted(shown) == sorted(f for f, (status, *_) in everyone.items() if status != "OK")
    assert all(everyone[f] == cells for f, cells in shown.items())
    rows = {f: cells[1:] for f, cells in everyone.items()}
    for function in functions:
        def weekly_sum(metric):
            points = series[(function, metric, "Sum", 3600)]
            return sum(v for t, v in points.items() if start <= t < end)

        invocations = weekly_sum("Invocations")
        errors = weekly_sum("Errors")
        week_p99 = [v for (f, m, s, p), pts in series.items() if (f, m, s) == (function, "Duration", "p99") and p >= 604800
                    for t, v in pts.items() if t == start]
        assert len(week_p99) == 1, function
        expected = [count(invocations), count(errors), percent(errors / invocations * 100), duration(week_p99[0])]
        assert rows[function] == expected, function


def money(amount):
    """Rounded to cents, half away from zero, grouped: as the site prints money."""
    import decimal
    cents = amount.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    sign = "−" if cents < 0 else ""
    whole, _, fraction = f"{abs(cents):f}".partition(".")
    return f"{sign}{int(whole):,}.{fraction:0<2} USD"


def test_the_cost_trend_chart_holds_the_daily_cost_by_service(costs):
    """The data table behind the seven-week cost chart: each UTC day from Monday of W41 to Sunday
    of W47, the six most expensive services over those days and the rest as Other."""
    import decimal
    first, last = dt.date.fromisocalendar(2026, 41, 1), dt.date.fromisocalendar(2026, 47, 7)
    daily = {}
    for path in sorted(EXAMPLE.glob("snapshots/*/cost-explorer.json")):
        for period in json.loads(path.read_text())["ResultsByTime"]:
            day = dt.date.fromisoformat(period["TimePeriod"]["Start"])
            if first <= day <= last:
                for group in period["Groups"]:
                    key = (day, group["Keys"][0])
                    daily.setdefault(key, decimal.Decimal(group["Metrics"]["UnblendedCost"]["Amount"]))
    totals = {}
    for (_, service), amount in daily.items():
        totals[service] = totals.get(service, 0) + amount
    top = [s for s, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:6]]
    columns = top + (["Other"] if len(totals) > 6 else [])
    figure = costs[costs.index('id="cost-trend-figure"'):]
    figure = figure[:figure.index("</figure>")]
    header = re.findall(r'<th scope="col">([^<]+)</th>', figure)
    assert [html.unescape(h) for h in header] == ["Time"] + columns
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>', figure)
    assert len(rows) == 49
    for (label, cells), day in zip(rows, [first + dt.timedelta(days=d) for d in range(49)]):
        assert label == f"{day:%a} {day.day} {day:%b}"
        values = re.findall(r'<td>([^<]*)</td>', cells)
        for service, cell in zip(columns, values):
            if service == "Other":
                amount = sum(float(a) for (d, s), a in sorted(daily.items()) if d == day and s not in top)
            else:
                amount = float(daily[(day, service)])
            assert cell == f"{amount:,.2f} USD", (day, service)


def test_cost_section_matches_an_independent_computation(costs):
    """Weekly cost by service from the Cost Explorer files, summed with Python's Decimal."""
    import decimal
    week = {(dt.date.fromisocalendar(2026, 47, 1) + dt.timedelta(days=d)).isoformat() for d in range(7)}
    previous = {(dt.date.fromisocalendar(2026, 46, 1) + dt.timedelta(days=d)).isoformat() for d in range(7)}
    current_by_service, previous_by_service = {}, {}
    for path in sorted(EXAMPLE.glob("snapshots/*/cost-explorer.json")):
        for period in json.loads(path.read_text())["ResultsByTime"]:
            day = period["TimePeriod"]["Start"]
            for group in period["Groups"]:
                amount = decimal.Decimal(group["Metrics"]["UnblendedCost"]["Amount"])
                target = current_by_service if day in week else previous_by_service if day in previous else None
                if target is not None:
                    target[group["Keys"][0]] = target.get(group["Keys"][0], decimal.Decimal(0)) + amount
    section = costs[costs.index('<section class="cost"'):]
    section = section[:section.index("</section>")]
    table = section[section.index('<table class="figures service-table">'):]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">([^<]+)</td><td class="num">([^<]+)</td>', table)
    assert len(rows) == len(current_by_service) > 0
    for name, current, before in rows:
        name = html.unescape(name)
        assert current == money(current_by_service[name]), name
        assert before == money(previous_by_service[name]), name
    total = sum(current_by_service.values())
    assert money(total) in section
    # Month to date: 1 to 22 November; the forecast runs that pace over 30 days.
    month = {(dt.date(2026, 11, 1) + dt.timedelta(days=d)).isoformat() for d in range(22)}
    to_date = decimal.Decimal(0)
    for path in sorted(EXAMPLE.glob("snapshots/*/cost-explorer.json")):
        for period in json.loads(path.read_text())["ResultsByTime"]:
            if period["TimePeriod"]["Start"] in month:
                to_date += sum(decimal.Decimal(g["Metrics"]["UnblendedCost"]["Amount"]) for g in period["Groups"])
    assert f"Month 2026-11: {money(to_date)} to date, {money(to_date / 22 * 30)} forecast" in section



def test_error_budgets_match_an_independent_computation(overview):
    """Occurrences over a rolling window that ends with week 2026-W47 (Europe/Berlin), from the raw
    CloudWatch files; the objectives are restated from examples/acme/slos on purpose."""
    _, end = week_bounds(2026, 47, "Europe/Berlin")
    series = lambda_points()
    slos = [("Shipments are booked", "fulfillment-ship", 0.99, 7), ("Orders are created", "checkout-create-order", 0.995, 28),
            ("Payment authorisation succeeds", "payment-authorize", 0.995, 28)]
    section = overview[overview.index('<section class="slos"'):]
    section = section[:section.index("</section>")]
    for name, function, target, days in slos:
        start = end - days * 86400
        def window_sum(metric):
            return sum(v for t, v in series[(function, metric, "Sum", 3600)].items() if start <= t < end)
        total, bad = window_sum("Invocations"), window_sum("Errors")
        attainment = f"{(total - bad) / total * 100:.3f}%"
        remaining = 100 - bad / ((1 - target) * total) * 100
        row = re.search(r'<tr><th scope="row"[^>]*>(?:<a [^>]*>)?' + re.escape(name) + r'(?:</a>)?</th>(.*?)</tr>', section).group(1)
        cells = [html.unescape(c) for c in re.findall(r'<td class="num">(?:<span[^>]*>)?([^<]*)', row)]
        assert cells[1] == attainment, name
        expected = ("−" if remaining < 0 else "") + percent(abs(remaining))
        assert cells[2] == expected, name


def slo_row(overview, name):
    section = overview[overview.index('<section class="slos"'):]
    section = section[:section.index("</section>")]
    row = re.search(r'<tr><th scope="row"[^>]*>(?:<a [^>]*>)?' + re.escape(name) + r'(?:</a>)?</th>(.*?)</tr>', section).group(1)
    return [html.unescape(c) for c in re.findall(r'<td(?: class="num")?>(?:<span[^>]*>)?([^<]*)', row)]


def test_time_slice_budgets_over_the_calendar_month_match_an_independent_computation(overview):
    """Calendar month November 2026 in Europe/Berlin, up to the end of 2026-W47. Timeslices:
    an hour is good when payment-capture's hourly Duration p99 is under 5,500 ms (target 95 %).
    RatioTimeslices: the mean over hours of checkout-api's 1 − 5XXError / Count (target 99.9 %).
    Hours without data count for nothing."""
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    start = dt.datetime(2026, 11, 1, tzinfo=berlin).timestamp()
    _, end = week_bounds(2026, 47, "Europe/Berlin")

    p99 = lambda_points()[("payment-capture", "Duration", "p99", 3600)]
    hours = [v for t, v in p99.items() if start <= t < end]
    good = sum(1 for v in hours if v < 5500)
    # The month's budget: the hours so far projected over all 30 days of November.
    month = dt.datetime(2026, 12, 1, tzinfo=berlin).timestamp() - start
    projected = month / (end - start)
    remaining = 100 - (len(hours) - good) / (0.05 * len(hours) * projected) * 100
    cells = slo_row(overview, "Payment capture is fast")
    assert cells[3] == f"{good / len(hours) * 100:.3f}%"
    assert cells[4] == ("−" if remaining < 0 else "") + percent(abs(remaining))
    assert cells[6] == "already exhausted"

    api = namespace_points("cloudwatch-apigateway", "ApiName")
    count, errors = api[("checkout-api", "Count", "Sum")], api[("checkout-api", "5XXError", "Sum")]
    ratios = [1 - errors.get(t, 0) / c for t, c in count.items() if start <= t < end and c > 0]
    attainment = sum(ratios) / len(ratios)
    remaining = 100 - (1 - attainment) / (0.001 * projected) * 100
    cells = slo_row(overview, "The checkout API answers without server errors")
    assert cells[3] == f"{attainment * 100:.3f}%"
    assert cells[4] == percent(remaining)


def test_quota_headroom_matches_an_independent_computation(limits):
    """Account concurrency: this week's peak against the account limit, and the least-squares line
    through the weekly peaks extended to the limit."""
    import math
    zone = "Europe/Berlin"
    limit = json.loads((EXAMPLE / "snapshots" / "2026-W47" / "lambda-account-settings.json").read_text())["AccountLimit"]["ConcurrentExecutions"]
    points = {}
    for results_file in sorted(EXAMPLE.glob("snapshots/*/cloudwatch-lambda.json")):
        for result in json.loads(results_file.read_text())["MetricDataResults"]:
            if result["Id"] == "conc_account":
                for t, v in zip(result["Timestamps"], result["Values"]):
                    points.setdefault(parse_time(t), v)
    peaks = []
    for week in range(41, 48):
        start, end = week_bounds(2026, week, zone)
        peaks.append(max(v for t, v in points.items() if start <= t < end))
    n = len(peaks)
    mean_x, mean_y = (n - 1) / 2, sum(peaks) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(peaks)) / sum((x - mean_x) ** 2 for x in range(n))
    intercept = mean_y - slope * mean_x
    weeks_ahead = max(1, math.ceil((limit - intercept) / slope - (n - 1)))
    section = limits[limits.index('<section class="quotas"'):]
    section = section[:section.index("</section>")]
    row = re.search(r'<th scope="row"[^>]*>Concurrent executions</th>(.*?)</tr>', section).group(1)
    cells = [html.unescape(c) for c in re.findall(r'<td[^>]*>(?:<span[^>]*>)?([^<]*)', row)]
    assert cells[1] == f"{limit:,}"
    assert cells[2] == f"{peaks[-1]:,.0f}"
    assert cells[4] == percent(peaks[-1] / limit * 100)
    assert cells[5] == f"week 2026-W{47 + weeks_ahead}"


def namespace_points(stem, resource_dimension):
    """{(resource, metric, stat): {timestamp: value}} over every week's file of one namespace,
    for series whose only dimension is the resource's (unsplit series)."""
    series = {}
    for results_file in sorted(EXAMPLE.glob(f"snapshots/*/{stem}.json")):
        queries = json.loads(results_file.with_name(f"{stem}.query.json").read_text())
        by_id = {}
        for query in queries:
            stat = query["MetricStat"]
            dims = {d["Name"]: d["Value"] for d in stat["Metric"].get("Dimensions", [])}
            if list(dims) != [resource_dimension]:
                continue
            name = dims[resource_dimension].split(":")[-1]
            by_id[query["Id"]] = (name, stat["Metric"]["MetricName"], stat["Stat"])
        for result in json.loads(results_file.read_text())["MetricDataResults"]:
            if result["Id"] in by_id:
                points = series.setdefault(by_id[result["Id"]], {})
                for timestamp, value in zip(result["Timestamps"], result["Values"]):
                    points.setdefault(parse_time(timestamp), value)
    return series


def test_resource_tables_match_an_independent_computation(service_pages):
    """APIs: volume = sum of Count, errors = 5XXError / Count * 100, latency = highest hourly
    Latency p99. Queues: volume = sum of NumberOfMessagesSent, and the status follows the
    ApproximateAgeOfOldestMessage thresholds (15 min warning, 1 h critical). Workflows: volume =
    ExecutionsStarted, errors = ExecutionsFailed / ExecutionsStarted * 100."""
    start, end = week_bounds(2026, 47, "Europe/Berlin")
    rows = {
        html.unescape(name): (kind, status, [html.unescape(cell) for cell in cells])
        for name, kind, status, *cells in re.findall(
            r'<th scope="row"><a href="(?:\.\./)?resources/[^"]+">([^<]+)</a></th><td>([^<]+)</td><td><span[^>]*>([^<]*)</span></td>'
            r'<td class="num"[^>]*>([^<]*)</td><td class="num"[^>]*>([^<]*)</td><td class="num"[^>]*>([^<]*)</td>',
            service_pages)
    }

    def week(points):
        return [v for t, v in points.items() if start <= t < end]

    apis = namespace_points("cloudwatch-apigateway", "ApiName")
    for api in ("accounts-api", "checkout-api", "storefront-api"):
        total = sum(week(apis[(api, "Count", "Sum")]))
        errors = sum(week(apis[(api, "5XXError", "Sum")]))
        latency = max(week(apis[(api, "Latency", "p99")]))
        assert rows[api][0] == "api"
        assert rows[api][2] == [count(total), percent(errors / total * 100), duration(latency)], api

    queues = namespace_points("cloudwatch-sqs", "QueueName")
    for queue in ("orders-queue", "shipping-queue"):
        sent = sum(week(queues[(queue, "NumberOfMessagesSent", "Sum")]))
        age = max(week(queues[(queue, "ApproximateAgeOfOldestMessage", "Maximum")]))
        expected = "Critical" if age >= 3600 else "Warning" if age >= 900 else "OK"
        assert rows[queue][:2] == ("queue", expected), queue
        assert rows[queue][2][0] == count(sent), queue
    assert rows["shipping-queue"][1] == "Critical"  # the W47 backlog of the generator's story

    workflows = namespace_points("cloudwatch-states", "StateMachineArn")
    started = sum(week(workflows[("order-fulfillment", "ExecutionsStarted", "Sum")]))
    failed = sum(week(workflows[("order-fulfillment", "ExecutionsFailed", "Sum")]))
    assert rows["order-fulfillment"][2][:2] == [count(started), percent(failed / started * 100)]


def test_lambda_estimate_matches_an_independent_computation(costs):
    """US East prices restated from builtin/lambda-prices.yml on purpose: 0.20 per million requests,
    0.0000166667 (x86_64) and 0.0000133334 (arm64) per GB-second in the first tier (the example's
    month stays inside it), 0.0000000309 per GB-second of ephemeral storage above 512 MB, minus
    the week's share (7 of November's 30 days) of the free 1 M requests and 400,000 GB-seconds,
    taken from x86_64 first. GB-seconds = Duration Sum (ms) / 1000 * memory MB / 1024."""
    import decimal
    D = decimal.Decimal
    decimal.getcontext().prec = 38
    start, end = week_bounds(2026, 47, "Europe/Berlin")
    series = lambda_points()
    inventory = {f["FunctionName"]: f for f in json.loads(
        (EXAMPLE / "snapshots/2026-W47/lambda-list-functions.json").read_text())["Functions"]}
    requests, gb, storage = D(0), {"x86_64": D(0), "arm64": D(0)}, D(0)
    for name, function in inventory.items():
        invocations = sum(v for t, v in series[(name, "Invocations", "Sum", 3600)].items() if start <= t < end)
        duration = sum(v for t, v in series[(name, "Duration", "Sum", 3600)].items() if start <= t < end)
        requests += D(f"{invocations:.6f}")
        seconds = D(f"{duration:.6f}") / 1000
        gb[function.get("Architectures", ["x86_64"])[0]] += seconds * function["MemorySize"] / 1024
        extra = function.get("EphemeralStorage", {}).get("Size", 512) - 512
        storage += seconds * max(0, extra) / 1024
    share = D(7) / 30
    free_gb = D(400_000) * share
    credit = min(requests, D(1_000_000) * share) / 1_000_000 * D("0.20")
    covered = min(gb["x86_64"], free_gb)
    credit += covered * D("0.0000166667") + min(gb["arm64"], free_gb - covered) * D("0.0000133334")
    total = (requests / 1_000_000 * D("0.20") + gb["x86_64"] * D("0.0000166667") + gb["arm64"] * D("0.0000133334")
             + storage * D("0.0000000309") - credit)
    section = costs[costs.index('<section class="estimate"'):]
    assert f"<p class=\"lede\">{money(total)} this week" in section
    billed = D(0)  # cost days are dates: those of the ISO week, 16 to 22 November
    days = {(dt.date(2026, 11, 16) + dt.timedelta(days=n)).isoformat() for n in range(7)}
    for path in sorted(EXAMPLE.glob("snapshots/*/cost-explorer.json")):
        for period in json.loads(path.read_text())["ResultsByTime"]:
            if period["TimePeriod"]["Start"] in days:
                for group in period["Groups"]:
                    if group["Keys"] == ["AWS Lambda"]:
                        billed += D(group["Metrics"]["UnblendedCost"]["Amount"])
    assert f"The bill shows {money(billed)} for Lambda this week: {money(abs(billed - total))}" in html.unescape(section)


def test_report_line_figures_match_an_independent_computation(tmp_path_factory, overview):
    """reports-export in 2026-W47, from its JSON-format platform.report records: invocations, cold
    starts (records with initDurationMs) and memory used p99 (maxMemoryUsedMB / memorySizeMB,
    nearest rank), as its function page shows them."""
    import math
    start, end = week_bounds(2026, 47, "Europe/Berlin")
    events = json.loads((EXAMPLE / "snapshots/2026-W47/lambda-logs-reports-export.json").read_text())["events"]
    reports = {}
    for event in events:
        record = json.loads(event["message"])
        if record.get("type") == "platform.report":
            when = dt.datetime.fromisoformat(record["time"].replace("Z", "+00:00")).timestamp()
            if start <= when < end:
                reports[record["record"]["requestId"]] = record["record"]
    memory = sorted(r["metrics"]["maxMemoryUsedMB"] / r["metrics"]["memorySizeMB"] * 100 for r in reports.values())
    p99 = memory[max(0, math.ceil(0.99 * len(memory)) - 1)]
    cold = sum(1 for r in reports.values() if "initDurationMs" in r["metrics"])
    site = pathlib.Path(re.search(r'Open (\S+)index.html', subprocess.run(
        [str(BINARY), "build", "--config", str(EXAMPLE / "headroom.yml"), "--output",
         str(tmp_path_factory.mktemp("logs") / "public")], check=True, capture_output=True, text=True).stdout).group(1))
    page = html.unescape((site / "weeks" / "2026-W47" / "functions" / "reports-export.html").read_text())
    assert f'<th scope="row">Invocations logged</th><td class="num">{len(reports)}</td>' in page
    assert f'<th scope="row">Cold starts</th><td class="num">{cold} ({percent(cold / len(reports) * 100)})</td>' in page
    assert f'<th scope="row">Memory used p99</th><td class="num">{percent(p99)}</td>' in page
    assert "memory p99 is 95.35% of the memory size (REPORT lines)" in page


ARCHIVE_WEEKS = list(range(41, 48))  # every week of the example with data, 2026-W41 … 2026-W47


def weekly_lambda_totals(series, metric):
    """{ISO week: sum of the hourly Sum datapoints of metric over every function}, the datapoints chosen
    by their time inside the week in Europe/Berlin, whichever snapshot folder holds them (W43 ends with
    the change back to CET and has 169 hours)."""
    functions = sorted({key[0] for key in series})
    totals = {}
    for week in ARCHIVE_WEEKS:
        start, end = week_bounds(2026, week, "Europe/Berlin")
        totals[week] = sum(v for f in functions for t, v in series[(f, metric, "Sum", 3600)].items() if start <= t < end)
    return totals


def tile_map(page):
    return {
        label: (value, change, note) for label, value, change, note in re.findall(
            r'<li class="tile[^"]*"[^>]*><a [^>]*><span class="tile-label">([^<]+)(?: <span class="tile-status">[^<]+</span>)?'
            r'</span> <span class="tile-value">([^<]+)</span>'
            r'(?: <span class="tile-change[^"]*">([^<]+)</span>)? <span class="tile-note">([^<]+)</span>', page)}


def test_every_weeks_invocations_and_error_rate_match_an_independent_computation(site):
    """weeks/index.html, one row per week: Invocations (the sum over every function, with its change
    against the week before) and Errors (Errors ÷ Invocations × 100, its change in percentage points,
    and the count of errors); and each frozen week's own overview, weeks/<week>/index.html, shows the
    same figures in its Invocations and Errors tiles. The first week has nothing to compare with."""
    series = lambda_points()
    assert len({key[0] for key in series}) == 25
    invocations = weekly_lambda_totals(series, "Invocations")
    errors = weekly_lambda_totals(series, "Errors")
    stamps = {t for key, points in series.items() if key[1:] == ("Invocations", "Sum", 3600) for t in points}
    hours = {}
    for week in ARCHIVE_WEEKS:
        start, end = week_bounds(2026, week, "Europe/Berlin")
        hours[week] = sum(1 for t in stamps if start <= t < end)
    assert hours == {w: 169 if w == 43 else 168 for w in ARCHIVE_WEEKS}, "hours with datapoints in each week"

    listing = (site / "weeks" / "index.html").read_text()
    table = listing[listing.index('<table class="figures weeks">'):]
    table = table[:table.index("</table>")]
    header = [html.unescape(h) for h in re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)]
    assert header[:3] == ["Week", "Invocations", "Errors"], header
    rows = {
        label: re.findall(r'<td class="num"[^>]*>(.*?)</td>', cells)
        for label, cells in re.findall(
            r'<tr><th scope="row"><a href="[^"]+">(2026-W\d\d)</a>.*?</th>(.*?)</tr>', table)
    }
    assert list(rows) == [f"2026-W{w}" for w in reversed(ARCHIVE_WEEKS)], "weeks, newest first"

    def parts(cell):
        """A cell's value, its change (or None) and its subject (or None)."""
        m = re.fullmatch(r'([^<]+?)(?: <span class="tile-change[^"]*">([^<]+)</span>)?'
                         r'(?: <span class="week-subject">([^<]+)</span>)?', cell)
        assert m, f"unexpected cell markup: {cell!r}"
        return tuple(html.unescape(p) if p is not None else None for p in m.groups())

    mismatches = []
    for week in ARCHIVE_WEEKS:
        label = f"2026-W{week}"
        total, bad = invocations[week], errors[week]
        rate = bad / total * 100
        if week == ARCHIVE_WEEKS[0]:
            invocation_change = rate_change = None
        else:
            before, bad_before = invocations[week - 1], errors[week - 1]
            rate_before = bad_before / before * 100
            invocation_change = f"{'+' if total >= before else '−'}{abs(total - before) / before * 100:.1f}%"
            rate_change = point_change(rate_before, rate)
        expected_invocations = (count(total), invocation_change, None)
        expected_errors = (percent(rate), rate_change, f"{count(bad)} errors")

        shown_invocations, shown_errors = (parts(c) for c in rows[label][:2])
        if shown_invocations != expected_invocations:
            mismatches.append(f"weeks/index.html {label} Invocations: shows {shown_invocations}, expected {expected_invocations}")
        if shown_errors != expected_errors:
            mismatches.append(f"weeks/index.html {label} Errors: shows {shown_errors}, expected {expected_errors}")

        tiles = tile_map((site / "weeks" / label / "index.html").read_text())
        tile_invocations = tuple(html.unescape(p) or None for p in tiles.get("Invocations", ("?", "", "")))
        if tile_invocations != (count(total), invocation_change, "of 25 functions"):
            mismatches.append(f"weeks/{label}/index.html Invocations tile: shows {tile_invocations}, "
                              f"expected {(count(total), invocation_change, 'of 25 functions')}")
        tile_errors = tuple(html.unescape(p) or None for p in tiles.get("Errors", ("?", "", "")))
        if tile_errors != expected_errors:
            mismatches.append(f"weeks/{label}/index.html Errors tile: shows {tile_errors}, expected {expected_errors}")
    assert not mismatches, "\n".join(mismatches)
    # The review week at the root is the same week as its frozen copy.
    assert tile_map((site / "index.html").read_text())["Invocations"][0] == count(invocations[47])


def test_report_json_follows_its_schema_and_the_raw_data(site):
    """public/report.json validates against schemas/report.schema.json (JSON Schema 2020-12, with
    jsonschema), the schema refuses what it should, and the figures match the raw files."""
    import jsonschema

    schema = json.loads((EXAMPLE.parents[1] / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    doc = json.loads((site / "report.json").read_text())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert not errors, "\n".join(errors[:20])
    # The schema is strict: money as a number, an unknown key, a bad state are all refused.
    for path, value in ((("cost", "total"), 413.61), (("findings", 0, "state"), "open"), (("extra",), 1)):
        bad = json.loads(json.dumps(doc))
        target = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert list(validator.iter_errors(bad)), f"the schema accepted {path} = {value!r}"
    # Figures, independently: the week's invocations of every function, and the cost total.
    series = lambda_points()
    start, end = week_bounds(2026, 47, "Europe/Berlin")
    invocations = sum(v for (f, m, s, p), points in series.items() if m == "Invocations" and s == "Sum" and p == 3600
                      for t, v in points.items() if start <= t < end)
    assert doc["week"] == "2026-W47" and doc["schemaVersion"] == "1.4"
    assert sum(f.get("invocations", 0) for f in doc["functions"]) == invocations
    # The headline, from the rest of report.json: the sums, the error rate, and a verdict that is
    # the worst of what it judges, with its objectives and findings counted again here.
    headline = doc["headline"]
    assert headline["invocations"] == invocations and headline["functions"] == len(doc["functions"])
    errors = sum(f.get("errors", 0) for f in doc["functions"])
    assert headline["errors"] == errors
    assert abs(headline["errorRatePercent"] - errors / invocations * 100) < 1e-9
    levels = ["ok", "no data", "warning", "critical"]
    exhausted = sum(1 for s in doc["slos"] if s.get("budgetLeftPercent", 1) <= 0)
    assert exhausted and f"{exhausted} objectives out of error budget" in headline["verdict"]["reasons"]
    open_critical = sum(1 for f in doc["findings"]
                        if f["severity"] == "critical" and f["state"] not in ("resolved", "muted", "unchecked"))
    assert f"{open_critical} open critical findings" in headline["verdict"]["reasons"]
    assert headline["verdict"]["level"] == "critical" and headline["levels"]["budget"] == "critical"
    assert max((f["health"] for f in doc["functions"]), key=levels.index) == "critical"
    assert doc["cost"]["total"] == "413.6082643112" and doc["cost"]["currency"] == "USD"
    states = {f["state"] for f in doc["findings"]}
    assert {"new", "recurring", "resolved", "muted"} <= states


def test_summary_md_tells_the_week_from_report_json(site):
    """public/summary.md, checked against report.json (itself checked against the raw data above):
    the headline invocations, what changed in order, the budgets, findings and quotas at risk, and
    links into the published site."""
    doc = json.loads((site / "report.json").read_text())
    summary = (site / "summary.md").read_text()
    base = "https://ops.acme.example/review/"
    sections = dict(re.findall(r"^## (.+?)\n\n(.*?)(?=^## |^---$)", summary, re.M | re.S))
    assert list(sections) == ["What changed", "Error budgets at risk", "New critical and high findings",
                              "New and returning error groups", "Quotas at risk"]
    assert summary.startswith("# Acme — weekly operations review · 2026-W47\n")
    assert f"[Open the review]({base}index.html)" in summary
    assert f"[Single-file review]({base}review-2026-W47.html)" in summary
    # Headline figures.
    invocations = sum(f.get("invocations", 0) for f in doc["functions"])
    assert f"| [Invocations]({base}index.html#service-storefront) | {count(invocations)} | " in summary
    # What changed: the first ten of report.json's changes, in order, then how many more.
    changed = re.findall(r"^- \*\*(\w+)\*\* · ([^:]+): \[(.*)\]\((\S+)\)$", sections["What changed"], re.M)
    expected = doc["changes"][:10]
    assert [(c[0], c[1], c[2].replace("\\", "")) for c in changed] == \
        [(c["impact"], c["area"], c["text"]) for c in expected]
    assert all(link.startswith(base) for *_, link in changed)
    assert f"- and {len(doc['changes']) - 10} more [on the overview]({base}index.html)" in summary
    # Error budgets at risk: every objective under 25% of its budget, none above.
    budgets = re.findall(r"^\| \[(.+?)\]\((\S+)\) \| (\S+) \| ", sections["Error budgets at risk"], re.M)
    at_risk = [s for s in doc["slos"] if s.get("budgetLeftPercent", 100) < 25]
    assert at_risk and {b[0] for b in budgets} >= {s["displayName"] for s in at_risk}
    assert {b[0] for b in budgets} <= {s["displayName"] for s in doc["slos"]}
    # New critical and high findings: one line each, critical first, at most ten, then how many more.
    fresh = [f for f in doc["findings"] if f["state"] in ("new", "regressed") and f["severity"] in ("critical", "high")]
    fresh = [f for f in fresh if f["severity"] == "critical"] + [f for f in fresh if f["severity"] == "high"]
    lines = re.findall(r"^- \*\*(critical|high)\*\*, (new|back again): ", sections["New critical and high findings"],
                       re.M)
    assert len(lines) == min(len(fresh), 10) > 0
    assert [sev for sev, _ in lines] == [f["severity"] for f in fresh[:10]]
    more = re.findall(r"^- and (\d+) more \[on the Checks page\]\((\S+)\)$", sections["New critical and high findings"], re.M)
    assert more == ([(str(len(fresh) - 10), f"{base}checks.html")] if len(fresh) > 10 else [])
    # Error groups: the new and returning ones; none in W47 (the tagger's is still open since W46).
    fresh = [g for g in doc["errorGroups"] if g["state"] in ("new", "regressed")]
    assert not fresh and sections["New and returning error groups"].strip() == "None this week."
    # Quotas at risk: the quotas that warn or are critical, with their use.
    quotas = re.findall(r"^\| (.+?) \| (.+?) \| ([\d.]+)% \| ", sections["Quotas at risk"], re.M)
    risky = [q for q in doc["quotas"] if q["status"] in ("warning", "critical")]
    assert [(q[0], q[1]) for q in quotas if q[0] != "Quota"] == [(q["name"], q["service"]) for q in risky]
    assert [float(q[2]) for q in quotas] == [round(q["utilisationPercent"], 2) for q in risky]


def test_slack_json_is_a_block_kit_message_within_slacks_limits(site):
    """public/slack.json: a Slack message with a header, the verdict with its first reasons, the headline figures as fields, the same
    changes as summary.md, and links to the site; inside Slack's documented limits."""
    message = json.loads((site / "slack.json").read_text())
    blocks = message["blocks"]
    assert message["text"].startswith("Acme — weekly operations review · 2026-W47: A critical week. Invocations ")
    assert 2 <= len(blocks) <= 50
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text":
                         "Acme — weekly operations review · 2026-W47", "emoji": False}}
    reasons = "; ".join(json.loads((site / "report.json").read_text())["headline"]["verdict"]["reasons"][:4])
    assert blocks[1]["text"]["text"].startswith(f"*A critical week*: {reasons}; and ")
    assert len(blocks[2]["fields"]) <= 10 and all(len(f["text"]) <= 2000 for f in blocks[2]["fields"])
    sections = [b for b in blocks if b["type"] == "section" and "text" in b]
    assert all(len(b["text"]["text"]) <= 3000 for b in sections)
    changes = next(b["text"]["text"] for b in sections if b["text"]["text"].startswith("*What changed*"))
    doc = json.loads((site / "report.json").read_text())
    first = doc["changes"][0]["text"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"• critical: <https://ops.acme.example/review/slos/fulfillment-ship-availability.html|{first}>" in changes
    assert blocks[-1]["type"] == "context"
    assert "<https://ops.acme.example/review/index.html|Open the review>" in blocks[-1]["elements"][0]["text"]


def test_the_weeks_coverage_matches_the_raw_files(site):
    """report.json's coverage of 2026-W47, recomputed from the files of the week's folder: each kind
    of source is covered by the files of its commands that hold data in the week; cost is partial
    because Cost Explorer marks days of the week Estimated; nothing ran Well-Architected or Prowler."""
    doc = json.loads((site / "report.json").read_text())
    start, end = week_bounds(2026, 47, "Europe/Berlin")
    folder = EXAMPLE / "snapshots" / "2026-W47"

    def data_files(prefix):
        return sorted(f"snapshots/2026-W47/{p.name}" for p in folder.glob(prefix + "*.json")
                      if not p.name.endswith(".query.json"))

    def metric_files():
        covering = []
        for path in data_files("cloudwatch-"):
            results = json.loads((EXAMPLE / path).read_text())["MetricDataResults"]
            if any(start <= parse_time(t) < end for r in results for t in r["Timestamps"]):
                covering.append(path)
        return covering

    costs = json.loads((folder / "cost-explorer.json").read_text())["ResultsByTime"]
    estimated = any(day["Estimated"] for day in costs if start <= parse_time(day["TimePeriod"]["Start"] + "T00:00:00Z") < end)
    expected = {
        "metrics": ("complete", metric_files()),
        "logs": ("complete", data_files("lambda-logs-")),
        "cost": ("partial" if estimated else "complete", data_files("cost-explorer")),
        "quotas": ("complete", data_files("service-quotas")),
        "inventory": ("complete", data_files("lambda-list-functions")),
        "security-hub": ("complete", data_files("security-hub")),
        "trusted-advisor": ("complete", data_files("trusted-advisor")),
        "well-architected": ("absent", []),
        "prowler": ("absent", []),
    }
    assert estimated, "the example's Cost Explorer output marks the last days Estimated"
    assert {c["kind"]: (c["level"], c["files"]) for c in doc["coverage"]} == expected
    # No finding is resolved in a week its source did not cover.
    covered = {c["kind"] for c in doc["coverage"] if c["level"] != "absent"}
    assert all(f["source"] in covered for f in doc["findings"] if f["state"] == "resolved")


def test_error_groups_match_an_independent_count_of_the_logs(site):
    """Every error event of the example's Lambda logs, counted per ISO week (Europe/Berlin) and
    per group key, from the raw filter-log-events files: an application record at level ERROR
    counts under its errorType; a platform.report with status timeout as a timeout, and one with
    status error under its errorType when its request logged no error of its own. Each group of
    report.json must hold exactly these counts, week by week, and be resolved only in a week
    whose logs of its functions were read."""
    counts = {}
    read = {}
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    for path in sorted(EXAMPLE.glob("snapshots/*/lambda-logs-*.json")):
        if path.name.endswith(".query.json"):
            continue
        function = json.loads(path.with_name(path.stem + ".query.json").read_text())["logGroupName"].split("/")[-1]
        events = json.loads(path.read_text())["events"]
        records = [(e["timestamp"], json.loads(e["message"])) for e in events if e["message"].startswith("{")]
        logged = {r.get("requestId") for _, r in records if r.get("level") == "ERROR"}
        for stamp, record in records:
            key = None
            if record.get("level") == "ERROR":
                key = record["errorType"]
            elif record.get("type") == "platform.report":
                status = record["record"].get("status", "success")
                if status == "timeout":
                    key = "Task timed out"
                elif status == "error" and record["record"]["requestId"] not in logged:
                    key = record["record"]["errorType"]
            iso = dt.datetime.fromtimestamp(stamp / 1000, zone).isocalendar()
            week = f"{iso[0]}-W{iso[1]:02d}"
            read.setdefault(week, set()).add(function)
            if key:
                counts.setdefault((function, key), {}).setdefault(week, 0)
                counts[(function, key)][week] += 1
    doc = json.loads((site / "report.json").read_text())
    groups = {(g["functions"][0]["function"], g["type"]): g for g in doc["errorGroups"]}
    assert set(groups) == set(counts)
    assert doc["errorLogFunctions"] == sorted(read["2026-W47"])
    for key, weeks in counts.items():
        group = groups[key]
        shown = {w["week"]: w["events"] for w in group["weeks"] if w.get("events")}
        assert shown == weeks, key
        # Resolved this week only when none fell in it and its function's logs were read.
        assert (group["state"] == "resolved") == ("2026-W47" not in weeks and key[0] in read["2026-W47"]), key
    tagger = groups[("cost-tagger", "ClientError")]
    assert tagger["kind"] == "permission" and tagger["state"] == "recurring" and tagger["since"] == "2026-W46"
    assert [w.get("events") for w in tagger["weeks"]] == [7, 0, 0, 0, 5, 9]


def test_traces_match_an_independent_reading_of_the_xray_files(site):
    """The service map's figures from the raw get-service-graph output (requests, fault, error and
    throttle shares, nearest-rank p50/p99 of the response-time histogram), the sampled counts from
    get-trace-summaries, and the trace pages from batch-get-traces."""
    week = EXAMPLE / "snapshots" / "2026-W47"
    graph = json.loads((week / "xray-service-graph.json").read_text())
    summaries = json.loads((week / "xray-trace-summaries.json").read_text())["TraceSummaries"]
    traces = json.loads((week / "xray-traces.json").read_text())["Traces"]
    doc = json.loads((site / "report.json").read_text())["traces"]

    def nearest_rank(bins, q):
        merged = {}
        for b in bins:
            merged[b["Value"]] = merged.get(b["Value"], 0) + b["Count"]
        total = sum(merged.values())
        rank, seen = max(1, -(-q * total // 1)), 0
        for value in sorted(merged):
            seen += merged[value]
            if seen >= rank:
                return value

    nodes = {(n["name"], n["type"]): n for n in doc["nodes"]}
    assert len(nodes) == len(graph["Services"])
    for service in graph["Services"]:
        node = nodes[(service["Name"], service["Type"])]
        stats = service["SummaryStatistics"]
        total = stats["TotalCount"]
        assert node["requests"] == total
        assert node["faultPercent"] == pytest.approx(stats["FaultStatistics"]["TotalCount"] / total * 100)
        assert node["errorPercent"] == pytest.approx(stats["ErrorStatistics"]["OtherCount"] / total * 100)
        assert node["throttlePercent"] == pytest.approx(stats["ErrorStatistics"]["ThrottleCount"] / total * 100)
        assert node["p50Seconds"] == nearest_rank(service["ResponseTimeHistogram"], 0.5)
        assert node["p99Seconds"] == nearest_rank(service["ResponseTimeHistogram"], 0.99)
    assert len(doc["edges"]) == sum(len(s["Edges"]) for s in graph["Services"])
    # Sampled traces: every summary of the week; the failing ones are those with a fault.
    assert doc["sampled"] == len(summaries)
    assert doc["faults"] == sum(s["HasFault"] for s in summaries)
    assert [t["id"] for t in doc["failing"]] == [s["Id"] for s in sorted(summaries, key=lambda s: s["StartTime"])
                                                 if s["HasFault"]]
    slowest = sorted(summaries, key=lambda s: (-s["Duration"], s["Id"]))[:10]
    assert [t["id"] for t in doc["slowest"]] == [s["Id"] for s in slowest]
    assert doc["traced"] == len(traces)
    # A page per slowest or failing trace read whole, with its cold start named.
    read = {t["Id"] for t in traces}
    paged = {t["id"] for t in doc["slowest"] + doc["failing"] if t["id"] in read}
    pages = {p.stem for p in (site / "weeks" / "2026-W47" / "traces").glob("*.html")}
    assert pages == paged
    cold = [t for t in traces if any("Initialization" in s["Document"] for s in t["Segments"])]
    assert cold and all(next(x for x in doc["slowest"] + doc["failing"] if x["id"] == t["Id"])["coldStart"]
                        for t in cold if t["Id"] in paged)
    # Metadata never reaches the site.
    assert "4111111111111111" not in "".join(p.read_text() for p in (site / "weeks" / "2026-W47").rglob("*.html"))
    # The hand-written path disagrees with the traces, and the page says so.
    assert doc["paths"][0]["configured"] == "place an order" and "auth-authorizer" in doc["paths"][0]["disagreement"]
    assert "they disagree" in (site / "traces.html").read_text()
    # A service page draws its part of the map: checkout's functions and resources are on it,
    # accounts' are not.
    services = site / "weeks" / "2026-W47" / "services"
    assert "Calls from X-Ray" in (services / "checkout.html").read_text()
    assert "Calls from X-Ray" not in (services / "accounts.html").read_text()


def test_an_edges_error_share_and_p99_match_the_histogram(site):
    """The orders table's call from checkout-create-order: 4xx and throttle shares from its
    SummaryStatistics, p99 by nearest rank over its ResponseTimeHistogram, recomputed here."""
    graph = json.loads((EXAMPLE / "snapshots" / "2026-W47" / "xray-service-graph.json").read_text())
    services = {s["ReferenceId"]: s for s in graph["Services"]}
    caller = next(s for s in graph["Services"] if s["Type"] == "AWS::Lambda::Function" and s["Name"] == "checkout-create-order")
    edge = next(e for e in caller["Edges"] if services[e["ReferenceId"]]["Name"] == "orders")
    stats = edge["SummaryStatistics"]
    bins = sorted((b["Value"], b["Count"]) for b in edge["ResponseTimeHistogram"])
    total, seen, p99 = sum(c for _, c in bins), 0, None
    for value, count in bins:
        seen += count
        if seen >= -(-99 * total // 100):
            p99 = value
            break
    doc = json.loads((site / "report.json").read_text())["traces"]
    shown = next(e for e in doc["edges"] if e["from"] == "checkout-create-order" and e["to"] == "orders")
    assert shown["requests"] == stats["TotalCount"]
    assert shown["errorPercent"] == pytest.approx(stats["ErrorStatistics"]["OtherCount"] / stats["TotalCount"] * 100)
    assert shown["throttlePercent"] == pytest.approx(stats["ErrorStatistics"]["ThrottleCount"] / stats["TotalCount"] * 100)
    assert stats["ErrorStatistics"]["ThrottleCount"] > 0, "the example has a throttled DynamoDB call"
    assert shown["p99Seconds"] == p99
    # The slowest trace started cold, and its page marks the Initialization.
    slowest = doc["slowest"][0]
    assert slowest["coldStart"]
    page = site / "weeks" / "2026-W47" / "traces" / f"{slowest['id']}.html"
    assert "cold-start" in page.read_text()
