/*
 * The modeller beside the diagram: each call activity links to the diagram of the process it
 * calls (its current version, in a new tab so the diagram being edited stays open), on the
 * canvas and in a list under it; and "Start a new diagram" opens a minimal diagram that
 * passes the checks (a start and an end in a role's lane), deployed like any other.
 */
(function () {
  "use strict";

  var modeller = window.BoundaryModeller;
  var list = document.getElementById("called-processes");
  if (!modeller || !modeller.modeler || !list) { return; }
  var modeler = modeller.modeler;
  var urls = JSON.parse(document.getElementById("called-process-urls").textContent);
  var block = document.getElementById("called-processes-block");

  function link(url, text, hidden) {
    var a = document.createElement("a");
    a.className = "govuk-link";
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = text;
    var tail = document.createElement("span");
    tail.className = "govuk-visually-hidden";
    tail.textContent = hidden;
    a.appendChild(tail);
    return a;
  }

  function refresh() {
    var overlays = modeler.get("overlays");
    overlays.remove({ type: "boundary-call" });
    list.textContent = "";
    var calls = modeler.get("elementRegistry").filter(function (e) { return e.type === "bpmn:CallActivity"; });
    calls.forEach(function (element) {
      var called = element.businessObject.calledElement || "";
      var title = element.businessObject.name || element.id;
      var item = document.createElement("li");
      item.setAttribute("data-call", element.id);
      if (urls[called]) {
        item.appendChild(link(urls[called], title + ": open " + called.replace(/_/g, " "), " (opens in a new tab)"));
        var badge = link(urls[called], "Open", " " + called.replace(/_/g, " ") + " (opens in a new tab)");
        badge.className = "govuk-link boundary-call-link";
        overlays.add(element.id, "boundary-call", { position: { bottom: 14, right: 40 }, html: badge });
      } else {
        item.textContent = title + " calls " + (called || "no process yet") +
          ", which is not deployed: deploy it first, or choose a process that is.";
      }
      list.appendChild(item);
    });
    block.hidden = calls.length === 0;
  }

  modeler.on("import.done", refresh);
  modeler.on("commandStack.changed", refresh);

  var start = document.getElementById("new-diagram-button");
  start.addEventListener("click", function () {
    if (modeler.get("commandStack").canUndo() &&
        !window.confirm("Start a new diagram? Changes to this one that you have not deployed or downloaded are lost.")) {
      return;
    }
    fetch(start.getAttribute("data-starter-url"), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (xml) { return modeller.open(xml, "new_process.bpmn"); })
      .then(function () {
        document.getElementById("modeller-status").textContent = "Showing a new diagram: select the pool to give " +
          "its process an id and a name, add tasks in roles' lanes, then check and deploy it as a new process.";
      });
  });
}());
