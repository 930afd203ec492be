"""make bench-speech: Macca's offline speech on this machine, measured in one run.

1. Load times of the local models (Whisper tiny.en, piper's joe voice, espeak-ng).
2. Speech recognition: word error rate on a corpus of short learner-style sentences
   spoken by three synthetic voices (piper joe, espeak-ng en-us and British en) and
   encoded as browsers record them (WebM/Opus, M4A/AAC), clean and with noise at
   20 dB SNR; the dev half is what settings were chosen on, the held-out half is
   the figure to quote. Real-time factor (seconds of compute per second of audio).
3. Text-to-speech: real-time factor of piper (normal and slow) and espeak-ng, and
   the bytes per second of the compressed reply (Ogg/Opus, MP3).
4. An offline audio turn through gunicorn (2 workers x 4 threads, AI_PROVIDER=local,
   PostgreSQL): a 4-second WebM recording uploaded, the reply and its audio fetched;
   p50/p95 time to the reply and to its audio; resident memory per worker after.

    python bench/speech.py [--turns 20] [--sentences N]

Figures go to stdout (targets last) and into bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "macca.settings")

import numpy as np
import requests

from bench.common import (
    Gunicorn,
    _connect,
    app_env,
    bench_database_url,
    markdown_table,
    percentile,
    prepare_database,
    run_main,
    signup,
    write_results,
)

TARGET_P50_SECONDS = 2.5
TARGET_RSS_MB = 600

# Short answers of the kind learners give, half to choose settings on, half held out.
DEV = [
    "I went to the market yesterday with my sister.",
    "Could I have a cup of coffee, please?",
    "My favourite food is fried rice with chicken.",
    "I work as a nurse in a small hospital.",
    "We usually go to the beach on Sunday morning.",
    "I would like to study abroad next year.",
    "The train was late, so I took a taxi.",
    "My hobby is reading books and playing football.",
    "Last weekend I visited my grandmother in the village.",
    "I am looking for a job in a big company.",
]
HELD_OUT = [
    "Excuse me, where is the nearest bus station?",
    "I have been learning English for two years.",
    "She cooks dinner for her family every evening.",
    "Can you tell me more about this position?",
    "It was raining all day, so we stayed at home.",
    "My brother is older than me and he lives in Bandung.",
    "I think the hotel room is too expensive.",
    "We need to finish the report before Friday.",
    "What time does the museum open tomorrow?",
    "I enjoy listening to music when I cook.",
]
VOICES = ("piper joe", "espeak-ng en-us", "espeak-ng en (British)")
KINDS = ("webm", "m4a")


def _django():
    import logging

    import django

    django.setup()
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)


def load_times() -> list[list]:
    from providers.local import ESPEAK, PIPER, WHISPER

    rows = []
    for engine in (WHISPER, PIPER, ESPEAK):
        engine.get()
        rows.append([f"{engine.name} {engine.model}", f"{engine.load_seconds:.2f}"])
    return rows


def speakers():
    from providers.local import ESPEAK
    from providers.local.voice import _piper_speak

    espeak = ESPEAK.get()  # one library per process: the voice is chosen per call
    return {
        "piper joe": lambda text: _piper_speak(text, False),
        "espeak-ng en-us": lambda text: espeak.synthesize(text, voice="en-us"),
        "espeak-ng en (British)": lambda text: espeak.synthesize(text, voice="en"),
    }


def noisy(samples: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    power = float(np.mean(samples**2)) or 1e-9
    noise = np.random.default_rng(seed).normal(
        0, np.sqrt(power / 10 ** (snr_db / 10)), samples.size
    )
    return np.clip(samples + noise.astype(np.float32), -1, 1)


def recognition(sentences: dict[str, list[str]]) -> tuple[list[list], dict]:
    from providers.audio import decode
    from providers.local.ears import LocalASR
    from tests.audio import encode_recording, with_silence, word_error_rate

    asr, voices = LocalASR(), speakers()
    errors: dict[tuple, list[float]] = {}
    compute = audio_seconds = 0.0
    for split, texts in sentences.items():
        for voice in VOICES:
            for n, text in enumerate(texts):
                samples, rate = voices[voice](text)
                samples = with_silence(samples, rate)
                for noise in ("clean", "20 dB SNR"):
                    heard_samples = samples if noise == "clean" else noisy(samples, 20, n)
                    for kind in KINDS:
                        recording = encode_recording(heard_samples, rate, kind)
                        decoded = decode(recording, max_seconds=60)
                        started = time.perf_counter()
                        heard = asr.transcribe(recording, "", samples=decoded.samples)
                        compute += time.perf_counter() - started
                        audio_seconds += decoded.duration_seconds
                        errors.setdefault((split, voice, noise), []).append(
                            word_error_rate(text, heard.text)
                        )
    rows = []
    for (split, voice, noise), values in errors.items():
        rows.append([split, voice, noise, len(values), f"{statistics.mean(values):.3f}"])
    summary = {
        split: statistics.mean(
            v for (s, *_), values in errors.items() if s == split for v in values
        )
        for split in sentences
    }
    summary["rtf"] = compute / audio_seconds
    return rows, summary


def synthesis() -> list[list]:
    from providers.audio import decode, encode
    from providers.local.voice import _espeak_speak, _piper_speak

    text = "Nice work! You said it well. Could you tell me more about your weekend?"
    rows = []
    for name, speak in (
        ("piper joe", lambda: _piper_speak(text, False)),
        ("piper joe, slow", lambda: _piper_speak(text, True)),
        ("espeak-ng en-us", lambda: _espeak_speak(text, False)),
    ):
        speak()  # warm
        started = time.perf_counter()
        samples, rate = speak()
        took = time.perf_counter() - started
        seconds = samples.size / rate
        sizes = []
        for audio_format in ("ogg", "mp3"):
            data = encode(samples, rate, audio_format)
            sizes.append(len(data) / decode(data, max_seconds=120).duration_seconds)
        rows.append(
            [name, f"{seconds:.2f}", f"{took:.3f}", f"{took / seconds:.3f}"]
            + [f"{size / 1024:.2f}" for size in sizes]
        )
    return rows


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def wait_warm(url: str, timeout: float = 120) -> None:
    """Until every worker says its models are loaded (each request reaches one worker)."""
    deadline, loaded_in_a_row = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and loaded_in_a_row < 12:
        engines = requests.get(f"{url}/api/", timeout=10).json()["engines"]
        warm = engines["asr"]["status"] == engines["tts"]["status"] == "loaded"
        loaded_in_a_row = loaded_in_a_row + 1 if warm else 0
        time.sleep(0.25)


def four_second_recordings() -> list[bytes]:
    """Each corpus sentence in piper's voice, padded with silence to 4 s, as WebM/Opus."""
    from tests.audio import encode_recording, piper_speech, with_silence

    recordings = []
    for text in DEV + HELD_OUT:
        samples, rate = piper_speech(text)
        pad = max(4.0 - samples.size / rate, 0.2)
        recordings.append(
            encode_recording(with_silence(samples, rate, pad / 2, pad / 2), rate, "webm")
        )
    return recordings


