"""What X does with a post's text: its weighted length, its cashtags, and the t.co link its media adds.

Weighted length follows twitter-text v3 as DOCS fundamentals/counting-characters.mdx describes it: text is NFC
normalised; code points in U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and U+2032-U+2037 weigh 1, all others 2;
a URL counts 23 whatever its length; at most 280. Two simplifications, both stricter or equal: URLs are recognised
only with an http(s) scheme (twitter-text also shortens bare domains such as ``example.com``), and emoji are
weighed per code point (twitter-text counts a whole emoji sequence as 2).
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata

MAX_WEIGHTED_LENGTH = 280
# X Premium's longer posts, for any subscription (Basic included): up to 25,000 characters (X Help Center "About
# longer posts", restated by Publer's API docs for X long-form posts). How X counts them is not documented for the
# API: the emulator weighs them as any post.
SUBSCRIBER_MAX_WEIGHTED_LENGTH = 25_000
URL_WEIGHT = 23
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)
# twitter-text's cashtag: "$" then 1-6 letters, optionally "." or "_" and 1-2 letters, after a space or the start.
_CASHTAG = re.compile(r"(?:^|(?<=\s))\$[a-z]{1,6}(?:[._][a-z]{1,2})?(?=$|\s|[^\w$])", re.IGNORECASE)
_TCO_ALPHABET = string.ascii_letters + string.digits


def _weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _LIGHT_RANGES) else 2


def max_weighted_length(subscription_type: str) -> int:
    """The longest post X takes from a user of ``subscription_type`` (``None``: no subscription)."""
    return MAX_WEIGHTED_LENGTH if subscription_type == "None" else SUBSCRIBER_MAX_WEIGHTED_LENGTH


def weighted_length(text: str) -> int:
    """The length X checks against the user's limit (:func:`max_weighted_length`)."""
    normalized = unicodedata.normalize("NFC", text)
    urls = _URL.findall(normalized)
    rest = _URL.sub("", normalized)
    return URL_WEIGHT * len(urls) + sum(_weight(char) for char in rest)


def cashtag_count(text: str) -> int:
    return len(_CASHTAG.findall(text))


def with_media_link(text: str, post_id: str) -> str:
    """The text X shows for a post with media: a trailing t.co link to the media (DOCS
    x-api/fundamentals/data-dictionary.mdx, the post with ``attachments`` ends in `` https://t.co/yvxdK6aOo2``)."""
    digest = hashlib.sha256(post_id.encode()).digest()
    code = "".join(_TCO_ALPHABET[byte % len(_TCO_ALPHABET)] for byte in digest[:10])
    link = f"https://t.co/{code}"
    return f"{text} {link}" if text else link
