// Time zone: sign-up proposes the device's zone and the usual emergency number there;
// Settings offers the device's zone when it differs from the saved one.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = null; }
  var select = document.querySelector("select[name=timezone]");
  if (!select) return;
  function known(name) { return name && select.querySelector('option[value="' + name + '"]'); }

  var signup = document.querySelector("form[data-propose-zone]");
  var number = document.querySelector("input[name=emergency_number][data-numbers]");
  if (number) {
    var table = JSON.parse(number.getAttribute("data-numbers"));
    var typed = number.value !== "";
    var usual = function (name) {
      for (var i = 0; i < table.rules.length; i++) {
        var rule = table.rules[i][0];
        if (name === rule || (rule.slice(-1) === "/" && name.indexOf(rule) === 0)) return table.rules[i][1];
      }
      return table["default"];
    };
    var propose = function () { if (!typed) number.value = usual(select.value); };
    number.addEventListener("input", function () { typed = number.value !== ""; });
    select.addEventListener("change", propose);
    if (signup && known(zone)) select.value = zone;
    propose();
    return;
  }

  var hint = document.getElementById("timezone-suggestion");
  if (hint && known(zone) && select.value !== zone) {
    hint.querySelector("[data-zone]").textContent = zone;
    hint.hidden = false;
    hint.querySelector("[data-use-zone]").addEventListener("click", function () {
      select.value = zone;
      hint.hidden = true;
    });
  }
})();
