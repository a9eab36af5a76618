import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``HTTPTransport`` over Foundation's URLSession, with a hard per-attempt deadline and
/// cancellation that abandons the request in flight.
package struct URLSessionTransport: HTTPTransport {
    private let session: SessionBox

    /// Creates a transport with its own ephemeral session (no cookies, no URL cache).
    package init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForResource = 3600
        session = SessionBox(session: URLSession(configuration: configuration))
    }

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = self.session
        let timeout = request.timeout
        let url = request.url

        // URLSession's own timeout is an idle timeout; the race below bounds the whole attempt. The
        // request runs in a task of its own: the answer is given when the first of reply, deadline
        // or cancellation comes, without waiting for a loaded corelibs URLSession to wind the
        // abandoned request down (a task group would wait for it).
        let outcome = Outcome()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                outcome.set(continuation)
                let work = Task {
                    do { outcome.finish(.success(try await Self.perform(request, on: session.session))) } catch { outcome.finish(.failure(error)) }
                }
                outcome.attach(work)
                let timer = Task {
                    try? await Task.sleep(nanoseconds: UInt64(max(timeout, 0.001) * 1_000_000_000))
                    if Task.isCancelled { return }
                    outcome.finish(.failure(HTTPTransportError(.timeout, "no complete reply from \(url.host ?? "the server") within \(Self.seconds(timeout)); "
                        + "raise the request timeout or use a faster model")))
                }
                outcome.attach(timer)
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }

    private static func perform(_ httpRequest: HTTPRequest, on session: URLSession) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: httpRequest.url)
        urlRequest.httpMethod = httpRequest.method
        urlRequest.httpBody = httpRequest.body
        // Whole seconds, with slack: corelibs Foundation fires at once on a sub-second value; the race in
        // send(_:) enforces the exact deadline.
        urlRequest.timeoutInterval = (httpRequest.timeout + 1).rounded(.up)
        for (name, value) in httpRequest.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        continuation.resume(throwing: Self.translate(error, url: httpRequest.url))
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(throwing: HTTPTransportError(.connection, "no HTTP response from \(httpRequest.url.absoluteString)"))
                        return
                    }
                    var headers: [String: String] = [:]
                    for (key, value) in http.allHeaderFields {
                        headers[String(describing: key).lowercased()] = String(describing: value)
                    }
                    continuation.resume(returning: HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    private static func translate(_ error: any Error, url: URL?) -> any Error {
        let nsError = error as NSError
        let target = url?.host.map { "\($0):\(url?.port.map(String.init) ?? "")" } ?? "the server"
        if nsError.domain == NSURLErrorDomain {
            switch nsError.code {
            case NSURLErrorCancelled: return CancellationError()
            case NSURLErrorTimedOut:
                return HTTPTransportError(.timeout, "the request to \(target) timed out")
            default:
                return HTTPTransportError(.connection, "connection to \(target) failed: \(nsError.localizedDescription); "
                    + "check that the server is running and the base URL is right")
            }
        }
        return HTTPTransportError(.connection, "request to \(target) failed: \(error)")
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value >= 1 ? "\(Int(value.rounded())) s" : "\(Int((value * 1000).rounded())) ms"
    }
}

/// URLSession is thread-safe; this box states so to the compiler.
private struct SessionBox: @unchecked Sendable {
    let session: URLSession
}

/// Holds the task in flight so a cancellation handler on another thread can cancel it.
private final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func set(_ task: URLSessionDataTask) {
        lock.lock()
        self.task = task
        let cancelNow = cancelled
        lock.unlock()
        if cancelNow { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}

/// The first of a request's reply, its deadline and its cancellation: resumes the waiting caller
/// once and cancels whatever is still running.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private var early: Result<HTTPResponse, any Error>?
    private var done = false
    private var tasks: [Task<Void, Never>] = []

    func set(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
        lock.lock()
        if let early {
            lock.unlock()
            continuation.resume(with: early)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    func attach(_ task: Task<Void, Never>) {
        lock.lock()
        let finished = done
        if !finished { tasks.append(task) }
        lock.unlock()
        if finished { task.cancel() }
    }

    func finish(_ result: Result<HTTPResponse, any Error>) {
        lock.lock()
        guard !done else { lock.unlock(); return }
        done = true
        let waiting = continuation
        continuation = nil
        if waiting == nil { early = result }
        let running = tasks
        tasks = []
        lock.unlock()
        waiting?.resume(with: result)
        for task in running { task.cancel() }
    }
}
