"""The offline coach's grammar rules: the mistakes Indonesian learners make most
(past tense, third-person -s, articles, age with "have", plurals, "very like",
a missing "be"), each caught only where the rule is sure, with an explanation
in Indonesian or English. check_grammar() is the entry point."""

from __future__ import annotations

import datetime
import itertools
import re
import zlib
from dataclasses import dataclass

from . import coach_data as data
from .schemas import GrammarPoint

# --- Words and sentences -----------------------------------------------------

_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+")
SENTENCE_RE = re.compile(r"[^.!?]+[.!?]*")
_CLAUSE_BREAK_RE = re.compile(
    r"[,;:]|\b(?=(?:and|but|because|so|then|when|while|after|before|although|though|if)\b)",
    re.IGNORECASE,
)
_MONTHS_DAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    "may|june|july|august|september|october|november|december"
)
_LAST_WHAT = f"night|week|weekend|month|year|time|summer|winter|holiday|semester|{_MONTHS_DAYS}"
_PAST_MARKER_RE = re.compile(
    rf"\byesterday\b|\bjust now\b|\bearlier today\b|\blast (?:{_LAST_WHAT})\b"
    r"|\b(?:\S+ ){0,2}ago\b|\bwhen (?:i|he|she|it) was\b|\bwhen (?:we|you|they) were\b"
    r"|\bin (?P<year>1[89]\d\d|20\d\d)\b|\bthis morning\b",
    re.IGNORECASE,
)
_FUTURE_RE = re.compile(r"\b(?:will|going to|gonna|later|tomorrow)\b|'ll\b", re.IGNORECASE)
_NON_PAST_RE = re.compile(
    r"\b(?:tomorrow|next|today|tonight|every|usually|always|often|sometimes|never|will|"
    r"going to|gonna|later|soon)\b|(?<!just )\bnow\b|'ll\b",
    re.IGNORECASE,
)
_NUMBER_WORD = "|".join(data.NUMBER_WORDS)
_AGE_RE = re.compile(
    r"\b(?P<subject>(?i:I|you|we|they|he|she|(?:my|your|his|her|our|their) [a-z]+)|[A-Z][a-z]+)"
    r"\s+(?P<verb>(?i:have|has|had))"
    rf"\s+(?P<age>\d{{1,3}}|(?i:{_NUMBER_WORD})(?:[ -](?i:{_NUMBER_WORD}))?)\s+(?i:years?\s+old)\b"
)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def _joined(sentence: str, left: _Token, right: _Token) -> bool:
    """True when only spaces separate two words: rules never reach across punctuation."""
    gap = sentence[left.end : right.start]
    return bool(gap) and gap.isspace()


def _match_case(word: str, like: str) -> str:
    if len(like) > 1 and like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def stable_seed(text: str) -> int:
    """A stable number for a text (unlike hash(), the same in every process)."""
    return zlib.crc32(text.strip().lower().encode())


# --- Verb and noun forms ------------------------------------------------------


def _third_person(base: str) -> str:
    if base in data.THIRD_PERSON_IRREGULAR:
        return data.THIRD_PERSON_IRREGULAR[base]
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    return base + "s"


