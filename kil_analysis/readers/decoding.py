"""Published bytes to text, whatever encoding the council's system wrote.

`decode` returns the text and the encoding as reported in the ingest report:

- ``utf-8`` / ``utf-8-sig`` (with a BOM) when the bytes are valid UTF-8;
- ``utf-16-le`` / ``utf-16-be`` (Excel's "Unicode text" export) from a BOM, or without one when
  every other byte of the opening is NUL; ``utf-32-*`` from a BOM;
- ``cp1252`` when the bytes are not UTF-8 and hold no UTF-8 sequence at all (Newcastle's £ is
  byte 0xA3); ``utf-8+cp1252`` when valid UTF-8 and stray cp1252 bytes are mixed (each stray
  byte is read as cp1252; the five bytes cp1252 leaves undefined as latin-1).

The scans for UTF-8 sequences and mojibake run over the bytes or code points with numpy; the
(slow) regular expressions run only where those scans found something. Then, each repair
named in the encoding: ``+double-encoded-bom`` (a BOM saved twice, ``ï»¿``) or
``+double-encoded(repaired)`` when the whole text was UTF-8 read as cp1252 and saved again;
``+mojibake-repaired`` when only some runs were (``Â£`` → ``£``, ``â€™`` → ``’``);
``+c1-as-cp1252`` (cp1252 punctuation stored as C1 controls, U+0092 for ’);
``+replacement-characters`` when the text holds U+FFFD (a character lost before publication:
kept as it is, and an amount reading ``�3,750.00`` still parses). Old Mac line endings (CR
only) become newlines.
"""

from __future__ import annotations

import codecs
import re

import numpy as np

DOUBLE_BOM = "ï»¿"
_FALLBACK = "kil-cp1252-fallback"
_FALLBACK_LATIN1 = "kil-latin1-fallback"
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_C1 = re.compile("[\x80-\x9f]")


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors=_FALLBACK_LATIN1), exc.end


codecs.register_error(_FALLBACK, _cp1252_fallback)
codecs.register_error(_FALLBACK_LATIN1, _latin1_fallback)

# cp1252 decodings of the UTF-8 continuation bytes 0x80-0xBF, and of the lead bytes.
# (cp1252 decoders give ‰ for 0x89, latin-1 decoders U+0089: both are found and repaired.)
_CONTINUATION = bytes(range(0x80, 0xC0)).decode("cp1252", errors=_FALLBACK_LATIN1) + "".join(
    chr(i) for i in range(0x80, 0xA0)
)
_C = "[" + re.escape(_CONTINUATION) + "]"
_MOJIBAKE = re.compile(
    f"(?:[\u00c2-\u00df]{_C}|[\u00e0-\u00ef]{_C}{{2}}|[\u00f0-\u00f4]{_C}{{3}})+"
)
_C1_TO_CP1252 = {
    i: bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(0x80, 0xA0)
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_CONTINUATION_POINTS = np.array(sorted({ord(c) for c in _CONTINUATION}), dtype=np.uint32)


def _has_utf8_sequence(body: bytes) -> bool:
    """True when the bytes hold at least one well-formed UTF-8 multi-byte start."""
    raw = np.frombuffer(body, dtype=np.uint8)
    if len(raw) < 2:
        return False
    lead = (raw[:-1] >= 0xC2) & (raw[:-1] <= 0xF4)
    return bool((lead & (raw[1:] >= 0x80) & (raw[1:] <= 0xBF)).any()) and bool(
        _UTF8_SEQUENCE.search(body)
    )


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)


