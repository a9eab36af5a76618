import Foundation
import StarlingReport

/// The dashboard's pages: the runs under its folder, one run followed live, two runs side by side.
/// The run page is the report's sections, refreshed from `/api/state` once a second, with a panel
/// that opens a node (plan, prompt, reply, code, log, diff to its parent or to any other node).
enum DashboardPages {
    static let style = """
        .live{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;background:#e3f2e5;color:#1b5e20}
        .live.stopped{background:#fdecea;color:#8e1b1b}.live.finished{background:#e8eaf6;color:#283593}
        #waiting li{font-family:ui-monospace,monospace;font-size:12px}
        #panel{position:fixed;top:0;right:0;width:min(760px,60vw);height:100vh;overflow:auto;background:#fff;border-left:1px solid #c4cad2;
          box-shadow:-4px 0 12px rgba(0,0,0,.12);padding:12px 16px;display:none;z-index:10}
        #panel.open{display:block}#panel pre{white-space:pre-wrap;max-height:60vh;overflow:auto}
        .tabs button{margin:0 4px 6px 0}.tabs button.on{font-weight:700}
        g.node{cursor:pointer}g.node.selected circle,g.node.selected rect{stroke:#1565c0;stroke-width:3}
        .sidebyside{display:flex;gap:8px}.sidebyside iframe{flex:1;height:92vh;border:1px solid #c4cad2}
        """

    /// The list of runs.
    static func index(_ data: DashboardData) -> String {
        let runs = data.runs()
        let rows = runs.map { run in
            let score = run.finalScore.map { String(format: "%.5g", $0) } ?? "—"
            let gap = run.gapClosed.map { String(format: "%.1f%%", $0) } ?? "—"
            return "<tr><td><a href=\"/run?run=\(run.id.urlQuery)\">\(run.id.htmlEscaped)</a></td><td>\((run.task ?? "").htmlEscaped)</td>"
                + "<td>\((run.strategy ?? "").htmlEscaped)</td><td>\(run.status.htmlEscaped)</td><td class=\"num\">\(run.nodes)</td>"
                + "<td class=\"num\">\(score)</td><td class=\"num\">\(gap)</td></tr>"
        }.joined(separator: "\n")
        let options = runs.map { "<option value=\"\($0.id.htmlEscaped)\">\($0.id.htmlEscaped)</option>" }.joined()
        let body = """
            <h1>Starling runs</h1>
            <div class="subtitle">\(runs.count) run(s) under \(data.root.path.htmlEscaped) · this page refreshes every 5 s</div>
            <form action="/compare" method="get">two runs side by side:
            <select name="a">\(options)</select> <select name="b">\(options)</select> <button>compare</button></form>
            <table><tr><th>run</th><th>task</th><th>strategy</th><th>status</th><th class="num">nodes</th><th class="num">final score</th><th class="num">gap closed</th></tr>
            \(rows)</table>
            <script>setTimeout(() => location.reload(), 5000)</script>
            """
        return RunReport.page(title: "Starling runs", head: "<style>\(style)</style>", body: body)
    }

    /// Two runs side by side.
    static func compare(_ a: String, _ b: String) -> String {
        let body = """
            <h1>Two runs side by side</h1>
            <div class="sidebyside"><iframe src="/run?run=\(a.urlQuery)&embedded=1"></iframe><iframe src="/run?run=\(b.urlQuery)&embedded=1"></iframe></div>
            """
        return RunReport.page(title: "Starling: \(a) and \(b)", head: "<style>\(style) main{max-width:none}</style>", body: body)
    }

    /// One run, followed live.
    static func run(_ id: String) -> String {
        let body = """
            <div id="header"></div>
            <p><span id="status" class="live">connecting…</span> <span id="clock" class="muted"></span> · <a href="/">all runs</a></p>
            <section><h2>Now</h2><ul id="waiting"><li class="muted">nothing yet</li></ul><p id="lastCall" class="muted"></p></section>
            <div id="outcome"></div>
            <div id="tree"></div>
            <p class="muted">Click a node to open it; with a node open, type another node's number to diff the two.</p>
            <div id="timeline"></div>
            <div id="events"></div>
            <aside id="panel"><button id="close">close</button> <span id="panelTitle"></span>
              <div class="tabs" id="tabs"></div><div id="tabBody"></div>
              <p>diff against node <input id="other" size="4"> <button id="diffButton">diff</button></p><div id="diffBody"></div>
            </aside>
            <script>\(script(id))</script>
            """
        return RunReport.page(title: "Starling run \(id)", head: "<style>\(style)</style>", body: body)
    }

