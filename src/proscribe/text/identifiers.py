"""Identifier normalisation and check-digit validation.

The screening index turns every identifier a list states (and every identifier a query brings)
into one or more lookup *keys*, so that the same identifier written differently lands on the same
key: ``IMO 9187629`` and ``9187629`` are ``imo:9187629``; ``https://WWW.IntegrityTech.com.cn/about``
is ``web:integritytech.com.cn``; ``A 1234-567`` issued by Iran is ``passport:ir:A1234567`` and
``passport:A1234567``.

Each key comes as a :class:`NormalisedId` that also says whether the value passed its check digit
or strict format (``valid``), why not (``reason``, worded for an analyst), and whether an exact hit
on it alone identifies one party (``strong``). Invalid values still get a key: lists contain typos,
and the scorer weighs ``valid``.

Key layout (what the index stores and looks up):

==================  ==========================================================================
``uscc:V``          Chinese Unified Social Credit Code (GB 32100-2015), strong when valid
``lei:V``           Legal Entity Identifier (ISO 17442), strong when valid
``imo:V``           IMO ship number or IMO company/registered-owner number, strong when valid
``mmsi:V``          Maritime Mobile Service Identity: weak (numbers are reused)
``bic:V``           SWIFT/BIC: the 8-character form always, the 11-character form too when a
                    branch other than ``XXX`` is given; strong when valid
``crypto:A``        digital currency address (currency is metadata, not part of the key); strong
``web:D``           website domain, weak
``email:E``         e-mail address, weak
``phone:D``         phone number digits, weak
``inn:V``/``ogrn:V``  Russian taxpayer / state registration numbers; strong when valid
``T:cc:V``, ``T:V``  document numbers (``passport``, ``national_id``, ``tax_id``, ``registration``,
                    ``other``) with and without the issuing country; weak
``id:V``            every document-like number once more, type-less, so a number filed under
                    another type by a list or a caller (``idNumber`` vs ``registrationNumber``)
                    still meets its twin; weak
==================  ==========================================================================

A document-like number that is, by its shape and check character, a USCC or an LEI (or carries an
explicit ``IMO`` prefix) also yields that strong key, and with country ``ru`` a valid INN/OGRN
tax/registration number also yields the ``inn:``/``ogrn:`` key: a query's ``registrationNumber``
``91110108562135265P`` then meets a list's USCC.

Everything here is a pure function; regexes and tables are built once at import.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rigour.territories import get_territories, lookup_territory
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.ru import inn as _ru_inn
from stdnum.ru import ogrn as _ru_ogrn

from proscribe.text.render import render_identifier

__all__ = [
    "CANONICAL_TYPES",
    "NormalisedId",
    "STRONG_TYPES",
    "canonical_type",
    "clean_document_number",
    "detect_type",
    "normalise_country",
    "normalise_crypto_address",
    "normalise_currency",
    "normalise_email",
    "normalise_identifier",
    "normalise_website",
    "validate_bic",
    "validate_crypto",
    "validate_imo",
    "validate_inn",
    "validate_lei",
    "validate_mmsi",
    "validate_ogrn",
    "validate_uscc",
]


@dataclass(frozen=True)
class NormalisedId:
    """One lookup key for an identifier.

    ``type``: the canonical type (one of :data:`CANONICAL_TYPES`); ``key``: the lookup key;
    ``valid``: ``True``/``False`` where a check digit or strict format was verified, ``None`` where
    no check is possible; ``strong``: an exact hit alone identifies one party; ``reason``: why the
    value is invalid, for an analyst; ``currency``: for crypto addresses, the normalised currency
    code (``XBT`` for bitcoin) when known. It is metadata only and never part of the key.
    ``disguise``: what was undone to read the value (``look-alike letters folded
    (Cyrillic→Latin)``), when anything was.
    """

    type: str
    key: str
    valid: bool | None
    strong: bool
    reason: str | None = None
    currency: str | None = None
    disguise: str | None = None


CANONICAL_TYPES: tuple[str, ...] = (
    "uscc",
    "lei",
    "imo",
    "mmsi",
    "swift_bic",
    "crypto",
    "website",
    "email",
    "phone",
    "passport",
    "national_id",
    "tax_id",
    "registration",
    "inn",
    "ogrn",
    "other",
)

#: Types whose *valid* values identify one party on an exact hit. An invalid value is never strong.
#: INN and OGRN are here because each valid number is issued to exactly one Russian taxpayer /
#: registered entity, like a USCC in China.
STRONG_TYPES: frozenset[str] = frozenset({"uscc", "lei", "imo", "swift_bic", "crypto", "inn", "ogrn"})

#: Document-like types: cleaned to letters and digits, uppercased, keyed with and without country.
_DOCUMENT_TYPES = frozenset({"passport", "national_id", "tax_id", "registration", "other"})

# Caller spellings of a type (FtM property names, list labels) -> canonical type. Looked up after
# lowercasing and dropping everything but letters and digits.
_TYPE_ALIASES: dict[str, str] = {
    **{t.replace("_", ""): t for t in CANONICAL_TYPES},
    "passportnumber": "passport",
    "passportno": "passport",
    "idnumber": "national_id",
    "nationalidnumber": "national_id",
    "nationalidno": "national_id",
    "nationalid": "national_id",
    "taxnumber": "tax_id",
    "taxidno": "tax_id",
    "taxid": "tax_id",
    "vatnumber": "tax_id",
    "vatcode": "tax_id",
    "registrationnumber": "registration",
    "registrationid": "registration",
    "registrationno": "registration",
    "companynumber": "registration",
    "unifiedsocialcreditcode": "uscc",
    "unifiedsocialcreditcodeuscc": "uscc",
    "leicode": "lei",
    "legalentitynumber": "lei",
    "legalentityidentifier": "lei",
    "imonumber": "imo",
    "vesselregistrationidentification": "imo",
    "mmsinumber": "mmsi",
    "swiftbic": "swift_bic",
    "swift": "swift_bic",
    "bic": "swift_bic",
    "biccode": "swift_bic",
    "swiftcode": "swift_bic",
    "url": "website",
    "web": "website",
    "domain": "website",
    "emailaddress": "email",
    "phonenumber": "phone",
    "telephone": "phone",
    "inncode": "inn",
    "ogrncode": "ogrn",
    "cryptowallet": "crypto",
    "cryptowallets": "crypto",
    "digitalcurrencyaddress": "crypto",
    "cryptoaddress": "crypto",
    "wallet": "crypto",
}

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_WHITESPACE = re.compile(r"\s+", re.UNICODE)

# ISO 3166-1 alpha-2 codes in use (plus XK, Kosovo, which BIC and most lists use). Rigour also
# knows a few exceptionally reserved or non-ISO codes that no bank or domain registry uses as a
# country; they are taken out here.
_NOT_ISO_COUNTRIES = frozenset({"ac", "cp", "cq", "dg", "eu", "ic", "ip", "ta", "un", "zz"})
_ISO_COUNTRIES: frozenset[str] = frozenset(
    t.code
    for t in get_territories()
    if len(t.code) == 2 and t.code.isalpha() and not t.is_historical and t.code not in _NOT_ISO_COUNTRIES
)


# -- small shared helpers -------------------------------------------------------------------------


def _nfkc(value: str) -> str:
    """The identifier as a reader sees it (:func:`proscribe.text.render.render_identifier`):
    full-width and compatibility characters folded (``９１１`` -> ``911``), invisible characters
    dropped, look-alike letters of other scripts read as the Latin letters they imitate
    (a Cyrillic ``Р`` in a USCC is ``P``), ends trimmed."""
    return render_identifier(value).text


def _nfkc_text(value: str) -> str:
    """As :func:`_nfkc` for websites and e-mail addresses, whose international names are real:
    only words mixing Latin with look-alike letters are folded."""
    return render_identifier(value, fold_all=False).text


def clean_document_number(value: str) -> str:
    """Letters and digits only, uppercased: ``A 1234-567`` -> ``A1234567``, ``92/664`` -> ``92664``."""
    return _NON_ALNUM.sub("", _nfkc(value)).upper()


def canonical_type(type: str | None) -> str | None:
    """The canonical identifier type for a caller's spelling (``passportNumber``, ``SWIFT/BIC``,
    ``leiCode``, ``uscc``), or ``None`` when it is empty or unknown."""
    if not type:
        return None
    return _TYPE_ALIASES.get(_NON_ALNUM.sub("", type).lower())


@lru_cache(maxsize=4096)
def normalise_country(country: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code in lower case, from a code or a country name; ``None`` when the
    country is empty or unknown. ``UK`` becomes ``gb``."""
    if not country:
        return None
    text = country.strip().lower()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return "gb" if text == "uk" else text
    territory = lookup_territory(text)
    if territory is not None and len(territory.code) == 2:
        return territory.code
    return None


