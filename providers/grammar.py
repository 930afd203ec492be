"""The offline coach's grammar checks: the mistakes Indonesian learners make most
(L1 transfer: Indonesian has no tense inflection, no agreement, no articles, no
copula), each found by a small named check over a spaCy parse of the sentence, with
its explanation in Indonesian or English. lemminflect supplies the corrected forms
(go -> went, child -> children).

A check that is not sure says nothing: a false alarm on a correct sentence is worse
than a missed mistake. The better sentence carries every correction at once, and is
checked again before it is offered, so a drill never repeats an error.
check_grammar() is the entry point."""

from __future__ import annotations

import datetime
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from lemminflect import getAllLemmas, getInflection

from . import grammar_data as data
from .schemas import GrammarPoint

logger = logging.getLogger(__name__)

# --- Sentences and the time they talk about --------------------------------------------

_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+")
SENTENCE_RE = re.compile(r"[^.!?]+[.!?]*")
_CLAUSE_BREAK_RE = re.compile(
    r"[,;:]|\b(?=(?:and|but|because|so|then|when|while|after|before|although|though|if|"
    r"where|who|which)\b)",
    re.IGNORECASE,
)
_MONTHS_DAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    "may|june|july|august|september|october|november|december"
)
_LAST_WHAT = (
    f"night|week|weekend|month|year|time|summer|winter|holiday|semester|season|term|"
    f"ramadan|{_MONTHS_DAYS}"
)
_PAST_MARKER_RE = re.compile(
    rf"\byesterday\b|\bjust now\b|\bearlier today\b|\blast (?:{_LAST_WHAT})\b"
    r"|\b(?:\S+ ){0,2}ago\b|\bwhen (?:i|he|she|it) was\b|\bwhen (?:we|you|they) were\b"
    r"|\bwhen (?:i|he|she|we|they) (?:was|were) (?:a )?(?:child|kid|young|little|small)\b"
    r"|\bin (?P<year>1[89]\d\d|20\d\d)\b|\bthis morning\b",
    re.IGNORECASE,
)
_FUTURE_RE = re.compile(r"\b(?:will|going to|gonna|later|tomorrow)\b|'ll\b", re.IGNORECASE)
_NON_PAST_RE = re.compile(
    r"\b(?:tomorrow|next|today|tonight|every|usually|always|often|sometimes|never|will|"
    r"going to|gonna|later|soon|still)\b|(?<!just )\bnow\b|'ll\b",
    re.IGNORECASE,
)
_NOW_RE = re.compile(
    r"\b(?:now|right now|at the moment|currently|today|tonight|tomorrow|next|this (?:week|"
    r"weekend|month|year|evening|afternoon))\b",
    re.IGNORECASE,
)


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
    end = min((c for c in cuts if c > position), default=len(sentence))
    clause = sentence[start:end]
    own = _past_marker(clause)
    if own:
        return own
    if _NON_PAST_RE.search(clause):
        return None
    # A marker inside a relative clause dates only that clause: "This is the restaurant
    # where we had dinner last week."
    at = sentence.lower().find(sentence_marker.lower())
    if at > position and re.search(r"[:;]", sentence[position:at]):
        return None  # "My strength is X: last year I ...": the marker dates what follows
    marker_start = max(c for c in cuts if c <= at)
    if re.match(r"\s*(?:where|who|which)\b", sentence[marker_start:], re.IGNORECASE):
        return None
    return sentence_marker


# --- Words: what they can be, and their forms ----------------------------------------------

NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_NOMINATIVE = {"i": "1", "he": "3", "she": "3", "we": "pl", "they": "pl"}
_OBJECT_OR_SUBJECT = {"you": "2", "it": "3"}
_INDEFINITE = data.words("everyone everybody someone somebody nobody anyone anybody no-one")
_BE = {"am": "1", "is": "3", "are": "pl", "was": "1", "were": "pl", "'m": "1", "'re": "pl"}
_RELATIVE = data.words("who that which")
_QUANTITY_HEADS = data.words(
    "lot lots number couple majority most some all half kind type sort group none one plenty"
)
_MONEY = data.words("dollars dollar euros euro minutes hours days weeks months years kilometres")
_PLURAL_DETERMINERS = data.words(
    "these those many several both few two three four five six seven eight nine ten"
)


@cache
def _lemmas(word: str, upos: str) -> tuple[str, ...]:
    return getAllLemmas(word, upos).get(upos, ())


def verb_lemma(word: str) -> str | None:
    """The verb a form belongs to ("went" -> "go"), or None for a word that is no verb."""
    lemmas = _lemmas(word.lower(), "VERB")
    return lemmas[0] if lemmas else None


def _is_verb_base(word: str) -> bool:
    return word.lower() in _lemmas(word.lower(), "VERB")


def _can_be(word: str, upos: str) -> bool:
    return bool(_lemmas(word.lower(), upos))


def inflect(lemma: str, tag: str) -> str:
    """lemma in the form `tag` (a Penn Treebank tag): go, VBD -> went."""
    if tag == "NNS" and lemma in data.IRREGULAR_PLURALS:
        return data.IRREGULAR_PLURALS[lemma]
    forms = getInflection(lemma, tag)
    return forms[0] if forms else lemma


def _be(person: str, past: bool) -> str:
    if past:
        return "was" if person in ("1", "3") else "were"
    return {"1": "am", "3": "is"}.get(person, "are")


def _present(lemma: str, person: str) -> str:
    if lemma == "be":
        return _be(person, past=False)
    return inflect(lemma, "VBZ") if person == "3" else lemma


def _past(lemma: str, person: str) -> str:
    return _be(person, past=True) if lemma == "be" else inflect(lemma, "VBD")


def _match_case(word: str, like: str) -> str:
    if len(like) > 1 and like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _article_for(word: str) -> str:
    """a/an by sound, not spelling: an hour, a university."""
    word = word.lower()
    if word.startswith(("hour", "honest", "honor", "honour")):
        return "an"
    if word.startswith(("uni", "use", "usu", "eu", "one", "euro")):
        return "a"
    return "an" if word[:1] in "aeiou" else "a"


# --- A parsed sentence ---------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    start: int  # token indexes, inclusive
    end: int
    person: str  # "1", "2", "3" or "pl"
    relative: bool = False  # "who" standing for the noun before it
    collective: bool = False  # "my family": singular or plural, never corrected for it
    head: int | None = None  # the word that counts, when not the last ("people in Bali")

    @property
    def main(self) -> int:
        return self.end if self.head is None else self.head


