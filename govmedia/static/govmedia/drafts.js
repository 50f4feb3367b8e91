// The draft editor: a contenteditable area that keeps what is pasted from Word or a web page (paragraphs,
// bold, lists, tables, links), copied into the form's body field on submit. The server sanitizes the HTML.
// Without script the plain body field stays and takes HTML or text as typed.
(function () {
  "use strict";

  function setUpEditor() {
    var editor = document.getElementById("draft-editor");
    var form = document.getElementById("draft-form");
    if (!editor || !form) {
      return;
    }
    var source = form.querySelector("textarea.draft-body-source");
    if (!source) {
      return;
    }
    // The field's value was sanitized by the server before the page was built.
    editor.innerHTML = source.value;
    editor.hidden = false;
    source.hidden = true;
    form.addEventListener("submit", function () {
      source.value = editor.innerHTML;
    });
  }

  // 紧急发布: the reason field shows when the option is ticked.
  function setUpEmergency() {
    var box = document.getElementById("id_emergency");
    var reason = document.querySelector(".draft-emergency");
    if (!box || !reason) {
      return;
    }
    function sync() {
      reason.hidden = !box.checked;
    }
    box.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpEditor();
    setUpEmergency();
  });
})();
