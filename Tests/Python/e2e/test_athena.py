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
        canned(url)
        yield url


def canned(url):
    """Queues the rows above, with Athena's column information, as the result of moto's next query."""
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


SCRIPT = pathlib.Path(__file__).resolve().parents[3] / "scripts" / "collect-aws.sh"
ATHENA_CONFIG = """title: Org costs
timeZone: UTC
cost:
  athena:
    database: focus_db
    table: focus_export
    export: focus
    outputLocation: s3://org-athena-results/headroom/
"""
FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Fixtures"
# An `aws` in front of the real one: the two Lambda calls moto does not answer come from the
# CLI's recorded shapes (as in test_collect.py); with ATHENA_STATE set, get-query-execution prints
# that state and reason, as the CLI's --output text does; everything else goes to the real CLI.
FRONT = """#!/usr/bin/env bash
case "$1 $2" in
    "lambda get-account-settings")
        exec cat "$FIXTURES/lambda-account-settings/shaped-default-account-with-reservations.json" ;;
    "service-quotas list-service-quotas")
        exec cat "$FIXTURES/service-quotas/shaped-list-service-quotas-lambda.json" ;;
    "athena get-query-execution")
        if [[ -n ${ATHENA_STATE:-} ]]; then
            printf '%s\\n' "$ATHENA_STATE"
            exit 0
        fi ;;
esac
exec "$REAL_AWS" "$@"
"""


def run_collector(url, project, *args, state=None):
    front = project.parent / "bin"
    front.mkdir(exist_ok=True)
    (front / "aws").write_text(FRONT)
    (front / "aws").chmod(0o755)
    env = dict(os.environ, AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION=REGION, AWS_PAGER="", HEADROOM=str(BINARY), REAL_AWS=str(AWS), FIXTURES=str(FIXTURES),
               PATH=os.pathsep.join([str(front), str(AWS.parent), os.defpath]))
    env.pop("ATHENA_STATE", None)
    if state:
        env["ATHENA_STATE"] = state
    return subprocess.run(["bash", str(SCRIPT), "--config", str(project / "headroom.yml"), "--week", "2026-W47",
                           "--logs-limit", "0", "--with", "athena", *args],
                          cwd=project, env=env, capture_output=True, text=True, timeout=180)


