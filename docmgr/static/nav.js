// The menu button of narrow screens (a phone): shows and hides the side navigation. On wide screens the
// navigation is always shown and the button is hidden by the stylesheet.
(function () {
  var button = document.querySelector(".nav-toggle");
  var nav = document.getElementById("sidenav");
  if (!button || !nav) return;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
// A list's filters: a choice in a menu or a date picker applies at once (text filters on Enter).
(function () {
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) return;
  var fields = document.querySelectorAll("select[form='" + form.id + "'], input[type=date][form='" + form.id + "'], #" + form.id + " select");
  Array.prototype.forEach.call(fields, function (field) {
    field.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });
})();
