"""The family table drives everything per family: resources, signatures, bodies, the CLI.

These tests hold each row to what the rest of the SDK does with it: a typed resource on both
clients, a body validated with the row's TypedDict and rules, a finished task that holds what
the row says, and a generator that turns one new row into everything a family needs.
"""

from __future__ import annotations

import importlib.util
import inspect
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from typing_extensions import is_typeddict

import kling._params
from kling import AsyncKlingClient, KlingClient
from kling._async import _generated_families as async_resources
from kling._families import ENDPOINTS, FAMILIES, PRODUCTS, Family
from kling._sync import _generated_families as sync_resources
from kling.testing import FakeKling, Timing

ROOT = Path(__file__).resolve().parents[1]
U = "https://cdn.example/in.png"
V = "https://cdn.example/in.mp4"

#: The least each family takes, for a round trip through FakeKling.
MINIMAL: dict[str, dict[str, Any]] = {
    "text_to_video": {"prompt": "a corgi"},
    "image_to_video": {"image": U},
    "multi_image_to_video": {"prompt": "friends", "image_list": [{"image": U}]},
    "video_extend": {"video_id": "v0"},
    "lip_sync": {"video_id": "v0", "mode": "text2video", "text": "hi", "voice_id": "uk_boy1"},
    "advanced_lip_sync": {
        "session_id": "s0",
        "face_choose": [
            {
                "face_id": "0",
                "audio_id": "a0",
                "sound_start_time": 0,
                "sound_end_time": 3000,
                "sound_insert_time": 0,
            }
        ],
    },
    "multi_elements": {
        "session_id": "s0",
        "edit_mode": "removal",
        "prompt": "Delete the dog from <<<video_1>>>",
    },
    "video_effects": {"effect_scene": "bloombloom", "image": U},
    "avatar": {"image": U, "audio_id": "a0"},
    "motion_control": {
        "image_url": U,
        "video_url": V,
        "character_orientation": "video",
        "mode": "std",
    },
    "omni_video": {
        "prompt": "<<<image_1>>> dances",
        "image_list": [{"image_url": U}],
        "aspect_ratio": "16:9",
    },
    "images": {"prompt": "a fox"},
    "omni_image": {"prompt": "a fox", "aspect_ratio": "1:1"},  # "auto" needs images
    "multi_image_to_image": {"prompt": "x", "subject_image_list": [{"subject_image": U}]},
    "image_expand": {"image": U, "up_expansion_ratio": 0.5},
    "virtual_try_on": {"human_image": U, "cloth_image": U},
    "text_to_audio": {"prompt": "rain", "duration": 5},
    "video_to_audio": {"video_id": "v0"},
    "elements": {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "reference_type": "image_refer",
        "element_image_list": {"frontal_image": U, "refer_images": [{"image_url": U}]},
    },
    "voices": {"voice_name": "narrator", "voice_url": "https://cdn.example/voice.mp3"},
    "ai_multi_shot": {"element_frontal_image": U},
}


def test_every_family_has_a_minimal_example_here() -> None:
    assert set(MINIMAL) == set(FAMILIES)


def test_the_table_holds_every_family_and_synchronous_endpoint() -> None:
    assert set(ENDPOINTS) - set(FAMILIES) == {
        "tts",
        "identify_face",
        "image_recognize",
        "custom_elements",
    }
    for row in ENDPOINTS.values():
        # The generated signatures import each TypedDict from kling._params, by its row's name.
        assert row.typed_dict.__name__ == row.params
        assert row.summary.endswith(".")
        assert "\n" not in row.summary
        fields = inspect.get_annotations(row.typed_dict)
        for argument in row.arguments:
            assert argument in row.typed_dict.__annotations__ or argument in fields


@pytest.mark.parametrize("name", list(FAMILIES))
@pytest.mark.parametrize("module", [async_resources, sync_resources], ids=["async", "sync"])
def test_each_family_has_a_typed_resource_whose_signatures_name_its_typed_dict(
    module: Any, name: str
) -> None:
    family = FAMILIES[name]
    prefix = "Async" if module is async_resources else ""
    cls = getattr(module, prefix + "".join(part.title() for part in name.split("_")))
    assert cls.row is family
    typed = family.params
    assert str(inspect.signature(cls.create).parameters["params"].annotation) == (
        f"Unpack[{typed}]"
    )
    # create_and_wait takes the family's TypedDict and the wait options, defined once.
    waits = str(inspect.signature(cls.create_and_wait).parameters["params"].annotation)
    combined = waits.removeprefix("Unpack[").removesuffix("]")
    assert f"class {combined}({typed}, WaitOptions, total=False):" in inspect.getsource(module)
    assert str(inspect.signature(cls.create_many).parameters["items"].annotation) == (
        f"Iterable[{typed}]"
    )
    assert family.path in (cls.__doc__ or "")


