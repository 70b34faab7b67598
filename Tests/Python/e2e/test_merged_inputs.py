"""Recomputes, independently of the Swift code, two figures that rest on inputs taken together:
the monthly cost trend (MONTHLY Cost Explorer periods where a month has them, else the sum of the
days with daily records) and a function's invocations when one get-metric-data request was saved
as two pages in two files (each timestamp once, the first file in path order winning)."""
import datetime as dt
import decimal
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "Tests" / "Fixtures"
BINARY = pathlib.Path(os.environ.get("HEADROOM_BIN", ROOT / ".build" / "debug" / "headroom"))

# Two August days of daily Cost Explorer output, hand-written in the CLI's shape.
AUGUST = {
    "GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    "ResultsByTime": [
        {"TimePeriod": {"Start": start, "End": end}, "Total": {},
         "Groups": [{"Keys": [service], "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}}}
                    for service, amount in [("AWS Lambda", "12.3456789"), ("Amazon DynamoDB", "0.0000001")]],
         "Estimated": start == "2026-08-31"}
        for start, end in [("2026-08-30", "2026-08-31"), ("2026-08-31", "2026-09-01")]
    ],
    "DimensionValueAttributes": [],
}

PAGE_1 = {"MetricDataResults": [{"Id": "inv", "Label": "Invocations Sum", "Timestamps": [1794830400, 1794826800],
                                 "Values": [120.0, 110.0], "StatusCode": "PartialData"}], "NextToken": "page-2"}
# The second page repeats 1794826800 with another value: the first file in path order (this one) wins.
PAGE_2 = {"MetricDataResults": [{"Id": "inv", "Label": "Invocations Sum", "Timestamps": [1794823200, 1794826800],
                                 "Values": [100.0, 999.0], "StatusCode": "Complete"}]}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"no binary at {BINARY}: run swift build first")
    project = tmp_path_factory.mktemp("merged")
    week = project / "snapshots" / "2026-W47"
    week.mkdir(parents=True)
    for name in ["shaped-monthly-by-service.json", "shaped-daily-by-service-and-tag.json"]:
        shutil.copy(FIXTURES / "cost-explorer" / name, week / name)
    (project / "snapshots" / "2026-W35").mkdir()
    (project / "snapshots" / "2026-W35" / "cost-august.json").write_text(json.dumps(AUGUST))
    query = (FIXTURES / "cloudwatch-get-metric-data" / "moto-cli-v1-epoch.query.json").read_text()
    for name, page in [("a-page.json", PAGE_2), ("b-page.json", PAGE_1)]:
        (week / name).write_text(json.dumps(page))
        (week / name.replace(".json", ".query.json")).write_text(query)
    (project / "headroom.yml").write_text("title: Merged\ntimeZone: UTC\n")
    subprocess.run([str(BINARY), "build", "--quiet", "--config", str(project / "headroom.yml"), "--output",
                    str(project / "public")], check=True)
    return json.loads((project / "public" / "report.json").read_text()), project


def test_cost_months_match_an_independent_computation(report):
    doc, project = report
    sunday = dt.date.fromisocalendar(2026, 47, 7)
    monthly, daily, estimated = {}, {}, set()
    for path in sorted((project / "snapshots").rglob("*.json")):
        data = json.loads(path.read_text())
        for period in (data.get("ResultsByTime", []) if isinstance(data, dict) else []):
            start = dt.date.fromisoformat(period["TimePeriod"]["Start"])
            end = dt.date.fromisoformat(period["TimePeriod"]["End"])
            if start > sunday:
                continue
            amount = sum((decimal.Decimal(g["Metrics"]["UnblendedCost"]["Amount"]) for g in period["Groups"]
                          if g["Metrics"]["UnblendedCost"]["Unit"] == "USD"), decimal.Decimal(0))
            month = start.strftime("%Y-%m")
            if period.get("Estimated"):
                estimated.add(month)
            if (end - start).days > 1 and start.day == 1:
                last = min(end - dt.timedelta(days=1), sunday)
                total, days = monthly.get(month, (decimal.Decimal(0), 0))
                monthly[month] = (total + amount, max(days, last.day))
            elif (end - start).days == 1:
                total, days = daily.get(month, (decimal.Decimal(0), set()))
                daily[month] = (total + amount, days | {start})
    expected = []
    for month in sorted(set(monthly) | set(daily)):
        year, number = map(int, month.split("-"))
        length = ((dt.date(year + number // 12, number % 12 + 1, 1)) - dt.date(year, number, 1)).days
        if month in monthly:
            expected.append({"month": month, "amount": monthly[month][0], "basis": "monthly",
                             "days": monthly[month][1], "daysInMonth": length, "estimated": month in estimated})
        else:
            expected.append({"month": month, "amount": daily[month][0], "basis": "daily",
                             "days": len(daily[month][1]), "daysInMonth": length, "estimated": month in estimated})
    got = [dict(item, amount=decimal.Decimal(item["amount"])) for item in doc["costMonths"]]
    assert got == expected
    # November's MONTHLY period ends on the 21st: 21 of 30 days, the daily records of the 17th and
    # 18th are not added on top; August has two daily days.
    assert [(m["month"], m["basis"], m["days"]) for m in doc["costMonths"]] == [
        ("2026-08", "daily", 2), ("2026-09", "monthly", 30), ("2026-10", "monthly", 31), ("2026-11", "monthly", 21)]


def test_split_pages_count_each_timestamp_once(report):
    doc, project = report
    week = project / "snapshots" / "2026-W47"
    seen = {}
    for name in ["a-page.json", "b-page.json"]:  # path order
        for result in json.loads((week / name).read_text())["MetricDataResults"]:
            for timestamp, value in zip(result["Timestamps"], result["Values"]):
                seen.setdefault(timestamp, value)
    start = dt.datetime.fromisocalendar(2026, 47, 1).replace(tzinfo=dt.timezone.utc).timestamp()
    expected = sum(v for t, v in seen.items() if start <= t < start + 7 * 86400)
    (function,) = doc["functions"]
    assert function["invocations"] == expected == 100.0 + 999.0 + 120.0
