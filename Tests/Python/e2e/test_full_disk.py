"""Full disks, with the built binary on a copy of the example project: a real tmpfs is mounted
(`mount -t tmpfs`, as root, here and in CI), a first build fills it with a complete site, report
dump or JUnit file, and a fill file (or, for inodes, empty files) then takes the rest of the space
so that the next build runs out of it (ENOSPC).

- The site's output on the full disk, with nothing, 16 KiB or 1 MiB left, and with no inode left
  or a few: the build fails with exit 1 and an error that says there is no space left and names a
  path on the disk; the previous site stays, byte for byte; no staging folder is left beside it.
  When the space comes back, the next build writes the same site and leaves nothing else.
- The space a rebuild of the site needs, found by bisection (to a 4 KiB page): every build with
  less fails as above, and the last to fail runs out of it while publishing.
- The whole project on the full disk, with a snapshot changed so that the store must write: the
  build fails with an error that names the store and says the disk is full, without telling the
  user to delete the store (--rebuild-store throws away weeks whose snapshots were archived); the
  store stays consistent (SQLite's integrity check passes) and the previous site stays. The same
  with --rebuild-store itself.
- `--dump-report` and `check --junit` (and `build --check --junit`) into a full disk: exit 1, an
  error naming the file and the lack of space, the previous file intact, no temporary file left.
"""
import contextlib
import errno
import os
import shutil
import subprocess

import pytest

from example_project import copy_example, headroom, tree

PAGE = 4096
NO_SPACE = ("No space left on device", "disk is full")


@contextlib.contextmanager
def tmpfs(path, size, inodes=None):
    """A tmpfs of `size` mounted at path, unmounted at the end."""
    path.mkdir()
    options = f"size={size}" + (f",nr_inodes={inodes}" if inodes else "")
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True,
                           text=True)
    if mount.returncode != 0 and ("permission denied" in mount.stderr.lower() or "not permitted" in mount.stderr.lower()
                                  or "must be superuser" in mount.stderr.lower()):
        # A container without CAP_SYS_ADMIN cannot mount: the campaign needs a machine that can.
        pytest.skip(f"this machine does not allow mounting a tmpfs: {mount.stderr.strip()}")
    assert mount.returncode == 0, f"cannot mount a tmpfs (this test runs as root): {mount.stderr}"
    try:
        yield path
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], check=True)


def available(disk):
    info = os.statvfs(disk)
    return info.f_bavail * info.f_frsize


