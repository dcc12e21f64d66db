"""Warm pages answered below the framework: the rendered bytes of a cached page (or its JSON
twin) kept by address and user, and the pure ASGI layer that sends them without routing,
dependency injection or a page's handler.

An entry is made by the normal path (:meth:`exportplan.web.site.Site.render`, when it answers a
GET of a cached context with 200), keyed by what the answer depends on: the path, the query
string as sent, the page's language, and the user (name, role, agency), and valid for the
data's version the context was built at (:meth:`~exportplan.web.site.Site.versions`). The layer
(:class:`WarmLayer`, inside the cookies' layer, which adds the cookies and the security headers
to every answer alike) answers a GET only when:

- the session cookie's token is live for an active user, asked of the store on this request
  exactly as the normal path asks it (so a sign-out, a password change, a disabled user or a
  role change ends it at once);
- an entry is held for the address, language and that user;
- the data's version now is the entry's.

Then it sends the entry with this browser's CSRF token in its slot (and the Data page's import
queue rendered now). Anything else (another method, no session, no entry, an old version, any
error) goes to the app, which answers as it always does and makes the entry again. Entries are
bounded in number and bytes, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["WarmLayer", "WarmPage", "WarmPages"]

#: A query string longer than this is not kept (nobody's address; junk cannot fill the store)
MAX_QUERY = 512


@dataclass(frozen=True)
class WarmPage:
    """A page's answer as the normal path sent it: ``body`` with ``csrf_slot`` (and, when
    ``imports``, the import queue's slot) where the per-request parts go."""

    version: tuple[Any, ...]
    body: bytes
    media_type: str
    imports: bool = False


Key = tuple[Any, ...]


class WarmPages:
    """The kept answers, least recently used first out past ``max_pages`` entries or
    ``max_bytes`` bytes; ``hits`` and ``misses`` count the layer's answers and hand-overs."""

    def __init__(self, max_pages: int = 512, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.items: OrderedDict[Key, WarmPage] = OrderedDict()
        self.addresses: dict[tuple[str, bytes], int] = {}
        self.lock = threading.Lock()
        self.max_pages = max_pages
        self.max_bytes = max_bytes
        self.bytes = 0
        self.enabled = True
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(path: str, query: bytes, lang: str, username: str, role: str, agency: Any) -> Key:
        return (path, query, lang, username, role, agency)

    def holds_address(self, path: str, query: bytes) -> bool:
        """Whether any entry is kept for this address (a quick test before asking the store)."""
        return (path, query) in self.addresses

    def get(self, key: Key) -> WarmPage | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def keep(self, key: Key, page: WarmPage) -> None:
        if len(key[1]) > MAX_QUERY or len(page.body) > self.max_bytes // 4:
            return
        with self.lock:
            self._drop(key)
            self.items[key] = page
            self.bytes += len(page.body)
            address = (key[0], key[1])
            self.addresses[address] = self.addresses.get(address, 0) + 1
            while self.items and (len(self.items) > self.max_pages or self.bytes > self.max_bytes):
                self._drop(next(iter(self.items)))

    def _drop(self, key: Key) -> None:
        old = self.items.pop(key, None)
        if old is None:
            return
        self.bytes -= len(old.body)
        address = (key[0], key[1])
        left = self.addresses[address] - 1
        if left:
            self.addresses[address] = left
        else:
            del self.addresses[address]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.addresses.clear()
            self.bytes = 0


class WarmLayer:
    """ASGI middleware: a GET of a kept page answered from :class:`WarmPages`, or handed to
    the app. ``answer(request, token)`` gives the body and media type, or None when the app
    must answer; it asks the store, so it runs in a worker thread unless ``inline`` (a SQLite
    store in WAL mode, whose two reads take a fraction of a millisecond and never wait for a
    writer: the thread's hand-off would cost more than the reads)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        pages: WarmPages,
        answer: Callable[[Request, str], tuple[bytes, str] | None],
        session_cookie: str,
        inline: bool = False,
    ) -> None:
        self.app = app
        self.inline = inline
        self.pages = pages
        self.answer = answer
        self.session_cookie = session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not self.pages.enabled
            or not self.pages.holds_address(scope["path"], scope["query_string"])
        ):
            await self.app(scope, receive, send)
            return
        req = Request(scope)
        token = req.cookies.get(self.session_cookie)
        got: tuple[bytes, str] | None = None
        if token and self.inline:
            got = self.answer(req, token)
        elif token:
            got = await run_in_threadpool(self.answer, req, token)
        if got is None:
            self.pages.misses += 1
            await self.app(scope, receive, send)
            return
        self.pages.hits += 1
        body, media_type = got
        await Response(body, media_type=media_type)(scope, receive, send)
