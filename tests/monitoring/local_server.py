"""A real HTTP server on 127.0.0.1 for the monitoring tests: feeds, web pages, link checking.

The fixture `local_server` (tests/monitoring/conftest.py) starts one per test:

    from tests.monitoring.local_server import Reply

    def test_…(local_server):
        local_server.routes["/feed.xml"] = Reply(body=RSS, headers={"Content-Type": "application/rss+xml"})
        local_server.routes["/slow"] = Reply(body="…", delay=2.0)
        local_server.routes["/dynamic"] = lambda request: Reply(304 if request.headers.get("if-none-match") else 200)
        reading = read_feed(local_server.url("/feed.xml"), allow_private=True)
        assert local_server.requests[0].headers["user-agent"].startswith("Mozilla")

A route is matched on the path with its query, then on the path alone; anything else is a 404. Every
request is recorded (method, path, lower-cased headers, body) with how much of the reply was sent, so a
test can prove a client stopped reading. HEAD gets the headers without the body. Replies are HTTP/1.1
with Content-Length (keep-alive) unless `content_length=False`, which sends the body until the
connection closes. The monitoring code refuses loopback unless told `allow_private=True`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    chunk_size: int = 64 * 1024
    chunk_delay: float = 0.0  # seconds between body chunks: a slow drip
    content_length: bool = True


@dataclass
class Seen:
    """One request as the server saw it, and how much of the reply went out."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    peer: tuple = ()  # the client's (address, port): the same port means the same connection
    sent: int = 0  # body bytes written before the client went away (or all of them)
    complete: bool = False
    finished: threading.Event = field(default_factory=threading.Event)


Route = Reply | Callable[[Seen], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler sleeping out a delay does not hold up the test's end

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is what some tests do
            super().handle_error(request, client_address)


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _handler(self))
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path or urlsplit(seen.path).path == path]

    def reply_for(self, seen: Seen) -> Reply:
        route = self.routes.get(seen.path) or self.routes.get(urlsplit(seen.path).path)
        if route is None:
            return Reply(404, "<html><head><title>404 Not Found</title></head><body>页面不存在</body></html>",
                         {"Content-Type": "text/html; charset=utf-8"})
        return route(seen) if callable(route) else route

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes handlers still sleeping out a delay
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: LocalServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the tests inspect `server.requests`
            pass

        def do_GET(self):
            self._answer()

        def do_HEAD(self):
            self._answer(with_body=False)

        def do_POST(self):
            self._answer()

        def _answer(self, with_body: bool = True):
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                        self.rfile.read(length) if length else b"", self.client_address)
            server.requests.append(seen)
            try:
                reply = server.reply_for(seen)
                if reply.delay and server.stopping.wait(reply.delay):
                    return
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.content_length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if with_body and reply.status not in (204, 304):
                    self._send(seen, reply, body)
                seen.complete = True
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                self.close_connection = True
            finally:
                seen.finished.set()

        def _send(self, seen: Seen, reply: Reply, body: bytes):
            for start in range(0, len(body), reply.chunk_size):
                if start and reply.chunk_delay and server.stopping.wait(reply.chunk_delay):
                    raise BrokenPipeError
                chunk = body[start:start + reply.chunk_size]
                self.wfile.write(chunk)
                self.wfile.flush()
                seen.sent += len(chunk)

    return Handler
