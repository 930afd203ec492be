// Flashcard review: loads due words from the FSRS endpoints, shows one word at
// a time, reveals its translation and example, and sends the learner's rating.
import { api } from "./api.js";

const RATINGS = ["again", "hard", "good", "easy"];

const strings = JSON.parse(document.getElementById("review-strings").textContent);
const root = document.getElementById("review");
const card = root.querySelector(".flashcard");
const word = card.querySelector(".flashcard-word");
const reveal = document.getElementById("reveal");
const answer = document.getElementById("flashcard-answer");
const translation = answer.querySelector(".flashcard-translation");
const example = answer.querySelector(".flashcard-example");
const left = document.getElementById("review-left");
const ratingButtons = root.querySelectorAll("button[data-rating]");
const statusLine = document.getElementById("review-status");
const errorBox = document.getElementById("review-error");
const done = document.getElementById("review-done");

let queue = [];
let shownAt = 0;
let busy = false;

answer.tabIndex = -1;

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (match, name) => values[name] ?? match);
}

function setControls(enabled) {
  reveal.disabled = !enabled;
  for (const button of ratingButtons) button.disabled = !enabled;
}

function showError(message, retry) {
  errorBox.replaceChildren(message);
  if (retry) {
    const again = document.createElement("button");
    again.type = "button";
    again.className = "button button-small button-secondary";
    again.textContent = strings.retry;
    again.addEventListener("click", () => {
      errorBox.hidden = true;
      retry();
    });
    errorBox.append(" ", again);
  }
  errorBox.hidden = false;
}

function finish({ focus }) {
  card.hidden = true;
  done.hidden = false;
  if (focus) done.querySelector("h2")?.focus();
}

function showCard(item, { focus }) {
  shownAt = Date.now();
  card.hidden = false;
  done.hidden = true;
  word.textContent = item.word;
  translation.textContent = item.translation || strings.noTranslation;
  example.textContent = item.example ? `“${item.example}”` : strings.noExample;
  answer.hidden = true;
  reveal.hidden = false;
  reveal.setAttribute("aria-expanded", "false");
  left.textContent = format(strings.left, { count: queue.length });
  setControls(true);
  if (focus) reveal.focus();
}

async function load({ focus = false } = {}) {
  busy = true;
  setControls(false);
  try {
    const data = await api(root.dataset.nextUrl, { method: "POST" });
    queue = data?.items ?? [];
    if (statusLine.textContent === strings.loading) statusLine.textContent = "";
    if (queue.length) showCard(queue[0], { focus });
    else finish({ focus });
  } catch (error) {
    statusLine.textContent = "";
    showError(error.message, () => load({ focus: true }));
  } finally {
    busy = false;
  }
}

function showAnswer() {
  if (!queue.length || busy) return;
  answer.hidden = false;
  reveal.setAttribute("aria-expanded", "true");
  reveal.hidden = true;
  answer.focus();
}

async function rate(rating) {
  const item = queue[0];
  if (!item || busy) return;
  busy = true;
  setControls(false);
  errorBox.hidden = true;
  try {
    const result = await api(root.dataset.answerUrl, {
      json: {
        vocabulary_id: item.id,
        rating,
        duration_ms: Math.min(Date.now() - shownAt, 3_600_000),
      },
    });
    statusLine.textContent = `${strings[rating]}: ${item.word}. ${result?.message ?? strings.saved}`;
    queue.shift();
    busy = false;
    if (queue.length) showCard(queue[0], { focus: true });
    else await load({ focus: true }); // the next round: words that became due meanwhile
  } catch (error) {
    showError(error.message);
    setControls(true);
  } finally {
    busy = false;
  }
}

reveal.addEventListener("click", showAnswer);
for (const button of ratingButtons) {
  button.addEventListener("click", () => rate(button.dataset.rating));
}

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || card.hidden) return;
  if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
  const index = ["1", "2", "3", "4"].indexOf(event.key);
  if (index >= 0 && !ratingButtons[0].disabled) {
    event.preventDefault();
    rate(RATINGS[index]);
  }
});

load();
