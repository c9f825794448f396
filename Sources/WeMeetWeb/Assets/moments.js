// Moments (friends' posts), Discover (friends' posts in public groups) and the feed.
import { t } from "/assets/strings.js";
import { $, api, json, guarded, element, button, list, renderers, showScreen, avatar, self } from "/assets/common.js";
import { attachmentView } from "/assets/attachments.js";
import { openGroupView, postWithPhoto } from "/assets/groups.js";

function feedItem(post, { join } = {}) {
  const item = element("li", null, "post");
  const body = element("div", null, "post-body");
  const who = post.from === "me" ? t("chat.me") : post.from;
  item.append(avatar(post.author, post.from === "me" ? self.name || who : who, 40), body);
  const heading = post.groupName ? t("discover.in", { from: who, group: post.groupName }) : who;
  const said = post.recalled
    ? (post.from === "me" ? t("post.recalled.own") : t("post.recalled", { name: post.from }))
    : post.text ?? t("group.unreadable");
  body.append(element("span", `${heading}: ${said}`));
  for (const attachment of post.attachments ?? []) body.append(attachmentView(attachment, who));
  if (post.kind === "moment") body.append(reactionsView(post));
  if (join && post.group) {
    body.append(button(t("discover.join", { name: post.groupName ?? post.group.slice(0, 8) }), () => guarded($("discover-error"), async () => {
      await api(`/v1/groups/${post.group}/join`, { method: "POST" });
      showScreen("groups");
      await openGroupView(post.group);
    })));
  }
  return item;
}

/** A moment's likes and comments (from friends of both: Protocol.md §10.8), Like and Comment. */
function reactionsView(post) {
  const box = element("div", null, "reactions");
  const name = (from) => from === "me" ? t("chat.me") : from;
  if (post.likes?.length) box.append(element("p", `♥ ${post.likes.map(name).join(", ")}`, "likes"));
  if (post.comments?.length) {
    const comments = element("ul", null, "comments");
    comments.setAttribute("aria-label", t("moment.comments"));
    comments.append(...post.comments.map((c) => element("li", `${name(c.from)}: ${c.text}`)));
    box.append(comments);
  }
  const liked = post.likes?.includes("me") ?? false;
  const actions = element("p", null, "actions");
  actions.append(button(liked ? t("moment.unlike") : t("moment.like"), () => guarded($("moment-error"), async () => {
    await api(`/v1/moments/${post.id}/like`, { method: liked ? "DELETE" : "POST" });
    await renderMoments();
  }), liked ? t("moment.unlike.label", { name: name(post.from) }) : t("moment.like.label", { name: name(post.from) })));
  const form = element("form", null, "comment-form");
  const input = element("input");
  input.setAttribute("aria-label", t("moment.comment.label", { name: name(post.from) }));
  input.placeholder = t("moment.comment");
  input.dataset.moment = post.id;
  input.maxLength = 2048;
  const send = element("button", t("moment.comment.send"));
  send.type = "submit";
  form.append(input, send);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    guarded($("moment-error"), async () => {
      await api(`/v1/moments/${post.id}/comments`, json({ text: input.value }));
      input.value = "";
      await renderMoments();
    });
  });
  box.append(actions, form);
  return box;
}

async function renderMoments() {
  const { posts } = await api("/v1/moments?limit=50");
  // A comment being written survives the refresh a friend's like brings.
  const inputs = () => [...$("moments").querySelectorAll(".comment-form input")];
  const drafts = new Map(inputs().filter((input) => input.value).map((input) => [input.dataset.moment, input.value]));
  const focused = document.activeElement?.closest?.(".comment-form")?.querySelector("input")?.dataset.moment;
  list($("moments"), $("moments-empty"), posts, (post) => feedItem(post));
  for (const input of inputs()) {
    if (drafts.has(input.dataset.moment)) input.value = drafts.get(input.dataset.moment);
    if (input.dataset.moment === focused) input.focus();
  }
}
renderers.moments = () => guarded($("moment-error"), renderMoments);

$("new-moment").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded($("moment-error"), async () => {
    await postWithPhoto("/v1/moments", $("moment-text").value, $("moment-photo"));
    $("moment-text").value = "";
    await renderMoments();
  });
});

async function renderDiscover() {
  const [discover, feed] = await Promise.all([api("/v1/discover?limit=50"), api("/v1/feed?limit=50")]);
  const seen = new Set();
  // One join button per group: the newest post of each carries it.
  list($("discover"), $("discover-empty"), discover.posts, (post) => {
    const join = !seen.has(post.group);
    seen.add(post.group);
    return feedItem(post, { join });
  });
  list($("feed"), $("feed-empty"), feed.posts, (post) => feedItem(post));
}
renderers.discover = () => guarded($("discover-error"), renderDiscover);
