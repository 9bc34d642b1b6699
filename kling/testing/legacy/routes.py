"""The legacy API's routes (``/v1/...``, ``/account/...``): create, query and list for every
task family, the synchronous endpoints, the older element library and the billing details.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._callbacks import CallbackDispatcher
from .._envelope import ApiError
from .._families import FAMILIES, FAMILIES_BY_NAME, Family, Requirement
from .._http import Endpoint, json_body, ok
from .._presets import (
    PRESET_ELEMENT_BASE,
    PRESET_ELEMENT_IDS,
    PRESET_ELEMENTS,
    PRESET_VOICE_IDS,
    PRESET_VOICES,
)
from .._prices import call_charge
from .._state import TaskStore, new_task_id
from .._task import CREATOR_ID
from . import billing
from .context import FaceSession
from .lookup import StoreLookup
from .other import ELEMENT_TAGS
from .other import identify_face as check_identify_face
from .other import image_recognize as check_image_recognize
from .other import old_custom_element as check_old_custom_element
from .other import tts as check_tts
from .selection import selection_routes
from .validate import validate

_PRESET_TIME = 1_767_225_600_000  # 2026-01-01T00:00:00Z in ms
_RECOGNIZE_TYPES = ("object_seg", "head_seg", "face_seg", "cloth_seg")


# ------------------------------------------------------------------------------------ helpers


def _lookup(body: dict[str, Any], dotted: str) -> Any:
    value: Any = body
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _require(body: dict[str, Any], requirements: tuple[Requirement, ...]) -> None:
    for options in requirements:
        if not any(_present(_lookup(body, name)) for name in options):
            if len(options) == 1:
                raise ApiError(1201, f"Invalid parameter: {options[0]} is required")
            raise ApiError(1201, f"Invalid parameter: one of {', '.join(options)} is required")


_PAGING = ("pageNum", "pageSize")


_BY_ID_HINT = " (look a task up by id or external_task_id with GET <path>/<id>)"


def _only_query(request: Request, allowed: tuple[str, ...], *, tasks: bool = True) -> None:
    """Refuse query parameters the endpoint does not document.

    Kling's docs are silent on unknown ones; refusing is the reading that never accepts what
    Kling might refuse, and it catches ``?external_task_id=`` sent where a path id belongs.
    """
    for name in request.query_params:
        if name not in allowed:
            takes = " and ".join(allowed) if allowed else "no query parameters"
            raise ApiError(
                1201,
                f"Invalid parameter: unknown query parameter '{name}'; {request.url.path} takes "
                f"{takes}{_BY_ID_HINT if tasks else ''}",
            )


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError(1201, f"Invalid parameter: {name} must be an integer in [{low}, {high}]")
    return value


def _paging(request: Request, max_page_size: int) -> tuple[int, int]:
    return (
        _int_param(request, "pageNum", 1, 1, 1000),
        _int_param(request, "pageSize", 30, 1, max_page_size),
    )


def _page(items: list[Any], page_num: int, page_size: int) -> list[Any]:
    start = (page_num - 1) * page_size
    return items[start : start + page_size]


def _files_base(request: Request) -> str:
    return f"{request.base_url}files/"


# ------------------------------------------------------------------------------------- routes


class _Api:
    """Request handlers bound to one fake's store, callbacks and resource packs.

    They do not authenticate: the fake's outer layer (``FakeKling.__call__``) has, before it read
    the body, for every path but ``/files/`` and ``/_fake/``.
    """

    def __init__(
        self,
        store: TaskStore,
        callbacks: CallbackDispatcher,
        resource_packs: Callable[[], Sequence[Mapping[str, Any]]],
    ) -> None:
        self.store = store
        self.callbacks = callbacks
        self.resource_packs = resource_packs
        self.lookup = StoreLookup(store, PRESET_ELEMENT_IDS, PRESET_VOICE_IDS)

    def _now_ms(self) -> int:
        return int(self.store.wall_clock() * 1000)

    # -------------------------------------------------------------------------- task families

    def family_root(self, family: Family) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            if request.method == "POST":
                body = await json_body(request)
                plan = validate(family.name, body, self.lookup)  # required fields included
                task = self.store.create(
                    family, body, str(request.base_url), count=plan.count, details=plan.details
                )
                if task.callback_url:
                    self.callbacks.start(task)
                return ok(request, task.create_view())
            _only_query(request, _PAGING)
            page_num, page_size = _paging(request, family.max_page_size)
            tasks = self.store.page(family, page_num, page_size)
            return ok(request, [self.store.observe(task) for task in tasks])

        return endpoint

    def family_item(self, family: Family) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            _only_query(request, ())
            task = self.store.find(family, request.path_params["task_id"])
            return ok(request, self.store.observe(task))

        return endpoint

    # ------------------------------------------------------------------- synchronous endpoints

    async def tts(self, request: Request) -> Response:
        body = await json_body(request)
        check_tts(body)
        now, audio_id = self._now_ms(), str(uuid.uuid4())
        audio = {"id": audio_id, "url": f"{_files_base(request)}{audio_id}.mp3", "duration": "5"}
        return ok(
            request,
            {
                "task_id": self.store.new_id(),
                "task_status": "succeed",
                "task_status_msg": "",
                "task_result": {"audios": [audio]},
                "final_unit_deduction": call_charge("Avatar", "TTS"),
                "created_at": now,
                "updated_at": now,
            },
        )

    async def identify_face(self, request: Request) -> Response:
        body = await json_body(request)
        check_identify_face(body)
        session_id = str(uuid.uuid4())
        source = self.lookup.video(body["video_id"]) if body.get("video_id") else None
        video_ms = int((source.duration if source else 5) * 1000)
        face = {
            "face_id": "0",
            "face_image": f"{_files_base(request)}{session_id}-face-0.png",
            "start_time": 0,
            "end_time": video_ms,
        }
        with self.store.lock:
            self.store.sessions[session_id] = FaceSession(
                session_id, self._now_ms(), {"0": (0, video_ms)}, video_ms
            )
        return ok(
            request,
            {
                "session_id": session_id,
                "final_unit_deduction": call_charge("Lip Sync", "Face Recognition"),
                "face_data": [face],
            },
        )

    async def image_recognize(self, request: Request) -> Response:
        body = await json_body(request)
        check_image_recognize(body)
        task_id, now = self.store.new_id(), self._now_ms()
        images = [
            {"type": kind, "is_contain": True, "url": f"{_files_base(request)}{task_id}-{kind}.png"}
            for kind in _RECOGNIZE_TYPES
        ]
        return ok(
            request,
            {
                "task_id": task_id,
                "task_status": "succeed",
                "task_status_msg": "",
                "task_result": {"images": images},
                "created_at": now,
                "updated_at": now,
            },
        )

    async def presets_voices(self, request: Request) -> Response:
        _only_query(request, _PAGING, tasks=False)
        page_num, page_size = _paging(request, 1000)
        items = [
            _preset_task(
                index,
                {
                    "voices": [
                        {
                            "voice_id": voice_id,
                            "voice_name": name,
                            "trial_url": f"{_files_base(request)}{voice_id}.mp3",
                            "owned_by": "kling",
                        }
                    ]
                },
            )
            for index, (voice_id, name) in enumerate(PRESET_VOICES)
        ]
        return ok(request, _page(items, page_num, page_size))

    async def presets_elements(self, request: Request) -> Response:
        _only_query(request, _PAGING, tasks=False)
        page_num, page_size = _paging(request, 500)
        items = []
        for index, (name, description) in enumerate(PRESET_ELEMENTS):
            element = {
                "element_id": PRESET_ELEMENT_BASE + index,
                "element_name": name,
                "element_description": description,
                "reference_type": "image_refer",
                "element_image_list": {
                    "frontal_image": f"{_files_base(request)}preset-element-{index}.png"
                },
                "element_video_list": {},
                "tag_list": [],
                "owned_by": "kling",
                "status": "succeed",
            }
            items.append(_preset_task(index, {"elements": [element]}))
        return ok(request, _page(items, page_num, page_size))

    # ---------------------------------------------------- the older element library (no tasks)

    async def custom_elements(self, request: Request) -> Response:
        if request.method == "POST":
            body = await json_body(request)
            check_old_custom_element(body)
            element = _old_element(new_task_id(), body, CREATOR_ID)
            with self.store.lock:
                self.store.custom_elements[str(element["element_id"])] = element
            return ok(request, element)
        _only_query(request, _PAGING, tasks=False)
        page_num, page_size = _paging(request, 500)
        with self.store.lock:
            elements = list(reversed(self.store.custom_elements.values()))  # newest first
        return ok(request, _page(elements, page_num, page_size))

    async def old_presets_elements(self, request: Request) -> Response:
        _only_query(request, _PAGING, tasks=False)
        page_num, page_size = _paging(request, 500)
        items = [
            _old_element(
                str(PRESET_ELEMENT_BASE + index),
                {
                    "element_name": name,
                    "element_description": description,
                    "element_frontal_image": f"{_files_base(request)}preset-element-{index}.png",
                    "element_refer_list": [],
                },
                "kling",
            )
            | {"final_unit_deduction": "0"}
            for index, (name, description) in enumerate(PRESET_ELEMENTS)
        ]
        return ok(request, _page(items, page_num, page_size))

    async def delete_elements(self, request: Request) -> Response:
        """``delete-elements`` deletes from either library: the older one's page and the
        advanced one's image pages both name it."""
        body = await json_body(request)
        _require(body, (("element_id",),))
        element_id = str(body["element_id"])
        with self.store.lock:
            removed = self.store.custom_elements.pop(element_id, None)
        if removed is None:
            task = self.store.delete_result(FAMILIES_BY_NAME["elements"], element_id)
            return ok(request, {"task_id": task.task_id, "task_status": "succeed"})
        return ok(request, {"task_id": self.store.new_id(), "task_status": "succeed"})

    def delete_result(self, family_name: str, field: str) -> Endpoint:
        family = FAMILIES_BY_NAME[family_name]

        async def endpoint(request: Request) -> Response:
            body = await json_body(request)
            _require(body, ((field,),))
            task = self.store.delete_result(family, str(body[field]))
            return ok(request, {"task_id": task.task_id, "task_status": "succeed"})

        return endpoint

    async def account_costs(self, request: Request) -> Response:
        times = []
        for name in ("start_time", "end_time"):
            text = request.query_params.get(name)
            if not text:
                raise ApiError(1201, f"Invalid parameter: {name} is required")
            try:
                times.append(int(text))
            except ValueError as exc:
                raise ApiError(1201, f"Invalid parameter: {name} must be milliseconds") from exc
        if times[1] < times[0]:
            raise ApiError(1201, "Invalid parameter: end_time is before start_time")
        wanted = request.query_params.get("resource_pack_name")
        self.store.settle()  # the tasks finished by now have been charged to the packs
        packs = [
            {key: value for key, value in pack.items() if key != "product_type"}  # the fake's
            for pack in self.resource_packs()
            if not wanted or pack.get("resource_pack_name") == wanted
        ]
        data: dict[str, Any] = {"code": 0, "msg": "success"}
        if packs:  # with no pack Kling leaves the key out altogether
            data["resource_pack_subscribe_infos"] = packs
        return ok(request, data)

    def billing_details(self, kind: billing.Kind) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            body = await json_body(request)
            wanted, offset = billing.query(kind, body)
            rows = billing.rows(kind, self.store.charges(), wanted)
            return ok(request, billing.page(rows, wanted, offset))

        return endpoint


