"""Persian labels of the views trade analysts expect (issue 16: the product space, the treemap
of exports, a product's months, the maps' tooltips, the opportunities map), merged into the one
dictionary by :mod:`exportplan.i18n`."""

from __future__ import annotations

#: Persian by English text (see :data:`exportplan.i18n.FA`)
FA: dict[str, str] = {
    "Product space": "فضای محصول",
    "Colour by": "رنگ بر پایه",
    "RCA band": "بازه مزیت نسبی",
    "HS section": "قسمت تعرفه",
    "RCA": "مزیت نسبی آشکار",
    "RCA at least 1": "مزیت نسبی ۱ و بیشتر",
    "RCA 0.5 to 1": "مزیت نسبی ۰٫۵ تا ۱",
    "RCA below 0.5": "مزیت نسبی کمتر از ۰٫۵",
    "no section": "بی‌قسمت",
    "world": "جهان",
    "world trade (USD)": "تجارت جهانی (دلار)",
    "the region's exports (USD)": "صادرات استان (دلار)",
    "the region's products (RCA at least 1)": "کالاهای استان (مزیت نسبی ۱ و بیشتر)",
    "Each dot is a product (HS4), sized by its world trade; a line joins two products often "
    "exported together (the maximum spanning tree of the proximities and the links of at "
    "least 0.55). Click a product to see its markets.": (
        "هر نقطه یک کالا (چهاررقمی) است و اندازه‌اش تجارت جهانی آن؛ هر خط دو کالایی را که اغلب با"
        " هم صادر می‌شوند به هم می‌پیوندد (درخت پوشای بیشینه نزدیکی‌ها و پیوندهای ۰٫۵۵ و بیشتر)."
        " برای دیدن بازارهای یک کالا روی آن کلیک کنید."
    ),
    "See the product space": "دیدن فضای محصول",
    # the monitor's treemap and a product's months
    "Exports by product": "صادرات به تفکیک کالا",
    "share": "سهم",
    "HS chapter": "فصل تعرفه",
    "heading": "سرفصل",
    "A product's exports by month": "صادرات یک کالا به تفکیک ماه",
    "this year (USD)": "امسال (دلار)",
    "last year (USD)": "سال قبل (دلار)",
    "change (USD)": "تغییر (دلار)",
    # the maps
    "market": "بازار",
    "untapped potential (USD)": "پتانسیل استفاده‌نشده (دلار)",
    "Untapped potential by market": "پتانسیل استفاده‌نشده به تفکیک بازار",
}
