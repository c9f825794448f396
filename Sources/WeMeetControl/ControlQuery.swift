import Foundation
import Hummingbird
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// Numbers and times in control-API requests, checked in one place (API.md, "Errors"): a
/// value that is ill-typed, malformed or out of range is answered 400 with the reason —
/// never a crash, and never silently ignored.
package enum ControlQuery {
    /// The largest `limit` a list route takes.
    package static let maximumLimit = ControlJSON.maximumLimit

    /// `?limit=N`: absent, or a whole number from 1 to ``maximumLimit``.
    package static func limit(_ request: Request) throws -> Int? {
        try limit(request.uri.queryParameters.get("limit").map { String($0) })
    }

    /// A `limit` value as text: absent, or a whole number from 1 to ``maximumLimit``.
    package static func limit(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), (1...maximumLimit).contains(value) else {
            throw HTTPError(
                .badRequest, message: "limit must be a whole number from 1 to \(maximumLimit), got \"\(text)\"")
        }
        return value
    }

    /// `?since=TIME`: absent, or an ISO 8601 time such as `2026-11-22T08:00:00Z`.
    package static func since(_ request: Request) throws -> Date? {
        try since(request.uri.queryParameters.get("since").map { String($0) })
    }

    /// A `since` value as text: absent, or an RFC 3339 time (``APITime``).
    package static func since(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        if let date = APITime.date(from: text) { return date }
        throw HTTPError(
            .badRequest, message: "since must be an ISO 8601 time such as 2026-11-22T08:00:00Z, got \"\(text)\"")
    }

    /// `?after=ID`: absent, or a message ID (64 hex digits).
    package static func after(_ request: Request) throws -> String? {
        guard let text = request.uri.queryParameters.get("after").map({ String($0) }) else { return nil }
        guard text.count == 64, text.allSatisfy(\.isHexDigit) else {
            throw HTTPError(.badRequest, message: "after must be a message ID (64 hex digits), got \"\(text)\"")
        }
        return text
    }

    /// `?before=CURSOR`: absent, or the `earlier` cursor of a page (API.md, "Paging").
    package static func before(_ request: Request) throws -> PageCursor? {
        guard let text = request.uri.queryParameters.get("before").map({ String($0) }) else { return nil }
        guard let cursor = PageCursor(text) else {
            throw HTTPError(
                .badRequest, message: "before must be the earlier cursor of a page (decimal digits), got \"\(text)\"")
        }
        return cursor
    }

    /// A press window in seconds (`POST /v1/pair`): absent (10 s), or a number from 1 to 120.
    package static func window(_ seconds: Double?) throws -> Duration {
        let seconds = seconds ?? 10
        guard seconds.isFinite, (1...120).contains(seconds) else {
            throw HTTPError(.badRequest, message: "window must be a number of seconds from 1 to 120, got \(seconds)")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// The window of a list route that takes both: `?since=TIME&limit=N`, each absent or
    /// checked (`limit` defaults to `defaultLimit`).
    package struct Window: Sendable {
        package var since: Date?
        package var limit: Int?
    }

    /// `?since=` and `?limit=` of `request`, checked once for every list route.
    package static func window(_ request: Request, defaultLimit: Int? = nil) throws -> Window {
        Window(since: try since(request), limit: try limit(request) ?? defaultLimit)
    }
}
