"""The encoding of a CSV file: given by the user, or detected, and in either case checked line by line.

Detection reads the whole file in blocks (memory stays flat): a byte order mark decides; else strict UTF-8
from end to end is UTF-8; else GB18030 (what Chinese Excel and monitoring platforms export), but only if
every line then reads as everyday Chinese. Lines are numbered as the file's own (the header is line 1).
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import BinaryIO

from core.tables import bounds
from core.tables.errors import (
    GARBLED_TEXT,
    MIXED_ENCODINGS,
    NOT_IN_ENCODING,
    NOT_UTF8_OR_GB18030,
    REPLACEMENT_CHARACTER,
    UNKNOWN_ENCODING,
    Message,
    ReadError,
    RowError,
)

SCAN_BLOCK = 1 << 20
# The names of UTF-8, whose byte order mark a decoder for an explicitly given "utf-8" would keep.
_UTF8_NAMES = {"utf-8", "utf_8", "utf8"}


def _bom_encoding(first_block: bytes) -> str | None:
    """The encoding a byte order mark announces: UTF-8, or UTF-16 in either byte order (Excel's "Unicode
    text")."""
    if first_block.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if first_block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Python's utf-16 codec reads the BOM, picks the byte order and drops the BOM
    return None


class _Lines:
    """Follows decoded text: the number of the current physical line, and whether a line that has
    already ended holds a non-ASCII character (in UTF-8, a valid multi-byte sequence)."""

    def __init__(self) -> None:
        self.line_feeds = self.carriage_returns = 0
        self.multibyte_before = False  # on a line that has ended
        self._multibyte_open = False  # on the line not ended yet

    def feed(self, text: str) -> None:
        self.line_feeds += text.count("\n")
        self.carriage_returns += text.count("\r")
        if self.multibyte_before:
            return
        end = max(text.rfind("\n"), text.rfind("\r"))
        if end < 0:
            self._multibyte_open = self._multibyte_open or not text.isascii()
            return
        self.multibyte_before = self._multibyte_open or not text[:end].isascii()
        self._multibyte_open = not text[end + 1:].isascii()

    @property
    def line(self) -> int:
        # Lines end in LF (Unix, Windows) or, in old Mac files only, CR. A quoted cell that wraps counts each
        # of its physical lines here: that only shifts the number in a file that is rejected anyway.
        return (self.line_feeds or self.carriage_returns) + 1


@dataclass(frozen=True)
class _Utf8Scan:
    newlines: int
    invalid_line: int | None  # the line of the first byte that is not UTF-8; None: the whole file is UTF-8
    utf8_before: bool  # whether the lines before that one hold multi-byte UTF-8 characters
    replacement_line: int | None  # the first line holding U+FFFD (in UTF-8), or None


_REPLACEMENT_UTF8 = "\ufffd".encode()


def _decode_block(
    decoder: codecs.IncrementalDecoder, block: bytes, lines: _Lines, *, final: bool = False
) -> int | None:
    """Decode one block and follow its lines; return the line of the first invalid byte, or None."""
    held_back = decoder.getstate()[0]  # the start of a character cut at the previous block's end
    try:
        lines.feed(decoder.decode(block, final))
    except UnicodeDecodeError as error:
        # error.start counts from the held-back bytes; everything before it is valid UTF-8.
        lines.feed((held_back + block)[:error.start].decode("utf-8"))
        return lines.line
    return None


def _scan_utf8(stream: BinaryIO, first: bytes, widths: bounds.LineWidths) -> _Utf8Scan:
    """Whether (and where) the file stops being strict UTF-8, and its newline count, reading on from after
    `first`. widths follows every block."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    lines = _Lines()
    block, newlines, invalid_line, replacement_line = first, 0, None, None
    while block:
        if replacement_line is None and (at := block.find(_REPLACEMENT_UTF8)) >= 0:
            replacement_line = newlines + block.count(b"\n", 0, at) + 1
        newlines += block.count(b"\n")
        widths.feed(block)
        if invalid_line is None:
            invalid_line = _decode_block(decoder, block, lines)
        block = stream.read(SCAN_BLOCK)
    if invalid_line is None:
        invalid_line = _decode_block(decoder, b"", lines, final=True)
    return _Utf8Scan(newlines, invalid_line, lines.multibyte_before, replacement_line)


def _count_utf16_newlines(stream: BinaryIO, first: bytes, widths: bounds.LineWidths) -> int:
    # Counting b"\n" bytes would also count halves of other characters (上 is U+4E0A): decode instead.
    decoder = codecs.getincrementaldecoder("utf-16")("replace")
    block, newlines = first, 0
    while block:
        text = decoder.decode(block)
        newlines += text.count("\n")
        widths.feed(text.encode())
        block = stream.read(SCAN_BLOCK)
    return newlines


# Characters GB18030 decodes from the GB2312 byte range that Python's gb2312 codec maps elsewhere.
_GB2312_TWINS = ("\u00b7", "\u2014")  # · —


def _implausible_gb18030(text: str) -> int | None:
    """The position of the first character Chinese text in GB18030 would hardly hold, or None.

    Chinese names and their punctuation are in GB2312 (the 7,445 everyday characters); what lies beyond it
    in GBK/GB18030 is rare characters, and exactly what bytes of another encoding turn into: Latin-1's
    "Zürich" reads as "Z黵ich". Checked at C speed by encoding to gb2312.
    """
    plain = text
    for twin in _GB2312_TWINS:
        plain = plain.replace(twin, "")
    try:
        plain.encode("gb2312")
    except UnicodeEncodeError as error:
        return text.index(plain[error.start])
    return None


def _line_excerpt(text: str, position: int) -> str:
    """The text from the start of the cell around position (at most 20 characters before it) to the end
    of its line, for a message (which cuts it further)."""
    cell_start = max(text.rfind(mark, 0, position) for mark in ("\n", ",", "\t")) + 1
    end = text.find("\n", position)
    return text[max(cell_start, position - 20):end if end >= 0 else len(text)].rstrip("\r")


def _text_problem(text: str, line: int, *, guessed: bool) -> RowError | None:
    """A U+FFFD in decoded text, or (in a guessed GB18030 file) a character outside GB2312: the first one,
    with its line (counted from `line`, the line the text starts on)."""
    replacement = text.find("\ufffd")
    implausible = _implausible_gb18030(text) if guessed else None
    if replacement < 0 and implausible is None:
        return None
    if implausible is None or 0 <= replacement < implausible:
        return RowError(line + text.count("\n", 0, replacement), None, REPLACEMENT_CHARACTER)
    return RowError(line + text.count("\n", 0, implausible), None, Message(
        GARBLED_TEXT, character=text[implausible], text=_line_excerpt(text, implausible)))


def _check_text(stream: BinaryIO, first: bytes, encoding: str, *, guessed: bool,
                widths: bounds.LineWidths | None = None) -> int:
    """Decode the whole file strictly, in blocks; return its newline count. A byte that is not text in the
    encoding, or a character that betrays a wrong encoding (see _text_problem), is a ReadError at its line.
    widths (if given) follows the text, as UTF-8."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    block, newlines = first, 0
    while True:
        state = decoder.getstate()
        try:
            text = decoder.decode(block, not block)
        except UnicodeError:  # a decode error, or a codec such as idna refusing the text as a whole
            reason = NOT_UTF8_OR_GB18030 if guessed else Message(NOT_IN_ENCODING, encoding=encoding)
            raise ReadError(RowError(newlines + _lines_before_bad_byte(encoding, state, block), None,
                                     reason)) from None
        if (problem := _text_problem(text, newlines + 1, guessed=guessed)) is not None:
            raise ReadError(problem)
        newlines += text.count("\n")
        if widths is not None:
            widths.feed(text.encode())
        if not block:
            return newlines
        block = stream.read(SCAN_BLOCK)


def _lines_before_bad_byte(encoding: str, state: tuple, block: bytes) -> int:
    """1 + the line ends in the block before its first undecodable byte: where the same decoding, made
    lenient, puts its first replacement character (the start of the block if even that fails)."""
    lenient = codecs.getincrementaldecoder(encoding)("replace")
    lenient.setstate(state)
    try:
        text = lenient.decode(block, not block)
    except UnicodeError:
        return 1
    return text.count("\n", 0, max(text.find("\ufffd"), 0)) + 1


def given_encoding(name: str) -> str:
    """The codec for an encoding the user named ("latin-1", "GBK", …); ReadError if Python has none that
    turns bytes into text ("base64" and "hex" turn bytes into bytes; "undefined" refuses every byte)."""
    try:
        codec = codecs.lookup(name)
    except LookupError:
        codec = None
    # _is_text_encoding is how Python itself tells text encodings from the others (bytes.decode uses it).
    if codec is None or not getattr(codec, "_is_text_encoding", True) or codec.name == "undefined":
        raise ReadError(RowError(None, None, Message(UNKNOWN_ENCODING, name=name)))
    return codec.name


def _detect(stream: BinaryIO, first: bytes, widths: bounds.LineWidths) -> tuple[str, int]:
    """Encoding and newline count of a file whose encoding was not given (see detect_encoding)."""
    encoding = _bom_encoding(first)
    if encoding == "utf-16":
        return encoding, _count_utf16_newlines(stream, first, widths)
    scan = _scan_utf8(stream, first, widths)
    # GBK bytes can happen to form a valid UTF-8 sequence or two, but not the whole of a Chinese line:
    # hence only multi-byte characters on earlier lines count as evidence of a UTF-8 file.
    if scan.invalid_line is not None and (encoding == "utf-8-sig" or scan.utf8_before):
        raise ReadError(RowError(scan.invalid_line, None, MIXED_ENCODINGS))
    if scan.invalid_line is None:
        if scan.replacement_line is not None:
            raise ReadError(RowError(scan.replacement_line, None, REPLACEMENT_CHARACTER))
        return encoding or "utf-8", scan.newlines
    # Not UTF-8: GB18030 is a guess, checked line by line (a Latin-1 file must not become 黵 silently).
    stream.seek(0)
    return "gb18030", _check_text(stream, stream.read(SCAN_BLOCK), "gb18030", guessed=True)


def detect_encoding(stream: BinaryIO, encoding: str | None = None,
                    widths: bounds.LineWidths | None = None) -> tuple[str, int, str]:
    """Return (encoding, newline count, first block as text) and rewind the stream. widths, if given,
    follows the lines of the file for their number of values (see bounds.LineWidths).

    A given encoding is used as it is (a UTF-8 byte order mark is dropped), each line checked to be text in
    it. Otherwise a byte order mark decides: utf-8-sig, or utf-16 (LE or BE). Otherwise a file that decodes
    as strict UTF-8 from end to end is utf-8; a file whose first invalid byte comes before any multi-byte
    UTF-8 character (on an earlier line) is taken as GB18030 (a superset of GBK and GB2312, what Chinese
    Excel and monitoring platforms export), provided every line reads as plausible Chinese text: a line
    with a character beyond GB2312 (what Latin-1 or Windows-1252 bytes become) is rejected (ReadError),
    and the user asked to give the encoding. A file with UTF-8 characters on the lines before its first
    invalid byte, or a UTF-8 BOM and an invalid byte, mixes encodings (rows pasted from another export):
    read as GB18030, every Chinese name in it would be garbled (长沙 -> 闀挎矙) without a single error, so it
    is rejected (ReadError) at the line of that byte. A line holding U+FFFD (a character garbled before
    the file was saved) is rejected too. The whole file is scanned in blocks, so memory stays flat. The
    first block's text has no BOM; a character cut at the block's end is left out.
    """
    first = stream.read(SCAN_BLOCK)
    widths = widths or bounds.LineWidths()
    if encoding is None:
        encoding, newlines = _detect(stream, first, widths)
    else:
        encoding = given_encoding(encoding)
        if encoding in _UTF8_NAMES and first.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        newlines = _check_text(stream, first, encoding, guessed=False, widths=widths)
    stream.seek(0)
    head = codecs.getincrementaldecoder(encoding)("replace").decode(first)
    return encoding, newlines, head
