"""make bench-turn: what Macca's server adds to a turn, and whether a turn costs more
as a session or a word list grows.

A real gunicorn (gthread) serves the app on PostgreSQL in Hugging Face mode, pointed
at bench/fake_hf.py, which answers each task after a fixed latency (ASR 300 ms, LLM
800 ms, TTS 400 ms by default). One learner then runs, one request at a time:

1. N audio turns and N text turns with a new reply each time (every reply is new
   speech): p50/p95 latency against the sum of the provider latencies the turn waits
   on (audio: ASR + LLM + TTS; text: LLM + TTS), and the milliseconds the server adds.
2. N text and N audio turns whose reply text repeats, so its speech comes from the
   speech cache: latency against ASR + LLM alone (the TTS call is gone).
3. N text turns in a session with 10 earlier turns vs 500, and for a learner with 10
   vs 5,000 words in their list: the ratio of p50 latencies.

    python bench/turn.py [--turns N] [--asr-ms 300] [--llm-ms 800] [--tts-ms 400]

Figures go to stdout (ratios last) and into bench/RESULTS.md."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    Gunicorn,
    app_env,
    django_shell,
    markdown_table,
    percentile,
    prepare_database,
    run_main,
    signup,
    wav_bytes,
    write_results,
)
from bench.fake_hf import FakeHF

TARGET_OVERHEAD = 1.05
TARGET_GROWTH = 1.10
SENTENCES = [
    "Yesterday I go to the office by bus.",
    "I am interesting in learn English for my job.",
    "She don't like coffee but she drink tea.",
    "Last weekend we was at the beach.",
    "My brother have two childs.",
]

# Earlier turns and words made straight in the database (as months of practice would
# leave them): a session with `turns` earlier turns, each learner turn with a mistake;
# a learner with `words` words in their list.
FILL_SESSION = """
import json
from django.db import transaction
from tutor.models import FeedbackIssue, PracticeSession, Turn
session = PracticeSession.objects.get(pk={session_id!r})
reply = json.loads({reply!r})
with transaction.atomic():
    start = session.turns.count()  # the opening prompt
    turns = []
    for n in range(1, {turns} + 1):
        learner = n % 2 == 1
        role = "learner" if learner else "tutor"
        turns.append(Turn(session=session, position=start + n, role=role,
                          text=f"Earlier sentence {{n}}: I go to work yesterday.",
                          structured=None if learner else reply))
    Turn.objects.bulk_create(turns, batch_size=1000)
    FeedbackIssue.objects.bulk_create(
        [FeedbackIssue(learner=session.learner, session=session, turn=t, kind="grammar",
                       code=("past_tense", "article", "plural", "subject_verb")[t.position % 4],
                       detail={{"original_text": t.text}})
         for t in turns if t.role == "learner"], batch_size=1000)
print(session.turns.count())
"""
FILL_WORDS = """
from tutor.models import User, VocabularyItem
learner = User.objects.get(email={email!r})
VocabularyItem.objects.bulk_create(
    [VocabularyItem(learner=learner, word=f"word{{n:05d}}", translation=f"kata {{n}}",
                    example=f"An example with word{{n:05d}}.")
     for n in range({words})], batch_size=1000)