@dataclass
class Sentence:
    """One sentence of the learner's and its parse (a spaCy Doc)."""

    text: str
    doc: object
    marker: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.marker = _past_marker(self.text)

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i: int):
        return self.doc[i]

    def low(self, i: int) -> str:
        return self.doc[i].lower_.replace("’", "'") if 0 <= i < len(self.doc) else ""

    def past_at(self, i: int) -> str | None:
        """The past marker covering token i's clause, if any."""
        return _clause_marker(self.text, self.doc[i].idx, self.marker)

    def phrase(self, subject: Subject) -> str:
        """The subject's words, as the learner wrote them."""
        return self.doc[subject.start : subject.end + 1].text

    def clause_end(self, i: int) -> int:
        """The index just past the clause token i is in."""
        k = i + 1
        while k < len(self.doc) and not (
            self.doc[k].is_punct or self.low(k) in data.CLAUSE_STARTERS
        ):
            k += 1
        return k

    def is_question(self) -> bool:
        return self.text.rstrip().endswith("?")

    def joined(self, i: int, j: int) -> bool:
        """Tokens i and j are neighbours with only spaces (or nothing) between them."""
        gap = self.text[self.doc[i].idx + len(self.doc[i]) : self.doc[j].idx]
        return not gap or gap.isspace()

    def opens_clause(self, k: int) -> bool:
        """A subject may start at token k: the sentence's start, after punctuation, a
        conjunction, or a word of time ("Every day my mother ...")."""
        if k == 0:
            return True
        before = self.doc[k - 1]
        low = self.low(k - 1)
        return (
            before.is_punct
            or low in data.CLAUSE_STARTERS
            or low in data.TIME_NOUNS
            or low in data.ADVERBS
            or low in ("usually", "now", "then", "also", "ago")
            or (before.tag_ == "CD" and len(low) == 4 and low.isdigit())  # "In 2018 my ..."
        )

    def noun_phrase_start(self, j: int) -> int:
        """Where the noun phrase ending at token j starts: its determiner, or the first
        of its adjectives and nouns."""
        k = j
        while k > 0:
            before = self.doc[k - 1]
            if before.tag_ in ("DT", "PRP$", "PDT", "WP$") or before.lower_ in ("my", "your"):
                if self.low(k - 1) in data.CLAUSE_STARTERS:  # "that" starting a clause
                    break
                k -= 1
                break
            if before.tag_ in ("JJ", "JJR", "JJS", "CD", "NN", "NNP", "POS", "HYPH") and not (
                self.low(k - 1) in data.TIME_NOUNS or (before.is_punct and before.tag_ != "HYPH")
            ):
                k -= 1
                continue
            break
        return k

    def subject_after(self, i: int) -> Subject | None:
        """The subject starting at token i, in a question ("Does your mother ...")."""
        if i >= len(self.doc):
            return None
        low = self.low(i)
        if low in _NOMINATIVE or low in _OBJECT_OR_SUBJECT:
            return Subject(i, i, _NOMINATIVE.get(low) or _OBJECT_OR_SUBJECT[low])
        n = i
        while n < len(self.doc) and self.doc[n].tag_ in ("DT", "PRP$", "JJ", "NN", "NNP", "NNS"):
            n += 1
        if n == i or n >= len(self.doc) or not self.doc[n].tag_.startswith("VB"):
            return None
        head = self.doc[n - 1]
        if head.tag_ not in NOUN_TAGS:
            return None
        person = _noun_person(head)
        return Subject(i, n - 1, person or "3", collective=person is None)

    def subject_before(self, i: int, skip: frozenset[str] = data.ADVERBS) -> Subject | None:
        """The subject whose last word comes right before token i (allowing words from
        `skip` in between), or None when there is none or it can't be told apart from
        an object ("let him go", "I saw the man leave")."""
        j = i - 1
        while j >= 0 and self.low(j) in skip:
            j -= 1
        if j < 0:
            return None
        token, low = self.doc[j], self.low(j)
        last = j
        if low == "here" and j > 0 and self.doc[j - 1].tag_ in NOUN_TAGS:
            j, token, low = j - 1, self.doc[j - 1], self.low(j - 1)  # "The food here"
        elif token.tag_ in NOUN_TAGS and (outer := self._noun_before_phrase(j)) is not None:
            j, token, low = outer, self.doc[outer], self.low(outer)  # "People in Jakarta"
            if low in _QUANTITY_HEADS:
                return None  # "a lot of people": the verb agrees with "people"
        demonstrative = low in ("this", "that") and token.tag_ == "DT"
        if demonstrative and self.opens_clause(j) and self.low(j + 1) in ("is", "was", "'s"):
            return Subject(j, j, "3")  # "That was very long match"
        if low in _NOMINATIVE:
            found = Subject(j, j, _NOMINATIVE[low])
        elif low in _INDEFINITE and self.opens_clause(j):
            found = Subject(j, j, "3")
        elif low in _OBJECT_OR_SUBJECT and self.opens_clause(j):
            found = Subject(j, j, _OBJECT_OR_SUBJECT[low])
        elif low in _RELATIVE and j > 0 and self.doc[j - 1].tag_ in NOUN_TAGS:
            person = _noun_person(self.doc[j - 1])
            return Subject(j - 1, j, person or "3", relative=True, collective=person is None)
        elif token.tag_ in NOUN_TAGS and token.text.isalpha() and low not in data.TIME_NOUNS:
            start = self.noun_phrase_start(j)
            if self.low(start - 1) == "of":
                return None
            person = _noun_person(token)
            if low in data.INVARIANT_NOUNS or low in _MONEY:
                person = None  # "Ten thousand rupiah is enough": an amount, either way
            elif self.low(start) in _PLURAL_DETERMINERS:
                person = "pl"  # "Those mango": plural, whatever the noun says
            found = Subject(start, last, person or "3", collective=person is None, head=j)
        else:
            return None
        return self._coordinated(found)

    def _noun_before_phrase(self, j: int) -> int | None:
        """The noun a prepositional phrase ending at token j hangs on: "price" in "the
        price of rice", "imam" in "the imam at our mosque"; None when there is none."""
        start = self.noun_phrase_start(j)
        k = start - 1
        if k < 1 or self.low(k) not in ("in", "at", "from", "near", "on", "of"):
            return None
        outer = self.doc[k - 1]
        if outer.tag_ not in NOUN_TAGS or outer.lower_ in data.TIME_NOUNS:
            return None
        outer_start = self.noun_phrase_start(k - 1)
        return k - 1 if self.opens_clause(outer_start) else None

    def _coordinated(self, found: Subject) -> Subject | None:
        """Two subjects joined ("My friends and I", "Budi and Siti") are plural."""
        start = found.start
        if self.low(start - 1) in ("or", "nor"):
            return None
        if self.low(start - 1) == "and" and start >= 2:
            other = self.doc[start - 2]
            if other.tag_ in NOUN_TAGS or other.tag_ == "PRP":
                first = self.noun_phrase_start(start - 2) if other.tag_ in NOUN_TAGS else start - 2
                if self.opens_clause(first):
                    return Subject(first, found.end, "pl")
            # "... a restaurant and he cooks": "and" starts a clause of its own
            return found
        if not self.opens_clause(start) and self.doc[start].tag_ != "PRP":
            return None
        return found


def _noun_person(token) -> str | None:
    """A noun's person: "3" for one, "pl" for more, None for a group ("family")."""
    low = token.lower_
    if low in data.COLLECTIVE_NOUNS:
        return None
    if low in data.IRREGULAR_PLURALS.values():
        return "pl"
    if token.tag_ in ("NNS", "NNPS") and not (token.text[:1].isupper() and _is_name(low)):
        return "pl"  # (a name the tagger took for a plural, "Andi", "Yunus", is one person)
    return "3"


def _is_name(low: str) -> bool:
    """Not an English noun ("andi", "yunus"), or one whose plural is not itself."""
    lemmas = _lemmas(low, "NOUN")
    return not lemmas or (low[-1:] != "s" and low in lemmas)


# --- What a check finds --------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """sentence[start:end] becomes `replacement` (character offsets)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Finding:
    issue: str
    edits: tuple[Edit, ...]
    span: tuple[int, int]  # the learner's words around the mistake
    details: dict[str, str] = field(default_factory=dict)
    focus: int = -1  # where the word judged starts: two checks never judge the same word

    def shouted(self) -> Finding:
        """The same finding for the sentence in capitals."""
        edits = tuple(Edit(e.start, e.end, e.replacement.upper()) for e in self.edits)
        return Finding(self.issue, edits, self.span, self.details, self.focus)

    def fragments(self, text: str) -> tuple[str, str]:
        """(wrong, right): the learner's words and the same words corrected."""
        first, last = self.span
        shifted = [Edit(e.start - first, e.end - first, e.replacement) for e in self.edits]
        return text[first:last], _apply(text[first:last], shifted)


def _replace(s: Sentence, i: int, word: str) -> Edit:
    token = s[i]
    return Edit(token.idx, token.idx + len(token), _match_case(word, token.text))


def _insert_before(s: Sentence, i: int, words: str) -> Edit:
    at = s[i].idx
    first = s[i].text
    if i == 0 and first[:1].isupper() and not (first == "I" or s[i].tag_ in ("NNP", "NNPS")):
        # "Is very hot" -> "It is very hot": the capital moves to the new first word
        words = words[:1].upper() + words[1:]
        return Edit(at, at + len(first), f"{words} {first[:1].lower()}{first[1:]}")
    return Edit(at, at, f"{words} ")


def _span(s: Sentence, first: int, last: int) -> tuple[int, int]:
    return s[first].idx, s[last].idx + len(s[last])


def _finding(s: Sentence, issue: str, edits, first: int, last: int, **details) -> Finding:
    return Finding(issue, tuple(edits), _span(s, first, last), details, focus=s[last].idx)


# --- The checks ------------------------------------------------------------------------------
# Each takes a parsed sentence and yields what it is sure of.

_PRESENT_TAGS = frozenset({"VBP", "VBZ"})
# Where the parser puts a word it reads as a noun: "after the football match".
_NOMINAL_DEPS = frozenset({"pobj", "dobj", "compound", "attr", "npadvmod", "nsubj", "poss"})
_BARE_TAGS = frozenset({"VB", "VBP", "NN", "JJ", "NNP"})


