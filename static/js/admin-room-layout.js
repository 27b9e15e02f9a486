// The admin room page's layout editor: the layout text drawn as a grid of cells.
// Pick what a click makes (a seat, a wheelchair space, a companion seat, a
// blocked seat or a gap), then click cells; the text follows, and Save sends it.
// Without JavaScript the text itself is the editor.
(function () {
  "use strict";

  var TOOLS = [
    ["S", "Seat"],
    ["W", "Wheelchair space"],
    ["C", "Companion seat"],
    ["X", "Blocked seat"],
    [".", "Gap (aisle)"]
  ];
  var NAMES = { S: "seat", W: "wheelchair space", C: "companion seat", X: "blocked seat", ".": "gap" };

  function setUp(text) {
    var editor = document.createElement("div");
    editor.className = "layout-editor";
    var tools = document.createElement("fieldset");
    tools.className = "layout-tools";
    var legend = document.createElement("legend");
    legend.textContent = "A click on a cell makes it a";
    tools.appendChild(legend);
    TOOLS.forEach(function (tool, index) {
      var label = document.createElement("label");
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "layout-tool";
      radio.value = tool[0];
      radio.checked = index === 1;
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + tool[1]));
      tools.appendChild(label);
    });
    var grid = document.createElement("div");
    grid.className = "layout-grid";
    grid.setAttribute("role", "group");
    grid.setAttribute("aria-label", "Layout: one button per cell, rows from the screen");
    editor.appendChild(tools);
    editor.appendChild(grid);
    text.parentNode.insertBefore(editor, text.nextSibling);

    function rows() {
      return text.value.replace(/\r/g, "").replace(/^\n+|\n+$/g, "").split("\n");
    }

    function draw() {
      grid.textContent = "";
      grid.hidden = !text.value.trim(); // nothing drawn yet (a new room): the text comes first
      rows().forEach(function (line, r) {
        var row = document.createElement("div");
        row.className = "layout-row";
        var letter = document.createElement("span");
        letter.className = "layout-row-label";
        letter.textContent = String.fromCharCode(65 + r);
        letter.setAttribute("aria-hidden", "true");
        row.appendChild(letter);
        line.trim().split("").forEach(function (cell, c) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "layout-cell layout-cell-" + (NAMES[cell] ? cell.replace(".", "gap") : "bad");
          button.dataset.row = r;
          button.dataset.cell = c;
          button.textContent = cell === "." ? "" : cell;
          button.setAttribute("aria-label", "Row " + letter.textContent + ", cell " + (c + 1) + ": " + (NAMES[cell] || "“" + cell + "”, not a cell"));
          row.appendChild(button);
        });
        grid.appendChild(row);
      });
    }

    grid.addEventListener("click", function (event) {
      var button = event.target.closest("button.layout-cell");
      if (!button) {
        return;
      }
      var tool = tools.querySelector("input:checked").value;
      var lines = rows();
      var r = parseInt(button.dataset.row, 10);
      var c = parseInt(button.dataset.cell, 10);
      var line = lines[r].trim();
      lines[r] = line.slice(0, c) + tool + line.slice(c + 1);
      text.value = lines.join("\n");
      draw();
      var again = grid.querySelector('button[data-row="' + r + '"][data-cell="' + c + '"]');
      if (again) {
        again.focus();
      }
    });
    text.addEventListener("input", draw);
    draw();
  }

  // The admin loads its media in the page's head, before the form exists.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.layout-text").forEach(setUp);
  });
})();
