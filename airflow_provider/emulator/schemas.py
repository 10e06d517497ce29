"""Request-body schemas of the v2 endpoints, transcribed from X's OpenAPI spec, and a validator for them.

Source: ``openapi.json`` in xdevplatform/docs (OAS ``info.version`` 2.167, HEAD 28713281): CreatePostsRequest and
its parts, InitializeMediaUploadRequest, AppendMediaUploadRequest, CreateMediaMetadataRequest,
CreateMediaSubtitlesRequest, DeleteMediaSubtitlesRequest. Where the spec says
``additionalProperties: false``, X refuses unknown fields with a 400 whose message reads like
``$.Content-Type: is not defined in the schema and the schema does not allow additional properties``
(atymic/twitter#419). That wording is the networknt json-schema-validator's, so the other messages follow the same
library's templates (an inference: only the additional-properties message is observed).
"""

from __future__ import annotations

import re
from typing import Any

from airflow_provider.emulator.errors import InvalidRequest

Schema = dict[str, Any]
NOT_IN_SCHEMA = "is not defined in the schema and the schema does not allow additional properties"

_ID = {"type": "string", "pattern": "^[0-9]{1,19}$"}
_ID_LIST = {"type": "array", "items": _ID}
_REPLY_SETTINGS = {"type": "string", "enum": ["following", "mentionedUsers", "subscribers", "verified"]}


def _closed(properties: Schema, required: tuple[str, ...] = ()) -> Schema:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


CREATE_POST: Schema = _closed(
    {
        "card_uri": {"type": "string"},
        "community_id": _ID,
        "direct_message_deep_link": {"type": "string"},
        "edit_options": _closed({"previous_post_id": _ID}, ("previous_post_id",)),
        "for_super_followers_only": {"type": "boolean"},
        "geo": _closed({"place_id": {"type": "string"}}, ("place_id",)),
        "made_with_ai": {"type": "boolean"},
        "media": _closed(
            {
                "call_to_actions": {"type": "object"},
                "description": {"type": "string"},
                "embeddable": {"type": "boolean"},
                "media_ids": {**_ID_LIST, "minItems": 1, "maxItems": 4},
                "preview_media_id": _ID,
                "tagged_user_ids": {**_ID_LIST, "maxItems": 10},
                "title": {"type": "string"},
            },
            ("media_ids",),
        ),
        "nullcast": {"type": "boolean"},
        "paid_partnership": {"type": "boolean"},
        "poll": _closed(
            {
                "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 10080},
                "options": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 4,
                    "items": {"type": "string", "minLength": 1, "maxLength": 25},
                },
                "reply_settings": _REPLY_SETTINGS,
            },
            ("options", "duration_minutes"),
        ),
        "quote_tweet_id": _ID,
        "reply": _closed(
            {
                "auto_populate_reply_metadata": {"type": "boolean"},
                "exclude_reply_user_ids": {"type": "array", "items": {"type": "string"}},
                "in_reply_to_tweet_id": _ID,
            },
            ("in_reply_to_tweet_id",),
        ),
        "reply_settings": _REPLY_SETTINGS,
        "share_with_followers": {"type": "boolean"},
        "text": {"type": "string"},
    }
)

INITIALIZE: Schema = _closed(
    {
        "additional_owners": _ID_LIST,
        "media_category": {"type": "string"},  # the enum is checked with X's wording in state.initialize
        "media_type": {"type": "string"},
        "shared": {"type": "boolean"},
        "total_bytes": {"type": "integer"},
    }
)

# ``media`` is a file part or base64 text; its size and encoding are checked where the segment is read.
APPEND: Schema = _closed(
    {"media": {"type": "string"}, "segment_index": {"type": "integer"}}, ("media", "segment_index")
)

# MediaUploadRequest, the one-shot ``POST /2/media/upload`` (OAS 2.167): ``media`` and ``media_category`` required,
# ``additional_owners`` a comma-separated string; no ``media_type`` (X reads the type from the bytes).
UPLOAD: Schema = _closed(
    {
        "additional_owners": {"type": "string"},
        "media": {"type": "string"},
        "media_category": {
            "type": "string",
            "enum": ["tweet_image", "tweet_video", "tweet_gif", "dm_image", "dm_video", "dm_gif", "subtitles"],
        },
    },
    ("media", "media_category"),
)


