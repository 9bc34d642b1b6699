"""Create tools: what goes over the wire, what comes back, and that a repeat never pays twice."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest

from kling.testing import FakeKling
from tests.test_files import png

from .conftest import Mcp, creates

I2V = "/v1/videos/image2video"


async def test_create_sends_the_arguments_and_answers_with_the_task(
    mcp: Mcp, fake: FakeKling
) -> None:
    task = await mcp.ok(
        "create_text_to_video", {"prompt": "a corgi surfing", "duration": "5", "mode": "pro"}
    )
    [sent] = creates(fake)
    assert sent.json["prompt"] == "a corgi surfing"
    assert sent.json["duration"] == "5"
    assert sent.json["mode"] == "pro"
    assert task["task_id"] == fake.task(task["task_id"]).task_id
    assert task["family"] == "text_to_video"
    assert task["status"] == "submitted"
    assert task["finished"] is False
    assert "wait_task" in task["next"]
    # The id Kling got is the one the agent is told.
    assert sent.json["external_task_id"] == task["external_task_id"]


async def test_a_repeated_call_with_the_same_external_id_returns_the_same_task(
    mcp: Mcp, fake: FakeKling
) -> None:
    arguments = {"prompt": "a fox", "external_task_id": "agent-fox-1"}
    first = await mcp.ok("create_text_to_video", arguments)
    again = await mcp.ok("create_text_to_video", arguments)
    assert again["task_id"] == first["task_id"]
    assert again["existing"] is True
    assert "existing" not in first
    assert len(fake.tasks) == 1


async def test_an_identical_call_without_an_external_id_does_not_pay_twice(
    mcp: Mcp, fake: FakeKling
) -> None:
    first = await mcp.ok("create_text_to_video", {"prompt": "a heron", "duration": "5"})
    again = await mcp.ok("create_text_to_video", {"duration": "5", "prompt": "a heron"})
    # Its Python spelling sends the same body: the same request.
    spelt = await mcp.ok("create_text_to_video", {"prompt": "a heron", "duration": 5})
    other = await mcp.ok("create_text_to_video", {"prompt": "a heron", "duration": "10"})
    assert again["task_id"] == first["task_id"]
    assert again["existing"] is True
    assert spelt["task_id"] == first["task_id"]
    assert other["task_id"] != first["task_id"]
    assert len(fake.tasks) == 2


async def test_a_new_external_id_makes_another_task_from_the_same_arguments(
    mcp: Mcp, fake: FakeKling
) -> None:
    first = await mcp.ok("create_text_to_video", {"prompt": "a heron"})
    second = await mcp.ok("create_text_to_video", {"prompt": "a heron", "external_task_id": "x2"})
    assert second["task_id"] != first["task_id"]
    assert len(fake.tasks) == 2


async def test_v2_creates_go_to_the_models_path_and_repeat_safely(
    mcp: Mcp, fake: FakeKling
) -> None:
    arguments = {"model": "kling-3.0", "prompt": "a lighthouse", "duration": 5}
    first = await mcp.ok("create_v2_text_to_video", arguments)
    again = await mcp.ok("create_v2_text_to_video", arguments)
    sent = creates(fake, "/text-to-video/kling-3.0")[0]
    assert sent.json["prompt"] == "a lighthouse"
    assert sent.json["settings"]["duration"] == 5
    assert first["family"] == "v2"
    assert again["task_id"] == first["task_id"]
    assert again["existing"] is True
    assert len(fake.tasks) == 1


async def test_bad_input_is_a_tool_error_naming_the_field_and_nothing_is_sent(
    mcp: Mcp, fake: FakeKling
) -> None:
    answer = await mcp.call("create_text_to_video", {"prompt": "a corgi", "duration": "7x"})
    assert answer.error["type"] == "InvalidParameterError"
    assert answer.error["field"] == "duration"
    assert '"5"' in answer.error["message"]  # says what it must look like
    assert "nothing was sent" in answer.error["hint"]
    assert creates(fake) == []


async def test_a_misspelt_argument_is_refused_with_a_suggestion(mcp: Mcp, fake: FakeKling) -> None:
    answer = await mcp.call("create_text_to_video", {"promt": "a corgi"})
    assert answer.error["field"] == "promt"
    assert "did you mean 'prompt'" in answer.error["message"]
    assert fake.requests == []


async def test_callback_url_is_refused(mcp: Mcp, fake: FakeKling) -> None:
    answer = await mcp.call(
        "create_text_to_video", {"prompt": "a corgi", "callback_url": "https://evil.example/"}
    )
    assert answer.error["field"] == "callback_url"
    assert fake.requests == []


async def test_a_v2_create_without_a_model_says_which_models_there_are(
    mcp: Mcp, fake: FakeKling
) -> None:
    answer = await mcp.call("create_v2_text_to_video", {"prompt": "a corgi"})
    assert answer.error["field"] == "model"
    assert "kling-3.0" in answer.error["message"]
    assert fake.requests == []


# -- media from the root -----------------------------------------------------------------------


async def test_a_path_under_the_root_is_read_and_sent_as_base64(
    mcp: Mcp, fake: FakeKling, root: Path
) -> None:
    (root / "frames").mkdir()
    image = png(400, 300)
    (root / "frames" / "first.png").write_bytes(image)
    first = await mcp.ok(
        "create_image_to_video", {"image": "frames/first.png", "prompt": "it moves"}
    )
    [sent] = creates(fake, I2V)
    assert base64.b64decode(sent.json["image"]) == image
    # The same bytes given inline are the same request, not a second task.
    inline = "data:image/png;base64," + base64.b64encode(image).decode()
    again = await mcp.ok("create_image_to_video", {"image": inline, "prompt": "it moves"})
    assert again["task_id"] == first["task_id"]
    assert len(fake.tasks) == 1


async def test_urls_and_inline_base64_are_sent_as_given(mcp: Mcp, fake: FakeKling) -> None:
    inline = base64.b64encode(png()).decode()
    await mcp.ok(
        "create_image_to_video",
        {"image": "https://cdn.example/a.png", "static_mask": inline, "prompt": "x"},
    )
    [sent] = creates(fake, I2V)
    assert sent.json["image"] == "https://cdn.example/a.png"
    assert sent.json["static_mask"] == inline


async def test_an_edited_file_is_another_request(mcp: Mcp, fake: FakeKling, root: Path) -> None:
    path = root / "a.png"
    path.write_bytes(png(300, 300))
    first = await mcp.ok("create_image_to_video", {"image": "a.png"})
    path.write_bytes(png(600, 300))
    second = await mcp.ok("create_image_to_video", {"image": "a.png"})
    assert second["task_id"] != first["task_id"]


@pytest.fixture
def no_reads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every file the server or the SDK would have read."""
    reads: list[Any] = []
    import kling._files

    real_read = kling._files._read_file

    def read_file(path: Any, limit: int) -> bytes:
        reads.append(path)
        return real_read(path, limit)

    monkeypatch.setattr(kling._files, "_read_file", read_file)
    return reads


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink", "nested symlink"])
async def test_a_path_outside_the_root_is_refused_and_nothing_is_read(
    mcp: Mcp, fake: FakeKling, root: Path, outside: Path, no_reads: list[Any], kind: str
) -> None:
    if kind == "absolute":
        given = str(outside)
    elif kind == "dotdot":
        given = f"../{outside.name}"
    elif kind == "symlink":
        (root / "link.png").symlink_to(outside)
        given = "link.png"
    else:
        (root / "sub").symlink_to(outside.parent, target_is_directory=True)
        given = f"sub/{outside.name}"
    answer = await mcp.call(
        "create_image_to_video", {"image_list": None, "image": given, "prompt": "x"}
    )
    assert answer.error["type"] == "OutsideRootError"
    assert answer.error["field"] == "image"
    assert "outside the server's root" in answer.error["message"]
    assert no_reads == []
    assert fake.requests == []