def _finite_present(s: Sentence, i: int) -> str | None:
    """The lemma of token i when it is a present-tense verb form (go, goes, is, has)."""
    token, low = s[i], s.low(i)
    if low in ("'s", "'re", "'m") and token.tag_ in _PRESENT_TAGS:
        return "be"
    if low in ("am", "is", "are"):
        return "be"
    if low in ("last", "next") and s.low(i + 1) in data.TIME_NOUNS:
        return None  # "the match last night"
    nominal = token.tag_ in ("NN", "NNP", "JJ") and (
        token.dep_ in _NOMINAL_DEPS
        or (
            token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN")
        )  # "a latte and a sandwich"
    )
    if token.tag_ in _PRESENT_TAGS or (
        token.tag_ in _BARE_TAGS and _is_verb_base(low) and not nominal
    ):
        lemma = verb_lemma(low)
        if lemma and (low == lemma or inflect(lemma, "VBZ") == low):
            return lemma
    return None


def _after_auxiliary(s: Sentence, i: int) -> bool:
    """Token i follows a modal, do/does/did, or "to" (in which case its form is base_form's
    business, not tense's)."""
    j = i - 1
    while j >= 0 and (s.low(j) in data.ADVERBS or s.low(j) in ("not", "n't", "never")):
        j -= 1
    return j >= 0 and (
        s.low(j) in data.MODALS or s.low(j) in ("do", "does", "did", "to") or s[j].tag_ == "MD"
    )


def past_tense(s: Sentence) -> Iterator[Finding]:
    """A present verb in a clause about the past: "Yesterday I go" -> "Yesterday I went"."""
    if s.marker is None:
        return
    fixed_before = False
    for i in range(len(s)):
        low = s.low(i)
        lemma = _finite_present(s, i)
        if lemma is None or _after_auxiliary(s, i):
            continue
        marker = s.past_at(i)
        if marker is None:
            continue
        after = s[i + 1] if i + 1 < len(s) else None
        if lemma == "have" and after is not None and after.tag_ == "VBN":
            continue  # present perfect: another lesson
        subject = s.subject_before(i)
        if subject is not None and subject.relative:
            continue  # "a man who lives in Bali": true now as well
        if subject is None:
            if not (fixed_before and s.low(i - 1) in ("and", "then")):
                continue  # "... and meet my friend": the same subject, the same past
            first = i - 1
        else:
            first = subject.start
            if s.low(first - 1) == "that" or (s[i].dep_ == "ccomp" and s[i].head.i < i):
                continue  # "I found out that Budi works there": still true
        person = subject.person if subject else "1"
        if low in ("do", "does") and s.low(i + 1) == "n't":
            past = "did"
        elif lemma == "can":
            past = "could"
        else:
            past = _past(lemma, person)
        if low.startswith("'"):  # "I'm" -> "I was"
            edit = Edit(s[i].idx, s[i].idx + len(s[i]), f" {past}")
        else:
            edit = _replace(s, i, past)
        fixed_before = True
        yield _finding(s, "past_tense", [edit], first, i, marker=marker)


_WH = data.words("what where when why how who which whom whose")


def _is_inflected(word: str, lemma: str) -> bool:
    """word is lemma's past, -s, participle or -ing form (not another word that shares it)."""
    return any(word in getInflection(lemma, tag) for tag in ("VBD", "VBZ", "VBN", "VBG"))


def base_form(s: Sentence) -> Iterator[Finding]:
    """After did/does/do, a modal or "to", the verb's base form: "didn't went" -> "didn't go"."""
    for a in range(len(s) - 1):
        low = s.low(a)
        is_to = low == "to" and s[a].tag_ == "TO"
        is_do = low in ("do", "does", "did") and s[a].dep_ in ("aux", "neg", "ROOT", "auxpass")
        is_modal = low in data.MODALS or (s[a].tag_ == "MD" and low != "'d")  # 'd: had?
        if not (is_to or is_do or is_modal):
            continue
        v = a + 1
        while v < len(s) and (s.low(v) in ("not", "n't", "never") or s.low(v) in data.ADVERBS):
            v += 1
        if is_do or is_modal:  # "Did you went?", "Can she swims?": past the subject
            asking = s.is_question() or a == 0 or s.low(a - 1) in _WH
            if v < len(s) and s.low(v) in (*_NOMINATIVE, "you", "it") and asking:
                v += 1
            elif asking and (subject := s.subject_after(v)) is not None:
                v = subject.end + 1
            elif asking and v + 1 < len(s) and s[v].tag_ == "NNP":
                v += 1  # "does Budi has"
        if v >= len(s):
            continue
        verb, word = s[v], s.low(v)
        lemma = verb_lemma(word)
        if lemma is None or word == lemma or verb.tag_ in ("NNP", "NNPS"):
            continue
        if word in data.UNCOUNTABLE_NOUNS or not _is_inflected(word, lemma):
            continue
        if is_to:
            # "to went", "to bought": forms that are only verbs, never nouns or -ing
            verbal = verb.tag_.startswith("VB") or verb.dep_ in ("xcomp", "ccomp", "advcl", "ROOT")
            if verb.tag_ == "VBG" or (not verbal and _can_be(word, "NOUN")):
                continue
        elif is_do:
            if not verb.tag_.startswith("VB") or verb.tag_ == "VBG":
                continue
            if s.low(v - 1) in _DETERMINERS:
                continue
        elif verb.tag_ == "VBN" and s.low(v - 1) in ("have", "been", "be"):
            continue  # "could have gone"
        elif verb.tag_ == "VBG" and s.low(v - 1) == "be":
            continue
        after = s.text[s[a].idx : s[a].idx + len(s[a])]
        if low == "n't" or s.low(a + 1) == "n't":
            after = s.text[s[a].idx : s[a + 1].idx + len(s[a + 1])]
        yield _finding(s, "base_form", [_replace(s, v, lemma)], a, v, after=after.lower())


def _person_verb(s: Sentence, i: int) -> tuple[Subject, str] | None:
    """(subject, lemma) when token i is a present verb with a subject we can trust."""
    lemma = _finite_present(s, i)
    if lemma is None or _after_auxiliary(s, i) or s.past_at(i):
        return None
    token = s[i]
    subject = s.subject_before(i)
    if subject is None or _after_auxiliary(s, subject.start):
        return None  # "Does he like…", "Will he agree": the auxiliary carries the person
    # A noun subject and a word the tagger calls a noun ("The bus stop is near"): only
    # a verb when nothing later in its clause is one.
    later = s.doc[i + 1 : s.clause_end(i)]
    if (
        token.tag_ not in _PRESENT_TAGS
        and s.low(subject.end) not in _NOMINATIVE
        and any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in later)
    ):
        return None
    if token.dep_ in ("ccomp", "xcomp") and token.head.lemma_ in (
        "let",
        "make",
        "help",
        "see",
        "hear",
        "watch",
        "have",
        "bid",
        "feel",
    ):
        return None
    return subject, lemma


def third_person_s(s: Sentence) -> Iterator[Finding]:
    """He, she, it or one person/thing in the present: "My brother work" -> "works"."""
    for i in range(len(s)):
        low = s.low(i)
        found = _person_verb(s, i)
        if found is None:
            continue
        subject, lemma = found
        if subject.person != "3" or subject.collective or lemma == "be" or low != lemma:
            continue
        if _can_be(low, "ADJ") and (i + 1 == len(s) or s[i + 1].is_punct):
            continue  # "Our kitchen always clean.": an adjective, missing its "be"
        edit = _replace(s, i, inflect(lemma, "VBZ"))  # do -> does, and so don't -> doesn't
        named = s[subject.start].text if subject.relative else s.phrase(subject)
        yield _finding(s, "third_person_s", [edit], subject.start, i, subject=named)


