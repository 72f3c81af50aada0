"""A generated project for the benchmark: the sample fixture's configuration and sources, plus as
many chapters, pages, citations, contested sections, meeting notes and FAQ entries as asked.

    python bench/corpus.py DEST [--chapters 12] [--pages 14] [--citations 4] [--contested 1]
                                [--meetings 40] [--faq 30] [--seed 1]

The text is made of plain English words drawn with a fixed seed, so the same sizes give the same
project. `--pages` is per chapter, counted on the booklet's half-letter pages (about 330 words
each); `--citations` and `--contested` are per chapter too. `big_page` writes one large page for
timing `pamphlet check` on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "projects" / "sample"
TODAY = dt.date(2026, 6, 24)  # the day the sample is built on (tests/conftest.py)
WORDS_PER_PAGE = 330  # half-letter, 10 pt (booklet.css)

WORDS = """street council garden tool shed ladder budget rota neighbour meeting repair cupboard notebook
keeper decision proposal vote consent minutes agenda volunteer household contribution ledger reserve
question answer practice rule arrangement inventory borrowing return season harvest flour paint door
hinge library room party summer winter autumn spring evening week month year committee member
newcomer facilitator note taker time keeper report reminder record account care trust share work
time money place common open closed public private small large early late careful honest simple
durable local shared weekly monthly annual first second third last every other some many few more
less most least often rarely always never together apart again still already soon later""".split()
VERBS = "keeps decides borrows returns repairs records shares asks answers meets proposes agrees".split()


@dataclass
class Sizes:
    chapters: int = 12
    pages: int = 14
    citations: int = 4
    contested: int = 1
    meetings: int = 40
    faq: int = 30
    seed: int = 1


class Text:
    """Sentences and paragraphs of plain words, from a fixed seed."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def sentence(self) -> str:
        r = self.random
        words = r.choices(WORDS, k=r.randint(8, 20))
        words.insert(r.randint(1, len(words) - 1), r.choice(VERBS))
        return " ".join(words).capitalize() + "."

    def paragraph(self, words: int = 90) -> str:
        sentences, count = [], 0
        while count < words:
            sentences.append(self.sentence())
            count += len(sentences[-1].split())
        return " ".join(sentences)

    def title(self, words: int = 3) -> str:
        return " ".join(self.random.sample(WORDS, words)).capitalize()


def bibliography_keys(root: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", (root / "references.bib").read_text(encoding="utf-8"), re.M)


def chapter(text: Text, number: int, sizes: Sizes, keys: list[str]) -> str:
    """One chapter of about `sizes.pages` printed pages: a section every page or so, citations and
    contested sections spread through it."""
    r = text.random
    paragraphs = max(1, sizes.pages * WORDS_PER_PAGE // 90)
    sections = max(1, sizes.pages)
    cite_at = set(r.sample(range(paragraphs), min(sizes.citations, paragraphs)))
    contest_at = set(r.sample(range(paragraphs), min(sizes.contested, paragraphs)))
    lines = [f"# Generated chapter {number}: {text.title()}", "", f"*{text.sentence()}*", ""]
    for index in range(paragraphs):
        if index % max(1, paragraphs // sections) == 0:
            lines += [f"## {text.title(4)} ({number}.{index})", ""]
        paragraph = text.paragraph()
        if index in cite_at:
            paragraph += f" [@{r.choice(keys)}, p. {r.randint(1, 300)}]"
        lines += [paragraph, ""]
        if index in contest_at:
            lines += [f'!!! contested "{text.sentence()[:-1]}?"', f"    id: generated-{number}-{index}",
                      "    since: 2026-04-01", "", f"    {text.paragraph(60)}", ""]
    return "\n".join(lines)


def meeting(text: Text, day: dt.date) -> str:
    r = text.random
    people = ["Rosa Byrne", "Sam Ito", "Otto Reyes", "Pia Strand", "Nora Vance", "Quinn Adler"]
    chosen = r.sample(people, 5)
    due = (day + dt.timedelta(days=14)).isoformat()
    return "\n".join([
        "---", f"date: {day.isoformat()}", "kind: open", "place: Harbor Street Community Room",
        f"facilitator: {chosen[0]}", f"note_taker: {chosen[1]}", f"time_keeper: {chosen[2]}",
        f"attendees: [{', '.join(chosen)}]", "---",
        f"# Open meeting, {day.strftime('%B')} {day.day}, {day.year}", "",
        "## Agenda", f"1. {text.title()}", f"2. {text.title()}", "",
        "## Discussion", text.paragraph(120), "",
        "## Decisions", f"- {text.sentence()}", "",
        "## Action items", f"- [x] **{chosen[3]}**: {text.title(4).lower()} (due {due})", "",
    ])


def faq_entries(text: Text, count: int) -> str:
    if not count:
        return ""
    lines = ["", "## More questions", ""]
    for index in range(count):
        lines += [f"### {text.sentence()[:-1]}? {{#generated-{index}}}", "", text.paragraph(70), ""]
    return "\n".join(lines)


def generate(dest: Path, sizes: Sizes = Sizes()) -> Path:
    """The sample's sources copied to `dest` (which must not exist), grown by `sizes`."""
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("site", "site-members", ".pamphlet-*"))
    text = Text(sizes.seed)
    keys = bibliography_keys(dest)
    manifest_path = dest / "booklet" / "booklet.yml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    for number in range(1, sizes.chapters + 1):
        name = f"generated-{number:02d}.md"
        (dest / "booklet" / name).write_text(chapter(text, len(manifest["chapters"]) + 1, sizes, keys),
                                             encoding="utf-8")
        manifest["chapters"].append(name)
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    notes = dest / "docs" / "meetings"
    day = dt.date(2026, 5, 5)  # the sample's first notes; earlier Tuesdays, one a week
    for _ in range(sizes.meetings):
        day -= dt.timedelta(days=7)
        (notes / f"{day.isoformat()}.md").write_text(meeting(text, day), encoding="utf-8")
    faq = dest / "docs" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + faq_entries(text, sizes.faq), encoding="utf-8")
    return dest


def big_page(root: Path, megabytes: float = 5.0, seed: int = 2) -> Path:
    """`docs/big.md`: one page of about `megabytes` MB (sections, lists, links, citations), in the nav."""
    text = Text(seed)
    keys = bibliography_keys(root)
    parts, size, index = ["# A very long page", ""], 0, 0
    while size < megabytes * 1_000_000:
        block = [f"## {text.title(4)} {index}", "", text.paragraph(150) + f" [@{text.random.choice(keys)}]", "",
                 f"- {text.sentence()}", f"- {text.sentence()} See [the FAQ](faq.md).", "", text.paragraph(150), ""]
        size += sum(len(line) + 1 for line in block)
        parts += block
        index += 1
    path = root / "docs" / "big.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    config = root / "mkdocs.yml"
    nav = config.read_text(encoding="utf-8").replace("  - FAQ: faq.md\n", "  - FAQ: faq.md\n  - Big: big.md\n")
    config.write_text(nav, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="a new folder for the project")
    for field, default in vars(Sizes()).items():
        parser.add_argument(f"--{field}", type=int, default=default)
    parser.add_argument("--big-page", type=float, metavar="MB", help="also write docs/big.md of this size")
    args = parser.parse_args(argv)
    if args.dest.exists():
        parser.error(f"{args.dest} exists: give a new folder")
    sizes = Sizes(**{field: getattr(args, field) for field in vars(Sizes())})
    root = generate(args.dest, sizes)
    if args.big_page:
        big_page(root, args.big_page)
    print(f"Wrote {root}: {sizes}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
