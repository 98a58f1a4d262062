"""Worker processes: what a forked child inherits must not hold it up."""

from __future__ import annotations

from baikonur_pub import pandoc as pandoc_module
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.workers import Workers


def _pandoc_version(tool: Pandoc) -> bytes:
    out, _ = tool.run(["--version"], what="version")
    return out


def test_a_worker_runs_pandoc_while_the_parent_holds_every_pandoc_slot():
    """Threads of the parent may be running pandoc when a worker forks; the slots they hold
    must not be missing in the child, whose own pandoc would then wait for ever."""
    tool = Pandoc.locate()
    held = []
    while pandoc_module._SLOTS.acquire(blocking=False):
        held.append(1)
    try:
        with Workers(1, timeout=60) as workers:
            out = workers.submit(_pandoc_version, tool).result(timeout=90)
    finally:
        for _ in held:
            pandoc_module._SLOTS.release()
    assert out.startswith(b"pandoc")


def _send_then_return(data: bytes, channel) -> int:
    channel.send_bytes(data)
    channel.close()
    return len(data)


def test_a_worker_hands_back_more_than_a_pipe_holds_before_it_ends():
    data = bytes(range(256)) * 1024  # 256 KiB: more than a pipe buffers
    with Workers(1, timeout=60) as workers:
        job, reader = workers.submit(_send_then_return, data, channel=True)
        got = reader.recv_bytes()
        assert job.result(timeout=60) == len(data)
    assert got == data


def test_a_reader_sees_the_end_when_the_worker_fails_before_sending():
    def fail(channel):
        raise ValueError("no cover")

    with Workers(1, timeout=60) as workers:
        job, reader = workers.submit(fail, channel=True)
        try:
            reader.recv_bytes()
            raise AssertionError("expected EOF")
        except EOFError:
            pass
        assert isinstance(job.exception(timeout=60), ValueError)