_TAG_NAMES = dict(
    zip(
        ELEMENT_TAGS,
        ("Hottest", "Character", "Animal", "Item", "Costume", "Scene", "Effect", "Others"),
        strict=True,
    )
)


def _old_element(element_id: str, body: dict[str, Any], owner: str) -> dict[str, Any]:
    """An element of the older library as its create and lists return it."""
    tags = [
        {"id": tag["tag_id"], "name": _TAG_NAMES[tag["tag_id"]], "description": ""}
        for tag in body.get("tag_list") or ()
    ]
    return {
        "element_id": int(element_id),
        "element_name": body["element_name"],
        "element_description": body["element_description"],
        "element_frontal_image": body["element_frontal_image"],
        "element_refer_list": [
            {"image_url": item["image_url"]} for item in body["element_refer_list"]
        ],
        "tag_list": tags,
        "owned_by": owner,
    }


def _preset_task(index: int, result: dict[str, Any]) -> dict[str, Any]:
    return {
        "task_id": f"{700_000_000_000_000_000 + index}",
        "task_status": "succeed",
        "task_status_msg": "",
        "task_info": {},
        "task_result": result,
        "created_at": _PRESET_TIME,
        "updated_at": _PRESET_TIME,
    }


def legacy_routes(
    store: TaskStore,
    callbacks: CallbackDispatcher,
    resource_packs: Callable[[], Sequence[Mapping[str, Any]]],
) -> list[Route]:
    """The legacy API's routes; ``resource_packs`` is read per request (tests may replace it)."""
    api = _Api(store, callbacks, resource_packs)
    # Before the families' routes: POST .../init-selection is no task of GET .../{task_id}.
    routes: list[Route] = selection_routes(store, api.lookup)
    for family in FAMILIES:
        routes.append(Route(family.path, api.family_root(family), methods=["GET", "POST"]))
        routes.append(Route(family.path + "/{task_id}", api.family_item(family), methods=["GET"]))
    return [
        *routes,
        Route("/v1/audio/tts", api.tts, methods=["POST"]),
        Route("/v1/videos/identify-face", api.identify_face, methods=["POST"]),
        Route("/v1/videos/image-recognize", api.image_recognize, methods=["POST"]),
        Route("/v1/general/presets-voices", api.presets_voices, methods=["GET"]),
        Route("/v1/general/advanced-presets-elements", api.presets_elements, methods=["GET"]),
        Route(
            "/v1/general/delete-voices",
            api.delete_result("voices", "voice_id"),
            methods=["POST"],
        ),
        Route("/v1/general/delete-elements", api.delete_elements, methods=["POST"]),
        Route("/v1/general/custom-elements", api.custom_elements, methods=["GET", "POST"]),
        Route("/v1/general/presets-elements", api.old_presets_elements, methods=["GET"]),
        Route(
            "/v1/general/delete-advanced-elements",
            api.delete_result("elements", "element_id"),
            methods=["POST"],
        ),
        Route("/account/costs", api.account_costs, methods=["GET"]),
        Route("/account/billing/balance", api.billing_details("balance"), methods=["POST"]),
        Route("/account/billing/package", api.billing_details("package"), methods=["POST"]),
    ]
