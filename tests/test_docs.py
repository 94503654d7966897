"""The README is a front door and docs/ the shelf behind it: the README stays short, every relative link
in either leads to a file (and heading) that exists, every pinned requirement says why it is there, and
the screenshots the README shows exist and stay small."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")


def _prose(text: str) -> str:
    """The text without fenced code blocks and inline code, where brackets are not links."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (CJK kept), spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M).splitlines():
        if match := re.match(r"#{1,6} (.+)", line):
            anchor = _anchor(match[1])
            anchors.add(f"{anchor}-{seen[anchor]}" if anchor in seen else anchor)
            seen[anchor] = seen.get(anchor, 0) + 1
    return anchors


def _relative_links(path: Path) -> list[str]:
    targets = [a or b for a, b in LINK.findall(_prose(path.read_text(encoding="utf-8")))]
    return [target for target in targets if not re.match(r"[a-z]+:", target)]


def test_the_readme_is_a_front_door_under_150_lines():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) < 150


def test_the_anchor_of_a_heading_follows_githubs_rule():
    assert _anchor("API quick start · API 快速上手") == "api-quick-start--api-快速上手"
    assert _anchor("Result rows are checked once, not per row") == "result-rows-are-checked-once-not-per-row"
    assert _anchor("`make test` and markers") == "make-test-and-markers"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(document):
    links = _relative_links(document)
    for link in links:
        target, _, anchor = link.partition("#")
        path = (document.parent / target).resolve() if target else document
        assert path.exists(), f"{document.name}: {link} names no file"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{document.name}: {link} names no heading of {path.name}"


def test_the_readme_links_every_document_of_the_shelf():
    linked = {(ROOT / link.partition("#")[0]).resolve() for link in _relative_links(ROOT / "README.md")}
    assert set(DOCUMENTS[1:]) <= linked


def test_the_readme_screenshots_exist_and_stay_under_300_kb():
    images = [link for link in _relative_links(ROOT / "README.md") if link.endswith(".png")]
    assert images, "the README shows a screenshot"
    for image in images:
        assert (ROOT / image).stat().st_size < 300_000, image


def _requirements() -> set[str]:
    names = set()
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith(("#", "-")):
                names.add(re.split(r"[=<>\[;\s]", line.strip())[0].lower())
    return names


def test_every_pinned_requirement_has_its_reason_in_the_dependency_list():
    table = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8")
    first_cells = re.findall(r"^\| ([^|]+) \|", table, re.M)
    named = {word.lower() for cell in first_cells for word in re.split(r"[\s,()\[\]]+", cell) if word}
    assert _requirements() - named == set()
    assert {"django", "pandas", "pypinyin", "playwright"} <= _requirements()
