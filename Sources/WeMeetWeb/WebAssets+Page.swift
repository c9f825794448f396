extension WebAssets {
    /// The page: every screen, each a `section`, shown one at a time.
    static let index = #"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>WeMeet</title>
          <link rel="stylesheet" href="/assets/app.css">
          <link rel="icon" href="data:,">
          <script type="module" src="/assets/app.js"></script>
        </head>
        <body>
          <header>
            <h1>WeMeet</h1>
            <p id="me"></p>
            <label class="language"><span data-t="language">Language</span>
              <select id="language"><option value="en">English</option><option value="zh">简体中文</option></select>
            </label>
            <p id="connection" role="status" aria-live="polite"></p>
            <p id="login-notice" role="alert"></p>
          </header>
          <nav aria-label="Screens" data-t-label="screens">
            <button type="button" data-screen="radar" data-t="screen.radar">Radar</button>
            <button type="button" data-screen="chats" data-t="screen.chats">Chats</button>
            <button type="button" data-screen="groups" data-t="screen.groups">Groups</button>
            <button type="button" data-screen="moments" data-t="screen.moments">Moments</button>
            <button type="button" data-screen="discover" data-t="screen.discover">Discover</button>
            <button type="button" data-screen="settings" data-t="screen.settings">Settings</button>
            <button type="button" data-screen="status" data-t="screen.status">Status</button>
          </nav>
          <main>
            <section id="screen-radar" class="screen" aria-labelledby="pair-title">
              <h2 id="pair-title" data-t="pair">Pair</h2>
              <button id="pair" type="button" aria-pressed="false" aria-describedby="pair-help" data-t="pair.hold">Hold to pair</button>
              <p id="pair-help" data-t="pair.help"></p>
              <p id="pair-status" role="status" aria-live="polite"></p>
              <p id="pair-code" class="code" aria-label="pairing code" data-t-label="pair.code"></p>
              <p id="pair-check" class="actions"></p>
              <ul id="pair-candidates" aria-label="People pressing" data-t-label="pair.candidates"></ul>
              <h2 id="radar-title" data-t="nearby">Nearby</h2>
              <ul id="radar" aria-labelledby="radar-title"></ul>
              <p id="radar-empty" class="empty" hidden></p>
              <h2 id="friends-title" data-t="friends">Friends</h2>
              <ul id="friends" aria-labelledby="friends-title"></ul>
              <p id="friends-empty" class="empty" data-t="friends.empty" hidden></p>
            </section>

            <section id="screen-chats" class="screen" aria-labelledby="chats-title" hidden>
              <h2 id="chats-title" data-t="chats">Chats</h2>
              <ul id="chats" aria-labelledby="chats-title"></ul>
              <p id="chats-empty" class="empty" data-t="chats.empty" hidden></p>
              <section id="conversation" aria-labelledby="conversation-title" hidden>
                <h3 id="conversation-title"></h3>
                <button id="earlier-messages" type="button" data-t="chat.earlier" hidden>Earlier messages</button>
                <ol id="messages" aria-label="Messages" data-t-label="chat.messages"></ol>
                <form id="compose">
                  <label for="message" data-t="message">Message</label>
                  <input id="message" autocomplete="off" maxlength="16384">
                  <button type="submit" data-t="send">Send</button>
                  <label class="file"><span data-t="attach">Attach a photo or file</span><input id="attach" type="file"></label>
                  <button id="talk" type="button" aria-pressed="false" data-t="talk">Hold to talk</button>
                  <p id="compose-error" class="error" role="alert"></p>
                </form>
              </section>
            </section>

            <section id="screen-groups" class="screen" aria-labelledby="groups-title" hidden>
              <h2 id="groups-title" data-t="groups">Groups</h2>
              <form id="new-group">
                <label for="group-name" data-t="group.name">Group name</label>
                <input id="group-name" required maxlength="64" autocomplete="off">
                <label><input id="group-public" type="checkbox"> <span data-t="group.public">Public</span></label>
                <button type="submit" data-t="group.create">Create group</button>
                <p id="new-group-error" class="error" role="alert"></p>
              </form>
              <ul id="groups" aria-label="Your groups" data-t-label="groups.yours"></ul>
              <p id="groups-empty" class="empty" data-t="groups.empty" hidden></p>
              <section id="group" aria-labelledby="group-title" hidden>
                <h3 id="group-title"></h3>
                <p id="group-info"></p>
                <h4 id="members-title" data-t="group.membersTitle">Members</h4>
                <ul id="members" aria-labelledby="members-title"></ul>
                <form id="invite" hidden>
                  <label for="invite-friend" data-t="group.invite">Invite a friend</label>
                  <select id="invite-friend"></select>
                  <button type="submit" data-t="group.inviteButton">Invite</button>
                </form>
                <p id="leave-row"><button id="leave" type="button" data-t="group.leave">Leave group</button></p>
                <p id="group-error" class="error" role="alert"></p>
                <h4 id="posts-title" data-t="group.posts">Posts</h4>
                <button id="earlier-posts" type="button" data-t="post.earlier" hidden>Earlier posts</button>
                <ol id="posts" aria-labelledby="posts-title"></ol>
                <p id="posts-empty" class="empty" data-t="group.noPosts" hidden></p>
                <form id="new-post">
                  <p id="replying" hidden><span id="replying-text"></span> <button id="cancel-reply" type="button" data-t="post.cancel">Cancel comment</button></p>
                  <label for="post-text" data-t="post.write">Write a post</label>
                  <textarea id="post-text" rows="2" maxlength="16384"></textarea>
                  <label class="file"><span data-t="post.photo">Attach a photo</span><input id="post-photo" type="file" accept="image/*"></label>
                  <button type="submit" data-t="post.button">Post</button>
                  <p id="post-error" class="error" role="alert"></p>
                </form>
              </section>
            </section>

            <section id="screen-moments" class="screen" aria-labelledby="moments-title" hidden>
              <h2 id="moments-title" data-t="moments">Moments</h2>
              <form id="new-moment">
                <label for="moment-text" data-t="moments.write">Share a moment</label>
                <textarea id="moment-text" rows="2" maxlength="16384"></textarea>
                <label class="file"><span data-t="post.photo">Attach a photo</span><input id="moment-photo" type="file" accept="image/*"></label>
                <button type="submit" data-t="moments.button">Share</button>
                <p id="moment-error" class="error" role="alert"></p>
              </form>
              <ol id="moments" aria-labelledby="moments-title"></ol>
              <p id="moments-empty" class="empty" data-t="moments.empty" hidden></p>
            </section>

            <section id="screen-discover" class="screen" aria-labelledby="discover-title" hidden>
              <h2 id="discover-title" data-t="discover">Discover</h2>
              <ol id="discover" aria-labelledby="discover-title"></ol>
              <p id="discover-empty" class="empty" data-t="discover.empty" hidden></p>
              <p id="discover-error" class="error" role="alert"></p>
              <h2 id="feed-title" data-t="feed">Feed</h2>
              <ol id="feed" aria-labelledby="feed-title"></ol>
              <p id="feed-empty" class="empty" data-t="feed.empty" hidden></p>
            </section>

            <section id="screen-settings" class="screen" aria-labelledby="settings-title" hidden>
              <h2 id="settings-title" data-t="settings">Settings</h2>
              <form id="name-form">
                <div class="field">
                  <label for="own-name" data-t="profile.name">Your name</label>
                  <input id="own-name" autocomplete="nickname" maxlength="64" required>
                  <button type="submit" data-t="profile.save">Change name</button>
                </div>
                <p id="name-saved" role="status" aria-live="polite"></p>
                <p id="name-error" class="error" role="alert"></p>
              </form>
              <form id="settings-form">
                <label class="check"><input id="hide-public" type="checkbox"> <span data-t="settings.hide">Hide my public-group posts</span></label>
                <label for="automatic-size" data-t="settings.automatic">Fetch attachments by themselves up to (MB)</label>
                <input id="automatic-size" type="number" min="0" step="any">
                <h3 data-t="settings.quotas">Quotas</h3>
                <div id="quotas"></div>
                <button type="submit" data-t="settings.save">Save</button>
                <p id="settings-saved" role="status" aria-live="polite"></p>
                <p id="settings-error" class="error" role="alert"></p>
              </form>
              <h3 id="password-title" data-t="password">Logging in from another device</h3>
              <form id="password-form" aria-labelledby="password-title">
                <p id="password-help" data-t="password.help"></p>
                <p id="password-state"></p>
                <div class="field" id="password-current-row" hidden>
                  <label for="password-current" data-t="password.current">Current password</label>
                  <input id="password-current" type="password" autocomplete="current-password">
                </div>
                <div class="field">
                  <label for="password-new" data-t="password.new">New password (at least 8 characters)</label>
                  <input id="password-new" type="password" autocomplete="new-password" minlength="8" required>
                </div>
                <button type="submit" data-t="password.set">Set password</button>
                <button id="password-remove" type="button" data-t="password.remove" hidden>Remove password</button>
                <p id="password-saved" role="status" aria-live="polite"></p>
                <p id="password-error" class="error" role="alert"></p>
              </form>
            </section>

            <section id="screen-status" class="screen" aria-labelledby="status-title" hidden>
              <h2 id="status-title" data-t="status">Status</h2>
              <h3 data-t="status.node">This node</h3>
              <dl id="status-node"></dl>
              <h3 id="peers-title" data-t="status.peers">Connected friends</h3>
              <ul id="peers" aria-labelledby="peers-title"></ul>
              <p id="peers-empty" class="empty" data-t="status.noPeers" hidden></p>
              <h3 id="sync-title" data-t="status.sync">Sync</h3>
              <ul id="sync" aria-labelledby="sync-title"></ul>
              <p id="sync-empty" class="empty" data-t="status.noSync" hidden></p>
              <h3 id="storage-title" data-t="status.storage">Storage</h3>
              <p id="storage"></p>
              <h3 id="transfers-title" data-t="status.transfers">Attachments</h3>
              <ul id="transfers" aria-labelledby="transfers-title"></ul>
              <p id="transfers-empty" class="empty" data-t="status.noTransfers" hidden></p>
            </section>
          </main>
        </body>
        </html>

        """#
}
