"""What the end-to-end campaigns share: the built binary, a fresh copy of the example project, a
build of it, and the hashes of a folder's files. Imported by the test modules beside it."""
import hashlib
import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "acme"
BINARY = pathlib.Path(os.environ.get("HEADROOM_BIN", ROOT / ".build" / "debug" / "headroom"))


def copy_example(folder):
    """The example's inputs (no store, no site) in folder/acme."""
    project = folder / "acme"
    project.mkdir(parents=True)
    for name in ("headroom.yml", "snapshots", "slos", "notes", "checks"):
        source = EXAMPLE / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    return project


def headroom(project, *args, check=True):
    """`headroom <args> --config <project>/headroom.yml`; with check, it must succeed."""
    result = subprocess.run([str(BINARY), *args, "--config", str(project / "headroom.yml")],
                            capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def tree(folder):
    """{relative path: SHA-256} of every file below folder."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
