import Foundation
import HeadroomModel

/// A parsed JSON document. Objects keep their keys in file order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// Also holds `NaN`, `Infinity` and `-Infinity`, which Python's json module (and so AWS CLI v1)
    /// can print; callers decide what a non-finite number means.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object with its keys in file order; lookups are linear, which suits AWS's small objects.
public struct JSONObject: Sendable, Equatable {
    public var keys: [String]
    public var values: [JSONValue]

    public init(keys: [String] = [], values: [JSONValue] = []) {
        self.keys = keys
        self.values = values
    }

    public subscript(key: String) -> JSONValue? {
        guard let index = keys.firstIndex(of: key) else { return nil }
        return values[index]
    }
}

/// The keys of one object read so far, to refuse a key that comes twice: searched while there
/// are few (AWS's objects are small), hashed once there are many, so that an object of 100,000
/// keys costs no more per key than one of ten.
struct KeysSeen {
    private var few: [String] = []
    private var many: Set<String> = []

    /// Adds `key`; false when it was there already.
    mutating func insert(_ key: String) -> Bool {
        guard many.isEmpty else { return many.insert(key).inserted }
        if few.contains(key) { return false }
        few.append(key)
        if few.count > 16 {
            many = Set(few)
            few = []
        }
        return true
    }
}

/// A syntax error with its 1-based line and column.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// A purpose-built JSON parser over bytes: one pass, no Foundation bridging, positions in errors,
/// and a nesting limit so that hostile input cannot exhaust the stack.
public struct JSONParser {
    public static let maximumDepth = 256

    public static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<JSONValue, JSONSyntaxError> in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            do throws(JSONSyntaxError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// True right after `{` or `[` was consumed by the pull API: no comma is due yet.
    private var afterOpen = false
    /// The keys read so far of each object the pull API has open, innermost last.
    private var openKeys: [KeysSeen] = []
    private var dateCache = Timestamp.DateCache()

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Runs `body` with a pull reader over `data`, for adapters that read large files without
    /// building a tree. Syntax errors arrive as `JSONSyntaxError`.
    static func withReader<T>(_ data: Data, _ body: (inout JSONParser) throws -> T) throws -> T {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> T in
            var reader = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            if reader.bytes.count >= 3, reader.bytes[0] == 0xEF, reader.bytes[1] == 0xBB, reader.bytes[2] == 0xBF {
                reader.index = 3
            }
            reader.skipWhitespace()
            guard reader.index < reader.bytes.count else {
                throw reader.error("the file is empty; expected a JSON value")
            }
            let value = try body(&reader)
            reader.skipWhitespace()
            guard reader.index == reader.bytes.count else {
                throw reader.error("unexpected \(reader.describeByte()) after the JSON value")
            }
            return value
        }
    }

