"""Imported by the layout pool's server only (the last of its preload list): when the build's
process ends, the server ends at once instead of tearing down WeasyPrint, fontTools and the
fonts' maps object by object.

The server inherits the build's stderr, so whoever reads the build's output (CI's log, a
pipeline, the benchmark) waits for the server too: its teardown took 0.15-0.25 s of wall time
after the build had ended (strace: the build's end seen at .773, the server's exit at .954;
a one-chapter edit's end 0.18-0.25 s later, three runs). The server has no work left by
then (every worker was joined by `Layouts.close`) and writes nothing. Its workers end through
`os._exit`, as multiprocessing ends them, so the handler never runs in them; and it is
registered only when multiprocessing's forkserver is what imports this module, so no other
process (a build run with one job, the test suite) can ever end through it."""

import atexit
import os
import sys


def _end() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(0)


def _in_forkserver() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "main" and code.co_filename.endswith(os.path.join("multiprocessing",
                                                                            "forkserver.py")):
            return True
        frame = frame.f_back
    return False


REGISTERED = _in_forkserver()
if REGISTERED:
    atexit.register(_end)  # registered last, so run first: before Python's own teardown
