// The draft editor: a contenteditable area that keeps what is pasted from Word or a web page (paragraphs,
// bold, lists, tables, links), copied into the form's body field on submit. The server sanitizes the HTML.
// Without script the plain body field stays and takes HTML or text as typed.
(function () {
  "use strict";

  // Word's clipboard HTML carries style sheets, conditional comments and mso-* styles that would swell the
  // body far past what is kept; the structure (paragraphs, bold, lists, tables, links) is what matters.
  function cleanPasted(html) {
    // Style sheets and style attributes go before parsing: the page's CSP would report each one parsed.
    html = html.replace(/<style[\s\S]*?<\/style>/gi, "").replace(/\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "");
    var doc = new DOMParser().parseFromString(html, "text/html");  // inert: nothing runs or loads
    doc.querySelectorAll("style, script, meta, link, title, xml").forEach(function (node) {
      node.remove();
    });
    var walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
    var comments = [];
    while (walker.nextNode()) {
      comments.push(walker.currentNode);
    }
    comments.forEach(function (node) {
      node.remove();
    });
    doc.body.querySelectorAll("*").forEach(function (node) {
      ["style", "class", "lang", "id"].forEach(function (name) {
        node.removeAttribute(name);
      });
    });
    return doc.body.innerHTML;
  }

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
    editor.addEventListener("paste", function (event) {
      var html = event.clipboardData && event.clipboardData.getData("text/html");
      if (html) {
        event.preventDefault();
        document.execCommand("insertHTML", false, cleanPasted(html));
      }
    });
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
