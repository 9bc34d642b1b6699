"""The table of Kling's endpoints: everything that differs between them, one row each.

A task family is one :class:`Family` row: where it lives, its parameter TypedDict and
cross-field rules (named: they live in ``kling._params`` and are imported when the row's
parameters are first checked), how its body is wrapped, what a finished task holds, and how the
``kling`` command presents it (what a row is: ``kling._rows``). One generic resource
(``kling/_async/_resources.py``) serves every row of both standards; the typed resource classes
and the client's properties that editors and mypy need are generated from this table by
``scripts/unasync.py`` (``kling/_async/_generated_*.py`` and ``kling/_sync/_generated_*.py``).

Create is ``POST path``, get is ``GET path/{task_id or external_task_id}``, list is
``GET path?pageNum=..&pageSize=..``. The synchronous endpoints (TTS, face identification,
image recognition) are :class:`Endpoint` rows: they share the validation, not the task verbs.
The new standard's products (``POST /text-to-video/{model}``...) are :class:`Product` rows.

Adding a family: a row here, its TypedDict in ``kling._params`` (exported by name there) and any
rule beside it (a rule is named in the TypedDict's module), its tests; then
``python scripts/unasync.py``.
"""

from __future__ import annotations

from ._evidence import Source, page
from ._params._rulebook import rg
from ._rows import Endpoint, Family, Library, Product, ResultKind, Selections, TaskRow

__all__ = [
    "ENDPOINTS",
    "FAMILIES",
    "PRODUCTS",
    "ROWS",
    "Endpoint",
    "Family",
    "Library",
    "Product",
    "ResultKind",
    "Selections",
    "TaskRow",
]

_COMFY_LIP_SYNC = Source(
    "https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/api/lip_sync.py", "2026-02-03"
)

#: The task options every create takes; kept at the top of a body whose fields are wrapped.
_TASK_OPTIONS = frozenset({"callback_url", "external_task_id", "watermark_info"})


