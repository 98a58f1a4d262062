"""The project's files: UTF-8 with a located error, YAML with line numbers, atomic writes.

YAML goes through PyYAML's SafeLoader (what `yaml.safe_load` uses), so a `!!python/object`
tag is an error, never code. We compose the node tree ourselves to keep each key's line for
error messages.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, PublishError, RenderError

Lines = dict[tuple, int]


def read_text(path: Path, error: type[PublishError] = ConfigError, shown: str | None = None) -> str:
    """The file's text, or an error naming the line of the first byte that is not UTF-8."""
    shown = shown or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("file not found", shown) from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", shown) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", shown, line) from None
    return text.removeprefix("\ufeff")


def load_yaml(path: Path, shown: str | None = None) -> tuple[Any, Lines]:
    """Parse a YAML file safely; return the data and a map from key path to 1-based line."""
    shown = shown or str(path)
    text = read_text(path, ConfigError, shown)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and exc.context_mark and mark is not exc.context_mark:
            problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise ConfigError(f"invalid YAML: {problem}", shown, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", shown) from None
    finally:
        loader.dispose()
    lines: Lines = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


def _collect_lines(node: yaml.Node, path: tuple, lines: Lines) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            _collect_lines(value, sub, lines)
            lines[sub] = key.start_mark.line + 1  # the key's own line reads best in messages
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines)


def line_of(lines: Lines, *path) -> int | None:
    """The line of the deepest known prefix of `path` (so a bad value points near its key)."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename: never a partial file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise RenderError(f"cannot write to output folder: {exc.strerror}", str(path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

