"""The preview server: Starlette on Uvicorn, saves noticed by watchfiles, pushed over SSE.

Routes: `/` (the languages side by side; `?only=xx` one language at full width, `?with=xx`
the primary language and xx alone, for a translator among many languages), `/pdf` (the
PDFs and the EPUB/DOCX links), `/pdf/<slug>-<xx>.pdf`, `/download/<slug>-<xx>.epub|docx`,
`/events` (Server-Sent Events), and the files the page needs: `/static/…` (the preview's own),
`/fonts/…` (the packaged faces), `/manuscript/…` and `/styles/…` (the project's own files:
no dot-files, nothing that resolves outside the folder). Anything else is 404. The manuscript
is only ever read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import sys
from pathlib import Path, PurePosixPath

import anyio
import click
from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from .. import formulas, threads
from ..errors import PublishError
from . import page
from .renders import Renders
from .state import Session

log = logging.getLogger("baikonur_pub.preview")
STATIC = Path(__file__).parent / "static"
_TYPES = {".epub": "application/epub+zip",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# The page runs only the preview's own script (the manuscript's raw HTML cannot run any), and
# loads nothing from elsewhere.
_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' "
                                       "'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
                                       "frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store"}


def safe_file(base: Path, rel: str) -> Path:
    """`rel` below `base`, or HTTP 403 (an escape: `..`, a dot-file, an absolute path, a
    symlink leading out) / 404 (no such file). `rel` arrives percent-decoded."""
    parts = PurePosixPath(rel).parts
    if (not rel or "\\" in rel or "\x00" in rel or rel.startswith("/")
            or any(p.startswith(".") for p in parts)):
        raise HTTPException(403)
    root = base.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root):
        raise HTTPException(403)
    if not path.is_file():
        raise HTTPException(404)
    return path


class Preview:
    """The server's state: the session, the connected browsers, the watcher, the workers."""

    def __init__(self, root: Path, host: str, port: int, open_browser: bool = False):
        self.session = Session(Path(root))
        # Parsed before serving: no project or no pandoc stops here, in one line; a content
        # error does not (the page shows it).
        self.session.start()
        self.host, self.port, self.open_browser = host, port, open_browser
        self.clients: set[asyncio.Queue] = set()
        self.renders: Renders | None = None
        self.lock = asyncio.Lock()
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task] = []

    # -- life cycle ---------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        from ..build import source_date_epoch

        s = self.session
        # asyncio.to_thread's threads parse XML too: each with its own names (threads.py)
        asyncio.get_running_loop().set_default_executor(threads.pool(4, "preview"))
        workers = min(len(s.pub.codes), os.cpu_count() or 1)
        self.renders = Renders(s.pub.codes, s.pandoc, source_date_epoch(s.pub), workers, self._pdf_done)
        for edition in s.editions.values():
            self.renders.pdf_of(edition, s.version)
        self.tasks.append(asyncio.create_task(self._watch()))
        self._report()
        click.echo(f"Preview of {s.pub.root} at {self.url} (Ctrl-C stops it)", err=True)
        if self.open_browser:
            import webbrowser

            await asyncio.to_thread(webbrowser.open, self.url)
        try:
            yield
        finally:
            self.stop.set()
            for task in self.tasks:
                task.cancel()
            self.renders.close()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    async def _watch(self) -> None:
        import watchfiles

        pub = self.session.pub
        folders = sorted({str(pub.manuscript), str(pub.styles_dir)})
        async for changes in watchfiles.awatch(*folders, stop_event=self.stop, step=20,
                                               debounce=400):
            try:
                change = self.session.classify([path for _, path in changes])
                if not change.empty:
                    await self.apply(change)
            except Exception:  # noqa: BLE001 - a bug must not stop the watching
                log.exception("preview: update failed")

    async def apply(self, change) -> None:
        async with self.lock:
            s = self.session
            old_view, old_editions = s.view, dict(s.editions)
            view = await asyncio.to_thread(s.update, change)
            checking = bool(change.langs or change.reload)
            # the text, as soon as it is parsed; `busy`: the cross-check's findings are to follow
            self.broadcast("update", {**view.changes(old_view), "busy": checking})
            self._report()
            for code, edition in s.editions.items():
                if edition is not old_editions.get(code) or change.styles or change.reload:
                    self.renders.pdf_of(edition, view.version)
            if checking:
                checked = await asyncio.to_thread(s.recheck)
                self.broadcast("update", {**checked.changes(view), "busy": False})

    @property
    def busy(self) -> bool:
        """A save is being parsed or checked: the page is about to change."""
        return self.lock.locked()

    def _report(self) -> None:
        s = self.session
        for message in sorted(set(s.errors.values())):
            click.echo(message, err=True)
        if not s.errors:
            click.echo(f"version {s.version}: rendered in {s.seconds:.2f} s", err=True)

    def broadcast(self, event: str, data: dict) -> None:
        text = json.dumps(data, ensure_ascii=False)
        for queue in list(self.clients):
            queue.put_nowait((event, text))

    def _pdf_done(self, code: str, artifact) -> None:
        self.broadcast("pdf", self._pdf_event(code, artifact))

    @staticmethod
    def _pdf_event(code: str, artifact) -> dict:
        return {"lang": code, "serial": artifact.serial, "version": artifact.version,
                "ok": artifact.ok, "status": artifact.status}

    # -- routes -------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        view, pub = self.session.view, self.session.pub
        only, beside = request.query_params.get("only"), request.query_params.get("with")
        if only is not None and only not in pub.codes or beside is not None and (
                beside not in pub.codes or beside == pub.primary):
            raise HTTPException(404)
        shown = [only] if only else [pub.primary, beside] if beside else None
        return HTMLResponse(page.render(view, shown, self.busy), headers=_HEADERS)

    async def pdf_view(self, request: Request) -> Response:
        s = self.session
        beside = request.query_params.get("with")
        if beside is not None and (beside not in s.pub.codes or beside == s.pub.primary):
            raise HTTPException(404)
        self.renders.want()
        every = [s.pub.language(c) for c in s.pub.codes]
        langs = [l for l in every if beside is None or l.code in (s.pub.primary, beside)]
        status = {c: a.status for c, a in self.renders.pdfs.items()}
        html = page.environment().get_template("pdf.html.j2").render(
            langs=langs, every=every, primary=s.pub.primary, beside=beside, slug=s.pub.slug,
            status=status, version=s.view.version, busy=self.busy,
            banner=page.Markup(s.view.banner))
        return HTMLResponse(html, headers=_HEADERS)

    def _artifact_code(self, name: str, ext: str) -> str:
        pub = self.session.pub
        for code in pub.codes:
            if name == f"{pub.slug}-{code}.{ext}":
                return code
        raise HTTPException(404)

    async def pdf(self, request: Request) -> Response:
        code = self._artifact_code(request.path_params["name"], "pdf")
        artifact = await self.renders.current_pdf(code)
        if not artifact.ok and not artifact.data:
            return Response(artifact.status + "\n", 503, media_type="text/plain; charset=utf-8",
                            headers=_HEADERS)
        return Response(artifact.data, media_type="application/pdf",  # the browser's viewer
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

    async def download(self, request: Request) -> Response:
        name = request.path_params["name"]
        ext = name.rsplit(".", 1)[-1]
        if ext not in ("epub", "docx"):
            raise HTTPException(404)
        code = self._artifact_code(name, ext)
        s = self.session
        edition = s.editions.get(code)
        if edition is None:
            return Response(s.errors.get(code, "not parsed yet") + "\n", 503,
                            media_type="text/plain; charset=utf-8", headers=_HEADERS)
        try:
            data = await self.renders.other(ext, edition, s.version)
        except PublishError as exc:
            return Response(exc.format_message() + "\n", 500, media_type="text/plain; charset=utf-8",
                            headers=_HEADERS)
        return Response(data, media_type=_TYPES[f".{ext}"], headers={
            **_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    async def events(self, request: Request) -> Response:
        queue: asyncio.Queue = asyncio.Queue()
        self.clients.add(queue)
        seen = request.query_params.get("v")
        pdf_view = request.query_params.get("view") == "pdf"
        if pdf_view:
            self.renders.want()

        shutdown = anyio.Event()  # set by sse-starlette when the server stops

        async def stream():
            try:
                view = self.session.view
                if seen != str(view.version):  # saved between the page and this connection
                    yield {"event": "update", "data": json.dumps(view.changes(None), ensure_ascii=False)}
                if pdf_view:
                    for code, artifact in self.renders.pdfs.items():
                        yield {"event": "pdf", "data": json.dumps(self._pdf_event(code, artifact))}
                stopping = asyncio.ensure_future(shutdown.wait())
                while True:
                    getting = asyncio.ensure_future(queue.get())
                    await asyncio.wait({getting, stopping}, return_when=asyncio.FIRST_COMPLETED)
                    if not getting.done():
                        getting.cancel()
                        return  # the stream ends whole, so the server stops without complaint
                    event, data = getting.result()
                    yield {"event": event, "data": data}
            finally:
                self.clients.discard(queue)

        return EventSourceResponse(stream(), ping=15, headers={"Cache-Control": "no-store"},
                                   shutdown_event=shutdown, shutdown_grace_period=1)

    async def static(self, request: Request) -> Response:
        return FileResponse(safe_file(STATIC, request.path_params["path"]), headers=_HEADERS)

    async def font(self, request: Request) -> Response:
        from ..render.fonts import screen_faces

        name = request.path_params["name"]
        for face in screen_faces(self.session.pub):
            if face.file == name:
                return FileResponse(face.path, media_type=f"font/{face.path.suffix[1:].lower()}",
                                    headers=_HEADERS)
        if name == formulas.font_path().name:  # the browser's MathML in the PDF's math font
            return FileResponse(formulas.font_path(), media_type="font/ttf", headers=_HEADERS)
        raise HTTPException(404)

    async def project_file(self, request: Request) -> Response:
        pub = self.session.pub
        base = pub.manuscript if request.url.path.startswith("/manuscript/") else pub.styles_dir
        return FileResponse(safe_file(base, request.path_params["path"]), headers=_HEADERS)

    def app(self) -> Starlette:
        hosts = ["*"] if self.host in ("0.0.0.0", "::", "") else \
            sorted({self.host, "localhost", "127.0.0.1", "[::1]"})
        routes = [Route("/", self.home), Route("/pdf", self.pdf_view),
                  Route("/pdf/{name}", self.pdf), Route("/download/{name}", self.download),
                  Route("/events", self.events), Route("/static/{path:path}", self.static),
                  Route("/fonts/{name}", self.font),
                  Route("/manuscript/{path:path}", self.project_file),
                  Route("/styles/{path:path}", self.project_file)]
        # A page elsewhere cannot reach the preview through a name it controls (DNS rebinding).
        return Starlette(routes=routes, lifespan=self.lifespan,
                         middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, made here so a busy port is one line, not a traceback."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(128)
    except OSError as exc:
        raise PublishError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    """Run the preview until Ctrl-C (or SIGTERM)."""
    import uvicorn

    sock = bind(host, port)  # first: a busy port is said at once, not after parsing the report
    try:
        preview = Preview(root, host, port, open_browser)
    except BaseException:
        sock.close()
        raise
    preview.port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(preview.app(), log_level="warning", access_log=False,
                                           lifespan="on", timeout_graceful_shutdown=2))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn hands the signal back once it has stopped
        pass
    finally:
        sock.close()
    if not server.started:
        sys.exit(1)  # startup failed; the reason is already printed
    click.echo("Preview stopped.", err=True)
