"""Meeting notes, agendas, the FAQ and allies on the built site; the privacy of closed meetings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from pamphlet.build import build

from conftest import TODAY, errors_of
from expected import SITE_URL
from pdfutil import page_texts

ACTION = re.compile(r"^- \[( |x)\] \*\*(.+?)\*\*: (.+?)(?: \(due (\d{4}-\d\d-\d\d)\))?\s*$")


def notes(root: Path) -> list[tuple[Path, dict, str]]:
    """(path, front matter, body) of every meeting's notes, read with plain YAML."""
    found = []
    for path in sorted((root / "docs" / "meetings").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        found.append((path, yaml.safe_load(front), body))
    return found


def plain(text: str) -> str:
    """Text as a reader sees it, whatever the format: no Markdown marks, straight quotes, one space."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return " ".join(re.sub(r"[*_`#>\[\]]", "", text).split())


def secrets(root: Path) -> list[str]:
    """Lines written only in closed meetings' notes (found in no public source)."""
    public = plain(" ".join(p.read_text(encoding="utf-8") for p in [*(root / "docs").rglob("*.md"),
                                                                     *(root / "booklet").glob("*.md")]
                            if not (p.parent.name == "meetings" and yaml.safe_load(
                                p.read_text(encoding="utf-8").split("---\n")[1]).get("kind") == "closed")))
    found = []
    for _, front, body in notes(root):
        if front["kind"] != "closed":
            continue
        for line in body.split("\n"):
            words = plain(re.sub(r"^\s*(?:[-*]|\d+\.)\s+(?:\[[ x]\]\s+)?", "", line))
            if len(words) > 60 and words not in public:
                found.append(words[:60])
    return found


def test_closed_meetings_exist_in_the_sources(root: Path) -> None:
    kinds = [front["kind"] for _, front, _ in notes(root)]
    assert "closed" in kinds and "open" in kinds
    assert len(secrets(root)) >= 4


def everything_public(site: Path) -> dict[str, str]:
    """Every text the build publishes, as plain text: pages, search index, sitemap, feeds, PDFs.
    Each file is read raw too, so that a name hidden in markup is found."""
    texts = {}
    for path in site.rglob("*"):
        raw = None
        if path.suffix in {".html", ".json", ".xml", ".ics", ".txt", ".js", ".md"}:
            raw = path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".gz":
            import gzip

            raw = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        elif path.suffix == ".pdf":
            texts[str(path)] = plain(" ".join(page_texts(path)))
            continue
        if raw is None:
            continue
        if path.name == "search_index.json":
            docs = json.loads(raw)["docs"]
            rendered = " ".join(BeautifulSoup(d["title"] + " " + d["text"], "html.parser").get_text(" ") for d in docs)
        else:
            rendered = BeautifulSoup(raw, "html.parser").get_text(" ") if path.suffix == ".html" else raw
        texts[str(path)] = plain(rendered) + "\n" + raw
    return texts


def test_nothing_from_a_closed_meeting_reaches_the_public_site(site: Path, root: Path) -> None:
    published = everything_public(site)
    assert any(p.endswith("search_index.json") for p in published)
    assert any(p.endswith("sitemap.xml") for p in published) and any(p.endswith("feed.xml") for p in published)
    closed = [path.stem for path, front, _ in notes(root) if front["kind"] == "closed"]
    for where, text in published.items():
        for sentence in secrets(root):
            assert sentence not in text, (where, sentence)
        for stem in closed:
            assert f"meetings/{stem}" not in text, (where, stem)
    for stem in closed:
        assert not (site / "meetings" / stem).exists()


def test_the_members_edition_has_them_in_its_own_folder(project: Path, root: Path) -> None:
    result = build(project, quiet=True, members=True, today=TODAY)
    assert result.site_dir == (project / "site-members").resolve()
    assert not (project / "site").exists()
    closed = [path.stem for path, front, _ in notes(root) if front["kind"] == "closed"]
    for stem in closed:
        page = result.site_dir / "meetings" / stem / "index.html"
        assert page.is_file()
    text = " ".join(everything_public(result.site_dir).values())
    assert all(sentence in text for sentence in secrets(root))


def test_broken_front_matter_is_an_error_and_never_published(built_project: Path, cli) -> None:
    project = built_project  # with its last good build
    assert (project / "site" / "meetings" / "index.html").is_file()
    note = next(path for path, front, _ in notes(project) if front["kind"] == "closed")
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("kind: closed", "kind: clsoed", 1), encoding="utf-8")
    line = text.split("\n").index("kind: closed") + 1
    errors = errors_of(cli(project, "build"))
    assert errors == [f"error: docs/meetings/{note.name}:{line}: `kind`: Expected one of: ['closed', 'open'] "
                      "but received: 'clsoed'"]
    assert not (project / "site" / "meetings" / note.stem).exists()


