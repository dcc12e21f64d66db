"""What the browser tests share: Debian's chromium driven by Playwright (no ``playwright
install``), a real server on 127.0.0.1 over a workspace, a page watched for console errors and
foreign requests, signing in, waiting for the charts, screenshots. The session-scoped
``server`` (over the ``small_demo`` workspace) and ``browser`` fixtures in conftest.py use
:func:`serve` and :func:`launch`, so every browser test of a run shares one of each."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from exportplan.services import demo_program
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(ws: Workspace) -> Iterator[str]:
    """The web app over ``ws`` in a uvicorn server on a free loopback port (a thread of this
    process), yielding its address; stopped on leaving."""
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(ws), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def demo_copy(
    small_demo: Workspace, tmp_path_factory: pytest.TempPathFactory, name: str
) -> Workspace:
    """A copy of the shared demo for a test that writes (the shared one stays as built)."""
    path = tmp_path_factory.mktemp(name) / "ws"
    shutil.copytree(small_demo.path, path)
    return open_workspace(path)


@contextmanager
def launch() -> Iterator[Browser]:
    """Debian's chromium, headless."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page with its console errors and every URL it requested."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.urls: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.urls.append(r.url))

    def foreign(self, server: str) -> list[str]:
        """The requests that went anywhere but ``server`` (data and blob URLs aside)."""
        return [
            u
            for u in self.urls
            if not u.startswith(server) and not u.startswith(("data:", "blob:"))
        ]


def sign_in(w: Watched, server: str, user: str = "secretary", lang: str = "fa") -> None:
    w.page.goto(f"{server}/login?lang={lang}")
    w.page.fill("input[name=username]", user)
    w.page.fill("input[name=password]", demo_program.DEMO_PASSWORD)
    w.page.click("form.login button")
    w.page.wait_for_url(f"{server}/dashboard")


def charts_drawn(page: Page) -> dict[str, Any]:
    page.wait_for_function(
        "window.__charts && window.__charts.drawn + window.__charts.failed >= window.__charts.total",
        timeout=30_000,
    )
    state: dict[str, Any] = page.evaluate("window.__charts")
    return state


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("EXPORTPLAN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