def _regular_past(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ied"
    if base in data.DOUBLE_FINAL_CONSONANT:
        return base + base[-1] + "ed"
    return base + "ed"


def _past_of(base: str) -> str:
    return data.IRREGULAR_VERBS[base][0] if base in data.IRREGULAR_VERBS else _regular_past(base)


def _plural(noun: str) -> str:
    if noun in data.IRREGULAR_PLURALS:
        return data.IRREGULAR_PLURALS[noun]
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


def _article_for(word: str) -> str:
    """a/an by sound, not spelling: an hour, a university."""
    if word.startswith(("hour", "honest", "honor", "honour")):
        return "an"
    if word.startswith(("uni", "use", "usu", "eu", "one")):
        return "a"
    return "an" if word[:1] in "aeiou" else "a"


BASE_VERBS = frozenset(data.IRREGULAR_VERBS) | data.REGULAR_VERBS
PRESENT_FORMS = {form: base for base in BASE_VERBS for form in (base, _third_person(base))}
PAST_FORMS = frozenset(_past_of(base) for base in BASE_VERBS) | {"was", "were", "didn't"}
PARTICIPLES = frozenset(p for _, p in data.IRREGULAR_VERBS.values()) | PAST_FORMS | {"been"}
KNOWN_WORDS = (
    data.STOPWORDS
    | frozenset(PRESENT_FORMS)
    | PAST_FORMS
    | data.ARTICLE_ADJECTIVES
    | data.PLURAL_NOUNS
    | frozenset(data.NUMBER_WORDS)
    | frozenset(data.VOCABULARY)
)


def _is_plural(noun: str) -> bool:
    return noun in data.PLURAL_WORDS or (noun.endswith("s") and not noun.endswith(("ss", "us")))


def _is_name(token: _Token) -> bool:
    """A capitalised word we don't know, e.g. Budi or Jakarta: one person or place."""
    text = token.text
    return (
        len(text) > 1
        and text[0].isupper()
        and text[1:].islower()
        and text.isalpha()
        and token.low not in KNOWN_WORDS
        and not _is_plural(token.low)
    )


def _subject_ending_at(sentence: str, tokens: list[_Token], j: int) -> tuple[int, str] | None:
    """(index of its first word, person) of the subject whose last word is tokens[j]."""
    token = tokens[j]
    low = token.low
    if low in data.PRONOUN_PERSON:
        return j, data.PRONOUN_PERSON[low]
    if low in data.INDEFINITE_SUBJECTS:
        return j, "3"
    if (
        j > 0
        and tokens[j - 1].low in data.DETERMINERS
        and _joined(sentence, tokens[j - 1], token)
        and token.text.isalpha()
        and token.text.islower()
        and low not in data.STOPWORDS
        and low not in data.ADJECTIVES
    ):
        return j - 1, "pl" if _is_plural(low) else "3"
    if _is_name(token):
        return j, "3"
    return None


def _subject_before(
    sentence: str, tokens: list[_Token], i: int, skip: frozenset[str], guards: frozenset[str]
) -> tuple[int, int, str] | None:
    """(first index, last index, person) of the subject just before tokens[i],
    allowing one word from `skip` in between; None when a word in `guards` shows
    it is really an object or a question ("let it go", "does she work")."""
    j = i - 1
    if j < 0 or not _joined(sentence, tokens[j], tokens[i]):
        return None
    if tokens[j].low in skip and j > 0 and _joined(sentence, tokens[j - 1], tokens[j]):
        j -= 1
    found = _subject_ending_at(sentence, tokens, j)
    if found is None:
        return None
    start, person = found
    before = start - 1
    guarded = (
        before >= 0
        and _joined(sentence, tokens[before], tokens[start])
        and tokens[before].low in guards
    )
    return None if guarded else (start, j, person)


_VERB_GUARDS = data.AUXILIARIES | data.OBJECT_VERBS | data.PREPOSITIONS
_BE_FORMS = data.words("am is are was were be")
_ARTICLE_TRIGGERS = data.words("am is was i'm he's she's it's that's be become becomes became")


# --- Tense ---------------------------------------------------------------------


def _past_marker(text: str) -> str | None:
    """The words that put `text` in the past ("yesterday", "last year"), if any."""
    for match in _PAST_MARKER_RE.finditer(text):
        year = match.group("year")
        if year and int(year) >= datetime.date.today().year:
            continue
        if match.group().lower() == "this morning" and _FUTURE_RE.search(text):
            continue
        return match.group()
    return None


def _clause_marker(sentence: str, position: int, sentence_marker: str | None) -> str | None:
    """The past marker that covers `position`: its clause's own, else the sentence's,
    unless the clause says it is about now or later ("but now I live in Bali")."""
    if sentence_marker is None:
        return None
    cuts = [0, *(m.start() for m in _CLAUSE_BREAK_RE.finditer(sentence)), len(sentence)]
    start = max(c for c in cuts if c <= position)
    end = min(c for c in cuts if c > position) if position < len(sentence) else len(sentence)
    clause = sentence[start:end]
    own = _past_marker(clause)
    if own:
        return own
    return None if _NON_PAST_RE.search(clause) else sentence_marker


# --- Grammar rules ---------------------------------------------------------------


@dataclass(frozen=True)
class _Fix:
    """One correction: sentence[start:end] becomes `replacement`. `wrong` is the
    learner's fragment around it, `right` the same fragment corrected."""

    issue: str
    start: int
    end: int
    replacement: str
    wrong: str
    right: str
    details: dict[str, str]


def _fix(
    sentence: str, issue: str, edit: tuple[int, int, str], fragment: tuple[int, int], **details: str
) -> _Fix:
    (start, end, replacement), (first, last) = edit, fragment
    right = sentence[first:start] + replacement + sentence[end:last]
    return _Fix(issue, start, end, replacement, sentence[first:last], right, details)


def _with_word_before(sentence: str, tokens: list[_Token], i: int) -> int:
    """Where tokens[i] starts, or the word before it when only a space separates them."""
    if i > 0 and _joined(sentence, tokens[i - 1], tokens[i]):
        return tokens[i - 1].start
    return tokens[i].start


def _be(person: str, past: bool) -> str:
    if past:
        return "was" if person in ("1", "3") else "were"
    return {"1": "am", "3": "is"}.get(person, "are")


def _age_with_have(sentence: str, tokens: list[_Token]) -> list[_Fix]:
    fixes = []
    for m in _AGE_RE.finditer(sentence):
        subject, verb = m.group("subject"), m.group("verb")
        low = subject.lower()
        if " " not in subject and low not in data.PRONOUN_PERSON and low in KNOWN_WORDS:
            continue  # "Yesterday had ...": not a person
        be = _be(data.PRONOUN_PERSON.get(low, "3"), past=verb.lower() == "had")
        edit = (m.start("verb"), m.end("verb"), _match_case(be, verb))
        fixes.append(_fix(sentence, "age_with_have", edit, m.span()))
    return fixes


def _very_like(sentence: str, tokens: list[_Token]) -> list[_Fix]:
    fixes = []
    for i, (very, verb) in enumerate(itertools.pairwise(tokens)):
        if very.low != "very" or verb.low not in data.VERY_VERBS:
            continue
        if not _joined(sentence, very, verb) or (i and tokens[i - 1].low in _BE_FORMS):
            continue  # "he is very liked" is another story
        edit = (very.start, very.end, _match_case("really", very.text))
        fragment = (_with_word_before(sentence, tokens, i), verb.end)
        fixes.append(_fix(sentence, "very_like", edit, fragment, verb=verb.low))
    return fixes


def _past_form(word: str) -> str | None:
    """The past of a present form ("goes" -> "went"); None when there is nothing to change."""
    if word in data.PAST_OF_SPECIAL:
        return data.PAST_OF_SPECIAL[word]
    base = PRESENT_FORMS.get(word)
    past = _past_of(base) if base else None
    return None if past == word else past


def _past_tense(sentence: str, tokens: list[_Token]) -> list[_Fix]:
    sentence_marker = _past_marker(sentence)
    if sentence_marker is None:
        return []
    fixes: list[_Fix] = []
    seen_past = False
    for i, token in enumerate(tokens):
        seen_past = seen_past or token.low in PAST_FORMS
        past = _past_form(token.low)
        marker = _clause_marker(sentence, token.start, sentence_marker) if past else None
        if not past or not marker:
            continue
        following = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if token.low in ("have", "has") and following in PARTICIPLES:
            continue  # present perfect: a different lesson
        subject = _subject_before(sentence, tokens, i, data.ADVERBS, _VERB_GUARDS)
        if subject is not None:
            start = tokens[subject[0]].start
        elif (
            i > 0
            and tokens[i - 1].low in ("and", "then")
            and _joined(sentence, tokens[i - 1], token)
            and (seen_past or fixes)
        ):
            start = tokens[i - 1].start  # "... and meet my friend": same subject, same past
        else:
            continue
        edit = (token.start, token.end, _match_case(past, token.text))
        fixes.append(_fix(sentence, "past_tense", edit, (start, token.end), marker=marker))
    return fixes


def _third_person_s(sentence: str, tokens: list[_Token]) -> list[_Fix]:
    sentence_marker = _past_marker(sentence)
    fixes = []
    for i, token in enumerate(tokens):
        if token.low not in BASE_VERBS and token.low != "don't":
            continue
        if _clause_marker(sentence, token.start, sentence_marker):
            continue  # a past clause: "it cost" is already right
        subject = _subject_before(sentence, tokens, i, data.ADVERBS, _VERB_GUARDS | {"and", "or"})
        if subject is None or subject[2] != "3":
            continue
        start, end = tokens[subject[0]].start, tokens[subject[1]].end
        edit = (token.start, token.end, _match_case(_third_person(token.low), token.text))
        fragment = (start, token.end)
        fixes.append(_fix(sentence, "third_person_s", edit, fragment, subject=sentence[start:end]))
    return fixes


def _missing_be(sentence: str, tokens: list[_Token]) -> list[_Fix]:
    sentence_marker = _past_marker(sentence)
    fixes = []
    for i, token in enumerate(tokens):
        if token.low not in data.ADJECTIVES:
            continue
        subject = _subject_before(sentence, tokens, i, data.INTENSIFIERS, _VERB_GUARDS | {"and"})
        if subject is None:
            continue
        start, at = tokens[subject[0]].start, tokens[subject[1]].end
        be = _be(subject[2], past=bool(_clause_marker(sentence, token.start, sentence_marker)))
        fragment = (start, token.end)
        fixes.append(
            _fix(sentence, "missing_be", (at, at, f" {be}"), fragment, adjective=token.low, be=be)
        )
    return fixes


def _noun_after(
    sentence: str, tokens: list[_Token], i: int, adjectives: frozenset[str], nouns: frozenset[str]
) -> int | None:
    """Index of a noun from `nouns` right after tokens[i], maybe past one adjective."""
    n = i + 1
    if n >= len(tokens) or not _joined(sentence, tokens[i], tokens[n]):
        return None
    if (
        tokens[n].low in adjectives
        and n + 1 < len(tokens)
        and _joined(sentence, tokens[n], tokens[n + 1])
    ):
        n += 1
    return n if tokens[n].low in nouns else None


def _article(sentence: str, tokens: list[_Token]) -> list[_Fix]:
    fixes = []
    for i, token in enumerate(tokens):
        if token.low not in _ARTICLE_TRIGGERS:
            continue
        noun = _noun_after(sentence, tokens, i, data.ARTICLE_ADJECTIVES, data.ARTICLE_NOUNS)
        if noun is None:
            continue
        at = tokens[i + 1].start
        edit = (at, at, f"{_article_for(tokens[i + 1].low)} ")
        fragment = (_with_word_before(sentence, tokens, i), tokens[noun].end)
        fixes.append(_fix(sentence, "article", edit, fragment))
    return fixes


def _quantity(tokens: list[_Token], i: int) -> str | None:
    """The quantity word(s) ending at tokens[i] that need a plural after them."""
    low = tokens[i].low
    previous = tokens[i - 1].low if i > 0 else ""
    if low == "of" and previous in ("lot", "lots"):
        return "a lot of" if previous == "lot" else "lots of"
    if low == "few":
        return "a few" if previous == "a" else "few"
    if previous in ("a", "an"):
        return None  # "a two-hour trip", "a 5 year old"
    if low in data.QUANTIFIERS or data.NUMBER_WORDS.get(low, 0) > 1:
        return tokens[i].text
    if low.isdigit() and 1 < int(low) < 10000:
        return tokens[i].text
    return None


def _plural_noun(sentence: str, tokens: list[_Token]) -> list[_Fix]:
    fixes = []
    for i in range(len(tokens)):
        quantity = _quantity(tokens, i)
        noun = _noun_after(sentence, tokens, i, data.ADJECTIVES, data.PLURAL_NOUNS)
        if quantity is None or noun is None:
            continue
        after = tokens[noun + 1 : noun + 3]
        if len(after) == 2 and after[0].low == "old":
            continue  # "my 5 year old son"
        word = tokens[noun]
        edit = (word.start, word.end, _match_case(_plural(word.low), word.text))
        fragment = (tokens[i].start, word.end)
        fixes.append(_fix(sentence, "plural_noun", edit, fragment, quantity=quantity.lower()))
    return fixes


# Order matters: each rule sees the sentence as the rules before it left it
# ("She very like" -> "She really like" -> "She really likes").
_RULES = (
    _age_with_have,
    _very_like,
    _past_tense,
    _third_person_s,
    _missing_be,
    _article,
    _plural_noun,
)


def _correct_sentence(sentence: str) -> tuple[str, list[_Fix]]:
    found: list[_Fix] = []
    for rule in _RULES:
        fixes, taken = [], set()
        for fix in rule(sentence, _tokens(sentence)):
            if fix.start not in taken:  # one fix per spot and rule
                fixes.append(fix)
                taken.add(fix.start)
        for fix in sorted(fixes, key=lambda f: f.start, reverse=True):
            sentence = sentence[: fix.start] + fix.replacement + sentence[fix.end :]
        found.extend(fixes)
    return sentence, found


def as_example(sentence: str) -> str:
    sentence = sentence.strip()
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def check_grammar(text: str, language: str = "en") -> tuple[str | None, list[GrammarPoint]]:
    """(better sentence or None, one GrammarPoint per mistake) for `text`."""
    pieces, points, position = [], [], 0
    for match in SENTENCE_RE.finditer(text):
        better, fixes = _correct_sentence(match.group())
        pieces += [text[position : match.start()], better]
        position = match.end()
        for fix in fixes:
            template = data.EXPLANATIONS[fix.issue][language]
            stock = data.STOCK_EXAMPLES[fix.issue]
            examples = [as_example(better)]
            if stock != examples[0]:
                examples.append(stock)
            points.append(
                GrammarPoint(
                    issue=fix.issue,
                    original_text=fix.wrong,
                    explanation_language=language,
                    explanation=template.format(wrong=fix.wrong, right=fix.right, **fix.details),
                    examples=examples,
                )
            )
    if not points:
        return None, []
    return ("".join(pieces) + text[position:]).strip(), points


def words_of(text: str) -> list[str]:
    """The words of `text`, lower case, apostrophes straightened."""
    return [t.low for t in _tokens(text)]


def is_about_the_past(text: str) -> bool:
    return _past_marker(text) is not None or any(t.low in PAST_FORMS for t in _tokens(text))
