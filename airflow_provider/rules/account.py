"""The limits of X that follow the posting account, not the app: post length and video duration by subscription.

"Limits follow the authenticated user (X Premium / verified status), not your developer API plan" (xdevplatform/docs,
``x-api/media/quickstart/best-practices.mdx``). X names the account's subscription in the user object's
``subscription_type``: ``Basic``, ``Premium``, ``PremiumPlus`` or ``None`` (OAS 2.167, ``User.subscription_type``),
given by ``GET /2/users/me`` when asked with ``user.fields=subscription_type``.

- **Post length.** 280 weighted characters for an account without a subscription (DOCS
  ``fundamentals/counting-characters.mdx``); X Premium subscribers, Basic included, post "longer posts" of up to
  25,000 characters (X Help Center "About longer posts", as Publer's API docs for X long-form posts restate it;
  Postiz ships a lower 4,000 for verified accounts, X's limit of 2023). How X counts a long post is not documented
  for the API; the provider counts it as it counts any post (twitter-text v3).
- **Video duration.** 0.5 to 140 s for a standard account (DOCS media best practices); beyond, X answers "This user is
  not allowed to post a video longer than 2 minutes" (Postiz ``x.provider.ts`` ``handleErrors``). A subscriber's
  longer limit is not documented for the API, so the provider does not judge it: X does.

Where the account is not known (X would not say: a token without ``users.read``, an error), nothing is refused for
the account's sake: X judges, and its refusal is made clear (:func:`explain_refusal`).
"""

from __future__ import annotations

from typing import Any

from airflow_provider.exceptions import TwitterApiError, TwitterInputError
from airflow_provider.rules.media import MAX_VIDEO_SECONDS
from airflow_provider.rules.text import MAX_WEIGHTED_LENGTH, check_post_text

SUBSCRIPTION_TYPES = ("Basic", "Premium", "PremiumPlus", "None")  # OAS 2.167 User.subscription_type
NO_SUBSCRIPTION = "None"
SUBSCRIBER_MAX_WEIGHTED_LENGTH = 25_000  # X's longer posts (module docstring)
EXTRA_FIELD = "subscription_type"
# X's refusals that a subscription would lift: a post's text (emulator/errors.py TEXT_TOO_LONG, twitter-text's link)
# and a video's duration (Postiz handleErrors).
_TEXT_TOO_LONG = "text is too long"
_VIDEO_TOO_LONG = "not allowed to post a video longer than"


def check_subscription_type(value: Any) -> str | None:
    """The connection extra's ``subscription_type``: one of X's values, or absent (then X is asked)."""
    if value is None or value == "":
        return None
    if value not in SUBSCRIPTION_TYPES:
        raise TwitterInputError(
            f"The connection's extra '{EXTRA_FIELD}' is {value!r}; use one of X's values "
            f"{', '.join(SUBSCRIPTION_TYPES)} (None: no X Premium), or leave it out to ask X (GET /2/users/me)."
        )
    return str(value)


def max_post_length(subscription_type: str | None) -> int | None:
    """The longest post, in weighted characters, X takes from an account; None when the account is unknown."""
    if subscription_type is None:
        return None
    return MAX_WEIGHTED_LENGTH if subscription_type == NO_SUBSCRIPTION else SUBSCRIBER_MAX_WEIGHTED_LENGTH


def max_video_seconds(subscription_type: str | None) -> float | None:
    """The longest video the provider refuses before uploading for an account: 140 s without a subscription; None
    (X judges) for a subscriber, whose limit X does not document for the API, or an unknown account."""
    return MAX_VIDEO_SECONDS if subscription_type == NO_SUBSCRIPTION else None


def describe(subscription_type: str | None, source: str) -> str:
    """The account as a message names it: ``an account without X Premium (subscription_type None, from X)``."""
    if subscription_type is None:
        return "an account X did not describe"
    kind = "an account without X Premium" if subscription_type == NO_SUBSCRIPTION else "an X Premium subscriber"
    return f"{kind} (subscription_type {subscription_type}, {source})"


def explain_refusal(error: TwitterApiError, account: str) -> TwitterApiError:
    """X's refusal of a post too long for the account, or of a video too long for it, with a hint that names the
    limit and the account; any other error as it is."""
    said = f"{error.title} {error.detail} {error.errors}".lower()
    if _TEXT_TOO_LONG in said:
        hint = (
            f"X refused the text's length for {account}: {MAX_WEIGHTED_LENGTH} weighted characters without X Premium, "
            f"up to {SUBSCRIBER_MAX_WEIGHTED_LENGTH:,} for subscribers. Shorten the text, or post from a subscribed "
            f"account (set the connection's extra '{EXTRA_FIELD}' if X does not tell the provider)."
        )
    elif _VIDEO_TOO_LONG in said:
        hint = (
            f"X refused the video's duration for {account}: {MAX_VIDEO_SECONDS:g} s without X Premium. Trim it (for "
            "example ffmpeg -t), or post it from an account X allows longer videos."
        )
    else:
        return error
    return error.with_hint(hint)


def check_literal_post_text(text: Any) -> None:
    """At DAG parse time, where no connection may be read: refuse literal text (no Jinja markers) that no account may
    post, over the subscriber maximum. Text X would take from some account waits for the task, which knows it."""
    if isinstance(text, str) and not any(marker in text for marker in ("{{", "{%", "{#")):
        check_post_text(
            text, max_length=SUBSCRIBER_MAX_WEIGHTED_LENGTH, account="any account (X Premium's longer posts)"
        )
