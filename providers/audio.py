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
    # Opus takes 24 kHz as it is (every voice's rate or less): no upsampling to 48 kHz.
    "ogg": ("ogg", "libopus", 24_000, 20_000, "audio/ogg"),
    "mp3": ("mp3", "libmp3lame", 22_050, 24_000, "audio/mpeg"),
}
# A stored reply is never streamed live: Opus's longest frames (60 ms) at a middling
# effort (3 of 10) keep encoding near 5 ms per second of speech (bench-turn-cpu), with
# no difference heard in speech.
ENCODER_OPTIONS = {"libopus": {"frame_duration": "60", "compression_level": "3"}}
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
        # A WAV header says all there is to know; FFmpeg's default probe would read (and
        # decode) 5 MB of samples first, milliseconds per second of audio.
        options = {"probesize": "4096"} if data[:4] == b"RIFF" else {}
        demuxer = DEMUXERS.get(content_type or "")
        with av.open(io.BytesIO(data), mode="r", format=demuxer, options=options) as box:
            if not box.streams.audio:
                raise UndecodableAudio("no audio stream")
            stream = box.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
            # Frames already mono float at the rate wanted (a voice's MP3, say) are taken
            # as they are: a resampler call per frame is most of the cost of decoding.
            # Once one is not, the resampler takes every frame after it, in order.
            direct = True
            for frame in box.decode(stream):
                samples = _as_wanted(frame, sample_rate) if direct else None
                direct = samples is not None
                if direct:
                    parts.append(samples)
                    total += samples.shape[0]
                for out in () if direct else resampler.resample(frame):
                    parts.append(out.to_ndarray()[0])
                    total += out.samples
                if total > limit:
                    raise AudioTooLong(total / sample_rate)
            for out in () if direct else resampler.resample(None):
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


def _as_wanted(frame: av.AudioFrame, sample_rate: int) -> np.ndarray | None:
    """A mono frame at `sample_rate` as float samples without the resampler (float or
    16-bit samples, as voices and WAV files have them), else None."""
    if frame.sample_rate != sample_rate or len(frame.layout.channels) != 1:
        return None
    if frame.format.name in ("flt", "fltp"):
        return frame.to_ndarray()[0]
    if frame.format.name in ("s16", "s16p"):
        return frame.to_ndarray()[0].astype(np.float32) / 32768.0
    return None


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
        # with silence: some encoders (AAC) refuse a short final frame. At the encoder's
        # own rate only the sample format changes, done here: FFmpeg's resampler would
        # start a filter graph and its threads for every file.
        pcm = _in_format(samples, context.format.name) if sample_rate == rate else None
        if pcm is None:
            resampler = av.AudioResampler(format=context.format.name, layout="mono", rate=rate)
            resampled = (*resampler.resample(frame), *resampler.resample(None))
            parts = [f.to_ndarray() for f in resampled]
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


def _in_format(samples: np.ndarray, sample_format: str) -> np.ndarray | None:
    """Mono float samples as one plane of `sample_format` (float or 16-bit), else None."""
    samples = np.asarray(samples, dtype=np.float32).reshape(1, -1)
    if sample_format in ("flt", "fltp"):
        return samples
    if sample_format in ("s16", "s16p"):
        return (np.clip(np.nan_to_num(samples), -1.0, 1.0) * 32767).astype(np.int16)
    return None


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
