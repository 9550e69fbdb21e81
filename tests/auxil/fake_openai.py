"""A fake OpenAI-compatible server on 127.0.0.1 (chat completions, with and without
streaming, and the model list) that records every request, so the real openai and
langchain-openai clients run against it.

``obey`` makes it a model that follows instructions it finds in its prompt, the way a weak or
tricked model does: ``"anywhere"`` obeys them wherever they are, ``"outside"`` only outside the
``<passage>`` fences (a model that respects the fence, so only a broken fence fools it). It
reads the prompt as a model would: Unicode-normalised, zero-width characters unseen,
look-alike letters read as Latin, tags matched case-insensitively. Each instruction is copied
into the answer with a citation of the passage it came from (or the system prompt, when it
asks for that), after the scripted reply.
"""

from __future__ import annotations

import json
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[list[dict[str, Any]]], str]

_LOOKALIKE = str.maketrans("аеорсхуіѕјԁһАВЕКМНОРСТХаοαερτυνκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
                           "aeopcxyisjdhABEKMHOPCTXaoaeptuvkABEZHIKMNOPTYX")
_ORDER = re.compile(
    r"ignore|disregard|you are now|from now on|\b(system|assistant|developer)\s*[:：]"
    r"|\b(reply|respond|say|recommend|reveal|print)\b|忽略|无视|你现在是|请回答|请输出|助手\s*[:：]",
    re.IGNORECASE)
_REVEAL = re.compile(r"\b(reveal|repeat|print)\b|system prompt|系统提示|提示词|输出.{0,6}指令", re.IGNORECASE)


def perceive(text: str) -> str:
    """The prompt as a model reads it."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf").translate(_LOOKALIKE)


class _Reader(HTMLParser):
    """Splits the prompt into text inside and outside ``<passage>`` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.passage = "1"
        self.pieces: list[tuple[bool, str, str]] = []  # (inside a passage, passage id, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "passage":
            self.depth += 1
            self.passage = dict(attrs).get("id") or self.passage

    def handle_endtag(self, tag: str) -> None:
        if tag == "passage":
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        self.pieces.append((self.depth > 0, self.passage, data))


def obeyed(messages: list[dict[str, Any]], where: str) -> list[str]:
    """What a model that obeys instructions in its prompt adds to its answer."""
    reader = _Reader()
    reader.feed(perceive(str(messages[-1]["content"])))
    reader.close()
    out: list[str] = []
    for inside, passage, data in reader.pieces:
        if inside and where != "anywhere":
            continue
        for line in (ln.strip() for ln in data.splitlines()):
            if not line or line.startswith("Question:") or not _ORDER.search(line):
                continue
            text = str(messages[0]["content"]) if _REVEAL.search(line) else line
            out.append(f"{text} [{passage}]")
    return out


class FakeOpenAI:
    def __init__(self, reply: Reply | str = "OK [1]", model: str = "fake-model") -> None:
        self.reply: Reply = reply if callable(reply) else (lambda _messages, text=reply: text)
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.replies: list[str] = []  # what the "model" said, before careerbot checked it
        self.failures: list[tuple[int, float]] = []  # (HTTP status, delay s) for the next calls
        self.chunk_delay = 0.0  # seconds between streamed pieces
        self.obey: str | None = None  # None, "anywhere" or "outside" (see the module docstring)
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def completions(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if "messages" in r]

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                with fake._lock:
                    failure = fake.failures.pop(0) if fake.failures else None
                if failure and failure[0] >= 400:
                    self._json(failure[0], {"error": {"message": "fake failure"}})
                    return
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [
                        {"id": fake.model, "object": "model", "created": 0, "owned_by": "fake"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append(body)
                    fake.headers.append(dict(self.headers))
                    failure = fake.failures.pop(0) if fake.failures else None
                if failure:
                    status, delay = failure
                    time.sleep(delay)
                    if status >= 400:
                        self._json(status, {"error": {"message": "fake failure", "type": "server_error"}})
                        return
                if not self.path.endswith("/chat/completions"):
                    self._json(404, {"error": {"message": "not found"}})
                    return
                text = fake.reply(body["messages"])
                if fake.obey:
                    text = " ".join([text, *obeyed(body["messages"], fake.obey)])
                with fake._lock:
                    fake.replies.append(text)
                if body.get("stream"):
                    self._stream(text)
                else:
                    self._json(200, {
                        "id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()),
                        "model": fake.model,
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": text}}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}})

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = [text[i:i + 12] for i in range(0, len(text), 12)] or [""]
                for n, piece in enumerate(words):
                    time.sleep(fake.chunk_delay)
                    delta = {"content": piece} if n else {"role": "assistant", "content": piece}
                    self._chunk({"id": "chatcmpl-1", "object": "chat.completion.chunk",
                                 "created": 0, "model": fake.model,
                                 "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
                self._chunk({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0,
                             "model": fake.model,
                             "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                self._write(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")

            def _chunk(self, payload: dict[str, Any]) -> None:
                self._write(f"data: {json.dumps(payload)}\n\n".encode())

            def _write(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
