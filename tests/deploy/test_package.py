"""The proof a release rests on: a clean clone builds an sdist and a wheel that install and run.

The clone is tagged `v9.8.7`, so the version must come from the tag. The build uses the locked
setuptools and setuptools-scm already in this .venv (`--no-build-isolation`), and the fresh venv gets
only the wheel (`--no-deps`); its dependencies are this .venv's locked ones, reached through a `.pth`
line (site-packages, not the editable checkout). So the test needs no network beyond `make setup`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TAG, VERSION = "v9.8.7", "9.8.7"
OFFLINE = {**os.environ, "UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never", "PIP_NO_INDEX": "1"}

pytestmark = pytest.mark.integration


def run(*argv: str | Path, cwd: Path) -> str:
    """Run a command offline; its stdout, or a failure with its stderr."""
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=OFFLINE, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ of a tagged clean clone of this repository's HEAD."""
    tmp = tmp_path_factory.mktemp("release")
    clone = tmp / "clone"
    run("git", "clone", "--quiet", "--no-hardlinks", ROOT, clone, cwd=tmp)
    run("git", "-c", "user.name=t", "-c", "user.email=t@t", "tag", "-a", TAG, "-m", TAG, cwd=clone)
    python = sys.executable
    run(BIN / "uv", "build", "--no-build-isolation", "--python", python, "-o", "dist", cwd=clone)
    return clone / "dist"


def test_sdist_and_wheel_carry_the_tag_version_and_pass_twine_check(built: Path) -> None:
    dists = sorted(p for p in built.iterdir() if p.name.endswith((".whl", ".tar.gz")))
    assert [p.name for p in dists] == [
        f"tagbot-{VERSION}-py3-none-any.whl",
        f"tagbot-{VERSION}.tar.gz",
    ]
    assert run(BIN / "twine", "check", "--strict", *dists, cwd=built).count("PASSED") == 2
    with tarfile.open(built / f"tagbot-{VERSION}.tar.gz") as sdist:
        members = {m.name.partition("/")[2] for m in sdist.getmembers()}
    # The wheel was built from this sdist (uv's default), so it holds what a rebuild needs.
    assert {"pyproject.toml", "README.md", "tagbot/__init__.py", "tagbot/py.typed"} <= members


def test_the_wheel_installs_into_a_fresh_venv_and_runs(built: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
    )
    deps = sysconfig.get_paths()["purelib"]
    (Path(site.strip()) / "_locked_deps.pth").write_text(deps + "\n", encoding="utf-8")
    wheel = built / f"tagbot-{VERSION}-py3-none-any.whl"
    run(
        BIN / "uv",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--python",
        python,
        wheel,
        cwd=tmp_path,
    )

    where = run(python, "-c", "import tagbot; print(tagbot.__file__)", cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(Path(site.strip()))
    assert run(venv / "bin" / "tagbot", "--version", cwd=tmp_path) == f"tagbot {VERSION}\n"
    demo = built.parent / "examples" / "gitops-demo"
    report = json.loads(run(venv / "bin" / "tagbot", "scan", "--json", ".", cwd=demo))
    found = {(r["file"], r["line"]) for r in report["references"]}
    assert ("apps/api/overlays/production/kustomization.yaml", 8) in found
    assert len(found) == 6
