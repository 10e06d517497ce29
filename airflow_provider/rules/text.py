"""Post text as X counts it: weighted length (280 max) and cashtags (1 max), checked before any request.

X counts text with twitter-text's v3 configuration (docs.x.com "Counting characters", which points to
github.com/twitter/twitter-text ``config/v3.json``): the text is NFC-normalised; a code point in U+0000-U+10FF,
U+2000-U+200D, U+2010-U+201F or U+2032-U+2037 weighs 1 and any other weighs 2; every URL weighs 23 whatever its
length (t.co wrapping); an emoji, even a sequence of several code points (ZWJ, skin tone, flag, keycap), weighs 2.

This is a port of twitter-text 3.1 (``js/src/parseTweet.js``, ``extractUrlsWithIndices.js``, ``regexp/``) and
passes its conformance cases (``conformance/validate.yml`` v3 weights, ``extract.yml`` URLs and cashtags), with two
approximations, both documented below: emoji are recognised by their structure and the Unicode
Extended_Pictographic ranges rather than by twemoji's list, and Python code points replace JavaScript's UTF-16
units in the URL patterns. A maintained PyPI port was not used: ``twitter-text-parser`` 3.0.0 (2023) imports
``pkg_resources`` at run time and has no type hints.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

from airflow_provider.exceptions import TwitterInputError

MAX_WEIGHTED_LENGTH = 280
MAX_CASHTAGS = 1  # docs.x.com x-api/posts/manage-tweets/integrate: "limited to a maximum of 1 cashtag per post"
URL_WEIGHT = 23
_SCALE = 100
_DEFAULT_WEIGHT = 200
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))  # weight 100
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40

# -- character classes (twitter-text js/src/regexp/*.js) ------------------------------------------------------------

_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
_SPACES = "\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289"
    "\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"

_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_SUBDOMAIN = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_PUNYCODE = r"(?:xn--[\-0-9a-z]+)"
_PATH_CHAR = f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN_ACCENTS}]"
_BALANCED_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
_PATH_END = f"(?:[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]|{_BALANCED_PARENS})"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
_QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END = r"[a-z0-9\-_&=#/]"
_URL_PRECEDING = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"
_TCO = re.compile(f"^https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?", re.IGNORECASE)
_NO_SCHEME_BAD_PRECEDING = re.compile(r"[-_./]$")
_CASHTAG = re.compile(f"(?:^|[{_SPACES}])\\$([a-z]{{1,6}}(?:[._][a-z]{{1,2}})?)(?=$|\\s|[{_PUNCT}])", re.IGNORECASE)

# -- emoji -----------------------------------------------------------------------------------------------------------
# twitter-text finds emoji with twemoji-parser's generated list. Here an emoji is recognised by its structure
# (UTS #51: keycap, flag, tag sequence, ZWJ sequence of pictographs each with an optional skin tone or U+FE0F)
# over the Extended_Pictographic ranges of Unicode's emoji-data.txt. As in twemoji, (c) and (R) are emoji only
# with U+FE0F; every other pictograph already weighs 2 on its own, so only sequences change the count.
_PICTOGRAPHIC = (
    "\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u2388\u23cf\u23e9-\u23f3\u23f8-\u23fa"
    "\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u2605\u2607-\u2612\u2614-\u2685\u2690-\u2705\u2708-\u2712"
    "\u2714\u2716\u271d\u2721\u2728\u2733\u2734\u2744\u2747\u274c\u274e\u2753-\u2755\u2757\u2763-\u2767"
    "\u2795-\u2797\u27a1\u27b0\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f0ff\U0001f10d-\U0001f10f\U0001f12f\U0001f16c-\U0001f171\U0001f17e\U0001f17f\U0001f18e"
    "\U0001f191-\U0001f19a\U0001f1ad-\U0001f1e5\U0001f201-\U0001f20f\U0001f21a\U0001f22f\U0001f232-\U0001f23a"
    "\U0001f23c-\U0001f23f\U0001f249-\U0001f3fa\U0001f400-\U0001f53d\U0001f546-\U0001f64f\U0001f680-\U0001f6ff"
    "\U0001f774-\U0001f77f\U0001f7d5-\U0001f7ff\U0001f80c-\U0001f80f\U0001f848-\U0001f84f\U0001f85a-\U0001f85f"
    "\U0001f888-\U0001f88f\U0001f8ae-\U0001f8ff\U0001f90c-\U0001f93a\U0001f93c-\U0001f945\U0001f947-\U0001faff"
    "\U0001fc00-\U0001fffd"
)
_EMOJI_ELEMENT = f"(?:[{_PICTOGRAPHIC}](?:[\U0001f3fb-\U0001f3ff]|\ufe0f)?|[\xa9\xae]\ufe0f)"
_EMOJI = re.compile(
    "[#*0-9]\ufe0f?\u20e3"  # keycap
    "|[\U0001f1e6-\U0001f1ff]{2}"  # flag: two regional indicators
    "|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"  # subdivision flag (England, Scotland, Wales)
    f"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*"
)


@cache
def _url_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """twitter-text's ``extractUrl`` and ``validAsciiDomain``, built once: the TLD alternation has ~1,600 names."""
    tlds = files("airflow_provider.rules").joinpath("tlds.txt").read_text(encoding="utf-8").split("\n")
    names = sorted((t for t in tlds if t and not t.startswith("#")), key=len, reverse=True)
    tld = f"(?:(?:{'|'.join(map(re.escape, names))})(?=[^0-9a-zA-Z@+-]|$)|{_PUNYCODE})"
    domain = f"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{tld})"
    extract = re.compile(
        f"(?P<before>{_URL_PRECEDING})"
        f"(?P<url>(?P<scheme>https?://)?(?P<domain>{domain})(?::[0-9]+)?(?P<path>/{_PATH}*)?"
        f"(?:\\?{_QUERY_CHAR}*{_QUERY_END})?)",
        re.IGNORECASE,
    )
    ascii_domain = re.compile(f"(?:[\\-a-z0-9{_LATIN_ACCENTS}]+\\.)+{tld}", re.IGNORECASE)
    return extract, ascii_domain