def fill(disk, free):
    """Writes disk/fill until only `free` bytes (a multiple of a page) are left on the tmpfs."""
    descriptor = os.open(disk / "fill", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        while (left := available(disk)) > free:
            try:
                os.write(descriptor, bytes(min(left - free, 1 << 20)))
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
                break
    finally:
        os.close(descriptor)
    assert available(disk) <= free, (available(disk), free)


def unfill(disk):
    (disk / "fill").unlink(missing_ok=True)
    shutil.rmtree(disk / "fillers", ignore_errors=True)


def fill_inodes(disk, free):
    """Empty files in disk/fillers until only `free` inodes are left."""
    folder = disk / "fillers"
    folder.mkdir(exist_ok=True)
    count = 0
    while os.statvfs(disk).f_favail > free:
        try:
            (folder / str(count)).touch()
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
            break
        count += 1
    assert os.statvfs(disk).f_favail <= free


def assert_out_of_space(result, *paths):
    """Exit 1 (not a crash), an error that says the space ran out and names one of paths."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"exit {result.returncode}:\n{output}"
    assert any(words in result.stderr for words in NO_SPACE), f"no word of the lack of space:\n{output}"
    assert any(str(path) in result.stderr for path in paths), f"names none of {[str(p) for p in paths]}:\n{output}"


def leftovers(disk, *expected):
    return sorted(p.name for p in disk.iterdir() if p.name not in {*expected, "fill", "fillers"})


def assert_a_full_disk_keeps_the_site(tmp_path, run_out, inodes=None):
    """A complete site on a tmpfs, `run_out(disk)` takes the rest of it, and the next build fails
    cleanly: the previous site stays, nothing is left beside it, and once the space is back the
    build writes the same site."""
    project = copy_example(tmp_path)
    with tmpfs(tmp_path / "disk", "64m", inodes=inodes) as disk:
        output = disk / "public"
        headroom(project, "build", "--quiet", "--output", str(output))
        previous = tree(output)
        run_out(disk)
        result = headroom(project, "build", "--output", str(output), check=False)
        assert_out_of_space(result, disk)
        assert tree(output) == previous, "the previous site stays"
        assert leftovers(disk, "public") == [], f"a staging folder is left beside the site:\n{result.stderr}"
        unfill(disk)
        headroom(project, "build", "--quiet", "--output", str(output))
        assert tree(output) == previous
        assert leftovers(disk, "public") == []


@pytest.mark.parametrize("free", [0, 16 * 1024, 1024 * 1024], ids=["nothing-left", "16KiB-left", "1MiB-left"])
def test_the_site_on_a_full_disk(tmp_path, free):
    assert_a_full_disk_keeps_the_site(tmp_path, lambda disk: fill(disk, free))


@pytest.mark.parametrize("free", [0, 30], ids=["no-inode-left", "30-inodes-left"])
def test_the_site_on_a_disk_without_inodes(tmp_path, free):
    """tmpfs counts every name, a hard link too: the kept pages of archived weeks, which are
    hard-linked from the previous site, run out of inodes as a new file would."""
    assert_a_full_disk_keeps_the_site(tmp_path, lambda disk: fill_inodes(disk, free), inodes=5000)


def test_the_space_a_site_needs_by_bisection(tmp_path):
    project = copy_example(tmp_path)
    with tmpfs(tmp_path / "disk", "64m") as disk:
        output = disk / "public"
        headroom(project, "build", "--quiet", "--output", str(output))
        previous = tree(output)
        # Pages free: `low` is known to fail, `high` to succeed.
        low, high = 0, sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) // PAGE + 1
        steps = {}

        def attempt(pages):
            unfill(disk)
            fill(disk, pages * PAGE)
            result = headroom(project, "build", "--output", str(output), check=False)
            assert tree(output) == previous, f"{pages} pages free: the previous site changed"
            assert leftovers(disk, "public") == [], f"{pages} pages free: a staging folder is left:\n{result.stderr}"
            if result.returncode == 0:
                return True
            assert_out_of_space(result, disk)
            steps[pages] = result.stderr.split("(while ", 1)[-1].split(")", 1)[0]
            return False

        assert attempt(high), f"a rebuild of the site does not fit in {high} pages"
        while high - low > 1:
            middle = (low + high) // 2
            if attempt(middle):
                high = middle
            else:
                low = middle
        print(f"a rebuild of the site needs {high} free pages ({high * PAGE:,} bytes); failures: {steps}")
        assert steps[low] == "publishing", f"the last build to run out of space did so while {steps[low]}"


@pytest.mark.parametrize("rebuild", [False, True], ids=["build", "rebuild-store"])
@pytest.mark.parametrize("free", [0, 64 * 1024], ids=["nothing-left", "64KiB-left"])
def test_the_store_on_a_full_disk(tmp_path, free, rebuild):
    with tmpfs(tmp_path / "disk", "96m") as disk:
        project = copy_example(disk)
        headroom(project, "build", "--quiet")
        previous = tree(project / "public")
        # A changed snapshot of an earlier week, which the store must read and write again.
        target = project / "snapshots" / "2026-W46" / "cost-explorer.json"
        text = target.read_text()
        assert '"Amount": "1' in text
        target.write_text(text.replace('"Amount": "1', '"Amount": "2', 1))
        fill(disk, free)
        result = headroom(project, "build", *(["--rebuild-store"] if rebuild else []), check=False)
        assert_out_of_space(result, ".headroom/store.sqlite", disk)
        if ".headroom/store.sqlite" in result.stderr:
            assert "--rebuild-store" not in result.stderr, \
                f"a full disk is not a damaged store: deleting the store loses archived weeks\n{result.stderr}"
            assert "cannot be read" not in result.stderr, f"the store was read; it could not be written\n{result.stderr}"
        assert tree(project / "public") == previous, "the previous site stays"
        assert leftovers(project, ".headroom", "checks", "headroom.yml", "notes", "public", "slos", "snapshots") == []
        if (project / ".headroom" / "store.sqlite").exists():
            assert sorted(p.name for p in (project / ".headroom").iterdir()) == ["lock", "store.sqlite"]
            verify = headroom(project, "store", "verify", check=False)
            assert "SQLite integrity check: ok" in verify.stdout, verify.stdout + verify.stderr
        unfill(disk)
        headroom(project, "build", "--quiet")
        assert "0 different" in headroom(project, "store", "verify").stdout


@pytest.mark.parametrize("free", [0, 8 * 1024], ids=["nothing-left", "8KiB-left"])
def test_the_report_dump_and_junit_on_a_full_disk(tmp_path, free):
    project = copy_example(tmp_path)
    with tmpfs(tmp_path / "disk", "4m") as disk:
        dump, junit = disk / "report.txt", disk / "junit.xml"
        headroom(project, "build", "--quiet", "--dump-report", str(dump))
        assert headroom(project, "check", "--junit", str(junit), check=False).returncode in (0, 1)
        files = {path: path.read_bytes() for path in (dump, junit)}
        assert all(len(data) > free for data in files.values())
        site = tree(project / "public")
        fill(disk, free)
        for args, path in ((["build", "--quiet", "--dump-report", str(dump)], dump),
                           (["check", "--junit", str(junit)], junit),
                           (["build", "--quiet", "--check", "--warn-only", "--junit", str(junit)], junit)):
            result = headroom(project, *args, check=False)
            assert_out_of_space(result, path)
            assert {p: p.read_bytes() for p in files} == files, f"{args}: the previous file changed"
            assert leftovers(disk, "report.txt", "junit.xml") == [], f"{args}: a temporary file is left"
        assert tree(project / "public") == site
