"""Audio in and out, with PyAV (FFmpeg's libraries, inside its wheel).

In: any recording a browser or phone makes (WebM/Opus, Ogg, WAV, MP3, M4A/AAC)
decoded once to 16 kHz mono float samples, the form every speech engine wants,
stopping as soon as it runs past the length limit. Out: Macca's speech encoded
small for mobile data: Ogg/Opus, or MP3 for browsers without Opus (Safari before
iOS 17), at 20–24 kbit/s, about 3 KB per second of speech."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import av
import numpy as np

SAMPLE_RATE = 16_000

# The demuxer for each type the upload check sniffs: FFmpeg never guesses the format
# of a learner's upload, so nothing but these five parsers ever reads one.
DEMUXERS = {
    "audio/webm": "matroska",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/mpeg": "mp3",
    "audio/mp4": "mov",
}

# Delivery formats for speech: (container, encoder, sample rate, bit rate, content type).
# Opus at 20 kbit/s is clear wideband speech; MP3 needs a little more for the same.
FORMATS = {
    "ogg": ("ogg", "libopus", 48_000, 20_000, "audio/ogg"),
    "mp3": ("mp3", "libmp3lame", 22_050, 24_000, "audio/mpeg"),
}
# A stored reply is never streamed live: Opus's longest frames (60 ms) and a middling
# effort encode in half the time, and smaller, with no difference heard in speech.
ENCODER_OPTIONS = {"libopus": {"frame_duration": "60", "compression_level": "5"}}
CONTENT_TYPES = {name: content_type for name, (*_, content_type) in FORMATS.items()}


class UndecodableAudio(Exception):
    """The bytes are not audio FFmpeg can play (junk, a truncated header, no audio stream)."""


class AudioTooLong(Exception):
    """Decoding passed the limit; it stopped there, so `seconds` is a lower bound."""

    def __init__(self, seconds: float):
        super().__init__(f"longer than {seconds:.1f} s")
        self.seconds = seconds


@dataclass(frozen=True)
class Decoded:
    samples: np.ndarray  # float32 in -1..1, mono, SAMPLE_RATE
    duration_seconds: float


def decode(
    data: bytes,
    *,
    content_type: str | None = None,
    max_seconds: float,
    sample_rate: int = SAMPLE_RATE,
) -> Decoded:
    """Mono float32 samples of `data` (16 kHz unless told). Raises AudioTooLong as soon as
    more than `max_seconds` have been decoded, UndecodableAudio when there is no audio in it."""
    limit = int(max_seconds * sample_rate)
    parts: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r", format=DEMUXERS.get(content_type or "")) as box:
            if not box.streams.audio:
                raise UndecodableAudio("no audio stream")
            stream = box.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
            for frame in box.decode(stream):
                for out in resampler.resample(frame):
                    parts.append(out.to_ndarray()[0])
                    total += out.samples
                if total > limit:
                    raise AudioTooLong(total / sample_rate)
            for out in resampler.resample(None):
                parts.append(out.to_ndarray()[0])
                total += out.samples
    except av.FFmpegError as e:
        # A recording cut short after good audio (a dropped connection) keeps what
        # decoded; junk, or a header and nothing playable after it, is not audio.
        if total < sample_rate // 10:
            raise UndecodableAudio(str(e)) from e
    except (ValueError, IndexError, OverflowError) as e:  # odd layouts or rates in a header
        raise UndecodableAudio(str(e)) from e
    if total > limit:
        raise AudioTooLong(total / sample_rate)
    if total == 0:
        raise UndecodableAudio("no audio samples")
    samples = np.concatenate(parts).astype(np.float32, copy=False)
    np.clip(samples, -1.0, 1.0, out=samples)
    return Decoded(samples=samples, duration_seconds=total / sample_rate)


def encode(samples: np.ndarray, sample_rate: int, audio_format: str = "ogg") -> bytes:
    """Mono float samples as a compressed file in `audio_format` ("ogg" or "mp3")."""
    container_format, codec, rate, bit_rate, _ = FORMATS[audio_format]
    return encode_as(
        samples,
        sample_rate,
        container=container_format,
        codec=codec,
        rate=rate,
        bit_rate=bit_rate,
        options=ENCODER_OPTIONS.get(codec),
    )


def encode_as(
    samples: np.ndarray,
    sample_rate: int,
    *,
    container: str,
    codec: str,
    rate: int,
    bit_rate: int | None = None,
    options: dict[str, str] | None = None,
) -> bytes:
    """Mono float samples encoded with `codec` at `rate` Hz into a `container` file
    (`options` for the encoder, e.g. Opus's frame_duration in milliseconds)."""
    output = io.BytesIO()
    with av.open(output, mode="w", format=container) as box:
        stream = box.add_stream(codec, rate=rate, layout="mono", options=options or {})
        if bit_rate:
            stream.bit_rate = bit_rate
        context = stream.codec_context
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1),
            format="flt",
            layout="mono",
        )
        frame.sample_rate = sample_rate
        # Resampled whole, then cut into the encoder's frame size, the last one padded
        # with silence: some encoders (AAC) refuse a short final frame.
        resampler = av.AudioResampler(format=context.format.name, layout="mono", rate=rate)
        parts = [f.to_ndarray() for f in (*resampler.resample(frame), *resampler.resample(None))]
        pcm = np.concatenate(parts, axis=1) if parts else np.zeros((1, 0), np.float32)
        milliseconds = int((options or {}).get("frame_duration", 0))
        size = rate * milliseconds // 1000 or context.frame_size or 1024
        pcm = np.pad(pcm, ((0, 0), (0, -pcm.shape[1] % size)))
        for start in range(0, pcm.shape[1], size):
            chunk = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(pcm[:, start : start + size]),
                format=context.format.name,
                layout="mono",
            )
            chunk.sample_rate = rate
            chunk.pts = start
            box.mux(stream.encode(chunk))
        box.mux(stream.encode(None))
    return output.getvalue()


def transcode(data: bytes, audio_format: str = "ogg", *, max_seconds: float = 600) -> bytes:
    """Any audio a voice returned (WAV, FLAC, MP3…) re-encoded for delivery."""
    rate = 24_000  # wide enough for any voice, and a rate both encoders take as it is
    decoded = decode(data, max_seconds=max_seconds, sample_rate=rate)
    return encode(decoded.samples, rate, audio_format)


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """Samples as a 16-bit mono WAV: how local voices hand over speech. Floats are
    -1..1 (NaN is silence); 16-bit integers are written as they are."""
    if samples.dtype == np.int16:
        pcm = samples.astype("<i2")
    else:
        pcm = (np.clip(np.nan_to_num(samples), -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()
