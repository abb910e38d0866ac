/*
 * The form editor for people: the form's fields as questions to add, reorder, change and
 * remove, written back into the JSON Schema in the "Advanced: JSON" tab (which is what is
 * saved, and what the live preview draws). It writes the same encoding the inbox reads
 * (service/web/form_fields.py): "description" is the hint, "enum" + "x-enumNames" a choice,
 * an array of enums multiple choice, an array of objects a repeating group, and an "allOf"
 * rule {"if": <answer>, "then": {"required": [field]}} a question revealed under that answer.
 * Anything else in the schema (rules, messages, limits) is kept as it is.
 */
(function () {
  "use strict";

  var root = document.getElementById("fields-editor");
  var textarea = document.getElementById("schema");
  if (!root || !textarea) { return; }
  var KINDS = [["text", "Text (one line)"], ["textarea", "Long text"], ["date", "Date"], ["boolean", "Yes or no"],
    ["radios", "Choice (one answer)"], ["checkboxes", "Multiple choice"], ["items", "Repeating group"],
    ["number", "Number"]];
  var schema = null;
  var S = null;  // BoundaryFormSchema(schema): the questions in the schema (form-schema.js)
  var writing = false;

  // -- changing the schema --------------------------------------------------------------
  function write() {
    writing = true;
    textarea.value = JSON.stringify(schema, null, 2) + "\n";
    textarea.dispatchEvent(new Event("input", { bubbles: true }));  // the preview follows
    writing = false;
  }


  // -- drawing --------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function group(id, label, input, hint) {
    if (hint) { input.setAttribute("aria-describedby", id + "-hint"); }
    return el("div", { "class": "govuk-form-group" }, [
      el("label", { "class": "govuk-label", "for": id, text: label }),
      hint ? el("div", { "class": "govuk-hint", id: id + "-hint", text: hint }) : null, input]);
  }

  function button(text, hidden, classes, action) {
    var node = el("button", { type: "button", "class": "govuk-button " + classes, "data-module": "govuk-button" },
      [document.createTextNode(text), hidden ? el("span", { "class": "govuk-visually-hidden", text: " " + hidden }) : null]);
    node.addEventListener("click", action);
    return node;
  }

  function revealChoices(name) {  // [label, {trigger, value}] for every answer a question can hang under
    var found = [];
    Object.keys(schema.properties || {}).forEach(function (other) {
      var spec = schema.properties[other];
      if (other === name || S.revealOf(other)) { return; }
      var title = spec.title || S.humanise(other);
      if (S.kindOf(spec) === "boolean") {
        found.push(["When \u201c" + title + "\u201d is Yes", { trigger: other, value: true }]);
        found.push(["When \u201c" + title + "\u201d is No", { trigger: other, value: false }]);
      } else if (S.kindOf(spec) === "radios") {
        S.options(spec).forEach(function (pair) {
          found.push(["When \u201c" + title + "\u201d is " + pair[1], { trigger: other, value: pair[0] }]);
        });
      }
    });
    return found;
  }

  function card(holder, name, index, path, nested) {
    var spec = holder.properties[name];
    var id = "field-" + path;
    var kind = S.kindOf(spec);
    var names = Object.keys(holder.properties);
    var title = spec.title || S.humanise(name);
    var reveal = nested ? null : S.revealOf(name);

    var question = el("input", { "class": "govuk-input", id: id + "-title", type: "text", value: title });
    question.addEventListener("input", function () {
      spec.title = question.value;
      heading.textContent = "Question " + (index + 1) + ": " + question.value;
      if (card.autoNamed[path] && question.value.trim()) {  // a new question is named after its text
        var wanted = S.slug(question.value), unique = wanted, n = 2;
        while (unique !== name && holder.properties[unique]) { unique = wanted + "_" + n++; }
        if (unique !== name) {
          S.renameField(holder, name, unique);
          name = unique;
          nameInput.value = unique;
          box.setAttribute("data-field", unique);
        }
      }
      write();
    });
    var nameInput = el("input", { "class": "govuk-input govuk-input--width-20", id: id + "-name", type: "text",
      value: name, spellcheck: "false" });
    var nameError = el("p", { "class": "govuk-error-message", id: id + "-name-error", role: "status" });
    nameInput.addEventListener("change", function () {
      var wanted = nameInput.value.trim();
      if (wanted === name) { nameError.textContent = ""; return; }
      if (!/^[a-z][a-z0-9_]*$/.test(wanted)) {
        nameError.textContent = "Use lower-case letters, digits and underscores, starting with a letter."; return;
      }
      if (holder.properties[wanted]) { nameError.textContent = "Another question already has the name " + wanted + "."; return; }
      delete card.autoNamed[path];
      S.renameField(holder, name, wanted); write(); render(id + "-name");
    });
    var kindSelect = el("select", { "class": "govuk-select", id: id + "-kind" }, KINDS.filter(function (k) {
      return !(nested && k[0] === "items");
    }).map(function (k) {
      var option = el("option", { value: k[0], text: k[1] });
      if (k[0] === kind) { option.selected = true; }
      return option;
    }));
    kindSelect.addEventListener("change", function () {
      holder.properties[name] = S.specFor(kindSelect.value, spec); write(); render(id + "-kind");
    });
    var hint = el("input", { "class": "govuk-input", id: id + "-hint", type: "text", value: spec.description || "" });
    hint.addEventListener("input", function () {
      if (hint.value) { spec.description = hint.value; } else { delete spec.description; }
      write();
    });

    var parts = [group(id + "-title", "Question", question), group(id + "-name", "Name in the case data", nameInput,
      "Diagrams read the answer by this name: lower-case letters, digits and underscores."), nameError,
      group(id + "-kind", "Kind of answer", kindSelect), group(id + "-hint", "Hint (optional)", hint)];

    if (reveal) {
      parts.push(el("p", { "class": "govuk-body-s", text: "Asked, and required, only when the answer above is given." }));
    } else {
      var required = el("input", { "class": "govuk-checkboxes__input", id: id + "-required", type: "checkbox" });
      required.checked = (holder.required || []).indexOf(name) !== -1;
      required.addEventListener("change", function () { S.setRequired(holder, name, required.checked); write(); });
      parts.push(el("div", { "class": "govuk-form-group" }, [el("div", { "class": "govuk-checkboxes govuk-checkboxes--small" }, [
        el("div", { "class": "govuk-checkboxes__item" }, [required,
          el("label", { "class": "govuk-label govuk-checkboxes__label", "for": id + "-required", text: "Staff must answer this" })])])]));
    }
    if (kind === "radios" || kind === "checkboxes") {
      var choices = el("textarea", { "class": "govuk-textarea", id: id + "-options", rows: "4" });
      choices.value = S.optionLines(spec);
      choices.addEventListener("change", function () {
        var parsed = S.parseOptions(choices.value);
        var target = kind === "checkboxes" ? spec.items : spec;
        target.enum = parsed.values;
        target["x-enumNames"] = parsed.labels;
        if (kind === "checkboxes") { delete spec["x-enumNames"]; }
        write(); render(id + "-options");
      });
      parts.push(group(id + "-options", "Options, one a line", choices,
        "Write each option as staff will see it. To keep the value a diagram reads, write value: Label."));
    }
    if (!nested) {
      var when = el("select", { "class": "govuk-select", id: id + "-reveal" }, [el("option", { value: "", text: "Always" })]);
      revealChoices(name).forEach(function (pair, i) {
        var option = el("option", { value: String(i), text: pair[0] });
        if (reveal && reveal.trigger === pair[1].trigger && reveal.value === pair[1].value) { option.selected = true; }
        when.appendChild(option);
      });
      when.addEventListener("change", function () {
        var choice = when.value === "" ? null : revealChoices(name)[Number(when.value)][1];
        S.setReveal(name, choice); write(); render(id + "-reveal");
      });
      parts.push(group(id + "-reveal", "Ask this question", when));
    }
    if (kind === "items") {
      parts.push(el("h4", { "class": "govuk-heading-s", text: "Questions in each " + title.toLowerCase() }));
      parts.push(list(spec.items, path, true));
    }
    parts.push(el("div", { "class": "govuk-button-group" }, [
      index > 0 ? button("Move up", title, "govuk-button--secondary", function () { move(-1, "-up"); }) : null,
      index < names.length - 1 ? button("Move down", title, "govuk-button--secondary", function () {
        move(1, "-down");
      }) : null,
      button("Remove", title, "govuk-button--warning", function () {
        delete holder.properties[name];
        holder.required = (holder.required || []).filter(function (n) { return n !== name; });
        if (!nested) { S.dropFromRules(name, true); }
        write(); render("fields-add");
      })]));
    parts[parts.length - 1].querySelectorAll("button").forEach(function (node) {
      var text = node.firstChild.textContent;
      node.id = id + (text === "Move up" ? "-up" : text === "Move down" ? "-down" : "-remove");
    });
    function move(by, button) {
      var order = Object.keys(holder.properties);
      var at = order.indexOf(name);
      order.splice(at + by, 0, order.splice(at, 1)[0]);
      S.reorder(holder, order);
      write();
      render(fieldPath(path, at + by) + button, fieldPath(path, at + by) + "-title");
    }
    var heading = el("h3", { "class": "govuk-heading-s", id: id + "-heading", text: "Question " + (index + 1) + ": " + title });
    var box = el("div", { "class": "boundary-field-card" + (reveal ? " boundary-field-card--revealed" : ""),
      "data-field": name, role: "group", "aria-labelledby": id + "-heading" }, [heading].concat(parts));
    return box;
  }
  card.autoNamed = {};

  function fieldPath(path, index) {
    var parts = path.split("-"); parts[parts.length - 1] = String(index);
    return "field-" + parts.join("-");
  }

  function list(holder, prefix, nested) {
    holder.properties = holder.properties || {};
    var names = Object.keys(holder.properties);
    var box = el("div", { "class": "boundary-field-list" }, names.map(function (name, i) {
      return card(holder, name, i, prefix ? prefix + "-" + i : String(i), nested);
    }));
    var addId = prefix ? "field-" + prefix + "-add" : "fields-add";
    box.appendChild(button(nested ? "Add a question to the group" : "Add a question", "", "govuk-button--secondary", function () {
      var n = names.length + 1, name = "question_" + n;
      while (holder.properties[name]) { name = "question_" + ++n; }
      holder.properties[name] = { type: "string", title: "New question", maxLength: 200 };
      var path = (prefix ? prefix + "-" : "") + names.length;
      card.autoNamed[path] = true;
      write(); render("field-" + path + "-title");
    }));
    box.lastChild.id = addId;
    return box;
  }

  function render(focusId, fallbackId) {
    root.textContent = "";
    var title = el("input", { "class": "govuk-input", id: "form-title", type: "text", value: schema.title || "" });
    title.addEventListener("input", function () {
      if (title.value) { schema.title = title.value; } else { delete schema.title; }
      write();
    });
    root.appendChild(group("form-title", "Form title", title));
    root.appendChild(list(schema, "", false));
    var focus = document.getElementById(focusId) || document.getElementById(fallbackId || "");
    if (focus) { focus.focus(); }
  }

  function load() {
    try {
      var parsed = JSON.parse(textarea.value);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) { throw new Error("not an object"); }
      schema = parsed;
      S = window.BoundaryFormSchema(schema);
      schema.properties = schema.properties || {};
      render();
    } catch (error) {
      root.textContent = "";
      root.appendChild(el("p", { "class": "govuk-body", text: "The JSON in the Advanced tab is not valid yet, so the " +
        "questions cannot be shown. Correct it there: " + error.message }));
    }
  }

  textarea.addEventListener("input", function () { if (!writing) { load(); } });
  load();
  root.setAttribute("data-ready", "true");
}());
