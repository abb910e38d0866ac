/*
 * Moving cases with progress: each chosen case is posted on its own (one
 * transaction on the server each), its row shows the outcome as it comes,
 * and a summary of moved and refused cases ends the run. Without this script
 * the form posts everything at once and the server shows the same summary.
 */
(function () {
  "use strict";

  var form = document.getElementById("migrate-form");
  if (!form) { return; }
  var csrf = document.querySelector("meta[name='csrf-token']").getAttribute("content");
  var progress = document.getElementById("migrate-progress");
  var bar = document.getElementById("migrate-progress-bar");
  var text = document.getElementById("migrate-progress-text");
  var summary = document.getElementById("migrate-summary");

  form.addEventListener("submit", function (event) {
    var scope = event.submitter && event.submitter.value;
    var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-movable='true']"));
    var ids = rows.filter(function (row) {
      return scope === "all" || row.querySelector("input[name='case_id']").checked;
    }).map(function (row) { return row.getAttribute("data-case-id"); });
    if (!ids.length) { return; }  // the server explains that nothing was selected
    event.preventDefault();
    run(ids);
  });

  function run(ids) {
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    progress.hidden = false;
    bar.max = ids.length;
    var moved = [], refused = [];
    var chain = Promise.resolve();
    ids.forEach(function (id, index) {
      chain = chain.then(function () {
        text.textContent = "Moving case " + id + " (" + (index + 1) + " of " + ids.length + ")…";
        return moveOne(id);
      }).then(function (result) {
        (result.moved ? moved : refused).push(result);
        mark(result);
        bar.value = index + 1;
        text.textContent = (index + 1) + " of " + ids.length + " done: " + moved.length + " moved, " +
          refused.length + " refused.";
      });
    });
    chain.then(function () { showSummary(moved, refused); });
  }

  function moveOne(id) {
    return fetch(form.getAttribute("data-migrate-case-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ version_id: Number(form.getAttribute("data-version-id")), case_id: Number(id) })
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) { return data; }
        return { case_id: Number(id), moved: false, reasons: [data.message || "The server refused the move."] };
      });
    }).catch(function (error) {
      return { case_id: Number(id), moved: false, reasons: ["The server could not be reached: " + error.message] };
    });
  }

  function mark(result) {
    var cell = form.querySelector("tr[data-case-id='" + result.case_id + "'] [data-result]");
    if (!cell) { return; }
    cell.textContent = "";
    var tag = document.createElement("strong");
    tag.className = "govuk-tag " + (result.moved ? "govuk-tag--blue" : "govuk-tag--red");
    tag.textContent = result.moved ? "Moved" : "Refused";
    cell.appendChild(tag);
    if (!result.moved) {
      var reasons = document.createElement("p");
      reasons.className = "govuk-body-s";
      reasons.textContent = (result.reasons || []).join(" ");
      cell.appendChild(reasons);
    }
  }

  function showSummary(moved, refused) {
    summary.textContent = "";
    var panel = element("div", refused.length ? "govuk-panel boundary-panel--mixed" : "govuk-panel govuk-panel--confirmation");
    panel.id = "summary-panel";
    panel.appendChild(element("h2", "govuk-panel__title", moved.length + " moved, " + refused.length + " refused"));
    summary.appendChild(panel);
    list("Moved", "moved-list", moved, function (r) { return "Case " + r.case_id + ": " + r.from_version + " to " + r.to_version; });
    list("Refused (nothing changed)", "refused-list", refused, function (r) { return "Case " + r.case_id + ": " + (r.reasons || []).join(" "); });
    summary.appendChild(element("p", "govuk-body", "Each move and each refusal is in the case's audit record."));
    summary.hidden = false;
    summary.focus();
  }

  function list(title, id, results, describe) {
    if (!results.length) { return; }
    summary.appendChild(element("h3", "govuk-heading-m", title));
    var ul = element("ul", "govuk-list govuk-list--bullet");
    ul.id = id;
    results.forEach(function (r) {
      var li = element("li", null, describe(r));
      li.setAttribute("data-case-id", r.case_id);
      ul.appendChild(li);
    });
    summary.appendChild(ul);
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }
}());
