// Time zone: sign-up takes the device's zone; Settings offers it when it differs.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var hidden = document.querySelector("input[type=hidden][name=timezone]");
  if (hidden && !hidden.value) hidden.value = zone;
  var select = document.querySelector("select[name=timezone]");
  var hint = document.getElementById("timezone-suggestion");
  if (select && hint && select.value !== zone && select.querySelector('option[value="' + zone + '"]')) {
    hint.querySelector("[data-zone]").textContent = zone;
    hint.hidden = false;
    hint.querySelector("[data-use-zone]").addEventListener("click", function () {
      select.value = zone;
      hint.hidden = true;
    });
  }
})();