# -- USCC (GB 32100-2015) -------------------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_USCC_VALUES = {ch: i for i, ch in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


def _uscc_check_character(first17: str) -> str:
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> tuple[bool, str | None]:
    """Check a Chinese Unified Social Credit Code: 18 characters from the GB 32100-2015 alphabet,
    a 6-digit administrative division code in positions 3-8, and the check character (weights
    3^i mod 31 over the first 17 characters; check = 31 - sum mod 31, 31 counting as 0)."""
    code = clean_document_number(value)
    if len(code) != 18:
        return False, f"USCC must be 18 characters, found {len(code)}"
    for ch in code:
        if ch not in _USCC_VALUES:
            return False, f"USCC contains {ch!r}, which GB 32100-2015 does not use (no I, O, S, V, Z)"
    if not code[2:8].isdigit():
        return False, f"USCC characters 3-8 must be a 6-digit region code, found {code[2:8]!r}"
    expected = _uscc_check_character(code[:17])
    if code[17] != expected:
        return False, f"USCC check character should be {expected!r}, found {code[17]!r}"
    return True, None


# -- LEI (ISO 17442) ------------------------------------------------------------------------------

_LEI_SHAPE = re.compile(r"[0-9A-Z]{18}[0-9]{2}")


def _mod97(code: str) -> int:
    """ISO 7064 mod 97-10 remainder with letters counted A=10 .. Z=35."""
    remainder = 0
    for ch in code:
        digits = str(int(ch, 36))
        for d in digits:
            remainder = (remainder * 10 + ord(d) - 48) % 97
    return remainder


