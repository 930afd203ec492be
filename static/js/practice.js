// The practice page: start a session, talk to Macca by voice or text, show
// each answer's feedback, drills and spoken reply, follow a guided lesson's
// steps, and end the session with its summary. The server renders the
// conversation so far; this script adds to it through the JSON API.

import { api } from "./api.js";
import { Recorder, formatTime, recordingProblem } from "./recorder.js";

const root = document.getElementById("practice");
const config = JSON.parse(document.getElementById("practice-config").textContent);
const t = JSON.parse(document.getElementById("practice-strings").textContent);

const $ = (id) => document.getElementById(id);
const conversation = $("conversation");
const statusLine = $("status");
const micMessage = $("mic-message");
const pageError = $("page-error");
const degradedNotice = $("degraded-notice");
const recordButton = $("record-button");
const indicator = $("recording-indicator");
const timer = $("recording-timer");
const level = $("input-level");
const textForm = $("text-turn");
const textArea = $("user-text");
const sendButton = $("send-text");
const endButton = $("end-session");
const summary = $("session-summary");
const stepsList = $("lesson-steps");
const lessonProgress = $("lesson-progress");

const state = {
  sessionId: config.sessionId,
  ended: Boolean(config.ended) || !config.canPractise,
  busy: false,
  starting: null, // the pending start request, shared by whoever needs a session first
  activeButton: null, // the record button (main or drill) that owns the microphone
  micStarting: false,
  micUnavailable: null, // a permanent reason ("unsupported", "insecure"), else null
  lessonCompleted: Boolean(config.lessonCompleted),
};

const recorder = new Recorder({
  maxSeconds: config.maxSeconds,
  onTick: (seconds) => {
    timer.textContent = formatTime(seconds);
  },
  onLevel: (value) => {
    level.value = value;
  },
  onLimit: () => finishRecording({ limitReached: true }),
});

const reducedMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;

// --- Small helpers --------------------------------------------------------------

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

/** h("p", {class: "x", lang: "en"}, "text", child…): an element; null children are skipped. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function setStatus(text, working = false) {
  statusLine.textContent = text || "";
  statusLine.classList.toggle("is-working", working);
}

function setBusy(busy, message = "") {
  state.busy = busy;
  setStatus(message, busy);
  updateControls();
}

function updateControls() {
  const recording = state.activeButton !== null;
  const blocked = state.busy || state.ended;
  const micBlocked = blocked || Boolean(state.micUnavailable);
  for (const button of [recordButton, ...conversation.querySelectorAll(".drill-record")]) {
    button.disabled = recording ? button !== state.activeButton : micBlocked;
  }
  textArea.disabled = blocked || recording;
  sendButton.disabled = blocked || recording;
  endButton.hidden = !state.sessionId || state.ended;
  root.classList.toggle("is-ended", state.ended && Boolean(state.sessionId));
  endButton.disabled = state.busy || recording;
}

function clearErrors() {
  pageError.hidden = true;
  pageError.textContent = "";
}

/** Shows an error (an ApiError, an Error or a text) and moves focus where the learner can retry. */
function showError(error, focusTarget) {
  const text = typeof error === "string" ? error : error?.message;
  pageError.textContent = text || document.documentElement.dataset.offlineMessage || "Error";
  pageError.hidden = false;
  const target = focusTarget && !focusTarget.disabled ? focusTarget : pageError;
  target.focus();
}

const MIC_MESSAGES = {
  denied: "micDenied",
  missing: "micMissing",
  busy: "micBusy",
  unsupported: "micUnsupported",
  insecure: "micInsecure",
};

function showMicProblem(kind, { focus = true } = {}) {
  micMessage.textContent = t[MIC_MESSAGES[kind] ?? "micFailed"];
  micMessage.hidden = false;
  if (focus && !textArea.disabled) textArea.focus();
}

function scrollIntoView(element) {
  element.scrollIntoView({ block: "start", behavior: reducedMotion ? "auto" : "smooth" });
}

