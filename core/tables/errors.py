"""What a rejected import reports: one RowError per problem, collected (capped) into ImportFailed."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import AppError
from core.text import echo

# A file with a systematic mistake (say, a wrong column) has one problem per row. Keeping 2.2 million
# of them would cost memory and help nobody: the first MAX_KEPT_ERRORS are kept, the rest counted.
MAX_KEPT_ERRORS = 1000

# The message parameters that quote the file (cells, headers, names); the others are ours (lists of
# accepted values, reasons, counts) and are shown whole.
ECHOED_PARAMS = frozenset({"value", "column", "other", "name", "account", "first", "text", "original", "posts"})


class Message:
    """A translatable template and its parameters, rendered only when str() is called.

    `gettext_lazy(...) % params` would render at once in the language active at that moment; the web
    page and the command render errors later, in the reader's language.
    """

    __slots__ = ("params", "template")

    def __init__(self, template: object, **params: object) -> None:
        self.template = template
        # Cut at once, so that the kept errors do not hold on to huge cells.
        self.params = {key: echo(value) if key in ECHOED_PARAMS else value for key, value in params.items()}

    def __str__(self) -> str:
        params = {key: str(value) if isinstance(value, Promise) else value for key, value in self.params.items()}
        return str(self.template) % params if params else str(self.template)

    def __repr__(self) -> str:
        return f"Message({str(self)!r})"


@dataclass(frozen=True)
class RowError:
    """One problem in an import file.

    line: 1-based line of the file as a spreadsheet numbers it (the header is line 1), or None when the
    problem concerns the file as a whole. column: the header as written in the file, or None.
    message: translatable text (lazy), rendered in the language active when str() is called.
    """

    line: int | None
    column: str | None
    message: object

    def __post_init__(self) -> None:
        # A header is quoted back as written: cut like any quoted value (see echo).
        object.__setattr__(self, "column", echo(self.column))

    def __str__(self) -> str:
        values = {"line": self.line, "column": self.column, "reason": str(self.message)}
        if self.line is not None and self.column is not None:
            return gettext("line %(line)s, column %(column)s: %(reason)s") % values
        if self.line is not None:
            return gettext("line %(line)s: %(reason)s") % values
        if self.column is not None:
            return gettext("column %(column)s: %(reason)s") % values
        return values["reason"]


class ReadError(Exception):
    """The file cannot be read on (it is not CSV/XLSX, or a row breaks the CSV structure)."""

    def __init__(self, error: RowError) -> None:
        self.error = error
        super().__init__(str(error))



class ImportFailed(AppError):
    """The file was rejected and nothing was written.

    errors: the kept problems sorted by line (at most MAX_KEPT_ERRORS). total: how many problems were
    found in all (>= len(errors)); `more` is the number not kept.
    """

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        # Stable sort by line: problems of one line keep the order they were found in (column order).
        self.errors = sorted(errors, key=lambda error: error.line or 0)
        self.total = max(total or 0, len(self.errors))
        super().__init__(self.summary())

    @property
    def more(self) -> int:
        return self.total - len(self.errors)

    def summary(self) -> str:
        return gettext("The file was rejected with %(count)d problem(s); nothing was imported.") % {
            "count": self.total
        }

    def lines(self, limit: int | None = None) -> list[str]:
        """Every kept problem as one rendered line, then "… and N more" if some were not shown."""
        shown = self.errors if limit is None else self.errors[:limit]
        rendered = [str(error) for error in shown]
        hidden = self.total - len(shown)
        if hidden:
            rendered.append(gettext("… and %(count)d more problem(s)") % {"count": hidden})
        return rendered


@dataclass
class ErrorLog:
    """Collects RowErrors up to a cap and counts the rest."""

    cap: int = MAX_KEPT_ERRORS
    kept: list[RowError] = field(default_factory=list)
    total: int = 0

    def add(self, line: int | None, column: str | None, message: object) -> None:
        self.total += 1
        if len(self.kept) < self.cap:
            self.kept.append(RowError(line, column, message))

    def room(self) -> int:
        """How many more errors will be kept: callers format only that many messages."""
        return self.cap - len(self.kept)

    def count_only(self, count: int) -> None:
        self.total += count

    def __bool__(self) -> bool:
        return self.total > 0

    def failure(self) -> ImportFailed:
        return ImportFailed(self.kept, self.total)


# The messages of whole-file problems. Row problems are in validation.py and cells.py, next to their checks.
EMPTY_FILE = _("the file is empty")
HEADER_ONLY = _("the file has a header but no data rows")
UNREADABLE_FILE = _("the file cannot be read: %(reason)s")
TOO_MANY_FIELDS = _("this row has %(found)s values but the header has %(expected)s columns")
UNSUPPORTED_FORMAT = _("“%(name)s” is neither a .csv nor an .xlsx file")
UNSUPPORTED_FORMAT_JSON_LINES = _("“%(name)s” is not a .csv, .txt, .xlsx or .jsonl file")
MIXED_ENCODINGS = _(
    "this line is not valid UTF-8 although the lines before it are; the file mixes encodings — save it "
    "again as UTF-8 or GB18030"
)
HEADER_TOO_LONG = _(
    "the first line is longer than %(limit)d characters, too long for a header naming the columns; check "
    "that this is a snapshot file and that its lines end with line breaks"
)
NOT_UTF8_OR_GB18030 = _(
    "this line is neither UTF-8 nor GB18030 text; the file is in another encoding (Latin-1 or Windows-1252, "
    "say): save the file again as UTF-8, or give its encoding (Encoding on the upload page, --encoding "
    "with import_snapshots)"
)
GARBLED_TEXT = _(
    "the file is not UTF-8, and read as GB18030 this line holds “%(text)s”, with “%(character)s”, a "
    "character Chinese names do not use: the file is probably in another encoding (Latin-1 or Windows-1252, "
    "say). Save the file again as UTF-8, or give its encoding (Encoding on the upload page, --encoding "
    "with import_snapshots; GB18030 if it really is GB18030)"
)
NOT_IN_ENCODING = _(
    "this line is not text in the encoding %(encoding)s that was given; give the file's real encoding, or "
    "save the file again as UTF-8"
)
UNKNOWN_ENCODING = _("“%(name)s” is not an encoding this program knows; try utf-8, gb18030, utf-16 or latin-1")
REPLACEMENT_CHARACTER = _(
    "this line holds “�” (U+FFFD), the mark a program leaves where it could not read a character: the "
    "text was garbled before the file was saved; export the file again from its source"
)
HEADER_CELL_TOO_LONG = _("a cell of the header is longer than %(limit)d characters, too long to name a column")
TOO_MANY_VALUES = _(
    "this line has more than %(limit)d values, and a snapshot file has at most %(columns)d columns; check that "
    "the file is a table with one row per line"
)
WORKBOOK_PART_TOO_LARGE = _(
    "the workbook's part “%(name)s” unpacks to %(size)d MB, more than the %(limit)d MB it may have; copy the "
    "sheet into a new workbook, or save it as CSV"
)
SHEET_ITEM_TOO_LARGE = _(
    "the sheet holds a cell larger than %(limit)d MB, far more than an Excel cell can hold; the workbook is "
    "damaged or was not saved by a spreadsheet program"
)
SHEET_DECLARES_TOO_MANY_ROWS = _(
    "the sheet %(name)s declares %(rows)s data rows (its dimension), more than the %(limit)s an import reads; "
    "split the file")
SHEET_HAS_TOO_MANY_ROWS = _("the sheet %(name)s has more than %(limit)s data rows, the most an import reads; "
                            "split the file")
SHEET_TOO_MANY_ROWS = _("the sheet goes on past row %(limit)d, the last row Excel has; the workbook is damaged")
ROW_TOO_WIDE = _(
    "this row has a value beyond column %(limit)d, and a snapshot file has at most %(limit)d columns"
)
# The reasons UNREADABLE_FILE gives. The library's own (English) text goes to the log, not to the user.
NOT_A_WORKBOOK = _("it is not an Excel workbook (.xlsx), or it is damaged")
UNCLOSED_QUOTE = _("the quoted value that starts on line %(line)s is never closed")
BROKEN_CSV = _("its rows cannot be split into values; check that it is a CSV file saved from a spreadsheet")
NOT_TEXT = _("it is not text in UTF-8, GB18030 or UTF-16; save it again as UTF-8 or GB18030")

# Header cells and text cells: PostgreSQL text cannot hold NUL, and no name or code has a reason to hold
# any other C0 control character (tab, line feed and carriage return are allowed: quoted cells may wrap).
CONTROL_CHARACTER = _("this cell holds the control character %(code)s, which text cannot contain; remove it")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character_message(text: str) -> Message | None:
    """The CONTROL_CHARACTER message for the first control character in text, or None if it has none."""
    found = CONTROL_CHARACTERS.search(text)
    return Message(CONTROL_CHARACTER, code=f"U+{ord(found[0]):04X}") if found else None
