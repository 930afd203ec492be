// The pronunciation coach: pick or type a sentence, hear it in Macca's voice, record
// it (press to start, press again to send), then show the scores, the recording beside
// Macca's, the words worth a look (each one plays in Macca's voice when tapped) and
// what Macca heard for each flagged sound, with its tip; the attempt joins the history.
import { api } from "./api.js";
import { Recorder, formatTime } from "./recorder.js";

const MAX_SECONDS = 55; // the API accepts up to 60 s

const strings = JSON.parse(document.getElementById("pronunciation-strings").textContent);
const $ = (id) => document.getElementById(id);
const target = $("target-text");
const button = $("attempt-record");
const buttonLabel = button.querySelector(".record-label");
const timer = $("attempt-timer");
const level = $("attempt-level");
const statusLine = $("attempt-status");
const micMessage = $("mic-message");
const pageError = $("page-error");
const result = $("attempt-result");
const history = $("attempt-history");
const suggestions = document.querySelectorAll(".pron-suggestion");
const voice = $("macca-voice");
const pageLanguage = document.documentElement.lang;

let recordedTarget = "";
let busy = false;

function format(template, values) {
  return template.replace(/\{(\w+)\}|%\((\w+)\)s/g, (match, a, b) => values[a ?? b] ?? match);
}

