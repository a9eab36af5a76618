import Foundation

/// The report's pieces as the live dashboard shows them while a run works: the same sections,
/// swapped in as the journal grows, and the report's stylesheet.
extension RunReport {
    /// The sections the dashboard refreshes, by the id of the element that holds each.
    package var livePieces: [String: String] {
        ["header": header, "outcome": outcome, "tree": treeSection, "timeline": timelineSection, "events": eventSection]
    }

    /// The report's stylesheet.
    package static var stylesheet: String { HTMLPage.css }

    /// An HTML page with the report's style, `head` added to its head and `body` as its body.
    package static func page(title: String, head: String = "", body: String) -> String {
        HTMLPage(title: title, body: body).html.replacingOccurrences(of: "</head>", with: head + "\n</head>")
    }
}
