"""Downloading results: atomic files, resume, size checks, safe names, expired URLs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import respx

from kling import AsyncKlingClient, DownloadError, InvalidParameterError, KlingError
from tests._fake_helpers import PNG_SIGNATURE, files_in
from tests._helpers import DroppingStream, ok, task

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

CDN = "https://cdn.example"
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40


@pytest.fixture
def cdn() -> respx.MockRouter:
    with respx.mock(base_url=CDN, assert_all_called=False) as router:
        yield router


async def test_download_streams_to_the_url_file_name_without_credentials(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    route = cdn.get("/out/video.mp4").mock(return_value=httpx.Response(200, content=VIDEO))
    path = await client.download(f"{CDN}/out/video.mp4", tmp_path)
    assert path == tmp_path / "video.mp4"
    assert path.read_bytes() == VIDEO
    headers = route.calls.last.request.headers
    assert "Authorization" not in headers
    assert "X-Api-Secret" not in headers
    assert [p.name for p in tmp_path.iterdir()] == ["video.mp4"]


async def test_default_headers_for_kling_are_not_sent_to_a_cdn(
    cdn: respx.MockRouter, tmp_path: Path
) -> None:
    route = cdn.get("/v.mp4").mock(return_value=httpx.Response(200, content=VIDEO))
    headers = {"X-Gateway-Key": "gw-secret"}
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, default_headers=headers) as client:
        await client.download(f"{CDN}/v.mp4", tmp_path)
    assert "X-Gateway-Key" not in route.calls.last.request.headers


async def test_download_to_an_explicit_file_name(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/v.mp4").mock(return_value=httpx.Response(200, content=VIDEO))
    path = await client.download(f"{CDN}/v.mp4", tmp_path / "sub" / "mine.mp4")
    assert path.read_bytes() == VIDEO


async def test_a_dropped_connection_resumes_with_a_range_request(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cut = 1000
    route = cdn.get("/v.mp4").mock(
        side_effect=[
            httpx.Response(
                200, headers={"Content-Length": str(len(VIDEO))}, stream=DroppingStream(VIDEO, cut)
            ),
            httpx.Response(
                206,
                content=VIDEO[cut:],
                headers={"Content-Range": f"bytes {cut}-{len(VIDEO) - 1}/{len(VIDEO)}"},
            ),
        ]
    )
    seen: list[tuple[int, int | None]] = []
    path = await client.download(
        f"{CDN}/v.mp4", tmp_path, on_progress=lambda done, total: seen.append((done, total))
    )
    assert path.read_bytes() == VIDEO
    assert route.calls[1].request.headers["Range"] == f"bytes={cut}-"
    assert seen[-1] == (len(VIDEO), len(VIDEO))


async def test_a_server_that_ignores_range_restarts_from_zero(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/v.mp4").mock(
        side_effect=[
            httpx.Response(200, stream=DroppingStream(VIDEO, 500)),
            httpx.Response(200, content=VIDEO),
        ]
    )
    path = await client.download(f"{CDN}/v.mp4", tmp_path)
    assert path.read_bytes() == VIDEO


async def test_a_short_body_is_an_error_and_leaves_no_file(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/v.mp4").mock(
        return_value=httpx.Response(
            206, content=VIDEO[:10], headers={"Content-Range": f"bytes 0-9/{len(VIDEO)}"}
        )
    )
    with pytest.raises(DownloadError, match=f"10 of {len(VIDEO)} bytes"):
        await client.download(f"{CDN}/v.mp4", tmp_path / "v.mp4")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("status", [403, 404, 410])
async def test_an_expired_result_url_says_so(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path, status: int
) -> None:
    cdn.get("/old.mp4").mock(return_value=httpx.Response(status))
    with pytest.raises(DownloadError, match="expired") as info:
        await client.download(f"{CDN}/old.mp4", tmp_path)
    assert "30 days" in str(info.value)
    assert info.value.status_code == status
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:video/mp4;base64,AAAA", "/v.mp4"])
async def test_only_http_urls_are_downloaded(
    client: AsyncKlingClient, tmp_path: Path, url: str
) -> None:
    with pytest.raises(InvalidParameterError, match="only http"):
        await client.download(url, tmp_path)


@pytest.mark.parametrize("evil", ["/..%2F..%2Fevil.sh", "/a/../../evil.sh", "/%2e%2e"])
async def test_url_names_cannot_escape_the_target_directory(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path, evil: str
) -> None:
    cdn.get(url__regex=r".*").mock(return_value=httpx.Response(200, content=VIDEO))
    target = tmp_path / "out"
    path = await client.download(CDN + evil, f"{target}/")
    assert path.parent == target.resolve()
    assert list(tmp_path.iterdir()) == [target]


async def test_task_download_saves_every_result_file(
    client: AsyncKlingClient, api: respx.MockRouter, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    images = [{"index": i, "url": f"{CDN}/img{i}.png"} for i in range(2)]
    api.get("/v1/images/generations/t9").mock(
        return_value=ok(task("t9", "succeed", task_result={"images": images}))
    )
    pngs = [PNG_SIGNATURE + b"png0", PNG_SIGNATURE + b"png1"]
    cdn.get("/img0.png").mock(return_value=httpx.Response(200, content=pngs[0]))
    cdn.get("/img1.png").mock(return_value=httpx.Response(200, content=pngs[1]))
    done = await client.images.get("t9")
    paths = await done.download(tmp_path / "out")
    assert [p.name for p in paths] == ["t9-0.png", "t9-1.png"]
    assert [p.read_bytes() for p in paths] == pngs


async def test_task_download_to_one_file_name_needs_one_result(
    client: AsyncKlingClient, api: respx.MockRouter, tmp_path: Path
) -> None:
    images = [{"index": i, "url": f"{CDN}/img{i}.png"} for i in range(2)]
    api.get("/v1/images/generations/t9").mock(
        return_value=ok(task("t9", "succeed", task_result={"images": images}))
    )
    done = await client.images.get("t9")
    with pytest.raises(InvalidParameterError, match="2 result files; pass a directory"):
        await done.download(tmp_path / "one.png")


async def test_an_unfinished_task_has_nothing_to_download(
    client: AsyncKlingClient, api: respx.MockRouter, tmp_path: Path
) -> None:
    api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1", "processing")))
    pending = await client.text_to_video.get("t1")
    with pytest.raises(KlingError, match="no result files"):
        await pending.download(tmp_path)


# -- redirects, URL checks, statuses and short bodies ---------------------------------------------

METADATA = "http://169.254.169.254/latest"
CREDENTIAL_HEADERS = ("Authorization", "X-Api-Key", "X-Api-Secret", "Cookie")


class ShortStream(httpx.AsyncByteStream):
    """A body that sends ``data[:cut]`` and then ends cleanly, as if the server stopped early.

    One protocol per module: the generated sync twin gets ``SyncByteStream`` and ``__iter__``.
    """

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut = data, cut

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data[: self.cut]


def short_answer(cut: int) -> httpx.Response:
    """A 200 promising all of VIDEO in Content-Length but sending only its first ``cut`` bytes."""
    return httpx.Response(
        200, headers={"Content-Length": str(len(VIDEO))}, stream=ShortStream(VIDEO, cut)
    )


def redirect(location: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"Location": location})


def redirect_chain(cdn: respx.MockRouter, hops: int) -> list[respx.Route]:
    """``/hop/0`` redirects to ``/hop/1`` ... ``/hop/<hops>``, which serves VIDEO."""
    routes = [
        cdn.get(f"/hop/{i}").mock(return_value=redirect(f"{CDN}/hop/{i + 1}")) for i in range(hops)
    ]
    routes.append(cdn.get(f"/hop/{hops}").mock(return_value=httpx.Response(200, content=VIDEO)))
    return routes


async def test_a_redirect_is_followed_and_no_hop_gets_the_http_clients_credentials(
    cdn: respx.MockRouter, clock: FakeClock, tmp_path: Path
) -> None:
    first = cdn.get("/out/video.mp4").mock(return_value=redirect("https://edge.example/v/1.mp4"))
    final = cdn.get("https://edge.example/v/1.mp4").mock(
        return_value=httpx.Response(200, content=VIDEO)
    )
    mine = httpx.AsyncClient(
        headers={
            "Authorization": "Bearer user-default",
            "X-Api-Key": "user-key",
            "X-Api-Secret": "user-secret",
            "Cookie": "session=user",
        },
        auth=("u", "p"),
    )
    try:
        client = AsyncKlingClient(ACCESS_KEY, SECRET_KEY, http_client=mine)
        path = await client.download(f"{CDN}/out/video.mp4", tmp_path / "video.mp4")
    finally:
        await mine.aclose()
    assert path.read_bytes() == VIDEO
    assert files_in(tmp_path) == ["video.mp4"]
    for route in (first, final):
        sent = route.calls.last.request.headers
        assert [name for name in CREDENTIAL_HEADERS if name in sent] == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_every_redirect_status_is_followed(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path, status: int
) -> None:
    cdn.get("/v.mp4").mock(return_value=redirect("/moved/v.mp4", status))
    cdn.get("/moved/v.mp4").mock(return_value=httpx.Response(200, content=VIDEO))
    path = await client.download(f"{CDN}/v.mp4", tmp_path / "v.mp4")
    assert path.read_bytes() == VIDEO


async def test_a_chain_of_five_redirects_is_followed(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    routes = redirect_chain(cdn, hops=5)
    path = await client.download(f"{CDN}/hop/0", tmp_path / "v.mp4")
    assert path.read_bytes() == VIDEO
    assert [route.call_count for route in routes] == [1] * 6


async def test_a_chain_of_more_than_five_redirects_fails(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    routes = redirect_chain(cdn, hops=6)
    with pytest.raises(DownloadError, match="more than 5 redirects"):
        await client.download(f"{CDN}/hop/0", tmp_path / "v.mp4")
    assert not routes[-1].called
    assert files_in(tmp_path) == []


async def test_a_redirect_to_the_metadata_address_is_refused_without_contacting_it(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/v.mp4").mock(return_value=redirect(METADATA))
    metadata = cdn.get(url__startswith="http://169.254.169.254").mock(
        return_value=httpx.Response(200, content=b"secrets")
    )
    with pytest.raises(DownloadError, match="redirected somewhere it may not go") as info:
        await client.download(f"{CDN}/v.mp4", tmp_path / "v.mp4")
    assert "plain http" in str(info.value)
    assert not metadata.called
    assert files_in(tmp_path) == []


async def test_a_redirect_to_a_non_http_scheme_is_refused(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/v.mp4").mock(return_value=redirect("file:///etc/passwd"))
    with pytest.raises(DownloadError, match="redirected somewhere it may not go"):
        await client.download(f"{CDN}/v.mp4", tmp_path / "v.mp4")
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    "url", ["http://cdn.example/v.mp4", f"{METADATA}/meta-data", "http://10.0.0.1/v.mp4"]
)
async def test_a_plain_http_url_off_loopback_is_refused_before_any_request(
    client: AsyncKlingClient, tmp_path: Path, url: str
) -> None:
    with respx.mock(assert_all_called=False) as router:
        anything = router.route().mock(return_value=httpx.Response(200, content=VIDEO))
        with pytest.raises(InvalidParameterError, match="plain http") as info:
            await client.download(url, tmp_path)
    assert info.value.field == "url"
    assert not anything.called
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/v.mp4",
        "http://127.8.9.10/v.mp4",
        "http://localhost:8080/v.mp4",
        "http://[::1]:9/v.mp4",
    ],
)
async def test_plain_http_to_a_loopback_host_is_downloaded(
    client: AsyncKlingClient, tmp_path: Path, url: str
) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.get(url).mock(return_value=httpx.Response(200, content=VIDEO))
        path = await client.download(url, tmp_path / "v.mp4")
    assert route.called
    assert path.read_bytes() == VIDEO


@pytest.mark.parametrize(
    ("status", "body"),
    [(204, b""), (302, b"<a href='/elsewhere'>moved</a>"), (400, b"bad request")],
    ids=["204", "302-without-location", "400"],
)
async def test_an_answer_other_than_200_or_206_is_an_error_and_saves_nothing(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path, status: int, body: bytes
) -> None:
    cdn.get("/v.mp4").mock(return_value=httpx.Response(status, content=body))
    with pytest.raises(DownloadError, match=f"HTTP {status}") as info:
        await client.download(f"{CDN}/v.mp4", tmp_path)
    assert info.value.status_code == status
    assert files_in(tmp_path) == []


async def test_a_body_shorter_than_its_content_length_is_resumed(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cut = 1000
    route = cdn.get("/v.mp4").mock(
        side_effect=[
            short_answer(cut),
            httpx.Response(
                206,
                content=VIDEO[cut:],
                headers={"Content-Range": f"bytes {cut}-{len(VIDEO) - 1}/{len(VIDEO)}"},
            ),
        ]
    )
    path = await client.download(f"{CDN}/v.mp4", tmp_path / "v.mp4")
    assert path.read_bytes() == VIDEO
    assert route.call_count == 2
    assert "Range" not in route.calls[0].request.headers
    assert route.calls[1].request.headers["Range"] == f"bytes={cut}-"
    assert files_in(tmp_path) == ["v.mp4"]


async def test_a_body_short_on_every_attempt_fails_and_leaves_no_file(
    client: AsyncKlingClient, cdn: respx.MockRouter, clock: FakeClock, tmp_path: Path
) -> None:
    route = cdn.get("/v.mp4").mock(side_effect=lambda request: short_answer(100))
    with pytest.raises(DownloadError, match=f"closed after 100 of {len(VIDEO)} bytes"):
        await client.download(f"{CDN}/v.mp4", tmp_path / "v.mp4")
    assert route.call_count == client.max_retries + 1
    assert len(clock.sleeps) == client.max_retries
    assert files_in(tmp_path) == []


async def test_a_download_error_hides_the_urls_password(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/v.mp4").mock(return_value=httpx.Response(400))
    with pytest.raises(DownloadError) as info:
        await client.download("https://user:hunter2@cdn.example/v.mp4", tmp_path)
    assert "hunter2" not in str(info.value)
    assert "https://cdn.example/v.mp4" in str(info.value)


async def test_a_refused_redirect_hides_the_targets_password(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/v.mp4").mock(return_value=redirect("http://admin:hunter2@169.254.169.254/"))
    with pytest.raises(DownloadError, match="redirected") as info:
        await client.download(f"{CDN}/v.mp4", tmp_path)
    assert "hunter2" not in str(info.value)


# -- what came back must be the media the URL promised ---------------------------------------------

LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>...</body></html>"
MEDIA = {
    "v.mp4": VIDEO,
    "v.mov": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00" + bytes(100),
    "i.png": PNG_SIGNATURE + bytes(100),
    "i.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100),
    "i.webp": b"RIFF\x64\x00\x00\x00WEBPVP8 " + bytes(100),
    "a.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(100),
    "a.wav": b"RIFF\x64\x00\x00\x00WAVEfmt " + bytes(100),
    "a.m4a": b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + bytes(100),
}


@pytest.mark.parametrize("name", list(MEDIA))
async def test_every_result_format_is_saved(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path, name: str
) -> None:
    cdn.get(f"/{name}").mock(return_value=httpx.Response(200, content=MEDIA[name]))
    path = await client.download(f"{CDN}/{name}", tmp_path)
    assert path.read_bytes() == MEDIA[name]


async def test_a_redirect_to_a_login_page_is_not_saved_as_the_video(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/out/video.mp4").mock(return_value=redirect("https://login.example/sso"))
    cdn.get("https://login.example/sso").mock(
        return_value=httpx.Response(
            200, content=LOGIN_PAGE, headers={"Content-Type": "text/html; charset=utf-8"}
        )
    )
    with pytest.raises(DownloadError) as info:
        await client.download(f"{CDN}/out/video.mp4", tmp_path / "video.mp4")
    message = str(info.value)
    assert "login.example (redirected from cdn.example) answered HTTP 200 with text/html" in message
    assert "'<!DOCTYPE html><html><head><title>Sign in</title>" in message
    assert "not a video; nothing was saved" in message
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    ("content_type", "body", "found"),
    [
        ("text/html", LOGIN_PAGE, "text/html, '<!DOCTYPE html>"),
        ("application/json", b'{"error": "AccessDenied"}', 'application/json, \'{"error"'),
        ("video/mp4", b"", "video/mp4, an empty body"),
        (None, b"", "no content type, an empty body"),
        ("image/png", PNG_SIGNATURE + bytes(100), "image/png, PNG data"),
        # The right bytes under a page's label: something in between is rewriting answers.
        ("text/html", VIDEO, "text/html, MP4 data"),
    ],
    ids=["html", "json", "empty", "empty-unlabelled", "an-image-for-a-video", "labelled-html"],
)
async def test_a_200_that_is_not_the_video_is_an_error_and_keeps_no_file(
    client: AsyncKlingClient,
    cdn: respx.MockRouter,
    tmp_path: Path,
    content_type: str | None,
    body: bytes,
    found: str,
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    cdn.get("/v.mp4").mock(return_value=httpx.Response(200, content=body, headers=headers))
    with pytest.raises(DownloadError) as info:
        await client.download(f"{CDN}/v.mp4", tmp_path)
    assert f"cdn.example answered HTTP 200 with {found}" in str(info.value)
    assert str(info.value).endswith("not a video; nothing was saved")
    assert info.value.status_code == 200
    assert files_in(tmp_path) == []


async def test_a_bad_answer_does_not_replace_a_good_file_already_there(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    (tmp_path / "v.mp4").write_bytes(VIDEO)
    cdn.get("/v.mp4").mock(return_value=httpx.Response(200, content=LOGIN_PAGE))
    with pytest.raises(DownloadError, match="not a video"):
        await client.download(f"{CDN}/v.mp4", tmp_path)
    assert (tmp_path / "v.mp4").read_bytes() == VIDEO
    assert files_in(tmp_path) == ["v.mp4"]


async def test_a_url_without_an_extension_takes_any_result_media_but_not_a_page(
    client: AsyncKlingClient, cdn: respx.MockRouter, tmp_path: Path
) -> None:
    cdn.get("/blob/1").mock(return_value=httpx.Response(200, content=MEDIA["a.mp3"]))
    cdn.get("/blob/2").mock(return_value=httpx.Response(200, content=LOGIN_PAGE))
    path = await client.download(f"{CDN}/blob/1", tmp_path / "one")
    assert path.read_bytes() == MEDIA["a.mp3"]
    with pytest.raises(DownloadError, match="not media; nothing was saved"):
        await client.download(f"{CDN}/blob/2", tmp_path / "two")
    assert files_in(tmp_path) == ["one"]
