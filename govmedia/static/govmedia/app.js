// Behaviour that templates would otherwise write inline (on…= attributes, <script> blocks): the
// Content-Security-Policy allows scripts from this site's static files only.

// <form data-autosubmit>: submit as soon as one of its fields changes (e.g. the status filter).
document.addEventListener("change", function (event) {
  var form = event.target.form;
  if (form && form.hasAttribute("data-autosubmit")) {
    form.requestSubmit();
  }
});

// <form data-confirm="…">: ask before submitting (deleting a source, withdrawing a task).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