function newSessionUrl(sessionId) {
  const url = new URL(window.location.href);
  url.search = new URLSearchParams({ session: sessionId }).toString();
  return url.toString();
}

// --- The word diff: which words of the better sentence are new ------------------

const wordKey = (word) => word.replace(/^[^\p{L}\p{N}_']+|[^\p{L}\p{N}_']+$/gu, "").toLowerCase();

/** The better sentence's words, each marked changed unless it is in the longest
 * common subsequence with the learner's words (case and punctuation aside). */
export function diffWords(original, better) {
  const said = (original || "").split(/\s+/).filter(Boolean).map(wordKey);
  const words = (better || "").split(/\s+/).filter(Boolean);
  const keys = words.map(wordKey);
  const n = said.length;
  const m = keys.length;
  const lengths = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i][j] = said[i] === keys[j]
        ? lengths[i + 1][j + 1] + 1
        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const changed = new Array(m).fill(true);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (said[i] === keys[j]) {
      changed[j] = false;
      i += 1;
      j += 1;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) {
      i += 1;
    } else {
      j += 1;
    }
  }
  return words.map((text, index) => ({ text, changed: changed[index] }));
}

// --- Bubbles (the same markup as templates/tutor/includes/practice_*.html) -------

function removePlaceholder() {
  conversation.querySelector(".conversation-empty")?.remove();
}

function learnerBubble(text, spoken) {
  return h(
    "article",
    { class: "bubble bubble-learner" },
    h("p", { class: "bubble-who" }, t.you, spoken ? h("span", { class: "bubble-tag" }, ` · ${t.spoken}`) : null),
    h("p", { class: "bubble-text", lang: "en" }, text ? text : h("em", {}, t.heardNothing)),
  );
}

function betterSentence(original, better) {
  const words = diffWords(original, better);
  if (!words.some((word) => word.changed)) return null;
  const sentence = h("p", { class: "better-sentence", lang: "en" });
  words.forEach((word, index) => {
    if (index) sentence.append(" ");
    sentence.append(word.changed ? h("mark", {}, word.text) : word.text);
  });
  return h(
    "div",
    { class: "feedback-part better" },
    h("h3", { class: "feedback-title" }, t.betterSentence),
    sentence,
    h("p", { class: "feedback-note" }, t.changedWords),
  );
}

function grammarPart(points) {
  if (!points?.length) return null;
  return h(
    "div",
    { class: "feedback-part grammar" },
    h("h3", { class: "feedback-title" }, t.grammar),
    h(
      "ul",
      {},
      points.map((point) =>
        h(
          "li",
          {},
          point.original_text ? [h("q", { class: "original", lang: "en" }, point.original_text), " "] : null,
          h("span", { class: "explanation", lang: point.explanation_language || "en" }, point.explanation),
          point.examples?.length
            ? h("ul", { class: "examples", "aria-label": t.examples }, point.examples.map((e) => h("li", { lang: "en" }, e)))
            : null,
        ),
      ),
    ),
  );
}

function vocabularyPart(items) {
  if (!items?.length) return null;
  return h(
    "div",
    { class: "feedback-part vocabulary" },
    h(
      "h3",
      { class: "feedback-title" },
      t.vocabulary,
      " ",
      h("span", { class: "saved-note" }, "· ", h("a", { href: config.vocabularyUrl }, t.vocabularySaved)),
    ),
    h(
      "ul",
      { class: "chips" },
      items.map((item) =>
        h(
          "li",
          { class: "chip", title: item.example || null },
          h("strong", { lang: "en" }, item.word),
          item.translation ? [" ", h("span", { class: "chip-translation", lang: "id" }, item.translation)] : null,
        ),
      ),
    ),
  );
}

