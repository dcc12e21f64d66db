"""The HTTP JSON API: auth, roles, conflicts and errors as JSON; fuzzed from its OpenAPI
description with schemathesis."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from exportplan.auth import Actor
from exportplan.services import program as svc
from exportplan.services import users
from exportplan.store import program as program_db
from exportplan.store.program import ProgramDB
from exportplan.web.api_app import create_api

ADMIN = Actor("admin", "admin")
PASSWORD = "a long passphrase"


def seed(db: ProgramDB) -> int:
    svc.add_agency(
        db, ADMIN, code="IMT", name_en="Industry, Mine and Trade", kind="industry-mine-trade"
    )
    svc.add_agency(db, ADMIN, code="CUS", name_en="Customs", kind="customs")
    pid = int(
        svc.create_program(
            db, ADMIN, region="East Azerbaijan", country="IRN", sh_year=1405, target_usd=3e9
        )["id"]
    )
    svc.add_priority(db, ADMIN, pid, code="P1", hs_codes=["0808"], markets="IRQ")
    svc.add_action(
        db, ADMIN, pid, agency="IMT", title="fair", start="1405/01/15", deadline="1405/03/31"
    )
    svc.add_action(
        db, ADMIN, pid, agency="CUS", title="clearance", start="1405/01/15", deadline="1405/03/31"
    )
    for name, role, agency in [
        ("admin", "admin", None),
        ("sara", "secretary", None),
        ("imt", "member", "IMT"),
        ("vic", "viewer", None),
    ]:
        users.create_user(db, ADMIN, username=name, password=PASSWORD, role=role, agency=agency)
    return pid


@pytest.fixture
def client(pdb: ProgramDB) -> Iterator[tuple[TestClient, int]]:
    pid = seed(pdb)
    with TestClient(create_api(pdb)) as c:
        yield c, pid


def auth(c: TestClient, who: str) -> dict[str, str]:
    r = c.post("/api/v1/auth/login", json={"username": who, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_sign_in_and_out(client: tuple[TestClient, int]) -> None:
    c, _ = client
    r = c.post("/api/v1/auth/login", json={"username": "sara", "password": "nope nope nope"})
    assert r.status_code == 401 and r.json()["error"] == "wrong user name or password"
    assert c.get("/api/v1/programs").status_code == 401
    h = auth(c, "sara")
    assert c.get("/api/v1/me", headers=h).json() == {
        "username": "sara",
        "role": "secretary",
        "agency_id": None,
    }
    assert c.post("/api/v1/auth/logout", headers=h).status_code == 204
    assert c.get("/api/v1/me", headers=h).status_code == 401


def test_roles_are_checked_on_the_server(client: tuple[TestClient, int]) -> None:
    c, pid = client
    imt, vic, sara = auth(c, "imt"), auth(c, "vic"), auth(c, "sara")
    acts = {a["agency"]: a for a in c.get(f"/api/v1/programs/{pid}/actions", headers=vic).json()}
    own, other = acts["IMT"], acts["CUS"]
    r = c.patch(
        f"/api/v1/actions/{own['id']}",
        headers=imt,
        json={"version": own["version"], "progress": 60, "note": "two buyers met"},
    )
    assert r.status_code == 200 and r.json()["progress"] == 60
    r = c.patch(
        f"/api/v1/actions/{other['id']}",
        headers=imt,
        json={"version": other["version"], "progress": 60},
    )
    assert r.status_code == 403 and "only their own agency" in r.json()["error"]
    r = c.patch(
        f"/api/v1/actions/{other['id']}",
        headers=vic,
        json={"version": other["version"], "progress": 60},
    )
    assert r.status_code == 403
    r = c.put(f"/api/v1/programs/{pid}/targets/P1", headers=imt, json={"value_usd": 1e9})
    assert r.status_code == 403
    r = c.put(f"/api/v1/programs/{pid}/targets/P1", headers=sara, json={"value_usd": 1e9})
    assert r.status_code == 200 and r.json()["unallocated_usd"] == pytest.approx(2e9)
    r = c.put(f"/api/v1/programs/{pid}/targets/P2", headers=sara, json={"value_usd": 2.5e9})
    assert r.status_code == 400 and "above TOTAL" in r.json()["error"]
    assert c.get("/api/v1/users", headers=imt).status_code == 403
    log = c.get(f"/api/v1/programs/{pid}/audit", headers=vic).json()
    assert log[0]["username"] == "sara" and log[0]["entity"] == "target"


def test_the_second_save_is_refused(client: tuple[TestClient, int]) -> None:
    c, pid = client
    a, b = auth(c, "sara"), auth(c, "admin")
    act = c.get(f"/api/v1/programs/{pid}/actions", headers=a).json()[0]
    r1 = c.patch(
        f"/api/v1/actions/{act['id']}",
        headers=a,
        json={"version": act["version"], "status": "in-progress"},
    )
    r2 = c.patch(
        f"/api/v1/actions/{act['id']}",
        headers=b,
        json={"version": act["version"], "status": "cancelled"},
    )
    assert r1.status_code == 200
    assert r2.status_code == 409 and "changed since you read it" in r2.json()["error"]
    now = c.get(f"/api/v1/actions/{act['id']}", headers=a).json()
    assert now["status"] == "in-progress"


def test_bad_input_is_a_message(client: tuple[TestClient, int]) -> None:
    c, pid = client
    h = auth(c, "sara")
    r = c.post(
        f"/api/v1/programs/{pid}/actions",
        headers=h,
        json={"agency": "IMT", "title": "x", "start": "1405/02/01", "deadline": "1404/12/30"},
    )
    assert (
        r.status_code == 400 and "does not exist in the Solar Hijri calendar" in r.json()["error"]
    )
    r = c.post(
        f"/api/v1/programs/{pid}/priorities",
        headers=h,
        json={"code": "P9", "hs_codes": ["0808"], "markets": ["Atlantis"]},
    )
    assert r.status_code == 400 and "unknown country 'Atlantis'" in r.json()["error"]
    r = c.post(f"/api/v1/programs/{pid}/actions", headers=h, json={"agency": "IMT"})
    assert r.status_code == 422 and "title" in r.json()["error"]
    assert c.get("/api/v1/programs/999", headers=h).status_code == 404


# ---- fuzzing from the OpenAPI description --------------------------------------------------
# Every operation of the description, once with data that fits it (positive: must be accepted,
# or refused only for credentials, a missing row, a conflict or the rate limit) and once with
# data that does not (negative: must be refused with a 4xx), under every conformance check.
# Bounded for CI (EXPORTPLAN_FUZZ_EXAMPLES per operation and mode, default 10);
# a larger budget hunts for mismatches outside the suite, e.g.
#   EXPORTPLAN_FUZZ_EXAMPLES=150 pytest tests/test_api.py -k "conforms or forbids"

_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="exportplan-fuzz-"))
_fuzz_db = program_db.connect(f"sqlite:///{_FUZZ_DIR / 'fuzz.sqlite'}")
seed(_fuzz_db)
FUZZ_APP = create_api(_fuzz_db)
FUZZ_EXAMPLES = int(os.environ.get("EXPORTPLAN_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz_schema(mode: GenerationMode) -> OpenApiSchema:
    s = schemathesis.openapi.from_asgi("/api/v1/openapi.json", FUZZ_APP)
    s.config.generation.update(modes=[mode])
    return s


positive = fuzz_schema(GenerationMode.POSITIVE)
negative = fuzz_schema(GenerationMode.NEGATIVE)


@pytest.fixture(scope="module")
def token() -> str:
    with TestClient(FUZZ_APP) as c:
        r = c.post("/api/v1/auth/login", json={"username": "sara", "password": PASSWORD})
        return str(r.json()["token"])


def fuzzed(case: Any, token: str, mode: GenerationMode, check: Any) -> None:
    assert case.meta is not None and case.meta.generation.mode == mode
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[*CHECKS, check])


@positive.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_description(case: Any, token: str) -> None:
    """Any request the description allows, signed in as the secretary: accepted (or refused for
    credentials, a missing row, a conflict), no server error, only documented status codes and
    content types, responses that match their schemas."""
    fuzzed(case, token, GenerationMode.POSITIVE, positive_data_acceptance)


@negative.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_refuses_what_its_description_forbids(case: Any, token: str) -> None:
    """Any request the description forbids (wrong types, missing fields, out-of-range values):
    refused with a documented 4xx and a JSON error, never a server error."""
    fuzzed(case, token, GenerationMode.NEGATIVE, negative_data_rejection)


def labels_of(s: OpenApiSchema) -> list[str]:
    out = []
    for op in s.get_all_operations():
        assert isinstance(op, Ok), op  # an operation schemathesis cannot read
        out.append(op.ok().label)
    return out


def test_every_operation_is_fuzzed_both_ways() -> None:
    """The two fuzz tests above are parametrized by the same operations, every one the
    description has, one with positive data only and one with negative data only."""
    labels = labels_of(positive)
    assert labels_of(negative) == labels
    methods = {"get", "put", "post", "patch", "delete"}
    paths = FUZZ_APP.openapi()["paths"]
    routes = {f"{m.upper()} {path}" for path, ops in paths.items() for m in ops if m in methods}
    assert set(labels) == routes and len(labels) >= 20, sorted(routes ^ set(labels))
    assert positive.config.generation.modes == [GenerationMode.POSITIVE]
    assert negative.config.generation.modes == [GenerationMode.NEGATIVE]
