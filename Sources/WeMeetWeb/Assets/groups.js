// Groups: the list, invitations, members, posts and threads of replies.
import { t } from "/assets/strings.js";
import { $, api, json, guarded, element, button, list, ask, shortID, renderers, backs, avatar, person, setBadge, self, quoteView } from "/assets/common.js";
import { friends, setFriends } from "/assets/radar.js";
import { upload, attachmentView } from "/assets/attachments.js";

let openGroup = null;
/** The open group's members (for @mentions), and each group's mute, by ID. */
let currentMembers = [];
const mutedGroups = new Set();
const groupNames = new Map();
/** A group's name as last listed (for notifications). */
export const groupName = (id) => groupNames.get(id) ?? (id ?? "").slice(0, 8);
export const isGroupMuted = (id) => mutedGroups.has(id);
export const openGroupID = () => openGroup;
let replyTo = null;
/** The post the next one quotes, answering it (its ID), or null. */
let quoteTo = null;
let postCursor = null;
let olderPosts = [];

async function renderGroups() {
  const [{ groups }, friendList] = await Promise.all([api("/v1/groups"), api("/v1/friends")]);
  setFriends(friendList.friends);
  setBadge("groups", groups.filter((g) => g.role === "invited").length);
  mutedGroups.clear();
  for (const g of groups) {
    if (g.muted) mutedGroups.add(g.id);
    groupNames.set(g.id, g.name);
  }
  list($("groups"), $("groups-empty"), groups, (g) => {
    const item = element("li");
    if (g.id === openGroup) item.classList.add("current");
    const kind = g.public ? t("group.publicWord") : t("group.private");
    if (g.role === "invited") {
      const by = (g.invitedBy ?? []).map((id) => friends.find((f) => f.nodeID === id)?.name ?? shortID(id));
      const invited = by.length ? t("group.invitedBy", { names: by.join(", ") }) : t("role.invited");
      item.append(person(g.id, g.name, `${kind} · ${invited}`));
      item.append(button(t("group.accept", { name: g.name }), () => guarded($("new-group-error"), async () => {
        await api(`/v1/groups/${g.id}/join`, { method: "POST" });
        await renderGroups();
        await openGroupView(g.id);
      })));
      item.append(button(t("group.decline"), () => ask(item, t("group.decline.ask", { name: g.name }), t("group.decline"),
        () => api(`/v1/groups/${g.id}/leave`, { method: "POST" })), t("group.decline.label", { name: g.name })));
    } else {
      const open = button("", () => guarded($("group-error"), () => openGroupView(g.id)), t("group.open", { name: g.name }));
      open.classList.add("row");
      const row = person(g.id, g.name, `${kind} · ${t(`role.${g.role}`)} · ${t("group.members", { count: g.members })}`);
      const marks = [g.pinned ? t("mark.pinned") : null, g.muted ? t("mark.muted") : null].filter(Boolean);
      if (marks.length) row.querySelector(".name").after(element("span", marks.join(" · "), "marks"));
      open.append(row);
      item.append(open);
    }
    return item;
  });
  if (openGroup) await showGroup();
}
renderers.groups = () => guarded(null, renderGroups);
/** The count of invitations on the Groups tab, whichever screen is shown. */
export const updateGroupBadge = () => guarded(null, async () => {
  const { groups } = await api("/v1/groups");
  mutedGroups.clear();
  for (const g of groups) {
    if (g.muted) mutedGroups.add(g.id);
    groupNames.set(g.id, g.name);
  }
  setBadge("groups", groups.filter((g) => g.role === "invited").length);
});

export async function openGroupView(id) {
  openGroup = id;
  replyTo = null;
  quoteTo = null;
  olderPosts = [];
  postCursor = null;
  $("replying").hidden = true;
  $("group").hidden = false;
  $("group-pick").hidden = true;
  for (const item of $("groups").children) item.classList.remove("current");
  await showGroup();
}

/** Mutes or pins a group (on this node only). */
async function changeGroup(id, change) {
  await api(`/v1/groups/${id}/preferences`, { ...json(change), method: "PUT" });
  await renderGroups();
}

function closeGroup() {
  openGroup = null;
  replyTo = null;
  quoteTo = null;
  $("group").hidden = true;
  $("group-pick").hidden = false;
  for (const item of $("groups").children) item.classList.remove("current");
}
backs.groups = closeGroup;
$("group-back").addEventListener("click", () => { closeGroup(); renderers.groups(); });

