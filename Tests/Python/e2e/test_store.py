"""The history store under faults, with the built binary on a copy of the example project.

- Two builds of one project started at once: the second waits for the first (and says so), both
  succeed, and the site is the one a single build writes.
- At least 50 builds killed with SIGKILL at moments spread over the whole build, from reading the
  sources (while the store is written) to publishing: every third attempt starts without a store,
  and every other one of those is killed while it reads the sources; the others aim at the span of
  the build they are, measured here (one from nothing, about 2.8 s, or one that keeps the previous
  site's archived pages, about 0.7 s). About 60 attempts and 110 s on 2 idle cores (77 and 170 s
  beside a Swift build). After each kill the published site is absent (before the first complete
  build) or complete and byte-identical to a clean build, and the store passes `headroom store
  verify`. A build after the last kill writes the same site.
- A truncated store file, and one with 4 KiB of random bytes over a page (page 3, and the middle
  page): the build stops with an error that names the store and the way out, and leaves the
  previous site in place; `--rebuild-store` rebuilds the same site.
- Builds killed while they seal and compact the weeks whose snapshots are gone (16 attempts,
  half of them aimed at the last step): the previous site or the new one, a store that passes
  `store verify`, and the next build gives the clean build's site.
- `store status`, `store verify` (a snapshot changed behind the store's back is reported) and
  `store forget`.
"""
import os
import random
import re
import shutil
import signal
import subprocess
import time

import pytest

from example_project import BINARY, copy_example, headroom, tree



@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The example's site from a clean build."""
    project = copy_example(tmp_path_factory.mktemp("reference"))
    headroom(project, "build", "--quiet")
    return tree(project / "public")


def test_two_builds_at_once_wait_for_each_other(tmp_path, reference):
    project = copy_example(tmp_path)
    command = [str(BINARY), "build", "--config", str(project / "headroom.yml")]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [(p.wait(timeout=300), *p.communicate()) for p in (first, second)]
    assert [code for code, _, _ in results] == [0, 0], results
    waits = [err for _, _, err in results if "waiting for another build of this project to finish" in err]
    assert len(waits) == 1, results
    assert tree(project / "public") == reference
    assert "0 different" in headroom(project, "store", "verify").stdout


def test_killed_builds_leave_the_store_and_the_site_whole(tmp_path, reference):
    project = copy_example(tmp_path)
    public = project / "public"
    store = project / ".headroom"
    command = [str(BINARY), "build", "--quiet", "--config", str(project / "headroom.yml")]
    # The spans the kills aim at, measured here: a build from nothing (its first two steps, reading
    # the configuration and the sources, are the ones that write the store) and a build that finds
    # the store and the previous site (it keeps the archived pages).
    started = time.monotonic()
    first = headroom(project, "build")
    cold = time.monotonic() - started
    steps = [float(s) for s in re.findall(r"^\[\d/\d\] [^:]+: .*, ([\d.]+) s$", first.stdout, re.M)]
    assert len(steps) == 6, first.stdout
    reading = cold - sum(steps) + steps[0] + steps[1]
    started = time.monotonic()
    headroom(project, "build", "--quiet")
    warm = time.monotonic() - started
    shutil.rmtree(public)
    rng = random.Random(20261205)
    kills = kills_writing_the_store = attempts = 0
    # Whether a build has completed since the store was last deleted: then the next one is quick.
    whole = False
    while kills < 50 and attempts < 100:
        attempt, attempts = attempts, attempts + 1
        # Every third attempt starts without a store, and every other one of those is killed while
        # it reads the sources, so that the kill lands while the store is written.
        fresh = attempt % 3 == 0
        if fresh and store.exists():
            shutil.rmtree(store)
            whole = False
        if fresh and attempt % 2 == 0:
            span = reading
        else:
            span = (warm if whole and public.exists() else cold) * 1.1
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, span))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        code = process.wait()
        whole = whole or code == 0
        if code == -signal.SIGKILL:
            kills += 1
            kills_writing_the_store += span == reading
        else:
            assert code == 0, f"attempt {attempt}: exit {code}"
        if public.exists():
            assert tree(public) == reference, f"attempt {attempt}: a partial site"
        if (store / "store.sqlite").exists():
            verify = headroom(project, "store", "verify", check=False)
            assert verify.returncode == 0, f"attempt {attempt}: {verify.stdout}{verify.stderr}"
    print(f"{kills} builds of {attempts} killed ({kills_writing_the_store} while reading the sources); "
          f"spans {reading:.2f}, {cold:.2f} and {warm:.2f} s")
    assert kills >= 50, f"only {kills} builds of {attempts} were killed"
    assert kills_writing_the_store >= 8, f"only {kills_writing_the_store} builds were killed while reading the sources"
    # No staging folder or stray file is left beside the site after the next complete build.
    headroom(project, "build", "--quiet")
    assert tree(public) == reference
    assert sorted(p.name for p in project.iterdir()) == [".headroom", "checks", "headroom.yml", "notes", "public",
                                                         "slos", "snapshots"]