def subject_verb_agreement(s: Sentence) -> Iterator[Finding]:
    """The other ways round: "they goes", "we lives", "everybody are", "I is", and
    "there is many people"."""
    yield from _there_is(s)
    yield from _do_question(s)
    yield from _be_question(s)
    for i in range(len(s)):
        low = s.low(i)
        found = _person_verb(s, i)
        if found is None:
            continue
        subject, lemma = found
        if subject.collective or (s.is_question() and i == 0):
            continue
        if lemma == "be":
            if low.startswith("'"):
                continue
            right = _be(subject.person, past=False)
        elif subject.person != "3" and low != lemma:
            right = lemma  # goes -> go, does(n't) -> do(n't)
        else:
            continue
        if right != low:
            yield _agreement(s, subject, i, right)
    for i in range(len(s)):  # was/were
        low = s.low(i)
        if low not in ("was", "were") or s[i].tag_ != "VBD":
            continue
        subject = s.subject_before(i)
        if subject is None or subject.collective or (s.is_question() and i == 0):
            continue
        right = _be(subject.person, past=True)
        if right == low or (low == "were" and s.low(subject.start - 1) in ("if", "wish")):
            continue
        yield _agreement(s, subject, i, right)


def _agreement(s: Sentence, subject: Subject, i: int, right: str) -> Finding:
    """Token i, the verb of `subject`, becomes `right`."""
    edit = _replace(s, i, right)
    return _finding(
        s, "subject_verb_agreement", [edit], subject.start, i, subject=s.phrase(subject)
    )


def _do_question(s: Sentence) -> Iterator[Finding]:
    """Do/does in a question agrees with its subject: "Does your parents …?" -> "Do"."""
    for a in range(len(s) - 2):
        low = s.low(a)
        if low not in ("do", "does") or not (a == 0 or s.low(a - 1) in _WH):
            continue
        subject = s.subject_after(a + 1)
        if subject is None or subject.collective:
            continue
        right = "does" if subject.person == "3" else "do"
        if right != low:
            edit = _replace(s, a, right)
            named = s.phrase(subject)
            yield _finding(s, "subject_verb_agreement", [edit], a, subject.end, subject=named)


def _be_question(s: Sentence) -> Iterator[Finding]:
    """Be in a question agrees with its subject: "Where is my boots?" -> "are"."""
    if len(s) < 4 or s.low(0) not in _WH or s.low(1) not in ("is", "are", "was", "were"):
        return
    n = 2
    while n < len(s) and s[n].tag_ in ("DT", "PRP$", "JJ", "NN", "NNS", "POS"):
        n += 1
    if n == 2 or (n < len(s) and not s[n].is_punct) or s[n - 1].tag_ not in ("NN", "NNS"):
        return  # "Where is he going?": the question goes on past the subject
    person = _noun_person(s[n - 1])
    if person is None or (s.low(2) in _PLURAL_DETERMINERS and person == "3"):
        return
    right = _be(person, past=s.low(1) in ("was", "were"))
    if right != s.low(1):
        edit = _replace(s, 1, right)
        yield _finding(s, "subject_verb_agreement", [edit], 0, n - 1, subject=s[2:n].text)


def _there_is(s: Sentence) -> Iterator[Finding]:
    for i in range(1, len(s) - 1):
        if s.low(i - 1) != "there" or s.low(i) not in ("is", "are", "was", "were"):
            continue
        if not s.opens_clause(i - 1):
            continue
        nxt = s[i + 1]
        plural = nxt.lower_ in ("many", "several", "two", "three", "four", "five", "some")
        plural = plural and nxt.lower_ != "some"
        plural = plural or (nxt.tag_ == "CD" and nxt.lower_ not in ("one", "1"))
        if nxt.lower_ == "a" and s.low(i + 2) == "lot":
            continue
        past = s.low(i) in ("was", "were")
        if plural:
            right = "were" if past else "are"
        elif nxt.lower_ in ("a", "an", "one"):
            right = "was" if past else "is"
        else:
            continue
        if right != s.low(i):
            yield _finding(
                s,
                "subject_verb_agreement",
                [_replace(s, i, right)],
                i - 1,
                i + 1,
                subject=s[i + 1 : i + 3].text,
            )


def _adjective_at(s: Sentence, i: int) -> bool:
    token, low = s[i], s.low(i)
    if low in data.PARTICIPLE_ADJECTIVES:
        return True
    if low in data.PREDICATE_ADJECTIVES and token.tag_ in ("VBP", "VB", "NN", "RB"):
        return s.low(i - 1) in _NOMINATIVE or s.low(i - 1) in data.INTENSIFIERS
    if token.tag_ == "RB" and s.low(i - 1) in ("very", "so", "too") and _can_be(low, "ADJ"):
        return i + 1 == len(s) or s[i + 1].is_punct  # "You so kind."
    return token.tag_ == "JJ" and low not in (
        "much",
        "many",
        "more",
        "own",
        "only",
        "other",
        "such",
        "same",
        "next",
        "last",
        "few",
        "like",
    )


def missing_be(s: Sentence) -> Iterator[Finding]:
    """No "be" before an adjective: "My city very crowded" -> "My city is very crowded"."""
    for i in range(1, len(s)):
        if not _adjective_at(s, i):
            continue
        j = i - 1
        while j >= 0 and (s.low(j) in data.INTENSIFIERS or s.low(j) == "not"):
            j -= 1
        if j < 0:
            continue
        subject = s.subject_before(j + 1, skip=frozenset())
        if subject is None or subject.relative:
            continue
        nxt = s[i + 1] if i + 1 < len(s) else None
        time_follows = (
            s.low(i + 2) in data.TIME_NOUNS and s.low(i + 1) in ("this", "last")
        ) or s.low(i + 1) in data.TIME_NOUNS
        if (
            nxt is not None
            and not time_follows
            and (nxt.tag_ in NOUN_TAGS or nxt.tag_ in ("DT", "PRP$", "PRP"))
        ):
            continue  # "I very happy person", "I finished my homework"
        participle = s.low(i) in data.PARTICIPLE_ADJECTIVES and s[i].tag_ in ("VBD", "VBN")
        if participle and (
            (nxt is not None and nxt.tag_ in ("PRP", "DT")) or s.low(i) == "finished"
        ):
            continue  # "I finished it": a verb
        if any(
            s[k].tag_.startswith("VB") or s[k].tag_ == "MD" for k in range(subject.start, j + 1)
        ):
            continue
        past = bool(s.past_at(i)) or s.low(i) == "born"
        be = _be(subject.person, past)
        end = s[subject.end]
        at = end.idx + len(end)
        edit = Edit(at, at, f" {be}")
        yield _finding(s, "missing_be", [edit], subject.start, i, adjective=s.low(i), be=be)


def be_before_verb(s: Sentence) -> Iterator[Finding]:
    """Be before an ordinary verb: "My sister is work in a hotel" -> "works"."""
    for b in range(1, len(s) - 1):
        low = s.low(b)
        if low not in _BE or (low == "'s" and s[b].tag_ != "VBZ"):
            continue
        subject = s.subject_before(b, skip=frozenset())
        if subject is None or subject.relative:
            continue
        head = s[subject.main]
        if head.lower_ in ("it", "this", "that"):
            continue  # "It is lunch time"
        if (
            head.tag_ in ("NN", "NNS")
            and head.lower_ not in data.PERSON_NOUNS
            and head.lemma_ not in data.PERSON_NOUNS
        ):
            continue  # "My dream is travel": not a person
        v = b + 1
        while v < len(s) and s.low(v) in data.ADVERBS:
            v += 1
        if v >= len(s):
            continue
        verb, word = s[v], s.low(v)
        lemma = verb_lemma(word)
        if lemma is None or lemma == "be" or word in ("going", "used", "supposed"):
            continue
        lives = word == "live" and s.low(v + 1) in ("in", "with", "at", "near", "here", "there")
        nxt = s[v + 1] if v + 1 < len(s) else None
        has_object = nxt is not None and nxt.tag_ in ("NN", "NNS", "NNP", "DT", "PRP$")
        participle = verb.tag_ == "VBN" and (word != lemma or inflect(lemma, "VBN") == word)
        if verb.tag_ == "VBG" or participle or (word in data.PERSON_NOUNS and not has_object):
            continue  # "I am cook" is a job ("a cook"); "I am cook dinner" is not
        if _can_be(word, "ADJ") and not lives:
            continue
        if word == lemma:
            if verb.tag_ not in ("VB", "VBP", "NN", "VBZ", "JJ", "VBN") and not lives:
                continue
            if s.low(v + 1) in ("of",) or (verb.tag_ == "NN" and s.low(v - 1) in ("a", "the")):
                continue
        elif verb.tag_ not in ("VBD", "VBZ"):
            continue
        past = low in ("was", "were")
        if _NOW_RE.search(s.text) and not past and lemma not in data.STATIVE_VERBS:
            new = f"{s[b].text} {inflect(lemma, 'VBG')}"
            edit = Edit(s[b].idx, verb.idx + len(verb), new)
        else:
            form = _past(lemma, subject.person) if past else _present(lemma, subject.person)
            lead = " " if low.startswith("'") else ""
            edit = Edit(s[b].idx, verb.idx + len(verb), lead + form)
        yield _finding(s, "be_before_verb", [edit], subject.start, v, be=low.lstrip("'"))


