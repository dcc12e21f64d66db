"""The words of Persian and English trade news that claim extraction reads: units and count
nouns, measure nouns, qualifiers, direction, share, target, forecast and rank words, ordinals,
definition cues, subjects, and the customs offices, products and destinations a release names."""

from __future__ import annotations

import re

UNIT_WORDS: dict[str, str] = {
    "دلار": "USD",
    "دلاری": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "یورو": "EUR",
    "یورویی": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "ریال": "IRR",
    "ریالی": "IRR",
    "rial": "IRR",
    "rials": "IRR",
    "تومان": "IRT",
    "تومانی": "IRT",
    "toman": "IRT",
    "tomans": "IRT",
    "برابر": "times",
    "برابری": "times",
    "تن": "tonne",
    "تنی": "tonne",
    "tonne": "tonne",
    "tonnes": "tonne",
    "ton": "tonne",
    "tons": "tonne",
    "کیلوگرم": "kg",
    "کیلو": "kg",
    "kg": "kg",
    "kilograms": "kg",
    "درصد": "percent",
    "درصدی": "percent",
    "percent": "percent",
    "%": "percent",
}
#: the count nouns by what they count (a count of markets is a count of countries)
COUNTED = (
    ("countries", re.compile(r"کشور|مقصد|بازار|countr|market|destination", re.I)),
    ("exporters", re.compile(r"صادر ?کننده|شرکت|واحد|تاجر|بازرگان|exporter|compan|firm", re.I)),
)


def counted_of(span: str) -> str | None:
    """What a count's number and noun (``۹۰ کشور``, "1,200 exporters") count."""
    for what, pattern in COUNTED:
        if pattern.search(span):
            return what
    return None


