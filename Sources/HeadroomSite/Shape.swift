/// The shape of a view model, derived from its type alone: what keys a template may name and
/// what each one holds. Derived by decoding the type from a decoder that records every request,
/// so that empty arrays and nil optionals are checked as thoroughly as full ones.
indirect enum Shape: Equatable, CustomStringConvertible {
    case text
    case number
    case bool
    /// HTML that Headroom produced and vouches for (`TrustedHTML`): the only unescaped value.
    case html
    case object([String: Shape])
    case array(Shape)
    case optional(Shape)

    var description: String {
        switch self {
        case .text: "text"
        case .number: "a number"
        case .bool: "a Bool"
        case .html: "TrustedHTML"
        case .object: "an object"
        case .array: "a list"
        case .optional(let inner): "an optional \(inner)"
        }
    }

    static func of<T: Decodable>(_ type: T.Type) -> Shape {
        let decoder = ShapeDecoder()
        _ = try? T(from: decoder)
        return decoder.box.shape ?? .object([:])
    }

    /// The shape of one member type, and a placeholder value so that decoding can go on.
    fileprivate static func member<T: Decodable>(_ type: T.Type) -> (Shape, T?) {
        switch type {
        case is String.Type: return (.text, "" as? T)
        case is Bool.Type: return (.bool, false as? T)
        case is Int.Type: return (.number, 0 as? T)
        case is Double.Type: return (.number, 0.0 as? T)
        case is TrustedHTML.Type: return (.html, TrustedHTML(trusted: "") as? T)
        // Other numbers have no placeholder here: decoding stops, and the keys after this one are
        // missing from the shape, so the checker fails closed. View models use Int and Double.
        case is any Numeric.Type: return (.number, nil)
        default:
            let decoder = ShapeDecoder()
            let value = try? T(from: decoder)
            return (decoder.box.shape ?? .object([:]), value)
        }
    }
}

private final class ShapeBox {
    var shape: Shape?
    var keys: [String: Shape] = [:]
}

private struct ShapeError: Error {}

private final class ShapeDecoder: Decoder {
    let box = ShapeBox()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        box.shape = .object([:])
        return KeyedDecodingContainer(KeyedShapeContainer<Key>(box: box))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedShapeContainer(box: box)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleShapeContainer(box: box)
    }
}

private struct KeyedShapeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let box: ShapeBox
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] { [] }

    func record(_ key: Key, _ shape: Shape) {
        box.keys[key.stringValue] = shape
        box.shape = .object(box.keys)
    }

    func contains(_ key: Key) -> Bool { true }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { optionalMember(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try member(type, forKey: key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { optionalMember(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { optionalMember(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { optionalMember(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { optionalMember(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { optionalMember(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { optionalMember(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { optionalMember(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { optionalMember(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try member(type, forKey: key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { optionalMember(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { optionalMember(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { optionalMember(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { optionalMember(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try member(type, forKey: key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { optionalMember(type, forKey: key) }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(type, forKey: key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        optionalMember(type, forKey: key)
    }

    private func member<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (shape, value) = Shape.member(type)
        record(key, shape)
        guard let value else { throw ShapeError() }
        return value
    }

    private func optionalMember<T: Decodable>(_ type: T.Type, forKey key: Key) -> T? {
        let (shape, _) = Shape.member(type)
        record(key, .optional(shape))
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    { throw ShapeError() }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw ShapeError() }
    func superDecoder() throws -> any Decoder { throw ShapeError() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw ShapeError() }
}

private struct UnkeyedShapeContainer: UnkeyedDecodingContainer {
    let box: ShapeBox
    var codingPath: [any CodingKey] = []
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try element(type) }
    mutating func decode(_ type: String.Type) throws -> String { try element(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try element(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try element(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try element(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try element(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try element(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try element(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try element(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try element(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try element(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try element(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try element(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try element(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try element(type) }

    private mutating func element<T: Decodable>(_ type: T.Type) throws -> T {
        let (shape, value) = Shape.member(type)
        box.shape = .array(shape)
        currentIndex += 1
        guard let value else { throw ShapeError() }
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    { throw ShapeError() }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw ShapeError() }
    mutating func superDecoder() throws -> any Decoder { throw ShapeError() }
}

private struct SingleShapeContainer: SingleValueDecodingContainer {
    let box: ShapeBox
    var codingPath: [any CodingKey] = []

    func decodeNil() -> Bool { false }

    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }

    private func value<T: Decodable>(_ type: T.Type) throws -> T {
        let (shape, value) = Shape.member(type)
        box.shape = shape
        guard let value else { throw ShapeError() }
        return value
    }
}
