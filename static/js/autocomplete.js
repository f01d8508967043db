/* Autocomplete for the search box: an ARIA 1.2 combobox with a listbox popup.
 * Progressive enhancement: without this script the search form is a plain GET form.
 * Suggestions come from the element's data-autocomplete-url (?q=...), JSON
 * {"suggestions": [{"kind", "label", "url"}]}; choosing one goes to its URL.
 * Keys: ArrowDown/ArrowUp move, Enter follows the active suggestion, Escape closes. */
(function () {
  "use strict";

  var KIND_LABELS = {
    sv: { title: "Seminarium", speaker: "Talare", moderator: "Moderator", topic: "Ämne" },
    en: { title: "Seminar", speaker: "Speaker", moderator: "Moderator", topic: "Topic" }
  };

  function setup(root) {
    var input = root.querySelector("input[role=combobox]");
    var list = root.querySelector("[role=listbox]");
    var endpoint = root.getAttribute("data-autocomplete-url");
    if (!input || !list || !endpoint) { return; }
    var lang = (document.documentElement.lang || "sv").slice(0, 2);
    var kinds = KIND_LABELS[lang] || KIND_LABELS.sv;
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) {
        item.el.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].el.id);
        items[index].el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      close();
      if (!suggestions.length) { return; }
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "autocomplete__option";
        var kind = document.createElement("span");
        kind.className = "autocomplete__kind";
        kind.textContent = kinds[s.kind] || s.kind;
        li.appendChild(document.createTextNode(s.label + " "));
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = s.url;
        });
        list.appendChild(li);
        items.push({ el: li, url: s.url });
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      var ticket = ++latest;
      // The page's language, not the browser's: suggestions link to pages in this language.
      fetch(endpoint + "?q=" + encodeURIComponent(text),
        { headers: { Accept: "application/json", "Accept-Language": lang } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (ticket === latest) { render(data.suggestions || []); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = items[active].url;
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  document.querySelectorAll("[data-autocomplete-url]").forEach(setup);
})();
