"""decode_bytes: what counts as text, and which encodings are recovered."""

from __future__ import annotations

import codecs

import pytest

from sitrep.errors import InputError
from sitrep.read.decode import decode_bytes, misspelt, too_large

FRENCH = (
    "Le cessez-le-feu a été signé l’an dernier à Genève, après des semaines de négociations. "
    "« C’est une étape décisive », a déclaré le ministre des Affaires étrangères, qui s’est "
    "félicité de l’accord conclu entre les deux délégations.\n"
)

# Central European news in Windows-1250: read as Windows-1252 they look almost as clean to
# charset-normalizer ("niedzielê", "nedìli"), but their letters fit no one alphabet.
POLISH = (
    "W niedzielę rząd przyjął projekt ustawy o pomocy dla rolników, których uprawy zniszczyła "
    "susza. Według ministra z pieniędzy skorzysta ponad dziesięć tysięcy gospodarstw, a "
    "wypłaty ruszą jeszcze przed końcem lata. Opozycja zarzuca rządowi, że działa zbyt późno, "
    "i domaga się pilnej debaty w Sejmie. Związki rolnicze zapowiadają protest w Warszawie.\n"
)
CZECH = (
    "V neděli večer vypukl v Brně požár skladovací haly na Průmyslové ulici. Hasiči bojovali "
    "s plameny několik hodin a obyvatelé okolních domů museli být evakuováni. Mluvčí hasičů "
    "uvedl, že nikdo nebyl zraněn, škody jsou však značné. Příčinu požáru vyšetřuje policie.\n"
)


def reason(data: bytes) -> str:
    with pytest.raises(InputError) as info:
        decode_bytes(data)
    return info.value.reason


def test_utf8_with_and_without_bom() -> None:
    assert decode_bytes(FRENCH.encode("utf-8")) == FRENCH
    assert decode_bytes(codecs.BOM_UTF8 + FRENCH.encode("utf-8")) == FRENCH


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding: str) -> None:
    data = FRENCH.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_bytes(data) == FRENCH


def test_cp1252_french_is_recovered() -> None:
    text = decode_bytes(FRENCH.encode("cp1252"))
    assert text == FRENCH
    assert "é" in text and "’" in text and "«" in text


def test_latin1_french_is_recovered() -> None:
    latin1 = FRENCH.replace("’", "'")
    text = decode_bytes(latin1.encode("latin-1"))
    assert text == latin1
    assert "été" in text


def test_short_latin1_french_is_not_read_as_a_look_alike() -> None:
    assert decode_bytes("Genève, à la frontière".encode("latin-1")) == "Genève, à la frontière"
    short = "Il a été élu à Genève, après un vote très serré."
    assert decode_bytes(short.encode("latin-1")) == short


@pytest.mark.parametrize("text", [POLISH, CZECH], ids=["polish", "czech"])
def test_cp1250_is_not_read_as_cp1252(text: str) -> None:
    assert decode_bytes(text.encode("cp1250")) == text


def test_misspelt_counts_letters_outside_one_alphabet() -> None:
    assert misspelt(POLISH) == (0, 23, 0)
    # As Windows-1252 reads it: ę as ê, ą as ¹, ł as ³, ż as ¿...
    bad, total, _ = misspelt(POLISH.encode("cp1250").decode("cp1252"))
    assert total == 23 and bad >= 10
    assert misspelt(FRENCH) == (0, 17, 0)
    assert misspelt("Правительство одобрило") == (0, 0, 21)  # other scripts are not judged


def test_declared_charset_is_used_when_it_fits() -> None:
    assert decode_bytes("Genève".encode("latin-1"), charset="iso-8859-1") == "Genève"
    assert decode_bytes("Łódź i Kraków".encode("cp1250"), charset="cp1250") == "Łódź i Kraków"
    # Latin-1 labels are read as Windows-1252, as browsers do: the ’ survives.
    assert decode_bytes("l’accord".encode("cp1252"), charset="ISO-8859-1") == "l’accord"
    # A wrong or unknown declaration is not trusted over UTF-8.
    assert decode_bytes("Genève".encode(), charset="iso-8859-1") == "Genève"
    assert decode_bytes("Genève".encode(), charset="no-such-charset") == "Genève"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8 + b"  \n"])
def test_empty(data: bytes) -> None:
    assert reason(data) == "empty"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"plain words then a NUL\x00 byte",
        bytes(range(1, 9)) * 200,  # control characters only, no NUL
    ],
    ids=["png", "pdf", "zip", "gzip", "nul", "controls"],
)
def test_binary(data: bytes) -> None:
    assert reason(data) == "binary"


def test_undecodable() -> None:
    assert reason(bytes(range(128, 256)) * 20) == "undecodable"


def test_message_is_one_readable_sentence() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(b"\x89PNG\r\n\x1a\n")
    assert str(info.value) == "the input is a PNG image, not text"


def test_too_large_detail() -> None:
    err = too_large(52_428_800, 10_485_760)
    assert err.reason == "too_large"
    assert str(err) == "52,428,800 bytes; the limit is 10,485,760 (--max-bytes)"
    assert str(too_large(100, 99, at_least=True)).startswith("more than 100 bytes")
