"""The program's HTTP JSON API (``/api/v1``), described by OpenAPI at ``/api/v1/openapi.json``.

Every route but sign-in needs ``Authorization: Bearer <token>`` (an API token from
``POST /api/v1/auth/login`` or from ``exportplan user token``; a web session cookie is not
accepted, nor a web session as a bearer token). A token of scope ``read`` is refused (403) on
every write. The routes call the same services as the command line, which check the caller's
role for every write; domain errors become JSON ``{"error": ..., "hint": ...}`` with 400 (bad
input), 401 (not signed in), 403 (role or scope), 404 (not found), 409 (someone else changed
it), 422 (malformed, such as an id out of range) or 429 (too many failed sign-ins, with
``Retry-After``); never a traceback.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan.auth import Actor
from exportplan.errors import (
    AuthenticationError,
    ConflictError,
    ExportPlanError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    TooManyAttemptsError,
)
from exportplan.services import program as svc
from exportplan.services import users
from exportplan.services.signin_limits import SignInLimits
from exportplan.store.program import ProgramDB


class Error(BaseModel):
    error: str
    hint: str = ""


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "Bad input"},
    401: {"model": Error, "description": "Not signed in"},
    403: {"model": Error, "description": "The role does not allow it"},
    404: {"model": Error, "description": "Not found"},
    409: {"model": Error, "description": "Changed by someone else since it was read"},
    422: {"model": Error, "description": "Malformed request"},
}
#: The largest id of a row (the stores' 32-bit integer keys); a larger one is malformed
MAX_ID = 2_147_483_647
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S+$")]
Text = Annotated[str, Field(max_length=2000)]
Usd = Annotated[float, Field(ge=0, le=1e13)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Login(Strict):
    username: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class TokenOut(BaseModel):
    token: str
    expires_at: dt.datetime


class Me(BaseModel):
    username: str
    role: str
    agency_id: int | None


class ProgramIn(Strict):
    sh_year: Annotated[int, Field(ge=1300, le=1500)]
    target_usd: Annotated[float, Field(gt=0, le=1e13)]
    definition: Annotated[str, Field(pattern="^(customs|origin)$")] = "customs"
    region: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    name: Text = ""


class ProgramOut(BaseModel):
    id: int
    region: str
    region_fa: str
    sh_year: int
    definition: str
    name: str
    target_usd: float
    version: int


class ProgramUpdate(Strict):
    version: Annotated[int, Field(ge=1)]
    target_usd: Annotated[float | None, Field(gt=0, le=1e13)] = None
    name: Annotated[str | None, Field(max_length=300)] = None


class AgencyIn(Strict):
    code: Code
    name_en: Annotated[str, Field(min_length=1, max_length=300)]
    name_fa: Annotated[str, Field(max_length=300)] = ""
    kind: Annotated[str, Field(max_length=40)] = "other"


class AgencyOut(BaseModel):
    id: int
    code: str
    name_en: str
    name_fa: str
    kind: str
    version: int
    head: dict[str, Any] | None


class PriorityIn(Strict):
    code: Code
    hs_codes: Annotated[
        list[Annotated[str, Field(max_length=12)]], Field(min_length=1, max_length=200)
    ]
    markets: Annotated[
        list[Annotated[str, Field(max_length=100)]], Field(min_length=1, max_length=250)
    ]
    name_en: Annotated[str, Field(max_length=300)] = ""
    name_fa: Annotated[str, Field(max_length=300)] = ""
    reason: Text = ""


class PriorityOut(BaseModel):
    id: int
    program_id: int
    code: str
    name_en: str
    name_fa: str
    hs_codes: list[str]
    markets: list[str]
    reason: str
    opportunity: dict[str, Any] | None
    version: int


class TargetIn(Strict):
    value_usd: Usd
    parent: Code = svc.ROOT
    label: Annotated[str, Field(max_length=300)] = ""
    priority: Code | None = None
    agency: Code | None = None
    period: Annotated[str | None, Field(max_length=10)] = None
    version: Annotated[int | None, Field(ge=1)] = None


class TargetNode(BaseModel):
    id: int
    code: str
    label: str
    value_usd: float
    priority: str | None
    agency: str | None
    period: str | None
    version: int
    allocated_usd: float
    unallocated_usd: float | None
    children: list[TargetNode]


class ActionIn(Strict):
    agency: Code
    title: Annotated[str, Field(min_length=1, max_length=500)]
    start: Annotated[str, Field(max_length=10, description="1405/01/15 or 2026-04-04")]
    deadline: Annotated[str, Field(max_length=10)]
    priority: Code | None = None
    description: Text = ""
    code: Code | None = None


class ActionPatch(Strict):
    version: Annotated[int, Field(ge=1, description="The version you read")]
    status: Annotated[
        str | None, Field(pattern="^(planned|in-progress|blocked|done|cancelled)$")
    ] = None
    progress: Annotated[int | None, Field(ge=0, le=100)] = None
    note: Annotated[str | None, Field(max_length=2000)] = None
    evidence: Annotated[str | None, Field(max_length=2000)] = None
    deadline: Annotated[str | None, Field(max_length=10)] = None
    title: Annotated[str | None, Field(min_length=1, max_length=500)] = None
    agency: Code | None = None


class Note(BaseModel):
    at: str
    author: str
    text: str


class ActionOut(BaseModel):
    id: int
    program_id: int
    agency: str | None
    priority: str | None
    code: str
    title: str
    description: str
    start: dt.date
    deadline: dt.date
    start_sh: str
    deadline_sh: str
    status: str
    progress: int
    evidence: str
    overdue: bool
    version: int
    notes: list[Note]


class KpiIn(Strict):
    code: Code
    agency: Code
    name: Annotated[str, Field(min_length=1, max_length=500)]
    source: Annotated[str, Field(pattern="^(data|manual)$")]
    hs_codes: Annotated[list[Annotated[str, Field(max_length=12)]], Field(max_length=200)] = []
    partners: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=250)] = []
    unit: Annotated[str, Field(min_length=1, max_length=40)] = "USD"
    target_value: Annotated[float | None, Field(ge=-1e13, le=1e13)] = None
    priority: Code | None = None


class MeasurementIn(Strict):
    period: Annotated[str, Field(max_length=10, description="Solar Hijri month, 1405-03")]
    value: Annotated[float, Field(ge=-1e13, le=1e13)]
    version: Annotated[
        int,
        Field(
            ge=0,
            le=MAX_ID,
            description="The version of the month's value you read (0: the month had none)",
        ),
    ]


class KpiOut(BaseModel):
    id: int
    code: str
    agency: str | None
    name: str
    unit: str
    source: str
    hs_codes: list[str]
    partners: list[str]
    target_value: float | None
    latest: float | None
    year_to_date: float | None
    measurements: list[dict[str, Any]]
    version: int


class AuditOut(BaseModel):
    id: int
    at: str
    username: str
    op: str
    entity: str
    entity_id: int
    program_id: int | None
    agency_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class UserIn(Strict):
    username: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^\S+$")]
    password: Annotated[str, Field(min_length=10, max_length=200)]
    role: Annotated[str, Field(pattern="^(admin|secretary|member|viewer)$")]
    agency: Code | None = None
    display_name: Annotated[str, Field(max_length=300)] = ""


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    agency_id: int | None
    active: bool


bearer = HTTPBearer(auto_error=False)


READS = frozenset({"GET", "HEAD", "OPTIONS"})


def current_actor(
    request: Request, cred: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Actor:
    """The caller of an API token (never a web session); a read-only token is refused on
    every write (403) before the route runs, whatever the role."""
    if cred is None or cred.scheme.lower() != "bearer":
        raise AuthenticationError(
            "sign in first: POST /api/v1/auth/login, then send Authorization: Bearer <token>"
        )
    who = users.actor_for_token(request.app.state.db, cred.credentials, kind="api")
    if (
        who.scope != "write"
        and request.method not in READS
        and request.url.path != "/api/v1/auth/logout"
    ):
        raise PermissionDeniedError(
            f"this token is read-only (scope {who.scope}): it may not {request.method}",
            hint="create a token with `exportplan user token NAME --scope write`",
        )
    return who


Who = Annotated[Actor, Depends(current_actor)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

STATUS: dict[type[ExportPlanError], int] = {
    TooManyAttemptsError: 429,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
}


def error_status(exc: ExportPlanError) -> int:
    return next((c for t, c in STATUS.items() if isinstance(exc, t)), 400)


def allowed_methods(app: FastAPI, path: str) -> str:
    """Every method of a path (Starlette's 405 names only the first matching route's)."""
    allowed: set[str] = set()
    for route in app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            allowed |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(allowed))


def json_error(req: Request, exc: Exception) -> JSONResponse:
    """A domain, HTTP or validation error as the documented JSON body."""
    if isinstance(exc, ExportPlanError):
        retry = getattr(exc, "retry_after", None)
        return JSONResponse(
            {"error": exc.message, "hint": exc.hint},
            status_code=error_status(exc),
            headers={"Retry-After": str(retry)} if retry is not None else None,
        )
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return JSONResponse(
            {"error": f"{where}: {first.get('msg', 'malformed request')}", "hint": ""},
            status_code=422,
        )
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(req.app, req.url.path)
    return JSONResponse(
        {"error": str(exc.detail), "hint": getattr(exc, "hint", "")},
        status_code=exc.status_code,
        headers=headers,
    )


def install_json_errors(app: FastAPI) -> None:
    async def handler(req: Request, exc: Exception) -> JSONResponse:
        return json_error(req, exc)

    for kind in (ExportPlanError, StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(kind, handler)


def router(db: ProgramDB, ws: Any = None, *, limits: SignInLimits | None = None) -> APIRouter:
    """The routes of ``/api/v1``; sign-in is rate limited by ``limits`` (the web app's, so
    the pages and the API share one count; the settings' limits when None)."""
    r = APIRouter(prefix="/api/v1", responses=ERRORS)
    limits = limits if limits is not None else SignInLimits.from_settings()
    too_many: dict[int | str, dict[str, Any]] = {
        429: {"model": Error, "description": "Too many failed sign-ins"}
    }

    @r.post("/auth/login", response_model=TokenOut, responses=too_many)
    def login(body: Login, request: Request) -> dict[str, Any]:
        token, expires = users.sign_in(
            db,
            body.username,
            body.password,
            kind="api",
            limits=limits,
            address=request.client.host if request.client else None,
        )
        return {"token": token, "expires_at": expires}

    @r.post("/auth/logout", status_code=204)
    def logout(who: Who, cred: Credentials) -> None:
        if cred is not None:
            users.sign_out(db, cred.credentials)

    @r.get("/me", response_model=Me)
    def me(who: Who) -> dict[str, Any]:
        return {"username": who.username, "role": who.role, "agency_id": who.agency_id}

    @r.get("/programs", response_model=list[ProgramOut])
    def list_programs(who: Who) -> list[dict[str, Any]]:
        return svc.programs(db)

    @r.post("/programs", response_model=ProgramOut, status_code=201)
    def create_program(body: ProgramIn, who: Who) -> dict[str, Any]:
        region = body.region or (ws.home_region if ws is not None else None)
        if region is None:
            raise InputError("give the program's region")
        country = ws.home_country if ws is not None else "IRN"
        p = svc.create_program(
            db,
            who,
            region=region,
            country=country,
            sh_year=body.sh_year,
            target_usd=body.target_usd,
            definition=body.definition,
            name=body.name,
        )
        return next(x for x in svc.programs(db) if x["id"] == p["id"])

    @r.get("/programs/{program_id}", response_model=ProgramOut)
    def get_program(program_id: Id, who: Who) -> dict[str, Any]:
        for p in svc.programs(db):
            if p["id"] == program_id:
                return p
        raise NotFoundError(f"no program {program_id}")

    @r.patch("/programs/{program_id}", response_model=ProgramOut)
    def patch_program(program_id: Id, body: ProgramUpdate, who: Who) -> dict[str, Any]:
        svc.update_program(
            db, who, program_id, version=body.version, target_usd=body.target_usd, name=body.name
        )
        return get_program(program_id, who)

    @r.get("/agencies", response_model=list[AgencyOut])
    def list_agencies(who: Who) -> list[dict[str, Any]]:
        return svc.agencies(db)

    @r.post("/agencies", response_model=AgencyOut, status_code=201)
    def add_agency(body: AgencyIn, who: Who) -> dict[str, Any]:
        a = svc.add_agency(
            db, who, code=body.code, name_en=body.name_en, name_fa=body.name_fa, kind=body.kind
        )
        return {**a, "head": None}

    @r.get("/agencies/{code}/handover")
    def handover(code: str, who: Who) -> dict[str, Any]:
        return svc.handover(db, code)

    @r.get("/programs/{program_id}/priorities", response_model=list[PriorityOut])
    def list_priorities(program_id: Id, who: Who) -> list[dict[str, Any]]:
        return svc.priorities(db, program_id)

    @r.post("/programs/{program_id}/priorities", response_model=PriorityOut, status_code=201)
    def add_priority(program_id: Id, body: PriorityIn, who: Who) -> dict[str, Any]:
        return svc.add_priority(
            db,
            who,
            program_id,
            code=body.code,
            hs_codes=body.hs_codes,
            markets=body.markets,
            name_en=body.name_en,
            name_fa=body.name_fa,
            reason=body.reason,
        )

    @r.get("/programs/{program_id}/targets", response_model=TargetNode)
    def get_targets(program_id: Id, who: Who) -> dict[str, Any]:
        return svc.target_tree(db, program_id)

    @r.put("/programs/{program_id}/targets/{code}", response_model=TargetNode)
    def put_target(program_id: Id, code: str, body: TargetIn, who: Who) -> dict[str, Any]:
        svc.set_target(
            db,
            who,
            program_id,
            code=code,
            value_usd=body.value_usd,
            parent=body.parent,
            label=body.label,
            priority=body.priority,
            agency=body.agency,
            period=body.period,
            version=body.version,
        )
        return svc.target_tree(db, program_id)

    @r.get("/programs/{program_id}/actions", response_model=list[ActionOut])
    def list_actions(
        program_id: Id, who: Who, agency: str | None = None, overdue: bool | None = None
    ) -> list[dict[str, Any]]:
        return svc.actions(db, program_id, agency=agency, overdue=overdue)

    @r.post("/programs/{program_id}/actions", response_model=ActionOut, status_code=201)
    def add_action(program_id: Id, body: ActionIn, who: Who) -> dict[str, Any]:
        return svc.add_action(
            db,
            who,
            program_id,
            agency=body.agency,
            title=body.title,
            start=body.start,
            deadline=body.deadline,
            priority=body.priority,
            description=body.description,
            code=body.code,
        )

    @r.get("/actions/{action_id}", response_model=ActionOut)
    def get_action(action_id: Id, who: Who) -> dict[str, Any]:
        return svc.get_action(db, action_id)

    @r.patch("/actions/{action_id}", response_model=ActionOut)
    def patch_action(action_id: Id, body: ActionPatch, who: Who) -> dict[str, Any]:
        return svc.update_action(
            db,
            who,
            action_id,
            version=body.version,
            status=body.status,
            progress=body.progress,
            note=body.note,
            evidence=body.evidence,
            deadline=body.deadline,
            title=body.title,
            agency=body.agency,
        )

    @r.get("/programs/{program_id}/kpis", response_model=list[KpiOut])
    def list_kpis(program_id: Id, who: Who) -> list[dict[str, Any]]:
        return svc.kpis(db, program_id)

    @r.post("/programs/{program_id}/kpis", response_model=KpiOut, status_code=201)
    def add_kpi(program_id: Id, body: KpiIn, who: Who) -> dict[str, Any]:
        k = svc.add_kpi(
            db,
            who,
            program_id,
            code=body.code,
            agency=body.agency,
            name=body.name,
            source=body.source,
            hs_codes=body.hs_codes,
            partners=body.partners,
            unit=body.unit,
            target_value=body.target_value,
            priority=body.priority,
        )
        return next(x for x in svc.kpis(db, program_id) if x["id"] == k["id"])

    @r.put("/programs/{program_id}/kpis/{code}/measurements", response_model=KpiOut)
    def put_measurement(program_id: Id, code: str, body: MeasurementIn, who: Who) -> dict[str, Any]:
        svc.measure(
            db,
            who,
            program_id,
            code,
            period=body.period,
            value=body.value,
            version=body.version,
        )
        return next(x for x in svc.kpis(db, program_id) if x["code"] == code)

    @r.get("/programs/{program_id}/audit", response_model=list[AuditOut])
    def get_audit(program_id: Id, who: Who, limit: int = 100) -> list[dict[str, Any]]:
        who.require("admin", "secretary", "member", "viewer")
        return svc.audit_log(db, program_id=program_id, limit=max(1, min(limit, 1000)))

    @r.get("/users", response_model=list[UserOut])
    def list_users(who: Who) -> list[dict[str, Any]]:
        return users.list_users(db, who)

    @r.post("/users", response_model=UserOut, status_code=201)
    def add_user(body: UserIn, who: Who) -> dict[str, Any]:
        return users.create_user(
            db,
            who,
            username=body.username,
            password=body.password,
            role=body.role,
            agency=body.agency,
            display_name=body.display_name,
        )

    return r
