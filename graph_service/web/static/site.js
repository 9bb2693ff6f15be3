/* Site-wide behaviour: print buttons, and every explanation expanded when printing. */
(function () {
  "use strict";
  function openAll() {
    var all = document.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) { all[i].setAttribute("open", ""); }
  }
  window.addEventListener("beforeprint", openAll);
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () { openAll(); window.print(); });
    }
  });
}());
