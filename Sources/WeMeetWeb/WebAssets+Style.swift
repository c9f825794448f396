extension WebAssets {
    /// The style sheet: one column on a phone (375 px), wider on a desktop.
    static let appCSS = #"""
        :root { font-family: system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif; color-scheme: light dark; --accent: #07c160; }
        body { margin: 0 auto; max-width: 56rem; padding: .75rem 1rem 2rem; line-height: 1.4; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; }
        header h1 { margin: 0; font-size: 1.5rem; color: var(--accent); }
        #me { color: GrayText; margin: 0; word-break: break-all; flex: 1 1 16rem; font-size: .85rem; }
        .language { font-size: .9rem; }
        #connection:empty, #login-notice:empty { display: none; }
        #login-notice { flex-basis: 100%; background: #fecaca; color: #000; padding: .5rem; border-radius: .25rem; }
        #connection { flex-basis: 100%; background: #fde68a; color: #000; padding: .5rem; border-radius: .25rem; }
        [hidden] { display: none !important; }
        nav { display: flex; flex-wrap: wrap; gap: .25rem; margin: .75rem 0; }
        nav button { flex: 1 1 auto; padding: .5rem .6rem; border: 1px solid #8886; border-radius: .5rem; background: transparent; color: inherit; font: inherit; cursor: pointer; }
        nav button[aria-current="page"] { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
        h2 { font-size: 1.2rem; margin: 1.25rem 0 .5rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
        h4 { font-size: 1rem; margin: .75rem 0 .25rem; }
        ul, ol { list-style: none; padding: 0; margin: 0; }
        li { padding: .5rem 0; border-bottom: 1px solid #8883; overflow-wrap: anywhere; }
        .friend { font-weight: 600; }
        .empty { color: GrayText; }
        .error { color: #dc2626; margin: .25rem 0; }
        .error:empty { display: none; }
        .muted { color: GrayText; font-size: .85rem; margin-inline-start: .5rem; }
        button { font: inherit; }
        li > button, .attachment button { margin: .25rem .5rem .25rem 0; }
        #chats button, #groups li > button:only-child { all: unset; cursor: pointer; display: block; width: 100%; }
        #chats button:focus-visible, #groups button:focus-visible { outline: 2px solid Highlight; }
        #messages li { border: none; padding: .3rem 0; }
        #messages li > span { display: inline-block; padding: .4rem .7rem; border-radius: .75rem; background: #8882; max-width: 85%; }
        #messages .bubble > .line { display: block; }
        #messages .bubble .attachment { margin: .35rem 0 .1rem; }
        #messages .out { text-align: end; }
        #messages .out > span { background: #95ec69; color: #000; }
        .attachment { margin: .25rem 0; }
        .attachment img { max-width: min(100%, 20rem); height: auto; border-radius: .5rem; display: block; }
        .attachment progress { width: 12rem; vertical-align: middle; margin-inline-start: .5rem; }
        form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0; }
        form input:not([type]), form input[type="number"], form textarea, form select { flex: 1 1 12rem; padding: .5rem; font: inherit; }
        #settings-form, #password-form { flex-direction: column; align-items: stretch; }
        #settings-form .field, #password-form .field { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
        #settings-form .field label, #password-form .field label { flex: 1 1 14rem; }
        /* In a column, a flex basis is a height: the inputs keep their own. */
        #settings-form .field input, #password-form .field input { flex: 0 1 12rem; min-width: 8rem; }
        #name-form .field { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
        #name-form .field input { flex: 1 1 10rem; }
        #settings-form > input { flex: none; align-self: flex-start; width: 12rem; }
        #settings-form > button, #password-form > button { align-self: flex-start; }
        .actions button, .ask button { margin: .25rem .5rem .25rem 0; }
        #friends li { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem .5rem; }
        #friends li .name { flex: 1 1 8rem; }
        .ask { flex-basis: 100%; }
        .file input[type="file"] { display: block; max-width: 14rem; }
        .comment { margin-inline-start: calc(var(--depth, 1) * 1.25rem); border-inline-start: 3px solid #8884; padding-inline-start: .5rem; }
        #pair, #talk { touch-action: none; user-select: none; -webkit-user-select: none; }
        #pair { font-size: 1.25rem; padding: 1.25rem 2rem; border-radius: 2rem; min-width: 14rem; border: 2px solid var(--accent); background: transparent; color: inherit; cursor: pointer; }
        #pair[aria-pressed="true"], #talk[aria-pressed="true"] { background: var(--accent); color: #fff; }
        #talk { padding: .5rem 1rem; border-radius: 1rem; }
        .code { font-size: 3rem; letter-spacing: .3rem; font-variant-numeric: tabular-nums; margin: .5rem 0; }
        .code:empty { display: none; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dd { margin: 0; overflow-wrap: anywhere; }
        @media (min-width: 60rem) { body { max-width: 64rem; } }

        """#
}
