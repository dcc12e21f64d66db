"""Permissions as data (:mod:`exportplan.auth`): every right names known roles, and a refusal
keeps the words the services have always used."""

from __future__ import annotations

import pytest

from exportplan.auth import PERMISSIONS, ROLES, Actor, check
from exportplan.errors import PermissionDeniedError

ADMIN = Actor("admin", "admin")
SECRETARY = Actor("sara", "secretary")
VIEWER = Actor("vic", "viewer")
MEMBER = Actor("m_imt", "member", agency_id=1)


def test_every_role_and_permission_is_known() -> None:
    for name, p in PERMISSIONS.items():
        assert set(p.roles) | set(p.own_agency) <= set(ROLES), name
        assert not p.own_agency or p.what, f"{name}: a per-agency right names what it is about"
    assert PERMISSIONS["read"].roles == ROLES


def test_refusals_keep_their_words() -> None:
    with pytest.raises(PermissionDeniedError) as err:
        check(VIEWER, "program.edit")
    assert err.value.message == "vic (viewer) may not do this; it needs the role admin or secretary"
    with pytest.raises(PermissionDeniedError) as err:
        check(SECRETARY, "users.manage")
    assert err.value.message == "sara (secretary) may not do this; it needs the role admin"
    with pytest.raises(PermissionDeniedError) as err:
        check(MEMBER, "action.edit", agency_id=2)
    assert err.value.message == "m_imt may edit only their own agency's actions"
    with pytest.raises(PermissionDeniedError) as err:
        check(VIEWER, "kpi.measure", agency_id=1)
    assert err.value.message == "vic (viewer) may not edit KPIs"
    check(MEMBER, "action.edit", agency_id=1)
    check(SECRETARY, "action.edit", agency_id=2)
    assert MEMBER.may("kpi.edit", agency_id=1) and not MEMBER.may("program.edit")
    with pytest.raises(ValueError, match="unknown permission"):
        check(ADMIN, "no.such.right")


def test_zone_operator_edits_only_its_agencys_zones() -> None:
    op = Actor("op", "zone-operator", agency_id=7)
    check(op, "zone.edit", agency_id=7)
    with pytest.raises(PermissionDeniedError) as err:
        check(op, "zone.edit", agency_id=8)
    assert err.value.message == "op may edit only their own agency's zones"
    with pytest.raises(PermissionDeniedError):
        check(op, "zone.edit", agency_id=None)  # a zone without an operator agency
    with pytest.raises(PermissionDeniedError):
        check(op, "zone.create")
    with pytest.raises(PermissionDeniedError):
        check(op, "action.edit", agency_id=7)  # not a program member
    with pytest.raises(PermissionDeniedError):
        check(MEMBER, "zone.edit", agency_id=1)
    check(SECRETARY, "zone.edit", agency_id=8)
    check(SECRETARY, "zone.create")


def test_investment_rights_a_member_edits_own_agency_projects_only_editors_operate() -> None:
    check(MEMBER, "invest.edit", agency_id=1)
    with pytest.raises(PermissionDeniedError, match="own agency's investment projects"):
        check(MEMBER, "invest.edit", agency_id=2)
    for right in ("invest.operate", "invest.import"):
        assert not MEMBER.may(right) and not VIEWER.may(right)
        assert SECRETARY.may(right) and ADMIN.may(right)


def test_supplier_rights_are_the_editors() -> None:
    for right in ("supplier.edit", "demand.edit", "match.curate"):
        check(SECRETARY, right)
        check(ADMIN, right)
        assert not VIEWER.may(right) and not MEMBER.may(right)
    with pytest.raises(PermissionDeniedError) as err:
        check(VIEWER, "match.curate")
    assert err.value.message == "vic (viewer) may not do this; it needs the role admin or secretary"
