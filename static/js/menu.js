/* The site menu (templates/base.html): a <details> disclosure, open in the markup so that the menu is
   there without JavaScript. On a phone-wide screen it starts closed behind its “Menu” button; on a wider
   one it is always open (the button is hidden by the stylesheet). Loaded right after the menu, not
   deferred, so that a phone never shows the open menu first. */
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia) { return; }
  var phone = window.matchMedia("(max-width: 600px)");
  function follow() { menu.open = !phone.matches; }
  follow();
  if (phone.addEventListener) { phone.addEventListener("change", follow); }
})();
