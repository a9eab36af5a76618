import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``HTTPTransport`` for plain `http://` over a POSIX socket: one request per connection,
/// `Content-Length` or chunked replies.
///
/// Why not URLSession: on Linux, corelibs URLSession spins while it waits, costing about a third
/// of a core for every request in flight. A local model may take minutes to answer, and on a
/// 2-core machine that spin is taken from the model server itself. This transport sleeps in
/// `poll` on a thread of its own instead.
package struct SocketHTTPTransport: HTTPTransport {
    /// Creates a transport.
    package init() {}

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.scheme?.lowercased() == "http", let host = request.url.host else {
            throw HTTPTransportError(.connection, "SocketHTTPTransport handles http:// URLs only, not \(request.url.absoluteString)")
        }
        let connection = SocketConnection()
        let deadline = Date().addingTimeInterval(request.timeout)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let thread = Thread {
                    do {
                        continuation.resume(returning: try connection.exchange(request, host: host, deadline: deadline))
                    } catch {
                        continuation.resume(throwing: connection.isCancelled ? CancellationError() : error)
                    }
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            connection.cancel()
        }
    }
}

/// One blocking HTTP exchange; ``cancel()`` from any thread ends it.
private final class SocketConnection: @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32 = -1
    private var cancelled = false

    var isCancelled: Bool { lock.withLock { cancelled } }

    func cancel() {
        lock.withLock {
            cancelled = true
            if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func exchange(_ request: HTTPRequest, host: String, deadline: Date) throws -> HTTPResponse {
        let port = request.url.port ?? 80
        let target = "\(host):\(port)"
        _ = try connect(host: host, port: port, deadline: deadline, target: target)
        defer {
            lock.withLock {
                close(fd)
                fd = -1
            }
        }

        // The path as written: `URL.path` drops a trailing slash, which some servers route on (Ray's `POST /api/jobs/`).
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: true)
        var path = components?.percentEncodedPath ?? request.url.path
        if path.isEmpty { path = "/" }
        if let query = components?.percentEncodedQuery { path += "?\(query)" }
        var head = "\(request.method) \(path) HTTP/1.1\r\nHost: \(target)\r\nConnection: close\r\nUser-Agent: starling\r\n"
        for (name, value) in request.headers where name.lowercased() != "host" && name.lowercased() != "content-length" {
            head += "\(name): \(value)\r\n"
        }
        let body = request.body ?? Data()
        if request.body != nil || request.method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        var bytes = Data((head + "\r\n").utf8)
        bytes.append(body)
        try sendAll(bytes, deadline: deadline, target: target)
        return try readResponse(deadline: deadline, target: target, timeout: request.timeout)
    }

    private func connect(host: String, port: Int, deadline: Date, target: String) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &info)
        guard status == 0, let first = info else {
            throw HTTPTransportError(.connection, "cannot resolve \(host): \(String(cString: gai_strerror(status))); check the base URL")
        }
        defer { freeaddrinfo(info) }
        var lastError: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let socketFD = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if socketFD < 0 { lastError = errno; continue }
            let registered: Bool = lock.withLock {
                if cancelled { return false }
                fd = socketFD
                return true
            }
            guard registered else { close(socketFD); throw CancellationError() }
            if Glibc.connect(socketFD, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                var one: Int32 = 1
                setsockopt(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return socketFD
            }
            lastError = errno
            lock.withLock {
                close(fd)
                fd = -1
            }
        }
        if isCancelled { throw CancellationError() }
        throw HTTPTransportError(.connection, "connection to \(target) failed: \(String(cString: strerror(lastError))); "
            + "check that the server is running and the base URL is right")
    }

    private func waitFor(_ events: Int16, deadline: Date, target: String, timeout: TimeInterval) throws {
        while true {
            if isCancelled { throw CancellationError() }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                throw HTTPTransportError(.timeout, "no complete reply from \(target) within \(Self.seconds(timeout)); "
                    + "raise the request timeout or use a faster model")
            }
            var descriptor = pollfd(fd: lock.withLock { fd }, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 0.5) * 1000) + 1)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw HTTPTransportError(.connection, "connection to \(target) failed: \(String(cString: strerror(errno)))") }
        }
    }

    private func sendAll(_ data: Data, deadline: Date, target: String) throws {
        try data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                try waitFor(Int16(POLLOUT), deadline: deadline, target: target, timeout: deadline.timeIntervalSinceNow)
                let count = Glibc.send(lock.withLock { fd }, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 {
                    if isCancelled { throw CancellationError() }
                    throw HTTPTransportError(.connection, "connection to \(target) dropped while sending the request")
                }
                sent += count
            }
        }
    }

    /// Reads until the server closes the connection or the body is complete.
    private func readResponse(deadline: Date, target: String, timeout: TimeInterval) throws -> HTTPResponse {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var head: (status: Int, headers: [String: String], bodyStart: Int)?
        var closed = false
        while true {
            if head == nil, let end = buffer.range(of: Data("\r\n\r\n".utf8)) {
                head = try Self.parseHead(buffer[..<end.lowerBound], target: target)
                head?.bodyStart = end.upperBound
            }
            if let head {
                let body = buffer[head.bodyStart...]
                if let length = head.headers["content-length"].flatMap(Int.init), body.count >= length {
                    return HTTPResponse(status: head.status, headers: head.headers, body: Data(body.prefix(length)))
                }
                if head.headers["transfer-encoding"]?.lowercased().contains("chunked") == true,
                   let decoded = try Self.dechunk(Data(body), target: target) {
                    return HTTPResponse(status: head.status, headers: head.headers, body: decoded)
                }
                if closed {
                    if head.headers["content-length"] == nil, head.headers["transfer-encoding"] == nil {
                        return HTTPResponse(status: head.status, headers: head.headers, body: Data(body))
                    }
                    throw HTTPTransportError(.connection, "connection to \(target) dropped in the middle of the reply")
                }
            } else if closed {
                throw HTTPTransportError(.connection, buffer.isEmpty ? "\(target) closed the connection without replying"
                    : "connection to \(target) dropped in the middle of the reply headers")
            }
            try waitFor(Int16(POLLIN), deadline: deadline, target: target, timeout: timeout)
            let count = recv(lock.withLock { fd }, &chunk, chunk.count, 0)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if isCancelled { throw CancellationError() }
                throw HTTPTransportError(.connection, "connection to \(target) failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                if isCancelled { throw CancellationError() }
                closed = true
            } else {
                buffer.append(chunk, count: count)
            }
        }
    }

    private static func parseHead(_ data: Data, target: String) throws -> (status: Int, headers: [String: String], bodyStart: Int) {
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw HTTPTransportError(.badResponse, "\(target) did not answer with HTTP: \(lines.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, 0)
    }

    /// The decoded body once the terminating zero-size chunk has arrived, else `nil`.
    private static func dechunk(_ data: Data, target: String) throws -> Data? {
        var output = Data()
        var index = data.startIndex
        let crlf = Data("\r\n".utf8)
        while true {
            guard let lineEnd = data.range(of: crlf, in: index..<data.endIndex) else { return nil }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self)
                .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(sizeText, radix: 16) else {
                throw HTTPTransportError(.badResponse, "\(target) sent a malformed chunk size '\(sizeText)'")
            }
            let start = lineEnd.upperBound
            if size == 0 { return output }
            guard data.distance(from: start, to: data.endIndex) >= size + 2 else { return nil }
            let end = data.index(start, offsetBy: size)
            output.append(data[start..<end])
            index = data.index(end, offsetBy: 2)
        }
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value >= 1 ? "\(Int(value.rounded())) s" : "\(Int((value * 1000).rounded())) ms"
    }
}
