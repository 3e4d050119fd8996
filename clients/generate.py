"""Generate the typed Python client from the pinned OpenAPI document: `make client`.

The input is tests/contract/snapshots/openapi.json (the published contract, refreshed by
`make snapshots`), so the client always matches what the snapshot test pins. The generator is
openapi-python-client (its settings: clients/openapi-python-client.yaml); the output replaces
clients/python/src/rueda_client. `--check` generates into a temporary directory and exits 1,
listing the files that differ, when the committed client is not current.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "tests" / "contract" / "snapshots" / "openapi.json"
CONFIG = ROOT / "clients" / "openapi-python-client.yaml"
PACKAGE = ROOT / "clients" / "python" / "src" / "rueda_client"


def generate(into: Path) -> Path:
    """The client generated into `into`/rueda_client."""
    out = into / "rueda_client"
    subprocess.run(
        [
            sys.executable, "-m", "openapi_python_client", "generate",
            "--path", str(DOCUMENT), "--config", str(CONFIG), "--meta", "none",
            "--output-path", str(out), "--overwrite", "--fail-on-warning",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for cache in out.rglob("__pycache__"):
        shutil.rmtree(cache)
    (out / "py.typed").write_text("")  # PEP 561: the client is typed
    return out


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two trees, or exist in one only."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"{prefix}{n}" for n in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b, ignore=["__pycache__"]), "")
    return sorted(found)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        if "--check" in argv:
            stale = differences(fresh, PACKAGE) if PACKAGE.exists() else ["(no client yet)"]
            if stale:
                print("the committed client is not current; run `make client`:", *stale, sep="\n")
                return 1
            return 0
        if PACKAGE.exists():
            shutil.rmtree(PACKAGE)
        shutil.copytree(fresh, PACKAGE)
    print(f"wrote {PACKAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
