// A small MediaRecorder wrapper shared by the pages that record the learner:
// start/stop, elapsed time, input level (AnalyserNode), webm/opus where the
// browser supports it, and errors a page can turn into a clear message.
//
//   import { Recorder, RecorderError, recordingProblem, formatTime } from "./recorder.js";
//   const recorder = new Recorder({
//     maxSeconds: 60,
//     onTick: (seconds) => { timer.textContent = formatTime(seconds); },
//     onLevel: (level) => { meter.value = level; },          // 0..1, about 20 times a second
//     onLimit: () => { sendRecording(); },                    // maxSeconds reached: call stop()
//   });
//   try { await recorder.start(); } catch (error) { /* error.kind: see RecorderError */ }
//   const { blob, filename, mimeType, seconds } = await recorder.stop();
//
// The recorder holds no text: pages map `error.kind` to their own translated messages.

/** Preferred formats, best first; the browser's default when none is supported. */
const FORMATS = [
  "audio/webm;codecs=opus",
  "audio/webm",
  "audio/ogg;codecs=opus",
  "audio/mp4",
];

const EXTENSIONS = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a", "audio/wav": "wav" };

/**
 * kind: "insecure" (not https/localhost), "unsupported" (no MediaRecorder or getUserMedia),
 * "denied" (NotAllowedError/SecurityError), "missing" (NotFoundError/OverconstrainedError),
 * "busy" (NotReadableError/AbortError: another app holds the microphone), "failed" (anything else),
 * "empty" (the recording holds no data).
 */
export class RecorderError extends Error {
  constructor(kind, message, cause) {
    super(message || kind);
    this.name = "RecorderError";
    this.kind = kind;
    this.cause = cause;
  }
}

/** Why this browser cannot record at all (a RecorderError kind), or null when it can. */
export function recordingProblem() {
  if (window.isSecureContext === false) return "insecure";
  if (!navigator.mediaDevices?.getUserMedia || typeof window.MediaRecorder === "undefined") {
    return "unsupported";
  }
  return null;
}

/** The best supported recording type, or "" for the browser's default. */
export function preferredMimeType() {
  if (typeof window.MediaRecorder === "undefined") return "";
  return FORMATS.find((type) => MediaRecorder.isTypeSupported?.(type)) ?? "";
}

/** "audio/webm;codecs=opus" → "webm"; unknown types → "webm" (the server checks the bytes). */
export function extensionFor(mimeType) {
  const base = (mimeType || "").split(";")[0].trim().toLowerCase();
  return EXTENSIONS[base] ?? "webm";
}

/** 75.4 → "01:15". */
export function formatTime(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const minutes = String(Math.floor(whole / 60)).padStart(2, "0");
  return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
}

function errorKind(error) {
  switch (error?.name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "missing";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}

export class Recorder {
  constructor({ maxSeconds = 60, onTick, onLevel, onLimit, constraints } = {}) {
    this.maxSeconds = maxSeconds;
    this.onTick = onTick ?? (() => {});
    this.onLevel = onLevel ?? (() => {});
    this.onLimit = onLimit ?? (() => {});
    this.constraints = constraints ?? { audio: true };
    this._reset();
  }

  _reset() {
    this.stream = null;
    this.mediaRecorder = null;
    this.chunks = [];
    this.startedAt = 0;
    this.audioContext = null;
    this.analyser = null;
    this.timer = null;
    this.levelFrame = null;
    this.limitReached = false;
  }

  /** True between start() and stop()/cancel(). */
  get recording() {
    return this.mediaRecorder !== null && this.mediaRecorder.state !== "inactive";
  }

  /** Seconds since recording started. */
  get elapsed() {
    return this.startedAt ? (performance.now() - this.startedAt) / 1000 : 0;
  }

  /** Asks for the microphone and starts recording; rejects with a RecorderError. */
  async start() {
    if (this.recording) return;
    const problem = recordingProblem();
    if (problem) throw new RecorderError(problem);
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(this.constraints);
    } catch (error) {
      throw new RecorderError(errorKind(error), error?.message, error);
    }
    let mediaRecorder;
    try {
      const mimeType = preferredMimeType();
      mediaRecorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    } catch (error) {
      stream.getTracks().forEach((track) => track.stop());
      throw new RecorderError("unsupported", error?.message, error);
    }
    this.stream = stream;
    this.mediaRecorder = mediaRecorder;
    this.chunks = [];
    mediaRecorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size > 0) this.chunks.push(event.data);
    });
    try {
      mediaRecorder.start(250); // small chunks: a stop() right after start() still has data
    } catch (error) {
      this._release();
      throw new RecorderError("failed", error?.message, error);
    }
    this.startedAt = performance.now();
    this._watchLevel(stream);
    this.onTick(0);
    this.timer = window.setInterval(() => this._tick(), 200);
  }

  _tick() {
    const seconds = this.elapsed;
    this.onTick(Math.min(seconds, this.maxSeconds));
    // Stop a little before the limit: the server measures the file, not our clock.
    if (!this.limitReached && seconds >= this.maxSeconds - 0.3) {
      this.limitReached = true;
      this.onLimit();
    }
  }

  _watchLevel(stream) {
    const AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) return; // no level meter, recording still works
    try {
      this.audioContext = new AudioContextClass();
      const source = this.audioContext.createMediaStreamSource(stream);
      this.analyser = this.audioContext.createAnalyser();
      this.analyser.fftSize = 1024;
      source.connect(this.analyser);
      this.audioContext.resume?.().catch(() => {});
    } catch {
      this.audioContext = null;
      this.analyser = null;
      return;
    }
    const samples = new Float32Array(this.analyser.fftSize);
    const loop = () => {
      if (!this.analyser) return;
      this.analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      // Speech sits around 0.02–0.3 RMS; a square root spreads that over the meter.
      this.onLevel(Math.min(1, Math.sqrt(rms * 4)));
      this.levelFrame = window.setTimeout(loop, 50);
    };
    loop();
  }

  /** Stops recording; resolves to {blob, mimeType, filename, seconds}. */
  stop() {
    if (!this.recording) {
      return Promise.reject(new RecorderError("failed", "Not recording."));
    }
    const mediaRecorder = this.mediaRecorder;
    const seconds = this.elapsed;
    return new Promise((resolve, reject) => {
      mediaRecorder.addEventListener(
        "stop",
        () => {
          const mimeType = mediaRecorder.mimeType || this.chunks[0]?.type || "audio/webm";
          const blob = new Blob(this.chunks, { type: mimeType });
          this._release();
          if (blob.size === 0) {
            reject(new RecorderError("empty", "The recording is empty."));
            return;
          }
          resolve({ blob, mimeType, filename: `recording.${extensionFor(mimeType)}`, seconds });
        },
        { once: true },
      );
      try {
        mediaRecorder.stop();
      } catch (error) {
        this._release();
        reject(new RecorderError("failed", error?.message, error));
      }
    });
  }

  /** Stops without keeping anything (page hidden, navigation…). */
  cancel() {
    if (this.mediaRecorder && this.mediaRecorder.state !== "inactive") {
      try {
        this.mediaRecorder.stop();
      } catch {
        // already stopped
      }
    }
    this._release();
  }

  _release() {
    window.clearInterval(this.timer);
    window.clearTimeout(this.levelFrame);
    this.stream?.getTracks().forEach((track) => track.stop());
    this.audioContext?.close().catch(() => {});
    this.onLevel(0);
    this._reset();
  }
}