function el(tag, { className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function show(node, message) {
  node.textContent = message;
  node.hidden = !message;
}

function clearMessages() {
  show(pageError, "");
  show(micMessage, "");
}

// --- Choosing the sentence ---------------------------------------------------------

for (const suggestion of suggestions) {
  suggestion.addEventListener("click", () => {
    if (recorder.recording) return;
    target.value = suggestion.dataset.sentence;
    for (const other of suggestions) other.setAttribute("aria-pressed", String(other === suggestion));
    $("sound-tip-label").textContent = format(strings.tipLabel, { sound: suggestion.dataset.label });
    $("sound-tip-text").textContent = suggestion.dataset.tip;
    $("sound-tip").hidden = false;
  });
}

target.addEventListener("input", () => {
  for (const suggestion of suggestions) {
    const same = suggestion.dataset.sentence === target.value.trim();
    suggestion.setAttribute("aria-pressed", String(same));
  }
});

// --- Recording (static/js/recorder.js) --------------------------------------------

const recorder = new Recorder({
  maxSeconds: MAX_SECONDS,
  onTick: (seconds) => {
    timer.textContent = formatTime(seconds);
  },
  onLevel: (value) => {
    level.value = value;
  },
  onLimit: () => stopRecording(),
});

const PROBLEMS = {
  denied: "noMic",
  missing: "noMic",
  failed: "noMic",
  busy: "micBusy",
  insecure: "insecure",
  unsupported: "noRecorder",
};

function setRecording(on) {
  // Macca's voice would be recorded too: it stays quiet while the microphone is on.
  if (on) voice.pause();
  setListening(!on);
  button.setAttribute("aria-pressed", String(on));
  button.classList.toggle("is-recording", on);
  buttonLabel.textContent = on ? strings.stop : strings.record;
  target.readOnly = on || busy;
  for (const suggestion of suggestions) suggestion.disabled = on || busy;
  timer.hidden = !on;
  level.hidden = !on;
}

function setBusy(on) {
  busy = on;
  button.disabled = on;
  target.readOnly = on;
  for (const suggestion of suggestions) suggestion.disabled = on;
}

async function startRecording() {
  clearMessages();
  const text = target.value.trim().replace(/\s+/g, " ");
  if (!/\p{L}/u.test(text)) {
    show(pageError, strings.emptyTarget);
    target.focus();
    return;
  }
  button.disabled = true;
  try {
    await recorder.start();
  } catch (error) {
    show(micMessage, strings[PROBLEMS[error.kind] ?? "noMic"]);
    return;
  } finally {
    button.disabled = false;
  }
  recordedTarget = text;
  setRecording(true);
  statusLine.textContent = strings.recording;
}

async function stopRecording() {
  if (!recorder.recording) return;
  setRecording(false);
  setBusy(true);
  let recording;
  try {
    recording = await recorder.stop();
  } catch (error) {
    setBusy(false);
    statusLine.textContent = "";
    show(pageError, error.kind === "empty" ? strings.tooShort : strings.noMic);
    return;
  }
  await send(recording);
}

button.addEventListener("click", () => {
  if (busy) return;
  if (recorder.recording) stopRecording();
  else startRecording();
});

window.addEventListener("pagehide", () => recorder.cancel());

// --- Macca's voice (POST /api/pronunciation/speech) -------------------------------

// Macca's speech is Ogg/Opus; browsers without Opus (Safari before iOS 17) ask for MP3.
const playsOpus = voice.canPlayType('audio/ogg; codecs="opus"') !== "";
const lines = new Map(); // text → {audio_url, slow_audio_url}, asked for once per page

function playable(url) {
  const address = new URL(url, window.location.href);
  if (!playsOpus && address.pathname.endsWith(".ogg")) address.searchParams.set("format", "mp3");
  return address.pathname + address.search;
}

function setListening(on) {
  for (const listen of document.querySelectorAll("[data-listen]")) listen.disabled = !on;
}

function play(line, slow, errorNode) {
  if (recorder.recording) return; // the answer came after Record was pressed
  for (const audio of document.querySelectorAll("audio")) {
    if (audio !== voice && !audio.paused) audio.pause();
  }
  const src = playable(slow ? line.slow_audio_url : line.audio_url);
  if (voice.getAttribute("src") !== src) voice.setAttribute("src", src);
  voice.currentTime = 0;
  voice.play()?.catch((error) => {
    if (error.name === "AbortError") return; // another line was asked for meanwhile
    show(errorNode, error.name === "NotAllowedError" ? strings.playBlocked : strings.playFailed);
  });
}

async function listen(control) {
  const text = (control.dataset.text ?? target.value).trim().replace(/\s+/g, " ");
  const errorNode = control.closest("section")?.querySelector(".listen-error");
  show(errorNode, "");
  if (!/\p{L}/u.test(text)) {
    show(errorNode, strings.emptyTarget);
    return;
  }
  const slow = control.dataset.slow === "true";
  const known = lines.get(text);
  if (known) {
    play(known, slow, errorNode); // at once, inside the tap: Safari allows that
    return;
  }
  if (control.getAttribute("aria-busy") === "true") return;
  control.setAttribute("aria-busy", "true");
  try {
    const line = await api("/api/pronunciation/speech", { json: { text } });
    lines.set(text, line);
    play(line, slow, errorNode);
  } catch (error) {
    show(errorNode, error.message);
  } finally {
    control.removeAttribute("aria-busy");
  }
}

document.addEventListener("click", (event) => {
  const control = event.target.closest("[data-listen]");
  if (control && !control.disabled) listen(control);
});

// --- Sending and showing the result ------------------------------------------------

async function send({ blob, filename }) {
  const form = new FormData();
  form.append("audio", blob, filename);
  form.append("target", recordedTarget);
  statusLine.textContent = strings.scoring;
  try {
    const attempt = await api("/api/pronunciation/attempts", { form });
    showResult(attempt);
    addToHistory(attempt);
    statusLine.textContent = attempt.degraded
      ? strings.degraded
      : attempt.message || `${strings.done} ${strings.overall}: ${attempt.overall}/100.`;
  } catch (error) {
    statusLine.textContent = "";
    show(pageError, error.message);
  } finally {
    setBusy(false);
  }
}

// Only what adds something is marked (tutor/views/pronunciation.py marks the history
// the same way): a word not said, or one with a sound said differently.
const MARK_LABELS = { missing: "notSaid", sound: "soundToWorkOn" };

function judged(attempt) {
  return !attempt.degraded && !attempt.message;
}

function isMissing(word) {
  return word.missing === true || word.heard === null || word.heard === undefined;
}

function markOf(word, attempt) {
  if (!judged(attempt)) return "";
  if (isMissing(word)) return "missing";
  return (word.sounds ?? []).some((sound) => !sound.ok) ? "sound" : "";
}

function wordNode(word, mark, { tappable = false } = {}) {
  const node = el(tappable ? "button" : "span", {
    className: mark ? `word word-${mark}` : "word",
    text: word.word,
  });
  if (mark) {
    node.append(
      el("span", {
        className: "visually-hidden",
        text: ` (${strings[MARK_LABELS[mark]]})`,
        attrs: { lang: pageLanguage },
      }),
    );
  }
  if (tappable) {
    node.type = "button";
    node.dataset.listen = "";
    node.dataset.text = word.word;
  }
  return node;
}

function wordLine(attempt, options) {
  const nodes = [];
  for (const word of attempt.words ?? []) nodes.push(wordNode(word, markOf(word, attempt), options), " ");
  return nodes;
}

function tipLabel(code) {
  return format(strings.tipLabel, { sound: strings.soundLabels[code] ?? code });
}

// One item per flagged kind of sound: what Macca heard each time, then its tip once.
function issueItems(issues) {
  const groups = new Map();
  for (const issue of issues) {
    if (!groups.has(issue.code)) groups.set(issue.code, { tip: issue.tip, messages: [] });
    groups.get(issue.code).messages.push(issue.message);
  }
  return [...groups].map(([code, group]) =>
    el("li", { className: "pron-issue" }, [
      ...group.messages.map((message) => el("p", { className: "pron-issue-heard", text: message })),
      ...(group.tip
        ? [el("p", { className: "pron-issue-tip" }, [el("strong", { text: tipLabel(code) }), " ", group.tip])]
        : []),
    ]),
  );
}

// Sounds that differed but are not one of the known swaps (a transcript comparison
// finds those too): named, without a tip.
function otherDifferences(attempt, issues) {
  const named = new Set(issues.map((issue) => `${issue.word}|${issue.target_sound}|${issue.heard_sound}`));
  const items = [];
  for (const word of attempt.words ?? []) {
    if (isMissing(word)) continue; // marked "not said" above
    for (const sound of word.sounds ?? []) {
      if (sound.ok || named.has(`${word.word}|${sound.target_sound}|${sound.heard_sound}`)) continue;
      const values = { heard: sound.heard_sound, target: sound.target_sound, word: word.word };
      const text = format(sound.heard_sound ? strings.soundFor : strings.soundDropped, values);
      items.push(el("li", { className: "pron-issue", text }));
    }
  }
  return items;
}

function showResult(attempt) {
  result.hidden = false;
  show($("result-degraded"), attempt.degraded ? strings.degraded : "");
  show($("result-message"), attempt.degraded ? "" : attempt.message ?? "");
  $("score-overall").textContent = String(attempt.overall);
  $("score-accuracy").textContent = String(attempt.accuracy);
  $("score-completeness").textContent = String(attempt.completeness);

  const recording = $("result-recording");
  $("result-recording-block").hidden = !attempt.audio_url;
  if (attempt.audio_url) recording.setAttribute("src", attempt.audio_url);
  else recording.removeAttribute("src");
  for (const control of result.querySelectorAll(".pron-compare [data-listen]")) {
    control.dataset.text = attempt.target;
  }
  show(result.querySelector(".listen-error"), "");

  $("result-words").replaceChildren(...wordLine(attempt, { tappable: true }));
  $("words-help").hidden = !attempt.words?.length;
  const marks = new Set((attempt.words ?? []).map((word) => markOf(word, attempt)));
  const legend = $("result-legend");
  for (const item of legend.querySelectorAll("[data-mark]")) item.hidden = !marks.has(item.dataset.mark);
  legend.hidden = !marks.has("missing") && !marks.has("sound");
  $("result-heard").textContent = `${strings.youSaid} “${attempt.transcript || strings.nothingHeard}”`;

  const issues = judged(attempt) ? (attempt.issues ?? []) : [];
  const items = judged(attempt) ? [...issueItems(issues), ...otherDifferences(attempt, issues)] : [];
  if (judged(attempt) && !items.length) items.push(el("li", { text: strings.noDifferences }));
  $("result-sounds").replaceChildren(...items);
  $("result-sounds-block").hidden = !items.length;

  const acoustic = attempt.method !== "transcript";
  $("note-acoustic").hidden = !acoustic;
  $("note-transcript").hidden = acoustic;
}

function addToHistory(attempt) {
  $("no-attempts")?.remove();
  const head = el("p", { className: "pron-attempt-head" });
  if (attempt.degraded) {
    head.append(el("span", { className: "badge badge-warning", text: strings.notScored }));
  } else {
    head.append(
      el("span", { className: "pron-attempt-score" }, [
        el("span", { className: "visually-hidden", text: `${strings.overall}: ` }),
        String(attempt.overall),
        el("span", { className: "muted", text: "/100" }),
      ]),
    );
  }
  head.append(" ", el("time", { text: strings.justNow, attrs: { datetime: attempt.created_at ?? "" } }));
  const item = el("li", { className: "pron-attempt" }, [head]);
  if (attempt.message && !attempt.degraded) {
    item.append(el("p", { className: "pron-attempt-message", text: attempt.message }));
  }
  const words = attempt.words?.length ? wordLine(attempt) : [attempt.target];
  item.append(el("p", { className: "pron-words", attrs: { lang: "en" } }, words));
  if (attempt.transcript) {
    item.append(
      el("p", { className: "muted pron-heard", text: `${strings.youSaid} ` }, [
        el("q", { text: attempt.transcript, attrs: { lang: "en" } }),
      ]),
    );
  }
  if (attempt.audio_url) {
    item.append(
      el("audio", {
        attrs: { controls: "", preload: "metadata", src: attempt.audio_url, "aria-label": strings.yourRecording },
      }),
    );
  }
  history.prepend(item);
}

button.disabled = false;
setListening(true);
