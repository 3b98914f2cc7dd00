// The sandbox web chat: a messenger-like page over the sandbox control API only.
// Live updates come from the /sandbox/events server-sent events stream (no polling).
"use strict";

const ROLE_GROUPS = [
  ["resident", "Người dân"],
  ["police", "Cảnh sát khu vực"],
  ["moderator", "Người kiểm duyệt"],
  ["admin", "Quản trị"],
  ["", "Khác"],
];
const BOT_NAME = "Trợ lý An ninh";

const state = {
  personas: [],
  me: null,
  chats: [],          // [{id, type, title, ...}] of the current persona
  chatId: null,
  messages: new Map(), // message_id -> message of the current chat
  pinnedId: null,
  unread: new Map(),
  seen: new Map(),     // persona id -> Map(chat id -> last message id seen), for unread badges
  baseline: new Map(), // chat id -> message count when the page opened
  replyTo: null,
  botName: BOT_NAME,
  chatSub: "",
};

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
};

// ---- control API ---------------------------------------------------------------------------
async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const resp = await fetch(path, init);
  let data = null;
  try { data = await resp.json(); } catch (_) { /* not JSON */ }
  if (!resp.ok) {
    const error = new Error((data && data.error) || resp.statusText);
    error.status = resp.status;
    throw error;
  }
  return data;
}

// A Zalo message (sandbox/zalo_api.py) in the shape the page renders.
function fromZalo(m) {
  const from = m.from_bot ? { id: 0, is_bot: true }
    : { id: Number(m.from.id) || m.from.id, first_name: m.from.display_name, is_bot: false };
  return { message_id: m.seq, date: Math.floor(m.date / 1000), from,
    chat: { id: Number(m.chat.id) || m.chat.id, type: "private" }, text: m.text,
    caption: m.caption, photo_url: m.photo_url, sticker: m.sticker ? {} : undefined };
}

function isOa() { // a follower of the Zalo Official Account (the sandbox's OA API)
  return Boolean(state.me && state.me.platform === "zalo_oa");
}

function fromOa(m) {
  const me = state.me || {};
  const from = m.from_oa ? { id: 0, is_bot: true }
    : { id: Number(me.id), first_name: me.first_name || me.name, is_bot: false };
  const image = (m.attachments || []).find((a) => a.type === "image");
  return { message_id: m.seq, date: Math.floor((m.time || Date.now()) / 1000), from,
    chat: { id: Number(me.id), type: "private" }, text: m.text || "",
    photo_url: image && image.payload ? image.payload.url : undefined };
}

async function oaSend(body) {
  try {
    await api("POST", `/sandbox/zalo-oa/users/${state.me.id}/messages`, body);
  } catch (error) {
    toast(`Không gửi được: ${error.message}`, "error");
  }
  return null;
}

function fromUser() {
  const p = state.me;
  const user = { id: p.id, first_name: p.first_name || p.name, is_bot: false,
    language_code: p.language_code || "vi" };
  if (p.last_name) user.last_name = p.last_name;
  if (p.username) user.username = p.username;
  return user;
}

function currentChat() {
  return state.chats.find((c) => c.id === state.chatId) || null;
}

function chatTypeFor(chatId) {
  const chat = state.chats.find((c) => c.id === chatId);
  if (chat) return chat.type;
  return chatId > 0 ? "private" : "supergroup";
}

// ---- rendering of text with entities -------------------------------------------------------
// Offsets are UTF-16 code units, which is exactly how JavaScript strings index.
const SAFE_URL = /^(https?:|tg:|mailto:)/i;

function renderEntities(text, entities) {
  const root = document.createDocumentFragment();
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  build(root, text, sorted, 0, text.length);
  return root;
}

function build(parent, text, entities, start, end) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const e = entities[i];
    const eEnd = e.offset + e.length;
    if (e.offset < pos || eEnd > end) { i += 1; continue; } // overlapping: ignore
    if (e.offset > pos) parent.append(text.slice(pos, e.offset));
    const inner = [];
    let j = i + 1;
    while (j < entities.length && entities[j].offset < eEnd) {
      if (entities[j].offset + entities[j].length <= eEnd) inner.push(entities[j]);
      j += 1;
    }
    const node = wrapEntity(e, text.slice(e.offset, eEnd));
    build(node, text, inner, e.offset, eEnd);
    parent.append(node);
    pos = eEnd;
    i = j;
  }
  if (pos < end) parent.append(text.slice(pos, end));
}

