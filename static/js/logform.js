// Log form: show the date field only for "Earlier" and the minutes field only for "Other"; keep the
// summary next to Save and the alarm block's state line true; keep "None of these" and the alarm
// questions apart; ask once, in the Save bar, about a place alarming by itself (the saddle) when it is the
// entry's only alarming thing; stamp the moment of the tap on Save, from which "just now" and "5 min ago"
// count back; count the notes against their limit.
(() => {
  "use strict";
  const { characters, isoLocal, labelOf, localDate, sentence, uuid4 } = window.DiaryUtil;
  // A chip's words: the text after its input in the label, `<label class="chip"><input …>Just now (14:05)</label>`.
  const wording = (input) => {
    const label = input.closest("label");
    const text = label && label.lastChild;
    return text && text.nodeType === Node.TEXT_NODE ? text : null;
  };
  const form = document.querySelector(".log-form");
  if (!form) return;
  const summary = form.querySelector("[data-log-summary]");
  const alarmState = form.querySelector("[data-alarm-state]");
  const none = form.querySelector("input[name=alarm_none]");
  const regionCheck = form.querySelector("[data-region-check]");
  const confirmed = form.querySelector("input[name=region_confirmed]");
  const save = form.querySelector(".log-save");

  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)];

  const scale = form.querySelectorAll("input[name=severity]");
  const severityMax = scale.length ? scale[scale.length - 1].value : "";

  // Two places by name, then how many more: "Left toes, left sole +2".
  const placesText = (places) =>
    places.length > 2 ? `${sentence(places.slice(0, 2))} +${places.length - 2}` : sentence(places);

  // The summary's words for the duration: "7 min" for a number typed under "Other", as the chips say it.
  const durationText = (duration) => {
    if (duration.value !== "custom") return labelOf(duration).toLowerCase();
    const minutes = form.querySelector("input[name=duration_custom]");
    const n = minutes ? parseInt(minutes.value, 10) : NaN;
    return Number.isInteger(n) && n >= 0 ? `${n} min` : "how many minutes?";
  };

  const sync = () => {
    const [when] = checked("when");
    const [duration] = checked("duration");
    form.querySelector(".when-earlier").hidden = !(when && when.value === "earlier");
    form.querySelector(".duration-custom").hidden = !(duration && duration.value === "custom");

    if (summary) {
      const places = checked("locations").map(labelOf);
      const [severity] = checked("severity");
      // The short answers first, each whole, and the places last, on one line that ends in an ellipsis when it is
      // too long (.log-summary .places): a long place ("Between the legs / around the bottom (right side)") is
      // what is cut, never "How long?", at any text size (the places are also under the map).
      const answers = [
        severity ? `${severity.value}/${severityMax}` : "How bad?",
        duration ? durationText(duration) : "How long?",
      ];
      // "5 min ago (4:47 PM)": the words in lower case, the time as the choice says it.
      if (when && when.value !== "now") answers.push(labelOf(when).replace(/^[^(]*/, (words) => words.toLowerCase()));
      const piece = (kind, text) => {
        const span = document.createElement("span");
        span.className = kind;
        span.textContent = text;
        return span;
      };
      summary.textContent = "";
      summary.classList.add("pieces");  // no longer the page's one sentence, clamped to two lines (app.css)
      for (const answer of answers) summary.append(piece("answer", `${answer} ·`), " ");
      summary.append(piece("places", places.length ? placesText(places) : "Where?"));
    }
    if (alarmState) {
      const alarms = checked("alarm_symptoms").map(labelOf);
      let state = "None ticked: tap to check the list";
      if (alarms.length) state = `Ticked: ${sentence(alarms)}`;
      else if (none && none.checked) state = "None of these";
      alarmState.textContent = state;
      alarmState.classList.toggle("ticked", alarms.length > 0);
    }
    if (regionCheck && !regionCheck.hidden && !alarmingPlaces().length) ask(false);
  };

  // The places alarming by themselves (data-regions, from the vocabulary), ticked with no alarm symptom and
  // not confirmed yet: what the Save bar asks about.
  const alarmRegions = regionCheck ? regionCheck.dataset.regions.split(" ") : [];
  const alarmingPlaces = () => {
    if (!regionCheck || confirmed.value === "True" || checked("alarm_symptoms").length) return [];
    return checked("locations").filter((box) => alarmRegions.includes(box.value.split(":")[1]));
  };
  const ask = (show) => {
    regionCheck.hidden = !show;
    if (save) save.hidden = show;
    if (show) regionCheck.querySelector("p").focus();
  };

  form.addEventListener("change", (event) => {
    // "None of these" and the alarm questions exclude each other.
    const target = event.target;
    if (target.name === "alarm_symptoms" && target.checked && none) none.checked = false;
    if (target.name === "alarm_none" && target.checked) {
      for (const box of checked("alarm_symptoms")) box.checked = false;
    }
    sync();
  });
  form.addEventListener("input", (event) => {
    if (event.target.name === "duration_custom") sync();
  });
  form.addEventListener("reset", () => setTimeout(sync, 0));

  // "Just now" and "5 min ago" count back from the tap on Save, not from whenever a queued entry
  // reaches the server: every way of reading the form (the offline queue's FormData, a plain post)
  // carries that moment with the phone's UTC offset. A form the server sent back with an error keeps
  // the first tap's moment (and says it: "Just now (14:05)").
  const tapped = form.querySelector("input[name=tapped_at]");
  form.addEventListener("formdata", (event) => {
    if (event.formData.get("tapped_at")) return;
    const now = isoLocal(new Date());
    event.formData.set("tapped_at", now);
    if (tapped) tapped.value = now;  // every later reading of this form (a retry, a plain post) means the same tap
  });
  // "Just now (14:05)" in the phone's habits ("2:05 PM"): the phone's clock at the kept tap, minus the minutes
  // of real time (on the night the clocks go back, an hour before 01:10 GMT is 01:10 BST).
  // When the choices straddle a change of the clocks, each says its zone ("01:10 BST", "01:10 GMT"), as the server's do.
  // Before the first sync(): the Save bar's summary says the chosen choice's words, in the same habits.
  if (tapped && tapped.value) {
    const moment = new Date(tapped.value);
    const choices = [];
    for (const input of form.querySelectorAll("input[name=when]")) {
      const ago = input.value === "now" ? 0 : parseInt(input.value, 10);
      const text = wording(input);
      if (Number.isNaN(ago) || Number.isNaN(moment.getTime()) || !text) continue;
      choices.push({ text, at: new Date(moment.getTime() - ago * 60000) });
    }
    const zoned = new Set(choices.map(({ at }) => at.getTimezoneOffset())).size > 1;
    const zone = (at) => new Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(at)
      .find((part) => part.type === "timeZoneName").value;
    for (const { text, at } of choices) {
      const time = localDate(isoLocal(at), "time") + (zoned ? ` ${zone(at)}` : "");
      text.textContent = text.textContent.replace(/\([^)]*\)$/, `(${time})`);
    }
  }

  sync();

  // Before anything sends the entry (offline.js queues it on "submit"): capture runs first on the form itself.
  if (regionCheck) {
    form.addEventListener("submit", (event) => {
      const answer = event.submitter && event.submitter.name === "region_answer" ? event.submitter.value : "";
      if (answer === "yes") {
        confirmed.value = "True";  // asked once: sent with the entry, and not asked again on this page
        ask(false);
        return;
      }
      const places = alarmingPlaces();
      if (answer !== "no" && !places.length) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (answer !== "no") {
        ask(true);
        return;
      }
      for (const box of places) {
        box.checked = false;
        box.dispatchEvent(new Event("change", { bubbles: true }));  // the leg map and the summary follow
      }
      ask(false);
      if (summary) summary.textContent = `Removed: ${regionCheck.dataset.words}. Mark where it was, then Save.`;
    }, true);
  }

  // The notes: how many characters of the limit, and a plain message once over it (nothing is cut).
  const notes = form.querySelector("textarea[data-max-length]");
  const count = form.querySelector("[data-notes-count]");
  const alert = form.querySelector("[data-notes-alert]");
  if (notes && count) {
    const limit = parseInt(notes.dataset.maxLength, 10);
    const number = (n) => n.toLocaleString();
    let state = "";
    const countNotes = () => {
      const n = characters(notes.value);
      const over = n - limit;
      const now = over > 0 ? "over" : n >= limit * 0.9 ? "near" : "";
      count.textContent = over > 0
        ? `${number(n)} of ${number(limit)} characters: ${number(over)} too many. Shorten the notes to save them.`
        : `${number(n)} of ${number(limit)} characters.`;
      count.classList.toggle("error", over > 0);
      if (over > 0) notes.setAttribute("aria-invalid", "true"); else notes.removeAttribute("aria-invalid");
      if (alert && now !== state) {  // said once on reaching the limit, not at every key
        alert.textContent = now === "over" ? count.textContent : now === "near" ? `${number(limit - n)} characters left.` : "";
      }
      state = now;
    };
    notes.addEventListener("input", countNotes);
    form.addEventListener("reset", () => setTimeout(countNotes, 0));
    if (notes.value) countNotes();
  }

  // Focus in view (WCAG 2.2, 2.4.11): the page's scroll-padding keeps a focused field clear of the Save bar and
  // the tab bar, but a browser brings only the caret of a text box into view, which can leave the box's lower
  // part under the bars: then the page moves up by what is hidden, after the browser's own scrolling.
  const bars = [form.querySelector(".log-bar"), document.querySelector("nav.tabs")].filter(Boolean);
  form.addEventListener("focusin", (event) => {
    const field = event.target.closest("label.chip") || event.target;
    requestAnimationFrame(() => {
      const tops = bars.filter((bar) => !bar.contains(field)).map((bar) => bar.getBoundingClientRect().top);
      const box = field.getBoundingClientRect();
      const hidden = box.bottom - Math.min(...tops, window.innerHeight);
      if (hidden > 0) window.scrollBy(0, Math.min(hidden + 8, Math.max(box.top - 8, 0)));
    });
  });

  // A new-episode form gets a fresh id each time it is shown: the Back button can show a copy of
  // the page whose id was already used, and the next episode would replace the last. Within one
  // showing the id stays, so a double tap saves once.
  if (form.hasAttribute("data-new-episode")) {
    window.addEventListener("pageshow", () => {
      form.querySelector("input[name=id]").value = uuid4();
    });
  }
  // After an offline save the form starts again (offline.js resets it): a new id for the next entry, and
  // the next tap's moment, not the last one's (the choices drop the time they said).
  form.addEventListener("reset", () => setTimeout(() => {
    if (form.hasAttribute("data-new-episode")) form.querySelector("input[name=id]").value = uuid4();
    if (tapped) tapped.value = "";
    if (confirmed) confirmed.value = "False";  // the next entry's saddle is asked about afresh
    for (const input of form.querySelectorAll("input[name=when]")) {
      const text = wording(input);
      if (text) text.textContent = text.textContent.replace(/ \([^)]*\)$/, "");
    }
  }, 0));
})();
