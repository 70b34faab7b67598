import HeadroomModel

/// Where a value is in its file: a chain of steps whose text is made only when a message
/// names it (cursors are made by the million; formatting each path was a measurable part of
/// reading a large file).
final class JSONPath: Sendable {
    enum Step {
        case text(String)
        case key(String)
        case index(Int)
    }
    let parent: JSONPath?
    let step: Step

    init(_ step: Step, under parent: JSONPath?) {
        self.parent = parent
        self.step = step
    }

    var text: String {
        var steps: [Step] = []
        var node: JSONPath? = self
        while let here = node {
            steps.append(here.step)
            node = here.parent
        }
        var text = ""
        for step in steps.reversed() {
            switch step {
            case .text(let start): text += start
            case .key(let key): text += "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// A JSON value together with its path in the file, so that every problem names where it is.
struct JSONCursor {
    let value: JSONValue
    let location: JSONPath
    let file: String

    init(_ value: JSONValue, path: String = "$", file: String) {
        self.init(value, location: JSONPath(.text(path), under: nil), file: file)
    }

    init(_ value: JSONValue, location: JSONPath, file: String) {
        self.value = value
        self.location = location
        self.file = file
    }

    /// The path in JSONPath's notation: `$.events[3].message`.
    var path: String { location.text }

    func fail(_ message: String, remedy: String? = nil) -> HeadroomError {
        HeadroomError(.ingest, file: file, position: .jsonPath(path), message, remedy: remedy)
    }

    var object: JSONObject? {
        if case .object(let object) = value { return object }
        return nil
    }

    /// The member `key`, or nil when absent or null.
    subscript(key: String) -> JSONCursor? {
        guard let member = object?[key], member != .null else { return nil }
        return JSONCursor(member, location: JSONPath(.key(key), under: location), file: file)
    }

    /// The member `key` when present, which must then be an object.
    func object(_ key: String) throws(HeadroomError) -> JSONCursor? {
        guard let member = self[key] else { return nil }
        guard member.object != nil else { throw member.fail("expected an object, found \(member.value.typeName)") }
        return member
    }

    /// The text of the first of `keys` that is present.
    func firstString(_ keys: String...) throws(HeadroomError) -> String? {
        for key in keys {
            if let member = self[key] { return try member.string() }
        }
        return nil
    }

    /// A whole number that must not be negative.
    func count() throws(HeadroomError) -> Int {
        let value = try int()
        guard value >= 0 else { throw fail("expected a number of at least 0, found \(value)") }
        return value
    }

    func require(_ key: String) throws(HeadroomError) -> JSONCursor {
        guard object != nil else { throw fail("expected an object, found \(value.typeName)") }
        guard let member = self[key] else { throw fail("the required key \"\(key)\" is missing") }
        return member
    }

    func string() throws(HeadroomError) -> String {
        guard case .string(let text) = value else { throw fail("expected a string, found \(value.typeName)") }
        return text
    }

    func number() throws(HeadroomError) -> Double {
        guard case .number(let number) = value else { throw fail("expected a number, found \(value.typeName)") }
        return number
    }

    /// A whole number that a Double holds exactly (below 2^53 in magnitude).
    func int() throws(HeadroomError) -> Int {
        let number = try number()
        guard number.isFinite, number == number.rounded() else {
            throw fail("expected a whole number, found \(number)")
        }
        guard abs(number) <= 9_007_199_254_740_992 else {
            throw fail("\(number) is too large to hold exactly (the limit is 2^53)")
        }
        return Int(number)
    }

    func array() throws(HeadroomError) -> [JSONCursor] {
        guard case .array(let items) = value else { throw fail("expected an array, found \(value.typeName)") }
        return items.enumerated().map { JSONCursor($1, location: JSONPath(.index($0), under: location), file: file) }
    }

    func bool() throws(HeadroomError) -> Bool {
        guard case .bool(let value) = value else { throw fail("expected true or false, found \(value.typeName)") }
        return value
    }

    /// The members of an object in file order.
    func members() throws(HeadroomError) -> [(key: String, value: JSONCursor)] {
        guard let object else { throw fail("expected an object, found \(value.typeName)") }
        return zip(object.keys, object.values).map {
            ($0, JSONCursor($1, location: JSONPath(.key($0), under: location), file: file))
        }
    }

    /// A timestamp as AWS tools print it: ISO 8601 text or epoch seconds.
    func instant() throws(HeadroomError) -> Instant {
        guard let instant = Timestamp.parse(value) else {
            throw fail("not a timestamp: " + Timestamp.expected)
        }
        return instant
    }
}
