/// How fast wrong passwords may be tried at the web app's login (API.md, "Web app"): a
/// sans-IO state machine. Time is an input (any `Clock`'s instants), each attempt returns a
/// verdict, and the caller checks the password only when the verdict lets it.
///
/// Per source address: the first ``freeFailures`` wrong passwords cost nothing; after that
/// each next attempt must wait a delay that doubles with every failure (1 s, 2 s, 4 s …, at
/// most ``maximumDelay``). Over all sources together the same rule holds from
/// ``freeOverallFailures`` on, so that many addresses gain an attacker little. An attempt
/// made too early is refused without looking at the password, the right one included, and
/// does not count as a failure. A success clears its source's count and returns how many
/// wrong passwords were tried since the last success, to tell the user.
package struct LoginThrottle<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What an attempt may do.
    package enum Verdict: Equatable, Sendable {
        /// Check the password now.
        case check
        /// Refuse it unread; the source may try again after this long.
        case wait(Duration)
    }

    private struct Failures: Sendable {
        var count = 0
        var last: Instant?
    }

    /// Wrong passwords from one source before delays start.
    package static var freeFailures: Int { 3 }
    /// Wrong passwords over all sources before the shared delay starts.
    package static var freeOverallFailures: Int { 20 }
    /// The longest delay.
    package static var maximumDelay: Duration { .seconds(300) }
    /// The most sources remembered; the one with the oldest failure is forgotten first.
    package static var maximumSources: Int { 1024 }

    private var sources: [String: (count: Int, last: Instant)] = [:]
    private var overall = Failures()
    /// Wrong passwords since the last successful login, from any source.
    package private(set) var failedSinceLastLogin = 0

    package init() {}

    /// The delay after `count` failures, when `free` of them cost nothing.
    package static func delay(afterFailures count: Int, free: Int) -> Duration {
        guard count >= free else { return .zero }
        let exponent = min(count - free, 20)
        return min(.seconds(1 << exponent), maximumDelay)
    }

    /// Whether `source` may try a password at `now`.
    package func attempt(from source: String, at now: Instant) -> Verdict {
        var wait = Duration.zero
        if let failures = sources[source] {
            let due = failures.last.advanced(by: Self.delay(afterFailures: failures.count, free: Self.freeFailures))
            if now < due { wait = max(wait, now.duration(to: due)) }
        }
        if let last = overall.last {
            let due = last.advanced(by: Self.delay(afterFailures: overall.count, free: Self.freeOverallFailures))
            if now < due { wait = max(wait, now.duration(to: due)) }
        }
        return wait > .zero ? .wait(wait) : .check
    }

    /// A checked password was wrong.
    package mutating func failed(from source: String, at now: Instant) {
        sources[source] = ((sources[source]?.count ?? 0) + 1, now)
        overall.count += 1
        overall.last = now
        failedSinceLastLogin += 1
        if sources.count > Self.maximumSources, let oldest = sources.min(by: { $0.value.last < $1.value.last }) {
            sources.removeValue(forKey: oldest.key)
        }
    }

    /// A login succeeded (a token or the right password): clears `source`'s count, and the
    /// overall one; returns the wrong passwords tried since the last success.
    package mutating func succeeded(from source: String) -> Int {
        sources.removeValue(forKey: source)
        overall = Failures()
        defer { failedSinceLastLogin = 0 }
        return failedSinceLastLogin
    }
}
