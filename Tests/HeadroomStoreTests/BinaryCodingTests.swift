import Foundation
import HeadroomModel
import Testing

@testable import HeadroomStore

@Suite struct BinaryCodingTests {
    enum Shape: Codable, Equatable {
        case point
        case circle(radius: Double)
        case named(String, tags: [String])
    }

    struct Everything: Codable, Equatable {
        var int = Int.min
        var int8 = Int8.min
        var int16 = Int16.max
        var int32 = Int32.min
        var int64 = Int64.max
        var uint = UInt.max
        var uint8 = UInt8.max
        var uint16 = UInt16.max
        var uint32 = UInt32.max
        var uint64 = UInt64.max
        var float: Float = -1.5
        var double = -0.0
        var infinity = -Double.infinity
        var bool = true
        var text = "naïve 🚀 \u{0} \"quoted\""
        var empty = ""
        var missing: String? = nil
        var present: Int? = 0
        var nested: [[Int?]] = [[1, nil, 3], [], [nil]]
        var shapes: [Shape] = [.point, .circle(radius: 2.5), .named("a", tags: ["x", "y"])]
        var money = Decimal(string: "12345678901234567890.123456789")!
        var counts: [String: Int] = [:]
        var byNumber: [Int: String] = [3: "three", -1: "minus one"]
    }

    @Test func everyKindOfValueComesBackExactly() throws {
        var value = Everything()
        value.counts = Dictionary(uniqueKeysWithValues: (0..<300).map { ("key \($0)", $0 * 7) })
        let bytes = try BinaryCoding.encode(value)
        #expect(BinaryCoding.isBinary(bytes))
        let back = try BinaryCoding.decode(Everything.self, from: bytes)
        #expect(back == value)
        #expect(back.double.sign == .minus)
        #expect(back.missing == nil && back.present == 0)
        // Bit for bit, NaN payloads included, where JSON would need strings.
        let odd = [Double.nan, -Double.nan, Double(bitPattern: 0x7FF0_0000_0000_0001), .leastNonzeroMagnitude]
        let oddBack = try BinaryCoding.decode([Double].self, from: try BinaryCoding.encode(odd))
        #expect(oddBack.map(\.bitPattern) == odd.map(\.bitPattern))
    }

    /// A class-style `super` value under keys that have no "super" of their own (Int keys).
    struct WithSuper: Codable, Equatable {
        enum CodingKeys: Int, CodingKey { case own = 1 }
        var own: String
        var base: Int

        init(own: String, base: Int) {
            self.own = own
            self.base = base
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            own = try container.decode(String.self, forKey: .own)
            base = try container.superDecoder().singleValueContainer().decode(Int.self)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(own, forKey: .own)
            var parent = container.superEncoder().singleValueContainer()
            try parent.encode(base)
        }
    }

    @Test func superValuesComeBack() throws {
        let value = WithSuper(own: "child", base: -7)
        #expect(try BinaryCoding.decode(WithSuper.self, from: try BinaryCoding.encode(value)) == value)
    }

    /// The same value gives the same bytes, whatever order its dictionaries were filled in.
    @Test func theBytesDoNotDependOnDictionaryOrder() throws {
        var one = Everything()
        var two = Everything()
        for index in 0..<200 { one.counts["k\(index)"] = index }
        for index in (0..<200).reversed() { two.counts["k\(index)"] = index }
        #expect(try BinaryCoding.encode(one) == BinaryCoding.encode(two))
    }

    /// A decimal is kept as its text: text that is not a number, or Decimal's own five fields
    /// (with a mantissa length out of range), are errors.
    @Test func decimalsAreExactAndDamagedOnesAreErrors() throws {
        let amounts = ["0", "-0.0000000001", "12.3456780000", "99999999999999999999999999999999999999"]
            .map { Decimal(string: $0)! }
        #expect(try BinaryCoding.decode([Decimal].self, from: try BinaryCoding.encode(amounts)) == amounts)
        #expect(throws: DecodingError.self) {
            try BinaryCoding.decode([Decimal].self, from: try BinaryCoding.encode(["twelve"]))
        }
        struct Parts: Codable {
            var exponent: Int32 = 0
            var length: UInt32 = 200
            var isNegative = false
            var isCompact = true
            var mantissa: [UInt16] = [1, 0, 0, 0, 0, 0, 0, 0]
        }
        #expect(throws: DecodingError.self) {
            try BinaryCoding.decode(Decimal.self, from: try BinaryCoding.encode(Parts()))
        }
    }

    @Test func theWrongTypeOrAnOutOfRangeNumberIsAnError() throws {
        let bytes = try BinaryCoding.encode([300, -1])
        #expect(throws: DecodingError.self) { try BinaryCoding.decode([UInt8].self, from: bytes) }
        #expect(throws: DecodingError.self) { try BinaryCoding.decode([String].self, from: bytes) }
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(Everything.self, from: bytes) }
        #expect(try BinaryCoding.decode([Int16].self, from: bytes) == [300, -1])
        #expect(throws: DecodingError.self) { try BinaryCoding.decode([Int].self, from: Data("[300]".utf8)) }
    }

    /// A recursive type nested deeper than any real document is an error, not a stack overflow
    /// (decoding runs on threads with small stacks).
    @Test func deepNestingIsAnError() throws {
        var value = DataValue.null
        for _ in 0..<50 { value = .list([value]) }
        #expect(try BinaryCoding.decode(DataValue.self, from: try BinaryCoding.encode(value)) == value)
        // The deepest spec a YAML file may hold (YAMLCursor.maximumDepth maps), inside a record
        // inside a dataset, with room to spare.
        var spec = DataValue.null
        for level in 0..<32 { spec = .map([DataEntry(key: "k\(level)", value: spec)]) }
        let wrapped: [[[[[[[[DataValue]]]]]]]] = [[[[[[[[spec]]]]]]]]
        #expect(try BinaryCoding.decode(type(of: wrapped), from: try BinaryCoding.encode(wrapped)) == wrapped)
        for _ in 0..<100 { value = .list([value]) }
        let bytes = try BinaryCoding.encode(value)
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(DataValue.self, from: bytes) }
        // Hand-made bytes: a list inside a list 100,000 times.
        var deep = BinaryCoding.magic
        for level in 0..<100_000 { deep += [7, 1] + Self.varint(3 * (100_000 - level - 1) + 1) }
        deep.append(0)
        #expect(throws: (any Error).self) { try BinaryCoding.decode(DataValue.self, from: Data(deep)) }
    }

    static func varint(_ value: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        BinaryCoding.varint(UInt64(value), &bytes)
        return bytes
    }

    /// Every cut of a value, and bytes changed anywhere in it, are errors or other values, never
    /// a crash or a read past the end.
    @Test func damagedBytesAreErrorsNotCrashes() throws {
        var value = Everything()
        value.counts = ["a": 1, "b": 2]
        let bytes = try BinaryCoding.encode(value)
        for cut in 0..<bytes.count {
            #expect(throws: (any Error).self) { try BinaryCoding.decode(Everything.self, from: bytes.prefix(cut)) }
        }
        #expect(throws: (any Error).self) { try BinaryCoding.decode(Everything.self, from: bytes + Data([0])) }
        var random = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            var damaged = bytes
            for _ in 0..<3 {
                damaged[Int.random(in: 4..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            _ = try? BinaryCoding.decode(Everything.self, from: damaged)
        }
    }
}