function pronunciationPart(tips) {
  if (!tips?.length) return null;
  return h(
    "div",
    { class: "feedback-part pronunciation" },
    h("h3", { class: "feedback-title" }, t.pronunciation),
    h(
      "ul",
      {},
      tips.map((tip) =>
        h(
          "li",
          {},
          h("strong", { lang: "en" }, tip.word),
          tip.target_sound ? [" ", h("span", { class: "sound" }, tip.target_sound)] : null,
          ": ",
          tip.tip || tip.issue,
          tip.severity === "high" ? [" ", h("span", { class: "severity severity-high" }, t.severityHigh)] : null,
        ),
      ),
    ),
  );
}

function feedbackBlock(original, macca, stepComplete) {
  const feedback = macca?.feedback ?? {};
  const better = feedback.better_sentence ? betterSentence(original, feedback.better_sentence) : null;
  const grammar = grammarPart(feedback.grammar);
  const pronunciation = pronunciationPart(feedback.pronunciation);
  return h(
    "div",
    { class: "feedback" },
    better,
    grammar,
    vocabularyPart(feedback.vocabulary),
    pronunciation,
    !better && !grammar && !pronunciation && original
      ? h("p", { class: "no-corrections" }, h("span", { "aria-hidden": "true" }, "✓"), " ", t.noCorrections)
      : null,
    stepComplete
      ? h("p", { class: "step-complete" }, h("span", { "aria-hidden": "true" }, "✓"), " ", t.stepComplete)
      : null,
  );
}

function drillCard(drill) {
  const text = drill.sentence || drill.question || "";
  const instruction = drill.instruction || "";
  return h(
    "div",
    { class: "drill" },
    h("p", { class: "drill-type" }, drill.type === "repeat_sentence" ? t.drillRepeat : t.drillAnswer),
    instruction && !(text && instruction.includes(text)) ? h("p", { class: "drill-instruction" }, instruction) : null,
    text ? h("p", { class: "drill-text", lang: "en" }, text) : null,
    h(
      "button",
      { type: "button", class: "drill-record button-small", "aria-pressed": "false" },
      h("span", { class: "record-icon", "aria-hidden": "true" }),
      " ",
      h("span", { class: "record-label" }, t.recordDrill),
    ),
  );
}

// Macca's speech is Ogg/Opus; browsers without Opus (Safari before iOS 17) ask for MP3.
const playsOpus = new Audio().canPlayType('audio/ogg; codecs="opus"') !== "";

function speechUrl(url, { slow = false } = {}) {
  const address = new URL(url, window.location.href);
  if (slow) address.searchParams.set("speed", "slow");
  if (!playsOpus && address.pathname.endsWith(".ogg")) address.searchParams.set("format", "mp3");
  return address.pathname + address.search;
}

function tutorBubble({ text, audioUrl, drills, degraded }) {
  return h(
    "article",
    { class: "bubble bubble-tutor" },
    h("p", { class: "bubble-who" }, t.macca),
    h("p", { class: "bubble-text", lang: "en" }, text),
    audioUrl
      ? h(
        "div",
        { class: "bubble-audio" },
        h("audio", { preload: "auto", src: speechUrl(audioUrl) }),
        h(
          "button",
          { type: "button", class: "replay button-small button-quiet" },
          h("span", { "aria-hidden": "true" }, "↻"),
          " ",
          t.replay,
        ),
        h(
          "button",
          { type: "button", class: "replay-slow button-small button-quiet", "data-src": `${audioUrl}?speed=slow` },
          h("span", { "aria-hidden": "true" }, "🐢"),
          " ",
          t.replaySlow,
        ),
      )
      : null,
    degraded ? h("p", { class: "degraded-tag" }, h("span", { "aria-hidden": "true" }, "⚠"), " ", t.offlineCoach) : null,
    (drills ?? []).map(drillCard),
  );
}

// --- Audio ------------------------------------------------------------------------

function pauseAll(except = null) {
  for (const audio of conversation.querySelectorAll("audio")) {
    if (audio !== except && !audio.paused) audio.pause();
  }
}