def test_a_role_held_by_someone_absent_is_an_error_at_its_line(project: Path, cli) -> None:
    note = next(path for path, front, _ in notes(project) if front["kind"] == "open")
    text = note.read_text(encoding="utf-8")
    old = next(line for line in text.split("\n") if line.startswith("time_keeper:"))
    note.write_text(text.replace(old, "time_keeper: Somebody Else", 1), encoding="utf-8")
    (error,) = errors_of(cli(project, "check"))
    line = text.split("\n").index(old) + 1
    assert error.startswith(f"error: docs/meetings/{note.name}:{line}: `time_keeper`: Somebody Else is not in "
                            "`attendees`")


def test_meetings_index_is_newest_first_with_decisions(site: Path, root: Path) -> None:
    page = BeautifulSoup((site / "meetings" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in page.select("article h3 a") if re.match(r"\.\./meetings/|\d{4}-", a["href"])
             or re.match(r"\d{4}-\d\d-\d\d", a["href"])]
    public = sorted((path.stem for path, front, _ in notes(root) if front["kind"] == "open"), reverse=True)
    assert [h.rstrip("/").split("/")[-1] for h in links] == public
    for path, front, body in notes(root):
        if front["kind"] != "open":
            continue
        decisions = body.split("## Decisions", 1)[1].split("\n## ", 1)[0]
        first = re.search(r"^- (.+)$", decisions, re.M).group(1)
        plain = re.sub(r"[*_`]", "", first)
        assert plain[:40] in page.select_one("article").get_text(" ", strip=True)


def test_each_meeting_page_shows_its_roles(site: Path, root: Path) -> None:
    for path, front, _ in notes(root):
        if front["kind"] != "open":
            continue
        page = BeautifulSoup((site / "meetings" / path.stem / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        facts = dict(zip([dt.get_text() for dt in page.select(".meeting-facts dt")],
                         [dd.get_text() for dd in page.select(".meeting-facts dd")]))
        assert facts["Facilitator"] == front["facilitator"] and facts["Note-taker"] == front["note_taker"]
        assert facts["Time-keeper"] == front["time_keeper"]
        assert page.select("article input[type=checkbox]")  # action items are a task list


def test_action_items_page_matches_the_sources(site: Path, root: Path) -> None:
    latest: dict[tuple[str, str], tuple[str, bool]] = {}  # (owner, task) -> (kind it was listed in, done)
    listed_publicly: set[tuple[str, str]] = set()
    for path, front, body in sorted(notes(root), key=lambda n: n[0].stem):
        for line in body.split("\n"):
            match = ACTION.match(line)
            if match:
                key = (match.group(2), " ".join(match.group(3).split()))
                latest[key] = (front["kind"], match.group(1) == "x")
                if front["kind"] == "open":
                    listed_publicly.add(key)
    expected = {key for key, (_, done) in latest.items() if not done and key in listed_publicly}
    page = BeautifulSoup((site / "meetings" / "actions" / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = set()
    for heading in page.select("article h2"):
        for li in heading.find_next_sibling("ul").select("li"):
            task = re.sub(r" \(due .*?\)$| \(due .*?\), from .*$|, from .*$", "", li.get_text(" ", strip=True))
            shown.add((heading.get_text().rstrip("¶"), " ".join(task.split())))
    plain = {(owner, re.sub(r"[*_`]", "", task)) for owner, task in expected}
    assert shown == plain


def test_roles_view_shows_rotation(site: Path, root: Path) -> None:
    page = BeautifulSoup((site / "meetings" / "roles" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("article tbody tr")]
    public = sorted(((p, f) for p, f, _ in notes(root) if f["kind"] == "open"), key=lambda n: n[0].stem, reverse=True)
    assert [row[1:] for row in rows] == [[f["facilitator"], f["note_taker"], f["time_keeper"]] for _, f in public]
    assert len({row[1] for row in rows}) == len(rows)  # a different facilitator each time


def test_feed_lists_public_notes(site: Path, root: Path) -> None:
    import xml.etree.ElementTree as etree

    feed = etree.fromstring((site / "meetings" / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.findtext("a:id", namespaces=ns) for e in feed.findall("a:entry", ns)]
    public = sorted((p.stem for p, f, _ in notes(root) if f["kind"] == "open"), reverse=True)
    assert ids == [f"{SITE_URL}meetings/{stem}/" for stem in public]


def test_new_meeting_starts_from_the_schedule_and_the_last_agenda(project: Path, cli) -> None:
    result = cli(project, "new", "meeting", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    created = project / "docs" / "meetings" / "2026-06-30.md"  # the next Tuesday open meeting
    text = created.read_text(encoding="utf-8")
    latest = max([n for n in notes(project) if n[0] != created and n[1]["kind"] == "open"], key=lambda n: n[0].stem)
    planned = re.findall(r"^\d+\. (.+)$", latest[2].split("## Next meeting", 1)[1], re.M)
    agenda = re.findall(r"^\d+\. (.+)$", text.split("## Agenda", 1)[1].split("## ", 1)[0], re.M)
    assert agenda == planned
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["date"].isoformat() == "2026-06-30" and front["kind"] == "open" and front["draft"] is True
    assert {front["facilitator"], front["note_taker"], front["time_keeper"]} <= set(front["attendees"])
    assert len({front["facilitator"], front["note_taker"], front["time_keeper"]}) == 3
    check = cli(project, "check")
    assert check.returncode == 0, check.stderr
    again = cli(project, "new", "meeting", "--today", TODAY.isoformat())
    assert again.returncode == 1 and "already exists" in again.stderr


def test_faq_has_stable_permalinks_and_json_ld(site: Path, root: Path) -> None:
    source = (root / "docs" / "faq.md").read_text(encoding="utf-8")
    questions = re.findall(r"^### (.+?) \{#([a-z0-9-]+)\}\s*$", source, re.M)
    assert len(questions) == len(re.findall(r"^### ", source, re.M)) >= 5
    page = BeautifulSoup((site / "faq" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for text, anchor in questions:
        heading = page.find(id=anchor)
        assert heading is not None and heading.name == "h3"
    (script,) = page.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "FAQPage"
    assert [q["name"] for q in data["mainEntity"]] == [re.sub(r"[*_`]", "", t) for t, _ in questions]
    assert [q["url"] for q in data["mainEntity"]] == [f"{SITE_URL}faq/#{a}" for _, a in questions]
    assert all(q["@type"] == "Question" and q["acceptedAnswer"]["@type"] == "Answer"
               and len(q["acceptedAnswer"]["text"]) > 100 for q in data["mainEntity"])


def test_faq_links_into_the_booklet_and_prints_as_a_handout(site: Path, root: Path) -> None:
    page = BeautifulSoup((site / "faq" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert any("/booklet/" in a["href"] or a["href"].startswith("../booklet/") for a in page.select("article a[href]"))
    text = plain(" ".join(page_texts(site / "downloads" / "faq.pdf")))
    source = (root / "docs" / "faq.md").read_text(encoding="utf-8")
    for question, _ in re.findall(r"^### (.+?) \{#([a-z0-9-]+)\}\s*$", source, re.M):
        assert plain(question)[:30] in text


def test_allies_page_lists_every_ally(site: Path, root: Path) -> None:
    allies = yaml.safe_load((root / "data" / "allies.yml").read_text(encoding="utf-8"))["allies"]
    page = BeautifulSoup((site / "allies" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [plain(h.get_text().rstrip("¶")) for h in page.select("article h2")] == [plain(a["name"]) for a in allies]
    hrefs = {a["href"] for a in page.select("article a[href]")}
    assert {a["url"] for a in allies} <= hrefs
