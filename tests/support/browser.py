"""Debian's Chromium under Playwright for the browser tests, axe-core on every page, and the
screenshots of each page at phone and desktop sizes (`rueda screenshots` keeps them)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

__all__ = ["PHONE", "SIZES", "audit", "chromium", "participant_context"]

CHROMIUM = os.environ.get("RUEDA_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
SIZES = (PHONE, DESKTOP)
SERIOUS = {"serious", "critical"}
_axe = Axe()


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def participant_context(
    browser: Browser, *, locale: str = "en-GB", javascript: bool = True
) -> BrowserContext:
    return await browser.new_context(
        viewport=PHONE, locale=locale, java_script_enabled=javascript, accept_downloads=True
    )


async def audit(page: Page, name: str, findings: dict[str, list[str]]) -> None:
    """axe-core at phone and desktop widths (serious and critical violations are recorded in
    `findings`), and a full-page screenshot of each into $RUEDA_SCREENSHOTS when set."""
    folder = os.environ.get("RUEDA_SCREENSHOTS")
    for size in SIZES:
        await page.set_viewport_size(size)
        results = await _axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s)"
            for v in results.response["violations"]
            if v.get("impact") in SERIOUS
        ]
        findings[f"{name} {size['width']}x{size['height']}"] = serious
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            await page.screenshot(
                path=str(Path(folder) / f"{name}-{size['width']}x{size['height']}.png"),
                full_page=True,
            )
    await page.set_viewport_size(PHONE)
