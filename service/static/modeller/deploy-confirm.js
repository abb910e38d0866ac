/*
 * The modeller's confirm step (issue #22: deploying is deliberate). Before a
 * deploy, the page shows what it changes against the current version
 * (elements added, removed and changed, with their form, role and property
 * changes) and asks why; only "Confirm and deploy" sends the deploy, with the
 * note and confirm: true. The server refuses a deploy without either.
 */
(function () {
  "use strict";

  var namespace = window.BoundaryModeller = window.BoundaryModeller || {};

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function ConfirmStep(panel) {
    this.panel = panel;
    this.changes = panel.querySelector("#deploy-confirm-changes");
    this.summary = panel.querySelector("#deploy-confirm-summary");
    this.note = panel.querySelector("#deploy-note");
    this.noteGroup = panel.querySelector("#deploy-note-group");
    this.noteError = panel.querySelector("#deploy-note-error");
    this.confirmButton = panel.querySelector("#deploy-confirm-button");
    this.cancelButton = panel.querySelector("#deploy-cancel-button");
  }

  ConfirmStep.prototype.render = function (answer) {
    var diff = answer.changes || {};
    this.summary.textContent = (answer.current ? "Against the current version (" + answer.current + "). " :
      "This is the first version. ") + (diff.summary || "");
    this.changes.textContent = "";
    var self = this;
    [["added", "Added"], ["removed", "Removed"], ["changed", "Changed"]].forEach(function (pair) {
      var items = diff[pair[0]] || [];
      if (!items.length) { return; }
      self.changes.appendChild(element("h3", "govuk-heading-s govuk-!-margin-bottom-1", pair[1] + " (" + items.length + ")"));
      var list = element("ul", "govuk-list govuk-list--bullet");
      list.setAttribute("data-changes", pair[0]);
      items.forEach(function (item) {
        var entry = element("li", "", item.label + (item.details && item.details.length ? ": " + item.details.join("; ") : ""));
        entry.setAttribute("data-element-id", item.element_id);
        list.appendChild(entry);
      });
      self.changes.appendChild(list);
    });
  };

  ConfirmStep.prototype.showNoteError = function (yes) {
    this.noteGroup.classList.toggle("govuk-form-group--error", yes);
    this.note.classList.toggle("govuk-input--error", yes);
    this.noteError.hidden = !yes;
    if (yes) { this.note.setAttribute("aria-describedby", "deploy-note-error"); } else { this.note.removeAttribute("aria-describedby"); }
  };

  /* Resolves with the note when confirmed, or null when cancelled. */
  ConfirmStep.prototype.ask = function (answer) {
    var self = this;
    this.render(answer);
    this.showNoteError(false);
    this.panel.hidden = false;
    this.panel.focus();
    return new Promise(function (resolve) {
      function done(value) {
        self.confirmButton.removeEventListener("click", confirm);
        self.cancelButton.removeEventListener("click", cancel);
        self.panel.hidden = true;
        resolve(value);
      }
      function confirm() {
        var note = self.note.value.trim();
        if (!note) {
          self.showNoteError(true);
          self.note.focus();
          return;
        }
        done(note);
      }
      function cancel() { done(null); }
      self.confirmButton.addEventListener("click", confirm);
      self.cancelButton.addEventListener("click", cancel);
    });
  };

  namespace.ConfirmStep = ConfirmStep;
}());
