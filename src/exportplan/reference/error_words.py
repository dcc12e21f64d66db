"""The Persian wording of the refusals every front door shows: the domain errors that carry
an English ``template`` and ``values`` (:data:`FA_ERRORS`: a refused workbook archive,
``exportplan.errors.UnsafeArchiveError``), and those raised as plain English text
(:data:`FA_MESSAGES`: a role's refusal, a form's expired token, a thing not found), matched
against their English templates by ``exportplan.i18n.message_text``. Both are merged into
the one label dictionary's tables (``exportplan.i18n``)."""

from __future__ import annotations

__all__ = ["FA_ERRORS", "FA_MESSAGES"]

#: by the English template of a domain error's ``template``
FA_ERRORS: dict[str, str] = {
    # ---- workbook archive checks (ingest/archive.py) ----
    "{file}: not a readable Excel workbook (not a zip archive)": "{file}: فایل اکسل خوانا "
    "نیست (بایگانی zip نیست)",
    "{file}: the archive has {count} members, more than the limit of {limit}": "{file}: "
    "بایگانی {count} جزء دارد، بیش از حد مجاز {limit}",
    "{file}: the workbook would unpack to {size_mb} MB, more than the limit of {limit_mb} MB; "
    "refused before reading": "{file}: این کاربرگ پس از باز شدن {size_mb} مگابایت می‌شود، بیش از "
    "حد مجاز {limit_mb} مگابایت؛ پیش از خواندن رد شد",
    "{file}: member {member} unpacks to {ratio} times its packed size (limit {limit}): a zip "
    "bomb, refused before reading": "{file}: جزء {member} پس از باز شدن {ratio} برابر حجم "
    "فشرده‌اش می‌شود (حد مجاز {limit}): بمب zip است و پیش از خواندن رد شد",
    "{file}: member {member} unpacks to more bytes than its header declares (a forged "
    "archive); refused before reading": "{file}: جزء {member} بیش از حجمی که سرآیندش اعلام "
    "می‌کند باز می‌شود (بایگانی جعلی)؛ پیش از خواندن رد شد",
    "{file}: member {member} is itself an archive; a workbook with nested archives is "
    "refused": "{file}: جزء {member} خود یک بایگانی است؛ کاربرگ دارای بایگانی تودرتو پذیرفته "
    "نمی‌شود",
    "{file}: member name {member} is not one a workbook has (an absolute path, '..', a "
    "backslash or a control character)": "{file}: نام جزء {member} از نام‌های یک کاربرگ نیست "
    "(مسیر مطلق، '..'، خط مورب وارونه یا نویسه کنترلی)",
    "{file}: member {member} appears more than once": "{file}: جزء {member} بیش از یک بار آمده است",
    "{file}: member {member} is encrypted or packed with method {method}, which a workbook "
    "does not use": "{file}: جزء {member} رمزگذاری شده یا با روش {method} فشرده شده که کاربرگ "
    "به کار نمی‌برد",
    "{file}: the archive is damaged ({problem})": "{file}: بایگانی آسیب دیده است ({problem})",
    # hints
    "save the sheet again from Excel as a plain .xlsx workbook": "کاربرگ را دوباره در اکسل به "
    "صورت یک فایل ساده .xlsx ذخیره کنید",
    "if the file is genuine, raise {setting} (docs/settings.md) or split the workbook": "اگر "
    "فایل اصل است، {setting} را افزایش دهید (docs/settings.md) یا کاربرگ را چند بخش کنید",
    # p16a: an agency member's refusal on a Persian page
    "{user} may edit only their own agency's {what}": (
        "شما فقط موارد دستگاه خود را می‌توانید ویرایش کنید"
    ),
}

#: by the English template of a message raised as text (``{name}`` a value kept as written)
FA_MESSAGES: dict[str, str] = {}