function play(audio, { auto = false } = {}) {
  pauseAll(audio);
  audio.currentTime = 0;
  const played = audio.play();
  played?.catch(() => {
    // Autoplay refused (no gesture yet) or the file failed: the Replay button stays.
    if (!auto) return;
    const bubble = audio.closest(".bubble");
    if (bubble && !bubble.querySelector(".autoplay-note")) {
      bubble.querySelector(".bubble-audio")?.append(h("span", { class: "autoplay-note" }, t.autoplayBlocked));
    }
  });
}

function playSlowly(button) {
  // The slow line is fetched on first use only, and kept beside the normal one.
  const box = button.closest(".bubble-audio");
  let slow = box.querySelector("audio.slow");
  if (!slow) {
    slow = h("audio", { class: "slow", preload: "auto", src: speechUrl(button.dataset.src) });
    box.append(slow);
  }
  play(slow);
}

function addTutor(reply) {
  removePlaceholder();
  const bubble = tutorBubble(reply);
  conversation.append(bubble);
  const audio = bubble.querySelector("audio");
  if (audio && !state.activeButton) play(audio, { auto: true });
  return bubble;
}

// --- Guided lessons -----------------------------------------------------------------

function showStep(step, { completed = false } = {}) {
  if (!stepsList) return;
  for (const item of stepsList.querySelectorAll("li[data-step]")) {
    const number = Number(item.dataset.step);
    const done = completed || number < step;
    const current = !completed && number === step;
    item.classList.toggle("step-done", done);
    item.classList.toggle("step-current", current);
    if (current) item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
    const label = item.querySelector(".step-state");
    if (label) label.textContent = done ? t.stepDone : current ? t.stepCurrent : "";
  }
  if (lessonProgress) {
    const total = config.totalSteps ?? config.steps.length;
    lessonProgress.textContent = completed
      ? t.lessonComplete
      : format(t.stepNow, { step, total, title: config.steps[Math.min(step, total) - 1] ?? "" });
  }
}

// --- Sessions -----------------------------------------------------------------------

/** The current session's id, starting one (once) when there is none; null on failure. */
function ensureSession() {
  if (state.sessionId) return Promise.resolve(state.sessionId);
  if (state.ended) return Promise.resolve(null);
  state.starting ??= startSession().finally(() => {
    state.starting = null;
  });
  return state.starting;
}

async function startSession() {
  clearErrors();
  setBusy(true, t.starting);
  try {
    const body = { mode: config.mode };
    if (config.topic) body.topic = config.topic;
    if (config.lessonId) body.lesson_id = config.lessonId;
    const data = await api("/api/session/start", { json: body });
    state.sessionId = data.session_id;
    textForm.elements.session_id.value = data.session_id;
    history.replaceState(null, "", newSessionUrl(data.session_id));
    let drills = [];
    if (config.mode === "pronunciation_coach") drills = await openingDrills(data.session_id);
    addTutor({
      text: data.initial_prompt,
      audioUrl: data.initial_audio_url,
      drills,
      degraded: data.degraded,
    });
    degradedNotice.hidden = !data.degraded;
    if (data.lesson_step) showStep(data.lesson_step);
    setBusy(false, t.ready);
    return data.session_id;
  } catch (error) {
    setBusy(false);
    showError(error, recordButton);
    return null;
  }
}

/** The start response has no drills; the pronunciation coach's opening sentence is one. */
async function openingDrills(sessionId) {
  try {
    const detail = await api(`/api/sessions/${sessionId}`);
    return detail?.turns?.[0]?.macca?.drills ?? [];
  } catch {
    return []; // the sentence is in the opening text anyway
  }
}

async function endSession() {
  if (!state.sessionId || state.busy || state.activeButton) return;
  clearErrors();
  setBusy(true, t.ending);
  try {
    const data = await api(`/api/session/${state.sessionId}/end`, { method: "POST" });
    state.ended = true;
    showSummary(data);
    setBusy(false, t.ended);
    summary.focus();
  } catch (error) {
    setBusy(false);
    showError(error, endButton);
  }
}