_SUBORDINATORS = data.words("because although though")
_TIME_SUBORDINATORS = data.words("when if since while")


def missing_subject(s: Sentence) -> Iterator[Finding]:
    """A clause with no subject: "because is fun" -> "because it is fun"."""
    for b in range(len(s) - 1):
        low = s.low(b)
        if low not in ("is", "was"):
            continue
        before = s.low(b - 1)
        nxt = s[b + 1]
        follows = nxt.tag_ in ("JJ", "RB", "VBG", "JJR", "VBN") or nxt.lower_ in ("a", "an")
        if b == 0:
            ok = not s.is_question() and follows and nxt.lower_ not in ("there", "it", "this")
        elif before in _SUBORDINATORS:
            ok = follows or (nxt.tag_ == "DT" and nxt.lower_ in ("the", "a", "an"))
        elif before in _TIME_SUBORDINATORS:
            ok = (not s.is_question() and nxt.tag_ in ("JJ", "VBG")) or (
                nxt.lower_ in data.INTENSIFIERS and s.low(b + 2) and s[b + 2].tag_ == "JJ"
            )
        else:
            ok = False
        if not ok or (nxt.tag_ == "VBN" and s.low(b + 1) != "raining"):
            continue
        first = b - 1 if b > 0 else b
        yield _finding(s, "missing_subject", [_insert_before(s, b, "it")], first, b + 1)
    yield from _missing_pronoun(s)


def _referent(s: Sentence, before: int) -> str | None:
    """he/she/it for the nearest noun before token `before` that says which."""
    for k in range(before - 1, -1, -1):
        token, low = s[k], s.low(k)
        if low in data.FEMALE_NOUNS:
            return "she"
        if low in data.MALE_NOUNS:
            return "he"
        if token.tag_ in NOUN_TAGS:
            return "it" if low in data.THING_NOUNS and token.tag_ == "NN" else None
    return None


def _missing_pronoun(s: Sentence) -> Iterator[Finding]:
    """A pronoun missing after because/but: "I love my mother because always helps me"
    -> "because she always helps me";
    "We went to the beach but was too crowded" -> "but it was"."""
    for c in range(1, len(s) - 1):
        if s.low(c) not in ("because", "but", "although", "though", "so"):
            continue
        v = c + 1
        while v < len(s) and s.low(v) in data.ADVERBS:
            v += 1
        if v >= len(s):
            continue
        verb, word = s[v], s.low(v)
        if word in ("is", "was") and s.low(c) in ("but", "so"):
            main = s.subject_before(next((k for k in range(c) if s[k].tag_.startswith("VB")), 0))
            if main is None or main.person not in ("pl", "2") or s.low(v + 1) in ("a", "the"):
                continue
            pronoun = "it"
        elif verb.tag_ == "VBZ" and word not in ("is", "has", "'s") and s.low(c) != "so":
            pronoun = _referent(s, c)
            if pronoun is None:
                continue
        else:
            continue
        edit = _insert_before(s, c + 1, pronoun)
        yield _finding(s, "missing_subject", [edit], c, v)


def verb_pattern(s: Sentence) -> Iterator[Finding]:
    """like/want/enjoy + a bare verb ("I like eat" -> "I like to eat"), and "my hobby is
    read" -> "my hobby is reading"."""
    for k in range(len(s) - 1):
        low = s.low(k)
        takes_to, takes_ing = low in data.TO_VERBS, low in data.ING_VERBS
        if not (takes_to or takes_ing):
            continue
        if not s[k].tag_.startswith("VB") and s.low(k - 1) not in (*_NOMINATIVE, "n't", "not"):
            continue  # "like" as a preposition: "it looks like rain"
        if s.low(k - 1) in ("would", "'d") and low in ("like", "love"):
            takes_to = True
        v = k + 1
        verb, word = s[v], s.low(v)
        nxt = s[v + 1] if v + 1 < len(s) else None
        object_of_verb = nxt is not None and (
            nxt.tag_ in ("DT", "PRP$") or nxt.lower_ in ("something", "anything", "some")
        )
        if not _is_verb_base(word) or verb.tag_ == "NNP":
            continue
        if word in data.NOUN_OBJECTS and not object_of_verb:
            continue
        if word in ("to", "be") or verb.tag_ in ("DT", "PRP", "PRP$", "IN", "CD"):
            continue
        if verb.dep_ == "compound":
            continue  # "I hate traffic jams": a noun before a noun
        verbal = verb.tag_ in ("VB", "VBP", "VBN", "VBD") or not _can_be(word, "NOUN")
        object_follows = nxt is not None and (
            nxt.tag_ in ("DT", "PRP$", "PRP", "CD", "RP")
            or nxt.lower_ in ("home", "out", "up", "to", "with", "around", "for")
        )
        bare = (
            nxt is None
            or nxt.is_punct
            or nxt.tag_ in ("IN", "RB", "CC")
            or nxt.lower_ in ("last", "next", "every", "this", "yesterday", "today")
        )
        noun_like = word in data.UNCOUNTABLE_NOUNS or _can_be(word, "ADJ")
        if not (verbal or object_follows or (bare and not noun_like)):
            continue  # "I like swim in the sea": a bare singular noun can't go there
        if _can_be(word, "ADJ") and not verbal:
            continue
        if takes_ing and not takes_to:
            edit = _replace(s, v, inflect(word, "VBG"))
            pattern = "ing"
        else:
            edit = Edit(verb.idx, verb.idx, "to ")
            pattern = "to"
        yield _finding(s, "verb_pattern", [edit], k, v, verb=low, pattern=pattern)
    yield from _hobby_is(s)


def _hobby_is(s: Sentence) -> Iterator[Finding]:
    for b in range(1, len(s) - 1):
        if s.low(b) not in ("is", "are") or s.low(b - 1) not in ("hobby", "hobbies", "activity"):
            continue
        v = b + 1
        word = s.low(v)
        if not _is_verb_base(word) or s[v].tag_ in ("VBG", "DT", "PRP$", "NNP"):
            continue
        if word in data.UNCOUNTABLE_NOUNS or word in data.THING_NOUNS or word == "to":
            continue
        edit = _replace(s, v, inflect(word, "VBG"))
        pattern = "ing"
        yield _finding(s, "verb_pattern", [edit], b - 1, v, verb=s.low(b - 1), pattern=pattern)


_QUANTIFIERS = data.words("many several few both these those various numerous")


def _quantity(s: Sentence, i: int) -> str | None:
    """The quantity word(s) ending at token i that need a plural after them."""
    low, previous = s.low(i), s.low(i - 1)
    number = data.NUMBER_WORDS.get(previous)
    if low == "of" and (
        previous in ("many", "several", "both", "some", "one", "each")
        or (number is not None and number > 1)
    ):
        return f"{previous} of"
    if low == "of" and previous in ("lot", "lots") and s.low(i - 2) in ("a", ""):
        return "a lot of" if previous == "lot" else "lots of"
    if low == "of" and previous in ("lot", "lots"):
        return "lots of" if previous == "lots" else "a lot of"
    if low == "few":
        return "a few" if previous == "a" else "few"
    if previous in ("a", "an", "every", "each"):
        return None  # "a two-hour trip", "every two weeks" is plural anyway
    if low in _QUANTIFIERS:
        return s[i].text
    number = data.NUMBER_WORDS.get(low)
    if number is not None and number > 1:
        return s[i].text
    if low.isdigit() and 1 < int(low) < 1000:
        return s[i].text
    return None


