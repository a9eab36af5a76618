import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on a file (`flock`), held across processes: two bench cells, two
/// `starling run`s or two test processes that prepare the same task take turns instead of
/// removing each other's files.
///
/// The kernel releases the lock when the holder's descriptor closes, so a holder that is killed
/// never leaves it taken.
package struct FileLock: Sendable {
    /// The lock file; created when missing, never removed (removing it would let a second
    /// process lock a new file while the first still holds the old one).
    package var url: URL

    /// Creates a lock on a file.
    ///
    /// - Parameter url: The lock file.
    package init(url: URL) {
        self.url = url
    }

    /// Runs `body` while holding the lock, waiting (without blocking a thread) until it is free.
    ///
    /// - Parameters:
    ///   - pollInterval: How long to sleep between tries while another process holds it.
    ///   - body: The work to do under the lock.
    /// - Returns: What `body` returns.
    /// - Throws: When the lock file cannot be opened, or what `body` throws.
    package func withLock<T: Sendable>(pollInterval: Duration = .milliseconds(200), _ body: () async throws -> T) async throws -> T {
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FileLockError(path: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw FileLockError(path: url.path, reason: String(cString: strerror(errno)))
            }
            try await Task.sleep(for: pollInterval)
        }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }
}

/// A lock file that could not be opened or locked.
package struct FileLockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The lock file.
    package var path: String
    /// What the system said.
    package var reason: String

    /// A readable message.
    package var description: String { "cannot lock \(path): \(reason)" }
}
