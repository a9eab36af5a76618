import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 and a free port that answers from a script, records
/// every request, and can delay or drop a reply. Each connection gets one reply and is closed.
final class StubHTTPServer: @unchecked Sendable {
    /// What to do with one request.
    enum Action: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        case delay(TimeInterval, then: Reply)
        case drop
        /// Bytes written as they are, status line and headers included.
        case raw(String)

        /// A reply for ``delay(_:then:)``.
        struct Reply: Sendable {
            var status: Int
            var headers: [String: String] = [:]
            var body: String = ""
        }

        static func json(_ body: String, status: Int = 200, headers: [String: String] = [:]) -> Action {
            .respond(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: body)
        }
    }

    /// One request as received.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Action]
    private var received: [Request] = []

    /// Starts serving; the last action repeats once the script runs out. With `listening` false
    /// the port is held but refuses connections, and no other test can be given it meanwhile.
    init(_ script: [Action], listening: Bool = true) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, !listening || listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        if listening {
            let thread = Thread { [self] in acceptLoop() }
            thread.start()
        }
    }

    deinit { stop() }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Requests received so far.
    var requests: [Request] {
        lock.lock(); defer { lock.unlock() }
        return received
    }

    private var stopped = false

    /// Stops listening; safe to call twice (a second close could hit another test's descriptor).
    func stop() {
        let first: Bool = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func nextAction() -> Action {
        lock.lock(); defer { lock.unlock() }
        return script.count > 1 ? script.removeFirst() : (script.first ?? .respond(status: 500))
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            let thread = Thread { [self] in handle(connection) }
            thread.start()
        }
    }

    private func handle(_ connection: Int32) {
        defer { close(connection) }
        guard let request = readRequest(connection) else { return }
        let action = nextAction()
        lock.lock(); received.append(request); lock.unlock()
        switch action {
        case .drop:
            return
        case .raw(let text):
            let bytes = Array(text.utf8)
            _ = send(connection, bytes, bytes.count, Int32(MSG_NOSIGNAL))
        case .respond(let status, let headers, let body):
            write(connection, status: status, headers: headers, body: body)
        case .delay(let seconds, let reply):
            Thread.sleep(forTimeInterval: seconds)
            write(connection, status: reply.status, headers: reply.headers, body: reply.body)
        }
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            data.append(buffer, count: count)
            headerEnd = data.range(of: separator)
        }
        let head = String(decoding: data[..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Data(data[headerEnd!.upperBound...])
        while body.count < length {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { break }
            body.append(buffer, count: count)
        }
        return Request(method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
                       headers: headers, body: body)
    }

    private func write(_ connection: Int32, status: Int, headers: [String: String], body: String) {
        let bytes = Data(body.utf8)
        var text = "HTTP/1.1 \(status) Status\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        var data = Data((text + "\r\n").utf8)
        data.append(bytes)
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let count = send(connection, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return }
                sent += count
            }
        }
    }
}
