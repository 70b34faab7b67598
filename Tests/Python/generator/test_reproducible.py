"""The committed example snapshots must be exactly what scripts/generate_example.py writes.

Run from the repository root:  .venv/bin/python -m pytest -q Tests/Python/generator
"""

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SCRIPT = REPO_ROOT / "scripts" / "generate_example.py"
COMMITTED = REPO_ROOT / "examples" / "acme" / "snapshots"
MAX_SNAPSHOT_BYTES = 20 * 1000 * 1000  # "under 20 MB", decimal megabytes (the stricter reading)


def _files(root: Path) -> dict[str, Path]:
    """Relative POSIX path -> file, for every regular file below root."""
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    assert SCRIPT.is_file(), f"generator script not found: {SCRIPT.relative_to(REPO_ROOT)}"
    out = tmp_path_factory.mktemp("generated")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--quiet"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, f"generator failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    snapshots = out / "snapshots"
    assert snapshots.is_dir(), f"generator did not write {snapshots}:\n{proc.stdout}"
    return snapshots


def test_committed_snapshots_exist():
    assert COMMITTED.is_dir(), "examples/acme/snapshots is missing"
    assert _files(COMMITTED), "examples/acme/snapshots is empty"


def test_same_file_names(regenerated):
    committed = set(_files(COMMITTED))
    generated = set(_files(regenerated))
    assert generated, "the generator wrote no files"
    missing = sorted(generated - committed)
    extra = sorted(committed - generated)
    assert not missing and not extra, (
        f"file sets differ; generated but not committed: {missing}; committed but not generated: {extra}"
    )


def test_snapshots_are_byte_identical(regenerated):
    committed = _files(COMMITTED)
    generated = _files(regenerated)
    common = sorted(set(committed) & set(generated))
    assert common, "no files in common between committed and regenerated snapshots"
    different = []
    for rel in common:
        a = committed[rel].read_bytes()
        b = generated[rel].read_bytes()
        if a != b:
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            different.append(f"{rel} (committed {len(a)} B, regenerated {len(b)} B, first difference at byte {first})")
    assert not different, "regenerate with `python3 scripts/generate_example.py`; differing files:\n" + "\n".join(different)


def test_snapshots_size_under_20_mb():
    total = sum(p.stat().st_size for p in _files(COMMITTED).values())
    assert total > 0
    assert total < MAX_SNAPSHOT_BYTES, f"examples/acme/snapshots is {total:,} bytes (limit {MAX_SNAPSHOT_BYTES:,})"