@pytest.mark.parametrize("client_cls", [KlingClient, AsyncKlingClient])
def test_each_family_is_a_client_attribute_documented_by_its_summary(client_cls: type) -> None:
    for name, family in FAMILIES.items():
        attribute = getattr(client_cls, name)
        assert inspect.getdoc(attribute) == family.summary


def test_a_rows_rules_run_in_order_on_its_body() -> None:
    from kling import InvalidParameterError
    from kling._params import prepare_body

    family = FAMILIES["video_to_audio"]
    with pytest.raises(InvalidParameterError, match="one of video_id or video_url is required"):
        prepare_body(family, {})
    # ...and the table's wrapping: lip-sync fields go under "input", task options stay on top.
    body = prepare_body(FAMILIES["lip_sync"], {**MINIMAL["lip_sync"], "callback_url": U})
    assert body == {"input": {k: v for k, v in MINIMAL["lip_sync"].items()}, "callback_url": U}


def test_fake_kling_knows_each_family_by_the_same_name_path_and_result() -> None:
    # FakeKling keeps its own table, so that a wrong path in the SDK's fails a test.
    from kling.testing import FAMILIES as FAKE_FAMILIES

    fake = {family.name: (family.path, family.result) for family in FAKE_FAMILIES}
    assert fake == {name: (family.path, family.result) for name, family in FAMILIES.items()}


@pytest.mark.parametrize("name", list(FAMILIES))
def test_a_finished_task_holds_what_its_row_says(name: str, tmp_path: Path) -> None:
    family: Family = FAMILIES[name]
    with (
        FakeKling.serve(timing=Timing.instant()) as server,
        KlingClient(server.access_key, server.secret_key, base_url=server.url) as client,
    ):
        params = _with_what_kling_made(client, name, MINIMAL[name])
        done = getattr(client, name).create_and_wait(**params, poll_interval=0.05)
    result = done.task_result
    assert result is not None
    kinds = ("videos", "audios") if family.result == "video_audios" else (family.result,)
    for kind in kinds:
        assert getattr(result, kind), f"{name}: no {kind} in {result}"


def _with_what_kling_made(client: KlingClient, name: str, params: dict[str, Any]) -> Any:
    """Kling extends only a video it made, lip-syncs only a face session it identified, and
    edits only the elements marked in a selection session."""
    if name == "video_extend":
        made = client.text_to_video.create_and_wait(prompt="x", poll_interval=0.05)
        return {**params, "video_id": made.videos[0].id}
    if name == "advanced_lip_sync":
        faces = client.identify_face(video_url=V)
        face = {**params["face_choose"][0], "face_id": faces.face_data[0].face_id}
        return {**params, "session_id": faces.session_id, "face_choose": [face]}
    if name == "multi_elements":  # a removal edits what a selection session marked
        session = client.multi_elements.init_selection(video_url=V)
        session.add_selection(0, [(0.5, 0.5)])
        return {**params, "session_id": session.session_id}
    return params


# -- the generator: one new row is everything a family needs ---------------------------------------


