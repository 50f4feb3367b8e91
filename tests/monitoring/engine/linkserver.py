"""A real HTTP server on 127.0.0.1 whose paths behave like the links the checker meets, and which records
what it was asked (method, path, start time) and the most requests it had in flight at once.

Paths
  /ok                         200
  /status/CODE                that status
  /flaky/N/NAME               503 for the first N requests to this path, then 200
  /limited/SECONDS/NAME       429 with Retry-After: SECONDS for the first request, then 200
  /slow/SECONDS               200 after SECONDS
  /hold/SECONDS/NAME          200 after SECONDS (many distinct links that overlap)
  /redirect/N                 302 to /redirect/N-1 (relative Location); /redirect/0 is 200
  /moved/CODE                 301 to /status/CODE
  /loop                       302 to itself
  /badredirect                302 to a Location that is not a URL
  /nohead                     HEAD 405, GET 200
  /huge                       HEAD 405, GET a 64 MiB body (a checker must not download it)
"""

from __future__ import annotations

import re
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE_BYTES = 64 << 20


class LinkServer:
    def __init__(self, *, tls_context: ssl.SSLContext | None = None) -> None:
        self.requests: list[tuple[float, str, str]] = []
        self.connections: list[tuple[int, str]] = []  # (client port, Connection header) per request
        self.max_in_flight = 0
        self.huge_bytes_sent = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        if tls_context is not None:
            self._httpd.socket = tls_context.wrap_socket(self._httpd.socket, server_side=True)
        self.scheme = "https" if tls_context else "http"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> LinkServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str, *, host: str = "127.0.0.1", scheme: str = "") -> str:
        return f"{scheme or self.scheme}://{host}:{self.port}{path}"

    def hits(self, path: str) -> list[str]:
        """The methods of the requests made to `path`, in order."""
        return [method for _, method, seen in self.requests if seen == path]

    def _enter(self, method: str, path: str, client_port: int, connection: str) -> int:
        with self._lock:
            self.requests.append((time.monotonic(), method, path))
            self.connections.append((client_port, connection))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            return len(self.hits(path))

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A checker hanging up on a slow or huge answer is what some tests do on purpose.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(server: LinkServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_HEAD(self) -> None:
            self._serve("HEAD")

        def do_GET(self) -> None:
            self._serve("GET")

        def log_message(self, *args) -> None:
            pass

        def _serve(self, method: str) -> None:
            seen = server._enter(method, self.path, self.client_address[1], self.headers.get("Connection", ""))
            try:
                status, headers = self._route(method, self.path, seen)
            finally:
                # Before the answer goes out: once it is out, the client may rightly start its next request.
                server._leave()
            if status == "huge":
                return self._huge()
            body = b"" if method == "HEAD" else f"status {status}\n".encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(f"status {status}\n")))
            self.end_headers()
            self.wfile.write(body)

        def _route(self, method: str, path: str, seen: int) -> tuple[int | str, dict[str, str]]:
            if path == "/ok" or path == "/redirect/0":
                return 200, {}
            if m := re.fullmatch(r"/status/(\d+)", path):
                return int(m[1]), {}
            if m := re.fullmatch(r"/flaky/(\d+)/\w+", path):
                return (503 if seen <= int(m[1]) else 200), {}
            if m := re.fullmatch(r"/limited/(\d+)/\w+", path):
                return (429, {"Retry-After": m[1]}) if seen == 1 else (200, {})
            if m := re.fullmatch(r"/(?:slow|hold)/([\d.]+)(?:/\w+)?", path):
                time.sleep(float(m[1]))
                return 200, {}
            if m := re.fullmatch(r"/redirect/(\d+)", path):
                return 302, {"Location": f"{int(m[1]) - 1}"}
            if m := re.fullmatch(r"/moved/(\d+)", path):
                return 301, {"Location": f"/status/{m[1]}"}
            if path == "/badredirect":
                return 302, {"Location": "http://[bad"}
            if path == "/loop":
                return 302, {"Location": "/loop"}
            if path == "/nohead":
                return (405 if method == "HEAD" else 200), {}
            if path == "/huge":
                return (405 if method == "HEAD" else "huge"), {}
            return 404, {}

        def _huge(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(HUGE_BYTES // len(chunk)):
                    self.wfile.write(chunk)
                    server.huge_bytes_sent += len(chunk)
            except OSError:
                self.close_connection = True

    return Handler
