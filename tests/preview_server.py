"""A real `baikonur-pub preview` in a subprocess, and a Server-Sent Events reader, for tests."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

CLI = Path(sys.executable).parent / "baikonur-pub"


class PreviewProcess:
    """`baikonur-pub preview --port 0` on `root`; its URL read from the line it prints."""

    def __init__(self, root: Path, *extra: str, env: dict | None = None):
        self.root = root
        self.proc = subprocess.Popen([str(CLI), "preview", "--project", str(root), "--port", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        self.lines: list[str] = []
        self._ready = threading.Event()
        self.url = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(60) or not self.url:
            self.stop()
            raise AssertionError("preview did not start:\n" + "\n".join(self.lines))
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            match = re.search(r" at (http://\S+/) \(Ctrl-C", line)
            if match:
                self.url = match.group(1)
                self._ready.set()
        self._ready.set()

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
        """GET with the path sent exactly as given (http.client normalises nothing)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request("GET", path, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read(), dict(resp.getheaders())
        finally:
            conn.close()

    def page(self, path: str = "/") -> str:
        status, body, _ = self.get(path)
        assert status == 200, (status, body[:500])
        return body.decode("utf-8")

    def version(self) -> str:
        return re.search(r'data-version="(\d+)"', self.page()).group(1)

    def workers(self) -> list[int]:
        """The server's worker processes (spawned: `multiprocessing.spawn` in their command)."""
        from conftest import descendants

        found = []
        for pid in sorted(descendants(self.proc.pid)):
            try:
                if b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(pid)
            except OSError:
                pass  # ended meanwhile
        return found

    def events(self, query: str = "") -> "Events":
        return Events(self, query or f"v={self.version()}")

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Ctrl-C; the exit code (the process is killed if it has not stopped within 20 s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("preview did not stop within 20 s of Ctrl-C")
        self._reader.join(10)  # the last lines
        for pipe in (self.proc.stdout, self.proc.stderr):
            pipe.close()
        return self.proc.returncode


class Events:
    """A Server-Sent Events stream of /events, read on demand."""

    def __init__(self, server: PreviewProcess, query: str):
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
        self.conn.request("GET", f"/events?{query}", headers={"Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type", "").startswith("text/event-stream")

    def next(self, timeout: float) -> tuple[str, dict]:
        """The next event (name, data), skipping pings; TimeoutError if none comes."""
        self.conn.sock.settimeout(timeout)
        name, data = "message", []
        while True:
            line = self.resp.fp.readline().decode("utf-8")
            if not line:
                raise ConnectionError("event stream closed")
            line = line.rstrip("\r\n")
            if not line:
                if data:
                    return name, json.loads("\n".join(data))
                name = "message"
                continue
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())

    def wait_for(self, event: str, test, timeout: float = 60) -> dict:
        """The first `event` whose data passes `test`."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {event} event passing the test within {timeout} s")
            name, data = self.next(left)
            if name == event and test(data):
                return data

    def close(self) -> None:
        self.resp.close()
        self.conn.close()

