"""A synthetic supplier registry of East Azerbaijan (auto parts, machine building, valves and
pumps, steel, leather and shoes) and two buyers' demand lists, as the files people would
import: the registry CSV (one row per capability), an oil company's import-substitution list
in Persian with vendor-list requirements, and a European buyer's request in English.

Seeded, so the demo is the same every time; :func:`registry_rows` scales to the benchmark's
10,000 firms by drawing further firms from the same industries.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from exportplan.reference.text import to_persian_digits

COUNTIES = (
    "تبریز",
    "مراغه",
    "مرند",
    "میانه",
    "اهر",
    "آذرشهر",
    "شبستر",
    "بناب",
    "سراب",
    "هریس",
    "جلفا",
    "بستان‌آباد",
)


@dataclass(frozen=True)
class Line:
    """A capability template: Persian and English text, HS code, capacity range and unit,
    the certificates such makers hold."""

    fa: str
    en: str
    hs: str
    cap: tuple[int, int]
    unit: str
    certs: tuple[str, ...]


INDUSTRIES: dict[str, tuple[str, tuple[Line, ...]]] = {
    "valves": (
        "شیرآلات",
        (
            Line(
                "شیر توپی فولادی فلنجدار کلاس ۱۵۰ تا ۹۰۰ تا {s} اینچ",
                "Cast steel flanged ball valves, class 150-900, up to {s} inch",
                "848180",
                (800, 6000),
                "عدد در سال",
                ("API 6D", "ISO 9001"),
            ),
            Line(
                "شیر کشویی و بشقابی فولادی ریختگی",
                "Cast steel gate and globe valves, bolted bonnet",
                "848180",
                (500, 4000),
                "عدد در سال",
                ("API 600", "ISO 9001"),
            ),
            Line(
                "شیر یکطرفه سوئینگ و دوپلیتی",
                "Swing and dual-plate check valves",
                "848130",
                (300, 2000),
                "عدد در سال",
                ("API 6D", "ISO 9001"),
            ),
            Line(
                "شیر پروانه‌ای چدنی ویفری برای آب",
                "Cast iron wafer butterfly valves for water",
                "848180",
                (1000, 8000),
                "عدد در سال",
                ("ISO 9001",),
            ),
            Line(
                "شیر اطمینان فنری",
                "Spring-loaded safety relief valves",
                "848140",
                (200, 1500),
                "عدد در سال",
                ("API 526", "ISO 9001"),
            ),
        ),
    ),
    "pumps": (
        "پمپ",
        (
            Line(
                "الکتروپمپ گریز از مرکز فرآیندی طبق API 610",
                "API 610 process centrifugal pumps",
                "841370",
                (50, 600),
                "دستگاه در سال",
                ("API 610", "ISO 9001"),
            ),
            Line(
                "پمپ چندمرحله‌ای آبرسانی و آتش‌نشانی",
                "Multistage water and fire-fighting pumps",
                "841370",
                (100, 900),
                "دستگاه در سال",
                ("ISO 9001",),
            ),
            Line(
                "پمپ میله‌ای درون‌چاهی (SRP) و میله مکش",
                "Sucker rod pumps and sucker rods",
                "841350",
                (300, 3000),
                "عدد در سال",
                ("API 11AX", "ISO 9001"),
            ),
            Line(
                "پمپ دنده‌ای هیدرولیک",
                "Hydraulic gear pumps",
                "841360",
                (1000, 8000),
                "عدد در سال",
                ("ISO 9001",),
            ),
            Line(
                "آب‌بند مکانیکی پمپ",
                "Mechanical seals for pumps",
                "848420",
                (2000, 20000),
                "عدد در سال",
                ("ISO 9001",),
            ),
        ),
    ),
    "machine": (
        "ماشین‌سازی",
        (
            Line(
                "ریخته‌گری چدن خاکستری و داکتیل قطعات صنعتی تا {s}۰ کیلوگرم",
                "Grey and ductile iron castings up to {s}0 kg",
                "7325",
                (300, 5000),
                "تن در سال",
                ("ISO 9001",),
            ),
            Line(
                "ماشینکاری CNC قطعات طبق نقشه",
                "CNC machined parts to drawing",
                "8487",
                (5000, 50000),
                "عدد در سال",
                ("ISO 9001",),
            ),
            Line(
                "چرخ‌دنده و شفت سخت‌کاری‌شده",
                "Case-hardened gears and shafts",
                "848340",
                (2000, 30000),
                "عدد در سال",
                ("ISO 9001",),
            ),
            Line(
                "جک هیدرولیک دوطرفه",
                "Double-acting hydraulic cylinders",
                "841221",
                (500, 5000),
                "عدد در سال",
                ("ISO 9001",),
            ),
            Line(
                "سازه و شاسی جوشی فولادی",
                "Welded steel frames and assemblies",
                "730890",
                (200, 3000),
                "تن در سال",
                ("ISO 3834", "ISO 9001"),
            ),
            Line(
                "قطعات فورجی قالب بسته فولادی",
                "Closed-die steel forgings",
                "732619",
                (500, 6000),
                "تن در سال",
                ("ISO 9001",),
            ),
            Line(
                "گیربکس و کاهنده دور صنعتی",
                "Industrial gear reducers",
                "848340",
                (200, 3000),
                "عدد در سال",
                ("ISO 9001",),
            ),
        ),
    ),
    "auto": (
        "قطعات خودرو",
        (
            Line(
                "لنت ترمز و کفشک ترمز خودرو",
                "Brake pads and shoes",
                "870830",
                (100000, 900000),
                "عدد در سال",
                ("IATF 16949", "ISO 9001"),
            ),
            Line(
                "قطعات پرسکاری ورق خودرو",
                "Automotive sheet metal stampings",
                "870829",
                (50000, 500000),
                "عدد در سال",
                ("IATF 16949",),
            ),
            Line(
                "قطعات لاستیکی قالبی خودرو",
                "Moulded rubber parts for cars",
                "401699",
                (100000, 1000000),
                "عدد در سال",
                ("IATF 16949",),
            ),
            Line(
                "قطعات تزریق پلاستیک خودرو",
                "Plastic injection parts for cars",
                "392690",
                (100000, 800000),
                "عدد در سال",
                ("IATF 16949",),
            ),
            Line(
                "دایکاست آلومینیوم تحت فشار",
                "Aluminium pressure die castings",
                "761699",
                (200, 2000),
                "تن در سال",
                ("IATF 16949", "ISO 9001"),
            ),
        ),
    ),
    "steel": (
        "فولاد",
        (
            Line(
                "فلنج فورجی کربن استیل",
                "Forged carbon steel flanges",
                "730791",
                (2000, 20000),
                "عدد در سال",
                ("ISO 9001",),
            ),
            Line(
                "زانو و سه‌راهی جوشی بات‌ولد",
                "Butt-weld elbows and tees",
                "730793",
                (5000, 50000),
                "عدد در سال",
                ("ISO 9001",),
            ),
            Line(
                "لوله فولادی درزدار API 5L",
                "API 5L welded line pipe",
                "730519",
                (10000, 120000),
                "تن در سال",
                ("API 5L", "ISO 9001"),
            ),
            Line(
                "میلگرد و پروفیل فولادی",
                "Steel rebar and sections",
                "721420",
                (50000, 500000),
                "تن در سال",
                ("ISO 9001",),
            ),
            Line(
                "پیچ و مهره و استاد بولت",
                "Bolts, nuts and stud bolts",
                "731815",
                (200, 3000),
                "تن در سال",
                ("ISO 9001",),
            ),
        ),
    ),
    "leather": (
        "چرم و کفش",
        (
            Line(
                "کفش چرمی مردانه",
                "Men's leather shoes",
                "640399",
                (50000, 400000),
                "جفت در سال",
                (),
            ),
            Line(
                "چرم طبیعی گاوی و گوسفندی",
                "Cow and sheep leather",
                "4107",
                (100, 2000),
                "تن در سال",
                (),
            ),
            Line(
                "کفش ایمنی کار",
                "Safety shoes",
                "640340",
                (20000, 200000),
                "جفت در سال",
                ("ISO 20345",),
            ),
        ),
    ),
}
SHARES = {"valves": 22, "pumps": 18, "machine": 40, "auto": 35, "steel": 20, "leather": 15}
NAMES_FA = (
    "آذر",
    "سهند",
    "ارس",
    "تبریز",
    "سبلان",
    "ائل‌گلی",
    "قافلانکوه",
    "شمس",
    "نوین",
    "پارس",
    "مهر",
    "صنعت",
    "پیشرو",
    "البرز",
    "کیان",
    "آرین",
    "دنا",
    "ستاره",
    "پویا",
    "رویان",
)


def _sh_date(rng: random.Random, first: int, last: int) -> str:
    y = rng.randint(first, last)
    m = rng.randint(1, 12)
    d = rng.randint(1, 29 if m == 12 else 30)
    return f"{y}/{m:02d}/{d:02d}"


def registry_rows(n_firms: int = 150, *, seed: int = 20261201) -> list[dict[str, str]]:
    """The registry's rows: ``n_firms`` firms across the industries, 1-4 capabilities each,
    texts in Persian (mostly) or English, a quarter without an HS code, certificates some of
    which have expired, some firms with Arabic ي/ك."""
    rng = random.Random(seed)
    kinds = [k for k, n in SHARES.items() for _ in range(n)]
    rows: list[dict[str, str]] = []
    for f in range(1, n_firms + 1):
        kind = kinds[(f - 1) % len(kinds)] if n_firms <= len(kinds) else rng.choice(kinds)
        word, lines = INDUSTRIES[kind]
        name = f"شرکت {word} {rng.choice(NAMES_FA)} {to_persian_digits(str(f))} (ساختگی)"
        # a third of the demo's firms are exporters of the demo's customs data (the link is
        # the trade card, which the synthetic customs files give as the exporter's name)
        card = f"شرکت نمونه {to_persian_digits(str(f))} (ساختگی)" if f <= 120 and f % 3 == 0 else ""
        county = COUNTIES[0] if rng.random() < 0.45 else rng.choice(COUNTIES)
        chosen = rng.sample(lines, k=min(len(lines), rng.randint(1, 4)))
        certs: dict[str, str] = {}
        for line in chosen:
            for c in line.certs:
                if rng.random() < 0.8:
                    certs[c] = _sh_date(rng, 1404, 1408)
        lists = _lists(rng, kind)
        cert_text = "; ".join(f"{c} until {d}" for c, d in sorted(certs.items()))
        for line in chosen:
            english = rng.random() < 0.2
            text = (line.en if english else line.fa).replace("{s}", str(rng.choice((4, 8, 12, 24))))
            if not english and rng.random() < 0.15:
                text = text.replace("ی", "ي").replace("ک", "ك")
            lo, hi = line.cap
            rows.append(
                {
                    "firm_id": f"F{f:03d}" if n_firms < 1000 else f"F{f:05d}",
                    "firm_name": name,
                    "capability": text,
                    "hs_code": "" if rng.random() < 0.25 else line.hs,
                    "capacity": "" if rng.random() < 0.2 else str(rng.randint(lo, hi)),
                    "unit": "pieces/year" if english and line.unit == "عدد در سال" else line.unit,
                    "certifications": cert_text,
                    "county": county,
                    "vendor_lists": lists,
                    "trade_card_no": card,
                }
            )
    return rows


def _lists(rng: random.Random, kind: str) -> str:
    if kind not in ("valves", "pumps", "steel") or rng.random() < 0.3:
        return ""
    mop = "listed" if rng.random() < 0.8 else "suspended"
    nioc = rng.choice(("listed", "applied", "suspended"))
    return f"MOP_AVL {mop}; NIOC {nioc}"


NIOC_ITEMS = (
    (
        "N01",
        "شیر توپی API 6D کلاس ۶۰۰ سایز ۸ اینچ",
        "848180",
        120,
        "عدد",
        "1406/02/15",
        "API 6D",
        2_400_000,
    ),
    (
        "N02",
        "شیر کشویی فولادی کلاس ۳۰۰ طبق API 600",
        "848180",
        200,
        "عدد",
        "1406/04/01",
        "API 600",
        1_500_000,
    ),
    (
        "N03",
        "الکتروپمپ فرآیندی API 610 برای انتقال نفت خام",
        "841370",
        12,
        "دستگاه",
        "1406/05/10",
        "API 610",
        3_100_000,
    ),
    ("N04", "پمپ درون‌چاهی میله‌ای (SRP)", "841350", 300, "عدد", "1406/03/01", "API 11AX", 2_800_000),
    (
        "N05",
        "آب‌بند مکانیکی کارتریجی پمپ‌های فرآیندی",
        "848420",
        150,
        "عدد",
        "1406/01/25",
        "",
        600_000,
    ),
    ("N06", "فلنج گلودار کلاس ۶۰۰ جنس ASTM A105", "730791", 800, "عدد", "1405/12/15", "", 450_000),
    ("N07", "زانو و سه‌راهی بات‌ولد کربن استیل", "730793", 2000, "عدد", "1406/04/20", "", 380_000),
    (
        "N08",
        "لوله خط لوله API 5L گرید X52",
        "730519",
        3000,
        "تن",
        "1406/04/01",
        "API 5L",
        4_200_000,
    ),
    ("N09", "استاد بولت B7 با مهره 2H", "731815", 50, "تن", "1405/11/30", "", 300_000),
    ("N10", "شیر اطمینان فنری مخازن", "848140", 60, "عدد", "1405/12/20", "API 526", 700_000),
    ("N11", "توربین گازی صنعتی ۲۵ مگاواتی", "841182", 2, "دستگاه", "1406/10/01", "", 38_000_000),
    (
        "N12",
        "درخت کریسمس زیرسطحی میدان گازی",
        "843143",
        4,
        "مجموعه",
        "1406/12/01",
        "API 17D",
        16_000_000,
    ),
    ("N13", "الکتروموتور ضد انفجار ۹۰ کیلووات", "850152", 20, "عدد", "1406/02/01", "ATEX", 900_000),
    ("N14", "شیر یکطرفه دوپلیتی ویفری", "848130", 150, "عدد", "1406/01/15", "", 350_000),
    ("N15", "مته حفاری PDC", "820713", 60, "عدد", "1405/12/25", "", 1_200_000),
)
EU_ITEMS = (
    (
        "E01",
        "Grey iron castings for pump housings, 5-50 kg",
        "7325",
        80,
        "tonnes",
        "1406/03/01",
        "ISO 9001",
    ),
    (
        "E02",
        "CNC machined steel parts to drawing, batches of 100-1000",
        "",
        5000,
        "pieces",
        "1405/12/15",
        "ISO 9001",
    ),
    ("E03", "Spur and helical gears, case hardened", "848340", 3000, "pieces", "1406/06/10", ""),
    (
        "E04",
        "Hydraulic cylinders, double acting, bore 63-160 mm",
        "841221",
        500,
        "pieces",
        "1406/07/15",
        "",
    ),
    (
        "E05",
        "Welded steel frames, ISO 3834-2 certified welding",
        "",
        300,
        "tonnes",
        "1406/06/15",
        "ISO 3834",
    ),
    (
        "E06",
        "Closed-die forgings, 1-20 kg, C45 and 42CrMo4",
        "732619",
        200,
        "tonnes",
        "1406/04/15",
        "",
    ),
    ("E07", "Industrial helical gear reducers, 5-55 kW", "", 200, "pieces", "1406/05/15", ""),
    (
        "E08",
        "Aluminium high-pressure die castings, 0.5-5 kg",
        "761699",
        50,
        "tonnes",
        "1406/01/30",
        "ISO 9001",
    ),
    ("E09", "Titanium parts by additive manufacturing", "", 200, "pieces", "1406/06/20", ""),
    ("E10", "AC servo motors with encoders, 0.4-3 kW", "", 500, "pieces", "1406/05/05", ""),
)


def write_files(folder: Path, *, n_firms: int = 150, seed: int = 20261201) -> dict[str, Path]:
    """The registry and the two lists as CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "registry": folder / "SYNTHETIC_suppliers.csv",
        "nioc": folder / "SYNTHETIC_demand_NIOC.csv",
        "eu": folder / "SYNTHETIC_demand_AT_MACHINES.csv",
    }
    rows = registry_rows(n_firms, seed=seed)
    with paths["registry"].open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    head = [
        "item_id",
        "description",
        "hs_code",
        "quantity",
        "unit",
        "needed_by",
        "required_certifications",
    ]
    with paths["nioc"].open("w", encoding="utf-8", newline="") as fh:
        w2 = csv.writer(fh)
        w2.writerow([*head, "annual_value_usd", "required_vendor_list"])
        for item in NIOC_ITEMS:
            w2.writerow([*item, "MOP_AVL" if item[6].startswith("API") else ""])
    with paths["eu"].open("w", encoding="utf-8", newline="") as fh:
        w3 = csv.writer(fh)
        w3.writerow(head)
        w3.writerows(EU_ITEMS)
    return paths
