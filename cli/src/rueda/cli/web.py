"""`rueda web assets|i18n`: the web app's vendored browser assets and its catalogues."""

from __future__ import annotations

import subprocess

__all__ = ["assets", "i18n"]


def assets() -> int:
    """`npm ci` in services/web (the pinned versions of package-lock.json), then copy each
    package's file into the app's static/vendor."""
    from rueda.web.assets import PACKAGE_DIR, copy_assets

    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PACKAGE_DIR, check=True)
    for path in copy_assets():
        print(f"wrote {path}")
    return 0


def i18n() -> int:
    """Extract the messages of the templates and code into messages.pot, merge it into each
    language's .po (new messages untranslated, to be filled in), compile the .mo files."""
    from babel.messages.frontend import CommandLineInterface

    from rueda.web.assets import PACKAGE_DIR
    from rueda.web.i18n import CATALOGUES, compile_catalogues

    pot = CATALOGUES / "messages.pot"
    cli = CommandLineInterface()
    cli.run(  # type: ignore[no-untyped-call]
        ["pybabel", "extract", "-F", str(PACKAGE_DIR / "babel.cfg"), "-o", str(pot),
         "--no-location", "--omit-header", "-k", "_", "-k", "gettext", str(PACKAGE_DIR)]
    )  # fmt: skip
    cli.run(  # type: ignore[no-untyped-call]
        ["pybabel", "update", "-i", str(pot), "-d", str(CATALOGUES), "--ignore-obsolete",
         "--no-fuzzy-matching"]
    )  # fmt: skip
    for path in compile_catalogues():
        print(f"wrote {path}")
    return 0
