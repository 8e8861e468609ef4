// What several page scripts share, as window.DiaryUtil: the CSRF token, a time written with the phone's
// UTC offset, the words of a form's choices, and a fresh id for an entry. Loaded first (deferred scripts run in document order).
(() => {
  "use strict";

  // Django's CSRF cookie, for the X-CSRFToken header of a request the page makes itself.
  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  const pad = (n) => String(n).padStart(2, "0");

  // "14:05" on the phone's clock.
  const clockTime = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

  // "2025-03-14T14:05:09+01:00": ISO 8601 in the phone's time with its offset, so the server gets the
  // moment and the local date the patient saw.
  const isoLocal = (d) => {
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const hours = pad(Math.floor(Math.abs(offset) / 60));
    const minutes = pad(Math.abs(offset) % 60);
    const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    return `${date}T${clockTime(d)}:${pad(d.getSeconds())}${sign}${hours}:${minutes}`;
  };

  // What the patient reads for a checkbox or radio button: its label, else its value.
  const labelOf = (input) => {
    const label = input.closest("label");
    return label ? label.textContent.trim() : input.value;
  };

  // ["Left toes", "Left sole"] → "Left toes, left sole".
  const sentence = (labels) => labels.map((label, i) => (i ? label.toLowerCase() : label)).join(", ");

  // A random (version 4) UUID: the id of a new entry, made on the phone so that a retry replaces it.
  const uuid4 = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  window.DiaryUtil = { csrfToken, clockTime, isoLocal, labelOf, sentence, uuid4 };
})();