def plural_noun(s: Sentence) -> Iterator[Finding]:
    """A singular noun after a number or "many": "many student" -> "many students"."""
    for q in range(len(s) - 1):
        quantity = _quantity(s, q)
        if quantity is None:
            continue
        n = q + 1
        if s.low(q) == "of" and s.low(n) in ("my", "your", "his", "her", "our", "their", "the"):
            if quantity in ("a lot of", "lots of"):
                continue
            n += 1  # "three of my friend" -> "friends"
        while n < len(s) and s[n].tag_ in ("JJ", "JJR") and _can_be(s.low(n), "ADJ"):
            if s.low(n) in ("last", "next", "every", "this"):
                break  # "He turned six last week": a time, not what is counted
            n += 1
        while n + 1 < len(s) and s[n].tag_ == "NN" and s[n + 1].tag_ in ("NN", "NNP"):
            if not s[n + 1].text.islower():
                break
            n += 1  # "many food stall": the last noun is the one counted
        if n >= len(s) or not s.joined(q, q + 1):
            continue
        noun, word = s[n], s.low(n)
        singular = (
            noun.tag_ == "NN"
            or (noun.tag_ == "NNP" and noun.text.islower())
            or (noun.tag_ == "JJ" and _can_be(word, "NOUN") and not _can_be(word, "ADJ"))
        )
        if not singular or not word.isalpha() or (noun.text[:1].isupper() and n > 0):
            continue
        if word in data.UNCOUNTABLE_NOUNS or word in data.INVARIANT_NOUNS:
            continue
        if word in data.TIME_NOUNS and word not in ("day", "week", "month", "year", "night"):
            continue
        if quantity in ("a lot of", "lots of") and word not in data.COUNTABLE_NOUNS:
            continue
        nxt = s[n + 1] if n + 1 < len(s) else None
        if nxt is not None and (nxt.tag_ in NOUN_TAGS or nxt.tag_ == "HYPH"):
            continue  # "two bus stops", "a 5-year-old"
        if (
            nxt is not None
            and nxt.lower_ == "old"
            and ((s.low(n + 2) and s[n + 2].tag_ in NOUN_TAGS) or s.low(q - 1) in _DETERMINERS)
        ):
            continue  # "my 5 year old son"; but "I am 25 year old" -> "years old"
        if s.low(q - 1) in ("the", "of") and quantity.isdigit():
            continue  # "in the 2 ..." / "of 3 ..." read as ranks
        plural = inflect(word, "NNS")
        if plural == word:
            continue
        yield _finding(s, "plural_noun", [_replace(s, n, plural)], q, n, quantity=quantity.lower())


_ARTICLE_TRIGGERS = data.words("am is was 'm be become becomes became")
_HAVE_LIKE = data.words("have has had need needs needed want wants wanted buy bought")
_DETERMINERS = data.words(
    "a an the my your his her its our their this that these those some any no every each "
    "another one which what whose"
)


_NOT_JOBS = data.words(
    "number member water paper weather winter summer dinner order power other answer matter "
    "letter center centre corner super fever finger sister mother father brother daughter "
    "partner leader beginner"
)


def _noun_tagged_adjective(s: Sentence, n: int, someone: bool) -> bool:
    """A job or a countable thing the tagger took for an adjective ("she is florist")."""
    word = s.low(n)
    if s[n].tag_ != "JJ" or _can_be(word, "ADJ"):
        return False
    return word in data.COUNTABLE_NOUNS or (someone and _sounds_like_a_job(word))


def _sounds_like_a_job(word: str) -> bool:
    """A person by their work, from the ending: farmer, dentist, librarian, assistant."""
    return (
        word.endswith(("er", "or", "ist", "ian", "ant", "ent"))
        and word not in _NOT_JOBS
        and word not in data.UNCOUNTABLE_NOUNS
        and bool(_lemmas(word, "NOUN"))
        and not _can_be(word, "ADJ")
    )


def article(s: Sentence) -> Iterator[Finding]:
    """No a/an before one job or countable thing: "She is teacher" -> "She is a teacher"."""
    for t in range(len(s) - 1):
        low = s.low(t)
        as_job = low == "as" and s.low(t - 1) in ("work", "works", "worked", "working", "job")
        has = low in _HAVE_LIKE and t > 0 and s.subject_before(t) is not None
        there = low in ("is", "was") and s.low(t - 1) == "there"
        if not (low in _ARTICLE_TRIGGERS or as_job or has or there):
            continue
        if low in ("'s",) and s[t].tag_ != "VBZ":
            continue
        someone = False
        if low in ("is", "was", "'s", "am", "'m") and not there:
            subject = s.subject_before(t)
            if subject is None or subject.person == "pl":
                continue
            head = s[subject.main]
            someone = head.lower_ in ("i", "he", "she", "you") or (
                head.lower_ in data.PERSON_NOUNS or (head.tag_ == "NNP" and _is_name(head.lower_))
            )
        start = t + 1
        n = start
        while n < len(s) and s.low(n) in data.INTENSIFIERS:
            n += 1
        while n < len(s) and (
            s[n].tag_ in ("JJ", "JJR", "JJS") or s.low(n) in ("english", "indonesian")
        ):
            if s.low(n) in _QUANTIFIERS or s.low(n) in ("much", "more", "most", "lot"):
                break
            if _noun_tagged_adjective(s, n, someone):
                break  # "my wife is dentist": the tagger's adjective is the job
            n += 1
        if n >= len(s) or (n == start and s.low(start) in _DETERMINERS):
            continue
        if s.low(n) in _QUANTIFIERS or s.low(n) in ("much", "more", "most", "lot"):
            continue
        while (
            n + 1 < len(s)
            and s[n].tag_ in NOUN_TAGS
            and s[n + 1].tag_ == "NN"
            and s.low(n + 1) in data.COUNTABLE_NOUNS
        ):
            n += 1  # "computer teacher": the last noun is the one counted
        noun, word = s[n], s.low(n)
        if word in data.TIME_NOUNS or s.low(n - 1) in ("last", "next", "every", "this"):
            continue  # "He was sick last week"
        named = noun.text[:1].isupper() and noun.text != noun.text.upper() and n > 0
        if not (noun.tag_ == "NN" or _noun_tagged_adjective(s, n, someone)) or named:
            continue
        if any(s.low(k) in _DETERMINERS or s[k].tag_ in ("PRP$", "CD") for k in range(start, n)):
            continue
        if has:
            if word not in data.COUNTABLE_NOUNS or word in ("class", "lesson", "time"):
                continue
        elif word not in data.COUNTABLE_NOUNS and not (someone and _sounds_like_a_job(word)):
            continue
        if s.low(n + 1) in ("of",) or (s.low(n + 1) and s[n + 1].tag_ in ("NNS", "HYPH")):
            continue  # "a lot of", "problem-solving"
        first_word = s[start].text
        edit = Edit(s[start].idx, s[start].idx, f"{_article_for(first_word)} ")
        yield _finding(s, "article", [edit], t, n)


_AGE_RE = re.compile(
    r"\b(?P<subject>(?i:I|you|we|they|he|she|(?:my|your|his|her|our|their|the)"
    r"(?: [a-z]+)?(?: [a-z]+))|[A-Z][a-z]+)"
    r"\s+(?P<verb>(?i:have|has|had))(?:\s+(?i:both|all))?"
    r"\s+(?P<age>\d{1,3}|(?i:"
    + "|".join(data.NUMBER_WORDS)
    + r")(?:[ -](?i:"
    + "|".join(data.NUMBER_WORDS)
    + r"))?)\s+(?i:years?\s+old)\b"
)


def age_with_have(s: Sentence) -> Iterator[Finding]:
    """Age with "have": "I have 20 years old" -> "I am 20 years old"."""
    for m in _AGE_RE.finditer(s.text):
        subject, verb = m.group("subject"), m.group("verb")
        low = subject.lower()
        person = {"i": "1", "you": "2", "we": "pl", "they": "pl"}.get(low, "3")
        if " " in low and low.endswith("s") and not low.endswith("ss"):
            person = "pl"  # "the twins"
        be = _be(person, past=verb.lower() == "had")
        edit = Edit(m.start("verb"), m.end("verb"), _match_case(be, verb))
        yield Finding("age_with_have", (edit,), m.span())


