"""The project's documentation stands alone: the README, docs/ and the OpenAPI
schema send readers only to files the repository has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cinema.tests.clients import api_client

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The design notes and the contract the project was built from live outside it.
OUTSIDE = re.compile(r"\b(API|DESIGN)\.md\b")
# Program output quoted verbatim (the benchmark's table names its source).
OUTPUT_BLOCK = re.compile(r"^```text\n.*?^```\n", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\((?!https?:|mailto:)([^)#\s]*)(?:#([^)\s]+))?\)")
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


def prose(path: Path) -> str:
    return OUTPUT_BLOCK.sub("", path.read_text())


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_there_are_a_readme_and_the_docs_it_links():
    assert [path.relative_to(ROOT).as_posix() for path in DOCS] == [
        "README.md",
        "docs/api.md",
        "docs/design.md",
    ]


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.name)
def test_it_names_no_api_md_or_design_md_outside_docs(path):
    assert OUTSIDE.findall(prose(path)) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.name)
def test_each_relative_link_leads_to_a_file_and_heading_of_the_repository(path):
    links = LINK.findall(prose(path))
    assert links
    for target, fragment in links:
        linked = (path.parent / target).resolve() if target else path
        assert linked.is_file() and linked.is_relative_to(ROOT), f"{path.name}: {target}"
        if fragment:
            assert fragment in {anchor(h) for h in HEADING.findall(linked.read_text())}, (
                f"{target}#{fragment}"
            )


def test_the_api_schema_sends_readers_to_docs_api_md_not_to_api_md():
    schema = api_client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert schema.status_code == 200
    assert OUTSIDE.findall(schema.content.decode()) == []
    assert "docs/api.md" in schema.json()["info"]["description"]
