// The award round's entry grid: rows are candidates, columns are experts (scores 0–100) and netizen
// sources (non-negative whole vote counts). Plain JavaScript, no build step. Without JavaScript the grid
// is an ordinary form (every cell an <input>), which the server validates the same way; the script adds
//   - keyboard movement: arrows (left/right once the caret is at the edge of the text), Enter and
//     Shift+Enter down/up, Tab and Shift+Tab along the row (the browser's own order);
//   - paste of a block copied from Excel or WPS (tab-separated cells, CRLF or LF lines, Excel's quoting)
//     from the focused cell rightwards and downwards, whole or not at all: a value falling on a recused
//     cell (other than empty, 回避 or a dash) refuses the whole paste, naming each such cell;
//   - inline errors as you type or paste (not a number, out of range, a recused cell), and a summary that
//     names each bad cell by candidate and column; the form is not sent while any cell is wrong;
//   - marks on changed cells, a warning before leaving with unsaved changes, and a new source column.
// Every text comes translated from the page (data-msg-* attributes on the grid, {name} placeholders).
(function () {
  "use strict";
  var table = document.getElementById("award-grid");
  var form = document.getElementById("grid-form");
  if (!table || !form) { return; }
  var summary = document.getElementById("grid-errors");
  var status = document.getElementById("grid-status");
  var saving = false;

  function msg(name, values) {
    var text = table.getAttribute("data-msg-" + name) || name;
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  // --- the cell matrix: rows of <input> (editable) or <td data-recused> (回避) ----------------------------
  function matrix() {
    var rows = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var row = [];
      Array.prototype.forEach.call(tr.cells, function (cell) {
        if (cell.tagName !== "TD") { return; }
        row.push(cell.hasAttribute("data-recused") ? cell : cell.querySelector("input.cell"));
      });
      rows.push(row);
    });
    return rows;
  }
  var cells = matrix();

  function position(element) {
    for (var r = 0; r < cells.length; r += 1) {
      var c = cells[r].indexOf(element);
      if (c >= 0) { return { row: r, col: c }; }
    }
    return null;
  }

  function isInput(element) { return element && element.tagName === "INPUT"; }

  function cellName(element) {
    var td = isInput(element) ? element.closest("td") : element;
    return td.getAttribute("data-label") || "";
  }

  // --- values: normalised, then checked like the server checks them -----------------------------------
  function normalise(text, kind) {
    var value = String(text).replace(/[\uFF10-\uFF19]/g, function (ch) {  // full-width digits ０-９
      return String.fromCharCode(ch.charCodeAt(0) - 0xFF10 + 48);
    }).replace(/\uFF0E|\u3002/g, ".").replace(/^[\s\u3000\u00A0]+|[\s\u3000\u00A0]+$/g, "");
    if (kind === "tally" && /^\d{1,3}(,\d{3})+$/.test(value)) { value = value.replace(/,/g, ""); }
    return value;
  }

  function problem(element) {
    var kind = element.getAttribute("data-kind");
    var value = normalise(element.value, kind);
    if (value === "") { return ""; }
    if (kind === "tally") {
      if (!/^\d+$/.test(value)) {
        return /^-?\d+(\.\d+)?$/.test(value) ? msg("whole", { value: value }) : msg("number", { value: value });
      }
      return "";
    }
    if (!/^-?\d+(\.\d+)?$/.test(value) && !/^-?\.\d+$/.test(value)) { return msg("number", { value: value }); }
    var number = parseFloat(value);
    if (number < 0 || number > 100) { return msg("range", { value: value }); }
    return "";
  }

  function setError(element, text) {
    var td = isInput(element) ? element.closest("td") : element;
    var note = td.querySelector(".cell-error");
    if (!note && text) {
      note = document.createElement("span");
      note.className = "cell-error";
      note.id = "err-" + Math.random().toString(36).slice(2);
      td.appendChild(note);
    }
    if (note) { note.textContent = text; note.hidden = !text; }
    td.classList.toggle("invalid", Boolean(text));
    if (isInput(element)) {
      if (text) {
        element.setAttribute("aria-invalid", "true");
        element.setAttribute("aria-describedby", note.id);
      } else {
        element.removeAttribute("aria-invalid");
        element.removeAttribute("aria-describedby");
      }
    }
  }

  function check(element) {
    if (!isInput(element)) { return ""; }
    var text = problem(element);
    setError(element, text);
    var original = element.getAttribute("data-original") || "";
    element.closest("td").classList.toggle("changed", normalise(element.value, element.getAttribute("data-kind")) !== original);
    return text;
  }

  // The refusal of a paste, above the grid: which recused cells the block's values fell on.
  var pasteRefused = document.getElementById("paste-refused");
  function showPasteRefused(refused) {
    if (!pasteRefused) { return; }
    pasteRefused.innerHTML = "";
    if (!refused.length) { pasteRefused.hidden = true; return; }
    var head = document.createElement("p");
    head.textContent = msg("paste-refused", { count: refused.length });
    var list = document.createElement("ul");
    refused.forEach(function (item) {
      var entry = document.createElement("li");
      entry.textContent = cellName(item[0]) + ": “" + item[1] + "”";
      list.appendChild(entry);
    });
    pasteRefused.appendChild(head);
    pasteRefused.appendChild(list);
    pasteRefused.hidden = false;
  }

  // Cells that block saving: a recused cell marked by a refused paste does not (nothing was pasted).
  function refreshSummary() {
    var bad = table.querySelectorAll("td.invalid:not([data-recused])");
    if (!summary) { return bad.length; }
    summary.innerHTML = "";
    if (!bad.length) { summary.hidden = true; return 0; }
    var head = document.createElement("p");
    head.textContent = msg("summary", { count: bad.length });
    var list = document.createElement("ul");
    Array.prototype.forEach.call(bad, function (td) {
      var item = document.createElement("li");
      var note = td.querySelector(".cell-error");
      item.textContent = (td.getAttribute("data-label") || "") + ": " + (note ? note.textContent : "");
      list.appendChild(item);
    });
    summary.appendChild(head);
    summary.appendChild(list);
    summary.hidden = false;
    return bad.length;
  }

  function changedCount() {
    return table.querySelectorAll("td.changed").length;
  }

  function say(text) { if (status) { status.textContent = text; } }

  // --- keyboard ----------------------------------------------------------------------------------------
  function move(from, dRow, dCol) {
    var at = position(from);
    if (!at) { return; }
    var r = at.row + dRow, c = at.col + dCol;
    while (r >= 0 && r < cells.length && c >= 0 && c < cells[r].length) {
      if (isInput(cells[r][c])) {
        cells[r][c].focus();
        cells[r][c].select();
        return;
      }
      r += dRow; c += dCol;  // a recused cell cannot be edited: step over it
    }
  }

  table.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!isInput(target) || !target.classList.contains("cell")) { return; }
    var atStart = target.selectionStart === 0 && target.selectionEnd === 0;
    var atEnd = target.selectionStart === target.value.length;
    var all = target.selectionStart === 0 && target.selectionEnd === target.value.length;
    switch (event.key) {
      case "ArrowUp": move(target, -1, 0); break;
      case "ArrowDown": move(target, 1, 0); break;
      case "ArrowLeft": if (atStart || all) { move(target, 0, -1); } else { return; } break;
      case "ArrowRight": if (atEnd || all) { move(target, 0, 1); } else { return; } break;
      case "Enter": move(target, event.shiftKey ? -1 : 1, 0); break;  // never submits the form
      case "Escape":
        target.value = target.getAttribute("data-original") || "";
        check(target); refreshSummary(); break;
      default: return;
    }
    event.preventDefault();
  });

  table.addEventListener("input", function (event) {
    if (isInput(event.target)) { check(event.target); refreshSummary(); }
  });
  table.addEventListener("change", function (event) {
    var target = event.target;
    if (!isInput(target) || !target.classList.contains("cell")) { return; }
    var value = normalise(target.value, target.getAttribute("data-kind"));
    if (value !== target.value && !problem(target)) { target.value = value; }
    check(target); refreshSummary();
  });

  // --- paste of a block ----------------------------------------------------------------------------------
  // Excel and WPS copy a block as lines of tab-separated cells ending in CRLF (the last line too); a cell
  // holding a tab, a line break or a quote comes quoted ("a""b"), which parseBlock reads back.
  function parseBlock(text) {
    var rows = [], row = [], cell = "", i = 0, quoted = false;
    text = String(text);
    while (i < text.length) {
      var ch = text.charAt(i);
      if (quoted) {
        if (ch === '"' && text.charAt(i + 1) === '"') { cell += '"'; i += 2; continue; }
        if (ch === '"') { quoted = false; i += 1; continue; }
        cell += ch; i += 1; continue;
      }
      if (ch === '"' && cell === "") { quoted = true; i += 1; continue; }
      if (ch === "\t") { row.push(cell); cell = ""; i += 1; continue; }
      if (ch === "\r" || ch === "\n") {
        row.push(cell); rows.push(row); row = []; cell = "";
        i += (ch === "\r" && text.charAt(i + 1) === "\n") ? 2 : 1;
        continue;
      }
      cell += ch; i += 1;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  // What a spreadsheet may hold in a recused cell: nothing, 回避, or a dash or slash. Anything else landing
  // on a recused cell means the block is misaligned or holds a score that may not exist.
  function recusedMarker(value) {
    var text = normalise(value, "score").toLowerCase();
    return text === "" || text === "回避" || text === "recused" || /^[-\u2013\u2014\/\uFF0F]+$/.test(text);
  }

  // A block is pasted whole or not at all, as the grid is saved: when a value falls on a recused cell,
  // nothing is pasted, and the refusal names each such cell and its value (see README, "the entry grid").
  function pasteBlock(start, block) {
    var at = position(start);
    var filled = 0, cut = false, plan = [], refused = [];
    block.forEach(function (values, dRow) {
      var r = at.row + dRow;
      if (r >= cells.length) { cut = cut || values.some(function (v) { return v.trim() !== ""; }); return; }
      values.forEach(function (value, dCol) {
        var c = at.col + dCol;
        if (c >= cells[r].length) { cut = cut || value.trim() !== ""; return; }
        var target = cells[r][c];
        if (isInput(target)) {
          plan.push([target, value]);
        } else if (!recusedMarker(value)) {
          refused.push([target, normalise(value, "score")]);
        }
      });
    });
    if (refused.length) {
      refused.forEach(function (item) { setError(item[0], msg("recused", { value: item[1] })); });
      showPasteRefused(refused);
      refreshSummary();
      say(msg("paste-refused", { count: refused.length }));
      return;
    }
    plan.forEach(function (item) {
      item[0].value = normalise(item[1], item[0].getAttribute("data-kind"));
      check(item[0]);
      filled += 1;
    });
    var bad = refreshSummary();
    var rows = block.length, cols = Math.max.apply(null, block.map(function (r) { return r.length; }));
    var text = msg("pasted", { rows: rows, cols: cols, count: filled });
    if (cut) { text += " " + msg("overflow"); }
    if (bad) { text += " " + msg("summary", { count: bad }); }
    say(text);
  }

  table.addEventListener("paste", function (event) {
    var target = event.target;
    if (!isInput(target) || !target.classList.contains("cell")) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\r\n]/.test(text.replace(/(\r\n|\n|\r)$/, ""))) {  // one value: the browser pastes it
      if (/[\r\n]$/.test(text)) { event.preventDefault(); target.value = normalise(text, target.getAttribute("data-kind")); check(target); refreshSummary(); }
      return;
    }
    event.preventDefault();
    pasteBlock(target, parseBlock(text));
  });

  // A recused cell that a paste marked stays marked until the next paste or save attempt clears it.
  function clearRecusedMarks() {
    Array.prototype.forEach.call(table.querySelectorAll("td[data-recused].invalid"), function (td) {
      setError(td, "");
    });
    showPasteRefused([]);
  }
  table.addEventListener("paste", clearRecusedMarks, true);

  // --- a new netizen source column ------------------------------------------------------------------------
  var addSource = document.getElementById("add-source");
  var sourceName = document.getElementById("new-source-name");
  var newSources = 0;
  if (addSource && sourceName) {
    addSource.hidden = false;
    addSource.addEventListener("click", function () {
      var name = sourceName.value.trim();
      if (!name) { sourceName.focus(); return; }
      newSources += 1;
      var key = "new" + newSources;
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "source-" + key; hidden.value = name;
      form.appendChild(hidden);
      var th = document.createElement("th");
      th.scope = "col"; th.className = "source new"; th.textContent = name;
      table.tHead.rows[0].appendChild(th);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        var td = document.createElement("td");
        td.className = "tally";
        td.setAttribute("data-label", tr.getAttribute("data-name") + " × " + name);
        var input = document.createElement("input");
        input.className = "cell"; input.type = "text"; input.inputMode = "numeric"; input.autocomplete = "off";
        input.name = "tally-" + key + "-" + tr.getAttribute("data-candidate");
        input.setAttribute("data-kind", "tally");
        input.setAttribute("data-original", "");
        input.setAttribute("aria-label", td.getAttribute("data-label"));
        td.appendChild(input);
        tr.appendChild(td);
      });
      cells = matrix();
      sourceName.value = "";
      var first = table.tBodies[0].rows[0];
      if (first) { first.cells[first.cells.length - 1].querySelector("input").focus(); }
    });
  }

  // --- save ------------------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    clearRecusedMarks();
    var first = null;
    cells.forEach(function (row) {
      row.forEach(function (element) {
        if (isInput(element) && check(element) && !first) { first = element; }
      });
    });
    if (refreshSummary()) {
      event.preventDefault();
      if (first) { first.focus(); }
      return;
    }
    cells.forEach(function (row) {
      row.forEach(function (element) {
        if (isInput(element)) { element.value = normalise(element.value, element.getAttribute("data-kind")); }
      });
    });
    saving = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!saving && changedCount()) { event.preventDefault(); event.returnValue = msg("unsaved"); }
  });

  // The server's own errors (after a refused save) arrive marked in the page: mark their cells too.
  Array.prototype.forEach.call(table.querySelectorAll("input.cell"), function (input) {
    if (input.getAttribute("data-error")) { setError(input, input.getAttribute("data-error")); }
    var original = input.getAttribute("data-original") || "";
    input.closest("td").classList.toggle("changed", normalise(input.value, input.getAttribute("data-kind")) !== original);
  });
  window.awardGrid = { parseBlock: parseBlock, cellName: cellName };  // for the browser test's checks
})();