async def test_paths_in_nested_items_are_resolved_and_confined_too(
    mcp: Mcp, fake: FakeKling, root: Path, outside: Path
) -> None:
    (root / "ok.png").write_bytes(png())
    answer = await mcp.call(
        "create_multi_image_to_video",
        {"prompt": "x", "image_list": [{"image": "ok.png"}, {"image": os.fspath(outside)}]},
    )
    assert answer.error["field"] == "image_list[1].image"
    assert fake.requests == []


async def test_a_missing_file_says_paths_are_relative_to_the_root(
    mcp: Mcp, fake: FakeKling, root: Path
) -> None:
    answer = await mcp.call("create_image_to_video", {"image": "nope.png"})
    assert answer.error["field"] == "image"
    assert str(root.resolve()) in answer.error["message"]
    assert "relative" in answer.error["message"]
    assert fake.requests == []


# -- Kling's errors ----------------------------------------------------------------------------


async def test_a_kling_error_keeps_its_code_status_and_request_id(
    mcp: Mcp, fake: FakeKling
) -> None:
    fake.fail_next("POST", "/v1/videos/text2video", code=1102, message="balance not enough")
    answer = await mcp.call("create_text_to_video", {"prompt": "a corgi"})
    error = answer.error
    assert error["type"] == "AccountError"
    assert error["api_code"] == 1102
    assert error["http_status"] == 429
    assert error["message"] == "balance not enough"
    [refused] = [r for r in fake.requests if r.code == 1102]
    assert error["request_id"] == refused.request_id is not None
    assert "top up" in error["hint"]
    # The task can be found by this id whatever happened.
    assert error["external_task_id"].startswith("mcp-")


