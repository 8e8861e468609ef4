// Time zone: the phone's own zone heads the list ("This phone"); sign-up chooses it and proposes the
// usual emergency number there; Settings offers it when it differs from the saved one. A phone may name
// its zone the old way ("Asia/Calcutta"), which the curated list leaves out: it is offered all the same
// (the server accepts every zone the tz database knows).
(() => {
  "use strict";
  let zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = null; }
  const select = document.querySelector("select[name=timezone]");
  if (!select) return;

  if (zone) {
    const listed = [...select.options].find((option) => option.value === zone);
    const group = document.createElement("optgroup");
    group.label = "This phone";
    const option = document.createElement("option");
    option.value = zone;
    option.textContent = listed ? listed.textContent : zone.replace(/_/g, " ");
    group.appendChild(option);
    const selected = select.value;
    select.insertBefore(group, select.firstChild);
    select.value = selected;  // the saved zone stays chosen until the patient changes it
  }
  const known = (name) => name && select.querySelector(`option[value="${name}"]`);

  const signup = document.querySelector("form[data-propose-zone]");
  const number = document.querySelector("input[name=emergency_number][data-numbers]");
  if (number) {
    const table = JSON.parse(number.getAttribute("data-numbers"));
    let typed = number.value !== "";
    // A rule is a zone ("Europe/London") or a region ending in "/" ("America/").
    const usual = (name) => {
      for (const [rule, usualNumber] of table.rules) {
        if (name === rule || (rule.endsWith("/") && name.startsWith(rule))) return usualNumber;
      }
      return table.default;
    };
    const propose = () => { if (!typed) number.value = usual(select.value); };
    number.addEventListener("input", () => { typed = number.value !== ""; });
    select.addEventListener("change", propose);
    if (signup && known(zone)) select.value = zone;
    propose();
    return;
  }

  const hint = document.getElementById("timezone-suggestion");
  if (hint && known(zone) && select.value !== zone) {
    hint.querySelector("[data-zone]").textContent = known(zone).textContent;  // as the list names it: "Berlin, Germany"
    hint.hidden = false;
    hint.querySelector("[data-use-zone]").addEventListener("click", () => {
      select.value = zone;
      hint.hidden = true;
    });
  }
})();
