import Foundation
import StarlingStore

extension RunReport {
    /// Every LLM exchange of the run, folded: the messages as they were sent and the reply, with
    /// the step, role, model, sampling, tokens and latency. Long texts are cut for the page
    /// (`starling export trajectories --format chat` writes them whole).
    var exchangeSection: String {
        let kept = run.calls.filter { $0.exchange != nil }
        guard !kept.isEmpty else {
            let note = run.calls.isEmpty ? "No LLM call was recorded."
                : "This run's journal predates kept exchanges: it has the calls' tokens and latency, not their messages."
            return "<section id=\"exchanges\"><h2>LLM exchanges</h2><p class=\"muted\">\(note)</p></section>"
        }
        let sent = kept.reduce(0) { $0 + $1.exchange!.messages.reduce(0) { $0 + $1.content.count } }
        let stored = run.exchangeStorage.map { storage -> String in
            let share = storage.sentCharacters > 0 ? 100 * Double(storage.storedCharacters) / Double(storage.sentCharacters) : 0
            return String(format: "%@ characters in the journal, %.0f%% of what was sent", Formatting.count(storage.storedCharacters), share)
        } ?? "the journal keeps each distinct paragraph once"
        var items = ""
        for (index, call) in kept.enumerated() {
            let exchange = call.exchange!
            let sampling = [exchange.temperature.map { "temperature \($0)" }, exchange.seed.map { "seed \($0)" },
                            exchange.responseFormat.flatMap { $0 == "text" ? nil : $0 }, exchange.finishReason.map { "finish \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            let summary = "#\(call.number ?? index + 1) · <code>\(call.stepKey.htmlEscaped)</code> · \(call.role.htmlEscaped) · "
                + "\(Formatting.count(call.promptTokens)) + \(Formatting.count(call.completionTokens)) tok · "
                + String(format: "%.1f s", call.latencySeconds) + (call.cacheHit ? " · cached" : "")
                + (sampling.isEmpty ? "" : " · " + sampling.htmlEscaped)
            var body = ""
            for message in exchange.messages {
                body += "<div class=\"muted\"><b>\(message.role.htmlEscaped)</b> (\(Formatting.count(message.content.count)) characters)</div>"
                    + "<pre class=\"code\">\(Self.cut(message.content).htmlEscaped)</pre>"
            }
            body += "<div><b>reply</b> (\(call.model.htmlEscaped))</div><pre class=\"code\">\(Self.cut(exchange.reply).htmlEscaped)</pre>"
            items += "<details><summary>\(summary)</summary>\(body)</details>\n"
        }
        return """
            <section id="exchanges"><h2>LLM exchanges</h2>
            <p class="muted">\(kept.count) exchanges as sent and answered (\(Formatting.count(sent)) characters of messages; \
            each distinct paragraph stored once: \(stored)). Texts over 6,000 characters are cut here; \
            <code>starling export trajectories --format chat</code> writes them whole.</p>
            \(items)</section>
            """
    }

    /// A text cut to its first 4,000 and last 2,000 characters when longer than 6,000.
    static func cut(_ text: String) -> String {
        guard text.count > 6000 else { return text }
        return String(text.prefix(4000)) + "\n… \(text.count - 6000) characters left out …\n" + String(text.suffix(2000))
    }
}
