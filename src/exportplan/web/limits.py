"""Request limits: how many bytes a request may send (counted as they arrive, and checked
against ``Content-Length`` before any is read), how many fields and files a form may hold and
how large a field may be, and what an uploaded file may be named; each refusal is a message
in the user's language (413, or 400 for a bad file name), never a body read in full.

The upload limit (``upload_limit_mb``) holds only for the upload routes and only for a
signed-in user allowed to upload (administrator, secretary); every other request, and anyone
not signed in, gets the form limit (``form_limit_kb``). See docs/web.md, "Request limits".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportplan import settings
from exportplan.i18n import label as t
from exportplan.i18n import number

__all__ = [
    "UPLOAD_PATHS",
    "UPLOAD_ROLES",
    "BodyLimit",
    "Limits",
    "RequestRefused",
    "check_filename",
    "refusal_of",
    "too_large",
]

#: The routes that take a file, and the roles that may send one
UPLOAD_PATHS = frozenset({"/data/upload", "/program/import/preview"})
UPLOAD_ROLES = frozenset({"admin", "secretary"})

# Characters a file name may not hold: NUL and the other control characters, and the
# direction overrides that make "x.exe" look like "x.csv" (ZWNJ, common in Persian, is fine)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Limits:
    """The limits in bytes and counts (from the settings by default)."""

    upload: int
    form: int
    field: int
    max_fields: int
    max_files: int
    filename: int

    @classmethod
    def from_settings(cls) -> Limits:
        v = settings.value
        return cls(
            upload=int(v("upload_limit_mb")) * 1024 * 1024,
            form=int(v("form_limit_kb")) * 1024,
            field=int(v("field_limit_kb")) * 1024,
            max_fields=int(v("form_max_fields")),
            max_files=int(v("form_max_files")),
            filename=int(v("filename_max_bytes")),
        )

    def form_limits(self) -> dict[str, int]:
        """FastAPI's ``form_limits`` (starlette's multipart parser enforces them)."""
        return {
            "max_fields": self.max_fields,
            "max_files": self.max_files,
            "max_part_size": self.field,
        }


class RequestRefused(StarletteHTTPException):
    """A request over a limit (413) or with a file name that cannot be kept (400); ``detail``
    is the message in the user's language, ``hint`` the next step."""

    def __init__(self, status_code: int, message: str, hint: str = "") -> None:
        super().__init__(status_code=status_code, detail=message)
        self.hint = hint


def _size(n: int, lang: str) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{number(n // (1024 * 1024), 'fa' if lang == 'fa' else 'en')} {t('MB', lang)}"
    if n >= 1024:
        return f"{number(n // 1024, 'fa' if lang == 'fa' else 'en')} {t('KB', lang)}"
    return f"{number(n, 'fa' if lang == 'fa' else 'en')} {t('bytes', lang)}"


def _count(n: int, lang: str) -> str:
    return number(n, "fa" if lang == "fa" else "en")


def too_large(limit: int, lang: str, *, setting: str = "form_limit_kb") -> RequestRefused:
    """The refusal of a body over ``limit`` bytes."""
    return RequestRefused(
        413,
        t("the request is too large: at most {limit} may be sent here", lang).format(
            limit=_size(limit, lang)
        ),
        t("send a smaller file, or ask the administrator to raise {setting}", lang).format(
            setting=settings.setting(setting).env
        ),
    )


def check_filename(name: str | None, limits: Limits, lang: str) -> str:
    """An uploaded file's name (its last part), refused with 400 when it is longer than the
    limit in UTF-8 bytes or holds a control character; the name itself is never echoed."""
    name = name or ""
    hint = t("rename the file and upload it again", lang)
    if any(unicodedata.category(ch) == "Cc" or ch in _BIDI for ch in name):
        raise RequestRefused(
            400, t("the file name holds a NUL or another control character", lang), hint
        )
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > limits.filename:
        raise RequestRefused(
            400,
            t("the file name is too long: at most {limit} bytes, this one has {size}", lang).format(
                limit=_count(limits.filename, lang), size=_count(size, lang)
            ),
            hint,
        )
    return name


# starlette's multipart parser's own refusals, as it words them
_MULTIPART = (
    (re.compile(r"Too many fields\. Maximum number of fields is (\d+)"), "fields"),
    (re.compile(r"Too many files\. Maximum number of files is (\d+)"), "files"),
    (re.compile(r"(?:Field|Part) exceeded maximum size of (\d+)KB"), "field"),
)


def refusal_of(exc: StarletteHTTPException, lang: str) -> RequestRefused | None:
    """The form parser's refusal (too many fields or files, a field too large) as a 413 in the
    user's language; None for any other error."""
    if isinstance(exc, RequestRefused) or exc.status_code != 400:
        return None
    for pattern, kind in _MULTIPART:
        m = pattern.search(str(exc.detail))
        if m is None:
            continue
        n = int(m.group(1))
        if kind == "field":
            msg = t("a form field is too large: at most {limit} per field", lang).format(
                limit=_size(n * 1024, lang)
            )
            return RequestRefused(413, msg)
        template = (
            "the form has too many fields: at most {count}"
            if kind == "fields"
            else "the form has too many files: at most {count}"
        )
        return RequestRefused(413, t(template, lang).format(count=_count(n, lang)))
    return None


Refuse = Callable[[Request, Exception], Awaitable[Response]]
MayUpload = Callable[[Request], Awaitable[bool]]
LangOf = Callable[[Request], str]


class BodyLimit:
    """ASGI middleware: a request whose ``Content-Length`` is over its limit is answered at
    once, before a byte of the body is read (``refuse`` adds ``Connection: close``, so the
    server stops reading the rest); a body without one (chunked) is counted as it
    streams and refused the moment it passes the limit. ``refuse`` renders the refusal (a
    page or JSON, as the app's error handler does); ``may_upload`` says whether the request
    comes from someone allowed the upload limit; ``lang_of`` is the page's language."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Limits,
        refuse: Refuse,
        may_upload: MayUpload,
        lang_of: LangOf,
    ) -> None:
        self.app = app
        self.limits = limits
        self.refuse = refuse
        self.may_upload = may_upload
        self.lang_of = lang_of

    async def limit_of(self, req: Request) -> tuple[int, str]:
        if req.url.path in UPLOAD_PATHS and await self.may_upload(req):
            return self.limits.upload, "upload_limit_mb"
        return self.limits.form, "form_limit_kb"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        req = Request(scope)
        limit, setting = await self.limit_of(req)
        refusal = too_large(limit, self.lang_of(req), setting=setting)
        declared = req.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._answer(req, refusal, scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise refusal
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except RequestRefused as exc:  # raised past the app's own error handler
            if started:
                raise
            await self._answer(req, exc, scope, receive, send)

    async def _answer(
        self, req: Request, exc: RequestRefused, scope: Scope, receive: Receive, send: Send
    ) -> None:
        resp = await self.refuse(req, exc)
        await resp(scope, receive, send)
