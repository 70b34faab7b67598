"""End to end: a week's FOCUS cost by day, account, region and service, asked of Athena with the real
`aws` CLI (moto answers, its canned result set through /moto-api/static/athena/query-results, as
Athena returns it: every value a string, NULL an empty object, the header the first row), saved
with `aws athena get-query-results`, then read by `headroom build`. The week's cost per service in
report.json is recomputed here from the rows, as decimals."""

import decimal
import json
import os
import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("moto")

import moto_server  # noqa: E402
from example_project import BINARY  # noqa: E402

AWS = pathlib.Path(sys.executable).parent / "aws"
REGION = "eu-west-1"
COLUMNS = ["chargeperiodstart", "chargeperiodend", "subaccountid", "regionid", "servicename", "resourceid",
           "chargecategory", "billingcurrency", "billedcost", "effectivecost"]
# Two accounts in two regions, a NULL resource, a credit; Athena's `timestamp` text has no zone.
ROWS = [
    [f"2026-11-{day} 00:00:00.000", f"2026-11-{day + 1} 00:00:00.000", account, region, service, resource,
     category, "USD", cost, cost]
    for day in range(16, 23)
    for account, region, service, resource, category, cost in [
        ("123456789012", "eu-west-1", "AWS Lambda", "arn:aws:lambda:eu-west-1:123456789012:function:api",
         "Usage", f"1.{day}00000001"),
        ("210987654321", "us-east-1", "AWS Lambda", None, "Usage", "0.0000012"),
        ("210987654321", "us-east-1", "Amazon DynamoDB", None, "Credit", "-0.25"),
    ]
]


@pytest.fixture(scope="module")
def moto():
    with moto_server.running() as url:
        info = [{"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": name, "Label": name,
                 "Type": "timestamp" if name.startswith("chargeperiod") else
                 "decimal" if name.endswith("cost") else "varchar",
                 "Precision": 3 if name.startswith("chargeperiod") else 38 if name.endswith("cost") else 2147483647,
                 "Scale": 10 if name.endswith("cost") else 0, "Nullable": "UNKNOWN",
                 "CaseSensitive": not name.endswith("cost") and not name.startswith("chargeperiod")}
                for name in COLUMNS]
        rows = [{"Data": [{"VarCharValue": name} for name in COLUMNS]}] + [
            {"Data": [{} if value is None else {"VarCharValue": value} for value in row]} for row in ROWS]
        body = {"region": REGION, "results": [{"rows": rows, "column_info": info}]}
        moto_server.post(url, "/moto-api/static/athena/query-results", body)
        yield url


def aws(url, *args):
    env = dict(os.environ, AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION=REGION, AWS_PAGER="")
    return subprocess.run([str(AWS), *args, "--output", "json"], env=env, check=True, capture_output=True,
                          text=True).stdout


def test_an_athena_query_over_a_focus_table_gives_the_weeks_cost(moto, tmp_path):
    aws(moto, "s3", "mb", "s3://athena-results")
    started = json.loads(aws(
        moto, "athena", "start-query-execution", "--work-group", "primary",
        "--query-string", "SELECT chargeperiodstart, … FROM focus_db.focus_table GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
        "--result-configuration", "OutputLocation=s3://athena-results/"))
    execution = started["QueryExecutionId"]
    state = json.loads(aws(moto, "athena", "get-query-execution", "--query-execution-id", execution))
    assert state["QueryExecution"]["Status"]["State"] == "SUCCEEDED"
    week = tmp_path / "snapshots" / "2026-W47"
    week.mkdir(parents=True)
    saved = aws(moto, "athena", "get-query-results", "--query-execution-id", execution)
    (week / "focus-athena.json").write_text(saved)
    assert json.loads(saved)["ResultSet"]["Rows"][0]["Data"][0] == {"VarCharValue": "chargeperiodstart"}
    (tmp_path / "headroom.yml").write_text("title: Org costs\ntimeZone: UTC\nweek: 2026-W47\n")
    built = subprocess.run([str(BINARY), "build", "--config", str(tmp_path / "headroom.yml")],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    report = json.loads((tmp_path / "public" / "report.json").read_text())
    cost = report["cost"]
    assert cost["metric"] == "EffectiveCost"
    expected = {}
    for row in ROWS:
        expected[row[4]] = expected.get(row[4], decimal.Decimal(0)) + decimal.Decimal(row[9])
    found = {service["name"]: decimal.Decimal(service["current"]) for service in cost["services"]}
    assert found == expected
    assert decimal.Decimal(cost["total"]) == sum(expected.values())
    sources = (tmp_path / "public" / "sources.html").read_text()
    assert "athena-query-results" in sources
