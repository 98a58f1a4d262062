"""Live preview: every language side by side, updated on save (`baikonur-pub preview`).

`state` keeps the warm session (pandoc located once, each language's last good parse),
`page` turns it into the side-by-side page and tells what a save changed, `marks` puts the
cross-check's findings in place, `renders` lays the PDFs out in warm workers, and `server`
serves it all and pushes each change to the browser.
"""

from __future__ import annotations


def serve(root, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    from .server import serve as run

    run(root, host, port, open_browser)