COUNT_WORDS = (
    "کشور",
    "کشورهای",
    "مقصد",
    "بازار",
    "صادرکننده",
    "صادر کننده",
    "شرکت",
    "واحد",
    "تاجر",
    "بازرگان",
    "countries",
    "country",
    "markets",
    "destinations",
    "exporters",
    "companies",
    "firms",
)
CURRENCY_BEFORE = {
    "$": "USD",
    "usd": "USD",
    "us$": "USD",
    "€": "EUR",
    "eur": "EUR",
    "rls": "IRR",
    "irr": "IRR",
}
MEASURES: dict[str, str] = {
    "ارزش": "value",
    "ارزشی": "value",
    "ارزشي": "value",
    "value": "value",
    "وزن": "weight",
    "وزنی": "weight",
    "حجم": "weight",
    "مقدار": "weight",
    "مقداری": "weight",
    "تناژ": "weight",
    "وزني": "weight",
    "weight": "weight",
    "tonnage": "weight",
}
QUALIFIERS: list[tuple[str, str]] = [
    ("بیش از", "more_than"),
    ("بیشتر از", "more_than"),
    ("افزون بر", "more_than"),
    ("بالغ بر", "more_than"),
    ("بالای", "more_than"),
    ("متجاوز از", "more_than"),
    ("حداقل", "more_than"),
    ("at least", "more_than"),
    ("more than", "more_than"),
    ("over", "more_than"),
    ("exceed", "more_than"),
    ("exceeded", "more_than"),
    ("exceeds", "more_than"),
    ("topped", "more_than"),
    ("surpassed", "more_than"),
    ("crossed", "more_than"),
    ("above", "more_than"),
    ("حدود", "about"),
    ("حدودا", "about"),
    ("حدوداً", "about"),
    ("نزدیک به", "about"),
    ("قریب به", "about"),
    ("قریب", "about"),
    ("تقریبا", "about"),
    ("تقریباً", "about"),
    ("about", "about"),
    ("around", "about"),
    ("nearly", "about"),
    ("almost", "about"),
    ("some", "about"),
    ("approximately", "about"),
    ("کمتر از", "less_than"),
    ("کم تر از", "less_than"),
    ("حداکثر", "less_than"),
    ("at most", "less_than"),
    ("زیر", "less_than"),
    ("less than", "less_than"),
    ("under", "less_than"),
    ("below", "less_than"),
]
UP_WORDS = (
    r"افزایش|افزایشی|رشد|رشدی|بیشتر|فزونی|ارتقا|جهش|increase|increased|rise|rose|grow|grew"
    r"|growth|up|jump|jumped|higher|surge|surged|soar|soared|climb|climbed|raise|raised|boost"
    r"|boosted"
)
DOWN_WORDS = (
    r"کاهش|کاهشی|افت|افتی|کمتر|نزول|کاسته|سقوط|رشد منفی|decrease|decreased|fell|fall|decline"
    r"|declined|drop|dropped|down|lower|plunge|plunged|slump|slumped|shrank|shrink|contracted"
    r"|dipped|negative growth"
)
UP = re.compile(rf"(?<!\w)({UP_WORDS})(?!\w)", re.I)
DOWN = re.compile(rf"(?<!\w)({DOWN_WORDS})(?!\w)", re.I)
#: a direction word right before a number («با افت ۳ درصدی», "rose 15", "fell by 10")
DIRECTION_BEFORE = re.compile(
    rf"(?<!\w)((?:{DOWN_WORDS}|{UP_WORDS})(?: منفی)?)\s*(?:of|by|به میزان)?\s*$", re.I
)
#: «دو برابر شد», "doubled": a change as a multiple (the verb must follow: «دو برابر
#: میانگین کشور» is no change)
MULTIPLE_VERB = re.compile(
    r"[^.،,؛;]{0,30}?(?<!\w)(?:شد|شده|گردید|گردیده|افزایش|رشد|رسید|رسیده)(?!\w)"
)
#: «افزایش ۳ برابری»: the direction before an adjectival multiple
MULTIPLE_BEFORE = re.compile(r"(?<!\w)(?:افزایش|رشد|جهش)\s*$")
MULTIPLE_EN = re.compile(
    r"(?<!\w)(?:(?P<w>doubled|tripled|trebled|quadrupled)|(?P<n>two|three|four|five|2|3|4|5)"
    r"[- ]?fold)(?!\w)",
    re.I,
)
MULTIPLE_WORDS = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4, "two": 2, "three": 3}
MULTIPLE_WORDS.update({"four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5})
SHARE = re.compile(r"(?<!\w)(سهم|share|accounted for)(?!\w)", re.I)
TARGET_WORDS = re.compile(
    r"(?<!\w)(هدف|هدف گذاری|هدفگذاری|اهداف|برنامه|مصوب|target|targets|goal|aim|aims)(?!\w)", re.I
)
FORECAST = re.compile(
    r"(?<!\w)(پیش بینی|پیشبینی|انتظار|برآورد|خواهد رسید|خواهد شد|می رسد|forecast|expected"
    r"|projected|expects|will reach|is set to|likely to)(?!\w)",
    re.I,
)
ACHIEVED = re.compile(r"(?<!\w)(محقق|تحقق|achieved|realised|realized)(?!\w)", re.I)
RANK = re.compile(r"(?<!\w)(رتبه|مقام|جایگاه|rank|ranked|place)(?!\w)", re.I)
ORDINALS: dict[str, int] = {
    "نخست": 1,
    "اول": 1,
    "یکم": 1,
    "دوم": 2,
    "سوم": 3,
    "چهارم": 4,
    "پنجم": 5,
    "ششم": 6,
    "هفتم": 7,
    "هشتم": 8,
    "نهم": 9,
    "دهم": 10,
    "یازدهم": 11,
    "دوازدهم": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:م|مین|th|st|nd|rd)$")
#: words before a customs office that make it a source, not a definition («به گزارش اداره کل
#: گمرکات استان»): the README of the gold set's "a mere source attribution is not a cue"
ATTRIBUTION_BEFORE = re.compile(
    r"(?:اداره کل|اداره|مدیر کل|مدیرکل|رئیس|رییس|معاون|سخنگوی|روابط عمومی|گزارش|به نقل از|آمار"
    r"|طبق آمار|بر اساس آمار|according to|official of|head of|director of|data from)\s*$",
    re.I,
)
CUSTOMS_CUES = re.compile(
    r"(?<!\w)(?:از |through )?(?:گمرکات|گمرک های|گمرکهای|مرزهای|مبادی|پایانه های|بازارچه های)"
    r" (?:مرزی )?(?:استان|آذربایجان شرقی)|through (?:the )?(?:province's|provincial) "
    r"(?:customs|borders)|via (?:the )?province's customs|customs offices",
    re.I,
)
ORIGIN_CUES = re.compile(
    r"(?<!\w)(?:تولیدات|تولید|(?:کالا|کالای|کالاهای|محصولات) (?:تولید ?شده|تولیدی|ساخته ?شده)"
    r"(?: در)?|کالاهای تولیدی|محصولات تولیدی|ساخت) (?:استان|آذربایجان شرقی)|(?:made|produced"
    r"|manufactured) in (?:the province|east azarbaijan|east azerbaijan)|province's (?:own )?"
    r"(?:products|producers|manufacturers)|goods produced in",
    re.I,
)
#: customs offices of the province as the customs data name them
OFFICES: dict[str, str] = {
    "گمرک فرودگاه تبریز": "گمرک فرودگاه تبریز",
    "گمرک تبریز": "گمرک تبریز",
    "گمرک جلفا": "گمرک جلفا",
    "گمرک سهلان": "گمرک سهلان",
    "گمرک نوردوز": "گمرک نوردوز",
    "گمرک بازرگان": "گمرک بازرگان",
    "tabriz customs": "گمرک تبریز",
    "jolfa customs": "گمرک جلفا",
    "sahlan customs": "گمرک سهلان",
    "norduz customs": "گمرک نوردوز",
}
#: product words of provincial releases and their HS prefixes
PRODUCTS: dict[str, tuple[str, ...]] = {
    "فرش": ("57",),
    "carpet": ("57",),
    "carpets": ("57",),
    "پسته": ("0802",),
    "خشکبار": ("0802", "0806", "0813"),
    "کشمش": ("080620",),
    "سیمان": ("2523",),
    "cement": ("2523",),
    "مبلمان": ("9401", "9403"),
    "کفش": ("64",),
    "footwear": ("64",),
    "چرم": ("41", "42"),
    "پوشاک": ("61", "62"),
    "خودرو": ("87",),
    "قطعات خودرو": ("8708",),
    "ماشین آلات": ("84",),
    "machinery": ("84",),
    "فولاد": ("72",),
    "آهن": ("72",),
    "steel": ("72",),
    "محصولات پتروشیمی": ("29", "39"),
    "پتروشیمی": ("29", "39"),
    "پلاستیک": ("39",),
    "مواد غذایی": ("16", "17", "18", "19", "20", "21"),
    "میوه": ("08",),
    "سیب": ("080810",),
    "شیرینی": ("1704", "1905"),
}
#: destinations of the province's exports by their Persian and English names
PARTNERS: dict[str, str] = {
    "عراق": "IRQ",
    "اقلیم کردستان": "IRQ",
    "iraq": "IRQ",
    "ترکیه": "TUR",
    "turkey": "TUR",
    "turkiye": "TUR",
    "ارمنستان": "ARM",
    "armenia": "ARM",
    "جمهوری آذربایجان": "AZE",
    "نخجوان": "AZE",
    "azerbaijan republic": "AZE",
    "republic of azerbaijan": "AZE",
    "روسیه": "RUS",
    "russia": "RUS",
    "افغانستان": "AFG",
    "afghanistan": "AFG",
    "امارات": "ARE",
    "uae": "ARE",
    "چین": "CHN",
    "china": "CHN",
    "گرجستان": "GEO",
    "georgia": "GEO",
    "ترکمنستان": "TKM",
    "پاکستان": "PAK",
    "هند": "IND",
    "قزاقستان": "KAZ",
    "ازبکستان": "UZB",
    "سوریه": "SYR",
}
MEASURE_AFTER = re.compile(r"\s*(?:percent|per cent|%)?\s*(?:in|by) (weight|value)(?!\w)", re.I)
#: the subject nouns (and verbs) of a clause: what the number is about
SUBJECTS = re.compile(
    r"(?<!\w)(?:(?P<trade>تجارت خارجی|تجارت خارجي|مبادلات تجاری|مبادلات خارجی|مبادلات بازرگانی"
    r"|حجم تجارت|تراز تجاری|تجارت فرامرزی|صادرات و واردات|واردات و صادرات|foreign trade|total "
    r"trade|trade turnover|trade volume|volume of trade|trade balance|trade exchanges|exports "
    r"and imports|imports and exports)|(?P<exports>صادرات|صادراتی|صادر|export|exports|exported"
    r"|exporting)|(?P<imports>"
    r"واردات|وارداتی|import|imports|imported|importing)|(?P<transit>ترانزیت|ترانزیتی|transit))"
    r"(?!\w)",
    re.I,
)
#: an amount followed by its direction («۲۰۰ میلیون دلار افزایش یافت») or preceded by it
#: («افزایش ۲۰۰ میلیون دلاری», "rose by USD 200 m"): a change in level
ABS_AFTER = re.compile(
    r"^\s*(?:(?P<up>افزایش|رشد|فزونی|بیشتر از|بیشتر نسبت|more than|higher than)|(?P<down>کاهش|افت"
    r"|کمتر از|کمتر نسبت|less than|lower than))(?!\w)",
    re.I,
)
ABS_BEFORE = re.compile(
    r"(?<!\w)(?:(?P<up>افزایش|رشد|increase of|rise of|(?:rose|increased|grew|up) by)|(?P<down>"
    r"کاهش|افت|decrease of|fall of|drop of|(?:fell|decreased|declined|dropped|down) by))\s*"
    r"(?:usd|us\$|\$|€|eur)?\s*$",
    re.I,
)
