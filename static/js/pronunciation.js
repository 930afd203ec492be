// The pronunciation coach: pick or type a sentence, record it (press to start,
// press again to send), then show the scores, each word's status, the sounds
// that differ and the tips; the attempt joins the history list.
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
      : `${strings.done} ${strings.overall}: ${attempt.overall}/100.`;
  } catch (error) {
    statusLine.textContent = "";
    show(pageError, error.message);
  } finally {
    setBusy(false);
  }
}

function statusText(word) {
  if (word.heard === null || word.heard === undefined) {
    return word.status === "needs_work" ? strings.notHeard : strings[word.status];
  }
  return strings[word.status] ?? word.status;
}

function wordSpan(word) {
  return el("span", { className: `word status-${word.status}`, text: word.word }, [
    el("span", { className: "word-status", text: ` (${statusText(word)})` }),
  ]);
}

function wordLine(words) {
  const nodes = [];
  for (const word of words) nodes.push(wordSpan(word), " ");
  return nodes;
}

function soundDifferences(words) {
  const items = [];
  for (const word of words) {
    if (word.heard === null || word.heard === undefined) continue; // shown as "not heard"
    for (const sound of word.sounds ?? []) {
      if (sound.ok) continue;
      const values = { heard: sound.heard_sound, target: sound.target_sound, word: word.word };
      const text = sound.heard_sound
        ? format(strings.soundFor, values)
        : format(strings.soundDropped, values);
      items.push(el("li", { text }));
    }
  }
  return items;
}

function showResult(attempt) {
  result.hidden = false;
  show($("result-degraded"), attempt.degraded ? strings.degraded : "");
  $("score-overall").textContent = String(attempt.overall);
  $("score-accuracy").textContent = String(attempt.accuracy);
  $("score-completeness").textContent = String(attempt.completeness);
  $("result-words").replaceChildren(...wordLine(attempt.words ?? []));
  $("result-heard").textContent = `${strings.youSaid} “${attempt.transcript || strings.nothingHeard}”`;

  const differences = soundDifferences(attempt.words ?? []);
  if (!differences.length && !attempt.degraded) {
    differences.push(el("li", { text: strings.noDifferences }));
  }
  $("result-sounds").replaceChildren(...differences);

  const seen = new Set();
  const tips = [];
  for (const issue of attempt.issues ?? []) {
    const showTip = !seen.has(issue.code);
    seen.add(issue.code);
    tips.push(
      el("li", {}, [
        el("strong", { text: issue.message }),
        ...(showTip && issue.tip ? [" ", el("span", { text: issue.tip })] : []),
      ]),
    );
  }
  $("result-tips").replaceChildren(...tips);
  $("result-tips-block").hidden = !tips.length;
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
  const words = attempt.words?.length ? wordLine(attempt.words) : [attempt.target];
  const item = el("li", { className: "pron-attempt" }, [
    head,
    el("p", { className: "pron-words", attrs: { lang: "en" } }, words),
  ]);
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