def validate_lei(value: str) -> tuple[bool, str | None]:
    """Check a Legal Entity Identifier: 20 letters/digits, two numeric check digits, and the
    ISO 7064 mod 97-10 remainder of the whole code equal to 1."""
    code = clean_document_number(value)
    if len(code) != 20:
        return False, f"LEI must be 20 characters, found {len(code)}"
    if not code.isascii() or not code.isalnum():
        return False, "LEI may contain only the letters A-Z and digits"
    if not code[18:].isdigit():
        return False, f"LEI must end in two check digits, found {code[18:]!r}"
    if _mod97(code) != 1:
        expected = 98 - _mod97(code[:18] + "00")
        return False, f"LEI check digits should be '{expected:02d}', found {code[18:]!r}"
    return True, None


# -- IMO ship and company numbers -----------------------------------------------------------------

_IMO_PREFIX = re.compile(r"^\s*IMO\s*(?:N[O0]\.?|NUMBER|#|:)?\s*", re.IGNORECASE)


def _imo_digits(value: str) -> str:
    return clean_document_number(_IMO_PREFIX.sub("", _nfkc(value)))


def _imo_ship_check(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits[:6], (7, 6, 5, 4, 3, 2), strict=True)) % 10


def _imo_company_check(digits: str) -> int:
    total = sum(int(d) * w for d, w in zip(digits[:6], (8, 6, 4, 2, 9, 7), strict=True))
    return (11 - total % 11) % 10


def validate_imo(value: str) -> tuple[bool, str | None]:
    """Check an IMO number (``IMO 9187629``, ``IMO9187629`` or ``9187629``): seven digits whose last
    digit is the ship-number check (first six digits weighted 7..2, sum mod 10) or the check of an
    IMO unique company / registered owner number (weights 8,6,4,2,9,7; 11 - sum mod 11, mod 10).
    Lists file both under "IMO", and sometimes one under the other's label."""
    digits = _imo_digits(value)
    if not digits.isascii() or not digits.isdigit():
        return False, f"IMO number must be 7 digits, found {digits!r}"
    if len(digits) != 7:
        return False, f"IMO number must be 7 digits, found {len(digits)}"
    last = int(digits[6])
    ship = _imo_ship_check(digits)
    if last == ship or last == _imo_company_check(digits):
        return True, None
    return False, f"IMO check digit should be '{ship}', found '{digits[6]}'"


# -- MMSI -----------------------------------------------------------------------------------------

_MMSI_PREFIX = re.compile(r"^\s*MMSI\s*(?:N[O0]\.?|#|:)?\s*", re.IGNORECASE)


def validate_mmsi(value: str) -> tuple[bool, str | None]:
    """Check the shape of a Maritime Mobile Service Identity: nine digits (there is no check digit)."""
    digits = clean_document_number(_MMSI_PREFIX.sub("", _nfkc(value)))
    if not digits.isascii() or not digits.isdigit() or len(digits) != 9:
        return False, f"MMSI must be 9 digits, found {digits!r}"
    return True, None


# -- SWIFT/BIC (ISO 9362) -------------------------------------------------------------------------

_BIC_SHAPE = re.compile(r"[A-Z]{4}([A-Z]{2})[0-9A-Z]{2}(?:[0-9A-Z]{3})?")