def test_the_collector_runs_the_configured_query_and_the_build_reads_its_result(moto, tmp_path):
    """collect-aws.sh --with athena: the query Headroom writes for cost.athena (the week's days over
    the named FOCUS table), run in the named database, workgroup and result location; every page of
    the result saved beside its request; the build's cost per service recomputed from the rows."""
    project = tmp_path / "org"
    project.mkdir()
    (project / "headroom.yml").write_text(ATHENA_CONFIG)
    aws(moto, "s3", "mb", "s3://org-athena-results")
    canned(moto)
    result = run_collector(moto, project)
    assert result.returncode == 0, result.stderr
    week = project / "snapshots" / "2026-W47"
    request = json.loads((week / "cost-athena.query.json").read_text())
    sql = request["QueryString"]
    assert 'FROM "focus_db"."focus_export"' in sql
    assert ("WHERE chargeperiodstart >= timestamp '2026-11-16 00:00:00' "
            "AND chargeperiodstart < timestamp '2026-11-23 00:00:00'") in sql
    assert request["QueryExecutionContext"] == {"Database": "focus_db"} and request["WorkGroup"] == "primary"
    # What Athena (moto) was asked: that query, in that database, writing to that location.
    ids = json.loads(aws(moto, "athena", "list-query-executions"))["QueryExecutionIds"]
    asked = [json.loads(aws(moto, "athena", "get-query-execution", "--query-execution-id", i))["QueryExecution"]
             for i in ids]
    mine = [q for q in asked if "focus_export" in q["Query"]]
    assert len(mine) == 1
    assert mine[0]["Query"] == sql
    assert mine[0]["QueryExecutionContext"]["Database"] == "focus_db"
    assert mine[0]["ResultConfiguration"]["OutputLocation"].startswith("s3://org-athena-results/headroom/")
    saved = json.loads((week / "cost-athena.json").read_text())
    assert len(saved["ResultSet"]["Rows"]) == len(ROWS) + 1 and "NextToken" not in saved
    collect_md = (week / "COLLECT.md").read_text()
    assert "Athena: the week's cost by day, account, region, service and resource" in collect_md
    # Cost Explorer is not asked: the export holds this account's cost too, and both would count it.
    assert not list(week.glob("cost-explorer*")) and "Cost Explorer: not asked" in collect_md
    built = subprocess.run([str(BINARY), "build", "--config", str(project / "headroom.yml")],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    cost = json.loads((project / "public" / "report.json").read_text())["cost"]
    expected = {}
    for row in ROWS:
        expected[row[4]] = expected.get(row[4], decimal.Decimal(0)) + decimal.Decimal(row[9])
    found = {service["name"]: decimal.Decimal(service["current"]) for service in cost["services"]
             if service.get("current") is not None}
    assert {name: found.get(name) for name in expected} == expected


def test_a_failed_query_is_a_warning_and_leaves_the_cost_uncovered(moto, tmp_path):
    project = tmp_path / "org"
    project.mkdir()
    (project / "headroom.yml").write_text(ATHENA_CONFIG)
    reason = "COLUMN_NOT_FOUND: line 3:3: Column 'subaccountid' cannot be resolved"
    result = run_collector(moto, project, state=f"FAILED\t{reason}")
    assert result.returncode == 0, result.stderr
    assert f"warning: Athena: the query FAILED: {reason}" in result.stderr
    week = project / "snapshots" / "2026-W47"
    assert not (week / "cost-athena.json").exists() and not (week / "cost-athena.query.json").exists()
    # No cost at all for the week, so the build shows it uncovered rather than one account's.
    assert not list(week.glob("cost-*"))
    text = (week / "COLLECT.md").read_text()
    assert f"- warning: Athena: the query FAILED: {reason}" in text and "Athena: not collected" in text


def test_a_query_that_outlasts_the_wait_is_stopped_and_a_warning(moto, tmp_path):
    """--athena-wait 0 and a query still RUNNING: the collector stops it (the real CLI's
    stop-query-execution, which moto answers) and says so; the week has no cost file."""
    project = tmp_path / "org"
    project.mkdir()
    (project / "headroom.yml").write_text(ATHENA_CONFIG)
    result = run_collector(moto, project, "--athena-wait", "0", state="RUNNING\tNone")
    assert result.returncode == 0, result.stderr
    assert "warning: Athena: the query was still RUNNING after 0 seconds; stopping it" in result.stderr
    week = project / "snapshots" / "2026-W47"
    text = (week / "COLLECT.md").read_text()
    assert ("- warning: Athena: the query was still RUNNING after 0 seconds (--athena-wait); stopped" in text
            and "Athena: not collected" in text)
    assert not list(week.glob("cost-*"))
    stopped = [json.loads(aws(moto, "athena", "get-query-execution", "--query-execution-id", i))["QueryExecution"]
               for i in json.loads(aws(moto, "athena", "list-query-executions"))["QueryExecutionIds"]]
    assert any(q["Status"]["State"] == "CANCELLED" for q in stopped if "focus_export" in q["Query"])


def test_a_hostile_table_name_is_refused_before_any_call(moto, tmp_path):
    project = tmp_path / "org"
    project.mkdir()
    (project / "headroom.yml").write_text(ATHENA_CONFIG.replace(
        "table: focus_export", "table: 'x\"; DROP TABLE y; --'"))
    result = run_collector(moto, project)
    assert result.returncode == 2
    assert "headroom.yml" in result.stderr and "cost.athena.table" in result.stderr
    assert "is not a Glue name" in result.stderr
    assert not (project / "snapshots" / "2026-W47").exists()