def _domain_is_valid(domain: str) -> bool:
    """twitter-text ``idna.toAscii``: each label is 1-63 characters once punycode-encoded."""
    if domain[:4].lower() == "xn--" and not domain.isascii():
        return False
    for label in domain.split("."):
        encoded = label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        if not 0 < len(encoded) <= 63:
            return False
    return True


def _url_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each URL X would wrap in t.co, per twitter-text ``extractUrlsWithIndices``."""
    if "." not in text:
        return []
    extract, ascii_domain = _url_patterns()
    spans: list[tuple[int, int]] = []
    for match in extract.finditer(text):
        url, scheme, domain, path = match["url"], match["scheme"], match["domain"], match["path"]
        start, end = match.start("url"), match.end("url")
        if not _domain_is_valid(domain) or len(scheme or "https://") + len(url) > _MAX_URL_LENGTH:
            continue
        if scheme:
            if tco := _TCO.match(url):
                if len(tco[1]) > _MAX_TCO_SLUG_LENGTH:
                    continue
                end = start + len(tco[0])
            spans.append((start, end))
            continue
        # Without a scheme only ASCII domains count, and not right after - _ . or /.
        if _NO_SCHEME_BAD_PRECEDING.search(match["before"]):
            continue
        found = [(start + m.start(), start + m.end()) for m in ascii_domain.finditer(domain)]
        if found and path:
            found[-1] = (found[-1][0], end)
        spans.extend(found)
    return spans


def extract_urls(text: str) -> list[str]:
    """The URLs in ``text`` that X counts as 23 characters each, with or without a scheme (``example.com/a``)."""
    text = unicodedata.normalize("NFC", text)
    return [text[start:end] for start, end in _url_spans(text)]


def weighted_length(text: str) -> int:
    """The length X counts for ``text`` (twitter-text v3 ``parseTweet().weightedLength``)."""
    text = unicodedata.normalize("NFC", text)
    skips = dict(_url_spans(text))
    weights = dict.fromkeys(skips, URL_WEIGHT * _SCALE)
    for m in _EMOJI.finditer(text):
        if not any(s <= m.start() < e for s, e in skips.items()):
            skips.setdefault(m.start(), m.end())
            weights.setdefault(m.start(), _DEFAULT_WEIGHT)
    total, index = 0, 0
    while index < len(text):
        if index in skips:
            total += weights[index]
            index = skips[index]
            continue
        code = ord(text[index])
        total += _SCALE if any(lo <= code <= hi for lo, hi in _LIGHT_RANGES) else _DEFAULT_WEIGHT
        index += 1
    return total // _SCALE


def find_cashtags(text: str) -> list[str]:
    """The cashtags in ``text`` (``$TSLA``, ``$BRK.A``), per twitter-text ``extractCashtags``, without the ``$``."""
    return _CASHTAG.findall(text)


def check_post_text(text: str, *, max_length: int | None = MAX_WEIGHTED_LENGTH, account: str = "") -> None:
    """Refuse text X would refuse in ``POST /2/tweets``: over ``max_length`` weighted characters (280 without X
    Premium; the account's limit, :mod:`airflow_provider.rules.account`; None: the account is unknown, X judges),
    more than one cashtag, or a character twitter-text calls invalid (U+FFFE, U+FEFF, U+FFFF). ``account`` names
    whose limit it is."""
    if bad := sorted({f"U+{ord(c):04X}" for c in text if c in _INVALID}):
        raise TwitterInputError(
            f"The post text contains {', '.join(bad)}, which X does not accept in a post. Remove it "
            "(U+FEFF is a byte-order mark, often left by reading a file without encoding='utf-8-sig')."
        )
    length = weighted_length(text)
    if max_length is not None and length > max_length:
        raise TwitterInputError(
            f"The post text is {length:,} characters as X counts them; X allows at most {max_length:,}"
            f"{' for ' + account if account else ''}. Shorten it by {length - max_length:,}: each URL counts "
            f"{URL_WEIGHT}, each emoji and each CJK character 2."
        )
    tags = list(dict.fromkeys(t.upper() for t in find_cashtags(text)))
    if len(tags) > MAX_CASHTAGS:
        raise TwitterInputError(
            f"The post text has {len(tags)} cashtags ({', '.join('$' + t for t in tags)}); X accepts at most "
            f"{MAX_CASHTAGS} per post made through the API. Keep one and write the others without '$'."
        )