_FAMILY_ROWS = (
    Family(
        name="text_to_video",
        sources=(rg("text-to-video"), page("kling-2.6-t2v")),
        path="/v1/videos/text2video",
        params="TextToVideoParams",
        summary="Text-to-video tasks.",
        rules=("multi_shot", "prompt_unless_custom_shots", "camera_control", "voices_need_sound"),
        result="videos",
        arguments=("prompt",),
    ),
    Family(
        name="image_to_video",
        sources=(rg("image-to-video"), page("kling-2.6-i2v")),
        path="/v1/videos/image2video",
        params="ImageToVideoParams",
        summary="Image-to-video tasks.",
        rules=("image_to_video_inputs", "camera_control", "multi_shot", "voices_need_sound"),
        result="videos",
        arguments=("image", "prompt"),
    ),
    Family(
        name="multi_image_to_video",
        sources=(rg("multi-image-to-video"),),
        path="/v1/videos/multi-image2video",
        params="MultiImageToVideoParams",
        summary="Video from up to four reference images.",
        result="videos",
        arguments=("prompt",),
    ),
    Family(
        name="video_extend",
        sources=(rg("video-extend"),),
        path="/v1/videos/video-extend",
        params="VideoExtendParams",
        summary="Video extension tasks.",
        result="videos",
        arguments=("video_id", "prompt"),
    ),
    Family(
        name="lip_sync",
        sources=(page("kling-lip-sync"), _COMFY_LIP_SYNC),
        path="/v1/videos/lip-sync",
        params="LipSyncParams",
        summary="Lip-sync tasks.",
        rules=("lip_sync_inputs",),
        top_level=_TASK_OPTIONS,
        result="videos",
    ),
    Family(
        name="advanced_lip_sync",
        sources=(page("kling-lip-sync"),),
        path="/v1/videos/advanced-lip-sync",
        params="AdvancedLipSyncParams",
        summary="Advanced lip-sync tasks: chosen faces speak (see ``identify_face``).",
        rules=("face_clips",),
        result="videos",
        arguments=("session_id",),
        external_id_lookup=False,
    ),
    # Multi-element editing: mark elements of a video in a selection session, then edit them.
    # https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md
    Family(
        name="multi_elements",
        sources=(page("kling-multi-element-video-editing"),),
        path="/v1/videos/multi-elements",
        params="MultiElementsParams",
        summary="Multi-element editing: add, swap or remove elements marked in a video.",
        rules=("edit_mode_images",),
        result="videos",
        arguments=("session_id", "prompt"),
        selections=Selections(
            init_path="/v1/videos/multi-elements/init-selection",
            add_path="/v1/videos/multi-elements/add-selection",
            delete_path="/v1/videos/multi-elements/delete-selection",
            clear_path="/v1/videos/multi-elements/clear-selection",
            preview_path="/v1/videos/multi-elements/preview-selection",
        ),
    ),
    Family(
        name="video_effects",
        sources=(page("kling-effects-video-effects"),),
        path="/v1/videos/effects",
        params="VideoEffectsParams",
        summary="Video effect templates.",
        rules=("effect_image",),
        top_level=_TASK_OPTIONS | {"effect_scene"},
        result="videos",
        arguments=("effect_scene",),
    ),
    Family(
        name="avatar",
        sources=(page("kling-avatar"),),
        path="/v1/videos/avatar/image2video",
        params="AvatarParams",
        summary="Talking-avatar tasks.",
        rules=("avatar_audio",),
        result="videos",
        arguments=("image",),
    ),
    Family(
        name="motion_control",
        sources=(
            rg("motion-control"),
            page("kling-motion-control-2.6"),
            page("kling-motion-control-3.0"),
        ),
        path="/v1/videos/motion-control",
        params="MotionControlParams",
        summary="Motion-control tasks.",
        result="videos",
        arguments=("image_url", "video_url"),
    ),
    Family(
        name="omni_video",
        sources=(rg("omni-video-o1"), page("kling-o1-video"), page("kling-omni-3.0-ovg")),
        path="/v1/videos/omni-video",
        params="OmniVideoParams",
        summary="Omni video tasks.",
        rules=("multi_shot", "prompt_unless_custom_shots", "omni_video_references"),
        result="videos",
        arguments=("prompt",),
    ),
    Family(
        name="images",
        sources=(page("kling-image-2.1-generation"), rg("image-generation")),
        path="/v1/images/generations",
        params="ImageGenerationParams",
        summary="Image generation tasks.",
        rules=("image_generation_inputs",),
        result="images",
        arguments=("prompt",),
        command="image",
        aliases=("images",),
    ),
    Family(
        name="omni_image",
        sources=(page("kling-image-o1-generation"), page("kling-image-omni-3.0-image-omni")),
        path="/v1/images/omni-image",
        params="OmniImageParams",
        summary="Omni image tasks.",
        rules=("omni_image_options",),
        result="images",
        arguments=("prompt",),
    ),
    Family(
        name="multi_image_to_image",
        sources=(page("kling-image-2.1-multi-image-to-image"),),
        path="/v1/images/multi-image2image",
        params="MultiImageToImageParams",
        summary="Image from subject, scene and style images.",
        result="images",
        arguments=("prompt",),
    ),
    Family(
        name="image_expand",
        sources=(page("kling-image-common-outpainting"),),
        path="/v1/images/editing/expand",
        params="ImageExpandParams",
        summary="Image expansion (outpainting) tasks.",
        rules=("expansion_area",),
        result="images",
        arguments=("image", "prompt"),
    ),
    Family(
        name="virtual_try_on",
        sources=(rg("virtual-try-on"),),
        path="/v1/images/kolors-virtual-try-on",
        params="VirtualTryOnParams",
        summary="Virtual try-on tasks.",
        result="images",
        arguments=("human_image", "cloth_image"),
    ),
    Family(
        name="text_to_audio",
        sources=(page("kling-text-to-audio"),),
        path="/v1/audio/text-to-audio",
        params="TextToAudioParams",
        summary="Sound effects from text.",
        result="audios",
        arguments=("prompt",),
    ),
    Family(
        name="video_to_audio",
        sources=(page("kling-video-to-audio"),),
        path="/v1/audio/video-to-audio",
        params="VideoToAudioParams",
        summary="Sound for a video.",
        rules=("video_source",),
        result="video_audios",
    ),
    Family(
        name="elements",
        sources=(page("kling-o1-element-mgt"), page("kling-omni-3.0-element-mgt")),
        path="/v1/general/advanced-custom-elements",
        params="ElementCreateParams",
        summary="Your custom elements (reusable subjects), and Kling's presets.",
        rules=("element_references",),
        result="elements",
        arguments=("element_name",),
        library=Library(
            presets_path="/v1/general/advanced-presets-elements",
            delete_path="/v1/general/delete-advanced-elements",
            id_field="element_id",
            name_field="element_name",
            noun="element",
        ),
    ),
    Family(
        name="voices",
        sources=(page("kling-2.6-voice-mgt"), page("kling-omni-3.0-voice-mgt")),
        path="/v1/general/custom-voices",
        params="VoiceCreateParams",
        summary="Your custom voices, and Kling's presets.",
        rules=("voice_source",),
        result="voices",
        arguments=("voice_name",),
        max_page_size=1000,
        library=Library(
            presets_path="/v1/general/presets-voices",
            delete_path="/v1/general/delete-voices",
            id_field="voice_id",
            name_field="voice_name",
            noun="voice",
        ),
    ),
    # AI multi-shot: other views of an element from its frontal image.
    Family(
        name="ai_multi_shot",
        sources=(page("kling-image-common-subject-completion"),),
        path="/v1/general/ai-multi-shot",
        params="AiMultiShotParams",
        summary="Other views of an element from its frontal image (three candidate sets).",
        result="images",
        arguments=("element_frontal_image",),
    ),
)