async def test_v2_tools_without_an_api_key_say_which_variable_to_set(
    fake: FakeKling, root: Path, clock: Any
) -> None:
    from .conftest import kling_client, mcp_session

    async with kling_client(fake, api_key=None) as client, mcp_session(client, root) as mcp:
        answer = await mcp.call("create_v2_text_to_video", {"model": "kling-3.0", "prompt": "x"})
    assert answer.error["type"] == "MissingCredentialsError"
    assert "KLING_API_KEY" in answer.error["message"]
    assert fake.requests == []


async def test_a_repeat_in_a_family_without_external_id_lookup_is_refused_not_charged(
    fake: FakeKling, root: Path, clock: Any
) -> None:
    from .conftest import kling_client, mcp_session

    async with kling_client(fake) as client, mcp_session(client, root) as mcp:
        found = await client.identify_face(video_id="v1")
        face = found.face_data[0]
        arguments = {
            "session_id": found.session_id,
            "face_choose": [
                {
                    "face_id": face.face_id,
                    "audio_id": "a0",
                    "sound_start_time": 0,
                    "sound_end_time": 3000,
                    "sound_insert_time": 0,
                }
            ],
        }
        await mcp.ok("create_advanced_lip_sync", arguments)
        again = await mcp.call("create_advanced_lip_sync", arguments)
    # Kling can neither find this family's tasks by external id nor echo it: the repeat is
    # refused as a duplicate, and says how to find the task or make another.
    assert again.error["type"] == "DuplicateTaskError"
    assert "list_tasks" in again.error["hint"]
    assert "new external_task_id" in again.error["hint"]
    assert len(creates(fake, "/v1/videos/advanced-lip-sync")) == 2
    assert len([t for t in fake.tasks.values() if t.family.name == "advanced_lip_sync"]) == 1


async def test_v2_content_items_take_paths_with_ids_to_refer_to_in_the_prompt(
    mcp: Mcp, fake: FakeKling, root: Path
) -> None:
    first, style = png(400, 300), png(300, 400)
    (root / "first.png").write_bytes(first)
    (root / "style.png").write_bytes(style)
    await mcp.ok(
        "create_v2_omni_video",
        {
            "model": "kling-3.0-omni",
            "prompt": "in the style of @style",
            "first_frame": "first.png",
            "refer_images": [{"url": "style.png", "id": "style"}],
            "aspect_ratio": "16:9",
        },
    )
    [sent] = creates(fake, "/omni-video/kling-3.0-omni")
    contents = {item["type"]: item for item in sent.json["contents"]}
    assert base64.b64decode(contents["first_frame"]["url"]) == first
    assert base64.b64decode(contents["refer_image"]["url"]) == style
    assert contents["refer_image"]["id"] == "style"


async def test_an_unknown_argument_is_not_told_to_use_extra_body(mcp: Mcp, fake: FakeKling) -> None:
    answer = await mcp.call("create_text_to_video", {"prompt": "a corgi", "brand_new": 1})
    assert answer.error["field"] == "brand_new"
    assert "extra_body" not in answer.error["message"]
    assert "a tool sends only the fields its schema lists" in answer.error["message"]
    assert fake.requests == []


async def test_the_instant_endpoints_are_tools_that_answer_at_once(
    mcp: Mcp, fake: FakeKling, root: Path
) -> None:
    speech = await mcp.ok("tts", {"text": "hello", "voice_id": "genshin_vindi2"})
    assert speech["tts"]["task_result"]["audios"][0]["url"]
    (root / "photo.png").write_bytes(png(400, 300))
    masks = await mcp.ok("image_recognize", {"image": "photo.png"})
    assert masks["image_recognize"]["task_result"]["images"]
    faces = await mcp.ok("identify_face", {"video_url": "https://cdn.example/v.mp4"})
    assert faces["identify_face"]["session_id"]
    paths = [r.path for r in fake.requests]
    assert paths == ["/v1/audio/tts", "/v1/videos/image-recognize", "/v1/videos/identify-face"]
