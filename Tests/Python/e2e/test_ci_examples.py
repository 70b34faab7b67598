"""The CI examples `headroom init` writes: valid for GitHub Actions and GitLab CI (against the
schemas SchemaStore publishes, vendored by check-jsonschema), and doing collect → build → publish
→ gates in that order, with the site in public/ and the JUnit file reported."""
import os
import pathlib
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
BINARY = pathlib.Path(os.environ.get("HEADROOM_BIN", ROOT / ".build" / "debug" / "headroom"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"no binary at {BINARY}: run swift build first")
    folder = tmp_path_factory.mktemp("init") / "ops"
    run = subprocess.run([str(BINARY), "init", str(folder)], capture_output=True, text=True, check=True)
    assert "CI: .github/workflows/headroom.yml and .gitlab-ci.yml" in run.stdout
    return folder


@pytest.mark.parametrize("path, schema", [
    (".github/workflows/headroom.yml", "vendor.github-workflows"),
    (".gitlab-ci.yml", "vendor.gitlab-ci"),
])
def test_the_examples_follow_the_published_schemas(project, path, schema):
    checker = pathlib.Path(sys.executable).parent / "check-jsonschema"
    run = subprocess.run([str(checker), "--builtin-schema", schema, str(project / path)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_github_actions_collects_builds_publishes_then_gates(project):
    workflow = yaml.safe_load((project / ".github/workflows/headroom.yml").read_text())
    triggers = workflow[True]  # PyYAML reads the key `on` as a boolean
    assert triggers["schedule"] == [{"cron": "0 6 * * 1"}]
    assert triggers["workflow_dispatch"]["inputs"]["week"]["default"] == "previous"
    assert workflow["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["review"]["steps"]
    order = [step.get("name") or step["uses"].split("@")[0] for step in steps]
    assert order == ["actions/checkout", "Install Headroom", "aws-actions/configure-aws-credentials", "Collect",
                     "Keep the snapshots", "Build", "actions/upload-pages-artifact", "actions/deploy-pages", "Gates",
                     "actions/upload-artifact"]
    by_name = {name: step for name, step in zip(order, steps)}
    assert by_name["Collect"]["run"].startswith("scripts/collect-aws.sh --week ")
    assert "git add snapshots" in by_name["Keep the snapshots"]["run"]
    assert "headroom build" in by_name["Build"]["run"] and "$GITHUB_STEP_SUMMARY" in by_name["Build"]["run"]
    assert by_name["actions/upload-pages-artifact"]["with"]["path"].endswith("/public")
    assert by_name["Gates"]["run"] == "headroom check --junit junit.xml"
    assert by_name["actions/upload-artifact"]["if"] == "always()"


def test_gitlab_ci_publishes_pages_then_gates(project):
    pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    assert pipeline["stages"] == ["build", "deploy", "gates"]
    review = pipeline["review"]
    script = [line for item in review["script"] for line in (item if isinstance(item, list) else [item])]
    steps = [next(i for i, line in enumerate(script) if needle in line) for needle in (
        "swift build -c release", "scripts/collect-aws.sh", "git add snapshots", "headroom build",
        "headroom check --junit")]
    assert steps == sorted(steps)
    assert review["artifacts"]["reports"]["junit"] == "junit.xml"
    assert review["artifacts"]["when"] == "always"
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"] and pipeline["pages"]["needs"] == ["review"]
    assert pipeline["gates"]["stage"] == "gates" and "test ! -f gates-failed" in pipeline["gates"]["script"]
