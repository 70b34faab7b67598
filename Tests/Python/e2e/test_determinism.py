"""The same inputs give the same bytes under any time zone and locale, with the built binary.

The example project is copied and built from scratch (no history store, no previous site) with
`--dump-report`, then judged with `headroom check --junit`, under five settings of TZ and
LANG/LC_ALL: UTC in C.UTF-8; Europe/Istanbul in tr_TR.UTF-8 (the dotless i, a comma for the
decimal point); Pacific/Kiritimati (UTC+14) in de_DE.UTF-8; Pacific/Pago_Pago (UTC-11) in
ar_EG.UTF-8 (Arabic-Indic digits, right to left); and America/St_Johns (UTC-3:30) in the POSIX
locale. The SHA-256 of each output tree (every file's relative path and bytes: the site, the report
dump and the JUnit file) must be the same; on a difference, the message names the first differing
files and shows a short diff.

The locales must really be installed (`locale -a`), else glibc falls back to C without a word and
the test would prove nothing: `make clock-deps` generates them (`make test` runs it).
"""
import difflib
import hashlib
import os
import pathlib
import subprocess

import pytest

from example_project import BINARY, copy_example


# (TZ, locale, the zone's UTC offset on 2025-12-01, as `date +%z` prints it)
SETTINGS = [
    ("UTC", "C.UTF-8", "+0000"),
    ("Europe/Istanbul", "tr_TR.UTF-8", "+0300"),
    ("Pacific/Kiritimati", "de_DE.UTF-8", "+1400"),
    ("Pacific/Pago_Pago", "ar_EG.UTF-8", "-1100"),
    ("America/St_Johns", "POSIX", "-0330"),
]


def normalised(name):
    """The name `locale -a` lists for a locale: tr_TR.UTF-8 is tr_TR.utf8."""
    base, dot, codeset = name.partition(".")
    return base + (dot + codeset.lower().replace("-", "") if dot else "")


def environment(zone, name):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "TZ")}
    env.update(TZ=zone, LANG=name, LC_ALL=name)
    return env


def outputs(folder):
    """{relative path: bytes} of everything one setting wrote: the site, the dump, the JUnit file."""
    files = {f"public/{p.relative_to(folder / 'acme' / 'public')}": p.read_bytes()
             for p in sorted((folder / "acme" / "public").rglob("*")) if p.is_file()}
    for name in ("report.txt", "junit.xml"):
        files[name] = (folder / name).read_bytes()
    return files


def digest(files):
    sha = hashlib.sha256()
    for path in sorted(files):
        data = files[path]
        sha.update(f"{path}\0{len(data)}\0".encode())
        sha.update(data)
    return sha.hexdigest()


def difference(label, files, base_label, base):
    """The first differing files and a short diff of the first."""
    changed = sorted(p for p in files.keys() & base.keys() if files[p] != base[p])
    only = sorted(files.keys() ^ base.keys())
    lines = [f"{label} differs from {base_label}: {len(changed)} files differ, {len(only)} are in one only"]
    lines += [f"  differs: {p}" for p in changed[:5]] + [f"  only in one: {p}" for p in only[:5]]
    if changed:
        first = changed[0]
        a, b = base[first], files[first]
        try:
            diff = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(),
                                        f"{base_label}/{first}", f"{label}/{first}", n=1, lineterm="")
            lines += [line[:300] for line in list(diff)[:30]]
        except UnicodeDecodeError:
            at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            lines.append(f"  {first}: binary, {len(a)} against {len(b)} bytes, first difference at byte {at}: "
                         f"{a[at:at + 16].hex()} against {b[at:at + 16].hex()}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def settings_in_effect():
    """Every locale installed and every zone known, else the settings would silently be C and UTC."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=True).stdout.split()
    missing = [name for _, name, _ in SETTINGS if normalised(name) not in listed and name not in listed]
    assert not missing, f"locales {missing} are not installed (locale -a lists {listed}): run make clock-deps"
    for zone, name, offset in SETTINGS:
        assert (pathlib.Path("/usr/share/zoneinfo") / zone).is_file(), f"no zone {zone}: install tzdata"
        env = environment(zone, name)
        seen = subprocess.run(["date", "-d", "@1764547200", "+%z"], env=env, capture_output=True, text=True)
        assert seen.stdout.strip() == offset, f"TZ={zone} gives {seen.stdout.strip()!r}, not {offset}"
        check = subprocess.run(["locale"], env=env, capture_output=True, text=True)
        assert check.returncode == 0 and not check.stderr, \
            f"LC_ALL={name} is not in effect ({check.stderr.strip()}): run make clock-deps"


def test_the_same_bytes_in_every_time_zone_and_locale(tmp_path, settings_in_effect):
    trees = []
    for index, (zone, name, _) in enumerate(SETTINGS):
        folder = tmp_path / f"setting-{index}"
        project = copy_example(folder)
        env = environment(zone, name)
        label = f"TZ={zone} LC_ALL={name}"
        build = subprocess.run([str(BINARY), "build", "--quiet", "--config", str(project / "headroom.yml"),
                                "--dump-report", str(folder / "report.txt")],
                               env=env, capture_output=True, text=True, timeout=300)
        assert build.returncode == 0, f"{label}: {build.stdout}{build.stderr}"
        check = subprocess.run([str(BINARY), "check", "--config", str(project / "headroom.yml"),
                                "--junit", str(folder / "junit.xml")],
                               env=env, capture_output=True, text=True, timeout=300)
        assert check.returncode in (0, 1), f"{label}: {check.stdout}{check.stderr}"
        files = outputs(folder)
        assert len(files) > 400, f"{label}: only {len(files)} files"
        trees.append((label, files, digest(files)))
    base_label, base, base_digest = trees[0]
    for label, files, tree_digest in trees[1:]:
        assert tree_digest == base_digest, difference(label, files, base_label, base)
