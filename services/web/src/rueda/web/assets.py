"""Third-party browser assets: pinned in `services/web/package.json` (npm), vendored into
`static/vendor/` by `rueda web assets` (from `node_modules` after `npm ci`), served by the
app itself. A unit test checks the vendored copy is the pinned version's file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

__all__ = ["PACKAGE_DIR", "VENDOR", "copy_assets", "htmx_path", "pinned"]

PACKAGE_DIR = Path(__file__).resolve().parents[3]  # services/web
VENDOR = Path(__file__).parent / "static" / "vendor"
FILES = {"htmx.org": ("dist/htmx.min.js", "htmx-{version}.min.js")}


def pinned(package_dir: Path = PACKAGE_DIR) -> dict[str, str]:
    """Package -> exact version, from package.json."""
    manifest = json.loads((package_dir / "package.json").read_text())
    return dict(manifest["dependencies"])


def vendored_name(package: str, version: str) -> str:
    return FILES[package][1].format(version=version)


def htmx_path() -> str:
    """The URL of the vendored htmx (its version is in the file name: cache it forever)."""
    found = sorted(VENDOR.glob("htmx-*.min.js"))
    return f"/static/vendor/{found[-1].name}" if found else ""


def copy_assets(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Copy each pinned package's file from node_modules into static/vendor."""
    VENDOR.mkdir(parents=True, exist_ok=True)
    written = []
    for package, version in pinned(package_dir).items():
        source = package_dir / "node_modules" / package / FILES[package][0]
        installed = json.loads((source.parents[1] / "package.json").read_text())["version"]
        if installed != version:
            raise RuntimeError(f"{package} {installed} is installed, {version} is pinned")
        for old in VENDOR.glob(vendored_name(package, "*")):
            old.unlink()
        target = VENDOR / vendored_name(package, version)
        shutil.copyfile(source, target)
        written.append(target)
    return written