def test_builds_killed_while_they_seal_and_compact_leave_the_store_whole(tmp_path, reference):
    """Built as CI builds it (a week at a time, each week's snapshots removed once stored), the
    build that adds W47 seals W46 and compacts W45. Killed at moments spread over it, weighted
    to its last step, where that happens: the site is the previous one or the new one, the store
    passes `store verify`, and the next build writes the site of a clean build, with the files of
    W41-W45 compacted."""
    state = tmp_path / "state"
    project = copy_example(state)
    snapshots = project / "snapshots"
    weeks = sorted(p.name for p in snapshots.iterdir())
    held = tmp_path / "held"
    held.mkdir()
    for week in weeks:
        shutil.move(snapshots / week, held / week)
    for week in weeks[:-1]:
        shutil.copytree(held / week, snapshots / week)
        headroom(project, "build", "--quiet")
        shutil.rmtree(snapshots / week)
    previous = tree(project / "public")
    # The span of the build that adds W47, and of its last step: the fastest of three, so that
    # the kills below land inside a build however much a first run's cold caches slow it.
    trial = tmp_path / "trial"
    span, publishing = float("inf"), 0.0
    for _ in range(3):
        if trial.exists():
            shutil.rmtree(trial)
        shutil.copytree(state, trial)
        shutil.copytree(held / weeks[-1], trial / "acme" / "snapshots" / weeks[-1])
        started = time.monotonic()
        first = headroom(trial / "acme", "build")
        took = time.monotonic() - started
        assert "(history store: 2 weeks sealed, 5 files compacted)" in first.stdout, first.stdout
        if took < span:
            span = took
            publishing = float(re.search(r"^\[6/6\] Publishing: .*, ([\d.]+) s$", first.stdout, re.M).group(1))
    rng = random.Random(20261207)
    kills = 0
    for attempt in range(16):
        shutil.rmtree(trial)
        shutil.copytree(state, trial)
        shutil.copytree(held / weeks[-1], trial / "acme" / "snapshots" / weeks[-1])
        command = [str(BINARY), "build", "--quiet", "--config", str(trial / "acme" / "headroom.yml")]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        late = attempt % 2 == 0
        time.sleep(rng.uniform(max(0.0, span - publishing - 0.1), span * 0.98) if late else rng.uniform(0.0, span * 0.98))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        code = process.wait()
        kills += code == -signal.SIGKILL
        assert code in (0, -signal.SIGKILL), f"attempt {attempt}: exit {code}"
        site = tree(trial / "acme" / "public")
        assert site in (previous, reference), f"attempt {attempt}: a partial site"
        verify = headroom(trial / "acme", "store", "verify", check=False)
        assert verify.returncode == 0, f"attempt {attempt}: {verify.stdout}{verify.stderr}"
        headroom(trial / "acme", "build", "--quiet")
        assert tree(trial / "acme" / "public") == reference, f"attempt {attempt}"
        rows = {line.split()[0]: line.split()
                for line in headroom(trial / "acme", "store", "status").stdout.splitlines()[2:]}
        assert [rows[week][3] for week in weeks] == ["5", "5", "5", "5", "5", "0", "0"], f"attempt {attempt}"
    assert kills >= 10, f"only {kills} of 16 builds were killed"


