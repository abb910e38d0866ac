/*
 * Problems from the server's check, pinned to their elements: a red marker on
 * the shape, an overlay with the text in plain English, and a GOV.UK error
 * summary whose links take the owner to each element. Text goes in with
 * textContent only: messages quote names typed into the diagram.
 */
(function () {
  "use strict";

  var MARKER = "boundary-problem";

  function Problems(modeler, summary) {
    this.modeler = modeler;
    this.summary = summary;
    this.marked = [];
  }

  Problems.prototype.clear = function () {
    var canvas = this.modeler.get("canvas");
    this.marked.forEach(function (id) { try { canvas.removeMarker(id, MARKER); } catch (e) { /* gone */ } });
    this.marked = [];
    this.modeler.get("overlays").remove({ type: MARKER });
    this.summary.hidden = true;
    this.summary.textContent = "";
  };

  /* The shape that shows an element: itself, or the pool of a process, the
   * reference of a data store, the event or task using a message. */
  Problems.prototype.shapeFor = function (elementId) {
    if (!elementId) { return null; }
    var registry = this.modeler.get("elementRegistry");
    var canvas = this.modeler.get("canvas");
    var element = registry.get(elementId);
    var roots = canvas.getRootElements ? canvas.getRootElements() : [canvas.getRootElement()];
    if (element && roots.indexOf(element) === -1) { return element; }
    var refs = ["processRef", "dataStoreRef", "messageRef"];
    return registry.filter(function (shape) {
      var bo = shape.businessObject || {};
      var definitions = bo.eventDefinitions || [];
      return refs.some(function (ref) { return bo[ref] && bo[ref].id === elementId; })
        || definitions.some(function (d) { return d.messageRef && d.messageRef.id === elementId; });
    })[0] || null;
  };

  Problems.prototype.show = function (problems, heading) {
    this.clear();
    var self = this;
    var canvas = this.modeler.get("canvas");
    var overlays = this.modeler.get("overlays");
    var items = problems.map(function (problem) {
      var shape = self.shapeFor(problem.element_id);
      if (shape) {
        if (self.marked.indexOf(shape.id) === -1) {
          canvas.addMarker(shape.id, MARKER);
          self.marked.push(shape.id);
        }
        overlays.add(shape.id, MARKER, { position: { bottom: -6, left: 0 }, html: note(problem.message) });
      }
      return { problem: problem, shape: shape };
    });
    this.renderSummary(items, heading || "The diagram has problems: nothing was deployed");
  };

  function note(message) {
    var box = document.createElement("div");
    box.className = "boundary-problem-note";
    var badge = document.createElement("span");
    badge.className = "boundary-problem-note__badge";
    badge.setAttribute("aria-hidden", "true");
    badge.textContent = "!";
    var text = document.createElement("span");
    text.className = "boundary-problem-note__text";
    text.textContent = message;
    box.appendChild(badge);
    box.appendChild(text);
    return box;
  }

  Problems.prototype.renderSummary = function (items, heading) {
    var self = this;
    var box = el("div", "govuk-error-summary");
    var alert = el("div");
    alert.setAttribute("role", "alert");
    alert.appendChild(el("h2", "govuk-error-summary__title", heading));
    var body = el("div", "govuk-error-summary__body");
    var list = el("ul", "govuk-list govuk-error-summary__list");
    items.forEach(function (item) {
      var li = el("li");
      li.setAttribute("data-element-id", item.problem.element_id || "");
      if (item.shape) {
        var link = el("a", null, item.problem.message);
        link.href = "#modeller-canvas";
        link.addEventListener("click", function (event) {
          event.preventDefault();
          self.reveal(item.shape);
        });
        li.appendChild(link);
      } else {
        li.textContent = item.problem.message;
      }
      list.appendChild(li);
    });
    body.appendChild(list);
    alert.appendChild(body);
    box.appendChild(alert);
    this.summary.appendChild(box);
    this.summary.hidden = false;
    this.summary.focus();
  };

  /* Select the element, bring it into view and open its properties. */
  Problems.prototype.reveal = function (shape) {
    var canvas = this.modeler.get("canvas");
    try {
      var root = this.modeler.get("elementRegistry").get(shape.id);
      if (canvas.findRoot && canvas.setRootElement) { canvas.setRootElement(canvas.findRoot(root)); }
      canvas.scrollToElement(shape);
    } catch (e) { /* an element on a collapsed plane: selecting still shows its properties */ }
    this.modeler.get("selection").select(shape);
    document.getElementById("modeller-canvas").scrollIntoView({ block: "nearest" });
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  window.BoundaryModeller = window.BoundaryModeller || {};
  window.BoundaryModeller.Problems = Problems;
}());
