/* parindex: report tables sorted by a click on a column header and filtered by a search box.
   Progressive enhancement: without this script the tables are the same static tables. Nothing is loaded. */
(function () {
  "use strict";

  // Lower case without diacritics, so that "quang ngai" finds "Quảng Ngãi" and "da nang" finds "Đà Nẵng".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  // What a cell sorts by: its data-value as a number in a column of numbers, else its text; null when empty.
  function key(row, column, numeric) {
    var cell = row.cells[column];
    if (!cell) { return null; }
    if (numeric) {
      var value = cell.getAttribute("data-value");
      return value === null || value === "" ? null : Number(value);
    }
    var text = cell.textContent.trim();
    return text === "" || text === "\u2013" ? null : text;
  }

  function sortable(table) {
    var body = table.tBodies[0];
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!body || !head) { return; }
    var language = document.documentElement.lang || undefined;
    var order = Array.prototype.slice.call(body.rows);
    var place = new Map(order.map(function (row, i) { return [row, i]; }));
    Array.prototype.forEach.call(head.cells, function (th) {
      var column = th.cellIndex;
      var numeric = order.some(function (row) {
        return row.cells[column] && row.cells[column].hasAttribute("data-value");
      });
      var keys = new Map(order.map(function (row) { return [row, key(row, column, numeric)]; }));
      var button = document.createElement("button");
      button.type = "button";
      button.className = "parindex-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = order.slice();
        rows.sort(function (a, b) {
          var x = keys.get(a), y = keys.get(b);
          if (x === null || y === null) {  // empty cells last, whichever the direction
            return (x === null) - (y === null) || place.get(a) - place.get(b);
          }
          var difference = numeric ? x - y : x.localeCompare(y, language);
          return (ascending ? difference : -difference) || place.get(a) - place.get(b);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function searchable(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return fold(row.textContent); });
    var box = document.createElement("div");
    box.className = "parindex-search";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.setAttribute("autocomplete", "off");
    label.appendChild(document.createTextNode(table.getAttribute("data-search") + " "));
    label.appendChild(input);
    var count = document.createElement("span");
    count.className = "parindex-count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(count);
    var wrapper = table.parentNode.classList.contains("parindex-table-box") ? table.parentNode : table;
    wrapper.parentNode.insertBefore(box, wrapper);
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var shown = 0;
      rows.forEach(function (row, i) {
        row.hidden = query !== "" && texts[i].indexOf(query) < 0;
        shown += row.hidden ? 0 : 1;
      });
      count.textContent = query === "" ? "" : shown + " / " + rows.length;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), sortable);
  Array.prototype.forEach.call(document.querySelectorAll("table[data-search]"), searchable);
})();