    /// The keys of the top-level object, skimmed without reading the values; nil for non-objects.
    /// Stops early once `enough` says the keys so far decide the matter.
    static func topLevelKeys(_ data: Data, enough: (String) -> Bool = { _ in false }) throws(JSONSyntaxError)
        -> [String]?
    {
        do {
            return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> [String]? in
                var reader = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
                if reader.bytes.count >= 3, reader.bytes[0] == 0xEF, reader.bytes[1] == 0xBB, reader.bytes[2] == 0xBF {
                    reader.index = 3
                }
                guard reader.peek() == UInt8(ascii: "{") else {
                    _ = try reader.readValue()
                    return nil
                }
                var keys: [String] = []
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    keys.append(key)
                    if enough(key) { return keys }
                    try reader.skim()
                }
                return keys
            }
        } catch let error as JSONSyntaxError {
            throw error
        } catch {
            return nil
        }
    }

    // MARK: Pull API

    /// The next significant byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func beginObject() throws(JSONSyntaxError) {
        guard peek() == UInt8(ascii: "{") else { throw error("unexpected \(describeByte()); expected an object") }
        try enter()
        index += 1
        afterOpen = true
        openKeys.append(KeysSeen())
    }

    mutating func beginArray() throws(JSONSyntaxError) {
        guard peek() == UInt8(ascii: "[") else { throw error("unexpected \(describeByte()); expected an array") }
        try enter()
        index += 1
        afterOpen = true
    }

    /// The next key of the object being read, or nil at its end.
    mutating func nextKey() throws(JSONSyntaxError) -> String? {
        guard try next(closing: UInt8(ascii: "}")) else {
            openKeys.removeLast()
            return nil
        }
        let start = index
        let key = try parseKey()
        guard openKeys[openKeys.count - 1].insert(key) else { throw duplicate(key, at: start) }
        return key
    }

    /// A key that appears twice in one object: JSON parsers disagree on which value wins, and AWS
    /// never writes one, so the file is refused rather than read one way.
    private func duplicate(_ key: String, at offset: Int) -> JSONSyntaxError {
        error("the key \"\(key)\" appears twice in one object", at: offset)
    }

    /// `"key":` and the white space after it.
    private mutating func parseKey() throws(JSONSyntaxError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw error("unexpected \(describeByte()); expected a quoted key")
        }
        let key = try parseString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
            throw error("unexpected \(describeByte()); expected ':' after the key \"\(key)\"")
        }
        index += 1
        skipWhitespace()
        return key
    }

    /// Whether the array being read has another element.
    mutating func nextElement() throws(JSONSyntaxError) -> Bool {
        try next(closing: UInt8(ascii: "]"))
    }

    private mutating func next(closing: UInt8) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else {
            throw error("unexpected end of file; expected ',' or '\(Character(Unicode.Scalar(closing)))'")
        }
        if bytes[index] == closing {
            index += 1
            depth -= 1
            afterOpen = false
            return false
        }
        if afterOpen {
            afterOpen = false
        } else {
            guard bytes[index] == UInt8(ascii: ",") else {
                throw error("unexpected \(describeByte()); expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
            index += 1
            skipWhitespace()
        }
        return true
    }

    /// Any value, as a tree.
    mutating func readValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        afterOpen = false
        return value
    }

    /// Skips a value, checking its syntax.
    mutating func skipValue() throws(JSONSyntaxError) {
        _ = try readValue()
    }

    /// Skips a value quickly, checking only that strings close and brackets balance: for
    /// detecting a format before the real read, which checks everything.
    mutating func skim() throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of file; expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Skim: strings are skipped with their escapes, brackets counted.
            var level = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    _ = try skipString()
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { level += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    level -= 1
                    if level == 0 {
                        index += 1
                        afterOpen = false
                        return
                    }
                }
                index += 1
            }
            throw error("unexpected end of file inside a value")
        case UInt8(ascii: "\""):
            _ = try skipString()
        default:
            _ = try parseValue()
        }
        afterOpen = false
    }

    /// Skips a string, returning its byte range when it has no escapes.
    private mutating func skipString() throws(JSONSyntaxError) -> Range<Int>? {
        let start = index
        index += 1
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                index += 1
                return escaped ? nil : (start + 1)..<(index - 1)
            }
            index += 1
        }
        throw error("a string that is never closed", at: start)
    }

    mutating func readString() throws(JSONSyntaxError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw error("unexpected \(describeByte()); expected a string") }
        afterOpen = false
        return try parseString()
    }

    /// A number, or nil when the value is not a number (the value is then left unread).
    mutating func readNumber() throws(JSONSyntaxError) -> Double? {
        guard let byte = peek() else { throw error("unexpected end of file; expected a value") }
        afterOpen = false
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "N"):
            _ = try parseLiteral("NaN", .null)
            return .nan
        case UInt8(ascii: "I"):
            _ = try parseLiteral("Infinity", .null)
            return .infinity
        default: return nil
        }
    }

    /// A timestamp as AWS tools print it, read straight from the bytes (no String is made for
    /// the common ISO form); nil when the value is not a timestamp (the value is then consumed).
    mutating func readInstant() throws(JSONSyntaxError) -> Instant? {
        guard let byte = peek() else { throw error("unexpected end of file; expected a value") }
        afterOpen = false
        if byte == UInt8(ascii: "\"") {
            guard let range = try skipString() else { return nil }
            return Timestamp.parse(UnsafeBufferPointer(rebasing: bytes[range]), cache: &dateCache)
        }
        guard let number = try readNumber() else {
            _ = try parseValue()
            return nil
        }
        return Timestamp.parse(.number(number))
    }

    /// The current position, for errors found by the caller.
    func syntaxError(_ message: String) -> JSONSyntaxError { error(message) }

    private mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        // A UTF-8 byte-order mark is tolerated.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw error("the file is empty; expected a JSON value") }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected \(describeByte()) after the JSON value") }
        return value
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let end = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        // Columns count characters, not bytes.
        var column = 1
        for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    private func describeByte() -> String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return String(format: "byte 0x%02X", byte)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            // Pretty-printed AWS CLI output is largely indentation: skip spaces 8 at a time.
            if index + 8 <= bytes.count,
                UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020
            {
                index += 8
                continue
            }
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of file; expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "N"): return try parseLiteral("NaN", .number(.nan))
        case UInt8(ascii: "I"): return try parseLiteral("Infinity", .number(.infinity))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describeByte()); expected a value")
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of file in a literal") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] {
            throw error("unexpected \(describeByte()); expected a value")
        }
        index += count
        return value
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw error("nesting deeper than \(JSONParser.maximumDepth) levels")
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        var seen = KeysSeen()
        while true {
            skipWhitespace()
            let start = index
            let key = try parseKey()
            guard seen.insert(key) else { throw duplicate(key, at: start) }
            object.keys.append(key)
            object.values.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file; expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(object)
            }
            throw error("unexpected \(describeByte()); expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file; expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(array)
            }
            throw error("unexpected \(describeByte()); expected ',' or ']'")
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = index
        index += 1
        // Fast path: no escapes. ASCII text needs no validation (String's validating initialiser
        // is far slower than decoding).
        var scan = index
        var high: UInt8 = 0
        while scan < bytes.count {
            let byte = bytes[scan]
            high |= byte
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[index..<scan])
                guard
                    let text = high < 0x80
                        ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
                else { throw error("invalid UTF-8 in a string", at: start) }
                index = scan + 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("a control character inside a string; escape it", at: scan) }
            scan += 1
        }
        guard scan < bytes.count else { throw error("a string that is never closed", at: start) }
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[index..<scan]))
        index = scan
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                let ascii = !utf8.contains { $0 >= 0x80 }
                guard let text = ascii ? String(decoding: utf8, as: UTF8.self) : String(validating: utf8, as: UTF8.self)
                else {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                return text
            }
            if byte < 0x20 { throw error("a control character inside a string; escape it") }
            if byte != UInt8(ascii: "\\") {
                // The run of plain bytes up to the next quote, backslash or control character.
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"),
                    bytes[end] >= 0x20
                {
                    end += 1
                }
                utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                index = end
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try parseHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                utf8.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                throw error("an invalid escape sequence in a string", at: index - 2)
            }
        }
        throw error("a string that is never closed", at: start)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("an incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("an invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    private mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
                _ = try parseLiteral("Infinity", .null)
                return -.infinity
            }
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        let integerStart = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] - 0x30) }
            digits += 1
            index += 1
        }
        guard index > integerStart else { throw error("a number without digits", at: start) }
        if index - integerStart > 1, bytes[integerStart] == UInt8(ascii: "0") {
            throw error("a number with a leading zero", at: start)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] - 0x30) }
                digits += 1
                fractionDigits += 1
                index += 1
            }
            guard index > fractionStart else { throw error("a number with no digits after the point", at: start) }
        }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] - 0x30) }
                index += 1
            }
            guard index > exponentStart else { throw error("a number with an empty exponent", at: start) }
            if exponentNegative { exponent = -exponent }
        }
        // Exact fast path: an integer mantissa below 2^53 scaled by an exact power of ten is
        // correctly rounded by one IEEE multiplication or division.
        let scale = exponent - fractionDigits
        if digits <= 15, abs(scale) <= 22 {
            var value = Double(mantissa)
            value = scale >= 0 ? value * JSONParser.powersOfTen[scale] : value / JSONParser.powersOfTen[-scale]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw error("an invalid number", at: start) }
        return value
    }
}
