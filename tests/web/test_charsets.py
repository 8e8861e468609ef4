"""Only UTF-8 bodies, bounded before and after decoding: a charset the client names is never used to decode.

The probe behind issue #20: `charset=zlib` turned a 51 KB body to the token endpoint into 50 MB, and
`charset=rot13` or `bz2` answered 500. Every path with a body is tried, signed out and signed in.
"""

import codecs
import io
import json
import uuid
import zlib

import pytest
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.test import APIClient

from diary.models import Episode
from tests.conftest import episode_json
from web import parsers

BOMB = zlib.compress(json.dumps({"username": "x" * (50 * 1024 * 1024), "password": "y"}).encode(), 9)
OTHER_CHARSETS = ["zlib", "zlib_codec", "bz2", "rot13", "hex", "base64", "utf-16", "latin-1", "utf-7", "nonsense"]


def test_the_bomb_is_small():
    assert len(BOMB) < 60 * 1024


@pytest.mark.parametrize("charset", OTHER_CHARSETS)
def test_the_token_endpoint_refuses_another_charset_with_415_before_reading(client, db, charset):
    response = client.generic("POST", "/api/v1/token/", BOMB, content_type=f"application/json; charset={charset}")
    assert response.status_code == 415
    assert "Only UTF-8" in response.json()["detail"]


def test_the_bomb_as_utf8_is_a_400_not_a_50_mb_string(client, db):
    response = client.generic("POST", "/api/v1/token/", BOMB, content_type="application/json; charset=utf-8")
    assert response.status_code == 400 and "not valid UTF-8" in response.json()["detail"]


@pytest.mark.parametrize("charset", ["zlib", "rot13", "bz2", "utf-16"])
@pytest.mark.parametrize("how", ["session", "token"])
def test_a_signed_in_save_in_another_charset_is_a_415_and_saves_nothing(web, token_api, charset, how):
    body = json.dumps(episode_json()).encode()
    body = zlib.compress(body) if charset == "zlib" else body
    caller = web if how == "session" else token_api
    path = f"/api/v1/episodes/{uuid.uuid4()}/"
    response = caller.generic("PUT", path, body, content_type=f"application/json; charset={charset}")
    assert response.status_code == 415
    assert not Episode.objects.exists()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"', "utf8", None])
def test_utf8_named_in_any_spelling_or_not_named_is_read(token_api, charset):
    content_type = "application/json" + (f"; charset={charset}" if charset else "")
    body = json.dumps(episode_json(notes="pins and needles — worse at night ✓")).encode()
    response = token_api.generic("PUT", f"/api/v1/episodes/{uuid.uuid4()}/", body, content_type=content_type)
    assert response.status_code == 201, response.content
    assert Episode.objects.get().notes.endswith("✓")


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/log/", "/push/subscribe/"])
@pytest.mark.parametrize("charset", ["rot13", "zlib", "bz2"])
def test_pages_and_plain_views_refuse_another_charset_with_415_not_500(web, path, charset):
    content_type = "application/json" if path.startswith("/push/") else "application/x-www-form-urlencoded"
    response = web.generic("POST", path, b"username=a&password=b", content_type=f"{content_type}; charset={charset}")
    assert response.status_code == 415


@pytest.fixture
def json_parser(settings):
    settings.API_MAX_BODY_BYTES = 1000
    return parsers.BoundedJSONParser()


def parse(parser, raw: bytes, content_type: str = "application/json"):
    class Request:
        pass

    request = Request()
    request.content_type = content_type  # type: ignore[attr-defined]
    return parser.parse(io.BytesIO(raw), content_type, {"request": request})


def test_the_parser_itself_never_looks_the_charset_up_in_codecs(json_parser, monkeypatch):
    looked_up: list[str] = []
    real_lookup = codecs.lookup

    def lookup(name: str) -> codecs.CodecInfo:
        looked_up.append(name)
        return real_lookup(name)

    monkeypatch.setattr(codecs, "lookup", lookup)
    with pytest.raises(UnsupportedMediaType):
        parse(json_parser, zlib.compress(b'{"a": 1}'), "application/json; charset=zlib")
    assert parse(json_parser, b'{"a": 1}', "application/json; charset=utf-8") == {"a": 1}
    assert "zlib" not in looked_up


def test_the_parser_reads_no_more_than_its_limit_whatever_the_headers_said(json_parser):
    """A body sent without a Content-Length (the middleware sees nothing) is still cut at the limit."""
    assert parse(json_parser, json.dumps({"n": "x" * 900}).encode())["n"] == "x" * 900
    with pytest.raises(parsers.PayloadTooLarge):
        parse(json_parser, json.dumps({"n": "x" * 1000}).encode())

    class Endless(io.RawIOBase):
        read_sizes: list[int] = []

        def read(self, size: int = -1) -> bytes:
            self.read_sizes.append(size)
            return b" " * size

    stream = Endless()
    with pytest.raises(parsers.TooLarge):
        parsers.read_bounded(stream, 1000)  # type: ignore[arg-type]
    assert stream.read_sizes == [1001]


def test_the_decoded_text_is_no_longer_than_the_body(json_parser):
    """UTF-8 is the only decoding: a body of n bytes is at most n characters (no codec can expand it)."""
    text = json.dumps({"n": "ü" * 400}, ensure_ascii=False)
    assert len(text.encode()) > len(text)
    assert parse(json_parser, text.encode())["n"] == "ü" * 400
    with pytest.raises(ParseError, match="not valid UTF-8"):
        parse(json_parser, '{"n": "ü"}'.encode("latin-1"))


@pytest.fixture
def anonymous_api(db) -> APIClient:
    return APIClient()


def test_signed_out_writes_in_another_charset_are_refused_before_authentication(anonymous_api):
    path, body = f"/api/v1/episodes/{uuid.uuid4()}/", zlib.compress(b"{}")
    response = anonymous_api.generic("PUT", path, body, content_type="application/json; charset=zlib")
    assert response.status_code == 415
