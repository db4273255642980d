// Saved replies in the console's reply form: a filter box and a list of the admins' saved
// replies and the guideline's; the chosen one goes into the reply at the cursor, where the
// agent can edit it before sending. Alt+R, or «/» typed in an empty reply, goes to the filter.
// The replies come from the page (<script type="application/json" id="respuestas-guardadas">);
// without this file the form works as before and the page lists them to copy.
(function () {
  "use strict";
  var data = document.getElementById("respuestas-guardadas");
  if (!data) {
    return;
  }
  var replies = JSON.parse(data.textContent);
  var pickers = [];

  // Lower case and without accents: «credito» finds «Crédito».
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(picker) {
    var textarea = document.getElementById(picker.getAttribute("data-textarea"));
    var filter = picker.querySelector(".saved-replies-filter");
    var list = picker.querySelector(".saved-replies-list");
    var button = picker.querySelector(".saved-replies-insert");
    if (!textarea || !filter || !list || !button) {
      return;
    }
    var options = Array.prototype.slice.call(list.querySelectorAll("option"));
    var status = picker.querySelector(".saved-replies-status");

    function applyFilter() {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      options.forEach(function (option) {
        var reply = replies[Number(option.value)];
        var haystack = fold(reply.titulo + " " + reply.texto);
        option.hidden = !words.every(function (word) { return haystack.indexOf(word) !== -1; });
        option.disabled = option.hidden;
      });
      Array.prototype.forEach.call(list.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      // The first reply whose title has the words, else the first that has them anywhere.
      var shownOptions = options.filter(function (option) { return !option.hidden; });
      var byTitle = shownOptions.filter(function (option) {
        var title = fold(replies[Number(option.value)].titulo);
        return words.length && words.every(function (word) { return title.indexOf(word) !== -1; });
      });
      var best = byTitle[0] || shownOptions[0];
      list.selectedIndex = best ? best.index : -1;
      status.textContent = words.length ? shownOptions.length + " de " + options.length + " respuestas" : "";
    }

    function insert() {
      var option = list.options[list.selectedIndex];
      if (!option || option.hidden) {
        return;
      }
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var text = replies[Number(option.value)].texto;
      // Right after a word, a space first: the reply does not stick to what the agent wrote.
      var before = textarea.value.charAt(start - 1);
      textarea.focus();
      textarea.setRangeText(before && !/\s/.test(before) ? " " + text : text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      filter.value = "";
      applyFilter();
    }

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        list.focus();
      } else if (event.key === "Enter") {
        event.preventDefault(); // insert, not send the reply
        insert();
      } else if (event.key === "Escape") {
        event.preventDefault();
        textarea.focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        insert();
      } else if (event.key === "Escape") {
        event.preventDefault();
        textarea.focus();
      }
    });
    list.addEventListener("dblclick", insert);
    button.addEventListener("click", insert);
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "/" && textarea.value === "" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        filter.focus();
      }
    });
    picker.hidden = false;
    pickers.push({ form: picker.closest("form"), filter: filter });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".saved-replies"), setUp);

  // Alt+R: the picker of the reply form being written in, else the first one. By the key's
  // place (event.code), so it works whatever character Alt+R types on the agent's keyboard.
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== "KeyR" || !pickers.length) {
      return;
    }
    var active = document.activeElement;
    var here = pickers.filter(function (picker) { return picker.form && picker.form.contains(active); })[0];
    event.preventDefault();
    (here || pickers[0]).filter.focus();
  });
})();
