/* Keyboard access to tables that scroll sideways (WCAG 2.1.1 Keyboard; axe's scrollable-region-focusable).

   Every table sits in a <div class="table-scroll"> that scrolls when the table is wider than the screen
   (phones, long English labels). Such a box becomes a tab stop (tabindex="0"), announced as a region
   named after its table's caption or the heading before it, plus the word the page passes in
   data-label ("Table, scrolls sideways" in the page's language): focused, the arrow keys scroll it.
   A box that does not scroll stays out of the tab order (no useless stops). Rechecked whenever the box
   or its table changes size: a phone turned sideways, columns shown or hidden, the language switched.
   Loaded once, by base.html, for every page. */
(function () {
  "use strict";
  var word = (document.currentScript && document.currentScript.dataset.label) || "";

  // The table's caption, else the last heading before the box in the page (its section's title).
  function title(box) {
    var heading = box.querySelector("caption");
    if (!heading) {
      var headings = document.querySelectorAll("h1, h2, h3, h4");
      for (var i = headings.length - 1; i >= 0 && !heading; i--) {
        if (headings[i].compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) { heading = headings[i]; }
      }
    }
    return heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function mark(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls === box.hasAttribute("data-scrolls")) { return; }
    if (scrolls) {
      box.setAttribute("data-scrolls", "");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", [title(box), word].filter(Boolean).join(" · "));
    } else {
      ["data-scrolls", "tabindex", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
    }
  }

  var boxes = Array.prototype.slice.call(document.querySelectorAll(".table-scroll"));
  boxes.forEach(mark);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function () { boxes.forEach(mark); });
    boxes.forEach(function (box) {
      observer.observe(box);
      if (box.firstElementChild) { observer.observe(box.firstElementChild); }
    });
  }
})();