def validate_bic(value: str) -> tuple[bool, str | None]:
    """Check a SWIFT/BIC: 8 or 11 characters; a 4-letter institution code, an ISO 3166 country
    code, a 2-character location and an optional 3-character branch."""
    code = clean_document_number(value)
    if len(code) not in (8, 11):
        return False, f"BIC must be 8 or 11 characters, found {len(code)}"
    match = _BIC_SHAPE.fullmatch(code)
    if match is None:
        if not code[:4].isalpha() or not code[:4].isascii():
            return False, f"BIC must start with a 4-letter institution code, found {code[:4]!r}"
        if not code[4:6].isalpha() or not code[4:6].isascii():
            return False, f"BIC characters 5-6 must be a country code, found {code[4:6]!r}"
        return False, "BIC location and branch may contain only letters A-Z and digits"
    if match.group(1).lower() not in _ISO_COUNTRIES:
        return False, f"BIC country code {match.group(1)!r} is not an ISO 3166 country"
    return True, None


# -- Russian INN and OGRN (via python-stdnum) -----------------------------------------------------


def _stdnum_reason(label: str, exc: ValidationError, allowed: str) -> str:
    if isinstance(exc, InvalidLength):
        return f"{label} must be {allowed}"
    if isinstance(exc, InvalidFormat):
        return f"{label} must contain only digits ({allowed})"
    if isinstance(exc, InvalidChecksum):
        return f"{label} check digit does not match"
    return f"{label} is not valid"


def validate_inn(value: str) -> tuple[bool, str | None]:
    """Check a Russian taxpayer number (INN): 10 digits (organisation) or 12 (person), check digits."""
    code = clean_document_number(value)
    try:
        _ru_inn.validate(code)
    except ValidationError as exc:
        return False, _stdnum_reason("INN", exc, "10 or 12 digits")
    return True, None


def validate_ogrn(value: str) -> tuple[bool, str | None]:
    """Check a Russian primary state registration number (OGRN 13 digits, OGRNIP 15), check digit."""
    code = clean_document_number(value)
    try:
        _ru_ogrn.validate(code)
    except ValidationError as exc:
        return False, _stdnum_reason("OGRN", exc, "13 or 15 digits")
    return True, None


# -- crypto addresses -----------------------------------------------------------------------------

_BASE58_BITCOIN = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_RIPPLE = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
_BASE58_BITCOIN_INDEX = {ch: i for i, ch in enumerate(_BASE58_BITCOIN)}
_BASE58_RIPPLE_INDEX = {ch: i for i, ch in enumerate(_BASE58_RIPPLE)}
_BASE58_RE = re.compile(r"[1-9A-HJ-NP-Za-km-z]+")
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {ch: i for i, ch in enumerate(_BECH32_CHARSET)}
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_BECH32_CONSTANTS = (1, 0x2BC830A3)  # bech32 (BIP-173) and bech32m (BIP-350)
_BECH32_RE = re.compile(r"([a-z]{1,20})1([qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6,})")
_BECH32_KNOWN_HRP = re.compile(r"(?:bc|tb|bcrt|ltc|tltc)1", re.IGNORECASE)
_EVM_RE = re.compile(r"0x[0-9a-fA-F]{40}")
_HEX_PREFIXED_RE = re.compile(r"0x[0-9a-fA-F]+")
_HEX_RE = re.compile(r"[0-9a-fA-F]{32,}")
_CASHADDR_RE = re.compile(r"(?:bitcoincash:)?[qp][qpzry9x8gf2tvdw0s3jn54khce6mua7l]{41}", re.IGNORECASE)
_MONERO_RE = re.compile(r"[48][1-9A-HJ-NP-Za-km-z]{94}")
_URI_SCHEME = re.compile(r"^(?:bitcoin|ethereum|litecoin|dogecoin|dash|zcash|tron|monero|ripple):", re.I)

# Currency code spellings -> the code lists use (OFAC writes XBT for bitcoin).
_CURRENCY_ALIASES = {
    "BTC": "XBT",
    "BITCOIN": "XBT",
    "ETHER": "ETH",
    "ETHEREUM": "ETH",
    "LITECOIN": "LTC",
    "MONERO": "XMR",
    "TETHER": "USDT",
    "TRON": "TRX",
    "RIPPLE": "XRP",
    "ZCASH": "ZEC",
    "DOGECOIN": "DOGE",
    "BITCOINCASH": "BCH",
}
#: Currencies whose addresses (when not bech32 or hex) are base58check with a sha256d checksum.
_BASE58CHECK_CURRENCIES = frozenset({"XBT", "LTC", "DASH", "ZEC", "TRX", "DOGE", "BTG", "XVG", "BCH", "BSV"})