def very_like(s: Sentence) -> Iterator[Finding]:
    """Very before a verb: "I very like football" -> "I really like football"."""
    for i in range(len(s) - 1):
        if s.low(i) != "very":
            continue
        word, verb = s.low(i + 1), s[i + 1]
        # Any verb the learner's subject does, not an adjective: "I very enjoy", "she very
        # loves"; not "very tired", "very interesting", "very much".
        a_verb = (
            verb.tag_ in ("VBP", "VBZ", "VBD", "VB")
            and verb_lemma(word) is not None
            and not _can_be(word, "ADJ")
            and not word.endswith(("ed", "ing"))
        )
        if not (word in data.VERY_VERBS or a_verb) or s.low(i - 1) in _BE or word == "much":
            continue  # "he is very liked"
        first = i - 1 if i > 0 and s.joined(i - 1, i) and not s[i - 1].is_punct else i
        yield _finding(s, "very_like", [_replace(s, i, "really")], first, i + 1, verb=s.low(i + 1))


_POSSESSIVES = data.words("your his her their our the this that")
_LEND = {"borrow": "lend", "borrows": "lends", "borrowed": "lent", "borrowing": "lending"}


def lend_borrow(s: Sentence) -> Iterator[Finding]:
    """Borrow for lend: "borrow me your pen" -> "lend me your pen" (borrowing is taking)."""
    for i in range(len(s) - 2):
        low = s.low(i)
        if low not in _LEND or s.low(i + 1) not in ("me", "him", "her", "us", "them", "you"):
            continue
        nxt = s[i + 2]
        if nxt.lower_ in ("from", "for") or not (
            nxt.tag_ in ("DT", "PRP$", "CD", "NN", "NNS", "JJ") or nxt.lower_ in ("some", "a")
        ):
            continue
        yield _finding(s, "lend_borrow", [_replace(s, i, _LEND[low])], i, i + 2)
    for i in range(len(s) - 3):  # "I borrowed my sister some money"
        low = s.low(i)
        if low not in _LEND or s.low(i + 1) not in ("my", "his", "her", "our", "their", "your"):
            continue
        if s.low(i + 2) not in data.PERSON_NOUNS:
            continue
        thing = s.low(i + 3) in ("some", "a", "an", "the", "his", "her", "my", "money")
        if not thing and s[i + 3].tag_ != "CD":
            continue
        yield _finding(s, "lend_borrow", [_replace(s, i, _LEND[low])], i, i + 2)
    for i in range(2, len(s) - 1):  # "Can I lend your umbrella?": asking to take it
        if s.low(i) != "lend" or s.low(i - 1) not in ("i", "we"):
            continue
        if s.low(i - 2) not in ("can", "could", "may") or s.low(i + 1) not in _POSSESSIVES:
            continue
        yield _finding(s, "lend_borrow", [_replace(s, i, "borrow")], i - 1, i + 1)


_ING_TO_ED = {ing: ed for ed, ing in data.FEELINGS.items()}


def ed_ing_adjective(s: Sentence) -> Iterator[Finding]:
    """Bored/boring: a person is bored, a thing is boring."""
    for a in range(2, len(s)):
        low = s.low(a)
        if low not in data.FEELINGS and low not in _ING_TO_ED:
            continue
        b = a - 1
        while b > 0 and s.low(b) in data.INTENSIFIERS:
            b -= 1
        if s.low(b) not in _BE and s.low(b) not in ("feel", "feels", "felt", "get", "gets", "got"):
            continue
        subject = s.subject_before(b, skip=frozenset())
        if subject is None:
            continue
        head = s.low(subject.main)
        person = (
            head in ("i", "we", "he", "she", "they", "you")
            or head in data.PERSON_NOUNS
            or head in _INDEFINITE
            or s[subject.main].tag_ == "NNP"
        )
        thing = (head in data.THING_SUBJECTS and head not in ("that", "this")) or head == "it"
        main = s[subject.main]
        thing = thing or (
            main.tag_ in ("NN", "NNS")
            and main.lemma_ not in data.PERSON_NOUNS
            and main.lemma_ not in data.ANIMAL_NOUNS
            and head not in data.COLLECTIVE_NOUNS
        )
        nxt = s.low(a + 1)
        linking = s.low(b)
        if low in _ING_TO_ED and person:
            feels = linking in ("feel", "feels", "felt", "get", "gets", "got")
            sure = feels or head in ("i", "we") or nxt in ("in", "about", "with", "of", "by")
            if not sure or nxt == "to":
                continue
            right = _ING_TO_ED[low]
        elif low in data.FEELINGS and thing and linking in _BE:
            if nxt in ("in", "about", "with", "of", "by", "to", "that"):
                continue
            right = data.FEELINGS[low]
        else:
            continue
        yield _finding(s, "ed_ing_adjective", [_replace(s, a, right)], subject.start, a)


def how_many(s: Sentence) -> Iterator[Finding]:
    """How much/many: "How much brothers" -> "How many", "how many money" -> "how much"."""
    for i in range(len(s) - 2):
        if s.low(i) != "how" or s.low(i + 1) not in ("much", "many"):
            continue
        n = i + 2
        while n < len(s) and s[n].tag_ in ("JJ",):
            n += 1
        while n + 1 < len(s) and s[n].tag_ in ("NN", "VBG") and s[n + 1].tag_ in ("NN", "NNS"):
            n += 1  # "how many cooking oil": the last noun counts
        if n >= len(s):
            continue
        noun, word = s[n], s.low(n)
        if s.low(i + 1) == "much" and noun.tag_ == "NNS" and word not in ("news", "clothes"):
            right = "many"
        elif s.low(i + 1) == "many" and noun.tag_ == "NN" and word in data.UNCOUNTABLE_NOUNS:
            right = "much"
        else:
            continue
        yield _finding(s, "how_many", [_replace(s, i + 1, right)], i, n)


def married_to(s: Sentence) -> Iterator[Finding]:
    """ "married with a doctor" -> "married to a doctor"."""
    for i in range(1, len(s) - 2):
        if s.low(i) != "married" or s.low(i + 1) != "with":
            continue
        rest = [s.low(k) for k in range(i + 2, min(len(s), i + 5))]
        if any(word in ("children", "kids", "child", "kid", "two", "three") for word in rest):
            continue  # "married with two children": married, and with children
        yield _finding(s, "married_to", [_replace(s, i + 1, "to")], i, i + 2)


_AGREE_ADVERBS = data.words("totally completely really strongly fully absolutely also all both")


def agree(s: Sentence) -> Iterator[Finding]:
    """ "I am agree" -> "I agree"; "I am not agree" -> "I don't agree"."""
    for b in range(1, len(s) - 1):
        low = s.low(b)
        if low not in _BE:
            continue
        negative = s.low(b + 1) in ("not", "n't")
        a = b + 2 if negative else b + 1
        adverb = None
        if not negative and s.low(a) in _AGREE_ADVERBS:
            adverb, a = a, a + 1  # "I am totally agree" -> "I totally agree"
        if s.low(a) not in ("agree", "disagree"):
            continue
        subject = s.subject_before(b, skip=frozenset())
        if subject is None:
            continue
        past = low in ("was", "were")
        verb = s.low(a)
        if negative:
            do = "didn't" if past else ("doesn't" if subject.person == "3" else "don't")
            new = f"{do} {verb}"
        else:
            new = _past(verb, subject.person) if past else _present(verb, subject.person)
        lead = " " if low.startswith("'") else ""
        if adverb is not None:
            edits = [Edit(s[b].idx, s[adverb].idx, lead.strip()), _replace(s, a, new)]
            if lead:
                edits[0] = Edit(s[b].idx, s[adverb].idx, " ")
        else:
            edits = [Edit(s[b].idx, s[a].idx + len(s[a]), lead + new)]
        yield _finding(s, "agree", edits, subject.start, a)


def double_comparative(s: Sentence) -> Iterator[Finding]:
    """ "more better" -> "better", "most biggest" -> "biggest"."""
    for i in range(len(s) - 1):
        low = s.low(i)
        if low not in ("more", "most"):
            continue
        word = s.low(i + 1)
        tag = "JJR" if low == "more" else "JJS"
        lemmas = _lemmas(word, "ADJ")
        if not lemmas or word in lemmas or inflect(lemmas[0], tag) != word:
            continue
        if not word.endswith(("er", "est")) and word not in ("better", "worse", "best", "worst"):
            continue
        edit = Edit(s[i].idx, s[i + 1].idx, "")
        yield _finding(s, "double_comparative", [edit], i, i + 1, adjective=word)