function wrapEntity(e, content) {
  switch (e.type) {
    case "bold": return el("b");
    case "italic": return el("i");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "spoiler": return el("span", { class: "spoiler",
      onclick: (ev) => ev.currentTarget.classList.toggle("shown") });
    case "code": return el("code");
    case "pre": return el("pre", { "data-language": e.language });
    case "blockquote": case "expandable_blockquote": return el("blockquote");
    case "text_link":
      return SAFE_URL.test(e.url || "") ? linkElement(e.url, openBotChat) : el("span");
    case "url": {
      const href = /^[a-z]+:/i.test(content) ? content : `http://${content}`;
      return SAFE_URL.test(href) ? linkElement(href, openBotChat) : el("span");
    }
    case "email": return el("a", { href: `mailto:${content}` });
    case "phone_number": return el("a", { href: `tel:${content}` });
    case "bot_command":
      return el("span", { class: "cmd", title: "Bấm để gửi lệnh",
        onclick: () => sendText(content) });
    case "mention": case "text_mention": case "hashtag": case "cashtag":
      return el("span", { class: "cmd" });
    default: return el("span");
  }
}

// ---- rendering of messages ------------------------------------------------------------------
function personName(user) {
  if (!user) return "?";
  if (user.is_bot) return state.botName;
  const persona = state.personas.find((p) => p.id === user.id);
  if (persona) return persona.name;
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || `#${user.id}`;
}

function fileUrl(fileId) {
  return `/sandbox/files/${encodeURIComponent(fileId)}`;
}

