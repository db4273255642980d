// The live queue (/consola/eventos, Server-Sent Events): new hand-offs and what customers write
// reach the console without reloading; a count in the tab title; an optional sound; and, while
// the agent types a reply, «El agente está escribiendo…» in the customer's chat.
// Everything from the server is shown with textContent: nothing a customer wrote runs as code.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var SOUND_KEY = "consola_sonido";
  var baseTitle = document.title;
  var unseen = 0;

  function showCount() {
    document.title = unseen ? "(" + unseen + ") " + baseTitle : baseTitle;
  }
  // News count until the agent does something on the page (or comes back to the tab).
  function seen() {
    if (document.visibilityState === "visible" && unseen) { unseen = 0; showCount(); }
  }
  document.addEventListener("visibilitychange", seen);
  document.addEventListener("click", seen);
  document.addEventListener("keydown", seen);

  function beep() {
    if (window.localStorage.getItem(SOUND_KEY) !== "1") return;
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      var audio = new Context();
      var tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch (error) { /* no sound in this browser */ }
  }

  function soundToggle() {
    var header = document.querySelector("header.top");
    if (!header || document.getElementById("sonido")) return;
    var label = document.createElement("label");
    label.className = "sound-toggle";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = "sonido";
    box.checked = window.localStorage.getItem(SOUND_KEY) === "1";
    box.addEventListener("change", function () { window.localStorage.setItem(SOUND_KEY, box.checked ? "1" : "0"); });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" Sonido"));
    header.insertBefore(label, header.querySelector("form.logout"));
  }

  // The live notices: one list at the top of the page.
  function noticeList() {
    var list = document.getElementById("en-vivo");
    if (!list) {
      list = document.createElement("ul");
      list.id = "en-vivo";
      list.className = "live-notices";
      list.setAttribute("aria-live", "polite");
      list.setAttribute("aria-label", "Novedades en vivo");
      var main = document.querySelector("main");
      main.insertBefore(list, main.firstChild);
    }
    return list;
  }
  function notify(text, link) {
    var item = document.createElement("li");
    var words = document.createElement("span");
    words.textContent = text + " ";
    item.appendChild(words);
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = "Abrir";
      item.appendChild(anchor);
    }
    noticeList().insertBefore(item, noticeList().firstChild);
    unseen += 1;
    showCount();
    beep();
  }

  // On the queue page, the list itself is redrawn from the server's page (escaped there);
  // ?refresco=1: a redraw is not the agent's activity (it must not keep them «disponible»).
  function refreshQueue() {
    var current = document.getElementById("cola-lista");
    if (!current) return;
    window.fetch("/consola/cola?refresco=1", { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html) return;
      var fresh = new window.DOMParser().parseFromString(html, "text/html").getElementById("cola-lista");
      if (fresh) current.replaceWith(fresh);
    });
  }

  var source = new window.EventSource("/consola/eventos");
  source.addEventListener("cola", function (event) {
    var data = JSON.parse(event.data);
    data.nuevas.forEach(function (handoff) {
      notify("Nueva derivación " + handoff.id + " · " + handoff.canal + ": " + handoff.resumen, handoff.enlace);
    });
    refreshQueue();
  });
  source.addEventListener("mensaje", function (event) {
    var data = JSON.parse(event.data);
    var here = window.location.pathname === "/consola/conversaciones/" + encodeURIComponent(data.conversacion);
    notify("El cliente de " + data.derivacion + " escribió: «" + data.texto + "»", here ? null : data.enlace);
    refreshQueue();
  });

  // «Escribiendo»: at most one notice every 3 seconds while the agent types.
  document.querySelectorAll("form.reply[action$=\"/responder\"] textarea").forEach(function (field) {
    var form = field.form;
    var last = 0;
    field.addEventListener("input", function () {
      var now = Date.now();
      if (now - last < 3000) return;
      last = now;
      var body = new window.FormData();
      body.append("csrf", form.querySelector("input[name=csrf]").value);
      window.fetch(form.getAttribute("action").replace(/\/responder$/, "/escribiendo"),
        { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
    });
  });

  soundToggle();
})();
