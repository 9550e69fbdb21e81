"""A fake Telegram Bot API server on 127.0.0.1, strict where Telegram is strict (text over
4096 characters, HTML it cannot parse), so the real python-telegram-bot client runs end to
end. Tests push updates into it and read what the bot sent."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)((?:\s[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def visible_html(text: str) -> str:
    """The text Telegram would show, or ApiError where Telegram refuses to parse it."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in _TAG.finditer(text):
        out.append(_check_text(text[pos:m.start()]))
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name not in ALLOWED_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag \"{name}\"")
        if closing:
            if not stack or stack.pop() != name:
                raise ApiError(400, f"Bad Request: can't parse entities: Unexpected end tag {name}")
        else:
            stack.append(name)
        pos = m.end()
    out.append(_check_text(text[pos:]))
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed tag {stack[-1]}")
    return "".join(out)


def _check_text(part: str) -> str:
    if "<" in part or ">" in part:
        raise ApiError(400, "Bad Request: can't parse entities: unexpected < or >")
    for amp in re.finditer("&", part):
        if not _ENTITY.match(part, amp.start()):
            raise ApiError(400, "Bad Request: can't parse entities: bad character entity")
    return _ENTITY.sub(lambda m: {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(m.group(1), "?"),
                       part)


class FakeTelegram:
    """Run with ``start()``; ``base_url`` is what TELEGRAM_API_BASE_URL should be."""

    def __init__(self, token: str = TOKEN, username: str = "careerbot_test_bot",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.token = token
        self.clock = clock  # stamps ``times``; a test may share a fake clock with the bot
        self.bot = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "careerbot",
                    "username": username, "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.times: list[float] = []  # when each request arrived (monotonic)
        self.updates: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.failures: dict[str, list[ApiError]] = {}
        self.drops: dict[str, int] = {}  # method -> connections to cut before answering
        # method -> requests to carry out, then cut the connection before the response: the
        # bot cannot tell whether Telegram acted on them (the lost-response case)
        self.lost_responses: dict[str, int] = {}
        # method -> seconds: once that request has been carried out, Telegram becomes
        # unreachable for that long (connections refused, open ones cut, that request's
        # response included), so the bot's next request fails before it is sent
        self.outage_after: dict[str, float] = {}
        self._connections: set[Any] = set()
        self._port = 0
        self._ids = itertools.count(1)
        self._messages = itertools.count(1000)
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> FakeTelegram:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                fake._connections.add(self.connection)

            def finish(self) -> None:
                fake._connections.discard(self.connection)
                with contextlib.suppress(OSError):
                    super().finish()

            def do_GET(self) -> None:
                prefix = f"/file/bot{fake.token}/"
                path = unquote(self.path)
                if path.startswith(prefix) and path[len(prefix):] in fake.files:
                    body = fake.files[path[len(prefix):]]
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(404)
                self.end_headers()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                params = fake._parse(self.headers.get("Content-Type", ""), raw)
                method = self.path.rsplit("/", 1)[-1]
                if fake.drops.get(method):
                    fake.drops[method] -= 1
                    self.close_connection = True
                    self.connection.shutdown(2)  # a network failure: no answer at all
                    return
                if not self.path.startswith(f"/bot{fake.token}/"):
                    status, payload = 401, {"ok": False, "error_code": 401,
                                            "description": "Unauthorized"}
                else:
                    try:
                        result = fake._call(method, params)
                        status, payload = 200, {"ok": True, "result": result}
                        outage = fake.outage_after.pop(method, None)
                        if outage:
                            # Cut everything before answering: no idle connection is left
                            # for the next request to be written into.
                            fake._outage(outage)
                            return
                        if fake.lost_responses.get(method):
                            fake.lost_responses[method] -= 1
                            self.close_connection = True
                            self.connection.shutdown(2)
                            return
                    except ApiError as exc:
                        status = exc.code
                        payload = {"ok": False, "error_code": exc.code,
                                   "description": exc.description}
                        if exc.retry_after:
                            payload["parameters"] = {"retry_after": exc.retry_after}
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away (a long poll cut short at shutdown)

        self._handler = Handler
        self._listen()
        return self

    def _listen(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), self._handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def _outage(self, seconds: float) -> None:
        """Refuse connections for ``seconds``: the listening socket is closed and every open
        connection cut now; listening resumes on the same port afterwards."""
        server = self._server
        assert server is not None
        # Refuse new connections at once (a listening socket shut down is refused by the
        # kernel), then cut the open ones, and only then stop the serving loop.
        with contextlib.suppress(OSError):
            server.socket.shutdown(socket.SHUT_RDWR)
        for conn in list(self._connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.shutdown()
        server.server_close()

        def resume() -> None:
            time.sleep(seconds)
            self._listen()

        threading.Thread(target=resume, daemon=True).start()

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._port}/bot"

    # -- parsing -----------------------------------------------------------------

    @staticmethod
    def _parse(content_type: str, raw: bytes) -> dict[str, Any]:
        def value(v: str) -> Any:
            try:
                return json.loads(v)
            except ValueError:
                return v

        if content_type.startswith("application/json"):
            return json.loads(raw or b"{}")
        if content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
            out: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                out[str(name)] = payload if part.get_filename() else value(payload.decode())
            return out
        return {k: value(v) for k, v in parse_qsl(raw.decode())}

    # -- the API -----------------------------------------------------------------

    def _message(self, chat_id: int, text: str | None = None, **extra: Any) -> dict[str, Any]:
        msg: dict[str, Any] = {"message_id": next(self._messages), "date": int(time.time()),
                               "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                               "from": self.bot, **extra}
        if text is not None:
            msg["text"] = text
        return msg

    def _call(self, method: str, params: dict[str, Any]) -> Any:
        queued = self.failures.get(method)
        if queued:
            raise queued.pop(0)
        if method != "getUpdates":
            with self._cond:
                self.requests.append((method, params))
                self.times.append(self.clock())
                self._cond.notify_all()
        if method == "getMe":
            return self.bot
        if method in ("deleteWebhook", "setMyCommands", "sendChatAction", "answerCallbackQuery",
                      "setWebhook", "close", "logOut"):
            return True
        if method == "getUpdates":
            return self._get_updates(params)
        if method in ("sendMessage", "editMessageText"):
            text = str(params.get("text", ""))
            shown = visible_html(text) if params.get("parse_mode") == "HTML" else text
            if not shown.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            if len(shown) > 4096:
                raise ApiError(400, "Bad Request: message is too long")
            return self._message(int(params["chat_id"]), shown)
        if method in ("sendPhoto", "sendDocument"):
            return self._message(int(params["chat_id"]), caption=params.get("caption", ""))
        if method == "getFile":
            file_id = str(params["file_id"])
            return {"file_id": file_id, "file_unique_id": file_id, "file_path": file_id,
                    "file_size": len(self.files.get(file_id, b""))}
        raise ApiError(404, f"Not Found: method {method} is not faked")

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        with self._cond:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self.updates)

    # -- what tests use ----------------------------------------------------------

    def _push(self, update: dict[str, Any]) -> int:
        update_id = next(self._ids)
        with self._cond:
            self.updates.append({"update_id": update_id, **update})
            self._cond.notify_all()
        return update_id

    @staticmethod
    def user(user_id: int, language: str = "en") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}",
                "language_code": language}

    def send_text(self, user_id: int, text: str, *, chat_id: int | None = None,
                  language: str = "en", reply_to_bot: bool = False) -> int:
        """A user writes ``text`` (commands and @mentions get their entities)."""
        chat_id = chat_id if chat_id is not None else user_id
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        if chat_id < 0:
            chat["title"] = "Test group"
        message: dict[str, Any] = {"message_id": next(self._messages), "date": int(time.time()),
                                   "chat": chat, "from": self.user(user_id, language), "text": text}
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        for m in re.finditer(r"@\w+", text):
            entities.append({"type": "mention", "offset": _utf16_len(text[:m.start()]),
                             "length": _utf16_len(m.group(0))})
        if entities:
            message["entities"] = entities
        if reply_to_bot:
            message["reply_to_message"] = self._message(chat_id, "earlier answer")
        return self._push({"message": message})

    def send_sticker(self, user_id: int) -> int:
        return self._push({"message": {
            "message_id": next(self._messages), "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"}, "from": self.user(user_id),
            "sticker": {"file_id": "st1", "file_unique_id": "st1", "width": 512, "height": 512,
                        "is_animated": False, "is_video": False, "type": "regular"}}})

    def send_document(self, user_id: int, name: str, data: bytes, caption: str = "") -> int:
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = data
        message: dict[str, Any] = {
            "message_id": next(self._messages), "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"}, "from": self.user(user_id),
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                         "file_size": len(data)}}
        if caption:
            message["caption"] = caption
        return self._push({"message": message})

    def press(self, user_id: int, data: str, language: str = "en") -> int:
        """The user presses an inline button whose callback data is ``data``."""
        return self._push({"callback_query": {
            "id": f"cq{next(self._ids)}", "from": self.user(user_id, language),
            "chat_instance": "ci", "data": data, "message": self._message(user_id, "buttons")}})

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict[str, Any]]:
        with self._cond:
            return [p for m, p in self.requests
                    if m == method and (chat_id is None or int(p.get("chat_id", 0)) == chat_id)]

    def texts(self, chat_id: int) -> list[str]:
        return [visible_html(str(p["text"])) for p in self.sent("sendMessage", chat_id)]

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> None:
        """Block until ``predicate(self)`` holds (call from a thread, or use ``await_for``)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; the bot sent: {self.requests[-10:]}")
                self._cond.wait(left)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
