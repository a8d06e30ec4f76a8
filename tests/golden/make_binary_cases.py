"""Write the golden cases whose bytes an editor or git could change: CRLF, BOM, no final newline.

Run `python tests/golden/make_binary_cases.py` to (re)write them; tests/editor/test_golden.py
checks that the files on disk still equal what this script produces.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
BOM = "\ufeff"

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web  # Ünïcode comment
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27.0\t# tab before this comment
"""

_KUSTOMIZATION = """\
images:
  - name: ghcr.io/acme/api
  - name: redis
    newTag: "7.2"
"""


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# case name -> (args, input text, expected text); texts are written as UTF-8, byte for byte.
CASES: dict[str, tuple[str, str, str]] = {
    "crlf-line-endings": (
        "nginx:1.27.1",
        _crlf(_DEPLOYMENT),
        _crlf(_DEPLOYMENT.replace("1.27.0", "1.27.1")),
    ),
    "utf8-bom": (
        "nginx:1.27.1",
        BOM + _DEPLOYMENT,
        BOM + _DEPLOYMENT.replace("1.27.0", "1.27.1"),
    ),
    "utf8-bom-crlf": (
        "nginx:1.27.1",
        BOM + _crlf(_DEPLOYMENT),
        BOM + _crlf(_DEPLOYMENT.replace("1.27.0", "1.27.1")),
    ),
    "no-final-newline": (
        "nginx:1.27.1",
        _DEPLOYMENT.rstrip("\n"),
        _DEPLOYMENT.replace("1.27.0", "1.27.1").rstrip("\n"),
    ),
    "kustomize-inserts-newtag-crlf": (
        "ghcr.io/acme/api:1.5.0",
        _crlf(_KUSTOMIZATION),
        _crlf(_KUSTOMIZATION.replace("acme/api\n", "acme/api\n    newTag: 1.5.0\n")),
    ),
    "kustomize-inserts-newtag-no-final-newline": (
        "redis:7.4 ghcr.io/acme/api:1.5.0",
        "images:\n  - name: redis\n    newTag: '7.2'\n  - name: ghcr.io/acme/api",
        "images:\n  - name: redis\n    newTag: '7.4'\n  - name: ghcr.io/acme/api\n    newTag: 1.5.0",
    ),
}


def expected_files() -> dict[Path, bytes]:
    """Every file the script writes, with its bytes."""
    files: dict[Path, bytes] = {}
    for name, (args, before, after) in CASES.items():
        files[HERE / name / "args.txt"] = (args + "\n").encode()
        files[HERE / name / "input.yaml"] = before.encode("utf-8")
        files[HERE / name / "expected.yaml"] = after.encode("utf-8")
    return files


def main() -> None:
    """Write the cases next to this script."""
    for path, data in expected_files().items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    main()
