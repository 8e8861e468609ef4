// Log form: show the date field only for "Earlier" and the minutes field only for "Other"; keep the
// one-line summary next to Save and the alarm block's state line true; fix a relative start time
// ("just now", "5 min ago") to the moment of the tap.
(function () {
  "use strict";
  var form = document.querySelector(".log-form");
  if (!form) return;
  var summary = form.querySelector("[data-log-summary]");
  var alarmState = form.querySelector("[data-alarm-state]");

  function checked(name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name=" + name + "]:checked"));
  }
  function labelOf(input) {
    var label = input.closest("label");
    return label ? label.textContent.trim() : input.value;
  }
  function sentence(labels) {
    return labels.map(function (label, i) { return i ? label.toLowerCase() : label; }).join(", ");
  }

  var scale = form.querySelectorAll("input[name=severity]");
  var severityMax = scale.length ? scale[scale.length - 1].value : "";

  function sync() {
    var when = checked("when")[0];
    var duration = checked("duration")[0];
    form.querySelector(".when-earlier").hidden = !(when && when.value === "earlier");
    form.querySelector(".duration-custom").hidden = !(duration && duration.value === "custom");

    if (summary) {
      var places = checked("locations").map(labelOf);
      var severity = checked("severity")[0];
      var parts = [];
      parts.push(places.length ? (places.length > 2 ? sentence(places.slice(0, 2)) + " +" + (places.length - 2) : sentence(places)) : "Where?");
      parts.push(severity ? severity.value + "/" + severityMax : "How bad?");
      if (duration) parts.push(duration.value === "custom" ? "other" : labelOf(duration).toLowerCase());
      if (when && when.value !== "now") parts.push(labelOf(when).toLowerCase());
      summary.textContent = parts.join(" · ");
    }
    if (alarmState) {
      var alarms = checked("alarm_symptoms").map(labelOf);
      alarmState.textContent = alarms.length ? "Ticked: " + sentence(alarms) : "None ticked: tap to check the list";
      alarmState.classList.toggle("ticked", alarms.length > 0);
    }
  }
  form.addEventListener("change", sync);
  sync();

  // "Just now" and "5 min ago" count back from the tap on Save, not from whenever a queued entry
  // reaches the server: every way of reading the form (the offline queue's FormData, a plain post)
  // sends the start as a date and time with the phone's UTC offset.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoLocal(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }
  form.addEventListener("formdata", function (event) {
    var data = event.formData, when = data.get("when");
    if (when !== "now" && !/^[0-9]+$/.test(when || "")) return;
    var minutes = when === "now" ? 0 : parseInt(when, 10);
    data.set("when", "earlier");
    data.set("started_at", isoLocal(new Date(Date.now() - minutes * 60000)));
  });

  // A new-episode form gets a fresh id each time it is shown: the Back button can show a copy of
  // the page whose id was already used, and the next episode would replace the last. Within one
  // showing the id stays, so a double tap saves once.
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  if (form.hasAttribute("data-new-episode")) {
    window.addEventListener("pageshow", function () {
      form.querySelector("input[name=id]").value = uuid4();
    });
  }
})();
