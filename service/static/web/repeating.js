// Repeating items ("Add another item", "Remove item 2") without a round trip.
// Without JavaScript the same buttons submit the form and the server draws it
// again with the item added or removed (service/web/form_fields.py).
(function () {
  "use strict";

  function renumber(group) {
    var key = group.getAttribute("data-repeating");
    var items = group.querySelectorAll(":scope > [data-item]");
    var pattern = new RegExp("^" + key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-\\d+-");
    items.forEach(function (item, index) {
      var prefix = key + "-" + index + "-";
      item.querySelectorAll("[name],[id],[for],[aria-describedby],[aria-controls],[data-aria-controls]").forEach(function (el) {
        ["name", "id", "for", "aria-controls", "data-aria-controls"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && pattern.test(value)) { el.setAttribute(attr, value.replace(pattern, prefix)); }
        });
        var described = el.getAttribute("aria-describedby");
        if (described) {
          el.setAttribute("aria-describedby", described.split(" ").map(function (id) {
            return id.replace(pattern, prefix);
          }).join(" "));
        }
      });
      var heading = item.querySelector("[data-item-heading]");
      if (heading) { heading.textContent = heading.textContent.replace(/\d+$/, String(index + 1)); }
      var remove = item.querySelector(":scope > [data-remove]");
      if (remove) {
        remove.value = "remove:" + key + ":" + index;
        remove.firstChild.textContent = "Remove item " + (index + 1);
        remove.hidden = items.length === 1;
      }
    });
    group.querySelector(":scope > [data-count]").value = String(items.length);
  }

  function blank(item) {
    item.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else { el.value = ""; }
      el.classList.remove("govuk-input--error", "govuk-textarea--error", "govuk-select--error");
    });
    item.querySelectorAll(".govuk-error-message").forEach(function (el) { el.remove(); });
    item.querySelectorAll(".govuk-form-group--error").forEach(function (el) { el.classList.remove("govuk-form-group--error"); });
    item.querySelectorAll("[aria-describedby]").forEach(function (el) {
      var ids = el.getAttribute("aria-describedby").split(" ").filter(function (id) { return !/-error$/.test(id); });
      if (ids.length) { el.setAttribute("aria-describedby", ids.join(" ")); } else { el.removeAttribute("aria-describedby"); }
    });
  }

  function focusFirst(item) {
    var first = item.querySelector("input:not([type=hidden]), textarea, select");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("[data-repeating]").forEach(function (group) {
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || button.closest("[data-repeating]") !== group) { return; }
      var items = group.querySelectorAll(":scope > [data-item]");
      if (button.hasAttribute("data-add")) {
        event.preventDefault();
        var copy = items[items.length - 1].cloneNode(true);
        blank(copy);
        items[items.length - 1].after(copy);
        renumber(group);
        focusFirst(copy);
      } else if (button.hasAttribute("data-remove") && button.parentElement.hasAttribute("data-item")) {
        event.preventDefault();
        var item = button.parentElement;
        var next = item.nextElementSibling && item.nextElementSibling.hasAttribute("data-item")
          ? item.nextElementSibling : item.previousElementSibling;
        item.remove();
        renumber(group);
        if (next) { focusFirst(next); }
      }
    });
  });
})();
