import Foundation

/// A `multipart/form-data` body split into its fields, enough for `/validate` uploads
/// (RFC 7578: parts separated by the boundary, each with a `Content-Disposition` naming it).
package struct MultipartForm: Sendable {
    /// One field.
    package struct Part: Sendable {
        /// The field name.
        package var name: String
        /// The uploaded file's name, for file fields.
        package var filename: String?
        /// The field's bytes.
        package var data: Data
    }

    /// The fields in body order.
    package var parts: [Part]

    /// The first field with a name.
    package subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// Parses a body.
    ///
    /// - Parameters:
    ///   - body: The request body.
    ///   - contentType: The `Content-Type` header, which carries the boundary.
    /// - Returns: The form.
    /// - Throws: ``DojoError`` `bad_request` saying what is malformed.
    package static func parse(_ body: Data, contentType: String?) throws -> MultipartForm {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw DojoError(.badRequest, "send the submission as multipart/form-data with the file in a field named 'file' (curl -F file=@submission.csv), not as \(contentType ?? "a body without Content-Type")")
        }
        guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty else {
            throw DojoError(.badRequest, "the multipart/form-data Content-Type has no boundary parameter")
        }
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else {
            throw DojoError(.badRequest, "the body does not contain the boundary '\(boundary)' its Content-Type announces")
        }
        while cursor < body.endIndex {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: crlf) else {
                throw DojoError(.badRequest, "malformed multipart body: expected a line break after the boundary")
            }
            let headersStart = cursor + crlf.count
            guard let headersRange = body.range(of: headerEnd, in: headersStart..<body.endIndex) else {
                throw DojoError(.badRequest, "malformed multipart body: a part's headers do not end with a blank line")
            }
            let headers = String(decoding: body[headersStart..<headersRange.lowerBound], as: UTF8.self)
            let contentStart = headersRange.upperBound
            guard let next = body.range(of: crlf + delimiter, in: contentStart..<body.endIndex) else {
                throw DojoError(.badRequest, "malformed multipart body: the closing boundary '--\(boundary)--' is missing")
            }
            var name: String?
            var filename: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: line)
                filename = parameter("filename", in: line)
            }
            guard let name else {
                throw DojoError(.badRequest, "malformed multipart body: a part has no Content-Disposition name")
            }
            parts.append(Part(name: name, filename: filename, data: Data(body[contentStart..<next.lowerBound])))
            cursor = next.upperBound
        }
        return MultipartForm(parts: parts)
    }

    /// A `key=value` or `key="value"` parameter of a header value.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
