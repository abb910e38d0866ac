/*
 * The form editor's live checks: JSON syntax at once in the browser, then the
 * server's parse and the preview as staff will see it. Saving still checks
 * everything on the server; this only shortens the loop.
 */
(function () {
  "use strict";

  var form = document.getElementById("form-editor");
  if (!form) { return; }
  var textarea = document.getElementById("schema");
  var syntax = document.getElementById("schema-syntax");
  var preview = document.getElementById("form-preview");
  var csrf = document.querySelector("meta[name='csrf-token']").getAttribute("content");
  var timer = null, asked = 0;

  function check() {
    var text = textarea.value;
    try {
      JSON.parse(text);
    } catch (error) {
      syntax.textContent = "Not valid JSON yet: " + error.message;
      return;
    }
    syntax.textContent = "";
    var mine = ++asked;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ schema: text })
    }).then(function (response) { return response.json(); }).then(function (answer) {
      if (mine !== asked) { return; }  // a newer edit is on its way
      if (answer.ok) {
        preview.innerHTML = answer.html;  // rendered by our own template, every value escaped
      } else {
        syntax.textContent = answer.message;
      }
    }).catch(function () { /* the preview waits for the next edit */ });
  }

  textarea.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
}());