def normalise_currency(currency: str | None) -> str | None:
    """The upper-case currency code lists use: ``btc``/``Bitcoin`` -> ``XBT``; ``None`` if empty."""
    if not currency:
        return None
    code = _NON_ALNUM.sub("", currency).upper()
    if not code:
        return None
    return _CURRENCY_ALIASES.get(code, code)


def _base58_decode(text: str, index: dict[str, int], zero: str) -> bytes | None:
    number = 0
    for ch in text:
        digit = index.get(ch)
        if digit is None:
            return None
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    leading = len(text) - len(text.lstrip(zero))
    return b"\x00" * leading + body


def _base58check_ok(text: str, ripple: bool = False) -> bool:
    if ripple:
        raw = _base58_decode(text, _BASE58_RIPPLE_INDEX, "r")
    else:
        raw = _base58_decode(text, _BASE58_BITCOIN_INDEX, "1")
    if raw is None or len(raw) < 5:
        return False
    payload, checksum = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum


def _bech32_ok(address: str) -> bool:
    """``address`` in lower case; True when its BIP-173/BIP-350 checksum holds."""
    match = _BECH32_RE.fullmatch(address)
    if match is None or len(address) > 90:
        return False
    hrp, data = match.group(1), match.group(2)
    values = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    values += [_BECH32_INDEX[ch] for ch in data]
    check = 1
    for value in values:
        top = check >> 25
        check = ((check & 0x1FFFFFF) << 5) ^ value
        for i, generator in enumerate(_BECH32_GENERATOR):
            if (top >> i) & 1:
                check ^= generator
    return check in _BECH32_CONSTANTS


def normalise_crypto_address(value: str) -> str:
    """The case-canonical form of an address: hex (``0x...``) and bech32/cashaddr in lower case,
    base58 unchanged (its case is meaningful); URI schemes (``bitcoin:``) and queries dropped."""
    text = _WHITESPACE.sub("", _nfkc(value))
    text = _URI_SCHEME.sub("", text).split("?", 1)[0]
    if _HEX_PREFIXED_RE.fullmatch(text) or _HEX_RE.fullmatch(text):
        return text.lower()
    lower = text.lower()
    if lower.startswith("bitcoincash:"):
        return lower[len("bitcoincash:") :]
    if text == lower or text == text.upper():  # bech32 and cashaddr are single-case by definition
        if _BECH32_RE.fullmatch(lower) and (_BECH32_KNOWN_HRP.match(lower) or _bech32_ok(lower)):
            return lower
        if _CASHADDR_RE.fullmatch(lower):
            return lower
    return text


def validate_crypto(value: str, currency: str | None = None) -> tuple[bool | None, str | None]:
    """Check a digital currency address where its format allows: bech32/bech32m and base58check
    checksums, EVM hex shape. ``(None, None)`` where no check is possible (Solana, Monero, ...)."""
    address = normalise_crypto_address(value)
    code = normalise_currency(currency)
    if not address:
        return False, "empty address"
    if address.startswith("0x"):
        if _EVM_RE.fullmatch(address) or len(address) == 66:
            return True, None
        return False, f"hex address must be 0x and 40 hex digits, found {len(address) - 2} digits"
    if _HEX_RE.fullmatch(address):
        return None, None
    if _BECH32_KNOWN_HRP.match(address) or (address == address.lower() and _bech32_ok(address)):
        if _bech32_ok(address):
            return True, None
        return False, "bech32 address checksum does not match"
    if _CASHADDR_RE.fullmatch(address):
        return None, None
    if _MONERO_RE.fullmatch(address):
        return None, None
    if _BASE58_RE.fullmatch(address) and 25 <= len(address) <= 35:
        if _base58check_ok(address):
            return True, None
        if code in _BASE58CHECK_CURRENCIES:
            return False, "base58check address checksum does not match"
    if address.startswith("r") and 25 <= len(address) <= 35 and _base58check_ok(address, ripple=True):
        return True, None
    if code == "XRP":
        return False, "XRP address checksum does not match"
    return None, None


# -- websites and e-mail --------------------------------------------------------------------------

_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_WWW_RE = re.compile(r"^www\d{0,3}\.")
_PORT_RE = re.compile(r":\d*$")
_HOST_END_RE = re.compile(r"[/?#\\\s]")
_DOMAIN_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9\-]{1,59})")
# Top-level domains that make a bare ``word.word`` read as a website when the caller gave no type:
# every country code plus the common generic ones. Typed websites accept any TLD.
_COMMON_GENERIC_TLDS = frozenset(
    {
        "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "io", "app", "dev", "online",
        "site", "shop", "store", "tech", "xyz", "top", "club", "pro", "name", "mobi", "asia", "travel",
        "uk", "eu", "su", "ac", "cat", "coop", "aero", "museum", "jobs", "tel", "global", "group",
        "company", "agency", "finance", "capital", "trade", "network", "world", "news", "media",
    }
)  # fmt: skip
_DETECT_TLDS = _ISO_COUNTRIES | _COMMON_GENERIC_TLDS
_EMAIL_RE = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\-]+)*@" + _DOMAIN_RE.pattern
)
_EMAIL_IN_ANGLES = re.compile(r"<([^<>]+@[^<>]+)>")


