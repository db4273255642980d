// Starts the rasa-webchat widget against the Rasa socket.io channel. The page
// never carries the API token: it holds a signed chat session (/config.js, or the
// customer portal's own token in window.PROTHEUS_CHAT_TOKEN), which names the one
// conversation this browser may join.
// Texts come from /config.js (mensajes.yml on the server), not from this file.
(function () {
  "use strict";
  var config = window.PROTHEUS_CHAT || {};
  var MAX_CHARS = config.maxMessageChars || 2000;
  var SESSION_KEY = "chat_session";        // where rasa-webchat keeps the conversation
  var REOPEN_KEY = "protheus_reabrir_chat"; // open the chat again after "Nueva conversación"
  var TOKEN_KEY = "protheus_sesion_chat";   // the signed session of this tab's conversation
  var SAFE_LINK = /^(https?:|mailto:)/i;
  var e = window.React.createElement;

  // Seconds left of a token (its "exp" claim); 0 when unreadable.
  function secondsLeft(token) {
    try {
      var claims = JSON.parse(window.atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return claims.exp - Date.now() / 1000;
    } catch (error) {
      return 0;
    }
  }

  // The portal's token first; then the one this tab already holds while it lasts (the
  // conversation survives a reload); else the fresh one the server sent.
  function chatToken() {
    var stored = window.sessionStorage.getItem(TOKEN_KEY);
    var token = window.PROTHEUS_CHAT_TOKEN || (stored && secondsLeft(stored) > 60 ? stored : config.chatToken);
    if (token !== stored) window.sessionStorage.removeItem(SESSION_KEY);
    window.sessionStorage.setItem(TOKEN_KEY, token);
    return token;
  }

  // The hand-off payload {"handoff": {canal, id, intent, resumen}} as a card. React
  // escapes every value, so nothing in the payload can run as code.
  function HandoffCard(props) {
    var handoff = props.handoff;
    if (!handoff || !handoff.id) return null;
    var texts = config.handoffCard || {};
    var channel = (texts.canales || {})[handoff.canal] || { nombre: handoff.canal, siguiente: "" };
    return e("section", { className: "handoff-card", "aria-label": texts.titulo },
      e("h2", { className: "handoff-title" }, texts.titulo),
      e("dl", null,
        e("dt", null, texts.canal), e("dd", { className: "handoff-channel" }, channel.nombre),
        e("dt", null, texts.numero), e("dd", { className: "handoff-id" }, handoff.id),
        e("dt", null, texts.siguiente), e("dd", { className: "handoff-next" }, channel.siguiente)),
      config.portalUrl ? e("a", { className: "handoff-link", href: config.portalUrl, target: "_blank",
        rel: "noopener noreferrer" }, texts.enlace) : null);
  }

  // The satisfaction survey {"encuesta": {id}}: five buttons and an optional comment, sent to
  // the web app with this tab's chat session (the server keeps it only for this conversation).
  function SurveyCard(props) {
    var texts = config.survey || {};
    var state = window.React.useState({ score: null, comment: "", status: "idle", message: "" });
    var current = state[0], set = state[1];
    function update(change) { set(Object.assign({}, current, change)); }
    function send() {
      update({ status: "sending", message: "" });
      window.fetch(texts.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sesion: window.sessionStorage.getItem(TOKEN_KEY), encuesta: props.encuesta.id,
          puntos: current.score, comentario: current.comment })
      }).then(function (response) {
        return response.json().then(function (body) {
          var finished = response.ok || response.status === 409;
          set(Object.assign({}, current, { status: finished ? "done" : "idle", message: body.mensaje }));
        });
      }).catch(function () { update({ status: "idle", message: texts.sin_conexion }); });
    }
    var done = current.status === "done";
    var scores = Object.keys(texts.puntos || {}).map(function (score) {
      var value = Number(score);
      return e("button", { key: score, type: "button", className: "survey-score", disabled: done,
        "aria-pressed": current.score === value ? "true" : "false",
        onClick: function () { update({ score: value }); } }, score + " · " + texts.puntos[score]);
    });
    var id = "encuesta-" + props.encuesta.id;
    return e("section", { className: "survey-card", "aria-labelledby": id + "-titulo" },
      e("h2", { className: "survey-title", id: id + "-titulo" }, texts.pregunta),
      e("div", { className: "survey-scores", role: "group", "aria-label": texts.pregunta }, scores),
      done ? null : e("label", { htmlFor: id + "-comentario" }, texts.comentario),
      done ? null : e("textarea", { id: id + "-comentario", className: "survey-comment", maxLength: 1000, rows: 2,
        value: current.comment, onChange: function (event) { update({ comment: event.target.value }); } }),
      done ? null : e("button", { type: "button", className: "survey-send",
        disabled: current.score === null || current.status === "sending", onClick: send }, texts.enviar),
      e("p", { className: "survey-message", role: "status" }, current.message));
  }

  function CustomCard(props) {
    if (props.encuesta && props.encuesta.id) return e(SurveyCard, props);
    return e(HandoffCard, props);
  }

  // «El agente está escribiendo…»: the console sends `agente_escribiendo` while an agent types.
  var typingTimer = null;
  function typingNote() {
    var note = document.querySelector(".agent-typing");
    var messages = document.querySelector(".rw-messages-container");
    if (!note && messages) {
      note = document.createElement("p");
      note.className = "agent-typing";
      note.setAttribute("role", "status");
      messages.parentNode.insertBefore(note, messages.nextSibling);
    }
    return note;
  }
  function showTyping() {
    var note = typingNote();
    if (!note) return;
    note.textContent = config.agentTyping || "";
    note.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 6000);
  }
  function hideTyping() {
    var note = document.querySelector(".agent-typing");
    if (note) note.hidden = true;
  }

  window.WebChat.selfMount({
    // rasa-webchat 1.0.1 passes the URL's query to every socket.io request.
    socketUrl: config.socketUrl + "/?sesion=" + encodeURIComponent(chatToken()),
    socketPath: "/socket.io/",
    initPayload: config.initPayload,
    title: "Soporte Protheus",
    subtitle: "Asistente virtual",
    inputTextFieldHint: "Escriba su consulta…",
    connectingText: "Conectando…",
    showFullScreenButton: true,
    params: { storage: "session" },
    customData: { language: "es" },
    customComponent: CustomCard,
    onSocketEvent: { agente_escribiendo: showTyping, bot_uttered: hideTyping }
  }, document.getElementById("chat"));

  function input() { return document.querySelector(".rw-new-message"); }
  function openChat() {
    var launcher = document.querySelector(".rw-launcher");
    if (launcher && !document.querySelector(".rw-conversation-container")) launcher.click();
  }

  // Suggested questions: open the chat and type the question for the customer.
  document.querySelectorAll("[data-question]").forEach(function (button) {
    button.addEventListener("click", function () {
      openChat();
      setTimeout(function () {
        var field = input();
        if (!field) return;
        var setter = Object.getOwnPropertyDescriptor(window.HTMLTextAreaElement.prototype, "value").set;
        setter.call(field, button.dataset.question);
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      }, 300);
    });
  });

  // Limit the message length in the page (the server enforces it too).
  document.addEventListener("input", function (event) {
    if (event.target === input()) event.target.setAttribute("maxlength", String(MAX_CHARS));
  }, true);

  // "Nueva conversación": forget the stored session; the server then gives a new id.
  function newConversation() {
    window.sessionStorage.removeItem(SESSION_KEY);
    window.sessionStorage.removeItem(TOKEN_KEY);
    window.sessionStorage.setItem(REOPEN_KEY, "1");
    window.location.reload();
  }

  function label(selector, text) {
    document.querySelectorAll(selector).forEach(function (node) {
      if (!node.getAttribute("aria-label")) node.setAttribute("aria-label", text);
    });
  }

  // The widget has no labels of its own and re-creates its parts when it opens and
  // closes: add the labels, the live region and the "Nueva conversación" button each time.
  // Links in messages: only http(s) and mailto (the server removes others too; this is the
  // page's own guard). Any other becomes plain text.
  function defuseLinks() {
    document.querySelectorAll("#chat a[href]").forEach(function (link) {
      if (SAFE_LINK.test(link.getAttribute("href").trim())) return;
      link.replaceWith(document.createTextNode(link.textContent));
    });
  }

  function enhance() {
    defuseLinks();
    var launcher = document.querySelector(".rw-launcher");
    var launcherText = document.querySelector(".rw-conversation-container") ? "Cerrar el chat" : "Abrir el chat de soporte";
    if (launcher && launcher.getAttribute("aria-label") !== launcherText) launcher.setAttribute("aria-label", launcherText);
    label(".rw-new-message", "Su mensaje");
    label(".rw-send", "Enviar");
    label(".rw-close-button", "Cerrar el chat");
    label(".rw-toggle-fullscreen-button", "Pantalla completa");
    var messages = document.getElementById("rw-messages") || document.querySelector(".rw-messages-container");
    if (messages && !messages.getAttribute("role")) {
      messages.setAttribute("role", "log");
      messages.setAttribute("aria-live", "polite");
      messages.setAttribute("aria-label", "Conversación con el asistente");
      messages.setAttribute("tabindex", "0");
    }
    // Quick replies are plain divs: make them reachable and usable from the keyboard.
    document.querySelectorAll(".rw-reply:not([tabindex])").forEach(function (reply) {
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
      reply.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          reply.click();
        }
      });
    });
    var header = document.querySelector(".rw-header");
    if (header && !header.querySelector(".new-conversation")) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "new-conversation";
      button.textContent = "Nueva conversación";
      button.addEventListener("click", newConversation);
      header.appendChild(button);
    }
  }

  new MutationObserver(enhance).observe(document.getElementById("chat"), { childList: true, subtree: true });

  if (window.sessionStorage.getItem(REOPEN_KEY)) {
    window.sessionStorage.removeItem(REOPEN_KEY);
    var tries = 0;
    var timer = setInterval(function () {
      tries += 1;
      if (document.querySelector(".rw-launcher") || tries > 50) {
        clearInterval(timer);
        openChat();
      }
    }, 100);
  }
})();
