// Log form: show the date field only for "Earlier" and the minutes field only for "Other".
(function () {
  "use strict";
  var form = document.querySelector(".log-form");
  if (!form) return;
  function sync() {
    var when = form.querySelector("input[name=when]:checked");
    var duration = form.querySelector("input[name=duration]:checked");
    form.querySelector(".when-earlier").hidden = !(when && when.value === "earlier");
    form.querySelector(".duration-custom").hidden = !(duration && duration.value === "custom");
  }
  form.addEventListener("change", sync);
  sync();

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
