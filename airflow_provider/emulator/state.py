"""The emulator's memory: media upload sessions, posts and the request log, behind one lock.

Every rule that v2 and v1.1 share lives here, so the two API surfaces are thin adapters. Time comes from an
injectable clock (epoch seconds), which lets tests walk processing and expiry forward without sleeping.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from airflow_provider.emulator import catalog, posttext
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.errors import (
    DUPLICATE_CONTENT,
    REPLY_NOT_SUMMONED,
    REPLY_TARGET_UNKNOWN,
    TEXT_TOO_LONG,
    Forbidden,
    InvalidMediaIds,
    InvalidRequest,
    MediaNotFound,
    int_in_range,
)
from airflow_provider.emulator.keptmedia import KeptMedia
from airflow_provider.emulator.processing import ProcessingJob
from airflow_provider.emulator.segments import SegmentDigest, movie_duration
from airflow_provider.emulator.sniffing import format_problem, image_size
from airflow_provider.emulator.subtitles import VIDEO_CATEGORIES, SubtitleTrack, file_problem

Clock = Callable[[], float]

REQUEST_LOG_LIMIT = 100_000
CASHTAG_DETAIL = "Posts created via the API are limited to a maximum of 1 cashtag per post."

SNOWFLAKE_EPOCH_MS = 1288834974657  # X's epoch: 2010-11-04T01:42:54.657Z


def _scala(seconds: float) -> str:
    """A duration as X words it in processing errors, e.g. ``2.minutes+20.seconds`` (plhery#243)."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if whole < 1:
        return f"{round(seconds * 1000)}.milliseconds"
    parts = ([f"{minutes}.minutes"] if minutes else []) + ([f"{rest}.seconds"] if rest else [])
    return "+".join(parts)


def iso_timestamp(epoch: float) -> str:
    """X's ``created_at`` format, e.g. ``2025-05-01T12:00:00.000Z``."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _IdSource:
    """Snowflake ids as X makes them: milliseconds since X's epoch above 22 low bits, so that an id tells when it
    was made (clients read a media's age from it), strictly increasing and never reused within a process."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        candidate = (int(time.time() * 1000) - SNOWFLAKE_EPOCH_MS) << 22
        with self._lock:
            self._last = max(self._last + 1, candidate)
            return str(self._last)


@dataclass
class MediaSession:
    """One upload, from INITIALIZE to expiry."""

    id: str
    media_type: str
    media_category: str
    total_bytes: int
    additional_owners: tuple[str, ...]
    shared: bool
    expires_at: float
    owner_id: str
    segments: dict[int, SegmentDigest] = field(default_factory=dict)
    job: ProcessingJob | None = None
    alt_text: str | None = None
    dimensions: tuple[int, int] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # POST /2/media/metadata's parts, as last set
    subtitles: dict[str, SubtitleTrack] = field(default_factory=dict)  # language code -> track
    category_named: bool = True  # INITIALIZE named a media_category (v1.1 then shows media_key: api_v1)
    out_of_order: bool = False  # a segment arrived before one of a lower index

    @property
    def kind(self) -> str:
        return catalog.CATEGORY_KINDS[self.media_category]

    @property
    def media_key(self) -> str:
        return f"{catalog.KIND_KEY_PREFIXES[self.kind]}_{self.id}"

    @property
    def received_bytes(self) -> int:
        return sum(segment.size for segment in self.segments.values())


@dataclass(frozen=True)
class MediaView:
    """A media session as STATUS (or INITIALIZE/FINALIZE) reports it at one instant."""

    id: str
    media_key: str
    kind: str
    media_type: str
    size: int
    expires_after_secs: int
    processing_info: dict[str, Any] | None
    dimensions: tuple[int, int] | None = None
    category_named: bool = True

    def details(self) -> dict[str, Any]:
        """The fields v2 ``data`` and the v1.1 body share after FINALIZE."""
        data: dict[str, Any] = {"size": self.size, "expires_after_secs": self.expires_after_secs}
        if self.processing_info is not None:
            data["processing_info"] = self.processing_info
        if self.kind == "image":
            # image_type, w and h as in the v1 FINALIZE example and OAS FinalizeMediaUploadResponseDataImage.
            data["image"] = {"image_type": self.media_type}
            if self.dimensions is not None:
                data["image"].update(w=self.dimensions[0], h=self.dimensions[1])
        elif self.kind in catalog.PROCESSED_KINDS:
            data["video"] = {"video_type": "video/mp4" if self.kind == "gif" else self.media_type}
        return data


@dataclass(frozen=True)
class Post:
    id: str
    text: str
    media_ids: tuple[str, ...]
    media_keys: tuple[str, ...]
    created_at: float
    options: dict[str, Any] = field(default_factory=dict)  # the body's other fields: reply, reply_settings, ...

    @property
    def shown_text(self) -> str:
        """The text as X returns it when the post is read back: with media, a trailing t.co link."""
        return posttext.with_media_link(self.text, self.id) if self.media_ids else self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "media_ids": list(self.media_ids),
            "created_at": iso_timestamp(self.created_at),
            "options": self.options,
        }


class EmulatorState:
    """Thread-safe store of everything the emulated account has done."""

    def __init__(self, config: EmulatorConfig, clock: Clock = time.time) -> None:
        self.config = config
        self.clock = clock
        self._lock = threading.Lock()
        self._new_id = _IdSource()
        self._media: dict[str, MediaSession] = {}
        self._posts: list[Post] = []
        self._deleted: dict[str, Post] = {}
        self._requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._kept = KeptMedia(config.keep_media_mib * catalog.MIB)

    def reset(self) -> None:
        with self._lock:
            self._media.clear()
            self._kept.clear()
            self._posts.clear()
            self._deleted.clear()
            self._requests.clear()

    # -- media upload ------------------------------------------------------------------------------------------

    def initialize(
        self,
        media_type: Any,
        total_bytes: Any,
        media_category: Any = None,
        additional_owners: Any = (),
        shared: Any = False,
    ) -> MediaView:
        """Open an upload session after checking type, category, size and owners the way X does."""
        if media_type not in catalog.MEDIA_TYPES:
            raise InvalidRequest(
                f"The `media_type` value [{media_type}] is not supported.", {"media_type": [media_type]}
            )
        total_bytes = int_in_range(total_bytes, "total_bytes", 1, catalog.MAX_TOTAL_BYTES)
        category = media_category if media_category is not None else catalog.default_category(media_type)
        if category not in catalog.CATEGORY_KINDS:
            raise InvalidRequest(
                f"The `media_category` value [{media_category}] is not one of {sorted(catalog.CATEGORY_KINDS)}.",
                {"media_category": [media_category]},
            )
        kind = catalog.CATEGORY_KINDS[category]
        if kind not in catalog.kinds_of_media_type(media_type):
            raise InvalidRequest(
                f"A `media_type` of {media_type} cannot be uploaded as `media_category` {category}.",
                {"media_type": [media_type], "media_category": [category]},
            )
        limit = catalog.KIND_SIZE_LIMITS.get(kind)
        if limit is not None and total_bytes > limit:
            raise InvalidRequest(
                f"The `total_bytes` value [{total_bytes}] exceeds the {limit}-byte limit for {category}.",
                {"total_bytes": [total_bytes]},
            )
        if (
            not isinstance(additional_owners, list | tuple)
            or len(additional_owners) > catalog.MAX_ADDITIONAL_OWNERS
            or not all(isinstance(owner, str) and owner.isdigit() for owner in additional_owners)
        ):
            raise InvalidRequest(
                f"`additional_owners` must be a list of at most {catalog.MAX_ADDITIONAL_OWNERS} numeric user ids.",
                {"additional_owners": [additional_owners]},
            )
        if not isinstance(shared, bool):
            raise InvalidRequest("`shared` must be a boolean.", {"shared": [shared]})
        with self._lock:
            now = self.clock()
            session = MediaSession(
                id=self._new_id(),
                media_type=media_type,
                media_category=category,
                total_bytes=total_bytes,
                additional_owners=tuple(additional_owners),
                shared=shared,
                expires_at=now + self.config.expires_after_secs,
                owner_id=self.config.user_id,
                category_named=media_category is not None,
            )
            self._media[session.id] = session
            return self._view(session, now)

    def append(self, media_id: str, segment_index: Any, segment: SegmentDigest) -> float:
        """Store a segment by its index (appends may arrive in parallel); return the session's ``expires_at``.

        Re-sending an index with the same bytes is an idempotent retry; different bytes are refused. The segment's
        bytes, if it carries them, go to the web page's kept media rather than into the session.
        """
        index = int_in_range(segment_index, "segment_index", 0, catalog.MAX_SEGMENT_INDEX)
        if segment.size > catalog.MAX_SEGMENT_BYTES:
            raise InvalidRequest(
                f"Segment {index} is {segment.size} bytes; a segment may be at most {catalog.MAX_SEGMENT_BYTES} bytes.",
                {"media": [f"{segment.size} bytes"]},
            )
        with self._lock:
            session = self._live(media_id)
            if session.job is not None:
                raise InvalidRequest(
                    f"Media {media_id} is already finalized; it cannot take more segments.", {"media_id": [media_id]}
                )
            previous = session.segments.get(index)
            if previous is not None and previous != segment:
                raise InvalidRequest(
                    f"Segment {index} of media {media_id} was already appended with different data.",
                    {"segment_index": [index]},
                )
            session.out_of_order |= any(lower not in session.segments for lower in range(index))
            if segment.data is not None:
                self._kept.add_segment(media_id, session.total_bytes, index, segment.data)
                segment = replace(segment, data=None)
            session.segments[index] = segment
            return session.expires_at

    def finalize(self, media_id: str) -> MediaView:
        """Close the upload once segments 0..n are contiguous and add up to ``total_bytes``.

        Images are final at once (or refused if they do not look like images); videos and GIFs start processing,
        which fails at its end when the content does not look right or a video's duration is out of bounds.
        Finalizing again reports the current state.
        """
        with self._lock:
            session = self._live(media_id)
            now = self.clock()
            if session.job is None:
                self._check_complete(session)
                head = session.segments[0].head
                problem = format_problem(session.kind, head)
                if session.kind in catalog.PROCESSED_KINDS:
                    if session.out_of_order and self.config.out_of_order_corrupts:
                        problem = f"Unsupported {session.kind} format"  # put together in arrival order: unreadable
                    error = None if problem is None else {"code": 1, "name": "InvalidMedia", "message": problem}
                    session.job = ProcessingJob(
                        now, self.config.processing_secs, error or self._duration_error(session)
                    )
                elif problem is not None:
                    self._kept.drop(media_id)
                    raise InvalidRequest(f"InvalidMedia: {problem}.", {"media_id": [media_id]})
                else:
                    session.job = ProcessingJob(now, 0.0)
                    session.dimensions = image_size(head) if session.kind == "image" else None
                self._kept.join(media_id, len(session.segments))
                session.expires_at = now + self.config.expires_after_secs
            return self._view(session, now)

    def _duration_error(self, session: MediaSession) -> dict[str, Any] | None:
        """Processing's verdict on a video's duration read from its ``mvhd`` box (unknown duration: no verdict).

        Standard accounts may post 0.5-140 s (DOCS x-api/media/quickstart/best-practices.mdx). X fails processing
        with UnsupportedMedia code 3 "Duration 2.minutes+29.seconds exceeds max duration of 2.minutes+20.seconds"
        (plhery/node-twitter-api-v2#243); the too-short wording is not documented and is the emulator's.
        """
        if session.kind != "video":
            return None
        header = next((session.segments[i].mvhd for i in sorted(session.segments) if session.segments[i].mvhd), None)
        seconds = movie_duration(header) if header else None
        if seconds is None:
            return None
        config = self.config
        if seconds > config.max_video_secs:
            message = f"Duration {_scala(seconds)} exceeds max duration of {_scala(config.max_video_secs)}"
        elif seconds < config.min_video_secs:
            message = f"Duration {_scala(seconds)} is below min duration of {_scala(config.min_video_secs)}"
        else:
            return None
        return {"code": 3, "name": "UnsupportedMedia", "message": message}

    @staticmethod
    def _check_complete(session: MediaSession) -> None:
        count = len(session.segments)
        missing = next(i for i in range(count + 1) if i not in session.segments)
        if missing < count or count == 0:
            raise InvalidRequest(
                f"Segment {missing} of media {session.id} is missing; segments must be contiguous from 0.",
                {"segment_index": [missing]},
            )
        received = session.received_bytes
        if received != session.total_bytes:
            raise InvalidRequest(
                f"Segments of media {session.id} add up to {received} bytes, "
                f"but `total_bytes` is {session.total_bytes}.",
                {"total_bytes": [session.total_bytes]},
            )

    def status(self, media_id: str) -> MediaView:
        """STATUS exists only for media in processing: images (and anything unknown, expired or not finalized)
        answer X's "BadRequest: Not found" (xurl#18), the stricter reading for the cases no source shows."""
        with self._lock:
            session = self._media.get(media_id)
            now = self.clock()
            if session is None or now >= session.expires_at:
                raise MediaNotFound(f"Media {media_id} is unknown or expired.")
            if session.job is None or session.kind not in catalog.PROCESSED_KINDS:
                stage = "has not been finalized" if session.job is None else "never entered processing"
                raise MediaNotFound(f"Media {media_id} {stage}; STATUS exists only for media in processing.")
            return self._view(session, now)

    def set_alt_text(self, media_id: str, text: Any) -> dict[str, Any]:
        """v1.1 ``media/metadata/create``: alt text alone, "<= 1000 chars" (v1 reference example)."""
        if not isinstance(text, str) or len(text) > catalog.MAX_ALT_TEXT_CHARS:
            raise InvalidRequest(
                f"`alt_text.text` must be a string of at most {catalog.MAX_ALT_TEXT_CHARS} characters.",
                {"alt_text.text": [text if not isinstance(text, str) else f"{len(text)} characters"]},
            )
        return self.set_metadata(media_id, {"alt_text": {"text": text}})

    def set_metadata(self, media_id: str, metadata: dict[str, Any]) -> dict[str, Any]:
        """Store a schema-valid ``metadata`` object and return all the metadata now associated with the media: each
        part given replaces that part (unknown: stricter than merging inside a part). X's answer to a body that sets
        nothing, or to another user's media, is not documented: both are refused (stricter)."""
        if not metadata:
            raise InvalidRequest("`metadata` must set at least one field.", {"metadata": [metadata]})
        with self._lock:
            session = self._owned(media_id)
            session.metadata.update(metadata)
            if "alt_text" in metadata:
                session.alt_text = metadata["alt_text"]["text"]
            return dict(session.metadata)

    def attach_subtitles(self, video_id: str, category: str, track: SubtitleTrack) -> None:
        """Tie the uploaded subtitle file ``track.media_id`` to the video, refusing what X refuses or might refuse.

        Documented: the category enum and the two-letter code (OAS, checked by the schema), an invalid file (v1.1
        ``media/subtitles/create`` reference: 400). Not documented, the stricter answer: a video not of the named
        category, not yet processed, or someone else's; a track of a language the video already has.
        """
        with self._lock:
            video = self._subtitled_video(video_id, category)
            subtitles = self._owned(track.media_id)
            if subtitles.media_category != "subtitles":
                raise InvalidRequest(
                    f"Media {track.media_id} was uploaded as {subtitles.media_category}, not as subtitles.",
                    {"subtitles.id": [track.media_id]},
                )
            if subtitles.job is None:
                raise InvalidRequest(
                    f"Media {track.media_id} has not been finalized.", {"subtitles.id": [track.media_id]}
                )
            problem = file_problem(subtitles.media_type, subtitles.segments[0].head)
            if problem is not None:
                raise InvalidRequest(
                    f"The subtitle file is invalid: {problem}.", {"subtitles.id": [track.media_id]}, problem
                )
            if track.language_code in video.subtitles:
                raise InvalidRequest(
                    f"Media {video_id} already has {track.language_code} subtitles; delete them first.",
                    {"subtitles.language_code": [track.language_code]},
                )
            video.subtitles[track.language_code] = track

    def delete_subtitles(self, video_id: str, category: str, language_code: str) -> None:
        """Remove a track. A language the video does not have: X's answer is not documented (the response schema's
        ``deleted`` boolean hints at 200 ``false``); refused, the stricter answer."""
        with self._lock:
            video = self._subtitled_video(video_id, category)
            if video.subtitles.pop(language_code, None) is None:
                raise InvalidRequest(
                    f"Media {video_id} has no {language_code} subtitles.", {"language_code": [language_code]}
                )

    def _subtitled_video(self, video_id: str, category: str) -> MediaSession:
        """The user's processed video of ``category`` (X's TweetVideo or AmplifyVideo). Caller holds the lock."""
        video = self._owned(video_id)
        if video.kind != "video":
            raise InvalidRequest(f"Media {video_id} is not a video; subtitles attach to videos.", {"id": [video_id]})
        if video.media_category != VIDEO_CATEGORIES[category]:
            raise InvalidRequest(
                f"Media {video_id} was uploaded as {video.media_category}, not as {category}.",
                {"media_category": [category]},
            )
        if video.job is None or video.job.phase(self.clock()) != "succeeded":
            raise InvalidRequest(f"Media {video_id} has not finished processing.", {"id": [video_id]})
        return video

    def _owned(self, media_id: str) -> MediaSession:
        """A live session the user may use: its own or one that lists it in additional_owners (atymic/twitter#114
        for posts). Caller holds the lock."""
        session = self._live(media_id)
        if self.config.user_id != session.owner_id and self.config.user_id not in session.additional_owners:
            raise InvalidRequest(f"Media {media_id} belongs to user {session.owner_id}.", {"id": [media_id]})
        return session

    def _live(self, media_id: str) -> MediaSession:
        """The session for ``media_id``, refusing unknown and expired ids. Caller holds the lock."""
        session = self._media.get(media_id)
        if session is None:
            raise InvalidRequest(f"Media {media_id} was not found.", {"media_id": [media_id]})
        if self.clock() >= session.expires_at:
            raise InvalidRequest(f"Media {media_id} has expired.", {"media_id": [media_id]})
        return session

    def _view(self, session: MediaSession, now: float) -> MediaView:
        processing_info = None
        if session.job is not None and session.kind in catalog.PROCESSED_KINDS:
            processing_info = session.job.info(now, self.config.check_after_secs, self.config.stuck_error)
        return MediaView(
            id=session.id,
            media_key=session.media_key,
            kind=session.kind,
            media_type=session.media_type,
            size=session.total_bytes,
            expires_after_secs=max(0, int(session.expires_at - now)),
            processing_info=processing_info,
            dimensions=session.dimensions,
            category_named=session.category_named,
        )

    # -- posts ----------------------------------------------------------------------------------------------

    def create_post(self, text: str, media_ids: list[str], options: dict[str, Any] | None = None) -> Post:
        """Create a post from a schema-valid body, refusing what X refuses after the schema."""
        if not text and not media_ids:
            raise InvalidRequest("A post needs `text` or `media.media_ids`.", {"text": [text]})
        # 280 weighted characters (DOCS fundamentals/counting-characters.mdx), 25,000 for a subscriber (posttext);
        # X's 400 message: errors.TEXT_TOO_LONG.
        length, limit = posttext.weighted_length(text), posttext.max_weighted_length(self.config.subscription_type)
        if length > limit:
            raise InvalidRequest(TEXT_TOO_LONG, None, f"text weighs {length} of {limit}")
        # One cashtag per post for self-serve apps (DOCS x-api/posts/manage-tweets/integrate.mdx); X's answer is not
        # documented: a 403 like its other content refusals is the emulator's choice.
        if posttext.cashtag_count(text) > 1:
            raise Forbidden(CASHTAG_DETAIL, f"{posttext.cashtag_count(text)} cashtags")
        with self._lock:
            now = self.clock()
            sessions = [self._usable(media_id, media_ids, now) for media_id in media_ids]
            self._check_mix(media_ids, [session.kind for session in sessions])
            if any(post.text == text and set(post.media_ids) == set(media_ids) for post in self._posts):
                raise Forbidden(DUPLICATE_CONTENT)
            # A reply needs a post the user can see: X answers 403 "You attempted to reply to a Tweet that is deleted
            # or not visible to you." (plhery/node-twitter-api-v2#366, with OAuth 2.0 on v2; code 385 in v1.1). The
            # emulator knows only its own posts, so any other target is refused: the stricter side.
            target = (options or {}).get("reply", {}).get("in_reply_to_tweet_id")
            if target is not None:
                self._check_reply(target)
            post = Post(
                self._new_id(), text, tuple(media_ids), tuple(s.media_key for s in sessions), now, dict(options or {})
            )
            self._posts.append(post)
            return post

    def _check_reply(self, target: str) -> None:
        """Refuse a reply X would refuse. Caller holds the lock.

        The target must be a post the user can see: X answers 403 "You attempted to reply to a Tweet that is deleted
        or not visible to you." (plhery/node-twitter-api-v2#366, OAuth 2.0 on v2; code 385 in v1.1). The emulator
        knows only its own posts, so any other target is refused: the stricter side.

        Since 2026-02-23 a self-serve app may reply only where the target's author summoned the replier by
        mentioning it or quoting one of its posts (DOCS changelog; x-api/posts/manage-tweets/integrate.mdx), else
        403 (errors.REPLY_NOT_SUMMONED). Every post here is the user's own; whether replying to one's own post is
        exempt is undocumented, so it needs a summons unless ``config.self_replies`` (X's later wording, "... where
        you are mentioned or are the author", suggests it is exempt).
        """
        replied = next((post for post in self._posts if post.id == target), None)
        if replied is None:
            raise Forbidden(REPLY_TARGET_UNKNOWN, f"no post {target} to reply to")
        if self.config.self_replies or self._summons(replied):
            return
        raise Forbidden(
            REPLY_NOT_SUMMONED,
            f"post {target} neither mentions @{self.config.username} nor quotes one of its posts, and self-replies "
            "are refused (self_replies off)",
        )

    def _summons(self, post: Post) -> bool:
        """Whether ``post`` mentions the user or quotes one of the user's posts. Caller holds the lock."""
        mention = re.compile(rf"(?<![\w@])@{re.escape(self.config.username)}(?!\w)", re.IGNORECASE)
        quoted = post.options.get("quote_tweet_id")
        return bool(mention.search(post.text)) or any(other.id == quoted for other in self._posts)

    def _usable(self, media_id: str, ids: list[str], now: float) -> MediaSession:
        """The session behind ``media_id`` if a post may carry it now. Caller holds the lock."""
        try:
            session = self._live(media_id)
        except InvalidRequest as exc:
            raise InvalidMediaIds(ids, str(exc)) from None
        # Media must belong to the poster or list it in additional_owners (atymic/twitter#114: media uploaded with
        # other credentials is "Your media IDs are invalid."; v1 INIT reference on additional_owners).
        if self.config.user_id != session.owner_id and self.config.user_id not in session.additional_owners:
            raise InvalidMediaIds(ids, f"Media {media_id} belongs to user {session.owner_id}, not to the poster.")
        if session.job is None:
            raise InvalidMediaIds(ids, f"Media {media_id} has not been finalized.")
        phase = session.job.phase(now)
        if phase == "failed":
            reason = (session.job.error or {}).get("message")
            raise InvalidMediaIds(ids, f"Media {media_id} failed processing: {reason}.")
        if phase != "succeeded":
            raise InvalidMediaIds(ids, f"Media {media_id} is still processing; wait for state `succeeded`.")
        if session.kind == "subtitles":
            raise InvalidMediaIds(ids, f"Media {media_id} is subtitles, which a post cannot carry.")
        return session

    @staticmethod
    def _check_mix(ids: list[str], kinds: list[str]) -> None:
        moving = sum(kind in catalog.PROCESSED_KINDS for kind in kinds)
        if moving and len(kinds) > 1:
            raise InvalidMediaIds(ids, "A post can carry up to 4 images, or 1 GIF, or 1 video; not a mix.")

    def user_posts(self, max_results: int, older_than: str | None = None) -> tuple[list[Post], bool]:
        """A page of the user's posts, newest first, starting after post ``older_than``; and whether more follow."""
        with self._lock:
            newest_first = self._posts[::-1]
        start = 0
        if older_than is not None:
            start = next((n + 1 for n, post in enumerate(newest_first) if post.id == older_than), -1)
            if start < 0:
                raise KeyError(older_than)
        page = newest_first[start : start + max_results]
        return page, start + max_results < len(newest_first)

    def post(self, post_id: str) -> Post | None:
        with self._lock:
            return next((post for post in self._posts if post.id == post_id), None)

    def delete_post(self, post_id: str) -> bool:
        """Delete one of the user's posts: False when there is none by that id (never made, or deleted before)."""
        with self._lock:
            post = next((post for post in self._posts if post.id == post_id), None)
            if post is None:
                return False
            self._posts.remove(post)
            self._deleted[post_id] = post
            return True

    def deleted_post(self, post_id: str) -> Post | None:
        with self._lock:
            return self._deleted.get(post_id)

    def add_foreign_media(self, owner_id: str, media_type: str, additional_owners: tuple[str, ...]) -> str:
        """A finished upload made by another user (admin API), to exercise the ownership rule of posts."""
        kinds = catalog.kinds_of_media_type(media_type)
        category = catalog.default_category(media_type)
        if not owner_id.isdigit() or category is None or not kinds:
            raise ValueError("owner_id must be numeric and media_type one X accepts")
        with self._lock:
            now = self.clock()
            session = MediaSession(
                id=self._new_id(),
                media_type=media_type,
                media_category=category,
                total_bytes=1,
                additional_owners=additional_owners,
                shared=False,
                expires_at=now + self.config.expires_after_secs,
                owner_id=owner_id,
                job=ProcessingJob(now, 0.0),
            )
            self._media[session.id] = session
            return session.id

    # -- inspection (admin API) ----------------------------------------------------------------------------------

    def posts(self) -> list[Post]:
        with self._lock:
            return list(self._posts)

    def media_snapshot(self, media_id: str) -> dict[str, Any] | None:
        """Everything known about one upload, expired or not, for assertions."""
        with self._lock:
            session = self._media.get(media_id)
            if session is None:
                return None
            now = self.clock()
            if now >= session.expires_at:
                state = "expired"
            else:
                state = "uploading" if session.job is None else session.job.phase(now)
            return {
                "id": session.id,
                "media_key": session.media_key,
                "media_type": session.media_type,
                "media_category": session.media_category,
                "total_bytes": session.total_bytes,
                "received_bytes": session.received_bytes,
                "segment_count": len(session.segments),
                "segment_indexes": sorted(session.segments),
                "segments_out_of_order": session.out_of_order,
                "state": state,
                "processing_info": self._view(session, now).processing_info,
                "alt_text": session.alt_text,
                "metadata": session.metadata,
                "subtitles": [track.to_json() for track in session.subtitles.values()],
                "owner_id": session.owner_id,
                "additional_owners": list(session.additional_owners),
                "shared": session.shared,
                "expires_at": session.expires_at,
            }

    def kept_media(self, media_key: str) -> tuple[str, bytes] | None:
        """The media type and bytes of the media with this key, while kept for the web page (``keptmedia``)."""
        media_id = media_key.partition("_")[2]
        with self._lock:
            session = self._media.get(media_id)
            data = self._kept.get(media_id)
            if session is None or session.media_key != media_key or data is None:
                return None
            return session.media_type, data

    def record_request(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._requests.append(entry)

    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._requests)