_DAYS = data.words("monday tuesday wednesday thursday friday saturday sunday")
_MONTHS = data.words(
    "january february march april may june july august september october november december"
)
_PARTS = data.words("morning afternoon evening")
_POINTS_OF_DAY = ("sunset", "sunrise", "noon", "midnight", "dawn")


def preposition_time(s: Sentence) -> Iterator[Finding]:
    """in 1998, in the morning, on Monday, at 7 o'clock, at night."""
    for i in range(len(s) - 1):
        low, nxt = s.low(i), s.low(i + 1)
        right = None
        last = i + 1
        if low in ("at", "on") and nxt.isdigit() and 1000 <= int(nxt) <= 2100:
            if s.low(i + 2) not in ("am", "pm", "o'clock", ":"):
                right = "in"
        elif low in ("at", "on") and nxt == "the" and s.low(i + 2) in _PARTS:
            if s.low(i + 3) != "of":
                right, last = "in", i + 2
        elif low in ("at", "on", "in") and nxt in _MONTHS and nxt != "may":
            if s.low(i + 2).isdigit() and low == "in":
                right, last = "on", i + 2  # a date: "on March 5"
            elif not s.low(i + 2).isdigit() and low != "in":
                right = "in"
        elif (low in ("in", "at") and nxt in _DAYS) or (low in ("in", "at") and nxt[:-1] in _DAYS):
            right = "on"
        elif low in ("in", "on") and nxt.isdigit() and s.low(i + 2) in ("o'clock", "am", "pm"):
            right, last = "at", i + 2
        elif low == "in" and nxt == "the" and s.low(i + 2) == "night":
            if s.low(i + 3) not in ("of", "before"):
                yield _finding(
                    s, "preposition_time", [Edit(s[i].idx, s[i + 1].idx + 4, "at")], i, i + 2
                )
            continue
        elif low in ("in", "on") and nxt in ("night", *_POINTS_OF_DAY) and s.low(i - 1) != "the":
            right = "at"
        if right:
            yield _finding(s, "preposition_time", [_replace(s, i, right)], i, last)


# Earlier checks win where two would change the same words.
CHECKS = (
    age_with_have,
    agree,
    very_like,
    be_before_verb,
    base_form,
    past_tense,
    third_person_s,
    subject_verb_agreement,
    missing_subject,
    missing_be,
    verb_pattern,
    ed_ing_adjective,
    article,
    plural_noun,
    how_many,
    lend_borrow,
    married_to,
    double_comparative,
    preposition_time,
)


# --- Putting it together ---------------------------------------------------------------------


def _overlaps(edit: Edit, taken: list[Edit]) -> bool:
    return any(
        (edit.start < other.end and other.start < edit.end)
        or edit.start == other.start
        or (edit.start == edit.end and other.start <= edit.start <= other.end)
        or (other.start == other.end and edit.start <= other.start <= edit.end)
        for other in taken
    )


def _apply(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def _run(check, sentence: Sentence) -> list[Finding]:
    """What one check finds; a check that breaks on a sentence says nothing about it
    (and is logged), so one faulty rule never costs the learner a reply."""
    try:
        return list(check(sentence))
    except Exception:
        logger.exception("grammar check %s failed on %r", check.__name__, sentence.text)
        return []


def _findings(sentence: Sentence) -> list[Finding]:
    chosen: list[Finding] = []
    taken: list[Edit] = []
    judged: set[int] = set()
    for check in CHECKS:
        for finding in _run(check, sentence):
            if any(_overlaps(edit, taken) for edit in finding.edits) or finding.focus in judged:
                continue
            chosen.append(finding)
            taken.extend(finding.edits)
            if finding.focus >= 0:
                judged.add(finding.focus)
    return chosen


def _parse(sentences: list[str]) -> list | None:
    from .local import PARSER

    try:
        return PARSER.get().parse(sentences)
    except RuntimeError:
        return None  # logged once by the engine: the coach then judges nothing


@dataclass(frozen=True)
class Checked:
    """What the grammar checks made of a turn."""

    better: str | None  # the whole text corrected, or None when nothing was found
    points: list[GrammarPoint]
    checked: bool  # parsed, with a clause the checks could judge


def _has_clause(doc) -> bool:
    """A verb the checks could judge ("Tea, thanks." has none)."""
    return any(t.pos_ in ("VERB", "AUX") for t in doc)


def _unshout(text: str) -> str:
    """ "YESTERDAY I GO" -> "Yesterday I go": the same length, so offsets still hold."""
    lowered = text.lower()
    lowered = re.sub(r"\bi\b", "I", lowered)
    return lowered[:1].upper() + lowered[1:]


def _correct(pieces: list[str]) -> tuple[list[str], list[list[tuple[Finding, str]]], bool]:
    """Each sentence corrected; the findings, each with the text it was found in; and
    whether there was anything to judge. A corrected sentence is checked once more,
    for mistakes the first ones hid."""
    # A tagger reads "YESTERDAY I GO" as names: shouted sentences are parsed in lower case
    # and corrected in capitals.
    shouted = [piece.isupper() for piece in pieces]
    docs = _parse([_unshout(p) if up else p for p, up in zip(pieces, shouted, strict=True)])
    if docs is None:
        return pieces, [[] for _ in pieces], False
    judged = any(_has_clause(doc) for doc in docs)
    found: list[list[tuple[Finding, str]]] = [[] for _ in pieces]
    current = list(pieces)
    todo = dict(enumerate(docs))
    for _ in range(2):
        changed = []
        for k, doc in todo.items():
            findings = _findings(Sentence(doc.text, doc))
            if shouted[k]:
                findings = [finding.shouted() for finding in findings]
            if findings:
                found[k].extend((finding, current[k]) for finding in findings)
                current[k] = _apply(current[k], [e for f in findings for e in f.edits])
                changed.append(k)
        redone = _parse([_unshout(current[k]) if shouted[k] else current[k] for k in changed])
        redone = redone if changed else None
        if not redone:
            break
        todo = dict(zip(changed, redone, strict=True))
    return current, found, judged


def as_example(sentence: str) -> str:
    sentence = sentence.strip()
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def check_grammar(text: str, language: str = "en") -> Checked:
    """The better text (or None) and one GrammarPoint per mistake in `text`."""
    spans = []  # each sentence's (start, end), without the spaces around it
    for m in SENTENCE_RE.finditer(text):
        piece = m.group()
        start = m.start() + len(piece) - len(piece.lstrip())
        if piece.strip():
            spans.append((start, start + len(piece.strip())))
    pieces = [text[start:end] for start, end in spans]
    if not pieces:
        return Checked(None, [], False)
    corrected, found, judged = _correct(pieces)
    points = []
    for k, findings in enumerate(found):
        for finding, seen_in in findings:
            wrong, right = finding.fragments(seen_in)
            details = {key: value for key, value in finding.details.items()}
            if finding.issue == "verb_pattern":
                details["pattern"] = data.VERB_PATTERNS[details["pattern"]][language]
            template = data.EXPLANATIONS[finding.issue][language]
            examples = [as_example(corrected[k])]
            stock = data.STOCK_EXAMPLES[finding.issue]
            if stock != examples[0]:
                examples.append(stock)
            points.append(
                GrammarPoint(
                    issue=finding.issue,
                    original_text=wrong.strip(),
                    explanation_language=language,
                    explanation=template.format(
                        wrong=wrong.strip(), right=right.strip(), **details
                    ),
                    examples=examples,
                )
            )
    if not points:
        return Checked(None, [], judged)
    pieces_out, position = [], 0
    for (start, end), better in zip(spans, corrected, strict=True):
        pieces_out += [text[position:start], better]
        position = end
    return Checked(("".join(pieces_out) + text[position:]).strip(), points, judged)


# --- Small helpers the coach uses ----------------------------------------------------------


def stable_seed(text: str) -> int:
    """A stable number for a text (unlike hash(), the same in every process)."""
    return zlib.crc32(text.strip().lower().encode())


def words_of(text: str) -> list[str]:
    """The words of `text`, lower case, apostrophes straightened."""
    return [m.group().lower().replace("’", "'") for m in _WORD_RE.finditer(text)]


_PAST_FORMS = data.words("was were did had went came saw made got took said")


def is_about_the_past(text: str) -> bool:
    if _past_marker(text) is not None:
        return True
    return any(w in _PAST_FORMS or (w.endswith("ed") and verb_lemma(w)) for w in words_of(text))
