import Foundation
import StarlingCore
import Testing
@testable import StarlingDojo

/// The bearer token: required off loopback (generated when none is given), optional on loopback.
@Suite(.serialized) struct GymServerAccessTests {
    @Test func serverOffLoopbackRefusesRequestsWithoutItsToken() async throws {
        // Bound to every interface: the token is required even for a client that comes in over 127.0.0.1.
        let live = try await LiveServer.start(host: "0.0.0.0")
        defer { Task { await live.stop() } }
        let token = try #require(live.server.access.token, "a server off loopback must have a token")
        #expect(live.server.access.generated)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))

        for path in ["/health", "/tasks", "/envs", "/envs/nope", "/no-such-endpoint"] {
            let bare = try await HTTP(base: live.baseURL).get(path)
            #expect(bare.status == 401, "GET \(path) without a token")
            #expect(bare.errorCode == "unauthorized")
            #expect(bare.errorMessage.contains("Authorization: Bearer"))
        }
        let wrong = try await HTTP(base: live.baseURL, token: String(token.reversed())).get("/health")
        #expect(wrong.status == 401 && wrong.errorMessage.contains("wrong token"))
        let refused = try await HTTP(base: live.baseURL).makeEnvironment()
        #expect(refused.1.status == 401)
        #expect(try await live.server.registry.list().isEmpty, "a refused request must not make an environment")

        let http = HTTP(base: live.baseURL, token: token)
        let health = try await http.get("/health")
        #expect(health.status == 200 && health.json["status"]?.string == "running")
        let (env, created) = try await http.makeEnvironment()
        #expect(created.status == 201)
        let info = try await http.step(env, "request_info", ["info_type": .string("name")])
        #expect(info.status == 200)
        #expect(try await http.send("DELETE", "/envs/\(env)").status == 200)
    }

    @Test func loopbackServerIsOpenUnlessGivenAToken() async throws {
        let open = try await LiveServer.start()
        #expect(open.server.access.token == nil)
        #expect(try await HTTP(base: open.baseURL).get("/health").status == 200)
        await open.stop()

        let guarded = try await LiveServer.start(token: "s3cret-token")
        defer { Task { await guarded.stop() } }
        #expect(guarded.server.access == DojoAccess(token: "s3cret-token", generated: false))
        #expect(try await HTTP(base: guarded.baseURL).get("/health").status == 401)
        #expect(try await HTTP(base: guarded.baseURL, token: "s3cret-token").get("/health").status == 200)
        #expect(try await HTTP(base: guarded.baseURL, token: "s3cret-toke").get("/health").status == 401)
    }

    @Test func loopbackAddressesAreRecognised() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"] {
            #expect(DojoAccess.isLoopback(host), "\(host)")
            #expect(DojoAccess.resolve(host: host, token: nil).token == nil)
        }
        for host in ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.org", "127.0.0", "127.0.0.256", "1270.0.0.1", ""] {
            #expect(!DojoAccess.isLoopback(host), "\(host)")
            let access = DojoAccess.resolve(host: host, token: nil)
            #expect(access.generated && access.token?.count == 64)
        }
        #expect(DojoAccess.generateToken() != DojoAccess.generateToken())
        let access = DojoAccess(token: "abc", generated: false)
        #expect(access.allows(authorization: "Bearer abc") && access.allows(authorization: "bearer  abc "))
        #expect(!access.allows(authorization: nil) && !access.allows(authorization: "Basic abc") && !access.allows(authorization: "Bearer abcd"))
        #expect(!access.allows(authorization: "Bearer ") && !access.allows(authorization: "abc"))
    }
}