async function showGroup() {
  const details = await api(`/v1/groups/${openGroup}`);
  const g = details.group;
  const me = (await api("/v1/status")).nodeID;
  $("group-title").textContent = g.name;
  $("group-avatar").replaceChildren(avatar(g.id, g.name, 32));
  $("group-mute").textContent = g.muted ? t("unmute") : t("mute");
  $("group-pin").textContent = g.pinned ? t("unpin") : t("pin");
  $("group-mute").onclick = () => guarded($("group-menu-error"), () => changeGroup(g.id, { muted: !g.muted }));
  $("group-pin").onclick = () => guarded($("group-menu-error"), () => changeGroup(g.id, { pinned: !g.pinned }));
  $("members-title").textContent = t("group.membersCount", { count: g.members });
  $("group-info").textContent = `${g.public ? t("group.publicWord") : t("group.private")} · ${t(`role.${g.role}`)} · ${t("group.members", { count: g.members })}`;
  const isCreator = g.creator === me;
  currentMembers = details.members.filter((m) => m.role === "member" && m.nodeID !== me);
  list($("members"), null, details.members, (m) => {
    const item = element("li");
    const row = person(m.nodeID, m.name, null, m.nodeID === self.nodeID ? self.name || m.name : m.name);
    // The line read for a member: name, role, admin.
    row.querySelector(".name").textContent = `${m.name} · ${t(`role.${m.role}`)}${m.admin ? ` · ${t("group.admin")}` : ""}`;
    item.append(row);
    if (g.admin && m.nodeID !== me && (m.role === "member" || m.role === "invited") && m.nodeID !== g.creator) {
      item.append(button(t("group.remove", { name: m.name }), () => guarded($("group-error"), async () => {
        await api(`/v1/groups/${g.id}/remove`, json({ member: m.nodeID }));
        await showGroup();
      })));
    }
    if (isCreator && !m.admin && m.role === "member") {
      item.append(button(t("group.makeAdmin", { name: m.name }), () => guarded($("group-error"), async () => {
        await api(`/v1/groups/${g.id}/admins`, json({ member: m.nodeID }));
        await showGroup();
      })));
    }
    return item;
  });
  const inGroup = new Set(details.members.filter((m) => m.role === "member" || m.role === "invited").map((m) => m.nodeID));
  const invitable = friends.filter((f) => !inGroup.has(f.nodeID));
  $("invite").hidden = !(g.admin && g.role === "member" && invitable.length);
  $("invite-friend").replaceChildren(...invitable.map((f) => { const o = element("option", f.name); o.value = f.nodeID; return o; }));
  $("leave").hidden = !(g.role === "member" || g.role === "invited");
  $("new-post").hidden = g.role !== "member";
  const page = await api(`/v1/groups/${g.id}/posts?limit=50`);
  if (!olderPosts.length) postCursor = page.earlier ?? null;
  $("earlier-posts").hidden = !postCursor;
  renderPosts([...olderPosts, ...page.posts]);
}

/** Each post followed by its whole thread — comments, replies to comments, and so on —
 * depth first, without recursion (a chain of 10,000 replies costs a loop, not the stack).
 * The indent stops growing at 6 levels; deeper replies say whom they answer. A comment whose
 * post is not on screen starts a thread of its own. */
function threadOrder(posts) {
  const index = new Map();
  posts.forEach((post, i) => { if (!index.has(post.id)) index.set(post.id, i); });
  const children = new Map();
  const roots = [];
  posts.forEach((post, i) => {
    const parent = post.reply ? index.get(post.reply) : undefined;
    if (parent !== undefined && parent !== i) children.set(parent, [...(children.get(parent) ?? []), i]);
    else roots.push(i);
  });
  const visited = new Array(posts.length).fill(false);
  const out = [];
  for (const root of [...roots, ...posts.keys()]) {
    const stack = [[root, 0]];
    while (stack.length) {
      const [i, depth] = stack.pop();
      if (visited[i]) continue;
      visited[i] = true;
      out.push({ post: posts[i], depth, parent: posts[i].reply ? posts[index.get(posts[i].reply)] : undefined });
      for (const child of [...(children.get(i) ?? [])].reverse()) if (!visited[child]) stack.push([child, depth + 1]);
    }
  }
  return out;
}

function renderPosts(posts) {
  list($("posts"), $("posts-empty"), threadOrder(posts), ({ post, depth, parent }) => {
    const item = postView(post, true, depth > 6 && parent ? parent.from : null);
    if (depth > 0) {
      item.classList.add("comment");
      item.style.setProperty("--depth", String(Math.min(depth, 6)));
    }
    return item;
  });
}