function timeOf(ts) {
  try {
    return new Date(ts * 1000).toLocaleTimeString("vi-VN",
      { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
  } catch (_) {
    return new Date(ts * 1000).toLocaleTimeString();
  }
}

function shortText(m) {
  if (!m) return "";
  const text = m.text || m.caption;
  if (text) return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  if (m.photo) return "🖼 Ảnh";
  if (m.document) return `📄 ${m.document.file_name || "Tệp"}`;
  if (m.location) return "📍 Vị trí";
  if (m.video) return "🎬 Video";
  if (m.voice || m.audio) return "🎤 Âm thanh";
  return "Tin nhắn";
}

function serviceText(m) {
  const who = personName(m.from);
  if (m.new_chat_members) {
    const names = m.new_chat_members.map(personName).join(", ");
    return m.from && m.new_chat_members.some((u) => u.id === m.from.id)
      ? `${names} đã tham gia nhóm` : `${who} đã thêm ${names} vào nhóm`;
  }
  if (m.left_chat_member) return `${personName(m.left_chat_member)} đã rời nhóm`;
  if (m.pinned_message) return `${who} đã ghim: «${shortText(m.pinned_message)}»`;
  if (m.new_chat_title) return `${who} đã đổi tên nhóm thành «${m.new_chat_title}»`;
  if (m.group_chat_created || m.supergroup_chat_created) return "Nhóm đã được tạo";
  return null;
}

function mediaNodes(m) {
  const nodes = [];
  if (m.photo_url) {
    nodes.push(el("a", { href: m.photo_url, target: "_blank" },
      el("img", { class: "photo", src: m.photo_url, alt: "Ảnh" })));
  }
  if (m.photo && m.photo.length) {
    const big = m.photo[m.photo.length - 1];
    nodes.push(el("a", { href: fileUrl(big.file_id), target: "_blank" },
      el("img", { class: "photo", src: fileUrl(big.file_id), alt: "Ảnh" })));
  }
  for (const kind of ["video", "animation"]) {
    if (m[kind]) nodes.push(el("video", { src: fileUrl(m[kind].file_id), controls: true }));
  }
  for (const kind of ["voice", "audio"]) {
    if (m[kind]) nodes.push(el("audio", { src: fileUrl(m[kind].file_id), controls: true }));
  }
  if (m.document) {
    const doc = m.document;
    const mime = doc.mime_type || "";
    if (mime.startsWith("image/")) {
      nodes.push(el("img", { class: "photo", src: fileUrl(doc.file_id), alt: doc.file_name }));
    }
    const size = doc.file_size ? ` (${Math.max(1, Math.round(doc.file_size / 1024))} KB)` : "";
    nodes.push(el("a", { class: "doc", href: fileUrl(doc.file_id),
      download: doc.file_name || "tep", target: "_blank" },
    `📄 ${doc.file_name || "Tệp đính kèm"}${size} — Tải về`));
  }
  if (m.location) {
    const { latitude, longitude } = m.location;
    nodes.push(el("div", { class: "location" },
      `📍 Vị trí: ${latitude.toFixed(5)}, ${longitude.toFixed(5)}`));
  }
  if (m.venue) nodes.push(el("div", {}, `🏠 ${m.venue.title} — ${m.venue.address}`));
  if (m.contact) {
    nodes.push(el("div", {}, `👤 ${m.contact.first_name || ""} ${m.contact.phone_number || ""}`));
  }
  if (m.sticker) nodes.push(el("div", {}, "[Nhãn dán]"));
  return nodes;
}

function inlineKeyboard(m) {
  const rows = (m.reply_markup && m.reply_markup.inline_keyboard) || [];
  if (!rows.length || m.deleted) return null;
  return el("div", { class: "inline-kb" }, rows.map((row) => el("div", { class: "row" },
    row.map((b) => {
      if (b.url) {
        const link = SAFE_URL.test(b.url) ? linkElement(b.url, openBotChat) : el("a");
        link.append(b.text);
        return link;
      }
      if (b.callback_data !== undefined) {
        return el("button", { type: "button", "data-data": b.callback_data,
          onclick: (ev) => pressButton(m, b, ev.currentTarget) }, b.text);
      }
      return el("button", { type: "button", disabled: true }, b.text);
    }))));
}

function renderMessage(m) {
  const service = serviceText(m);
  if (service) {
    return el("div", { class: "msg service", "data-id": m.message_id }, service);
  }
  const mine = state.me && m.from && m.from.id === state.me.id && !m.from.is_bot;
  const classes = ["msg", mine ? "out" : "in"];
  if (m.deleted) classes.push("deleted");
  if (m.pinned && !m.deleted) classes.push("pinned-msg");
  const node = el("div", { class: classes.join(" "), "data-id": m.message_id,
    "data-from": m.from ? m.from.id : "" });
  if (!mine && (chatTypeFor(state.chatId) !== "private" || m.from.is_bot)) {
    node.append(el("div", { class: "sender" }, personName(m.from)));
  }
  if (m.reply_to_message) {
    node.append(el("div", { class: "quote" },
      el("b", {}, personName(m.reply_to_message.from)), " ", shortText(m.reply_to_message)));
  }
  node.append(...mediaNodes(m));
  if (m.text !== undefined) {
    node.append(el("div", { class: "text" }, renderEntities(m.text, m.entities)));
  }
  if (m.caption !== undefined) {
    node.append(el("div", { class: "caption" },
      renderEntities(m.caption, m.caption_entities)));
  }
  if (m.deleted) node.append(el("div", { class: "deleted-note" }, "Tin nhắn đã bị xóa"));
  const kb = inlineKeyboard(m);
  if (kb) node.append(kb);
  const meta = [];
  if (m.pinned && !m.deleted) meta.push("📌");
  if (m.edit_date) meta.push("đã sửa");
  meta.push(timeOf(m.date));
  node.append(el("div", { class: "meta" }, meta.join(" · ")));
  if (!m.deleted) {
    node.append(el("button", { type: "button", class: "reply-btn", title: "Trả lời",
      onclick: () => setReplyTo(m) }, "↩"));
  }
  return node;
}

function upsertMessage(m, { scroll = true } = {}) {
  const box = $("#messages");
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  state.messages.set(m.message_id, m);
  const seen = state.me && state.seen.get(state.me.id);
  if (seen && state.chatId !== null && m.message_id > (seen.get(state.chatId) || 0)) {
    seen.set(state.chatId, m.message_id);
  }
  const node = renderMessage(m);
  const old = box.querySelector(`.msg[data-id="${m.message_id}"]`);
  if (old) old.replaceWith(node);
  else {
    const later = [...box.children].find((c) => Number(c.dataset.id) > m.message_id);
    box.insertBefore(node, later || null);
  }
  if (scroll && (nearBottom || (m.from && state.me && m.from.id === state.me.id) || !old)) {
    box.scrollTop = box.scrollHeight;
  }
}

function scrollToBottom() {
  const box = $("#messages");
  box.scrollTop = box.scrollHeight;
}

function renderReplyKeyboard() {
  const box = $("#reply-kb");
  box.replaceChildren();
  let markup = null;
  const ids = [...state.messages.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const m = state.messages.get(id);
    const rm = m.reply_markup;
    if (!m.from || !m.from.is_bot || !rm || m.deleted) continue;
    if (rm.keyboard) markup = rm;
    else if (rm.remove_keyboard) markup = null;
  }
  if (!markup) { box.hidden = true; return; }
  for (const row of markup.keyboard) {
    box.append(el("div", { class: "row" }, row.map((b) => {
      const label = typeof b === "string" ? b : b.text;
      const extra = typeof b === "string" ? {} : b;
      return el("button", { type: "button", onclick: () => {
        if (extra.request_location) sendLocation(20.42, 106.17);
        else sendText(label);
      } }, label);
    })));
  }
  box.hidden = false;
}

function renderPinned() {
  const bar = $("#pinned");
  const m = state.pinnedId ? state.messages.get(state.pinnedId) : null;
  if (!m || m.deleted) { bar.hidden = true; return; }
  bar.replaceChildren(el("b", {}, "📌 Tin đã ghim: "), shortText(m));
  bar.onclick = () => {
    const node = $(`#messages .msg[data-id="${m.message_id}"]`);
    if (node) node.scrollIntoView({ block: "center" });
  };
  bar.hidden = false;
}

// ---- personas and chats ---------------------------------------------------------------------
async function loadPersonas() {
  state.personas = await api("GET", "/sandbox/personas");
  const select = $("#persona");
  select.replaceChildren();
  if (!state.personas.length) {
    select.append(el("option", { value: "" }, "Chưa có người dùng mẫu (PUT /sandbox/personas)"));
    return;
  }
  for (const [role, label] of ROLE_GROUPS) {
    const people = state.personas.filter((p) => (p.role || "") === role
      || (role === "" && !ROLE_GROUPS.some(([r]) => r && r === p.role)));
    if (!people.length) continue;
    // Names only (the role is the group, the title is on the card): a narrow picker never
    // cuts a name off.
    select.append(el("optgroup", { label }, people.map((p) =>
      el("option", { value: p.id, title: p.title || null },
        p.name + ({ zalo: " [Zalo]", zalo_oa: " [Zalo OA]" }[p.platform] || "")))));
  }
}

async function choosePersona(id, chatId) {
  const persona = state.personas.find((p) => p.id === Number(id)) || state.personas[0];
  if (!persona) return;
  state.me = persona;
  document.body.dataset.persona = String(persona.id);
  $("#persona").value = String(persona.id);
  showHint(persona, (command) => openBotChat(command));
  const card = $("#persona-card");
  card.replaceChildren(el("b", {}, persona.name),
    persona.username ? ` @${persona.username}` : "", el("br"), persona.title || "",
    persona.link ? el("br") : null,
    persona.link ? el("a", { href: persona.link.url, target: "_blank", rel: "noopener",
                             id: "persona-link" }, persona.link.label) : null);
  await loadChats();
  if (state.me !== persona) return;
  const wanted = Number(chatId);
  await openChat(state.chats.some((c) => c.id === wanted) ? wanted : persona.id);
}

async function loadChats() {
  const me = state.me;
  if (me.platform === "zalo_oa") { // the ward police's OA: one chat with it
    state.chats = [{ id: me.id, type: "private", platform: "zalo_oa" }];
    renderChatList();
    return;
  }
  if (me.platform === "zalo") { // a Zalo bot talks privately (the sandbox's Zalo Bot API)
    state.chats = [{ id: me.id, type: "private", platform: "zalo" }];
    renderChatList();
    return;
  }
  const found = await api("GET", `/sandbox/chats?member=${me.id}`);
  if (state.me !== me) return;
  const privateChat = found.find((c) => c.id === me.id)
    || { id: me.id, type: "private", message_count: 0, virtual: true };
  const groups = found.filter((c) => c.id !== me.id)
    .sort((a, b) => (a.title || "").localeCompare(b.title || "", "vi"));
  state.chats = [privateChat, ...groups];
  // What arrived since the page opened and this persona has not looked at counts as unread.
  if (!state.seen.has(me.id)) state.seen.set(me.id, new Map());
  const seen = state.seen.get(me.id);
  state.unread.clear();
  for (const c of state.chats) {
    const last = c.message_count || 0;
    if (!seen.has(c.id)) seen.set(c.id, state.baseline.get(c.id) || 0);
    if (c.id !== state.chatId && last > seen.get(c.id)) {
      state.unread.set(c.id, last - seen.get(c.id));
    }
  }
  renderChatList();
}

function chatTitle(chat) {
  if (chat.platform === "zalo") return `${state.botName} (Zalo, trò chuyện riêng)`;
  if (chat.platform === "zalo_oa") return "Công an phường (Zalo OA)";
  return chat.type === "private" ? `${state.botName} (trò chuyện riêng)` : chat.title;
}

function renderChatList() {
  let waiting = 0;
  for (const [id, n] of state.unread) if (id !== state.chatId) waiting += n;
  showPickerSummary(state.me && state.me.name, waiting);
  const list = $("#chat-list");
  list.replaceChildren(...state.chats.map((c) => {
    const unread = state.unread.get(c.id) || 0;
    return el("li", { "data-chat-id": c.id, class: c.id === state.chatId ? "active" : "",
      onclick: () => openChat(c.id) },
    el("span", {}, chatTitle(c),
      el("span", { class: "kind" }, c.type === "private" ? "Nhắn riêng với bot" : "Nhóm")),
    unread ? el("span", { class: "badge" }, unread) : null);
  }));
}

async function openChat(chatId) {
  setDrawer(false);
  state.chatId = chatId;
  state.unread.delete(chatId);
  state.messages = new Map();
  state.pinnedId = null;
  setReplyTo(null);
  $("#messages").replaceChildren();
  $("#messages").dataset.loaded = "";
  const chat = currentChat();
  $("#chat-title").textContent = chat ? chatTitle(chat) : "";
  state.chatSub = "";
  showSub();
  location.hash = `persona=${state.me.id}&chat=${chatId}`;
  renderChatList();
  await reloadHistory();
}

async function reloadHistory() {
  const chatId = state.chatId;
  let history = [];
  let info = null;
  const chat = currentChat();
  if (chat && chat.platform === "zalo_oa") {
    try {
      history = (await api("GET", `/sandbox/zalo-oa/users/${chatId}/messages`)).map(fromOa);
    } catch (error) {
      toast(`Không tải được tin nhắn: ${error.message}`, "error");
    }
    finishLoad(chatId, history, null);
    return;
  }
  if (chat && chat.platform === "zalo") {
    try {
      history = (await api("GET", `/sandbox/chats/${chatId}/messages?platform=zalo`))
        .map(fromZalo);
    } catch (error) {
      if (error.status !== 404) toast(`Không tải được tin nhắn: ${error.message}`, "error");
    }
    finishLoad(chatId, history, null);
    return;
  }
  if (chat && chat.virtual) { // the private chat exists once the persona first writes
    finishLoad(chatId, history, info);
    return;
  }
  try {
    [history, info] = await Promise.all([
      api("GET", `/sandbox/chats/${chatId}/messages`),
      api("GET", `/sandbox/chats/${chatId}`),
    ]);
  } catch (error) {
    if (error.status !== 404) toast(`Không tải được tin nhắn: ${error.message}`, "error");
  }
  finishLoad(chatId, history, info);
}

function finishLoad(chatId, history, info) {
  if (state.chatId !== chatId) return;
  for (const m of history) upsertMessage(m, { scroll: false });
  if (info) {
    state.pinnedId = info.pinned_message_id || null;
    if (info.type !== "private") {
      const people = (info.members || []).filter((m) =>
        ["creator", "administrator", "member", "restricted"].includes(m.status));
      state.chatSub = `${people.length} thành viên`;
    }
  }
  showSub();
  renderReplyKeyboard();
  renderPinned();
  scrollToBottom();
  $("#messages").dataset.loaded = String(chatId);
}

// ---- user actions ---------------------------------------------------------------------------
function messageBody(extra) {
  const body = { from: fromUser(), chat: { type: chatTypeFor(state.chatId) }, ...extra };
  if (state.me && state.me.platform === "zalo") body.platform = "zalo";
  if (state.replyTo) body.reply_to_message_id = state.replyTo;
  return body;
}

async function send(body) {
  try {
    const sent = await api("POST", `/sandbox/chats/${state.chatId}/messages`, body);
    setReplyTo(null);
    upsertMessage(sent.seq !== undefined ? fromZalo(sent) : sent);
    return sent;
  } catch (error) {
    toast(`Không gửi được: ${error.message}`, "error");
    return null;
  }
}

async function sendText(text) {
  if (!text.trim() || !state.me) return;
  if (isOa()) { await oaSend({ text }); return; }
  await send(messageBody({ text }));
}

async function sendLocation(latitude, longitude) {
  if (isOa()) { await oaSend({ location: { latitude, longitude } }); return; }
  await send(messageBody({ location: { latitude, longitude } }));
}

async function sendFile(file, caption) {
  if (isOa()) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    await oaSend({ image: btoa(binary) });
    if (caption) await oaSend({ text: caption });
    return null;
  }
  const isImage = /^image\/(jpeg|png|gif|webp)$/.test(file.type);
  const form = new FormData();
  const body = messageBody({});
  for (const [key, value] of Object.entries(body)) {
    form.append(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  if (caption) form.append("caption", caption);
  form.append(isImage ? "photo" : "document", file, file.name);
  return send(form);
}

async function pressButton(message, button, node) {
  node.classList.add("busy");
  try {
    const pressed = await api("POST", `/sandbox/chats/${message.chat.id}/callback`,
      { from: fromUser(), message_id: message.message_id, data: button.callback_data });
    const answer = await api("GET",
      `/sandbox/callbacks/${encodeURIComponent(pressed.callback_query_id)}?wait=10`);
    if (answer.answered && answer.text) toast(answer.text, answer.show_alert ? "alert" : "");
    else if (!answer.answered) toast("Bot chưa trả lời nút bấm.", "error");
  } catch (error) {
    toast(`Không bấm được nút: ${error.message}`, "error");
  } finally {
    node.classList.remove("busy");
  }
}

function setReplyTo(message) {
  state.replyTo = message ? message.message_id : null;
  $("#reply-bar").hidden = !message;
  $("#reply-text").textContent = message
    ? `Trả lời ${personName(message.from)}: ${shortText(message)}` : "";
}

let toastTimer = null;
function toast(text, kind = "") {
  const box = $("#toast");
  box.textContent = text;
  box.className = kind;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, kind === "alert" ? 8000 : 4000);
}

// ---- live updates ---------------------------------------------------------------------------
let typingTimer = null;

function showSub() {
  clearTimeout(typingTimer);
  $("#chat-sub").textContent = state.chatSub;
}

function onEvent(type, event) {
  const chatId = event.chat_id;
  const here = state.me && chatId === state.chatId;
  switch (type) {
    case "message": {
      if (event.platform === "zalo_oa") {
        if (isOa() && String(event.chat) === String(state.chatId)) {
          upsertMessage(fromOa(event.message));
          scrollToBottom();
        }
        break;
      }
      if (event.platform === "zalo") {
        if (state.me && String(chatId) === String(state.chatId)) {
          upsertMessage(fromZalo(event.message));
          scrollToBottom();
        }
        break;
      }
      const m = event.message;
      if (here) {
        const box = $("#messages");
        const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
        upsertMessage(m);
        renderReplyKeyboard();
        if (atBottom) scrollToBottom();
        if (m.from && m.from.is_bot) showSub();
      } else if (state.chats.some((c) => c.id === chatId)) {
        state.unread.set(chatId, (state.unread.get(chatId) || 0) + 1);
        renderChatList();
      }
      break;
    }
    case "edited":
      if (here) { upsertMessage(event.message, { scroll: false }); renderReplyKeyboard(); }
      break;
    case "deleted":
      if (here && state.messages.has(event.message_id)) {
        upsertMessage({ ...state.messages.get(event.message_id), deleted: true },
          { scroll: false });
        renderReplyKeyboard();
        renderPinned();
      }
      break;
    case "pinned":
    case "unpinned":
      if (here) {
        for (const [id, m] of state.messages) {
          const pinned = type === "pinned" ? (m.pinned || id === event.message_id)
            : (event.message_id !== null && id !== event.message_id && m.pinned);
          if (Boolean(m.pinned) !== pinned) upsertMessage({ ...m, pinned }, { scroll: false });
        }
        state.pinnedId = type === "pinned" ? event.message_id : null;
        if (type === "unpinned") {
          const still = [...state.messages.values()].filter((m) => m.pinned && !m.deleted);
          state.pinnedId = still.length ? still[still.length - 1].message_id : null;
        }
        renderPinned();
      }
      break;
    case "chat_action":
      if (here) {
        $("#chat-sub").textContent = `${state.botName} đang soạn tin…`;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(showSub, 3000);
      }
      break;
    case "member":
    case "chat_created":
      if (state.me && (!event.user || event.user.id === state.me.id || chatId === state.me.id)) {
        loadChats();
      }
      break;
    case "personas":
      loadPersonas().then(() => { if (state.me) $("#persona").value = String(state.me.id); });
      break;
    case "reset":
      if (state.me) choosePersona(state.me.id, state.me.id);
      break;
    default:
      break;
  }
}

function connect() {
  const source = new EventSource("/sandbox/events");
  const conn = $("#conn");
  let wasOpen = false;
  source.onopen = () => {
    conn.dataset.state = "open";
    conn.textContent = "Đã kết nối";
    if (wasOpen && state.me) { // reconnected: catch up on what happened meanwhile
      loadChats().then(() => { if (state.chatId !== null) openChat(state.chatId); });
    }
    wasOpen = true;
  };
  source.onerror = () => {
    conn.dataset.state = "error";
    conn.textContent = "Mất kết nối — đang thử lại…";
  };
  for (const type of ["message", "edited", "deleted", "pinned", "unpinned", "chat_action",
    "member", "chat_created", "personas", "reset"]) {
    source.addEventListener(type, (ev) => {
      try { onEvent(type, JSON.parse(ev.data)); } catch (error) { console.error(error); }
    });
  }
}

// ---- start-up ----------------------------------------------------------------------------------
function hashParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ""));
}

