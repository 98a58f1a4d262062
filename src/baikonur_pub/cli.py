"""The `baikonur-pub` command: thin click commands over the library.

Errors from the library are click exceptions (exit 1, one `path:line: message` line); click's
own usage errors exit 2.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__, config
from .render import FORMATS

_project = click.option("--project", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True,
                        help="Project folder (holds manuscript/publication.yaml).")


def _languages(pub, codes) -> tuple[str, ...]:
    """The requested language codes, each checked against the publication (a usage error)."""
    for code in codes:
        if code not in pub.codes:
            raise click.BadParameter(f"'{code}' is not one of {', '.join(pub.codes)}",
                                     param_hint="--lang")
    return tuple(dict.fromkeys(codes))


class _Commands(click.Group):
    """The command group; an exception no stage turned into a located error is still one line
    (a bug of ours, never the input's fault to read as a traceback). BAIKONUR_DEBUG=1 shows it."""

    def invoke(self, ctx):
        import os

        from .errors import PublishError

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # `assemble | head` read what it wanted: click ends quietly
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("BAIKONUR_DEBUG"):
                raise
            raise PublishError(f"internal error ({type(exc).__name__}: {exc}); please report it "
                               "(BAIKONUR_DEBUG=1 shows the traceback)") from None


def run() -> None:
    """The console script (and `python -m baikonur_pub`): `main`, then an exit that does not
    collect a heap the process is about to drop whole. Python's shutdown collections walked
    every object WeasyPrint, fontTools and the ASTs left: 0.08-0.12 s of a one-chapter edit's
    1.65 s (measured, 4 pairs). Only here, never in `main`: tests and the preview run many
    commands in one process, whose garbage must still be collected.

    A crash in native code (a library's, never the input's to cause) prints every thread's
    Python stack before the process dies (`faulthandler`), instead of a bare exit -11: one
    build of the test suite died so once in CI, without a trace. And fewer collections while
    it runs (`environment.collect_less`), here too and not in `main`, for the same reason."""
    import faulthandler
    import gc

    from .environment import collect_less

    faulthandler.enable()
    collect_less()
    try:
        main(prog_name="baikonur-pub")
    finally:
        gc.freeze()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baikonur-pub")
def main() -> None:
    """Publish a bilingual report: assemble, cross-check, render PDF, EPUB and DOCX."""


@main.command()
@click.option("--lang", "langs", multiple=True, metavar="L",
              help="Build only this language (repeatable). Default: all.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Build only this format (repeatable). Default: all.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder. Default: <project>/dist.")
@_project
@click.option("--force", is_flag=True, help="Rebuild every artifact, even if up to date.")
@click.option("--no-check", "draft", is_flag=True,
              help="Draft: build without the cross-check gate (a translation under way).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Layouts at once, each in a process of its own; 1 runs everything in this "
                   "process. Default: by cores, memory and the work.")
def build(langs, formats, out, project, force, draft, jobs) -> None:
    """Build dist/<slug>-<lang>.pdf|epub|docx."""
    from . import build as builder
    from .progress import Reporter
    from .stopping import exits_on_signal

    pub = config.load(project)
    with exits_on_signal():  # Ctrl-C: clean up and stop at once (stopping.py says why)
        builder.build(pub, _languages(pub, langs), tuple(dict.fromkeys(formats)), out,
                      force=force, reporter=Reporter(), jobs=jobs, check=not draft)


_report_options = [
    click.option("--format", "fmt", type=click.Choice(("text", "json", "junit", "sarif", "html")),
                 default="text", show_default=True, help="Report format."),
    click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 help="Write the report to this file instead of standard output."),
    click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors."),
]


def _with_report_options(command):
    for option in reversed(_report_options):
        command = option(command)
    return command


def _emit(result, fmt: str, output: Path | None, strict: bool, templates: Path | None = None) -> None:
    from .parity import report

    if fmt != "text" or output is not None:
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
    if output is None:  # click strips the colours unless stdout is a terminal
        click.echo(report.render(result, fmt, color=True, templates=templates), nl=False)
    else:
        _write_report(output, report.render(result, fmt, templates=templates))
        click.echo(report.summary_line(result), err=True)
    if result.failed(strict):
        click.get_current_context().exit(1)


def _write_report(output: Path, text: str) -> None:
    """The report at `output`, its folder made if missing, written whole or not at all: CI
    may read it while a run writes it, and a Ctrl-C must not leave half a JSON document."""
    from .errors import PublishError
    from .writing import write_atomic

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = "a file of that name is in the way" if isinstance(exc, FileExistsError) else exc.strerror
        raise PublishError(f"cannot make the report's folder: {why}", str(output.parent)) from None
    write_atomic(output, text.encode("utf-8"))


@contextmanager
def _fatal_as_report(fmt: str, output: Path | None):
    """Input that cannot be read stops the check (one `path:line: message` line, exit 1); a
    machine-readable format still gets a valid document holding that error, for CI to parse."""
    from .errors import PublishError

    try:
        yield
    except PublishError as error:
        if fmt in ("json", "sarif", "junit"):
            from .parity import report

            text = report.render(report.fatal(error), fmt)
            if output is None:
                click.echo(text, nl=False)
            else:
                _write_report(output, text)
        raise


@main.command()
@_project
@_with_report_options
@click.option("--mark-synced", is_flag=True,
              help="Record the primary sections as translated (see stale-translation).")
@click.option("--section", "sections", multiple=True, metavar="ID",
              help="With --mark-synced: only this section (repeatable). Default: all.")
