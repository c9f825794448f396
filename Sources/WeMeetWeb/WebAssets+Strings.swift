extension WebAssets {
    /// The words of the app in English and Simplified Chinese (简体中文), and the switch between them.
    static let stringsJS = #"""
        // The web app's words in English and Simplified Chinese. The page follows the browser's
        // language until a person picks one with the switch (kept in this browser).
        const strings = {
          en: {
            language: "Language", screens: "Screens",
            "screen.radar": "Radar", "screen.chats": "Chats", "screen.groups": "Groups", "screen.moments": "Moments",
            "screen.discover": "Discover", "screen.settings": "Settings", "screen.status": "Status",
            pair: "Pair", "pair.hold": "Hold to pair",
            "pair.help": "Hold the button at the same moment as the other person, and keep holding until it says you are friends; then check that both screens show the same code. Letting go earlier stops pairing.",
            "pair.looking": "Looking for someone else pressing… keep holding.",
            "pair.with": "Pairing with {name} ({id}) — keep holding. Your code:",
            "pair.several": "Several people pressed: choose who you are pairing with (their screen shows the same code). You may let go; pairing waits for your choice.",
            "pair.stop": "Stop pairing", "pair.stopped": "You stopped pairing; nobody was paired.",
            "pair.choose": "Pair with {name}", "pair.chosen": "chosen, waiting for them to choose you", "pair.gone": "stopped pressing",
            "pair.declined": "{name} is not pairing with you ({reason}). Keep holding for someone else, or let go.",
            "pair.friends": "You and {name} are friends now. You may let go. Check that {name}'s screen shows this same code:",
            "pair.match": "Codes match", "pair.differ": "Codes differ — unpair",
            "pair.checked": "You and {name} are friends, and your codes match.",
            "pair.unpaired": "Unpaired from {name}: someone may have been in between. Press together again.",
            "pair.early": "You let go before pairing finished, so you are not paired. Keep holding until it says you are friends.",
            "pair.alone": "No one else was pressing, so you are not paired. Hold the button at the same moment as your friend.",
            "pair.ended": "Not paired: {reason}", "pair.code": "pairing code", "pair.candidates": "People pressing",
            "friend.unpair": "Unpair", "friend.unpair.label": "Unpair {name}", "friend.unpair.ask": "Unpair {name}? You stop syncing with them; pair again to undo.",
            "friend.block": "Block", "friend.block.label": "Block {name}", "friend.block.ask": "Block {name}? They are unpaired and can no longer connect to you.",
            cancel: "Cancel",
            nearby: "Nearby", "nearby.empty": "No one nearby yet — start WeMeet on another machine on this network.",
            "nearby.friend": "{name} — friend", friends: "Friends",
            "friends.empty": "No friends yet — hold pair together with someone nearby.",
            chats: "Chats", "chats.empty": "No chats yet — pair with someone, then write to them here.",
            "chats.unread": "{count} unread", "chat.with": "Chat with {name}", "chat.earlier": "Earlier messages",
            "chat.messages": "Messages", "chat.me": "Me", message: "Message", send: "Send",
            "attach": "Attach a photo or file", "talk": "Hold to talk", "talk.recording": "Recording… let go to send",
            "talk.denied": "No microphone: {reason}",
            "status.sent": "sent", "status.delivered": "delivered", "status.read": "read",
            "photo": "photo {name}", "voice": "voice note from {name}", "voice.length": "voice note, {seconds} s",
            "download": "Download {name}", "fetch": "Fetch {name} ({size})", "fetching": "Fetching {name}",
            "waiting": "{name}: waiting for someone who holds it to be online",
            groups: "Groups", "groups.yours": "Your groups", "groups.empty": "No groups yet — create one, or join one from Discover.",
            "group.name": "Group name", "group.public": "Public (friends of members can find it)", "group.create": "Create group",
            "group.private": "private", "group.publicWord": "public", "group.members": "{count} members",
            "group.accept": "Accept invitation to {name}", "group.open": "Open {name}",
            "role.member": "member", "role.invited": "invited", "role.left": "left", "role.removed": "removed", "role.none": "not a member",
            "group.membersTitle": "Members", "group.admin": "admin", "group.remove": "Remove {name}",
            "group.makeAdmin": "Make {name} an admin", "group.invite": "Invite a friend", "group.inviteButton": "Invite",
            "group.leave": "Leave group", "group.posts": "Posts", "group.noPosts": "No posts yet — write the first one.",
            "group.unreadable": "[sealed under a key this node was not given]",
            "post.write": "Write a post", "post.button": "Post", "post.photo": "Attach a photo",
            "post.comment": "Comment on {name}'s post", "post.commentOwn": "Comment on your post",
            "post.commentingOwn": "Commenting on your post", "post.commenting": "Commenting on {name}'s post", "post.cancel": "Cancel comment",
            "post.comments": "Comments", "post.earlier": "Earlier posts",
            moments: "Moments", "moments.write": "Share a moment", "moments.button": "Share",
            "moments.empty": "No moments yet — share one; your friends see it when you next meet.",
            discover: "Discover", "discover.empty": "Nothing to discover yet — friends' posts in public groups show here.",
            "discover.join": "Join {name}", "discover.in": "{from} in {group}", feed: "Feed",
            "feed.empty": "Your feed is empty — moments and your groups' posts show here.",
            settings: "Settings", "settings.hide": "Hide my public-group posts from friends outside those groups",
            "settings.automatic": "Fetch attachments by themselves up to (MB)", "settings.save": "Save",
            "settings.saved": "Saved.", "settings.quotas": "Quotas", 
            "quota.author_bytes": "Space for each person's posts (MB)", "quota.author_feeds": "Feeds per person",
            "quota.outsider_bytes": "Space for each person's posts in groups you are not in (MB)",
            "quota.outsider_feeds": "Feeds per person in groups you are not in", "quota.total_bytes": "Space for everyone together (MB)",
            "quota.total_feeds": "Feeds of everyone together", "quota.unreadable_bytes": "Space for each person's messages this node cannot read (MB)",
            password: "Logging in from another device",
            "password.help": "A phone on this network logs in with a link from `wemeet open --lan`. With a password, it can also log in later by typing it on the login page.",
            "password.isSet": "A password is set.", "password.notSet": "No password: only login links work.",
            "password.current": "Current password", "password.new": "New password (at least 8 characters)",
            "password.set": "Set password", "password.remove": "Remove password",
            "password.saved": "Password saved.", "password.removed": "Password removed: only login links work now.",
            status: "Status", "status.node": "This node", "status.peers": "Connected friends",
            "status.noPeers": "No one connected — friends connect when they are nearby.",
            "status.sync": "Sync", "status.storage": "Storage", "status.transfers": "Attachments",
            "status.entries": "{count} entries", "status.bytes": "{size} stored in {feeds} feeds",
            "status.syncPeer": "{name}: {received} received, {remaining} to go",
            "node.gone": "The node is not answering — reconnecting…", error: "Error: {message}",
            "login.failed": "Wrong passwords tried on this node since your last login: {count}.",
            "login.again": "This page is not logged in (any more): run `wemeet open` for a login link.",
          },
          zh: {
            language: "语言", screens: "页面",
            "screen.radar": "雷达", "screen.chats": "聊天", "screen.groups": "群组", "screen.moments": "朋友圈",
            "screen.discover": "发现", "screen.settings": "设置", "screen.status": "状态",
            pair: "配对", "pair.hold": "按住配对",
            "pair.help": "和对方同时按住按钮，一直按到显示你们已是朋友；然后确认两边屏幕上的码相同。提前松开会停止配对。",
            "pair.looking": "正在寻找同时按下的人…请继续按住。",
            "pair.with": "正在与 {name}（{id}）配对 — 请继续按住。你的码：",
            "pair.several": "有几个人同时按下：请选择要配对的人（对方屏幕上显示同一个码）。可以松开，配对会等你选择。",
            "pair.stop": "停止配对", "pair.stopped": "你已停止配对，没有与任何人配对。",
            "pair.choose": "与 {name} 配对", "pair.chosen": "已选择，等待对方选择你", "pair.gone": "已停止按下",
            "pair.declined": "{name} 不与你配对（{reason}）。可继续按住等待其他人，或松开。",
            "pair.friends": "你和 {name} 现在是朋友了，可以松开。请确认 {name} 的屏幕上显示同一个码：",
            "pair.match": "码相同", "pair.differ": "码不同 — 解除配对",
            "pair.checked": "你和 {name} 是朋友，码已核对。",
            "pair.unpaired": "已与 {name} 解除配对：可能有人在中间。请再一起按一次。",
            "pair.early": "你在配对完成前松开了，所以没有配对。请一直按到显示你们已是朋友。",
            "pair.alone": "没有其他人同时按下，所以没有配对。请和朋友在同一时刻按住按钮。",
            "pair.ended": "未配对：{reason}", "pair.code": "配对码", "pair.candidates": "正在按下的人",
            "friend.unpair": "解除配对", "friend.unpair.label": "与 {name} 解除配对", "friend.unpair.ask": "与 {name} 解除配对？你们将停止同步；再次配对即可恢复。",
            "friend.block": "屏蔽", "friend.block.label": "屏蔽 {name}", "friend.block.ask": "屏蔽 {name}？将解除配对，对方也无法再连接你。",
            cancel: "取消",
            nearby: "附近", "nearby.empty": "附近还没有人 — 在这个网络的另一台机器上启动 WeMeet。",
            "nearby.friend": "{name} — 朋友", friends: "朋友",
            "friends.empty": "还没有朋友 — 和附近的人一起按住配对。",
            chats: "聊天", "chats.empty": "还没有聊天 — 先和别人配对，然后在这里给他们写信。",
            "chats.unread": "{count} 条未读", "chat.with": "与 {name} 聊天", "chat.earlier": "更早的消息",
            "chat.messages": "消息", "chat.me": "我", message: "消息", send: "发送",
            "attach": "添加照片或文件", "talk": "按住说话", "talk.recording": "正在录音… 松开发送",
            "talk.denied": "没有麦克风：{reason}",
            "status.sent": "已发送", "status.delivered": "已送达", "status.read": "已读",
            "photo": "照片 {name}", "voice": "来自 {name} 的语音", "voice.length": "语音，{seconds} 秒",
            "download": "下载 {name}", "fetch": "获取 {name}（{size}）", "fetching": "正在获取 {name}",
            "waiting": "{name}：等待持有它的人上线",
            groups: "群组", "groups.yours": "你的群组", "groups.empty": "还没有群组 — 创建一个，或从“发现”加入。",
            "group.name": "群名", "group.public": "公开（成员的朋友可以找到）", "group.create": "创建群组",
            "group.private": "私密", "group.publicWord": "公开", "group.members": "{count} 位成员",
            "group.accept": "接受加入 {name} 的邀请", "group.open": "打开 {name}",
            "role.member": "成员", "role.invited": "已邀请", "role.left": "已退出", "role.removed": "已移除", "role.none": "非成员",
            "group.membersTitle": "成员", "group.admin": "管理员", "group.remove": "移除 {name}",
            "group.makeAdmin": "设 {name} 为管理员", "group.invite": "邀请朋友", "group.inviteButton": "邀请",
            "group.leave": "退出群组", "group.posts": "帖子", "group.noPosts": "还没有帖子 — 写第一条吧。",
            "group.unreadable": "[用本节点没有的密钥加密]",
            "post.write": "写帖子", "post.button": "发布", "post.photo": "添加照片",
            "post.comment": "评论 {name} 的帖子", "post.commentOwn": "评论你的帖子", "post.commentingOwn": "正在评论你的帖子", "post.commenting": "正在评论 {name} 的帖子", "post.cancel": "取消评论",
            "post.comments": "评论", "post.earlier": "更早的帖子",
            moments: "朋友圈", "moments.write": "分享动态", "moments.button": "分享",
            "moments.empty": "还没有动态 — 分享一条，朋友下次见面时就能看到。",
            discover: "发现", "discover.empty": "暂时没有可发现的内容 — 朋友在公开群组的帖子会显示在这里。",
            "discover.join": "加入 {name}", "discover.in": "{from} 在 {group}", feed: "动态",
            "feed.empty": "你的动态是空的 — 朋友圈和你群组的帖子会显示在这里。",
            settings: "设置", "settings.hide": "不让群外的朋友看到我在公开群组的帖子",
            "settings.automatic": "自动获取附件的大小上限（MB）", "settings.save": "保存",
            "settings.saved": "已保存。", "settings.quotas": "配额", 
            "quota.author_bytes": "每个人的帖子可占空间（MB）", "quota.author_feeds": "每个人的信息流个数",
            "quota.outsider_bytes": "你未加入的群组中每个人的帖子可占空间（MB）",
            "quota.outsider_feeds": "你未加入的群组中每个人的信息流个数", "quota.total_bytes": "所有人合计可占空间（MB）",
            "quota.total_feeds": "所有人合计信息流个数", "quota.unreadable_bytes": "每个人的本节点无法解密的消息可占空间（MB）",
            password: "从其他设备登录",
            "password.help": "同一网络中的手机可用 `wemeet open --lan` 给出的链接登录。设置密码后，也可以之后在登录页输入密码登录。",
            "password.isSet": "已设置密码。", "password.notSet": "未设置密码：只能用登录链接。",
            "password.current": "当前密码", "password.new": "新密码（至少 8 个字符）",
            "password.set": "设置密码", "password.remove": "删除密码",
            "password.saved": "密码已保存。", "password.removed": "密码已删除：现在只能用登录链接。",
            status: "状态", "status.node": "本节点", "status.peers": "已连接的朋友",
            "status.noPeers": "没有连接 — 朋友在附近时会自动连接。",
            "status.sync": "同步", "status.storage": "存储", "status.transfers": "附件",
            "status.entries": "{count} 条记录", "status.bytes": "{size}，共 {feeds} 个 feed",
            "status.syncPeer": "{name}：已收到 {received}，还剩 {remaining}",
            "node.gone": "节点没有响应 — 正在重新连接…", error: "错误：{message}",
            "login.failed": "自你上次登录以来，有人在此节点上试过 {count} 次错误的密码。",
            "login.again": "此页面尚未登录（或已退出）：运行 `wemeet open` 获取登录链接。",
          },
        };

        export const languages = { en: "English", zh: "简体中文" };
        let current = localStorage.getItem("wemeet.language")
          ?? ((navigator.languages ?? [navigator.language]).some((l) => l.toLowerCase().startsWith("zh")) ? "zh" : "en");
        if (!strings[current]) current = "en";

        export function language() { return current; }

        export function setLanguage(code) {
          if (!strings[code]) return;
          current = code;
          localStorage.setItem("wemeet.language", code);
          translatePage();
        }

        /** The text for `key`, with `{name}` places filled from `values` (shown with textContent only). */
        export function t(key, values = {}) {
          let text = strings[current][key] ?? strings.en[key] ?? key;
          for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, String(value));
          return text;
        }

        /** Sets every fixed text of the page: `data-t` (text), `data-t-label` (aria-label). */
        export function translatePage() {
          document.documentElement.lang = current === "zh" ? "zh-Hans" : "en";
          for (const element of document.querySelectorAll("[data-t]")) element.textContent = t(element.dataset.t);
          for (const element of document.querySelectorAll("[data-t-label]")) element.setAttribute("aria-label", t(element.dataset.tLabel));
        }

        """#
}
