// Every <time data-format> of the page (templatetags/moments.py writes them, in a neutral form: "14:05",
// "Wednesday 2 December") is rewritten in the phone's habits: "2:05 PM" on a phone set to the US.
(() => {
  "use strict";
  const { localDate } = window.DiaryUtil;
  for (const element of document.querySelectorAll("time[data-format][datetime]")) {
    const text = localDate(element.getAttribute("datetime"), element.dataset.format);
    if (text) element.textContent = text;
  }
})();
