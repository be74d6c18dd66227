"""Property test: the quick way to a file's UTF-8 bytes reads every file exactly as `decode` does.

`decode_with_utf8` skips the codec for ASCII files and for cp1252 files with few non-ASCII bytes;
whatever the bytes (UTF-8, cp1252, a mix, BOMs, UTF-16, old Mac line endings, noise), its text
and encoding must be `decode`'s, and the bytes it hands to Arrow must be that text in UTF-8.
"""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from kil_analysis.readers.decoding import decode, decode_with_utf8

TEXT = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from("£€’“”–…éÂ£ï»¿\u00a0\x92\ufffd"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=60,
)


def _encoded(text: str, encoding: str) -> bytes:
    if encoding == "cp1252":
        return text.encode("cp1252", errors="replace")
    return text.encode(encoding, errors="surrogatepass")


PIECE = st.one_of(
    st.tuples(TEXT, st.sampled_from(["ascii", "utf-8", "cp1252", "utf-16"])).map(
        lambda p: _encoded(p[0], p[1]) if p[1] != "ascii" else p[0].encode("ascii", "ignore")
    ),
    st.binary(max_size=20),
    st.sampled_from(
        [b"\xa3", b"\xc2\xa3", b"\r", b"\r\n", b"\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]
    ),
)


@given(pieces=st.lists(PIECE, max_size=12))
@settings(max_examples=400, deadline=None)
def test_quick_utf8_reads_as_decode_does(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    text, encoding, utf8 = decode_with_utf8(data)
    assert (text, encoding) == decode(data)
    if utf8 is not None:
        assert utf8 == text.encode("utf-8")
