// Calls Macca's JSON API with the session cookie and the CSRF token; every
// failure becomes an ApiError whose message a learner can read.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

/** The first human-readable message in a DRF error body. */
export function errorMessage(body, fallback) {
  if (!body || typeof body !== "object") return fallback;
  if (typeof body.detail === "string") return body.detail;
  for (const value of Object.values(body)) {
    if (Array.isArray(value) && value.length) return String(value[0]);
    if (typeof value === "string") return value;
  }
  return fallback;
}

/**
 * api("/api/session/turn", {json: {...}}) or api(url, {form: formData}).
 * Resolves to the parsed JSON (or null for 204); rejects with ApiError.
 */
export async function api(url, { method, json, form, signal } = {}) {
  const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  let response;
  try {
    response = await fetch(url, {
      method: method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(document.documentElement.dataset.offlineMessage
      || "Macca could not be reached. Check your connection and try again.", 0);
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const template = document.documentElement.dataset.errorMessage
      || "Something went wrong (HTTP {status}). Please try again.";
    const fallback = template.replace("{status}", String(response.status));
    throw new ApiError(errorMessage(data, fallback), response.status);
  }
  return data;
}