function wireComposer() {
  const text = $("#text");
  $("#composer").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const value = text.value;
    if (!value.trim()) return;
    text.value = "";
    await sendText(value);
    text.focus();
  });
  text.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
      $("#composer").requestSubmit();
    }
  });
  $("#attach-btn").addEventListener("click", () => $("#file-input").click());
  $("#file-input").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    const caption = text.value.trim();
    text.value = "";
    await sendFile(file, caption);
  });
  $("#location-btn").addEventListener("click", () => {
    $("#location-form").hidden = !$("#location-form").hidden;
  });
  $("#loc-cancel").addEventListener("click", () => { $("#location-form").hidden = true; });
  $("#location-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const lat = Number($("#loc-lat").value);
    const lon = Number($("#loc-lon").value);
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
      toast("Vĩ độ phải trong khoảng −90…90, kinh độ −180…180.", "error");
      return;
    }
    $("#location-form").hidden = true;
    await sendLocation(lat, lon);
  });
  $("#reply-cancel").addEventListener("click", () => setReplyTo(null));
  $("#persona").addEventListener("change", (ev) => choosePersona(ev.target.value));
  wireDrawer();
}

// A link to the bot, or a command in the hint: the person's private chat with the bot, where
// ``text`` is sent.
async function openBotChat(text) {
  if (!state.me) return;
  if (state.chatId !== state.me.id) await openChat(state.me.id);
  await sendText(text);
}

async function main() {
  wireComposer();
  connect();
  for (const c of await api("GET", "/sandbox/chats")) state.baseline.set(c.id, c.message_count);
  await loadPersonas();
  const params = hashParams();
  // First listed: the first resident (residents come first in the picker), in their private chat.
  await choosePersona(params.get("persona") || $("#persona").value, params.get("chat"));
  document.body.dataset.ready = "1";
}

main().catch((error) => toast(`Lỗi khởi động: ${error.message}`, "error"));
