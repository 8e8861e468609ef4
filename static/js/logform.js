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
})();
