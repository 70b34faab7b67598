/// A view model as dictionaries, arrays and plain values, made once before rendering. Mustache
/// finds a key in a dictionary directly; on a struct it reflects with Mirror for every tag, boxing
/// every field each time, which was most of the time spent rendering.
enum TemplateContext {
    static func make<View: Encodable>(_ view: View) -> Any {
        let root = Node()
        // The view models are plain values: encoding them cannot fail.
        try? view.encode(to: TreeEncoder(node: root))
        return root.resolved() ?? [String: Any]()
    }

    /// One value of the tree while it is being built: a plain value, keyed children or a list,
    /// grown in place (a list of a thousand rows is not copied a thousand times).
    final class Node {
        var value: Any?
        var keyed: [String: Node]?
        var list: [Node]?

        func resolved() -> Any? {
            if let keyed { return keyed.compactMapValues { $0.resolved() } }
            if let list { return list.compactMap { $0.resolved() } }
            return value
        }

        /// Values Mustache prints as they are; anything else is encoded into a subtree.
        func set<T: Encodable>(_ value: T) {
            switch value {
            case let value as String: self.value = value
            case let value as Bool: self.value = value
            case let value as Int: self.value = value
            case let value as Double: self.value = value
            case let value as TrustedHTML: self.value = value
            default: try? value.encode(to: TreeEncoder(node: self))
            }
        }

        func child(_ key: String) -> Node {
            let node = Node()
            if keyed == nil { keyed = [:] }
            keyed![key] = node
            return node
        }

        func append() -> Node {
            let node = Node()
            if list == nil { list = [] }
            list!.append(node)
            return node
        }
    }

    struct TreeEncoder: Encoder {
        let node: Node
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if node.keyed == nil { node.keyed = [:] }
            return KeyedEncodingContainer(Keyed<Key>(node: node))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if node.list == nil { node.list = [] }
            return Unkeyed(node: node)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey] = []

        mutating func encodeNil(forKey key: Key) throws {}
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.child(key.stringValue).set(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            TreeEncoder(node: node.child(key.stringValue)).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeEncoder(node: node.child(key.stringValue)).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.child("super")) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(node: node.child(key.stringValue)) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] = []
        var count: Int { node.list?.count ?? 0 }

        mutating func encodeNil() throws { _ = node.append() }
        mutating func encode<T: Encodable>(_ value: T) throws { node.append().set(value) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            TreeEncoder(node: node.append()).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            TreeEncoder(node: node.append()).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.append()) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] = []

        mutating func encodeNil() throws { node.value = nil }
        mutating func encode<T: Encodable>(_ value: T) throws { node.set(value) }
    }
}
