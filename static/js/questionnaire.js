// The questionnaire's answer page: a fresh response id each time the page is shown (the Back button may show a
// copy whose id was already used), and the moment of the tap as the completion time, with the phone's UTC offset,
// so that answers kept in the offline queue and sent later keep the time they were given.
(() => {
  "use strict";
  const { isoLocal, uuid4 } = window.DiaryUtil;
  const form = document.querySelector("form[data-questionnaire]");
  if (!form) return;
  window.addEventListener("pageshow", () => {
    form.querySelector("input[name=id]").value = uuid4();
  });
  form.addEventListener("formdata", (event) => {
    event.formData.set("completed_at", isoLocal(new Date()));
  });
})();