    static func script(_ id: String) -> String {
        let run = (try? JSONEncoder().encode(id)).map { String(decoding: $0, as: UTF8.self) } ?? "\".\""
        return """
            const run = \(run);
            let version = "", openNode = null, detail = null, tab = "plan";
            const q = (s) => document.querySelector(s);
            const esc = (t) => String(t ?? "").replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;"}[c]));
            async function poll() {
              try {
                const r = await fetch("/api/state?run=" + encodeURIComponent(run));
                const s = await r.json();
                if (!r.ok) throw new Error(s.error);
                const v = JSON.stringify([s.nodes, s.status, s.waiting, s.lastCall]);
                q("#status").textContent = s.status; q("#status").className = "live " + s.status;
                q("#clock").textContent = s.elapsedSeconds != null ? Math.round(s.elapsedSeconds) + " s" : "";
                q("#waiting").innerHTML = s.waiting.length ? s.waiting.map(w => "<li>" + esc(w) + "</li>").join("") : "<li class='muted'>nothing in flight</li>";
                q("#lastCall").textContent = s.lastCall || "";
                if (v !== version) {
                  version = v;
                  for (const [key, html] of Object.entries(s.pieces)) { const el = q("#" + key); if (el) el.innerHTML = html; }
                  document.body.dataset.nodes = s.nodes.length;
                  wireTree();
                }
                if (s.status !== "finished") setTimeout(poll, 1000);
              } catch (e) { q("#status").textContent = "error: " + e.message; setTimeout(poll, 3000); }
            }
            function wireTree() {
              document.querySelectorAll("#tree g.node").forEach(g => {
                g.classList.toggle("selected", g.dataset.id == openNode);
                g.onclick = () => open(Number(g.dataset.id));
              });
            }
            async function open(id) {
              openNode = id; wireTree();
              const r = await fetch("/api/node?run=" + encodeURIComponent(run) + "&node=" + id);
              detail = await r.json();
              q("#panel").classList.add("open");
              q("#panelTitle").innerHTML = "<b>node " + detail.id + "</b> · " + esc(detail.stage) + " · " + esc(detail.step) + " · " + esc(detail.status)
                + (detail.score != null ? " · score " + detail.score.toPrecision(5) : "");
              q("#diffBody").innerHTML = "";
              render();
            }
            function render() {
              const tabs = {plan: "plan", prompt: "prompt", reply: "reply", code: "code", log: "log", parent: "diff to parent"};
              q("#tabs").innerHTML = Object.entries(tabs).map(([k, label]) => "<button data-tab='" + k + "' class='" + (k === tab ? "on" : "") + "'>" + label + "</button>").join("");
              q("#tabs").querySelectorAll("button").forEach(b => b.onclick = () => { tab = b.dataset.tab; render(); });
              const d = detail, ex = d.exchanges || [];
              const body = {
                plan: "<pre>" + esc(d.plan) + (d.error ? "\\n\\nerror: " + esc(d.error) : "") + "</pre>",
                prompt: ex.length ? ex.map(e => "<h3>" + esc(e.role) + " · " + e.tokens + " tokens · " + e.seconds.toFixed(1) + " s</h3><pre class='prompt'>" + esc(e.prompt) + "</pre>").join("") : "<p class='muted'>no model call for this step</p>",
                reply: ex.length ? ex.map(e => "<pre class='reply'>" + esc(e.reply) + "</pre>").join("") : "<p class='muted'>no model call for this step</p>",
                code: "<pre class='code'>" + esc(d.code) + "</pre>",
                log: "<pre class='log'>" + esc(d.log) + "</pre>",
                parent: d.diffToParent || "<p class='muted'>no parent</p>",
              }[tab];
              q("#tabBody").innerHTML = body;
            }
            q("#close").onclick = () => { q("#panel").classList.remove("open"); openNode = null; wireTree(); };
            q("#diffButton").onclick = async () => {
              const other = Number(q("#other").value);
              const r = await fetch("/api/diff?run=" + encodeURIComponent(run) + "&a=" + other + "&b=" + openNode);
              const d = await r.json();
              q("#diffBody").innerHTML = r.ok ? d.html : "<p class='bad'>" + esc(d.error) + "</p>";
            };
            poll();
            """
    }
}

extension String {
    /// The text as a URL query value.
    var urlQuery: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? self }
}
