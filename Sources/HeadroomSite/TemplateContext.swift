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

    /// One value of the tree while it is being built.
    final class Node {
        enum Content {
            case none
            case value(Any)
            case keyed([String: Node])
            case list([Node])
        }
        var content = Content.none

        func resolved() -> Any? {
            switch content {
            case .none: nil
            case .value(let value): value
            case .keyed(let children): children.compactMapValues { $0.resolved() }
            case .list(let items): items.compactMap { $0.resolved() }
            }
        }

        /// Values Mustache prints as they are; anything else is encoded into a subtree.
        func set<T: Encodable>(_ value: T) {
            switch value {
            case let value as String: content = .value(value)
            case let value as Bool: content = .value(value)
            case let value as Int: content = .value(value)
            case let value as Double: content = .value(value)
            case let value as TrustedHTML: content = .value(value)
            default: try? value.encode(to: TreeEncoder(node: self))
            }
        }

        func child(_ key: String) -> Node {
            var children: [String: Node] = [:]
            if case .keyed(let existing) = content { children = existing }
            let node = Node()
            children[key] = node
            content = .keyed(children)
            return node
        }

        func append() -> Node {
            var items: [Node] = []
            if case .list(let existing) = content { items = existing }
            let node = Node()
            items.append(node)
            content = .list(items)
            return node
        }
    }

    struct TreeEncoder: Encoder {
        let node: Node
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .keyed = node.content {} else { node.content = .keyed([:]) }
            return KeyedEncodingContainer(Keyed<Key>(node: node))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .list = node.content {} else { node.content = .list([]) }
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
        var count: Int {
            if case .list(let items) = node.content { return items.count }
            return 0
        }

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

        mutating func encodeNil() throws { node.content = .none }
        mutating func encode<T: Encodable>(_ value: T) throws { node.set(value) }
    }
}
