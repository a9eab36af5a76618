import Foundation
import StarlingLLM
import Testing

@Suite struct ModelReachabilityTests {
    let refused = LLMError(.connection, "could not connect to http://127.0.0.1:9/v1: Connection refused")

    @Test func threeRefusedCallsInARowMakeTheModelUnreachableOnce() {
        let reachability = ModelReachability(threshold: 3)
        #expect(reachability.failed(refused) == nil)
        #expect(reachability.failed(refused) == nil)
        let verdict = reachability.failed(refused)
        #expect(verdict?.hasPrefix("no model answered: 3 calls in a row failed (no call of this run got a reply)") == true)
        #expect(verdict?.contains("Connection refused") == true)
        #expect(reachability.unreachable == verdict)
        // The verdict is given once; later failures do not give it again.
        #expect(reachability.failed(refused) == nil)
    }

    @Test func aReplyInBetweenResetsTheCountAndSlowOrGarbledRepliesDoNotCount() {
        let reachability = ModelReachability(threshold: 3)
        reachability.failed(refused)
        reachability.failed(refused)
        reachability.answered()
        reachability.failed(refused)
        reachability.failed(LLMError(.timeout, "the request took longer than 300 s"))
        reachability.failed(LLMError(.badResponse, "not JSON"))
        reachability.failed(LLMError(.http, "server error", statusCode: 500))
        reachability.failed(refused)
        #expect(reachability.unreachable == nil)
        // A rejected key is as final as a refused connection.
        reachability.failed(LLMError(.http, "invalid API key", statusCode: 401))
        #expect(reachability.unreachable?.contains("after 1 answered call(s)") == true)
    }
}
