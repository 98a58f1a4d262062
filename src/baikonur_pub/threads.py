"""The process's threads, each with a dictionary of XML names of its own.

lxml keeps one dictionary of element and attribute names per thread, and a thread that has
none yet adopts the one of the first parser it parses with. python-docx parses everything with
one module-level parser: a thread whose first parse is python-docx's took the dictionary of
the thread that last used it, and from then on the two threads parsed into one dictionary at
once, unguarded (lxml 6.1.3, libxml2 2.14.6). CI saw it about one run in ten, always where
two builds ran at once: "double free or corruption" in python-docx's parse, a DOCX part that
"did not parse" (`Opening and ending tag mismatch: footnotes line 22`, in a one-line part) and
a StopIteration in a search of a DOCX's contents. `tests/test_threads.py` makes it happen
in a second without this module's first parse, and never with it.

So every thread the tool starts parses a tiny document first (`own_names`), through its own
default parser, whose dictionary is new: `pool` starts threads that way, and code that uses
python-docx's parser calls `own_names` itself (for threads it did not start, such as asyncio's).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import concurrent.futures as cf

_READY = threading.local()


def own_names() -> None:
    """Give this thread its own lxml name dictionary, if it has none yet (a few µs, once)."""
    if not getattr(_READY, "done", False):
        from lxml import etree

        etree.fromstring(b"<x/>")  # the thread's default parser: a fresh one, a fresh dictionary
        _READY.done = True


def pool(workers: int, name: str = "baikonur") -> cf.ThreadPoolExecutor:
    """A thread pool whose threads each have their own XML name dictionary (`own_names`)."""
    import concurrent.futures as cf  # here: its `logging` is a no-op build's 5 % (7 ms)

    return cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name,
                                 initializer=own_names)