def _idna(domain: str) -> str:
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def normalise_website(value: str) -> str:
    """The bare host of a website in lower case: scheme, ``www.``, credentials, port, path, query,
    fragment and trailing dots dropped, international names in their ``xn--`` form.
    ``https://WWW.IntegrityTech.com.cn/about`` -> ``integritytech.com.cn``."""
    text = _nfkc_text(value).lower()
    text = _SCHEME_RE.sub("", text)
    text = _HOST_END_RE.split(text, maxsplit=1)[0]
    text = text.rsplit("@", 1)[-1]
    text = _PORT_RE.sub("", text).strip(".")
    text = _WWW_RE.sub("", text)
    return _idna(text)


def normalise_email(value: str) -> str:
    """An e-mail address trimmed and in lower case, ``mailto:`` and ``Name <...>`` wrapping dropped."""
    text = _nfkc_text(value)
    match = _EMAIL_IN_ANGLES.search(text)
    if match:
        text = match.group(1)
    text = text.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.split("?", 1)[0].strip().rstrip(".").lower()
    local, at, domain = text.rpartition("@")
    if at:
        text = f"{local}@{_idna(domain)}"
    return text


# -- type detection -------------------------------------------------------------------------------

_PHONE_RE = re.compile(r"\+[\d\s().\-/]{6,24}")
_BIC_DETECT_RE = re.compile(r"[A-Z]{4}([A-Z]{2})[0-9A-Z]{2}(?:[0-9A-Z]{3})?")
_SPACED_BIC_RE = re.compile(r"[A-Z]{4}\s[A-Z]{2}\s?[0-9A-Z]{2}(?:\s?[0-9A-Z]{3})?")
_IMO_DETECT_RE = re.compile(r"IMO\s*(?:N[O0]\.?|NUMBER|#|:)?\s*\d{7}", re.IGNORECASE)
_MMSI_DETECT_RE = re.compile(r"MMSI\s*(?:N[O0]\.?|#|:)?\s*\d{9}", re.IGNORECASE)
_SEVEN_DIGITS = re.compile(r"\d{7}")
_USCC_LOOSE = re.compile(r"[0-9A-Z][0-9A-Z\s\-]{16,24}[0-9A-Z]")
_LEI_LOOSE = re.compile(r"[0-9A-Z][0-9A-Z\s\-]{18,26}[0-9]")


def detect_type(value: str) -> str | None:
    """Guess an identifier's type from its shape alone, or ``None``.

    Recognised: e-mail; website (with a scheme or ``www.``, or a bare domain ending in a country
    code or a common generic TLD); crypto addresses that prove themselves (EVM ``0x`` + 40 hex,
    bech32 with a valid checksum, base58check with a valid checksum, ``bitcoincash:`` cashaddr,
    Monero); ``IMO``/``MMSI``-prefixed numbers; seven bare digits passing the IMO ship check; USCC
    and LEI passing their check characters; SWIFT/BIC written in capitals with a real country code;
    ``+``-prefixed phone numbers. Ordinary words, names and short numbers are not identifiers.
    """
    if not value:
        return None
    written = _nfkc_text(value)
    if not written or len(written) > 256:
        return None
    if "@" in written and not _SCHEME_RE.match(written):
        return "email" if _EMAIL_RE.fullmatch(normalise_email(written)) else None
    lowered = written.lower()
    if " " not in written and (_SCHEME_RE.match(written) or lowered.startswith("www.")):
        return "website" if _DOMAIN_RE.fullmatch(normalise_website(written)) else None
    if " " not in written and "." in written and not written.isascii():
        host = normalise_website(written)
        if _DOMAIN_RE.fullmatch(host) and host.rsplit(".", 1)[-1] in _DETECT_TLDS:
            return "website"
    text = _nfkc(value)
    if " " not in text:
        lowered = text.lower()
        if _EVM_RE.fullmatch(text) or lowered.startswith("bitcoincash:") or _URI_SCHEME.match(text):
            return "crypto"
        if (
            _BECH32_RE.fullmatch(lowered)
            and (text == lowered or text == text.upper())
            and _bech32_ok(lowered)
        ):
            return "crypto"
        if _BASE58_RE.fullmatch(text):
            if 25 <= len(text) <= 35 and _base58check_ok(text):
                return "crypto"
            if _MONERO_RE.fullmatch(text):
                return "crypto"
        if text.startswith("r") and 25 <= len(text) <= 35 and _base58check_ok(text, ripple=True):
            return "crypto"
        if _SCHEME_RE.match(text) or lowered.startswith("www."):
            return "website" if _DOMAIN_RE.fullmatch(normalise_website(text)) else None
        if "." in text:
            host = normalise_website(text)
            if _DOMAIN_RE.fullmatch(host) and host.rsplit(".", 1)[-1] in _DETECT_TLDS:
                return "website"
    if _IMO_DETECT_RE.fullmatch(text):
        return "imo"
    if _MMSI_DETECT_RE.fullmatch(text):
        return "mmsi"
    if _PHONE_RE.fullmatch(text):
        digits = sum(ch.isdigit() for ch in text)
        return "phone" if 7 <= digits <= 15 else None
    if _SEVEN_DIGITS.fullmatch(text):
        return "imo" if int(text[6]) == _imo_ship_check(text) else None
    upper = text.upper()
    if _USCC_LOOSE.fullmatch(upper) and validate_uscc(upper)[0]:
        return "uscc"
    if _LEI_LOOSE.fullmatch(upper) and validate_lei(upper)[0]:
        return "lei"
    # BICs are written in capitals; requiring that keeps ``Document`` or ``sanction`` out.
    if _BIC_DETECT_RE.fullmatch(text) or _SPACED_BIC_RE.fullmatch(text):
        if validate_bic(text)[0]:
            return "swift_bic"
    return None


