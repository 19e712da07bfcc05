/**
 * `GET /phone`: a self-contained "customer phone" page (inline CSS + JS, no
 * external resources) that chats with the demo business through the simulator.
 */
import { DEFAULT_DISPLAY_PHONE } from "./meta.ts";

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#d1d7db;color:#111b21}
main{max-width:480px;height:100vh;margin:0 auto;display:flex;flex-direction:column;background:#efeae2}
header{background:#008069;color:#fff;padding:10px 14px}
h1{font-size:1rem;margin:0 0 8px}
.who{display:flex;gap:8px;flex-wrap:wrap}
.who label{display:flex;flex-direction:column;font-size:.75rem;flex:1 1 140px}
.who input{font:inherit;padding:4px 6px;border:0;border-radius:4px;margin-top:2px}
.peer{font-size:.8rem;margin-top:6px;opacity:.9}
.chat{flex:1;overflow-y:auto;padding:12px}
#phone-messages{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
#phone-messages li{max-width:80%;padding:6px 9px;border-radius:8px;box-shadow:0 1px .5px rgba(0,0,0,.13);white-space:pre-wrap;word-wrap:break-word}
#phone-messages li[data-direction="in"]{align-self:flex-end;background:#d9fdd3}
#phone-messages li[data-direction="out"]{align-self:flex-start;background:#fff}
.meta{display:block;text-align:right;font-size:.7rem;color:#667781;margin-top:2px}
.tick-read{color:#53bdeb}.tick-failed{color:#d93025;font-weight:bold}
.choices{display:flex;flex-direction:column;gap:4px;margin-top:6px}
.choices button{font:inherit;color:#008069;background:#f7f8fa;border:1px solid #d1d7db;border-radius:6px;padding:4px}
.choices button:focus-visible,#phone-send:focus-visible{outline:2px solid #005c4b;outline-offset:2px}
.typing{font-size:.8rem;color:#667781;padding:0 12px;min-height:1.2em}
form.compose{display:flex;gap:8px;padding:8px;background:#f0f2f5}
#phone-compose{flex:1;font:inherit;padding:8px 10px;border:0;border-radius:8px;resize:none}
#phone-send{font:inherit;background:#008069;color:#fff;border:0;border-radius:8px;padding:0 16px;cursor:pointer}
#phone-status{font-size:.8rem;color:#b3261e;padding:0 12px;min-height:1.2em}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

/* The client script is plain ES2020 and deliberately avoids template literals. */
const SCRIPT = `
(function () {
  "use strict";
  var BUSINESS = "${DEFAULT_DISPLAY_PHONE}";
  var POLL_MS = 700;
  var numberInput = document.getElementById("phone-number");
  var nameInput = document.getElementById("phone-name");
  var compose = document.getElementById("phone-compose");
  var form = document.getElementById("phone-form");
  var list = document.getElementById("phone-messages");
  var statusLine = document.getElementById("phone-status");
  var typingLine = document.getElementById("phone-typing");
  var lastRendered = "";
  var params = new URLSearchParams(location.search);
  if (params.get("number")) numberInput.value = params.get("number");
  if (params.get("name")) nameInput.value = params.get("name");

  function digits() { return numberInput.value.replace(/\\D/g, ""); }
  function setStatus(text) { statusLine.textContent = text; }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (r) { return r.json(); });
  }

  function sendMessage(payload) {
    var from = digits();
    if (!from) { setStatus("Enter the customer's number first."); return Promise.resolve(); }
    payload.from = from;
    payload.name = nameInput.value.trim() || undefined;
    return post("/_sim/inbound", payload).then(function (r) {
      if (r.error) setStatus(r.error);
      else if (r.httpStatus !== null && !r.delivered) setStatus("Webhook not accepted (HTTP " + r.httpStatus + "), retrying.");
      else if (r.httpStatus === null && !r.delivered) setStatus("Queued in the simulator outbox.");
      else setStatus("");
      return poll();
    }).catch(function (e) { setStatus("Send failed: " + e.message); });
  }

  function ticks(m) {
    var span = document.createElement("span");
    var labels = { sent: ["\\u2713", "sent"], delivered: ["\\u2713\\u2713", "delivered"], read: ["\\u2713\\u2713", "read"], failed: ["!", "failed"] };
    var l = m.status && labels[m.status];
    if (!l) return span;
    span.textContent = " " + l[0];
    span.className = "tick-" + m.status;
    span.setAttribute("aria-label", l[1]);
    span.title = l[1];
    return span;
  }

  function time(ts) {
    var d = new Date(ts * 1000);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function choiceButton(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function replyContext(m) { return { from: BUSINESS, id: m.id }; }

  function interactiveChoices(m, box) {
    var it = m.raw.interactive || {};
    var action = it.action || {};
    (action.buttons || []).forEach(function (b) {
      var reply = b.reply || {};
      box.appendChild(choiceButton(reply.title, function () {
        sendMessage({ message: { type: "interactive", context: replyContext(m),
          interactive: { type: "button_reply", button_reply: { id: reply.id, title: reply.title } } } });
      }));
    });
    (action.sections || []).forEach(function (s) {
      (s.rows || []).forEach(function (row) {
        var reply = { id: row.id, title: row.title };
        if (row.description) reply.description = row.description;
        box.appendChild(choiceButton(row.title, function () {
          sendMessage({ message: { type: "interactive", context: replyContext(m),
            interactive: { type: "list_reply", list_reply: reply } } });
        }));
      });
    });
  }

  function templateChoices(m, box) {
    var comps = (m.raw.template && m.raw.template.components) || [];
    comps.forEach(function (c) {
      if (c.type !== "button" || c.sub_type !== "quick_reply") return;
      (c.parameters || []).forEach(function (p) {
        if (p.type !== "payload") return;
        box.appendChild(choiceButton(p.payload, function () {
          sendMessage({ message: { type: "button", context: replyContext(m),
            button: { payload: p.payload, text: p.payload } } });
        }));
      });
    });
  }

  function renderMessage(m) {
    var li = document.createElement("li");
    li.setAttribute("data-direction", m.direction);
    li.setAttribute("data-id", m.id);
    if (m.status) li.setAttribute("data-status", m.status);
    var text = document.createElement("span");
    text.className = "text";
    text.textContent = m.text;
    li.appendChild(text);
    if (m.direction === "out") {
      var box = document.createElement("div");
      box.className = "choices";
      if (m.type === "interactive") interactiveChoices(m, box);
      if (m.type === "template") templateChoices(m, box);
      if (box.childNodes.length) li.appendChild(box);
    }
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = time(m.timestamp);
    if (m.direction === "in") meta.appendChild(ticks(m));
    else if (m.status === "failed") meta.appendChild(ticks(m));
    li.appendChild(meta);
    return li;
  }

  function render(data) {
    var key = JSON.stringify(data);
    if (key === lastRendered) return;
    lastRendered = key;
    var chat = list.parentElement;
    var atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
    list.replaceChildren.apply(list, data.messages.map(renderMessage));
    typingLine.textContent = data.typing ? "typing\\u2026" : "";
    if (atBottom) chat.scrollTop = chat.scrollHeight;
  }

  function needsRead(data) {
    return data.messages.some(function (m) {
      return m.direction === "out" && m.status !== "read" && m.status !== "failed";
    });
  }

  var polling = false;
  function poll() {
    var who = digits();
    if (!who || polling) return Promise.resolve();
    polling = true;
    return fetch("/_sim/threads/" + who).then(function (r) { return r.json(); }).then(function (data) {
      if (who !== digits()) return;
      render(data);
      if (document.visibilityState === "visible" && needsRead(data)) {
        return post("/_sim/threads/" + who + "/read");
      }
    }).catch(function () { /* the simulator may be restarting */ }).finally(function () { polling = false; });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = compose.value;
    if (!text.trim()) return;
    compose.value = "";
    sendMessage({ text: text });
    compose.focus();
  });
  compose.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  numberInput.addEventListener("change", function () { lastRendered = ""; list.replaceChildren(); poll(); });
  document.addEventListener("visibilitychange", poll);
  setInterval(poll, POLL_MS);
  poll();
})();
`;

/** The full HTML of the customer phone page. */
export function phonePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer phone (simulator)</title>
<style>${STYLE}</style>
</head>
<body>
<main>
  <header>
    <h1>Customer phone (simulator)</h1>
    <div class="who">
      <label for="phone-number">Customer number (wa_id)
        <input id="phone-number" name="number" inputmode="numeric" autocomplete="off" value="393331234567">
      </label>
      <label for="phone-name">Customer name
        <input id="phone-name" name="name" autocomplete="off" value="Mario Rossi">
      </label>
    </div>
    <div class="peer">Chat with the demo business · +1 555 010 0001</div>
  </header>
  <div class="chat" role="log" aria-live="polite" aria-label="Messages">
    <ul id="phone-messages"></ul>
  </div>
  <div id="phone-typing" class="typing" aria-live="polite"></div>
  <div id="phone-status" role="status"></div>
  <form id="phone-form" class="compose">
    <label for="phone-compose" class="sr-only">Message</label>
    <textarea id="phone-compose" rows="1" placeholder="Message" autocomplete="off"></textarea>
    <button id="phone-send" type="submit">Send</button>
  </form>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
