import Foundation

/// Times as the control API writes and reads them (API.md, "Times"): RFC 3339 in UTC,
/// `2026-11-22T08:00:00Z`. Parsed and printed here, by arithmetic, not by the system's date
/// formatters: `ISO8601DateFormatter` trapped (a division by zero in ICU) on
/// `-2-11-22T08:00:00.1239…9Z1`, which the control-JSON fuzz target found, and it prints a
/// peer's far-future clock claim as a year no parser reads back.
///
/// A time is a sender's claim (Protocol.md §7): any 64-bit millisecond count. The API writes
/// a claim past the year 9999 as ``latest`` and one before the year 0 as ``earliest``; the
/// node keeps the claim as it was sent.
public enum APITime {
    /// `9999-12-31T23:59:59Z`, the latest time the API writes.
    public static let latest = Date(timeIntervalSince1970: 253_402_300_799)

    /// `0000-01-01T00:00:00Z`, the earliest time the API writes.
    public static let earliest = Date(timeIntervalSince1970: -62_167_219_200)

    /// The longest text ``date(from:)`` reads (a fraction may carry up to 30 digits).
    public static let maximumLength = 64

    /// `date` as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, rounded down), clamped to
    /// ``earliest``...``latest``.
    public static func string(from date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let seconds: Int64
        if !(interval >= earliest.timeIntervalSince1970) {  // also NaN
            seconds = Int64(earliest.timeIntervalSince1970)
        } else if interval > latest.timeIntervalSince1970 {
            seconds = Int64(latest.timeIntervalSince1970)
        } else {
            seconds = Int64(interval.rounded(.down))
        }
        let days = seconds.floorDivided(by: 86_400)
        let second = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(second / 3600, 2) + ":"
            + pad(second / 60 % 60, 2) + ":" + pad(second % 60, 2) + "Z"
    }

    /// Reads an RFC 3339 time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction (`.` and 1 to 30
    /// digits, kept to the nanosecond), then `Z` or an offset `±HH:MM`. Nil for anything else,
    /// including a day the month does not have, an hour past 23 or a second past 59.
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= maximumLength else { return nil }
        var reader = Reader(bytes: bytes)
        guard let year = reader.number(4), reader.skip(UInt8(ascii: "-")),
            let month = reader.number(2), reader.skip(UInt8(ascii: "-")),
            let day = reader.number(2), reader.skip(UInt8(ascii: "T")) || reader.skip(UInt8(ascii: "t")),
            let hour = reader.number(2), reader.skip(UInt8(ascii: ":")),
            let minute = reader.number(2), reader.skip(UInt8(ascii: ":")),
            let second = reader.number(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour <= 23,
            minute <= 59, second <= 59
        else { return nil }
        var nanoseconds: Int64 = 0
        if reader.skip(UInt8(ascii: ".")) {
            var digits = 0
            while let digit = reader.digit() {
                if digits < 9 { nanoseconds = nanoseconds * 10 + digit }
                digits += 1
            }
            guard (1...30).contains(digits) else { return nil }
            if digits < 9 { for _ in digits..<9 { nanoseconds *= 10 } }
        }
        var offset: Int64 = 0
        if reader.skip(UInt8(ascii: "Z")) || reader.skip(UInt8(ascii: "z")) {
        } else {
            let sign: Int64
            if reader.skip(UInt8(ascii: "+")) {
                sign = 1
            } else if reader.skip(UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let hours = reader.number(2), reader.skip(UInt8(ascii: ":")), let minutes = reader.number(2),
                hours <= 23, minutes <= 59
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard reader.atEnd else { return nil }
        let seconds = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }

    /// The days in `month` of `year` (proleptic Gregorian).
    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
    /// Low-Level Date Algorithms", `days_from_civil`).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (`civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A cursor over ASCII bytes.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
                return nil
            }
            defer { index += 1 }
            return Int64(bytes[index] - UInt8(ascii: "0"))
        }

        /// Exactly `count` digits.
        mutating func number(_ count: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
