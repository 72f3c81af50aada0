"""Hostile and careless contributions, on a small fixture project.

Each case is something a pull request could carry. The promises under test:
- `check` reports it first, as one line naming file and line, and exits 1, without a traceback;
- the build refuses it too, and the last good build stays exactly as it was;
- nothing private is published, nothing outside the project is read, the network is never
  touched, and nothing the build did not create is ever removed.
"""

from __future__ import annotations

import glob
import hashlib
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pamphlet.cli import main
from pamphlet.sources.htmlpolicy import check_html

from conftest import TINY, run_pamphlet

SECRET = "XYZZY-CLOSED-SECRET"


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pamphlet(root: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, list[str], str]:
    """Run the command in this process (its imports are paid once): status, error lines, stderr."""
    status = main(["-C", str(root), *args])
    err = capsys.readouterr().err
    return status, [line for line in err.splitlines() if line.startswith("error:")], err


@pytest.fixture(scope="module")
def built_tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "tiny"
    shutil.copytree(TINY, root)
    result = run_pamphlet(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture()
def tiny(built_tiny: Path, tmp_path: Path) -> Path:
    """A writable copy of the fixture project, with a good build in site/."""
    root = tmp_path / "tiny"
    shutil.copytree(built_tiny, root, symlinks=True)
    return root


def append(path: Path, text: str) -> int:
    """Append `text` after a blank line; returns the line number it starts on."""
    before = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


# --- each case breaks the project and says which error lines must come out -------------------------


def site_dir_is_docs(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "site_dir: site", "site_dir: docs")
    return [rf"mkdocs\.yml:{line}: `site_dir`: it overlaps docs, which the build reads"]


def site_dir_is_the_project(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "site_dir: site", "site_dir: ./")
    return [rf"mkdocs\.yml:{line}: `site_dir`: it is \(or contains\) the project itself"]


def site_dir_is_outside(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "site_dir: site", "site_dir: ../elsewhere")
    return [rf"mkdocs\.yml:{line}: `site_dir`: Expected a folder inside the project"]


def site_dir_is_someone_elses(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "site_dir: site", "site_dir: public")
    (root / "public").mkdir()
    (root / "public" / "keep.txt").write_text("not the build's\n", encoding="utf-8")
    return [rf"mkdocs\.yml:{line}: `site_dir`: it exists and was not made by `pamphlet build`"]


def draft_as_text(root: Path) -> list[str]:
    (root / "docs" / "plans.md").write_text('---\ndraft: "true"\n---\n# Plans\n', encoding="utf-8")
    return [r"docs/plans\.md:2: `draft`: Expected true or false but received: 'true'"]


def draft_as_number(root: Path) -> list[str]:
    (root / "docs" / "plans.md").write_text("---\ndraft: 1\n---\n# Plans\n", encoding="utf-8")
    return [r"docs/plans\.md:2: `draft`: Expected true or false but received: 1"]


def draft_capitalised(root: Path) -> list[str]:
    (root / "docs" / "plans.md").write_text("---\nDraft: true\n---\n# Plans\n", encoding="utf-8")
    return [r"docs/plans\.md:2: `Draft`: write `draft` in lowercase"]


def kind_misspelled(root: Path) -> list[str]:
    (root / "docs" / "plans.md").write_text("---\nkind: clossed\n---\n# Plans\n", encoding="utf-8")
    return [r"docs/plans\.md:2: `kind`: Expected one of: \['closed', 'open'\] but received: 'clossed'"]


def attachment(root: Path) -> list[str]:
    line = append(root / "booklet" / "gardens.md", '<link rel="attachment" href="/etc/passwd">\n')
    return [rf"booklet/gardens\.md:{line}:1: `<link>` is not allowed",
            rf"booklet/gardens\.md:{line}:1: `rel=\"attachment\"` on `<link>` is not allowed"]


def symlink_to_a_server_file(root: Path) -> list[str]:
    (root / "docs" / "robots.txt").symlink_to("/etc/passwd")
    return [r"docs/robots\.txt: is a symlink to /etc/passwd, outside the project"]


def symlinked_chapter(root: Path) -> list[str]:
    outside = root.parent / "tools-elsewhere.md"
    (root / "booklet" / "tools.md").rename(outside)
    (root / "booklet" / "tools.md").symlink_to(outside)
    return [r"booklet/tools\.md: is a symlink to .*tools-elsewhere\.md, outside the project"]


def symlinked_image_into_git(root: Path) -> list[str]:
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (root / "docs" / "config.png").symlink_to(root / ".git" / "config")
    return [r"docs/config\.png: is a symlink to .*\.git/config, which is not in a source folder"]


def remote_image(root: Path) -> list[str]:
    line = append(root / "booklet" / "gardens.md", "![A photo](http://127.0.0.1:9/photo.png)\n")
    return [rf"booklet/gardens\.md:{line}:12: the image `http://127\.0\.0\.1:9/photo\.png` is on another site"]


def css_url(root: Path) -> list[str]:
    line = append(root / "booklet" / "gardens.md", '<p style="background: url(http://127.0.0.1:9/x.png)">Hi</p>\n')
    return [rf"booklet/gardens\.md:{line}:1: `url\(http://127\.0\.0\.1:9/x\.png\)` in the `style` of `<p>` is not "
            "allowed"]


def scripts(root: Path) -> list[str]:
    line = append(root / "docs" / "index.md", '<script>alert(1)</script>\n\n<img src="x.png" alt="x" '
                  'onerror="alert(1)">\n\n<iframe src="https://evil.example/"></iframe>\n\n[go](javascript:alert(1))\n')
    return [rf"docs/index\.md:{line}:1: `<script>` is not allowed",
            rf"docs/index\.md:{line + 2}:1: the attribute `onerror` of `<img>` is not allowed",
            rf"docs/index\.md:{line + 4}:1: `<iframe>` showing `https://evil\.example/` is not allowed",
            rf"docs/index\.md:{line + 6}:6: a link to a script address \(`javascript:alert\(1\)`\) is not allowed"]


def script_in_an_svg(root: Path) -> list[str]:
    (root / "docs" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>'
                                            "\n</svg>\n", encoding="utf-8")
    return [r"docs/logo\.svg:2:1: `<script>` is not allowed"]


def static_web_page(root: Path) -> list[str]:
    (root / "docs" / "evil.html").write_text("<script>alert(1)</script>\n", encoding="utf-8")
    return [r"docs/evil\.html: a web page \(\.html\) is not published"]


def site_url_as_a_list(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "site_url: https://circle.example.org/tiny/", "site_url: [a, b]")
    return [rf"mkdocs\.yml:{line}: `site_url`: Expected a web address starting with https:// but received: "
            r"\['a', 'b'\]"]


def edit_uri_as_a_mapping(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "edit_uri: edit/main/docs/", "edit_uri: {a: b}")
    return [rf"mkdocs\.yml:{line}: `edit_uri`: Expected a path such as edit/main/docs/"]


def unknown_citation_style(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "style: author-year", "style: chicago-ish")
    return [rf"mkdocs\.yml:{line}: `style`: Expected one of: \['author-year', 'numeric', 'alpha'\] but received: "
            "'chicago-ish'"]


def unknown_extension(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "  - admonition\n", "  - os.system\n")
    return [rf"mkdocs\.yml:{line}: unknown Markdown extension `os\.system`"]


def hooks(root: Path) -> list[str]:
    line = append(root / "mkdocs.yml", "hooks:\n  - evil.py\n")
    return [rf"mkdocs\.yml:{line}: `hooks` is not allowed"]


def env_tag(root: Path) -> list[str]:
    line = replace(root / "mkdocs.yml", "site_name: Riverside Test Circle", "site_name: !ENV HOME")
    return [rf"mkdocs\.yml:{line}:\d+: .*!ENV"]


def deep_nesting(root: Path) -> list[str]:
    line = append(root / "booklet" / "tools.md", ">" * 500 + " deep\n")
    return [rf"booklet/tools\.md:{line}: quotes, lists or boxes nested more than 40 levels deep"]


def unprintable_characters(root: Path) -> list[str]:
    text = "Shalom, \u05e9 and a seedling \U0001f331.\n"
    line = append(root / "booklet" / "tools.md", text)
    shin, seedling = text.index("\u05e9") + 1, text.index("\U0001f331") + 1
    return [rf"booklet/tools\.md:{line}:{shin}: no font pamphlet prints with has the character U\+05E9 HEBREW "
            "LETTER SHIN",
            rf"booklet/tools\.md:{line}:{seedling}: no font pamphlet prints with has the character U\+1F331 SEEDLING"]


def broken_image(root: Path) -> list[str]:
    (root / "docs" / "photo.png").write_text("not a picture\n", encoding="utf-8")
    line = append(root / "docs" / "index.md", "![Our banner](photo.png)\n")
    return [rf"docs/index\.md:{line}:15: the image cannot be loaded: photo\.png is not a PNG image"]


def nav_to_a_private_page(root: Path) -> list[str]:
    (root / "docs" / "plans.md").write_text("---\nkind: closed\n---\n# Plans\n", encoding="utf-8")
    line = replace(root / "mkdocs.yml", "  - FAQ: faq.md\n", "  - FAQ: faq.md\n  - Plans: plans.md\n") + 1
    return [rf"mkdocs\.yml:{line}: the nav entry plans\.md points to a private page \(closed\)"]


def duplicate_anchor(root: Path) -> list[str]:
    line = append(root / "booklet" / "tools.md", "## Again {#repairs}\n")
    return [rf"booklet/tools\.md:{line}: the anchor `#repairs` is already used by the heading at line 10"]


def download_named_like_the_faq(root: Path) -> list[str]:
    line = replace(root / "booklet" / "booklet.yml", "download: booklet.pdf", "download: faq.pdf")
    return [rf"booklet/booklet\.yml:{line}: the download `faq\.pdf` .* has the same name as Frequently asked "
            "questions"]


CASES = [site_dir_is_docs, site_dir_is_the_project, site_dir_is_outside, site_dir_is_someone_elses, draft_as_text,
         draft_as_number, draft_capitalised, kind_misspelled, attachment, symlink_to_a_server_file, symlinked_chapter,
         symlinked_image_into_git, remote_image, css_url, scripts, script_in_an_svg, static_web_page,
         site_url_as_a_list, edit_uri_as_a_mapping, unknown_citation_style, unknown_extension, hooks, env_tag,
         deep_nesting, unprintable_characters, broken_image, nav_to_a_private_page, duplicate_anchor,
         download_named_like_the_faq]


@pytest.mark.parametrize("break_it", CASES, ids=[c.__name__ for c in CASES])
def test_check_reports_it_at_its_line(tiny: Path, capsys: pytest.CaptureFixture, break_it) -> None:
    expected = break_it(tiny)
    status, errors, err = pamphlet(tiny, capsys, "check")
    assert status == 1, err
    assert "Traceback" not in err
    assert len(errors) == len(expected), err
    for line, pattern in zip(errors, expected):
        assert re.match(rf"^error: {pattern}", line), line


BUILD_CASES = [site_dir_is_docs, site_dir_is_the_project, site_dir_is_someone_elses, attachment,
               symlink_to_a_server_file, remote_image, unprintable_characters, download_named_like_the_faq]


@pytest.mark.parametrize("break_it", BUILD_CASES, ids=[c.__name__ for c in BUILD_CASES])
def test_the_build_refuses_it_and_destroys_nothing(tiny: Path, capsys: pytest.CaptureFixture, break_it) -> None:
    before = fingerprint(tiny)
    expected = break_it(tiny)
    sources = {k: v for k, v in fingerprint(tiny).items() if not k.startswith("site/")}
    status, errors, err = pamphlet(tiny, capsys, "build", "--quiet")
    assert status == 1 and "Traceback" not in err
    assert re.match(rf"^error: {expected[0]}", errors[0]), errors
    after = fingerprint(tiny)
    assert {k: v for k, v in after.items() if k.startswith("site/")} == \
           {k: v for k, v in before.items() if k.startswith("site/")}, "the last good build changed"
    assert {k: v for k, v in after.items() if not k.startswith("site/")} == sources, "a source changed"
    assert not list(tiny.glob(".pamphlet-build-*"))


# --- privacy ---------------------------------------------------------------------------------------

CLOSED_NOTES = f"""---
date: 2026-02-10
kind: closed
place: A member's kitchen
facilitator: Ada Lind
note_taker: Ben Okoro
time_keeper: Cy Park
attendees: [Ada Lind, Ben Okoro, Cy Park, Dee {SECRET}]
---
# Closed meeting, February 10, 2026

## Discussion
{SECRET}: the rent negotiation. [@albert:2003parecon]

!!! contested "{SECRET} dispute"
    Who keeps the key.

## Action items
- [ ] **Ada Lind**: call the landlord about {SECRET}

## Next meeting
Agenda decided for the next meeting:
1. {SECRET} follow-up
"""


def all_text(site: Path) -> str:
    """Every byte the site publishes, PDFs as extracted text too."""
    import pypdf

    parts = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
            if path.suffix == ".pdf":
                parts += [page.extract_text() for page in pypdf.PdfReader(path).pages]
    return "\n".join(parts)


def test_closed_notes_in_subfolders_stay_out_of_the_public_site(tiny: Path, capsys: pytest.CaptureFixture) -> None:
    (tiny / "docs" / "meetings" / "2026").mkdir()
    (tiny / "docs" / "meetings" / "2026" / "2026-02-10.md").write_text(CLOSED_NOTES, encoding="utf-8")
    (tiny / "docs" / "archive").mkdir()
    (tiny / "docs" / "archive" / "old.md").write_text(CLOSED_NOTES.replace("2026-02-10", "2025-12-01"),
                                                      encoding="utf-8")
    (tiny / "docs" / "draft.md").write_text(f"---\ndraft: true\n---\n# Plans\n\n{SECRET} draft.\n", encoding="utf-8")
    status, errors, err = pamphlet(tiny, capsys, "build", "--quiet")
    assert status == 0, err
    assert SECRET not in all_text(tiny / "site")
    assert not (tiny / "site" / "meetings" / "2026").exists()
    # the members' edition has them, linked from the generated meeting pages wherever they sit
    status, errors, err = pamphlet(tiny, capsys, "build", "--quiet", "--members")
    assert status == 0, err
    members = tiny / "site-members"
    assert SECRET in (members / "meetings" / "2026" / "2026-02-10" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026/2026-02-10/"' in (members / "meetings" / "index.html").read_text(encoding="utf-8")


def test_new_open_notes_take_nothing_from_closed_notes(tiny: Path, capsys: pytest.CaptureFixture) -> None:
    (tiny / "docs" / "meetings" / "2026-02-10.md").write_text(CLOSED_NOTES, encoding="utf-8")
    status = main(["-C", str(tiny), "new", "meeting", "--today", "2026-02-11"])
    assert status == 0, capsys.readouterr().err
    written = [p for p in (tiny / "docs" / "meetings").glob("*.md") if p.name > "2026-02-10.md"]
    assert len(written) == 1
    text = written[0].read_text(encoding="utf-8")
    assert "kind: open" in text
    # the closed meeting came last: its agenda and action items stay out, and the older open
    # meeting's agenda is stale, so none is copied
    assert SECRET not in text and "landlord" not in text and "How the rota went" not in text
    assert "Ben Okoro**: draw up the rota" in text  # the open item from the public notes


# --- nothing from outside the project, nothing from the network -----------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_no_step_touches_the_network(tiny: Path, server: str, capsys: pytest.CaptureFixture) -> None:
    page = tiny / "booklet" / "gardens.md"
    append(page, f"![A photo]({server}/photo.png)\n\n<p style=\"background: url({server}/bg.png)\">Hi</p>\n\n"
                 f'<img src="{server}/pixel.png" alt="">\n\n<link rel="stylesheet" href="{server}/x.css">\n')
    append(tiny / "fliers" / "welcome.md", f"![A photo]({server}/flier.png)\n")
    append(tiny / "refs.bib", f"@misc{{web, title={{Web}}, year={{2020}}, url={{{server}/bib}}}}\n")
    for command in (["check"], ["build", "--quiet"], ["build", "--quiet", "--members"]):
        status, errors, err = pamphlet(tiny, capsys, *command)
        assert status == 1 and errors, err
    assert Recorder.requests == []


def test_the_printer_reads_only_the_project(tmp_path: Path) -> None:
    """The last line of defence, should a reference slip past the checks: the fetcher refuses it."""
    from pamphlet.print.sandbox import SandboxFetcher

    inside = tmp_path / "docs"
    inside.mkdir()
    (inside / "ok.txt").write_text("fine", encoding="utf-8")
    fetcher = SandboxFetcher([inside])
    assert fetcher.fetch((inside / "ok.txt").as_uri()).read() == b"fine"
    for url in ["file:///etc/passwd", (inside / ".." / ".." / "etc" / "passwd").as_uri(), "http://127.0.0.1:9/x",
                "https://example.org/font.woff2", "ftp://example.org/x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


# --- interrupted builds leave nothing behind ------------------------------------------------------


def test_interrupted_builds_leave_no_scratch_folder(tiny: Path) -> None:
    exe = Path(sys.executable).parent / "pamphlet"
    before = fingerprint(tiny / "site")
    for sig, status in ((signal.SIGTERM, 143), (signal.SIGKILL, -9)):
        process = subprocess.Popen([str(exe), "-C", str(tiny), "build", "--quiet", "--no-cache"],
                                   stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while not glob.glob(str(tiny / ".pamphlet-build-*" / "downloads-parts" / "*" / "*.pdf")):  # printing
            assert process.poll() is None and time.monotonic() < deadline, "the build ended before it was killed"
            time.sleep(0.02)
        process.send_signal(sig)
        assert process.wait(timeout=60) == status
        process.stderr.close()
        assert fingerprint(tiny / "site") == before
    leftovers = list(tiny.glob(".pamphlet-build-*"))
    assert len(leftovers) == 1, "SIGTERM cleans up; SIGKILL cannot"
    # a folder that only looks like a scratch folder (no mark of ours) is never removed
    lookalike = tiny / ".pamphlet-build-mine"
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = subprocess.run([str(exe), "-C", str(tiny), "build", "--quiet"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert list(tiny.glob(".pamphlet-build-*")) == [lookalike]


def test_a_build_started_by_another_process_is_left_alone(tiny: Path, capsys: pytest.CaptureFixture) -> None:
    """A scratch folder whose process still runs belongs to a concurrent build."""
    import socket

    busy = tiny / ".pamphlet-build-busy"
    busy.mkdir()
    (busy / ".pamphlet-work").write_text(f"{socket.gethostname()} {os.getppid()}\n", encoding="utf-8")
    status, errors, err = pamphlet(tiny, capsys, "build", "--quiet")
    assert status == 0, err
    assert busy.is_dir()


# --- the HTML policy, on generated input -----------------------------------------------------------

INERT_TAGS = ["p", "span", "a", "img"]
ACTIVE_TAGS = ["script", "iframe", "link", "object", "embed", "form", "base", "meta", "frame"]  # <style> is CSS-checked
ATTRIBUTES = ["href", "src", "style", "onclick", "onerror", "rel", "srcset", "data", "action", "formaction",
              "xlink:href", "class", "title"]
FETCHING = {"src", "srcset"}  # (data, action: only on refused elements; xlink:href fetches only in SVG <image>)
SAFE_VALUES = ["x.png", "plain", "#top", "notes.md", "color: red", "https://example.org/"]
SCRIPT_URLS = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<b>", "java&#x09;script:alert(1)",
               "&#106;avascript:alert(1)", "vbscript:x"]
REMOTE_URLS = ["http://127.0.0.1:9/x", "//evil.example/x"]
BAD_STYLES = ["background: url(http://127.0.0.1:9/x)", "width: expression(alert(1))", "background:url(x.png)",
              "behavior: url(x.htc)"]
BAD_VALUES = SCRIPT_URLS + REMOTE_URLS + BAD_STYLES + ["attachment"]


@settings(max_examples=400, deadline=None)
@given(tag=st.sampled_from(INERT_TAGS + ACTIVE_TAGS), attribute=st.sampled_from(ATTRIBUTES),
       value=st.sampled_from(SAFE_VALUES + BAD_VALUES), quote=st.sampled_from(['"', "'"]))
def test_html_policy_refuses_every_active_or_remote_combination(tag: str, attribute: str, value: str,
                                                                 quote: str) -> None:
    html = f"<{tag} {attribute}={quote}{value}{quote}>text</{tag}>"
    dangerous = (tag in ACTIVE_TAGS or attribute.startswith("on")
                 or (attribute == "href" and value in SCRIPT_URLS)  # a link elsewhere is fine; a script is not
                 or (attribute in FETCHING and value in SCRIPT_URLS + REMOTE_URLS)  # nothing is fetched
                 or (attribute == "style" and value in BAD_STYLES)
                 or (attribute == "rel" and value == "attachment"))
    if dangerous:
        assert check_html(html), f"accepted: {html}"


# --- generated sources: never a crash, and what `check` passes, the build prints ------------------

FRAGMENTS = [
    "# A title", "## A section {#sec}", "Plain words, *emphasis* and **strong**.", "> a quote\n> > nested",
    "- a list\n    - nested\n        - deeper", "1. one\n2. two", "[a link](tools.md#the-lending-shelf)",
    "[a broken link](nowhere.md)", "[@ostrom:1990commons, p. 90]", "@albert:2003parecon says so.",
    "[@nobody:1999]", "![a missing image](missing.png)", "<b>bold</b>", "<script>x()</script>",
    '<img src="x.png" onerror="x()" alt="x">', "<iframe src='https://evil.example/'></iframe>",
    "[go](javascript:x())", "| a | b |\n| - | - |\n| 1 | 2 |", "```\ncode <b> & stuff\n```",
    "!!! contested \"Is this settled?\"\n    Not yet.", "!!! contested\n    No reason.", "Term\n:   Definition",
    "A footnote[^1].\n\n[^1]: The note.", "Café, naïve, 1/2, “quotes” — dashes…", "Shalom \u05e9",
    "A seedling \U0001f331", "<!-- a comment -->", "&amp; &lt; &#x41; &bogus;", "---", "\\* not emphasis",
    "<div markdown>\n*inside*\n</div>", "[[double brackets]]", "{: .class }", "    indented code",
    "<p style=\"color: red\">red</p>", "<p style=\"background: url(x.png)\">bg</p>", "\x00",
]


def _write_chapter(root: Path, parts: list[str]) -> None:
    """A third chapter, made of `parts`."""
    (root / "booklet" / "generated.md").write_text("# Generated\n\n" + "\n\n".join(parts) + "\n",
                                                   encoding="utf-8")
    replace(root / "booklet" / "booklet.yml", "  - tools.md\n", "  - tools.md\n  - generated.md\n")


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=8))
def test_generated_chapters_never_crash_check(tmp_path_factory, parts: list[str]) -> None:
    from pamphlet.build import load
    from pamphlet.errors import SourceError, SourceErrors

    root = tmp_path_factory.mktemp("generated") / "tiny"
    shutil.copytree(TINY, root)
    _write_chapter(root, parts)
    try:
        load(root)
    except (SourceError, SourceErrors):
        pass  # reported, one line each: fine


VALID = ["## A section {#sec}", "Plain words, *emphasis* and **strong**.", "> a quote\n> > nested",
         "- a list\n    - nested\n        - deeper", "[a link](tools.md#the-lending-shelf)",
         "[@ostrom:1990commons, p. 90]", "@albert:2003parecon says so.", "<b>bold</b>",
         "| a | b |\n| - | - |\n| 1 | 2 |", "```\ncode <b> & stuff\n```",
         '!!! contested "Is this settled?"\n    Not yet.',
         "A footnote[^1].\n\n[^1]: The note.", "Café, naïve, 1/2, “quotes” — dashes…", "&amp; &lt; &#x41;",
         '<p style="color: red">red</p>', "<div markdown>\n*inside*\n</div>"]


@settings(max_examples=3, deadline=None)
@given(parts=st.lists(st.sampled_from(VALID), min_size=1, max_size=8, unique=True))
def test_what_check_passes_the_build_prints(tmp_path_factory, parts: list[str]) -> None:
    from pamphlet.build import build, load

    root = tmp_path_factory.mktemp("generated") / "tiny"
    shutil.copytree(TINY, root)
    _write_chapter(root, parts)
    load(root)  # these fragments are all valid, in any order
    build(root, quiet=True)  # and no error may appear here that `check` did not report
