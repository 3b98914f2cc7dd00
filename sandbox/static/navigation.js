// The web chat's ways around: the pickers' drawer on a phone, the persona's hint, and links to a
// bot that stay in the page. Loaded before app.js, which calls these.
"use strict";

// ---- the drawer (below 700 px the person and conversation pickers live in it) -------------------
const PHONE = window.matchMedia("(max-width: 700px)");

function setDrawer(open) {
  const wanted = Boolean(open) && PHONE.matches;
  document.body.classList.toggle("drawer-open", wanted);
  document.querySelector("#picker-toggle").setAttribute("aria-expanded", String(wanted));
  document.querySelector("#drawer-backdrop").hidden = !wanted;
}

function wireDrawer() {
  document.querySelector("#picker-toggle").addEventListener("click",
    () => setDrawer(!document.body.classList.contains("drawer-open")));
  document.querySelector("#drawer-backdrop").addEventListener("click", () => setDrawer(false));
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") setDrawer(false); });
  PHONE.addEventListener("change", () => setDrawer(false));
}

// The toggle shows who you are and how many messages wait in your other chats.
function showPickerSummary(name, unread) {
  document.querySelector("#picker-who").textContent = name || "";
  const badge = document.querySelector("#picker-unread");
  badge.textContent = unread ? String(unread) : "";
  badge.hidden = !unread;
}

// ---- the persona's hint ---------------------------------------------------------------------------
// A command with its argument ("/kiemtra 0389 123 456") in the hint is a button that sends it.
const HINT_COMMAND = /\/[a-z_]+(?: \d{3,4}(?: \d{3,4}){1,3})?/g;
const hintsClosed = new Set();

// Its first line is always shown; on a phone the others fold behind the ▾ button.
function showHint(persona, onCommand) {
  const box = document.querySelector("#hint");
  const text = document.querySelector("#hint-text");
  const more = document.querySelector("#hint-more");
  text.replaceChildren();
  box.classList.remove("expanded");
  if (!persona || !persona.hint || hintsClosed.has(persona.id)) {
    box.hidden = true;
    return;
  }
  const lines = persona.hint.split("\n").filter((line) => line.trim());
  lines.forEach((line, i) => {
    const row = document.createElement("div");
    row.className = i ? "hint-line more" : "hint-line";
    let pos = 0;
    for (const m of line.matchAll(HINT_COMMAND)) {
      row.append(line.slice(pos, m.index));
      const command = m[0];
      const span = document.createElement("span");
      span.className = "cmd";
      span.title = "Bấm để gửi";
      span.textContent = command;
      span.addEventListener("click", () => onCommand(command));
      row.append(span);
      pos = m.index + command.length;
    }
    row.append(line.slice(pos));
    text.append(row);
  });
  more.hidden = lines.length < 2;
  more.onclick = () => {
    const open = box.classList.toggle("expanded");
    more.textContent = open ? "▴" : "▾";
    more.setAttribute("aria-expanded", String(open));
  };
  more.textContent = "▾";
  more.setAttribute("aria-expanded", "false");
  box.hidden = false;
  document.querySelector("#hint-close").onclick = () => {
    hintsClosed.add(persona.id);
    box.hidden = true;
  };
}

// ---- links to a bot ------------------------------------------------------------------------------
// Telegram usernames of bots end in "bot". A link to one ("write to me privately") would leave
// the offline page for t.me: here it opens the person's private chat with the bot instead and
// sends /start with the link's payload, as Telegram's Start button does.
const BOT_LINK = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/([A-Za-z0-9_]{2,32}bot)\/?(?:\?start=([A-Za-z0-9_-]{0,64}))?$/i;

function botLinkStart(url) {
  const m = BOT_LINK.exec(String(url || "").trim());
  if (!m) return null;
  return m[2] ? `/start ${m[2]}` : "/start";
}

// An <a> for ``url``: a bot link runs ``openBot(startCommand)`` in the page; others open outside.
function linkElement(url, openBot, attrs = {}) {
  const node = document.createElement("a");
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  const start = botLinkStart(url);
  if (start) {
    node.href = "#";
    node.dataset.botStart = start;
    node.title = "Mở trò chuyện riêng với bot";
    node.addEventListener("click", (ev) => { ev.preventDefault(); openBot(start); });
  } else {
    node.href = url;
    node.target = "_blank";
    node.rel = "noopener";
  }
  return node;
}
