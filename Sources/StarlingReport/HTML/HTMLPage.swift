/// One self-contained HTML page: inline CSS, no scripts, fonts or images from elsewhere, so a
/// report opens offline and can be mailed as one file.
struct HTMLPage {
    /// The page title (plain text; escaped here).
    var title: String
    /// The body's HTML, already escaped where it holds user text.
    var body: String

    /// The whole document.
    var html: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.htmlEscaped)</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>
        <main>
        \(body)
        <footer>Made by Starling. This file is self-contained: it loads nothing from the network.</footer>
        </main>
        </body>
        </html>

        """
    }

    static let css = """
        :root { --fg: #1d2330; --muted: #5f6b7a; --line: #dde2ea; --bg: #f6f7f9; --card: #fff;
                --good: #1a7f37; --bad: #c62828; --warn: #9a6700; --accent: #2f5fb3; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
               font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 0 0 12px; }
        h3 { font-size: 15px; margin: 16px 0 8px; }
        a { color: var(--accent); }
        .subtitle { color: var(--muted); margin-bottom: 18px; }
        section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
                  padding: 16px 20px; margin: 16px 0; overflow-x: auto; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 10px; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { font-size: 20px; font-weight: 600; margin-top: 2px; }
        .card .note { color: var(--muted); font-size: 12px; }
        .good { color: var(--good); } .bad { color: var(--bad); } .warn { color: var(--warn); } .muted { color: var(--muted); }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef1f5; font-weight: 600; }
        table.bench th { font-size: 12px; } table.bench th, table.bench td { padding: 4px 6px; } table.bench td:nth-child(-n+2) { white-space: nowrap; } table.bench span.reason { display: inline-block; min-width: 22em; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.failed td { background: #fff4f4; }
        .flag { border-left: 4px solid var(--bad); background: #fff4f4; padding: 8px 12px; margin: 6px 0; }
        .ok { border-left: 4px solid var(--good); background: #f1faf3; padding: 8px 12px; margin: 6px 0; }
        pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
        pre.text { white-space: pre-wrap; word-break: break-word; background: #fafbfc; border: 1px solid var(--line);
                   border-radius: 4px; padding: 8px 10px; margin: 4px 0 10px; }
        details { margin: 8px 0; } summary { cursor: pointer; color: var(--accent); }
        .legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; color: var(--muted); font-size: 12px; margin: 6px 0; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%; vertical-align: -2px; margin-right: 4px; border: 1px solid #0003; }
        .chart { display: block; max-width: 100%; height: auto; }
        .scroll { overflow: auto; max-height: 900px; border: 1px solid var(--line); border-radius: 4px; }
        table.diff { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
        table.diff td { border: none; padding: 0 8px; white-space: pre-wrap; word-break: break-all; }
        table.diff td.ln { color: var(--muted); text-align: right; user-select: none; width: 1%; white-space: nowrap; }
        table.diff tr.add td { background: #e6ffec; } table.diff tr.del td { background: #ffebe9; }
        table.diff tr.hunk td { background: #ddf4ff; color: var(--muted); padding: 2px 8px; }
        .badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; background: #eef1f5; }
        .badge.good { background: #dafbe1; } .badge.bad { background: #ffebe9; }
        footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
        """
}
