import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    @Test func parsesDocuments() throws {
        let value = try parse(#" { "a": [1, -2.5e3, true, false, null, "x\"y\u00e9\ud83d\ude00"], "b": {} } "#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["a", "b"])
        #expect(
            object["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x\"yé😀")]))
        #expect(object["b"] == .object(JSONObject()))
    }

    /// Strings decode the same whether ASCII or not, escaped or not; invalid UTF-8 is refused
    /// on both paths (ASCII strings skip validation, so this pins where it still happens).
    @Test func stringsAreValidatedOnBothPaths() throws {
        #expect(
            try parse(#"["plain", "caf\u00e9 é", "tab\there", "é\n", "long run then \\ end"]"#)
                == .array([
                    .string("plain"), .string("café é"), .string("tab\there"), .string("é\n"),
                    .string("long run then \\ end"),
                ]))
        for bytes: [UInt8] in [
            [0x22, 0x61, 0xE9, 0xFF, 0x22],  // no escape
            [0x22, 0x5C, 0x6E, 0x61, 0xE9, 0xFF, 0x22],  // after an escape
            [0x22, 0x61, 0xC3, 0x22],  // a cut sequence
        ] {
            #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Data(bytes)) }
        }
    }

    /// A path names each step, made only when a message asks for it.
    @Test func cursorPathsNameKeysAndIndexes() throws {
        let root = JSONCursor(try parse(#"{"events": [{}, {"message": 1}]}"#), file: "f.json")
        let message = try root.require("events").array()[1].require("message")
        #expect(message.path == "$.events[1].message")
        #expect(throws: HeadroomError.self) { try message.string() }
        #expect(JSONCursor(.null, path: "metric", file: "headroom.yml")["x"] == nil)
    }

    /// Numbers must equal what Swift's own correctly rounded parser gives, fast path or not.
    @Test func numbersMatchSwiftsParser() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = [
            "0", "-0", "0.1", "1e22", "1e23", "123456789012345678901234567890", "4.9e-324", "1.7976931348623157e308",
            "0.30000000000000004", "9007199254740993", "2.2250738585072014e-308", "12.0", "5612.34",
        ]
        for _ in 0..<2000 {
            let mantissa = UInt64.random(in: 0...999_999_999_999_999_999, using: &generator)
            let scale = Int.random(in: 0...18, using: &generator)
            var digits = String(mantissa)
            if scale > 0, scale < digits.count {
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
            }
            texts.append(digits)
            texts.append(digits + "e" + String(Int.random(in: -30...30, using: &generator)))
        }
        for text in texts {
            #expect(try parse(text) == .number(Double(text)!), "\(text)")
        }
    }

    @Test func reportsLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("{\n  \"a\": 1,\n  \"b\": ]\n}", 3, 8, "unexpected ']'; expected a value"),
            ("[1, 2", 1, 6, "unexpected end of file; expected ',' or ']'"),
            ("{\"a\" 1}", 1, 6, "unexpected '1'; expected ':' after the key \"a\""),
            ("[01]", 1, 2, "a number with a leading zero"),
            ("\"abc", 1, 1, "a string that is never closed"),
            ("", 1, 1, "the file is empty; expected a JSON value"),
            ("[1] x", 1, 5, "unexpected 'x' after the JSON value"),
            ("[\"é\", tru]", 1, 7, "unexpected 't'; expected a value"),
        ]
        for (text, line, column, message) in cases {
            #expect(throws: JSONSyntaxError(line: line, column: column, message: message), "\(text)") {
                try parse(text)
            }
        }
    }

    /// A key twice in one object is refused at the second one, in small and large objects; the
    /// same key in different objects is fine.
    @Test func refusesDuplicateKeysAtTheSecondOne() {
        #expect(throws: JSONSyntaxError(line: 2, column: 11, message: "the key \"Values\" appears twice in one object"))
        {
            try parse("{\"Values\": [1],\n \"Id\": 1, \"Values\": [2]}")
        }
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(
            throws: JSONSyntaxError(
                line: 1, column: 2 + many.utf8.count + 2, message: "the key \"k7\" appears twice in one object")
        ) {
            try parse("{" + many + ", \"k7\": 0}")
        }
        // The pull API (format detection skims the top-level keys) refuses it the same way, in a
        // small object and past the point where the keys are hashed.
        for (text, key) in [(#"{"a": 1, "b": 2, "a": 3}"#, "a"), ("{" + many + ", \"k7\": 0}", "k7")] {
            #expect(throws: JSONSyntaxError.self, "\(key)") { try JSONParser.topLevelKeys(Data(text.utf8)) }
            do {
                _ = try JSONParser.topLevelKeys(Data(text.utf8))
            } catch {
                #expect(error.message == "the key \"\(key)\" appears twice in one object")
            }
        }
        #expect((try? parse(#"[{"a": 1}, {"a": 2, "b": {"a": 3}}]"#)) != nil)
    }

    @Test func refusesHostileNestingWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect((try? parse(fine)) != nil)
    }

    @Test func acceptsPythonNonFiniteNumbers() throws {
        guard case .array(let items) = try parse("[NaN, Infinity, -Infinity]") else { return }
        #expect(items.count == 3)
        if case .number(let n) = items[0] { #expect(n.isNaN) }
        #expect(items[1] == .number(.infinity))
        #expect(items[2] == .number(-.infinity))
    }
}

@Suite struct TimestampTests {
    @Test func parsesTheFormatsAWSToolsPrint() {
        let expected: Int64 = 1_794_823_200  // 2026-11-16T10:00:00Z
        #expect(Timestamp.parse("2026-11-16T10:00:00Z")?.seconds == expected)
        #expect(Timestamp.parse("2026-11-16T10:00:00+00:00")?.seconds == expected)
        #expect(Timestamp.parse("2026-11-16T11:00:00+01:00")?.seconds == expected)
        #expect(Timestamp.parse("2026-11-16T05:30:00-0430")?.seconds == expected)
        #expect(Timestamp.parse("2026-11-16T10:00:00.000Z")?.seconds == expected)
        #expect(Timestamp.parse(.number(1_794_823_200))?.seconds == expected)
        #expect(Timestamp.parse(.number(1_794_823_200.5))?.seconds == expected)
        for bad in [
            "2026-11-16T10:00:00", "2026-13-16T10:00:00Z", "2026-02-29T00:00:00Z", "yesterday", "2026-11-16T10:00:00+1",
        ] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") != nil)
    }
}