def check(project, fmt, output, strict, mark_synced, sections) -> None:
    """Cross-check every translation against the primary language."""
    from . import parity

    if sections and not mark_synced:
        raise click.UsageError("--section only goes with --mark-synced")
    with _fatal_as_report(fmt, output):
        pub = config.load(project)
        if output is not None:
            from .writing import refuse_links

            refuse_links(pub.root, output.parent, "the report's folder")
        eds = parity.load_editions(pub)
        if mark_synced:
            marked = parity.mark_synced(pub, eds, set(sections))
            click.echo(f"marked {len(marked)} section{'s' * (len(marked) != 1)} in sync", err=True)
        result = parity.check_project(pub, eds)
    _emit(result, fmt, output, strict, pub.styles_dir / "templates")


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("translation", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source-lang", metavar="xx", default=None, help="Language of SOURCE (default: its front matter).")
@click.option("--target-lang", metavar="yy", default=None, help="Language of TRANSLATION (default: its front matter).")
@_with_report_options
def compare(source, translation, source_lang, target_lang, fmt, output, strict) -> None:
    """Cross-check any two Markdown files, with or without heading IDs."""
    from . import parity
    from .pandoc import Pandoc

    with _fatal_as_report(fmt, output):
        result = parity.compare(source, translation, Pandoc.locate(), source_lang, target_lang)
    _emit(result, fmt, output, strict)


@main.command()
@click.option("--lang", "langs", multiple=True, metavar="L",
              help="Proof only this language (repeatable). Default: all.")
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding the built PDFs. Default: <project>/dist.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder. Default: <dist>/proof.")
@_project
def proof(langs, dist, out, project) -> None:
    """Render every page of the built PDFs to PNG, with a contact sheet per language (the
    facing-page PDFs, when built, as spreads)."""
    from .proof import proof as make_proof
    from .render.bilingual import bilingual_artifacts
    from .writing import refuse_links

    pub = config.load(project)
    dist = Path(dist) if dist else pub.root / "dist"
    codes = _languages(pub, langs) or pub.codes
    pdfs = [(dist / f"{pub.slug}-{code}.pdf", False) for code in codes]
    pdfs += [(dist / name, True) for _, kind, name in bilingual_artifacts(pub, codes, ("pdf",))
             if (dist / name).is_file()]
    out = Path(out) if out else dist / "proof"
    refuse_links(pub.root, out, "the proof folder")
    for path, spreads in pdfs:
        result = make_proof(path, out, spreads=spreads)
        click.echo(f"wrote {result.sheet} ({len(result.pages)} pages)")


@main.command()
@click.option("--lang", "code", required=True, metavar="L", help="The language to assemble.")
@click.option("--to", "fmt", type=click.Choice(["json", "markdown", "outline"]), default="outline",
              show_default=True, help="Pandoc JSON AST (citeproc applied), Markdown, or the "
                                      "section outline with file:line.")
@_project
def assemble(code, fmt, project) -> None:
    """Show one language's assembled edition, as every renderer receives it."""
    import json

    from .pandoc import Pandoc
    from .parse import editions

    pub = config.load(project)
    _languages(pub, (code,))
    pandoc = Pandoc.locate()
    edition = editions(pub, (code,), pandoc)[code]
    if fmt == "json":
        click.echo(json.dumps(edition.ast, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(pandoc.write(edition.ast, "markdown", ["--wrap=none"],
                                what=f"{code}: writing Markdown").decode("utf-8"), nl=False)
    else:
        for h in edition.headings:
            where = f"{h.file}:{h.line}" if h.file else "(generated)"
            click.echo(f"{where}: {'  ' * (h.level - 1)}{h.number + ' ' if h.number else ''}"
                       f"{h.title} {{#{h.id}}}")


@main.command()
@_project
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; only this machine can connect by default.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
def preview(project, port, host, open_browser) -> None:
    """Serve every language side by side, updated on every save (Ctrl-C stops it)."""
    from .preview import serve

    serve(project, host, port, open_browser)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=Path("dist"))
@click.option("--libreoffice", is_flag=True, help="Also convert each DOCX with LibreOffice Writer.")
def verify(folder, libreoffice) -> None:
    """Check SHA256SUMS and re-run the validators on the artifacts in FOLDER."""
    from .verify import verify as run_verify

    checked, problems = run_verify(folder, libreoffice)
    for problem in problems:
        click.echo(f"{problem}{'' if problem.fatal else ' (not counted outside CI)'}", err=True)
    click.echo(f"verified {len(checked)} artifact{'s' * (len(checked) != 1)} in {folder}: "
               f"{sum(p.fatal for p in problems)} problem(s)")
    if any(p.fatal for p in problems):
        click.get_current_context().exit(1)


@main.command()
@_project
@click.option("--cache", is_flag=True, help="Also empty the build cache.")
def clean(project, cache) -> None:
    """Remove the built artifacts (dist/) and, with --cache, the cache."""
    import shutil

    from .cache import folder as cache_folder
    from .errors import PublishError

    pub = config.load(project)
    targets = [pub.root / "dist"] + ([cache_folder(pub)] if cache else [])
    for target in targets:
        try:
            if target.is_symlink():  # the link goes, never what it points to
                target.unlink()
            elif target.exists():
                shutil.rmtree(target)
            else:
                continue
        except OSError as exc:
            raise PublishError(f"cannot remove: {exc.strerror}", str(target)) from None
        click.echo(f"removed {target}")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--languages", "codes", required=True, metavar="L1,L2",
              help="Language codes, the primary first (e.g. it,en).")
def init(folder, codes) -> None:
    """Write a new project into FOLDER (absent or empty) that builds as it stands."""
    from . import scaffold

    try:
        written = scaffold.init(folder, scaffold.parse_languages(codes))
    except scaffold.UsageError as exc:
        raise click.UsageError(str(exc)) from None
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {folder} && baikonur-pub build")
