// The Report page's new share link, shown only once: a Copy button where the page may write to the clipboard and, on a
// phone that has one, the system's Share sheet, to send it by message or email. Without them (or without script) the
// link is still in its box, selected whole on a tap, to copy by hand.
(() => {
  "use strict";
  const input = document.getElementById("new-share-url");
  if (!input) return;
  const status = document.querySelector("[data-share-status]");
  const say = (text) => {
    if (status) status.textContent = text;
  };
  input.addEventListener("focus", () => input.select());
  const copy = document.querySelector("[data-copy-link]");
  if (copy && window.isSecureContext && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(input.value).then(
        () => say("Link copied: paste it into a message or an email to your doctor."),
        () => {
          input.focus();
          say("The phone did not let the page copy it: the link is selected, to copy it yourself.");
        },
      );
    });
  }
  const share = document.querySelector("[data-share-link]");
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", () => {
      navigator.share({ title: "My numbness diary", url: input.value }).catch(() => {});  // closed: nothing to say
    });
  }
})();
