"""A fake OpenAI-compatible server on 127.0.0.1 (chat completions, with and without
streaming, and the model list) that records every request, so the real openai and
langchain-openai clients run against it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[list[dict[str, Any]]], str]


class FakeOpenAI:
    def __init__(self, reply: Reply | str = "OK [1]", model: str = "fake-model") -> None:
        self.reply: Reply = reply if callable(reply) else (lambda _messages, text=reply: text)
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.failures: list[tuple[int, float]] = []  # (HTTP status, delay s) for the next calls
        self.chunk_delay = 0.0  # seconds between streamed pieces
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
