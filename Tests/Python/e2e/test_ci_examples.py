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
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["review"]["steps"]
    order = [step.get("name") or step["uses"].split("@")[0] for step in steps]
    assert order == ["actions/checkout", "Install Headroom", "aws-actions/configure-aws-credentials",
                     "actions/cache/restore", "Restore the store", "Collect", "Archive the snapshots",
                     "actions/upload-artifact", "Build", "Keep the store", "actions/cache/save",
                     "actions/upload-pages-artifact", "actions/deploy-pages", "Gates", "actions/upload-artifact"]
    by_name = {name: step for name, step in zip(order, steps)}
    # What building Headroom from source links: cmark-gfm, SQLite, and zlib for init --example.
    assert all(p in by_name["Install Headroom"]["run"] for p in ["libcmark-gfm-dev", "libsqlite3-dev", "zlib1g-dev"])
    # The store comes from the cache and goes back to it under a key of its own per run.
    restore, save = by_name["actions/cache/restore"]["with"], by_name["actions/cache/save"]["with"]
    assert restore["path"] == save["path"] and restore["path"].endswith("/.headroom")
    assert restore["key"] == save["key"] == "headroom-store-${{ github.run_id }}"
    assert restore["restore-keys"] == "headroom-store-"
    assert by_name["Restore the store"]["run"] == "scripts/history.sh restore"
    assert by_name["Collect"]["run"].startswith("scripts/collect-aws.sh --week ")
    assert by_name["Archive the snapshots"]["run"].startswith("scripts/history.sh archive ")
    archived = steps[order.index("Archive the snapshots") + 1]["with"]
    assert archived["path"].endswith("/snapshots-*.tar.gz") and archived["retention-days"] == 90
    assert "headroom build" in by_name["Build"]["run"] and "$GITHUB_STEP_SUMMARY" in by_name["Build"]["run"]
    assert by_name["Keep the store"]["run"] == "scripts/history.sh keep"
    assert by_name["actions/upload-pages-artifact"]["with"]["path"].endswith("/public")
    assert by_name["Gates"]["run"] == "headroom check --junit junit.xml"
    assert by_name["actions/upload-artifact"]["if"] == "always()"
    # Raw snapshots are never committed.
    text = (project / ".github/workflows/headroom.yml").read_text()
    assert not any(command in text for command in ("git add", "git commit", "git push"))


def test_gitlab_ci_publishes_pages_then_gates(project):
    pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    assert pipeline["stages"] == ["build", "deploy", "gates"]
    review = pipeline["review"]
    script = [line for item in review["script"] for line in (item if isinstance(item, list) else [item])]
    steps = [next(i for i, line in enumerate(script) if needle in line) for needle in (
        "swift build -c release", "scripts/history.sh restore", "scripts/collect-aws.sh", "scripts/history.sh archive",
        "headroom build", "scripts/history.sh keep", "headroom check --junit")]
    assert steps == sorted(steps)
    assert not any("git push" in line or "git add" in line for line in script)
    assert review["cache"] == {"key": "headroom-store", "paths": [".headroom/"], "when": "on_success"}
    assert "snapshots-*.tar.gz" in review["artifacts"]["paths"] and review["artifacts"]["expire_in"] == "1 year"
    assert review["artifacts"]["reports"]["junit"] == "junit.xml"
    assert review["artifacts"]["when"] == "always"
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"] and pipeline["pages"]["needs"] == ["review"]
    assert pipeline["gates"]["stage"] == "gates" and "test ! -f gates-failed" in pipeline["gates"]["script"]