# -- normalisation per type -----------------------------------------------------------------------


def _strong(type: str, valid: bool | None) -> bool:
    return type in STRONG_TYPES and valid is True


def _checked(type: str, prefix: str, code: str, result: tuple[bool, str | None]) -> NormalisedId:
    valid, reason = result
    return NormalisedId(type, f"{prefix}:{code}", valid, _strong(type, valid), reason)


def _document_keys(type: str, code: str, country: str | None) -> list[NormalisedId]:
    keys = []
    if country:
        keys.append(NormalisedId(type, f"{type}:{country}:{code}", None, False))
    keys.append(NormalisedId(type, f"{type}:{code}", None, False))
    keys.append(NormalisedId(type, f"id:{code}", None, False))
    return keys


def _promoted_keys(raw: str, code: str, country: str | None) -> list[NormalisedId]:
    """Strong keys hidden in a document-like number: a valid USCC or LEI, an ``IMO``-prefixed
    number, or (issued in Russia) a valid INN or OGRN."""
    keys = []
    if len(code) == 18 and validate_uscc(code)[0]:
        keys.append(NormalisedId("uscc", f"uscc:{code}", True, True))
    elif len(code) == 20 and validate_lei(code)[0]:
        keys.append(NormalisedId("lei", f"lei:{code}", True, True))
    elif _IMO_DETECT_RE.fullmatch(_nfkc(raw)):
        keys.extend(_normalise_imo(raw))
    elif country == "ru" and code.isdigit():
        if len(code) in (10, 12) and validate_inn(code)[0]:
            keys.append(NormalisedId("inn", f"inn:{code}", True, _strong("inn", True)))
        elif len(code) in (13, 15) and validate_ogrn(code)[0]:
            keys.append(NormalisedId("ogrn", f"ogrn:{code}", True, _strong("ogrn", True)))
    return keys


def _normalise_document(type: str, value: str, country: str | None) -> list[NormalisedId]:
    code = clean_document_number(value)
    if not code:
        return []
    return _promoted_keys(value, code, country) + _document_keys(type, code, country)


def _normalise_uscc(value: str) -> list[NormalisedId]:
    code = clean_document_number(value)
    if not code:
        return []
    return [
        _checked("uscc", "uscc", code, validate_uscc(code)),
        NormalisedId("uscc", f"id:{code}", None, False),
    ]


def _normalise_lei(value: str) -> list[NormalisedId]:
    code = clean_document_number(value)
    if not code:
        return []
    return [_checked("lei", "lei", code, validate_lei(code)), NormalisedId("lei", f"id:{code}", None, False)]


def _normalise_imo(value: str) -> list[NormalisedId]:
    code = _imo_digits(value)
    if not code:
        return []
    return [_checked("imo", "imo", code, validate_imo(code))]


def _normalise_mmsi(value: str) -> list[NormalisedId]:
    code = clean_document_number(_MMSI_PREFIX.sub("", _nfkc(value)))
    if not code:
        return []
    return [_checked("mmsi", "mmsi", code, validate_mmsi(code))]


