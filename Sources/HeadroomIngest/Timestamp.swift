import HeadroomModel

/// Parses the timestamps AWS tools print, without a date formatter (those cost ~70 µs a call):
/// ISO 8601 with `Z` or a `±HH:MM` offset and optional fractional seconds, as AWS CLI v2 prints
/// them; and integer or float epoch seconds, as AWS CLI v1 and the raw API print them. A time
/// outside `Instant.readable` (years 1970 to 2199) is not a timestamp.
public enum Timestamp {
    /// What a timestamp must look like, for messages.
    public static let expected =
        "expected ISO 8601 with a zone (2026-11-16T00:00:00Z) or epoch seconds, in \(Instant.yearsText)"

    static func parse(_ value: JSONValue) -> Instant? {
        switch value {
        case .string(let text): return parse(text)
        case .number(let seconds): return epoch(seconds)
        default: return nil
        }
    }

    /// Epoch seconds, when they fall in `Instant.readable`.
    public static func epoch(_ seconds: Double) -> Instant? {
        guard seconds.isFinite, let whole = Int64(exactly: seconds.rounded(.down)) else { return nil }
        let instant = Instant(seconds: whole)
        return Instant.readable.contains(instant) ? instant : nil
    }

    public static func parse(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// A calendar date, `2026-11-24`, as days since 1970-01-01; nil unless it is exactly that form and valid.
    public static func civilDays(_ text: String) -> Int64? {
        guard text.utf8.count == 10, let midnight = parse(text + "T00:00:00Z") else { return nil }
        return midnight.seconds / 86_400
    }

    /// The last date seen and its day number: series repeat the same date many times.
    struct DateCache {
        var key: UInt64 = 0
        var key2: UInt16 = 0
        var days: Int64 = 0
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Instant? {
        var cache = DateCache()
        return parse(bytes, cache: &cache)
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, cache: inout DateCache) -> Instant? {
        // YYYY-MM-DDTHH:MM:SS
        guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D,
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == 0x3A, bytes[16] == 0x3A
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for i in from..<(from + count) {
                let digit = bytes[i] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24,
            minute < 60, second < 61
        else { return nil }
        var i = 19
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
            guard i > start else { return nil }
        }
        var offset: Int64 = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z") {
            i += 1
        } else if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            // ±HH:MM or ±HHMM
            if i + 6 == bytes.count, bytes[i + 3] == 0x3A, let h = number(i + 1, 2), let m = number(i + 4, 2) {
                offset = sign * (h * 3600 + m * 60)
                i += 6
            } else if i + 5 == bytes.count, let h = number(i + 1, 2), let m = number(i + 3, 2) {
                offset = sign * (h * 3600 + m * 60)
                i += 5
            } else {
                return nil
            }
        } else {
            return nil  // A timestamp without a zone is ambiguous.
        }
        guard i == bytes.count else { return nil }
        let days: Int64
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let key = raw.loadUnaligned(as: UInt64.self)
        let key2 = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        if key == cache.key, key2 == cache.key2 {
            days = cache.days
        } else {
            days = Instant.days(year: year, month: month, day: day)
            cache = DateCache(key: key, key2: key2, days: days)
        }
        let instant = Instant(seconds: days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset)
        return Instant.readable.contains(instant) ? instant : nil
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