function endedStatus() {
  if (!state.ended) return null;
  return state.lessonCompleted ? t.lessonComplete : t.ended;
}

function showSummary(data, { lessonCompleted = false } = {}) {
  summary.querySelector(".summary-text").textContent = data.summary || "";
  const stats = summary.querySelector(".summary-stats");
  const turns = data.turns ?? 0;
  // Rounded like the server's summary: any practice counts as at least a minute.
  const minutes = turns ? Math.max(1, Math.round((data.duration_seconds ?? 0) / 60)) : 0;
  stats.textContent = format(t.summaryStats, { turns, minutes });
  stats.hidden = false;
  if (lessonCompleted) summary.querySelector(".lesson-complete").hidden = false;
  summary.hidden = false;
  pauseAll();
  updateControls();
}

/** After a guided turn: the step indicator, and the lesson's end when it is complete. */
async function followLesson(data) {
  const stepComplete = (data.feedback?.step_complete ?? data.macca?.step_complete) === true;
  const finished = stepComplete && data.next_step === null;
  if (!finished) {
    if (data.lesson_step) showStep(data.lesson_step);
    return;
  }
  showStep(config.totalSteps ?? config.steps.length, { completed: true });
  state.ended = true; // the server ended the session with the lesson
  state.lessonCompleted = true;
  try {
    const ended = await api(`/api/session/${state.sessionId}/end`, { method: "POST" });
    showSummary(ended, { lessonCompleted: true });
  } catch {
    summary.querySelector(".lesson-complete").hidden = false;
    summary.hidden = false;
  }
}

// --- Turns --------------------------------------------------------------------------

function showTurn(data, bubble) {
  const macca = data.macca ?? {};
  const original = bubble.querySelector(".bubble-text").textContent;
  const stepComplete = config.mode === "guided_lesson" && (data.feedback?.step_complete ?? macca.step_complete) === true;
  bubble.classList.remove("is-pending");
  bubble.append(feedbackBlock(original, macca, stepComplete));
  addTutor({
    text: data.macca_text ?? macca.reply ?? "",
    audioUrl: data.macca_audio_url,
    drills: macca.drills,
    degraded: data.degraded,
  });
  degradedNotice.hidden = !data.degraded;
  scrollIntoView(bubble);
}

async function sendText(text) {
  clearErrors();
  if (!text.trim()) {
    showError(t.emptyText, textArea);
    return;
  }
  const sessionId = await ensureSession();
  if (!sessionId) return;
  removePlaceholder();
  const bubble = learnerBubble(text.trim(), false);
  bubble.classList.add("is-pending");
  conversation.append(bubble);
  setBusy(true, t.thinking);
  let ok = false;
  try {
    const data = await api("/api/session/turn", { json: { user_text: text, session_id: sessionId } });
    textArea.value = "";
    showTurn(data, bubble);
    if (config.mode === "guided_lesson") await followLesson(data);
    ok = true;
  } catch (error) {
    bubble.remove();
    setBusy(false);
    showError(error, textArea);
  } finally {
    if (ok) {
      setBusy(false, endedStatus() ?? t.ready);
      if (!state.ended) textArea.focus();
    }
  }
}

async function sendRecording(recording, { limitReached, focusTarget }) {
  const sessionId = await ensureSession();
  if (!sessionId) return;
  const form = new FormData();
  form.append("audio", recording.blob, recording.filename);
  form.append("session_id", sessionId);
  setBusy(true, t.thinking);
  let ok = false;
  try {
    const data = await api("/api/session/turn/audio", { form });
    removePlaceholder();
    const bubble = learnerBubble(data.transcript ?? "", true);
    conversation.append(bubble);
    showTurn(data, bubble);
    if (config.mode === "guided_lesson") await followLesson(data);
    ok = true;
  } catch (error) {
    setBusy(false);
    showError(error, focusTarget);
  } finally {
    if (ok) {
      const note = limitReached ? format(t.recordingLimit, { seconds: config.maxSeconds }) : t.ready;
      setBusy(false, endedStatus() ?? note);
      if (!state.ended) recordButton.focus();
    }
  }
}