_ENDPOINT_ROWS = (
    Endpoint(
        name="tts",
        sources=(page("kling-text-to-speech"),),
        path="/v1/audio/tts",
        params="TtsParams",
        summary="Text to speech (answers at once).",
        arguments=("text",),
    ),
    Endpoint(
        name="identify_face",
        sources=(page("kling-face-recog"),),
        path="/v1/videos/identify-face",
        params="IdentifyFaceParams",
        summary="Find the faces in a video for advanced lip-sync (answers at once).",
        rules=("face_video",),
    ),
    Endpoint(
        name="image_recognize",
        sources=(page("kling-img-recog"),),
        path="/v1/videos/image-recognize",
        params="ImageRecognizeParams",
        summary="Segment an image into subject, head, face and clothing masks.",
        arguments=("image",),
    ),
    # The older element library: its create answers with the element at once.
    Endpoint(
        name="custom_elements",
        sources=(rg("custom-elements"),),
        path="/v1/general/custom-elements",
        params="CustomElementCreateParams",
        summary="Your elements in Kling's older element library, and its presets.",
        arguments=("element_name",),
        library=Library(
            presets_path="/v1/general/presets-elements",
            delete_path="/v1/general/delete-elements",
            id_field="element_id",
            name_field="element_name",
            noun="element",
        ),
    ),
)

_PRODUCT_ROWS = (
    Product(
        name="text_to_video",
        sources=(
            page("kling-3.0-turbo-t2v"),
            page("kling-omni-3.0-t2v"),
            page("kling-2.6-t2v"),
            page("kling-2.5-turbo-t2v"),
        ),
        result="videos",
        path="/text-to-video",
        params="TextToVideoV2Params",
        models="TextToVideoV2Model",
        example_model="kling-3.0",
        summary="Text-to-video on the new standard (Kling 3.0, 3.0 Turbo, 2.6, 2.5 Turbo).",
        prompt_in_contents=False,
        arguments=("prompt",),
    ),
    Product(
        name="image_to_video",
        sources=(
            page("kling-3.0-turbo-i2v"),
            page("kling-omni-3.0-i2v"),
            page("kling-2.6-i2v"),
            page("kling-2.5-turbo-i2v"),
        ),
        result="videos",
        path="/image-to-video",
        params="ImageToVideoV2Params",
        models="ImageToVideoV2Model",
        example_model="kling-3.0",
        summary="Image-to-video on the new standard: a first frame, and a last one.",
        arguments=("first_frame", "prompt"),
    ),
    Product(
        name="omni_video",
        sources=(page("kling-omni-3.0-ovg"), page("kling-o1-video")),
        result="videos",
        path="/omni-video",
        params="OmniVideoV2Params",
        models="OmniVideoV2Model",
        example_model="kling-3.0-omni",
        summary="Omni video on the new standard: frames, references, a video to follow or edit.",
        arguments=("prompt",),
    ),
    Product(
        name="motion_control",
        sources=(page("kling-omni-3.0-motion-control"), page("kling-2.6-motion-control")),
        result="videos",
        path="/motion-control",
        params="MotionControlV2Params",
        models="MotionControlV2Model",
        example_model="kling-3.0",
        summary="Motion control on the new standard: a person moves as in a video.",
        arguments=("image", "video"),
    ),
)

#: Task families by name.
FAMILIES: dict[str, Family] = {family.name: family for family in _FAMILY_ROWS}
#: Everything that takes a validated body, task families and synchronous endpoints, by name.
ENDPOINTS: dict[str, Endpoint] = {row.name: row for row in (*_FAMILY_ROWS, *_ENDPOINT_ROWS)}
#: The new standard's products by name (``client.v2.<name>``).
PRODUCTS: dict[str, Product] = {product.name: product for product in _PRODUCT_ROWS}
#: Every row that creates tasks, of both standards: what commands and tools are made from.
ROWS: tuple[TaskRow, ...] = (*_FAMILY_ROWS, *_PRODUCT_ROWS)