def _load_generator() -> Any:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location(
            "kling_unasync_families", ROOT / "scripts" / "unasync.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "scripts"))


NEW_ROW = """    Family(
        name="text_to_video_beta",
        path="/v1/videos/text2video-beta",
        params="TextToVideoParams",
        summary="Text-to-video tasks, beta.",
        result="videos",
        arguments=("prompt",),
    ),
"""


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's package, generator config and generated documents."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "kling", root / "kling", ignore=ignore)
    (root / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "rules.md", root / "docs" / "rules.md")
    return root


def test_one_new_row_generates_its_resources_and_client_attributes(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unasync = _load_generator()
    assert unasync.main(["--check", "--root", str(checkout)]) == 0
    table = checkout / "kling" / "_families.py"
    text = table.read_text()
    table.write_text(text.replace("_FAMILY_ROWS = (\n", "_FAMILY_ROWS = (\n" + NEW_ROW, 1))

    assert unasync.main(["--check", "--root", str(checkout)]) == 1
    problems = capsys.readouterr().err
    for stale in (
        "kling/_async/_generated_families.py",
        "kling/_async/_generated_properties.py",
        "kling/_sync/_generated_families.py",
        "kling/_sync/_generated_properties.py",
    ):
        assert f"{stale}: differs from the generated output" in problems

    assert unasync.main(["--root", str(checkout)]) == 0
    generated = {
        path: (checkout / path).read_text()
        for path in (
            "kling/_async/_generated_families.py",
            "kling/_async/_generated_properties.py",
            "kling/_sync/_generated_families.py",
            "kling/_sync/_generated_properties.py",
        )
    }
    assert (
        "class AsyncTextToVideoBeta(AsyncFamilyResource):"
        in generated["kling/_async/_generated_families.py"]
    )
    assert (
        "def text_to_video_beta(self) -> AsyncTextToVideoBeta:"
        in generated["kling/_async/_generated_properties.py"]
    )
    assert (
        "class TextToVideoBeta(FamilyResource):" in generated["kling/_sync/_generated_families.py"]
    )
    assert (
        "def text_to_video_beta(self) -> TextToVideoBeta:"
        in generated["kling/_sync/_generated_properties.py"]
    )
    assert unasync.main(["--check", "--root", str(checkout)]) == 0


def test_a_hand_edit_of_a_generated_family_module_fails_the_check(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unasync = _load_generator()
    assert unasync.main(["--root", str(checkout)]) == 0
    path = checkout / "kling" / "_async" / "_generated_families.py"
    path.write_text(path.read_text().replace('"""Submit a task', '"""Send a task', 1))
    assert unasync.main(["--check", "--root", str(checkout)]) == 1
    assert "kling/_async/_generated_families.py: differs" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("wrong", "refusal"),
    [
        (
            'params="TextToVideoParam",',
            "text_to_video_wrong: kling._params does not export a TypedDict TextToVideoParam",
        ),
        (
            'params="prepare_body",',
            "text_to_video_wrong: kling._params does not export a TypedDict prepare_body",
        ),
        (
            'params="TextToVideoParams",\n        rules=("multi_shot", "camera_contrl"),',
            "text_to_video_wrong: kling._params._video has no rule camera_contrl",
        ),
    ],
)
def test_a_row_naming_what_kling_params_lacks_is_refused(
    checkout: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, wrong: str, refusal: str
) -> None:
    # Rows name their TypedDict and rules (imported on first use): a typo is caught when the
    # resources are generated, not by the first user of the family.
    root = tmp_path / "bad"
    shutil.copytree(checkout, root)
    table = root / "kling" / "_families.py"
    text = table.read_text()
    row = NEW_ROW.replace('params="TextToVideoParams",', wrong).replace("_beta", "_wrong")
    table.write_text(text.replace("_FAMILY_ROWS = (\n", "_FAMILY_ROWS = (\n" + row, 1))
    unasync = _load_generator()
    assert unasync.main(["--check", "--root", str(root)]) == 2
    assert refusal in capsys.readouterr().err


def test_every_row_names_an_exported_typed_dict_and_rules_beside_it() -> None:
    rows = [*ENDPOINTS.values(), *PRODUCTS.values()]
    for row in rows:
        assert row.params in kling._params.__all__, row
        assert is_typeddict(row.typed_dict), row
        assert len(row.checks) == len(row.rules), row
        assert all(callable(check) for check in row.checks), row
    # Every name kling._params exports is where its map says.
    from kling._params._exports import MODULES

    assert set(MODULES) == set(kling._params.__all__)
    for name in kling._params.__all__:
        assert getattr(kling._params, name) is not None
    assert FAMILIES["text_to_video"].checks[0].__name__ == "multi_shot"


def test_a_row_prints_as_its_name_and_route() -> None:
    assert repr(FAMILIES["text_to_video"]) == "<Family text_to_video: /v1/videos/text2video>"
    assert repr(PRODUCTS["image_to_video"]) == "<Product image_to_video: /image-to-video/{model}>"
    assert repr(ENDPOINTS["tts"]) == "<Endpoint tts: /v1/audio/tts>"
