"""The status page's stylesheet, inlined into the page: system fonts, one column on a phone, light and dark.

Kept apart from :mod:`tabmcp_ops.monitor.page` so the layout code stays readable. Colour is never the only
signal: each state, verdict and breach is also written out in words.
"""

CSS = """
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a; --line: #d0d7de;
  --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --accent: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d;
    --ok: #3fb950; --warn: #d29922; --bad: #f85149; --accent: #4493f8; }
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0; }
code { font-size: .9em; overflow-wrap: anywhere; }
a { color: var(--accent); }
.state { border: 2px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; }
.state h2 { margin-top: 0; font-size: 1rem; color: var(--muted); }
.state-word { font-size: 2rem; font-weight: 700; margin: 0; }
.state-up { border-color: var(--ok); } .state-up .state-word { color: var(--ok); }
.state-degraded { border-color: var(--warn); } .state-degraded .state-word { color: var(--warn); }
.state-down { border-color: var(--bad); } .state-down .state-word { color: var(--bad); }
.stale { color: var(--bad); font-weight: 600; }
.note { color: var(--muted); font-size: .9rem; }
.cards, .grid { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.card, figure.tool { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; margin: 0; min-width: 0; }
.card p { margin: .25rem 0; }
.card .figure { font-size: 1.5rem; font-weight: 700; }
.slo-met .figure { color: var(--ok); } .slo-missed .figure { color: var(--bad); }
figure { margin: 0; }
figcaption { margin-bottom: .25rem; }
figcaption .over { color: var(--bad); font-weight: 600; }
svg.chart { display: block; width: 100%; height: auto; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .target { stroke: var(--bad); stroke-width: 1; stroke-dasharray: 4 3; }
svg .tick { fill: var(--muted); font-size: 9px; font-family: inherit; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 1.5; }
svg .point { fill: var(--accent); } svg .point.over { fill: var(--bad); }
svg .bar { fill: var(--ok); } svg .bar.under { fill: var(--bad); }
details { margin: .5rem 0; } summary { cursor: pointer; color: var(--accent); }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
tr.ongoing td:first-child { font-weight: 700; color: var(--bad); }
#availability figure { max-width: 44rem; }
@media (max-width: 40rem) {
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; }
  table.stack thead { display: none; }
  table.stack tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.stack td { border: 0; padding: .1rem 0; }
  table.stack td::before { content: attr(data-label) ": "; color: var(--muted); }
}
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
"""
