"""Threads that each parse with python-docx's parser first, then parse new names at once.

Run as a script (a crash takes the process with it): `python xml_threads.py SECONDS POOL`,
POOL being `tool` (baikonur_pub.threads.pool) or `plain` (a bare ThreadPoolExecutor). Prints
`ok N` after N parses, all of which read back the names they were given.
"""

import concurrent.futures as cf
import io
import sys
import threading
import time

import docx
from lxml import etree

from baikonur_pub import threads

LOCK = threading.Lock()  # python-docx one thread at a time, as the tool uses it


def python_docx_document() -> None:
    with LOCK:
        docx.Document().save(io.BytesIO())


def parse_new_names(k: int, until: float) -> int:
    python_docx_document()  # this thread's first parse, in python-docx's parser
    n = 0
    while time.monotonic() < until:
        names = [f"t{k}-{n}-{i}" for i in range(2000)]
        root = etree.fromstring(("<r>" + "".join(f"<{x} {x}='1'/>" for x in names) + "</r>").encode())
        if [e.tag for e in root] != names:
            raise AssertionError(f"thread {k}: the names read back differ")
        n += 1
    return n


def main() -> None:
    seconds, kind = float(sys.argv[1]), sys.argv[2]
    python_docx_document()  # the main thread used python-docx's parser before the threads
    until = time.monotonic() + seconds
    executor = threads.pool(4) if kind == "tool" else cf.ThreadPoolExecutor(4)
    with executor:
        counts = list(executor.map(parse_new_names, range(4), [until] * 4))
    print("ok", sum(counts))


if __name__ == "__main__":
    main()