def _normalise_bic(value: str) -> list[NormalisedId]:
    code = clean_document_number(value)
    if not code:
        return []
    valid, reason = validate_bic(code)
    if not valid:
        return [NormalisedId("swift_bic", f"bic:{code}", False, False, reason)]
    keys = [NormalisedId("swift_bic", f"bic:{code[:8]}", True, True)]
    if len(code) == 11 and code[8:] != "XXX":
        keys.append(NormalisedId("swift_bic", f"bic:{code}", True, True))
    return keys


def _normalise_russian(type: str, value: str, validator) -> list[NormalisedId]:
    code = clean_document_number(value)
    if not code:
        return []
    return [_checked(type, type, code, validator(code)), NormalisedId(type, f"id:{code}", None, False)]


def _normalise_crypto(value: str, currency: str | None) -> list[NormalisedId]:
    address = normalise_crypto_address(value)
    if not address:
        return []
    code = normalise_currency(currency)
    if code is None and _BECH32_KNOWN_HRP.match(address):
        code = "LTC" if address.startswith(("ltc1", "tltc1")) else "XBT"
    valid, reason = validate_crypto(address, code)
    strong = valid is not False and len(address) >= 25
    return [NormalisedId("crypto", f"crypto:{address}", valid, strong, reason, code)]


def _normalise_website(value: str) -> list[NormalisedId]:
    domain = normalise_website(value)
    if not domain:
        return []
    if _DOMAIN_RE.fullmatch(domain):
        return [NormalisedId("website", f"web:{domain}", True, False)]
    return [NormalisedId("website", f"web:{domain}", False, False, f"{domain!r} is not a domain name")]


def _normalise_email(value: str) -> list[NormalisedId]:
    address = normalise_email(value)
    if not address:
        return []
    if _EMAIL_RE.fullmatch(address):
        return [NormalisedId("email", f"email:{address}", True, False)]
    return [NormalisedId("email", f"email:{address}", False, False, f"{address!r} is not an e-mail address")]


def _normalise_phone(value: str) -> list[NormalisedId]:
    text = _nfkc(value)
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits or not digits.isascii():
        return []
    if text.startswith("00"):
        digits = digits[2:]
    if len(digits) < 6:
        return [NormalisedId("phone", f"phone:{digits}", False, False, "phone number has too few digits")]
    return [NormalisedId("phone", f"phone:{digits}", None, False)]


def normalise_identifier(
    type: str | None, value: str, country: str | None = None, currency: str | None = None
) -> list[NormalisedId]:
    """Every lookup key for one identifier, most specific first; ``[]`` for an empty value.

    ``type`` is a canonical type or a caller spelling of one (``passportNumber``, ``SWIFT/BIC``);
    when it is ``None`` or unknown the type is guessed with :func:`detect_type`, falling back to
    ``other``. ``country`` (ISO code or name) goes into document keys; ``currency`` is carried on
    crypto keys as metadata. Never raises on malformed input: it yields ``valid=False`` and a
    ``reason`` instead.
    """
    if not value or not isinstance(value, str) or not value.strip():
        return []
    keys = _normalise_by_type(type, value, country, currency)
    if not keys:
        return keys
    undone = render_identifier(value, fold_all=keys[0].type not in ("website", "email")).undone
    if not undone:
        return keys
    note = "; ".join(undone)
    return [
        replace(key, disguise=note, reason=f"{key.reason} ({note})" if key.reason else key.reason)
        for key in keys
    ]


def _normalise_by_type(
    type: str | None, value: str, country: str | None, currency: str | None
) -> list[NormalisedId]:
    kind = canonical_type(type) or detect_type(value) or "other"
    if kind in _DOCUMENT_TYPES:
        return _normalise_document(kind, value, normalise_country(country))
    if kind == "uscc":
        return _normalise_uscc(value)
    if kind == "lei":
        return _normalise_lei(value)
    if kind == "imo":
        return _normalise_imo(value)
    if kind == "mmsi":
        return _normalise_mmsi(value)
    if kind == "swift_bic":
        return _normalise_bic(value)
    if kind == "crypto":
        return _normalise_crypto(value, currency)
    if kind == "website":
        return _normalise_website(value)
    if kind == "email":
        return _normalise_email(value)
    if kind == "phone":
        return _normalise_phone(value)
    if kind == "inn":
        return _normalise_russian("inn", value, validate_inn)
    if kind == "ogrn":
        return _normalise_russian("ogrn", value, validate_ogrn)
    return _normalise_document("other", value, normalise_country(country))
