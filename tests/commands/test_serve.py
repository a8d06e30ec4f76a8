"""`tagbot serve` as a command: listed in help, and a clear message without the server extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Run the CLI as if Starlette and uvicorn were not installed (None in sys.modules fails import).
WITHOUT_EXTRA = (
    "import sys; sys.modules['uvicorn'] = sys.modules['starlette'] = None; "
    "from tagbot.cli import main; main(sys.argv[1:])"
)


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = (
        [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "tagbot", *args]
    )
    return subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )


def test_serve_without_the_server_extra_says_how_to_install_it(tmp_path: Path) -> None:
    config = tmp_path / "tagbot.yaml"
    config.write_text("version: 1\n")

    result = run("serve", "--config", str(config), code=WITHOUT_EXTRA)

    assert result.returncode == 2
    assert result.stderr == (
        "tagbot: error: tagbot serve needs the server extra: pip install 'tagbot[server]'\n"
    )


def test_the_cli_without_the_extra_still_works() -> None:
    result = run("schema", code=WITHOUT_EXTRA)

    assert result.returncode == 0 and result.stdout.startswith("{")


def test_serve_with_no_sources_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "tagbot.yaml"
    config.write_text("version: 1\n")

    result = run("serve", "--config", str(config))

    assert result.returncode == 2
    assert (
        result.stderr == "tagbot: error: tagbot serve needs at least one entry in serve.sources\n"
    )