def test_a_truncated_store_is_a_clear_error_and_rebuild_store_the_way_out(tmp_path, reference):
    project = copy_example(tmp_path)
    headroom(project, "build", "--quiet")
    file = project / ".headroom" / "store.sqlite"
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 3])
    result = headroom(project, "build", check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error (while reading sources): .headroom/store.sqlite: the history store cannot be read" in result.stderr
    assert "--rebuild-store" in result.stderr
    assert tree(project / "public") == reference, "the previous site stays"
    assert headroom(project, "store", "verify", check=False).returncode != 0
    headroom(project, "build", "--quiet", "--rebuild-store")
    assert tree(project / "public") == reference
    assert "0 different" in headroom(project, "store", "verify").stdout


@pytest.mark.parametrize("page", [3, "middle"])
def test_a_corrupt_store_is_a_clear_error_and_rebuild_store_the_way_out(tmp_path, reference, page):
    """4 KiB of random bytes over one page of the store: page 3 (the index of GRDB's migrations
    table, which a build with nothing new does not otherwise read), and the page in the middle of
    the file (a stored file's bytes). The build must stop as for a truncated store, not build on
    a damaged one; the previous site stays."""
    project = copy_example(tmp_path)
    headroom(project, "build", "--quiet")
    file = project / ".headroom" / "store.sqlite"
    data = bytearray(file.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    pages = len(data) // size
    number = pages // 2 if page == "middle" else page
    assert 3 <= number < pages and size == 4096, (size, pages)
    offset = (number - 1) * size
    data[offset:offset + 4096] = random.Random(number).randbytes(4096)
    file.write_bytes(bytes(data))
    result = headroom(project, "build", check=False)
    assert result.returncode == 1, f"page {number} of {pages} overwritten: exit {result.returncode}\n" \
        + result.stdout + result.stderr
    assert ".headroom/store.sqlite: the history store cannot be read" in result.stderr, result.stderr
    assert "--rebuild-store" in result.stderr, result.stderr
    assert tree(project / "public") == reference, "the previous site stays"
    assert headroom(project, "store", "verify", check=False).returncode == 1
    headroom(project, "build", "--quiet", "--rebuild-store")
    assert tree(project / "public") == reference
    assert "0 different" in headroom(project, "store", "verify").stdout


def test_status_verify_and_forget(tmp_path):
    project = copy_example(tmp_path)
    result = headroom(project, "store", "status", check=False)
    assert result.returncode == 2 and "there is no history store yet" in result.stderr
    headroom(project, "build", "--quiet")
    status = headroom(project, "store", "status").stdout.splitlines()
    raw = sum(p.stat().st_size for p in (project / "snapshots").rglob("*") if p.is_file()) \
        + sum(p.stat().st_size for p in (project / "slos").rglob("*") if p.is_file())
    assert status[0].startswith(".headroom/store.sqlite: ")
    assert " bytes on disk " in status[0]
    assert f" for {raw:,} bytes of snapshots, 124 files in 7 weeks" in status[0]
    assert status[1].split() == [
        "week", "files", "on", "disk", "compacted", "snapshot", "bytes", "stored", "bytes", "report", "bytes",
        "page", "bytes", "sources"]
    rows = {line.split()[0]: line.split() for line in status[2:]}
    assert rows["2026-W47"][1:4] == ["20", "20", "0"]
    week47 = sum(p.stat().st_size for p in (project / "snapshots" / "2026-W47").iterdir())
    assert rows["2026-W47"][4] == f"{week47:,}"
    assert "cost-explorer," in rows["2026-W47"]

    # A snapshot changed behind the store's back (same size and time, other content) is reported.
    target = project / "snapshots" / "2026-W46" / "cost-explorer.json"
    stat = target.stat()
    text = target.read_text()
    assert '"Amount": "1' in text
    target.write_text(text.replace('"Amount": "1', '"Amount": "2', 1))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    verify = headroom(project, "store", "verify", check=False)
    assert verify.returncode == 1
    assert "differs     snapshots/2026-W46/cost-explorer.json: the same counts, other values" in verify.stdout

    shutil.rmtree(project / "snapshots" / "2026-W41")
    verify = headroom(project, "store", "verify", check=False)
    assert "17 only in the store" in verify.stdout

    # With the snapshots of W41 and W42 gone, a build seals both (the store keeps their pages;
    # the review week too when there is no previous site) and compacts W41 (only its thinned
    # points stay): still checked, and shown as compacted.
    shutil.rmtree(project / "snapshots" / "2026-W42")
    build = headroom(project, "build")
    assert "(history store: 2 weeks sealed, 5 files compacted)" in build.stdout
    rows = {line.split()[0]: line.split() for line in headroom(project, "store", "status").stdout.splitlines()[2:]}
    assert rows["2026-W41"][1:4] == ["17", "0", "5"] and rows["2026-W42"][1:4] == ["17", "0", "0"]
    assert int(rows["2026-W41"][7].replace(",", "")) > 0  # its sealed pages
    verify = headroom(project, "store", "verify", check=False)
    assert "34 only in the store" in verify.stdout

    forget = headroom(project, "store", "forget", "2026-W41")
    assert forget.stdout == "Forgot 17 files of 2026-W41.\n"
    again = headroom(project, "store", "forget", "2026-W41", check=False)
    assert again.returncode == 2 and "the store holds nothing of 2026-W41" in again.stderr
    assert "2026-W41" not in headroom(project, "store", "status").stdout
    bad = headroom(project, "store", "forget", "last-week", check=False)
    assert bad.returncode == 2 and "is not an ISO week" in bad.stderr