print(learner.vocabulary.count())
"""


def timed_turns(learner, n: int, *, audio: bytes | None, session_id: str, offset: int = 0):
    """Seconds per turn for `n` turns in one session, one request at a time."""
    seconds = []
    for i in range(n):
        text = SENTENCES[(offset + i) % len(SENTENCES)]
        if audio is None:
            took, body = learner.text_turn(f"{text} ({offset + i})", session_id=session_id)
        else:
            took, body = learner.audio_turn(audio, session_id=session_id)
        if body.get("degraded"):
            raise RuntimeError(f"a benchmark turn answered degraded: {json.dumps(body)[:400]}")
        seconds.append(took)
    return seconds


def figures(seconds: list[float], providers_ms: float) -> dict:
    p50, p95 = percentile(seconds, 50) * 1000, percentile(seconds, 95) * 1000
    return {
        "p50": p50,
        "p95": p95,
        "providers": providers_ms,
        "ratio": p50 / providers_ms,
        "added": p50 - providers_ms,
    }


def new_session(learner) -> str:
    return learner.start_session(topic="my week")["session_id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=int(os.environ.get("BENCH_TURNS", 20)))
    parser.add_argument("--asr-ms", type=float, default=300)
    parser.add_argument("--llm-ms", type=float, default=800)
    parser.add_argument("--tts-ms", type=float, default=400)
    args = parser.parse_args()
    n, asr, llm, tts = args.turns, args.asr_ms, args.llm_ms, args.tts_ms
    if n < 2:
        parser.error("--turns must be at least 2")

    print("preparing the bench database (PostgreSQL)…", flush=True)
    database_url = prepare_database()
    audio = wav_bytes(2.0)
    with FakeHF(asr_ms=asr, llm_ms=llm, tts_ms=tts) as fake:
        env = app_env(HF_API_BASE_URL=fake.url)
        with Gunicorn(None, env, workers=2, threads=4) as server:
            print(f"gunicorn on {server.url}, fake Hugging Face on {fake.url}", flush=True)
            learner = signup(server.url)
            warm = new_session(learner)  # first requests load code and open connections
            timed_turns(learner, 3, audio=None, session_id=warm)
            timed_turns(learner, 3, audio=audio, session_id=warm)

            print(f"1. {n} audio and {n} text turns, new speech each time…", flush=True)
            results = {
                "audio": figures(
                    timed_turns(learner, n, audio=audio, session_id=new_session(learner)),
                    asr + llm + tts,
                ),
                "text": figures(
                    timed_turns(learner, n, audio=None, session_id=new_session(learner)),
                    llm + tts,
                ),
            }

            print(f"2. {n} text and {n} audio turns whose reply repeats (speech cache)…")
            fake.configure(repeat_reply=True)
            session = new_session(learner)
            timed_turns(learner, 1, audio=None, session_id=session)  # caches the reply's speech
            fake.reset_counts()
            results["text, cached speech"] = figures(
                timed_turns(learner, n, audio=None, session_id=session, offset=1), llm
            )
            results["audio, cached speech"] = figures(
                timed_turns(learner, n, audio=audio, session_id=new_session(learner)), asr + llm
            )
            tts_calls = fake.calls["tts"]
            fake.configure(repeat_reply=False)

            print(f"3. {n} text turns after 10 vs 500 earlier turns, 10 vs 5,000 words…")
            growth = {}
            reply = json.dumps(_a_reply())
            for label, earlier in (("10 earlier turns", 10), ("500 earlier turns", 500)):
                session = new_session(learner)
                django_shell(
                    FILL_SESSION.format(session_id=session, reply=reply, turns=earlier),
                    env=env,
                )
                growth[label] = timed_turns(learner, n, audio=None, session_id=session)
            for label, words in (("10 words", 10), ("5,000 words", 5000)):
                someone = signup(server.url)
                django_shell(FILL_WORDS.format(email=someone.email, words=words), env=env)
                growth[label] = timed_turns(someone, n, audio=None, session_id=new_session(someone))
                someone.close()
            learner.close()

    p50 = {label: percentile(seconds, 50) * 1000 for label, seconds in growth.items()}
    history_ratio = p50["500 earlier turns"] / p50["10 earlier turns"]
    words_ratio = p50["5,000 words"] / p50["10 words"]

    rows = [
        [
            label,
            n,
            f"{r['p50']:.0f}",
            f"{r['p95']:.0f}",
            f"{r['providers']:.0f}",
            f"{r['ratio']:.3f}",
            f"{r['added']:+.0f}",
        ]
        for label, r in results.items()
    ]
    table = markdown_table(
        ["turns", "n", "p50 ms", "p95 ms", "providers ms", "p50 / providers", "server adds ms"],
        rows,
    )
    growth_table = markdown_table(
        ["text turns", "n", "p50 ms", "p95 ms"],
        [
            [label, len(s), f"{p50[label]:.0f}", f"{percentile(s, 95) * 1000:.0f}"]
            for label, s in growth.items()
        ],
    )
    worst = max(results["audio"]["ratio"], results["text"]["ratio"])
    verdicts = [
        f"- p50 / sum of provider latencies: audio {results['audio']['ratio']:.3f}, "
        f"text {results['text']['ratio']:.3f} (target ≤ {TARGET_OVERHEAD}: "
        f"{'met' if worst <= TARGET_OVERHEAD else 'NOT met'})",
        f"- speech cache: text turns {results['text, cached speech']['ratio']:.3f} × LLM alone, "
        f"audio turns {results['audio, cached speech']['ratio']:.3f} × ASR + LLM alone; "
        f"{tts_calls} TTS call(s) for {2 * n} turns with a repeated reply",
        f"- 500 vs 10 earlier turns: {history_ratio:.3f}; 5,000 vs 10 words: {words_ratio:.3f} "
        f"(target ≤ {TARGET_GROWTH}: "
        f"{'met' if max(history_ratio, words_ratio) <= TARGET_GROWTH else 'NOT met'})",
    ]
    setup = (
        f"gunicorn gthread (2 workers × 4 threads) on PostgreSQL, one learner, one request "
        f"at a time; fake Hugging Face at ASR {asr:.0f} ms, LLM {llm:.0f} ms, "
        f"TTS {tts:.0f} ms; audio turns upload a 2-second WAV."
    )
    path = write_results(
        "Turn latency (make bench-turn)",
        f"{setup}\n\n{table}\n\nCost as work grows:\n\n{growth_table}\n\n" + "\n".join(verdicts),
        database_url=database_url,
    )
    print()
    print(table)
    print()
    print(growth_table)
    print()
    print(f"written to {path.relative_to(path.parent.parent)}")
    print("\n".join(verdicts))
    return 0


def _a_reply() -> dict:
    from bench.fake_hf import macca_reply

    return macca_reply("I go to work yesterday.", 0, repeat=True)


if __name__ == "__main__":
    run_main(main)
