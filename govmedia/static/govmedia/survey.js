// Survey pages. The new-survey form: rows to fill in per question, written into the plain-text field
// (the format survey_forms.parse_questions reads) when the form is sent; without script, the field is typed.
// The survey page: the copy button for the public link.
(function () {
  "use strict";
  var LABELS = { single: "单选", multiple: "多选", text: "填空" };
  var HEADER = /^(单选|多选|填空)(（选答）)?[:：]\s*(.*)$/;

  function addRow(kind, text, options, required) {
    var rows = document.getElementById("question-rows");
    var row = document.getElementById("question-row").content.firstElementChild.cloneNode(true);
    row.setAttribute("data-kind", kind);
    row.querySelector(".survey-kind").textContent = LABELS[kind];
    row.querySelector(".q-text").value = text || "";
    row.querySelector(".q-required").checked = required !== false;
    row.querySelector(".q-options").value = (options || []).join("\n");
    if (kind === "text") { row.querySelector(".q-options-line").hidden = true; }
    row.querySelector(".q-remove").addEventListener("click", function () { row.remove(); });
    rows.appendChild(row);
  }

  function parse(text) {  // the rows of what is already in the field (a form sent back with errors)
    text.split(/\n\s*\n/).forEach(function (block) {
      var lines = block.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
      if (!lines.length) { return; }
      var match = HEADER.exec(lines[0]);
      if (!match) { return; }
      var kind = { "单选": "single", "多选": "multiple", "填空": "text" }[match[1]];
      addRow(kind, match[3], lines.slice(1), !match[2]);
    });
  }

  function serialize() {
    var blocks = [];
    document.querySelectorAll("#question-rows .survey-row").forEach(function (row) {
      var kind = row.getAttribute("data-kind");
      var header = LABELS[kind] + (row.querySelector(".q-required").checked ? "" : "（选答）") + "：" +
        row.querySelector(".q-text").value.replace(/\s+/g, " ").trim();
      var options = kind === "text" ? [] : row.querySelector(".q-options").value.split("\n")
        .map(function (o) { return o.trim(); }).filter(Boolean);
      blocks.push([header].concat(options).join("\n"));
    });
    return blocks.join("\n\n");
  }

  function setUpBuilder(form) {
    var field = form.querySelector("textarea[name=questions]");
    var original = field.value;
    parse(original);
    // Text the rows cannot show (a line in no known format) stays in the plain field for the author to fix.
    if (original.trim() && serialize() !== original.trim().replace(/\r/g, "")) { return; }
    field.required = false;  // hidden: the browser could not point at it; the rows fill it on sending
    document.getElementById("question-rows").hidden = false;
    document.getElementById("question-buttons").hidden = false;
    document.getElementById("question-text").hidden = true;
    form.querySelectorAll("[data-add-question]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(button.getAttribute("data-add-question")); });
    });
    if (!original.trim()) { addRow("single"); }
    form.addEventListener("submit", function () { field.value = serialize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey-form");
    if (form) { setUpBuilder(form); }
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.querySelector(button.getAttribute("data-copy"));
        var done = function () { document.getElementById("copy-done").hidden = false; };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(input.value).then(done);
        } else {
          input.select(); document.execCommand("copy"); done();
        }
      });
    });
  });
})();
