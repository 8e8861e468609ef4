// Log form: show the date field only for "Earlier" and the minutes field only for "Other"; keep the
// one-line summary next to Save and the alarm block's state line true; fix a relative start time
// ("just now", "5 min ago") to the moment of the tap.
(() => {
  "use strict";
  const { isoLocal, labelOf, sentence, uuid4 } = window.DiaryUtil;
  const form = document.querySelector(".log-form");
  if (!form) return;
  const summary = form.querySelector("[data-log-summary]");
  const alarmState = form.querySelector("[data-alarm-state]");

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
      alarmState.textContent = alarms.length ? `Ticked: ${sentence(alarms)}` : "None ticked: tap to check the list";
      alarmState.classList.toggle("ticked", alarms.length > 0);
    }
  };
  form.addEventListener("change", sync);
  sync();

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