def _open(properties: Schema, required: tuple[str, ...] = ()) -> Schema:
    return {"type": "object", "properties": properties, "required": list(required)}


_BOOLEAN = {"type": "boolean"}
# CreateMediaMetadataRequest is open (no additionalProperties: false). Its parts as OAS 2.165 details them (2.167
# reduces sensitive_media_warning to ``type: object``); found_media_origin's lengths are in its descriptions only
# ("<= 8 Characters", "<= 24 characters"), enforced here as the stricter reading. The other parts (audience_policy,
# geo_restrictions, preview_image, sticker_info, ...) are accepted as objects, unchecked.
METADATA: Schema = _open(
    {
        "id": _ID,
        "metadata": _open(
            {
                "alt_text": _open({"text": {"type": "string", "maxLength": 1000}}, ("text",)),
                "sensitive_media_warning": _open(
                    {"adult_content": _BOOLEAN, "graphic_violence": _BOOLEAN, "other": _BOOLEAN}
                ),
                "allow_download_status": _open({"allow_download": _BOOLEAN}),
                "found_media_origin": _open(
                    {"provider": {"type": "string", "maxLength": 8}, "id": {"type": "string", "maxLength": 24}},
                    ("provider", "id"),
                ),
            }
        ),
    },
    ("id",),
)

# CreateMediaSubtitlesRequest and DeleteMediaSubtitlesRequest (OAS 2.167; patterns and enums as 2.165 has them for
# both): open like the metadata schema. The create schema requires nothing; a request without the video, the track
# or its language cannot be acted on, so the emulator requires them all (the stricter reading).
_SUBTITLE_CATEGORY = {"type": "string", "enum": ["AmplifyVideo", "TweetVideo"]}
_LANGUAGE_CODE = {"type": "string", "pattern": "^[A-Z]{2}$"}
SUBTITLES_CREATE: Schema = _open(
    {
        "id": _ID,
        "media_category": _SUBTITLE_CATEGORY,
        "subtitles": _open(
            {"id": _ID, "language_code": _LANGUAGE_CODE, "display_name": {"type": "string", "minLength": 1}},
            ("id", "language_code", "display_name"),
        ),
    },
    ("id", "media_category", "subtitles"),
)
SUBTITLES_DELETE: Schema = _open(
    {"id": _ID, "media_category": _SUBTITLE_CATEGORY, "language_code": _LANGUAGE_CODE},
    ("id", "media_category", "language_code"),
)

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string", int: "integer", float: "number"}.get(type(value), "unknown")


def _problem(schema: Schema, value: Any, path: str) -> str | None:
    """The first violation of ``schema`` by ``value`` at ``path``, in the validator's wording, or None."""
    expected = schema.get("type")
    if expected is not None and (
        not isinstance(value, _JSON_TYPES[expected]) or (expected == "integer" and isinstance(value, bool))
    ):
        return f"{path}: {_type_name(value)} found, {expected} expected"
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                return f"{path}.{name}: is missing but it is required"
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name not in properties:
                if schema.get("additionalProperties", True) is False:
                    return f"{path}.{name}: {NOT_IN_SCHEMA}"
                continue
            problem = _problem(properties[name], item, f"{path}.{name}")
            if problem is not None:
                return problem
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return f"{path}: there must be a minimum of {schema['minItems']} items in the array"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"{path}: there must be a maximum of {schema['maxItems']} items in the array"
        for index, item in enumerate(value):
            problem = _problem(schema.get("items", {}), item, f"{path}[{index}]")
            if problem is not None:
                return problem
    if isinstance(value, str):
        if "enum" in schema and value not in schema["enum"]:
            return f"{path}: does not have a value in the enumeration {schema['enum']}"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"{path}: does not match the regex pattern {schema['pattern']}"
        if len(value) < schema.get("minLength", 0):
            return f"{path}: must be at least {schema['minLength']} characters long"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"{path}: may only be {schema['maxLength']} characters long"
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"{path}: must have a minimum value of {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            return f"{path}: must have a maximum value of {schema['maximum']}"
    return None


def validate(schema: Schema, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` if it fits ``schema``, else X's 400 naming the first violation."""
    problem = _problem(schema, body, "$")
    if problem is not None:
        raise InvalidRequest(problem, {})
    return body
