// Log form: show the date field only for "Earlier" and the minutes field only for "Other"; keep the
// one-line summary next to Save and the alarm block's state line true; keep "None of these" and the alarm
// questions apart; ask once, in the Save bar, about a place alarming by itself (the saddle) when it is the
// entry's only alarming thing; fix a relative start time ("just now", "5 min ago") to the moment of the tap.
(() => {
  "use strict";
  const { isoLocal, labelOf, sentence, uuid4 } = window.DiaryUtil;
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

  const sync = () => {
    const [when] = checked("when");
    const [duration] = checked("duration");
    form.querySelector(".when-earlier").hidden = !(when && when.value === "earlier");
    form.querySelector(".duration-custom").hidden = !(duration && duration.value === "custom");

    if (summary) {
      const places = checked("locations").map(labelOf);
      const [severity] = checked("severity");
      const parts = [
        places.length ? placesText(places) : "Where?",
        severity ? `${severity.value}/${severityMax}` : "How bad?",
      ];
      if (duration) parts.push(duration.value === "custom" ? "other" : labelOf(duration).toLowerCase());
      if (when && when.value !== "now") parts.push(labelOf(when).toLowerCase());
      summary.textContent = parts.join(" · ");
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

  // "Just now" and "5 min ago" count back from the tap on Save, not from whenever a queued entry
  // reaches the server: every way of reading the form (the offline queue's FormData, a plain post)
  // sends the start as a date and time with the phone's UTC offset.
  form.addEventListener("formdata", (event) => {
    const data = event.formData;
    const when = data.get("when");
    if (when !== "now" && !/^[0-9]+$/.test(when || "")) return;
    const minutes = when === "now" ? 0 : parseInt(when, 10);
    data.set("when", "earlier");
    data.set("started_at", isoLocal(new Date(Date.now() - minutes * 60000)));
  });

  // A new-episode form gets a fresh id each time it is shown: the Back button can show a copy of
  // the page whose id was already used, and the next episode would replace the last. Within one
  // showing the id stays, so a double tap saves once.
  if (form.hasAttribute("data-new-episode")) {
    window.addEventListener("pageshow", () => {
      form.querySelector("input[name=id]").value = uuid4();
    });
  }
})();