def _may_hold_mojibake(points: np.ndarray) -> bool:
    """True when a lead character of cp1252-read UTF-8 is followed by a continuation one."""
    lead = (points[:-1] >= 0xC2) & (points[:-1] <= 0xF4)
    if not lead.any():
        return False
    return bool((lead & np.isin(points[1:], _CONTINUATION_POINTS)).any())


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL is every other byte of the opening (ASCII text in UTF-16)."""
    head = data[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def _repair_mojibake(text: str) -> tuple[str, bool]:
    """Runs of UTF-8 read as cp1252 (``Â£``, ``â€™``) turned back into what was meant."""
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        run = match.group(0)
        try:
            repaired = run.encode("cp1252", errors=_LATIN1_ENCODE).decode("utf-8")
        except UnicodeError:
            return run
        changed = changed or repaired != run
        return repaired

    return _MOJIBAKE.sub(fix, text), changed


_LATIN1_ENCODE = "kil-latin1-encode"


def _latin1_encode(exc: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return exc.object[exc.start : exc.end].encode("latin-1"), exc.end


codecs.register_error(_LATIN1_ENCODE, _latin1_encode)


def decode(data: bytes) -> tuple[str, str]:
    """Decode a published text file's bytes; returns (text, encoding as reported).

    See the module docstring for the encodings recognised and the repairs made. Never raises
    for any bytes: undecodable bytes are read as cp1252/latin-1.
    """
    name = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            name, body = codec, data[len(bom) :]
            break
    else:
        body = data
    if not name:
        name = _utf16_without_bom(data) or ""
    if name.startswith(("utf-16", "utf-32")):
        text = body.decode(name, errors="replace")
    else:
        name = name or "utf-8"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            if _has_utf8_sequence(body):
                text, name = body.decode("utf-8", errors=_FALLBACK), "utf-8+cp1252"
            else:
                text, name = body.decode("cp1252", errors=_FALLBACK_LATIN1), "cp1252"
    if text.startswith(DOUBLE_BOM):
        text = text[len(DOUBLE_BOM) :]
        try:
            repaired = text.encode("cp1252").decode("utf-8")
            if repaired != text:
                text, name = repaired, name + "+double-encoded(repaired)"
            else:
                name += "+double-encoded-bom"
        except UnicodeError:
            name += "+double-encoded-bom"
    # Text decoded as cp1252 from bytes with no UTF-8 sequence holds no mojibake (its lead and
    # continuation characters would be such a sequence in the bytes) and no C1 character that
    # cp1252 could translate: the scans below would find nothing.
    plain_cp1252 = name == "cp1252"
    if not text.isascii() and not plain_cp1252:
        points = _code_points(text)
        if _may_hold_mojibake(points):
            text, repaired_runs = _repair_mojibake(text)
            if repaired_runs:
                name += "+mojibake-repaired"
                points = _code_points(text)
        if ((points >= 0x80) & (points <= 0x9F)).any():  # cp1252 punctuation as C1 (U+0092)
            translated = _C1.sub(lambda m: _C1_TO_CP1252[ord(m.group(0))], text)
            if translated != text:
                text, name = translated, name + "+c1-as-cp1252"
        if "\ufffd" in text:
            name += "+replacement-characters"
    if "\r" in text and "\n" not in text:  # old Mac line endings
        text = text.replace("\r", "\n")
    return text, name


# Each byte 0x80-0xFF as UTF-8, read as `decode` reads a cp1252 file (undefined bytes: latin-1).
_CP1252_UTF8 = [
    bytes([i]).decode("cp1252", errors=_FALLBACK_LATIN1).encode("utf-8") for i in range(256)
]
_ASCII = bytes(range(0x80))
SPLICE_LIMIT = 10_000  # more non-ASCII bytes than this: the codecs are quicker than splicing
_LEADS = frozenset(range(0xC2, 0xF5))  # bytes that can start a UTF-8 sequence
_FOLLOWS = frozenset(range(0x80, 0xC0))  # bytes that can continue one


def decode_with_utf8(data: bytes) -> tuple[str, str, bytes | None]:
    """`decode`, and the text's UTF-8 bytes when they come without encoding the text again.

    Returns (text, encoding, UTF-8 bytes or None). Most published files are ASCII, or cp1252
    with a few ``£`` signs: an ASCII file is its own UTF-8; in a cp1252 file with no UTF-8
    sequence and at most `SPLICE_LIMIT` non-ASCII bytes, each is replaced by its UTF-8 form
    (found with ``bytes.find``, one search per byte value present) and the text decoded from
    the result, instead of a cp1252 decode and a UTF-8 encode of the whole file. The text and
    encoding are exactly `decode`'s.
    """
    mac = b"\r" in data and b"\n" not in data
    if mac or data.startswith(tuple(bom for bom, _ in _BOMS)) or _utf16_without_bom(data):
        text, name = decode(data)
        return text, name, None
    if data.isascii():
        return data.decode("ascii"), "utf-8", data
    high = data.translate(None, _ASCII)  # the non-ASCII bytes
    values = set(high)
    maybe_utf8 = bool(values & _LEADS) and bool(values & _FOLLOWS)
    if len(high) <= SPLICE_LIMIT and not (maybe_utf8 and _has_utf8_sequence(data)):
        utf8 = _spliced(data, values)  # decode would read these bytes as cp1252
        return utf8.decode("utf-8"), "cp1252", utf8
    text, name = decode(data)
    return text, name, data if name == "utf-8" else None


def _spliced(data: bytes, values: set[int]) -> bytes:
    """``data`` with each byte of ``values`` (all >= 0x80) replaced by its cp1252 UTF-8 form."""
    places = []
    for value in values:
        mark = bytes([value])
        at = data.find(mark)
        while at >= 0:
            places.append(at)
            at = data.find(mark, at + 1)
    pieces, start = [], 0
    for at in sorted(places):
        pieces += [data[start:at], _CP1252_UTF8[data[at]]]
        start = at + 1
    pieces.append(data[start:])
    return b"".join(pieces)