def forget_speech() -> None:
    """Empties the speech cache, so every reply in the run is synthesized afresh."""
    with _connect(bench_database_url()) as conn:
        conn.execute("UPDATE tutor_turn SET speech_id = NULL")
        conn.execute("DELETE FROM tutor_speechclip")


def offline_turns(turns: int) -> tuple[list[list], dict]:
    recordings = four_second_recordings()
    prepare_database()
    env = app_env(AI_PROVIDER="local", USE_MOCK_AI="true", HF_API_KEY=None, LOCAL_SPEECH="real")
    reply_times, audio_times = [], []
    with Gunicorn(None, env, workers=2, threads=4, ready_timeout=120) as server:
        wait_warm(server.url)
        learner = signup(server.url)
        for n in range(turns):
            forget_speech()
            started = time.perf_counter()
            _, body = learner.audio_turn(
                recordings[n % len(recordings)], filename="turn.webm", content_type="audio/webm"
            )
            reply_times.append(time.perf_counter() - started)
            audio = learner.http.get(body["macca_audio_url"], timeout=60)
            audio.raise_for_status()
            audio_times.append(time.perf_counter() - started)
            if not body["transcript"] or body["degraded"]:
                raise RuntimeError(f"turn {n}: the offline ears heard nothing: {body}")
        rss = worker_rss_mb(server.process.pid)
        learner.close()
    rows = [
        ["reply (POST /api/session/turn/audio)", turns]
        + [f"{percentile(reply_times, p):.2f}" for p in (50, 95)],
        ["reply and its audio", turns] + [f"{percentile(audio_times, p):.2f}" for p in (50, 95)],
    ]
    return rows, {
        "p50": percentile(audio_times, 50),
        "p95": percentile(audio_times, 95),
        "rss": rss,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=20, help="offline audio turns (default 20)")
    parser.add_argument(
        "--sentences", type=int, default=len(DEV), help="sentences per split (default all)"
    )
    args = parser.parse_args()
    _django()

    loads = load_times()
    print(markdown_table(["model", "load s"], loads), "\n")
    asr_rows, asr = recognition(
        {"dev": DEV[: args.sentences], "held-out": HELD_OUT[: args.sentences]}
    )
    print(markdown_table(["split", "voice", "audio", "recordings", "WER"], asr_rows), "\n")
    tts_rows = synthesis()
    tts_headers = ["voice", "speech s", "synth s", "RTF", "Ogg/Opus KB/s", "MP3 KB/s"]
    print(markdown_table(tts_headers, tts_rows), "\n")
    bench_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    turn_rows, turn = offline_turns(args.turns)
    print(markdown_table(["offline audio turn, 4 s WebM", "n", "p50 s", "p95 s"], turn_rows))

    rss = ", ".join(f"{mb:.0f}" for mb in turn["rss"])
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    lines = [
        f"- word error rate, held-out: {asr['held-out']:.3f} (dev {asr['dev']:.3f}); "
        f"ASR real-time factor {asr['rtf']:.3f}",
        f"- offline audio turn, 4 s recording, reply and its audio: p50 {turn['p50']:.2f} s, "
        f"p95 {turn['p95']:.2f} s (target p50 ≤ {TARGET_P50_SECONDS} s: "
        f"{met(turn['p50'] <= TARGET_P50_SECONDS)})",
        f"- resident memory per gunicorn worker after the turns: {rss} MB "
        f"(target ≤ {TARGET_RSS_MB} MB: {met(max(turn['rss']) <= TARGET_RSS_MB)}); "
        f"this bench process with every model loaded peaked at {bench_rss:.0f} MB",
    ]
    print("\n" + "\n".join(lines))
    body = "\n\n".join(
        [
            "Local engines only (no network). Corpus: synthetic voices reading short "
            "learner-style sentences, each clean and with white noise at 20 dB SNR, encoded "
            "as WebM/Opus (Chrome, Firefox) and M4A/AAC (Safari). Settings (greedy decoding, "
            "voice-activity filter) were chosen on the dev half; quote the held-out half. "
            "These are synthetic voices, not recordings of Indonesian learners: expect "
            "real accented speech to score worse.",
            markdown_table(["model", "load s"], loads),
            markdown_table(["split", "voice", "audio", "recordings", "WER"], asr_rows),
            markdown_table(tts_headers, tts_rows),
            "gunicorn gthread (2 workers × 4 threads) on PostgreSQL, AI_PROVIDER=local, "
            "one learner, one turn at a time, after both workers warmed up; each turn a "
            "different sentence padded to 4 s, with the speech cache emptied before it, so "
            "every reply is recognised, answered and synthesized afresh:",
            markdown_table(["offline audio turn, 4 s WebM", "n", "p50 s", "p95 s"], turn_rows),
            "\n".join(lines),
        ]
    )
    path = write_results("Offline speech (make bench-speech)", body)
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    run_main(main)
