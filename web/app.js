// Starts the rasa-webchat widget against the Rasa socket.io channel. The page
// never carries the API token: the socket.io channel needs none.
(function () {
  "use strict";
  var config = window.PROTHEUS_CHAT || {};
  var MAX_CHARS = config.maxMessageChars || 2000;

  window.WebChat.default({
    socketUrl: config.socketUrl,
    socketPath: "/socket.io/",
    initPayload: "/saludo",
    title: "Soporte Protheus",
    subtitle: "Asistente virtual",
    inputTextFieldHint: "Escriba su consulta…",
    connectingText: "Conectando…",
    showFullScreenButton: true,
    params: { storage: "session" },
    customData: { language: "es" }
  }, document.getElementById("chat"));

  function input() { return document.querySelector(".rw-new-message"); }

  // Suggested questions: open the chat and type the question for the customer.
  document.querySelectorAll("[data-question]").forEach(function (button) {
    button.addEventListener("click", function () {
      var launcher = document.querySelector(".rw-launcher");
      if (launcher && !document.querySelector(".rw-conversation-container")) launcher.click();
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
})();