// --- Recording ----------------------------------------------------------------------

function setPressed(button, pressed) {
  button.setAttribute("aria-pressed", pressed ? "true" : "false");
  button.classList.toggle("is-recording", pressed);
  const label = button.querySelector(".record-label");
  const idle = button === recordButton ? t.record : t.recordDrill;
  if (label) label.textContent = pressed ? t.stop : idle;
}

function stopRecordingUi() {
  if (state.activeButton) setPressed(state.activeButton, false);
  state.activeButton = null;
  indicator.hidden = true;
  timer.textContent = formatTime(0);
  level.value = 0;
  updateControls();
}

async function toggleRecording(button) {
  if (state.micStarting) return;
  if (state.activeButton) {
    if (button === state.activeButton) await finishRecording({ limitReached: false });
    return;
  }
  if (state.busy || state.ended) return;
  clearErrors();
  const problem = recordingProblem();
  if (problem) {
    showMicProblem(problem);
    return;
  }
  if (!state.sessionId && !(await ensureSession())) return;
  state.micStarting = true;
  state.activeButton = button;
  updateControls();
  try {
    pauseAll();
    await recorder.start();
  } catch (error) {
    state.activeButton = null;
    updateControls();
    showMicProblem(error?.kind ?? "failed");
    return;
  } finally {
    state.micStarting = false;
  }
  micMessage.hidden = true;
  setPressed(button, true);
  indicator.hidden = false;
  setStatus(t.recording);
  button.focus();
}

async function finishRecording({ limitReached }) {
  const button = state.activeButton;
  if (!button || !recorder.recording) return;
  let recording;
  try {
    recording = await recorder.stop();
  } catch (error) {
    stopRecordingUi();
    setStatus("");
    showError(error?.kind === "empty" ? t.emptyRecording : t.micFailed, button);
    return;
  }
  stopRecordingUi();
  await sendRecording(recording, { limitReached, focusTarget: button.isConnected ? button : recordButton });
}

// --- Wiring -------------------------------------------------------------------------

function init() {
  root.classList.add("js-ready");
  // The page script has its own Replay buttons; native controls stay for no-JS use only.
  for (const audio of conversation.querySelectorAll("audio")) {
    audio.removeAttribute("controls");
    if (!playsOpus) audio.src = speechUrl(audio.getAttribute("src"));
  }

  recordButton.addEventListener("click", () => toggleRecording(recordButton));
  conversation.addEventListener("click", (event) => {
    const drillButton = event.target.closest(".drill-record");
    if (drillButton) {
      toggleRecording(drillButton);
      return;
    }
    const slow = event.target.closest(".replay-slow");
    if (slow) {
      playSlowly(slow);
      return;
    }
    const replay = event.target.closest(".replay");
    if (replay) {
      const audio = replay.closest(".bubble")?.querySelector("audio");
      if (audio) play(audio);
    }
  });
  conversation.addEventListener(
    "error",
    (event) => {
      if (event.target.tagName !== "AUDIO") return;
      const box = event.target.closest(".bubble-audio");
      const button = event.target.classList.contains("slow") ? ".replay-slow" : ".replay";
      const replay = box?.querySelector(button);
      if (replay) replay.disabled = true;
    },
    true,
  );
  textForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!state.busy && !state.ended) sendText(textArea.value);
  });
  textArea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      textForm.requestSubmit();
    }
  });
  endButton.addEventListener("click", endSession);
  window.addEventListener("pagehide", () => recorder.cancel());

  state.micUnavailable = recordingProblem();
  if (state.micUnavailable && !state.ended) showMicProblem(state.micUnavailable, { focus: false });
  updateControls();
  if (state.ended) return;
  if (config.sessionId) setStatus(t.ready);
  else if (config.autoStart) ensureSession();
}

init();
