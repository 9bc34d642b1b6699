"""Downloading results: atomic files, resume, size checks, safe names, expired URLs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx

from kling import AsyncKlingClient, DownloadError, InvalidParameterError, KlingError
from tests._helpers import DroppingStream, ok, task

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
    cdn.get(url__regex=r".*").mock(return_value=httpx.Response(200, content=b"x"))
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
    cdn.get("/img0.png").mock(return_value=httpx.Response(200, content=b"png0"))
    cdn.get("/img1.png").mock(return_value=httpx.Response(200, content=b"png1"))
    done = await client.images.get("t9")
    paths = await done.download(tmp_path / "out")
    assert [p.name for p in paths] == ["t9-0.png", "t9-1.png"]
    assert [p.read_bytes() for p in paths] == [b"png0", b"png1"]


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
