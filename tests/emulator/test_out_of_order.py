"""``out_of_order_corrupts``: a video or GIF whose segments arrived out of index order fails processing, modelling
what X might do with parallel APPENDs (it documents neither that it reassembles them by index nor that it does not),
so that the provider's sequential re-upload can be tested end to end."""

from __future__ import annotations

from tests.emulator.helpers import GIF_HEAD, MP4_HEAD, PNG_HEAD, MakeEmulator, XClient, media_bytes

PIECE = 1000


def _upload(x: XClient, data: bytes, media_type: str, category: str, order: list[int]) -> str:
    media_id = x.initialize(data, media_type, category)
    for index in order:
        assert x.append(media_id, index, data[index * PIECE : (index + 1) * PIECE]).status_code == 200
    assert x.finalize(media_id).status_code == 200
    return media_id


def _processing(x: XClient, media_id: str) -> dict[str, object]:
    return dict(x.status(media_id).json()["data"]["processing_info"])


def test_segments_out_of_order_fail_processing_only_with_the_option(make_emulator: MakeEmulator) -> None:
    video = media_bytes(MP4_HEAD, 3 * PIECE)
    _, clock, x = make_emulator(out_of_order_corrupts=True, processing_secs=2.0)
    shuffled = _upload(x, video, "video/mp4", "tweet_video", [1, 0, 2])
    in_order = _upload(x, video, "video/mp4", "tweet_video", [0, 1, 2])
    gif = _upload(x, media_bytes(GIF_HEAD, 2 * PIECE), "image/gif", "tweet_gif", [1, 0])
    clock.advance(3)
    error = {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}
    assert _processing(x, shuffled) == {"state": "failed", "error": error}
    assert x.admin(f"media/{shuffled}")["segments_out_of_order"] is True
    assert _processing(x, in_order)["state"] == "succeeded"
    assert x.admin(f"media/{in_order}")["segments_out_of_order"] is False
    assert _processing(x, gif)["error"] == {"code": 1, "name": "InvalidMedia", "message": "Unsupported gif format"}
    assert x.tweet("not postable", [shuffled]).status_code == 400
    # Images are final at FINALIZE; what X does with theirs is not modelled.
    assert _upload(x, media_bytes(PNG_HEAD, 2 * PIECE), "image/png", "tweet_image", [1, 0])

    _, default_clock, default_x = make_emulator(processing_secs=2.0)
    reassembled = _upload(default_x, video, "video/mp4", "tweet_video", [2, 1, 0])
    default_clock.advance(3)
    assert _processing(default_x, reassembled)["state"] == "succeeded"
