// What several page scripts share, as window.DiaryUtil: the CSRF token, a time written with the phone's
// UTC offset, the words of a form's choices, a new entry's id, and a text's length as the server counts it.
// Loaded first (deferred scripts run in document order).
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

  // A random (version 4) UUID for a new entry: the server saves an id once, however often it is sent.
  const uuid4 = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  // How many characters a text has as the server counts them (Python's len: code points). A string's length counts
  // UTF-16 code units, two for "🦶" or any other character beyond the first 65,536, so 1,500 feet read as 3,000.
  const characters = (text) => Array.from(text).length;

  // Dates and times in the phone's habits: the 12- or 24-hour clock and the order of day and month come
  // from the browser's locale; the words stay English, as the rest of the page ("Wednesday 2 December" or
  // "Wednesday, December 2"; "14:05" or "2:05 PM"). `wall` is a wall-clock time without an offset
  // ("2026-12-02T14:05"), shown as it reads, whatever the phone's own zone.
  const FORMATS = {
    time: { hour: "numeric", minute: "2-digit" },
    day: { weekday: "long", day: "numeric", month: "long" },
    "day-year": { weekday: "long", day: "numeric", month: "long", year: "numeric" },
    "short-day": { weekday: "short", day: "numeric", month: "short" },
    moment: { weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit" },
    "day-time": { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" },
    // Of another year than today's (templatetags/moments.py, WITH_YEAR).
    "short-day-year": { weekday: "short", day: "numeric", month: "short", year: "numeric" },
    "moment-year": {
      weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "numeric", minute: "2-digit",
    },
    "day-time-year": {
      weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit",
    },
  };
  // The phone's habits (day before month or after, a 12- or 24-hour clock), read the first time a date is written:
  // a page with no date to write (Login, Log) makes no Intl formatter at all.
  let habits = null;
  const habitsOfPhone = () => {
    if (!habits) {
      const own = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "numeric", hour: "numeric" });
      const order = own.formatToParts(new Date(Date.UTC(2026, 11, 2, 14))).map((p) => p.type);
      habits = {
        words: order.indexOf("month") < order.indexOf("day") ? "en-US" : "en-GB",
        hourCycle: own.resolvedOptions().hourCycle || (own.resolvedOptions().hour12 ? "h12" : "h23"),
      };
    }
    return habits;
  };
  // A formatter costs far more to make than to use: one per kind, made when first needed (History writes dozens).
  const formatters = new Map();
  const formatterOf = (kind) => {
    if (!formatters.has(kind)) {
      const { words, hourCycle } = habitsOfPhone();
      const options = { ...FORMATS[kind], timeZone: "UTC", hourCycle };
      if (options.hour && hourCycle.startsWith("h2")) options.hour = "2-digit";  // "04:05", not "4:05"
      formatters.set(kind, new Intl.DateTimeFormat(words, options));
    }
    return formatters.get(kind);
  };
  const localDate = (wall, kind) => {
    const moment = new Date(`${wall.slice(0, 16)}:00Z`);
    if (Number.isNaN(moment.getTime()) || !Object.hasOwn(FORMATS, kind)) return null;
    return formatterOf(kind).format(moment);
  };

  window.DiaryUtil = { csrfToken, clockTime, isoLocal, labelOf, sentence, uuid4, localDate, characters };
})();
