/** The web UI's one stylesheet. */
export const STYLE = `
:root { color-scheme: light dark; --accent: #c12127; --muted: #6a737d; --line: #d0d7de; --code: #f3f4f6; }
@media (prefers-color-scheme: dark) { :root { --line: #30363d; --muted: #9aa4ae; --code: #161b22; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
header.site { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.5rem; border-bottom: 3px solid var(--accent); flex-wrap: wrap; }
header.site .brand { font-weight: 700; text-decoration: none; color: inherit; }
header.site form { flex: 1; display: flex; gap: .4rem; min-width: 16rem; }
header.site input[type=search] { flex: 1; padding: .45rem .6rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; }
header.site nav { display: flex; gap: .8rem; align-items: center; }
button, .button { font: inherit; padding: .4rem .8rem; border: 1px solid var(--line); border-radius: 4px; background: transparent; color: inherit; cursor: pointer; text-decoration: none; }
main { max-width: 72rem; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.hits { list-style: none; padding: 0; }
.hit { padding: .8rem 0; border-bottom: 1px solid var(--line); }
.hit h2 { font-size: 1.1rem; margin: 0; }
.keywords { list-style: none; display: flex; gap: .4rem; padding: 0; margin: .3rem 0 0; flex-wrap: wrap; }
.keywords li { background: var(--code); border-radius: 3px; padding: 0 .4rem; font-size: .85em; }
.pager { display: flex; gap: 1rem; align-items: center; }
.package { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 2rem; }
@media (max-width: 52rem) { .package { grid-template-columns: 1fr; } }
.package aside section { margin-bottom: 1.2rem; }
.package aside h3 { font-size: .8rem; text-transform: uppercase; color: var(--muted); margin: 0 0 .3rem; }
.readme { overflow-wrap: anywhere; }
.readme img { max-width: 100%; }
pre, code, kbd { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
pre { background: var(--code); padding: .8rem; overflow-x: auto; border-radius: 4px; }
.install code { display: block; background: var(--code); padding: .4rem .6rem; border-radius: 4px; margin-bottom: .3rem; user-select: all; }
.deprecated { border: 1px solid var(--accent); border-radius: 4px; padding: .6rem .8rem; margin: .8rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.error { border-left: 4px solid var(--accent); padding: .4rem .8rem; }
form.signin { display: grid; gap: .6rem; max-width: 22rem; }
form.signin input { font: inherit; padding: .4rem .6rem; border: 1px solid var(--line); border-radius: 4px; }
[hidden] { display: none !important; }
`;
