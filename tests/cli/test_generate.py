"""The generated family commands: create, --wait, --output, --json, parameters as options."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from kling._families import FAMILIES
from kling.cli._families import command_name
from kling.testing import FakeKlingServer
from kling.testing._files import make_png

from .conftest import KlingRunner, server_args


def is_mp4(data: bytes) -> bool:
    return data[4:8] == b"ftyp"


def test_mock_text_to_video_wait_output_writes_the_video(
    kling: KlingRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"

    result = kling("--mock", "text-to-video", "a corgi surfing at sunset", "--wait", "-o", str(out))

    assert result.exit_code == 0, result.output
    (video,) = out.iterdir()
    assert video.suffix == ".mp4"
    assert is_mp4(video.read_bytes())
    assert f"Saved {video}" in result.stdout
    assert "succeed" in result.stdout


def test_json_output_is_one_document_with_the_files(kling: KlingRunner, tmp_path: Path) -> None:
    result = kling("--mock", "--json", "text-to-video", "a corgi", "--output", str(tmp_path))

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["task_status"] == "succeed"
    assert data["task_result"]["videos"][0]["url"].startswith("http://127.0.0.1:")
    (path,) = data["files"]
    assert is_mp4(Path(path).read_bytes())


def test_json_mode_shows_no_status_line(kling: KlingRunner) -> None:
    result = kling("--mock", "--json", "text-to-video", "a corgi", "--wait")

    assert result.exit_code == 0
    assert result.stderr == ""


def test_without_wait_prints_the_task_id_and_submitted(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi")

    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("Task ")
    assert first.endswith(": submitted")
    assert first.split()[1].rstrip(":").isdigit()


def test_wait_reports_each_status_on_stderr(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi", "--wait")

    assert result.exit_code == 0
    assert "succeed" in result.stderr.splitlines()[-1]


def test_options_become_create_parameters(kling: KlingRunner, server: FakeKlingServer) -> None:
    # Two models: no single one takes cfg_scale, camera control and multi-shot together.
    v1 = kling(
        *server_args(server),
        "text-to-video",
        "a corgi",
        "--model-name",
        "kling-v1",
        "--cfg-scale",
        "0.5",
        "--camera-control",
        '{"type": "simple", "config": {"zoom": 5}}',
    )
    assert v1.exit_code == 0, v1.output
    body = server.fake.requests[-1].json
    assert body["model_name"] == "kling-v1"
    assert body["cfg_scale"] == 0.5
    assert body["camera_control"] == {"type": "simple", "config": {"zoom": 5}}

    v3 = kling(
        *server_args(server),
        "text-to-video",
        "a corgi",
        "--model-name",
        "kling-v3",
        "--duration",
        "10",
        "--aspect-ratio",
        "9:16",
        "--multi-shot",
        "--shot-type",
        "intelligence",
    )
    assert v3.exit_code == 0, v3.output
    body = server.fake.requests[-1].json
    assert body["duration"] == "10"
    assert body["aspect_ratio"] == "9:16"
    assert body["multi_shot"] is True


def test_param_sets_any_parameter_from_json(kling: KlingRunner, server: FakeKlingServer) -> None:
    result = kling(
        *server_args(server),
        "text-to-video",
        "a corgi",
        "--model-name",
        "kling-v1",
        "--param",
        "negative-prompt=blur",
        "-p",
        'camera_control={"type": "simple", "config": {"zoom": 5}}',
        "-p",
        "cfg_scale=0.5",
    )

    assert result.exit_code == 0, result.output
    body = server.fake.requests[-1].json
    assert body["negative_prompt"] == "blur"
    assert body["camera_control"] == {"type": "simple", "config": {"zoom": 5}}
    assert body["cfg_scale"] == 0.5


def test_extra_body_sends_fields_the_sdk_does_not_know(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*server_args(server), "text-to-video", "a corgi", "--extra-body", "seed=42")

    assert result.exit_code == 0, result.output
    assert server.fake.requests[-1].json["seed"] == 42


def test_local_image_file_is_sent_as_base64(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    png = make_png()
    image = tmp_path / "cat.png"
    image.write_bytes(png)

    result = kling(*server_args(server), "image-to-video", str(image), "the cat jumps")

    assert result.exit_code == 0, result.output
    body = server.fake.requests[-1].json
    assert base64.b64decode(body["image"]) == png
    assert body["prompt"] == "the cat jumps"


def test_image_url_is_sent_as_is(kling: KlingRunner, server: FakeKlingServer) -> None:
    url = "https://example.com/cat.png"

    result = kling(*server_args(server), "image-to-video", url)

    assert result.exit_code == 0, result.output
    assert server.fake.requests[-1].json["image"] == url


def test_local_files_inside_json_parameters_are_read(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    png = make_png()
    (tmp_path / "a.png").write_bytes(png)
    image_list = json.dumps([{"image": str(tmp_path / "a.png")}, {"image": "https://x.test/b.png"}])

    result = kling(
        *server_args(server), "multi-image-to-video", "two cats", "--image-list", image_list
    )

    assert result.exit_code == 0, result.output
    sent = server.fake.requests[-1].json["image_list"]
    assert base64.b64decode(sent[0]["image"]) == png
    assert sent[1]["image"] == "https://x.test/b.png"


def test_image_command_downloads_every_image(kling: KlingRunner, tmp_path: Path) -> None:
    result = kling("--mock", "image", "a cat", "--n", "2", "--output", str(tmp_path))

    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in tmp_path.iterdir())
    assert len(names) == 2
    assert all(name.endswith(".png") for name in names)


def test_images_is_an_alias_of_image(kling: KlingRunner) -> None:
    result = kling("--mock", "--json", "images", "a cat")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["task_status"] == "submitted"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_has_a_command(kling: KlingRunner, family: str) -> None:
    words = [command_name(family)]
    if FAMILIES[family].library is not None:
        words = [family, "create"]

    result = kling(*words, "--help")

    assert result.exit_code == 0, result.output
    assert "Usage: kling" in result.stdout


def test_voice_create_shows_the_new_voice(kling: KlingRunner) -> None:
    result = kling(
        "--mock", "voices", "create", "narrator", "--voice-url", "https://x.test/v.mp3", "-w"
    )

    assert result.exit_code == 0, result.output
    assert "voice: " in result.stdout


def test_element_presets_are_listed(kling: KlingRunner) -> None:
    result = kling("--mock", "--json", "elements", "presets")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["task_result"]["elements"]


def test_tts_answers_at_once_and_downloads_the_audio(kling: KlingRunner, tmp_path: Path) -> None:
    result = kling(
        "--mock",
        "--json",
        "tts",
        "hello",
        "--voice-id",
        "v1",
        "--voice-language",
        "en",
        "-o",
        str(tmp_path),
    )

    assert result.exit_code == 0, result.output
    (path,) = json.loads(result.stdout)["files"]
    assert Path(path).suffix == ".mp3"
    assert Path(path).stat().st_size > 0


def test_identify_face_lists_faces(kling: KlingRunner) -> None:
    result = kling("--mock", "identify-face", "--video-url", "https://x.test/v.mp4")

    assert result.exit_code == 0, result.output
    assert "session_id: " in result.stdout


def test_missing_local_file_is_a_usage_error(kling: KlingRunner, tmp_path: Path) -> None:
    result = kling("--mock", "image-to-video", str(tmp_path / "nope.png"), "a cat")

    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert "'IMAGE'" in result.stderr
