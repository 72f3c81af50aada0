"""The `pamphlet` command: a thin layer over the pipeline's stages."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from pathlib import Path

from pamphlet import __version__
from pamphlet.errors import FORMATS, SourceError, SourceErrors, format_problems, unique
from pamphlet.paper import PAGE_SIZES
from pamphlet.site import DEFAULT_ENGINE, ENGINES


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-12-01, not {text!r}") from None


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pamphlet", description=__doc__)
    parser.add_argument("--version", action="version", version=f"pamphlet {__version__}")
    parser.add_argument("-C", "--root", type=Path, default=Path("."),
                        help="the repository's top folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site and every PDF into site/")
    build.add_argument("-o", "--output", type=Path, help="output folder (default: site_dir of mkdocs.yml)")
    build.add_argument("--paper", choices=PAGE_SIZES, help="override the booklet's paper size")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.add_argument("--today", type=_date, help="the date the Meetings page counts from (YYYY-MM-DD; "
                                                   "default: today)")

    build.add_argument("--members", action="store_true",
                       help="the members' edition, with closed meetings' notes and drafts, into site-members/")
    build.add_argument("--strict", action="store_true", help="warnings are errors too (for CI)")
    build.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                       help=f"the site engine (default: {DEFAULT_ENGINE}; see the README's Site engines)")
    build.add_argument("--no-cache", action="store_true",
                       help="print every PDF afresh, without reading or writing the print cache (.pamphlet-cache/)")
    build.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                       help="how many PDFs to print at once, in separate processes (default: the CPU count)")
    build.add_argument("--html", type=Path, metavar="DIR",
                       help="also write the print HTML of the booklet and of each flier into DIR, with their "
                            "stylesheets, fonts and pictures (the booklet's chapters are laid out once more)")

    check = commands.add_parser("check", help="check every source and report problems with file:line")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text (default), json (a list of problems, on stdout) or github (workflow annotations)")
    check.add_argument("--strict", action="store_true", help="warnings are errors too (for CI)")
    check.add_argument("--members", action="store_true", help="check the members' edition (closed notes, drafts)")
    check.add_argument("--today", type=_date, help="the date the Meetings page counts from (default: today)")

    new = commands.add_parser("new", help="start a new source file from what the project knows")
    new.add_argument("what", choices=["meeting"], help="meeting: the next meeting's notes, ready to fill in")
    new.add_argument("--closed", action="store_true", help="a closed (members') meeting")
    new.add_argument("--today", type=_date, help="count from this date (default: today)")

    imports = commands.add_parser("import-notes", help="turn plain-text meeting notes into meeting files")
    imports.add_argument("file", type=Path, help="the notes: a plain-text file with a date line per meeting")
    imports.add_argument("--into", type=Path, metavar="FOLDER",
                         help="where to write the meetings, inside the project (default: docs/meetings)")
    imports.add_argument("--dry-run", action="store_true", help="print what would be written; write nothing")
    imports.add_argument("--force", action="store_true", help="overwrite meeting files that differ from the import")
    imports.add_argument("--today", type=_date, help="read two-digit years as of this date (default: today)")

    serve = commands.add_parser("serve", help="preview the site with live reload; PDFs rebuild on change")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    serve.add_argument("--no-pdf", action="store_true", help="do not rebuild the PDFs while serving")
    serve.add_argument("--language", metavar="CODE", help="preview a translated edition (one of extra.languages)")
    serve.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                       help=f"the site engine (default: {DEFAULT_ENGINE})")

    engines = commands.add_parser("compare-engines", help="build the site with MkDocs and with Zensical and "
                                                          "compare them page by page")
    engines.add_argument("--today", type=_date, help="the date the Meetings page counts from (default: today)")
    engines.add_argument("--keep", type=Path, metavar="DIR", help="keep both sites in DIR/mkdocs and DIR/zensical")
    engines.add_argument("-q", "--quiet", action="store_true", help="print the comparison only (no progress)")
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: every `finally` runs, so no scratch folder is left behind."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    fmt = getattr(args, "format", "text")
    out = sys.stdout if fmt != "text" else sys.stderr
    try:
        if args.command == "build":
            from pamphlet.rebuild import Unchanged, unchanged

            checked = None
            if not args.no_cache and args.html is None and (Path(args.root) / "mkdocs.yml").is_file():
                checked = unchanged(args.root, output=args.output, paper=args.paper, today=args.today,
                                    members=args.members, strict=args.strict, engine=args.engine, quiet=args.quiet)
                if isinstance(checked, Unchanged):
                    return 0
            from pamphlet.build import build

            html = None
            if args.html is not None:  # refused before the build if it could hurt
                from pamphlet.print.export import html_folder

                html = html_folder(args.root, args.html, args.output)
            build(args.root, output=args.output, paper=args.paper, quiet=args.quiet, today=args.today,
                  members=args.members, strict=args.strict, engine=args.engine, cache=not args.no_cache,
                  jobs=args.jobs, checked=checked)
            if html is not None:
                from pamphlet.model import load
                from pamphlet.print.export import write_print_html

                written = write_print_html(load(args.root, args.today, members=args.members), html, args.paper)
                if not args.quiet:
                    print(f"Wrote the print HTML of {len(written)} document(s) to {html}", file=sys.stderr)
        elif args.command == "check":
            from pamphlet.model import load

            content = load(args.root, args.today, members=args.members)
            warnings = unique(content.warnings)
            if args.strict and warnings:
                raise SourceErrors(warnings)
            if warnings or fmt != "text":
                print(format_problems([], warnings, fmt), file=out)
            if fmt == "text":
                print(f"{len(content.pages)} pages and {len(content.chapters)} chapters: no errors found")
        elif args.command == "new":
            from pamphlet.new import new_meeting

            path = new_meeting(args.root, closed=args.closed, today=args.today)
            print(f"Wrote {path}: fill it in, then commit it.")
        elif args.command == "import-notes":
            from pamphlet.notes.importer import import_notes, report

            result = import_notes(args.root, args.file, into=args.into, today=args.today or dt.date.today(),
                                  dry_run=args.dry_run, force=args.force)
            print("\n".join(report(result, args.file, dry_run=args.dry_run)))
        elif args.command == "serve":
            from pamphlet.serve import serve

            serve(args.root, dev_addr=args.dev_addr, pdf=not args.no_pdf, engine=args.engine, language=args.language)
        elif args.command == "compare-engines":
            from pamphlet.build import compare_engines

            comparison = compare_engines(args.root, today=args.today, quiet=args.quiet, keep=args.keep)
            print(comparison.report())
            if not comparison.ok:
                return 1
    except (SourceError, SourceErrors) as exc:
        errors = exc.errors if isinstance(exc, SourceErrors) else [exc]
        print(format_problems(errors, [], fmt), file=out)
        return 1
    except Terminated:
        return 143
    except KeyboardInterrupt:
        return 130
    return 0
