import Foundation
import Testing
import WeMeetControl
import WeMeetProcess
import WeMeetTestSupport

/// Wrong passwords at the web app's login (API.md, "Web app"): the throttle's rules with
/// time as an input, then an attacker guessing at line rate against a real node.
@Suite("Web app: password guessing", .timeLimit(.minutes(1)))
struct LoginThrottleTests {
    typealias Throttle = LoginThrottle<ContinuousClock.Instant>
    let start = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { start.advanced(by: .seconds(seconds)) }

    @Test func theDelayDoublesWithEachWrongPasswordAfterTheFreeOnes() {
        var throttle = Throttle()
        for n in 0..<Throttle.freeFailures {
            #expect(throttle.failedSinceLastLogin == n)
            #expect(throttle.attempt(from: "10.0.0.9", at: start) == .check)
            throttle.failed(from: "10.0.0.9", at: start)
        }
        var now = start
        for (n, seconds) in [1, 2, 4, 8, 16].enumerated() {
            // Too early: refused unread (the right password too), and not counted.
            #expect(throttle.attempt(from: "10.0.0.9", at: now) == .wait(.seconds(seconds)))
            #expect(throttle.failedSinceLastLogin == Throttle.freeFailures + n)
            now = now.advanced(by: .seconds(seconds))
            #expect(throttle.attempt(from: "10.0.0.9", at: now) == .check)
            throttle.failed(from: "10.0.0.9", at: now)
        }
        #expect(Throttle.delay(afterFailures: 60, free: 3) == Throttle.maximumDelay)
    }

    @Test func anotherSourceIsNotSlowedUntilTheOverallCountIsReached() {
        var throttle = Throttle()
        for n in 0..<10 { throttle.failed(from: "10.0.0.66", at: at(Double(n) * 0.01)) }
        #expect(throttle.attempt(from: "10.0.0.66", at: at(0.2)) != .check)
        #expect(throttle.attempt(from: "10.0.0.7", at: at(0.2)) == .check)
        // Many addresses gain little: past the overall count every source waits.
        for n in 0..<Throttle.freeOverallFailures { throttle.failed(from: "10.1.0.\(n)", at: at(0.3)) }
        #expect(throttle.attempt(from: "10.0.0.7", at: at(0.31)) != .check)
    }

    @Test func aLoginClearsItsSourceAndReportsTheWrongPasswordsSinceTheLastOne() {
        var throttle = Throttle()
        for n in 0..<5 { throttle.failed(from: "10.0.0.66", at: at(Double(n))) }
        #expect(throttle.succeeded(from: "10.0.0.66") == 5)
        #expect(throttle.failedSinceLastLogin == 0)
        #expect(throttle.attempt(from: "10.0.0.66", at: at(5)) == .check)
    }

    @Test func thousandsOfSourcesAreForgottenOldestFirst() {
        var throttle = Throttle()
        for n in 0..<(Throttle.maximumSources + 50) {
            throttle.failed(from: "addr-\(n)", at: at(Double(n) * 1e-4))
        }
        #expect(throttle.failedSinceLastLogin == Throttle.maximumSources + 50)
    }

    /// Guessing at line rate from one address: most guesses are not even checked, the right
    /// password is refused while they are, and the owner's next login (a `wemeet open` link,
    /// never throttled) is told how many wrong passwords were tried.
    @Test func guessesAtLineRateAreThrottledAndTheOwnerIsToldAtTheNextLogin() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let (_, task, base) = try await WebSecurityTests.start(home.path, password: "correct horse", host: "127.0.0.1")
        defer { task.cancel() }
        let origin = "Origin: " + base
        var checked = 0
        var throttled = 0
        for n in 0..<30 {
            let answer = try await WebSecurityTests.curl(
                base + "/login", method: "POST", headers: [origin], body: "password=guess\(n)")
            #expect(answer.headers["set-cookie"] == nil)
            switch answer.status {
            case 401: checked += 1
            case 429:
                throttled += 1
                #expect((answer.headers["retry-after"].flatMap { Int($0) } ?? 0) >= 1)
                #expect(answer.body.contains("Too many wrong passwords"))
            default: Issue.record("a guess got \(answer.status)")
            }
        }
        // 30 guesses checked one after another would need 2^27 s of waiting.
        #expect(throttled > 0 && checked < 30, "checked \(checked), throttled \(throttled)")
        let login = try await WebSecurityTests.curl(try await WebSecurityTests.loginURL(home.path))
        let location = login.headers["location"] ?? ""
        #expect(location.hasSuffix("&failed=\(checked)"), "\(location)")
    }
}
