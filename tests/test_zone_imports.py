"""The zones' imports (issue 18): plots from CSV, Excel and GeoJSON, applications with their
steps; every bad input refused naming its row and column, nothing half-written, rejects kept,
a second import of the same file changing nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from exportplan.analytics import plot_geometry as geo
from exportplan.auth import Actor
from exportplan.errors import MissingColumnsError, ZoneImportError
from exportplan.i18n import error_text
from exportplan.services.zones import create_zone
from exportplan.services.zones.imports import import_applications, import_plots
from exportplan.store.program import ProgramDB
from exportplan.store.zones.models import Application, Contract, Plot

ADMIN = Actor("admin", "admin")
LON, LAT = 46.30, 38.08
ZONE = {"type": "Polygon", "coordinates": [[list(p) for p in geo.rectangle(LON, LAT, 800, 400)]]}
APP_HEADER = [
    "application_id",
    "applicant",
    "plot",
    "area_m2",
    "submitted",
    "decided",
    "decision",
    "contract_signed",
    "construction_deadline",
    "construction_started",
    "operating_since",
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def plot_feature(code: str, i: int, area: float = 5000.0) -> dict[str, object]:
    ring = geo.rectangle(LON + 0.0002 + 0.0013 * i, LAT + 0.0002, 100, 50)
    return {
        "type": "Feature",
        "properties": {"plot": code, "area_m2": area, "use": "industrial"},
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
    }


def geojson(path: Path, feats: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return path


def count(db: ProgramDB, model: type[Plot] | type[Application] | type[Contract]) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_plots_from_geojson_all_or_nothing(pdb: ProgramDB, tmp_path: Path) -> None:
    create_zone(pdb, ADMIN, code_="TLS", name_fa="چرم", name_en="Leather", boundary=ZONE)
    bad = plot_feature("P-03", 2)
    ring = bad["geometry"]["coordinates"][0]  # type: ignore[index]
    bad["geometry"]["coordinates"] = [[ring[0], ring[2], ring[1], ring[3], ring[0]]]  # type: ignore[index]
    far = plot_feature("P-04", 40)  # 40 x 130 m east: outside the 800 m zone
    f = geojson(
        tmp_path / "plots.geojson",
        [
            plot_feature("P-01", 0),
            plot_feature("P-02", 1, area=5050),
            bad,
            far,
            plot_feature("P-01", 3),
        ],
    )
    with pytest.raises(ZoneImportError) as err:
        import_plots(pdb, ADMIN, f, zone="TLS", rejects_dir=tmp_path / "rejects")
    got = [(r["row"], r["column"], r["reason"]) for r in err.value.rejects]
    assert got == [
        (3, "geometry", "ring 0 intersects itself (edges 0 and 2 cross)"),
        (4, "geometry", "plot P-04 lies outside its zone's boundary"),
        (5, "plot", "plot P-01 appears twice (first on row 1)"),
    ]
    assert err.value.message.startswith("plots.geojson: 3 row(s) refused; nothing was imported")
    assert error_text(err.value, "fa")[0].startswith("plots.geojson: ۳ سطر رد شد")
    kept = list((tmp_path / "rejects").glob("plots-*.rejects.csv"))
    assert len(kept) == 1 and kept[0].read_text("utf-8").count("\n") == 4
    assert count(pdb, Plot) == 0  # nothing half-written
    ok = geojson(
        tmp_path / "plots2.geojson", [plot_feature("P-01", 0), plot_feature("P-02", 1, area=5150)]
    )
    res = import_plots(pdb, ADMIN, ok, zone="TLS")
    assert (res["added"], res["unchanged"]) == (2, 0)
    assert res["warnings"] == ["plot P-02: declared 5,150 m², geometry 5,000 m² (3.0% apart)"]
    again = import_plots(pdb, ADMIN, ok, zone="TLS")
    assert (again["added"], again["unchanged"]) == (0, 2) and count(pdb, Plot) == 2
    # a new plot on top of a stored one
    with pytest.raises(ZoneImportError) as err:
        import_plots(
            pdb, ADMIN, geojson(tmp_path / "p3.geojson", [plot_feature("P-09", 0)]), zone="TLS"
        )
    assert err.value.rejects[0]["reason"] == "plot P-09 overlaps plot P-01 by 4,999.9 m²"


def test_plots_from_csv_and_xlsx(pdb: ProgramDB, tmp_path: Path) -> None:
    create_zone(pdb, ADMIN, code_="EST", name_fa="دولتی", name_en="Estate", kind="state_estate")
    f = write_csv(
        tmp_path / "plots.csv",
        ["plot", "area_m2", "use"],
        [
            ["B-1", "1,200", "industrial"],
            ["B-2", "-5", "industrial"],
            ["B-3", "900", "casino"],
            ["", "10", "service"],
        ],
    )
    with pytest.raises(ZoneImportError) as err:
        import_plots(pdb, ADMIN, f, zone="EST")
    assert [(r["row"], r["column"], r["value"]) for r in err.value.rejects] == [
        (3, "area_m2", "-5"),
        (4, "use", "casino"),
        (5, "plot", ""),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Plot", "Area m2", "Use"])
    ws.append(["B-1", 1200, "industrial"])
    ws.append(["B-2", 800.5, "warehouse"])
    wb.save(tmp_path / "plots.xlsx")
    res = import_plots(pdb, ADMIN, tmp_path / "plots.xlsx", zone="EST")
    assert res["added"] == 2
    with pdb.session() as s:
        areas = dict(s.execute(select(Plot.code, Plot.area_m2_declared)).all())
    assert areas == {"B-1": 1200.0, "B-2": 800.5}
    with pytest.raises(MissingColumnsError, match="missing column"):
        import_plots(
            pdb, ADMIN, write_csv(tmp_path / "x.csv", ["code", "area"], [["a", "1"]]), zone="EST"
        )


def test_applications_with_every_bad_case(pdb: ProgramDB, tmp_path: Path) -> None:
    create_zone(pdb, ADMIN, code_="EST", name_fa="دولتی", name_en="Estate", kind="state_estate")
    import_plots(
        pdb,
        ADMIN,
        write_csv(
            tmp_path / "p.csv",
            ["plot", "area_m2", "use"],
            [[f"C-{i}", "2000", "industrial"] for i in range(1, 6)],
        ),
        zone="EST",
    )
    good = [
        [
            "1",
            "Kafsh A",
            "C-1",
            "2000",
            "1402/01/15",
            "1402/02/20",
            "allot",
            "1402/03/10",
            "1403/03/10",
            "1402/09/01",
            "1403/06/01",
        ],
        ["2", "Charm B", "C-2", "2000", "1402/02/01", "1402/04/01", "allot", "", "", "", ""],
        ["3", "Kif C", "", "1500", "1402/03/01", "1402/03/20", "reject", "", "", "", ""],
        ["4", "Waiting D", "", "1500", "1402/05/01", "", "", "", "", "", ""],
    ]
    bad = [
        ["5", "Second E", "C-1", "2000", "1402/06/01", "1402/06/10", "allot", "", "", "", ""],
        ["6", "Bad day F", "C-3", "2000", "1403/12/31", "", "", "", "", "", ""],
        [
            "7",
            "Early G",
            "C-4",
            "2000",
            "1402/01/01",
            "1402/02/01",
            "allot",
            "1402/03/01",
            "1402/02/15",
            "",
            "",
        ],
        ["8", "Odd H", "C-5", "2000", "1402/01/01", "1402/02/01", "maybe", "", "", "", ""],
        ["9", "Nowhere", "Z-9", "2000", "1402/01/01", "", "", "", "", "", ""],
    ]
    f = write_csv(tmp_path / "apps.csv", APP_HEADER, good + bad)
    with pytest.raises(ZoneImportError) as err:
        import_applications(pdb, ADMIN, f, zone="EST")
    got = {r["row"]: (str(r["column"]), str(r["reason"])) for r in err.value.rejects}
    assert got[6] == ("plot", "plot C-1 is held by Kafsh A (operating since 1403/06/01)")
    assert got[7][0] == "submitted" and "'1403/12/31' is not a day" in got[7][1]
    assert got[8][0] == "construction_deadline" and "is before the contract" in got[8][1]
    assert got[9][0] == "decision"
    assert got[10] == ("plot", "zone EST has no plot Z-9")
    assert set(got) == {6, 7, 8, 9, 10}
    assert count(pdb, Application) == 0 and count(pdb, Contract) == 0
    f = write_csv(tmp_path / "apps-ok.csv", APP_HEADER, good)
    assert import_applications(pdb, ADMIN, f, zone="EST")["added"] == 4
    with pdb.session() as s:
        status = dict(s.execute(select(Plot.code, Plot.status)).all())
    assert status == {
        "C-1": "operating",
        "C-2": "allotted",
        "C-3": "vacant",
        "C-4": "vacant",
        "C-5": "vacant",
    }
    again = import_applications(pdb, ADMIN, f, zone="EST")
    assert (again["added"], again["unchanged"]) == (0, 4)
    changed = [row[:] for row in good]
    changed[2][6] = "waitlist"
    with pytest.raises(ZoneImportError, match="stored with other values"):
        import_applications(
            pdb, ADMIN, write_csv(tmp_path / "c.csv", APP_HEADER, changed), zone="EST"
        )
