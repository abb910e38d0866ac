/*
 * The modeller page: bpmn-js's Modeler with the properties panel (plain
 * <script> builds from node_modules), the diagram loaded from the version's
 * download link, and "Check for problems" / "Deploy" posting the XML to the
 * server, which validates exactly as a deploy would. Nothing is deployed while
 * any problem remains: the server refuses, and the problems are pinned to
 * their elements.
 */
(function () {
  "use strict";

  var root = document.getElementById("modeller");
  if (!root) { return; }
  var csrf = document.querySelector("meta[name='csrf-token']").getAttribute("content");
  var status = document.getElementById("modeller-status");
  var success = document.getElementById("modeller-success");
  var buttons = ["validate-button", "deploy-button", "save-file-button"].map(function (id) {
    return document.getElementById(id);
  });
  var filename = root.getAttribute("data-filename");
  var panels = window.BpmnJSPropertiesPanel;

  var modeler = new window.BpmnJS({
    container: "#modeller-canvas",
    propertiesPanel: { parent: "#modeller-panel" },
    additionalModules: [panels.BpmnPropertiesPanelModule, panels.BpmnPropertiesProviderModule,
      window.BoundaryModeller.PropertiesModule],
    moddleExtensions: { spiffworkflow: window.BoundaryModeller.spiffworkflowModdle }
  });
  var problems = new window.BoundaryModeller.Problems(modeler, document.getElementById("modeller-problems"));
  window.BoundaryModeller.modeler = modeler;  // for people (and tests) poking at the page
  window.BoundaryModeller.open = function (xml, name) { return open(xml, name); };  // modeller-calls.js: a new diagram

  function say(text) { status.textContent = text; }

  function busy(yes) {
    buttons.forEach(function (button) { button.disabled = yes; });
    root.setAttribute("aria-busy", yes ? "true" : "false");
  }

  function open(xml, name) {
    busy(true);
    problems.clear();
    success.hidden = true;
    return modeler.importXML(xml).then(function (result) {
      filename = name || filename;
      modeler.get("canvas").zoom("fit-viewport", "auto");
      document.getElementById("modeller-canvas").dispatchEvent(
        new CustomEvent("boundary:diagram-ready", { bubbles: true, detail: { viewer: modeler } }));
      var count = modeler.get("elementRegistry").filter(function (e) { return e.type !== "label"; }).length;
      var warnings = (result.warnings || []).length;
      say("Showing " + filename + ": " + count + " elements." + (warnings ?
        " " + warnings + " part" + (warnings === 1 ? "" : "s") + " of the file could not be read and will be dropped." : ""));
      root.setAttribute("data-loaded", "true");
      busy(false);
    }).catch(function (error) {
      busy(false);
      buttons[0].disabled = buttons[1].disabled = true;
      say("The diagram could not be shown: " + error.message);
      problems.show([{ element_id: null, message: "The file could not be read as BPMN: " + error.message }],
        "The diagram could not be opened");
    });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function currentXml() {
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; });
  }

  function validate() {
    busy(true);
    success.hidden = true;
    say("Checking the diagram…");
    return currentXml().then(function (xml) {
      return post(root.getAttribute("data-validate-url"), { filename: filename, xml: xml });
    }).then(function (answer) {
      busy(false);
      var list = answer.data.problems || [];
      if (answer.status === 200 && answer.data.ok) {
        problems.clear();
        say("No problems found: the diagram is ready to deploy.");
      } else {
        problems.show(list.length ? list : [{ message: answer.data.message || "The check failed." }],
          "The diagram has " + list.length + " problem" + (list.length === 1 ? "" : "s"));
        say("Found " + list.length + " problem" + (list.length === 1 ? "" : "s") + ". Fix them before you deploy.");
      }
    }).catch(failed);
  }

  var confirmStep = new window.BoundaryModeller.ConfirmStep(document.getElementById("deploy-confirm"));

  function refused(answer) {
    var list = answer.data.problems || [];
    problems.show(list.length ? list : [{ message: answer.data.message || "The deploy failed." }]);
    say("Nothing was deployed: " + (list.length || 1) + " problem" + (list.length > 1 ? "s" : "") + " to fix.");
  }

  /* Deploying is deliberate: the changes and a note first, then the deploy with confirm: true. */
  function deploy() {
    busy(true);
    success.hidden = true;
    say("Checking the diagram and what the deploy changes…");
    var xml;
    return currentXml().then(function (text) {
      xml = text;
      return post(root.getAttribute("data-changes-url"), { filename: filename, xml: xml });
    }).then(function (answer) {
      busy(false);
      if (answer.status !== 200 || !answer.data.ok) {
        refused(answer);
        return null;
      }
      problems.clear();
      say("No problems found. Read what the deploy changes, say why, then confirm.");
      return confirmStep.ask(answer.data).then(function (note) {
        if (note === null) {
          say("Nothing was deployed.");
          return null;
        }
        busy(true);
        say("Deploying…");
        return post(root.getAttribute("data-deploy-url"), { filename: filename, xml: xml, note: note, confirm: true });
      });
    }).then(function (answer) {
      if (!answer) { return; }
      busy(false);
      if (answer.status === 201) {
        problems.clear();
        var version = answer.data.version;
        var text = document.getElementById("modeller-success-text");
        text.textContent = "Deployed version " + version.number + ". New cases start on it. ";
        var link = document.createElement("a");
        link.className = "govuk-notification-banner__link";
        link.href = version.migrate_url;
        link.textContent = "Move running cases to version " + version.number;
        text.appendChild(link);
        success.hidden = false;
        success.focus();
        say("Deployed " + version.label + ".");
      } else {
        refused(answer);
      }
    }).catch(failed);
  }

  function failed(error) {
    busy(false);
    say("The server could not be reached: " + error.message + ". Nothing was deployed.");
  }

  function openFile(event) {
    var file = event.target.files && event.target.files[0];
    if (!file) { return; }
    file.text().then(function (xml) { return open(xml, file.name); });
  }

  function saveFile() {
    currentXml().then(function (xml) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  buttons[0].addEventListener("click", validate);
  buttons[1].addEventListener("click", deploy);
  buttons[2].addEventListener("click", saveFile);
  document.getElementById("open-file").addEventListener("change", openFile);
  modeler.get("eventBus").on("selection.changed", function (event) {
    document.querySelectorAll(".boundary-problem-note--selected").forEach(function (node) {
      node.classList.remove("boundary-problem-note--selected");
    });
    (event.newSelection || []).forEach(function (element) {
      document.querySelectorAll(".djs-overlays[data-container-id='" + CSS.escape(element.id) + "'] .boundary-problem-note")
        .forEach(function (node) { node.classList.add("boundary-problem-note--selected"); });
    });
  });

  fetch(root.getAttribute("data-diagram-url"), { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) { throw new Error("the server answered " + response.status); }
    return response.text();
  }).then(function (xml) { return open(xml); }).catch(function (error) {
    say("The diagram could not be loaded: " + error.message);
  });
}());