function postView(post, commentable, replyingTo) {
  const item = element("li", null, "post");
  item.dataset.key = post.id;
  const body = element("div", null, "post-body");
  item.append(avatar(post.author, post.from === "me" ? self.name || t("chat.me") : post.from, 32), body);
  if (replyingTo) body.append(element("span", `↳ ${replyingTo === "me" ? t("chat.me") : replyingTo} `, "muted"));
  if (post.recalled) {
    // Recalled (撤回): said, without what it said.
    body.append(element("span", post.from === "me" ? t("post.recalled.own") : t("post.recalled", { name: post.from }),
      "muted"));
    item._body = body;
    return item;
  }
  if (post.quote) body.append(quoteView(post.quote, $("posts")));
  body.append(element("span", `${post.from === "me" ? t("chat.me") : post.from}: ${post.text ?? t("group.unreadable")}`));
  for (const attachment of post.attachments ?? []) body.append(attachmentView(attachment, post.from));
  item._body = body;
  if (commentable && !$("new-post").hidden) {
    const own = post.from === "me";
    const actions = element("div", null, "post-actions");
    actions.append(button(own ? t("post.commentOwn") : t("post.comment", { name: post.from }), () => {
      replyTo = post.id;
      quoteTo = null;
      $("replying").hidden = false;
      $("replying-text").textContent = own ? t("post.commentingOwn") : t("post.commenting", { name: post.from });
      $("post-text").focus();
    }));
    // Reply quoting it (Protocol.md §10.2): a new post that shows this one above it.
    const who = own ? t("chat.me") : post.from;
    const quote = button("↩", () => {
      quoteTo = post.id;
      replyTo = null;
      $("replying").hidden = false;
      $("replying-text").textContent = t("reply.to", { name: who, text: post.text ?? "" });
      $("post-text").focus();
    }, t("quote.post", { name: who }));
    quote.title = t("reply");
    actions.append(quote);
    // Recall (撤回): one's own post, within 2 minutes (the node decides, by its clock).
    if (own && Date.now() - new Date(post.sentAt).getTime() < 120_000) {
      actions.append(button(t("recall"), () => guarded($("post-error"), async () => {
        await api(`/v1/groups/${openGroup}/posts/${post.id}/recall`, { method: "POST" });
        await showGroup();
      }), t("post.recall")));
    }
    body.append(actions);
  }
  return item;
}

$("earlier-posts").addEventListener("click", () => guarded($("group-error"), async () => {
  const page = await api(`/v1/groups/${openGroup}/posts?limit=50&before=${postCursor}`);
  olderPosts = [...page.posts, ...olderPosts];
  postCursor = page.earlier ?? null;
  await showGroup();
}));

// Typing "@" offers the members whose names start with what follows it.
$("post-text").addEventListener("input", () => {
  const text = $("post-text").value;
  const match = /@([^\s@]*)$/u.exec(text);
  const offered = match ? currentMembers.filter((m) => m.name.startsWith(match[1])).slice(0, 8) : [];
  $("mention-suggestions").replaceChildren(...offered.map((m) => button(`@${m.name}`, () => {
    $("post-text").value = text.slice(0, match.index) + `@${m.name} `;
    $("mention-suggestions").replaceChildren();
    $("post-text").focus();
  }, t("mention", { name: m.name }))));
});

$("cancel-reply").addEventListener("click", () => { replyTo = null; quoteTo = null; $("replying").hidden = true; });

$("new-group").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded($("new-group-error"), async () => {
    const group = await api("/v1/groups", json({ name: $("group-name").value, public: $("group-public").checked }));
    $("group-name").value = "";
    await renderGroups();
    await openGroupView(group.id);
  });
});

$("invite").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded($("group-error"), async () => {
    await api(`/v1/groups/${openGroup}/invite`, json({ member: $("invite-friend").value }));
    await showGroup();
  });
});

// Leaving asks first: it cannot be undone without a new invitation (or, public, joining again).
$("leave").addEventListener("click", () => {
  const group = openGroup;
  ask($("leave-row"), t("group.leave.ask", { name: $("group-title").textContent }), t("group.leave"), async () => {
    await api(`/v1/groups/${group}/leave`, { method: "POST" });
    await renderGroups();
  });
});

/** Posts text (and a photo, when one was chosen) to `url`. */
export async function postWithPhoto(url, text, photoInput, extra = {}) {
  const file = photoInput.files[0];
  const attachments = file ? [(await upload(file)).id] : [];
  await api(url, json({ text, attachments, ...extra }));
  photoInput.value = "";
}

$("new-post").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded($("post-error"), async () => {
    // "@Name" in the text mentions that member (they are told even if they muted the group).
    const text = $("post-text").value;
    const mentions = currentMembers.filter((m) => text.includes(`@${m.name}`)).map((m) => m.nodeID);
    const extra = { ...(replyTo ? { reply: replyTo } : {}), ...(quoteTo ? { quote: quoteTo } : {}),
      ...(mentions.length ? { mentions } : {}) };
    await postWithPhoto(`/v1/groups/${openGroup}/posts`, text, $("post-photo"), extra);
    $("mention-suggestions").replaceChildren();
    $("post-text").value = "";
    replyTo = null;
    quoteTo = null;
    $("replying").hidden = true;
    await showGroup();
  });
});
