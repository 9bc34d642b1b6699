"""``kling.models()``: what it says is what the SDK's tables check, row by row, sources and all.

Every assertion that compares with a table row runs for every row, so a value that drifts from
the rows the checks use fails here. Sources are whatever the rows hold (read through
``sources_of``); one test gives a row sources of its own to see them come through.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

import kling
from kling import InvalidParameterError, ModelInfo, ModelUse
from kling._evidence import page
from kling._params._legacy_models import DEFAULT_MODELS, LEGACY_MODELS, LegacyModel
from kling._params._standard_models import MODEL_RULES, ModelRules

LEGACY_ROWS = sorted(LEGACY_MODELS)
NEW_ROWS = sorted(MODEL_RULES)


def legacy_use(family: str, model: str) -> ModelUse:
    return kling.models(model).use(family, "legacy")


def new_use(product: str, model: str) -> ModelUse:
    return kling.models(model).use(product, "new")


def test_every_row_of_both_tables_is_one_use_and_nothing_else_is_listed() -> None:
    listed = {(use.standard, use.name, info.name) for info in kling.models() for use in info.serves}
    assert listed == {
        *(("legacy", family, model) for family, model in LEGACY_MODELS),
        *(("new", product, model) for product, model in MODEL_RULES),
    }
    names = [info.name for info in kling.models()]
    assert len(names) == len(set(names))  # one entry per name, whatever it serves


@pytest.mark.parametrize(("family", "model"), LEGACY_ROWS)
def test_a_legacy_use_says_what_its_row_checks(family: str, model: str) -> None:
    row: LegacyModel = LEGACY_MODELS[family, model]
    use = legacy_use(family, model)
    assert use.default is (DEFAULT_MODELS.get(family) == model)
    if row.durations:
        assert use.durations == tuple(int(d) for d in row.durations)
        assert use.sources_of("durations") == row.sources_of("durations")
    if row.modes:
        assert use.modes == row.modes
        assert use.sources_of("modes") == row.sources_of("modes")
    assert bool(use.audio) is row.sound
    assert use.sources_of("audio") == row.sources_of("sound")
    assert not set(row.aspect_ratios) & set(use.aspect_ratios)
    if row.aspect_ratios:
        assert use.sources_of("aspect_ratios") == row.sources_of("aspect_ratios")
    if row.resolutions:
        assert use.resolutions == row.resolutions
        assert use.sources_of("resolutions") == row.sources_of("resolutions")
    else:
        assert ("4k" in use.resolutions) <= row.four_k
    expected = {} if row.max_elements is None else {"element": row.max_elements}
    assert dict(use.counts) == expected
    for feature in use.features:
        assert getattr(row, feature), feature
        assert use.sources_of(feature) == row.sources_of(feature)


@pytest.mark.parametrize(("product", "model"), NEW_ROWS)
def test_a_new_standard_use_says_what_its_row_checks(product: str, model: str) -> None:
    row: ModelRules = MODEL_RULES[product, model]
    use = new_use(product, model)
    assert use.default is False
    assert use.durations == row.durations
    assert use.resolutions == row.resolutions
    assert use.audio == row.audio
    assert use.default_audio == row.default_audio
    assert dict(use.counts) == dict(row.contents)
    assert use.prompt_max == row.prompt_max
    assert ("multi_shot" in use.features) is row.multi_shot
    for capability, attribute in [
        ("durations", "durations"),
        ("resolutions", "resolutions"),
        ("audio", "audio"),
        ("counts", "contents"),
        ("prompt_max", "prompt_max"),
    ]:
        assert use.sources_of(capability) == row.sources_of(attribute), capability


def test_a_rows_sources_come_through_per_value() -> None:
    own = page(
        "https://github.com/aself101/kling-api/blob/main/docs/api/kling-omni-3.0-t2v.md",
        "Duration: 3-15 s",
    )
    general = page(
        "https://github.com/aself101/kling-api/blob/main/docs/api/kling-guide-capability-map-video.md"
    )
    row = MODEL_RULES["text_to_video", "kling-3.0"]
    cited = dataclasses.replace(row, sources=(general,), cites={"durations": (own,)})
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(MODEL_RULES, ("text_to_video", "kling-3.0"), cited)
        use = new_use("text_to_video", "kling-3.0")
        data = kling.models("kling-3.0").as_dict()
    assert use.sources_of("durations") == (own,)
    assert use.sources_of("resolutions") == (general,)
    served = next(u for u in data["serves"] if u["name"] == "text_to_video")
    assert served["sources"]["durations"] == [
        {
            "page": own.page,
            "date": own.date,
            "quote": "Duration: 3-15 s",
            "url": own.url,
        }
    ]


def test_a_changed_row_changes_the_catalogue() -> None:
    row = LEGACY_MODELS["text_to_video", "kling-v1"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(LEGACY_MODELS, ("text_to_video", "kling-v1"), row._replace(durations=("5",)))
        assert legacy_use("text_to_video", "kling-v1").durations == (5,)
    assert legacy_use("text_to_video", "kling-v1").durations == (5, 10)


def test_aspect_ratios_are_the_familys_less_what_the_row_refuses() -> None:
    v1, v3 = legacy_use("images", "kling-v1"), legacy_use("images", "kling-v3")
    assert "21:9" not in v1.aspect_ratios
    assert "21:9" in v3.aspect_ratios
    assert "aspect_ratios" not in v1.from_parameters  # the row refuses one
    assert "aspect_ratios" in v3.from_parameters  # every value of ImageAspectRatio
    assert new_use("text_to_video", "kling-3.0").aspect_ratios == ("16:9", "9:16", "1:1")
    # The first frame decides an image-to-video's aspect ratio: there is none to choose.
    assert new_use("image_to_video", "kling-3.0").aspect_ratios == ()


def test_image_resolutions_are_the_familys_and_4k_only_where_the_row_says() -> None:
    assert legacy_use("omni_image", "kling-v3-omni").resolutions == ("1k", "2k", "4k")
    assert legacy_use("omni_image", "kling-image-o1").resolutions == ("1k", "2k")
    assert legacy_use("images", "kling-v1").resolutions == ("1k",)
    assert legacy_use("images", "kling-v2-new").resolutions == ("1k", "2k")  # the type's


def test_a_feature_is_listed_only_where_the_family_takes_the_parameter() -> None:
    # cfg_scale=True is every row's default; images take no cfg_scale.
    assert "cfg_scale" in legacy_use("text_to_video", "kling-v1").features
    assert "cfg_scale" not in legacy_use("text_to_video", "kling-v2-master").features
    assert "cfg_scale" not in legacy_use("images", "kling-v1").features
    assert "series" in legacy_use("omni_image", "kling-v3-omni").features


def test_a_model_on_both_standards_is_one_entry() -> None:
    info = kling.models("kling-v3-omni")
    assert info.standards == ("legacy", "new")
    assert info.use("omni_video", "new").resource == "v2.omni_video"
    assert info.use("omni_video", "legacy").resource == "omni_video"
    with pytest.raises(InvalidParameterError, match="kling-v3-omni does not serve images"):
        info.use("images")


def test_an_unknown_model_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidParameterError) as caught:
        kling.models("kling-3.1")
    message = str(caught.value)
    assert message.startswith("unknown model 'kling-3.1' (did you mean 'kling-3.0'?)")
    for info in kling.models():
        assert info.name in message
    assert caught.value.field == "name"


def test_the_catalogue_is_frozen_and_json() -> None:
    info = kling.models("kling-3.0")
    assert isinstance(info, ModelInfo)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        info.serves[0].counts["element"] = 9  # type: ignore[index]
    assert json.loads(json.dumps([i.as_dict() for i in kling.models()]))


def test_import_kling_does_not_build_the_catalogue() -> None:
    program = (
        "import sys, kling\n"
        "before = {'kling._catalogue', 'kling._families'} & set(sys.modules)\n"
        "count = len(kling.models())\n"
        "print(sorted(before), 'kling._catalogue' in sys.modules, count > 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split("\n")[0] == "[] True True"
