// The registry filter's unit picker: suggestions from /registry/units/search (the user's remit only) under
// a text box. Without this script the text box still works: the server resolves the typed name.
(function () {
  "use strict";

  function setUp(input) {
    var hidden = input.form.querySelector('input[type="hidden"][name="unit"]');
    var list = document.createElement("ul");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    list.className = "unit-picker-list";
    list.id = "unit-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({block: "nearest"});
      }
    }

    function pick(li) {
      input.value = li.textContent;
      hidden.value = li.dataset.id;
      close();
      input.dispatchEvent(new Event("change", {bubbles: true}));
    }

    function show(results) {
      list.textContent = "";
      items = results.map(function (unit, i) {
        var li = document.createElement("li");
        li.id = "unit-picker-option-" + i;
        li.setAttribute("role", "option");
        li.dataset.id = unit.id;
        li.textContent = unit.name;  // text, never markup: unit names are user data
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(li); });
        list.appendChild(li);
        return li;
      });
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "unit-picker-empty";
        empty.textContent = "没有匹配的单位";
        list.appendChild(empty);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }

    function search() {
      var ticket = ++asked;
      var url = input.dataset.unitSearch + "?q=" + encodeURIComponent(input.value.trim());
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (ticket === asked && document.activeElement === input) { show(data.results); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      hidden.value = "";  // the text no longer names the picked unit; the server resolves what is typed
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", search);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-unit-search]").forEach(setUp);
  });
})();
