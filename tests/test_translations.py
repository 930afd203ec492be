"""The Bahasa Indonesia catalogue: complete (no empty or fuzzy entries), compiled (the
.mo in use matches the .po, so an edit without compilemessages fails here), and picked
up by pages from the language cookie and from the browser's Accept-Language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The contract's navigation labels (and the account links next to them).
NAVIGATION = {
    "Dashboard": "Dasbor",
    "Practice": "Latihan",
    "Lessons": "Pelajaran",
    "Pronunciation": "Pelafalan",
    "Vocabulary": "Kosakata",
    "History": "Riwayat",
    "Settings": "Pengaturan",
    "Log out": "Keluar",
    "Log in": "Masuk",
    "Sign up": "Daftar",
}

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    """The content of one quoted PO string, C escapes resolved."""
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{PO_PATH.name}:{self.line} {self.msgid!r}"


def parse_po(text: str) -> tuple[Entry, list[Entry]]:
    """The header entry and the messages of a PO file (obsolete `#~` entries skipped).

    An entry is its comments, then msgctxt?, msgid, msgid_plural?, msgstr or msgstr[n];
    a quoted line continues the previous keyword."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None  # the field a quoted line extends

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        keyword, _, rest = line.partition(" ")
        complete = target is not None and target[0].startswith("msgstr")
        if complete and (line.startswith("#") or keyword in ("msgctxt", "msgid")):
            entries.append(entry)
            entry, target = None, None
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            assert target is not None, f"{PO_PATH.name}:{number}: stray string"
            name, index = target
            if index is None:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
            else:
                entry.msgstr_plural[index] += _unquote(line)
        elif match := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            target = ("msgstr_plural", int(match.group(1)))
            entry.msgstr_plural[target[1]] = _unquote(rest)
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            target = (keyword, None)
            setattr(entry, keyword, _unquote(rest))
            if keyword == "msgid":
                entry.line = number
        else:
            raise AssertionError(f"{PO_PATH.name}:{number}: cannot parse {raw!r}")
    if entry is not None:
        entries.append(entry)
    header = entries[0]
    assert header.msgid == "" and header.msgctxt is None, "the PO file starts with its header"
    return header, entries[1:]


@pytest.fixture(scope="module")
def catalogue() -> tuple[Entry, list[Entry]]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


def header_fields(header: Entry) -> dict[str, str]:
    pairs = (line.partition(":") for line in header.msgstr.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, _, value in pairs}


# --- (a) the catalogue is complete -------------------------------------------------------


def test_the_catalogue_has_messages_and_a_compiled_file(catalogue):
    _, entries = catalogue
    assert len(entries) > 300
    assert MO_PATH.exists(), "run manage.py compilemessages -l id"


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    header, entries = catalogue
    assert "fuzzy" not in header.flags
    fuzzy = [entry.where for entry in entries if "fuzzy" in entry.flags]
    assert fuzzy == []
    empty = [
        entry.where
        for entry in entries
        if (entry.msgid_plural is None and not entry.msgstr)
        or (entry.msgid_plural is not None and not all(entry.msgstr_plural.values()))
    ]
    assert empty == []


def test_the_header_declares_the_language_and_the_plural_forms_in_use(catalogue):
    header, entries = catalogue
    fields = header_fields(header)
    assert fields["Language"] == "id"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    plurals = [entry for entry in entries if entry.msgid_plural is not None]
    assert plurals, "some messages have plural forms"
    wrong = [entry.where for entry in plurals if sorted(entry.msgstr_plural) != [0, 1]]
    assert wrong == []


def test_placeholders_survive_translation(catalogue):
    _, entries = catalogue
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?\w+[^>]*>")
    wrong = []
    for entry in entries:
        expected = sorted(placeholder.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if sorted(placeholder.findall(text)) != expected:
                wrong.append((entry.where, text))
    assert wrong == []


# --- (b) the compiled catalogue is the one Django uses ------------------------------------


@pytest.mark.parametrize(("english", "indonesian"), NAVIGATION.items())
def test_navigation_labels_are_indonesian(english, indonesian):
    with translation.override("id"):
        assert translation.gettext(english) == indonesian
    with translation.override("en"):
        assert translation.gettext(english) == english


# --- (c) the .mo is not stale ---------------------------------------------------------------


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    """Fails when someone edits django.po without running compilemessages."""
    _, entries = catalogue
    stale = []
    with translation.override("id"):
        for entry in entries:
            if entry.msgid_plural is None:
                got = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt is not None
                    else translation.gettext(entry.msgid)
                )
                if got != entry.msgstr:
                    stale.append((entry.where, got, entry.msgstr))
                continue
            for count, index in ((1, 0), (2, 1), (5, 1)):
                got = (
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                    if entry.msgctxt is not None
                    else translation.ngettext(entry.msgid, entry.msgid_plural, count)
                )
                if got != entry.msgstr_plural[index]:
                    stale.append((entry.where, count, got, entry.msgstr_plural[index]))
    assert stale == [], "recompile: manage.py compilemessages -l id"


# --- (d) pages follow the language cookie and the browser ---------------------------------


@pytest.mark.django_db
def test_the_language_cookie_switches_a_learners_pages_to_indonesian(client, alice):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.get("/dashboard/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="id"' in body
    for indonesian in ("Dasbor", "Latihan", "Pelajaran", "Kosakata", "Riwayat", "Keluar"):
        assert f">{indonesian}</" in body
    assert ">Practice</a>" not in body


@pytest.mark.django_db
def test_the_browser_language_picks_indonesian_for_a_visitor(client):
    with translation.override("id"):
        headline = translation.gettext("Speak English with confidence.")
    assert headline != "Speak English with confidence."
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="id"' in body
    assert headline in body
    assert ">Masuk</a>" in body
    assert ">Daftar</a>" in body


@pytest.mark.django_db
def test_english_stays_the_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="en"' in body
    assert "Speak English with confidence." in body
    assert ">Log in</a>" in body
