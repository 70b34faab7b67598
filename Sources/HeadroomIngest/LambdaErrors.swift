import Foundation
import HeadroomModel

/// Error events in Lambda logs, as the runtimes write them:
///
/// - Python: an unhandled exception as `[ERROR] Type: message` with its `Traceback` lines (one
///   multi-line event), `logging.error` as `[ERROR]\t<time>\t<request id>\t<text>`.
/// - Node.js: `<time>\t<request id>\tERROR\tInvoke Error \t{"errorType", "errorMessage", "stack"}`
///   (also `Uncaught Exception`, `Unhandled Promise Rejection`), and `console.error` lines.
/// - The JSON log format and Powertools: a JSON object at level ERROR (or CRITICAL, FATAL), with
///   `errorType`/`errorMessage`/`stackTrace` (top level or in `message`), Powertools for Python's
///   `exception_name`/`exception`, or Powertools for TypeScript's `error` object.
/// - Any JSON object with `errorType` and `errorMessage` (the runtime's unhandled-error record).
/// - `Task timed out after N seconds`; `RequestId: … Error: Runtime exited with error: …` with
///   `Runtime.ExitError`; REPORT lines and `platform.report` records with `Status: error` or
///   `timeout` whose request logged no error of its own.
/// - Java and .NET: a `pkg.SomeException: message` line followed by `at …` frames.
///
/// Events of the same function, version, kind, type, normalised message and top in-app frame
/// within one quarter hour become one `ErrorEvents` record with their count and the first as the
/// sample. A crash whose REPORT line shows Max Memory Used at Memory Size is out of memory.
enum LambdaErrors {
    /// One error event as read, before counting.
    struct Event {
        var requestId: String?
        var time: Instant?
        var version: String?
        var type: String
        var message: String
        var stack: [String]
        /// Set where the REPORT line decides it (a crash at the memory size is out of memory).
        var kind: ErrorKind? = nil
    }

    /// Levels that make a JSON log record an error.
    static let errorLevels: Set<String> = ["ERROR", "CRITICAL", "FATAL"]

    /// The error in one log event (its message split in lines), or nil when it is not one.
    static func event(_ lines: [Substring], time: Instant?) -> Event? {
        guard var head = lines.first.map({ $0.utf8.last == 0x0D ? $0.dropLast() : $0 }) else { return nil }
        let rest = Array(lines.dropFirst())
        var eventTime = time
        // A plain export may put the event's time first, then a space.
        if let first = head.utf8.first, first >= 0x30, first <= 0x39,
            let space = head.utf8.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }), head.utf8[space] == 0x20,
            let stamp = Timestamp.parse(String(head[..<space]))
        {
            let after = head[(head.utf8[space...].firstIndex { $0 != 0x20 } ?? head.endIndex)...]
            if after.utf8Prefix("[ERROR]") || after.utf8Prefix("{") || after.utf8Prefix("RequestId: ") {
                head = after
                eventTime = eventTime ?? stamp
            }
        }
        if let first = head.utf8.first, [0x53, 0x45, 0x52, 0x58, 0x49, 0x54].contains(first) {  // S E R X I T
            for platform in ["START ", "END ", "REPORT ", "XRAY ", "INIT_", "RESTORE_", "EXTENSION", "TELEMETRY"]
            where head.hasPrefix(platform) {
                return nil
            }
        }
        if head.utf8Prefix("{") {
            guard has(head, "rror") || has(head, "RROR") || has(head, "CRITICAL") || has(head, "FATAL") else {
                return nil
            }
            return jsonEvent(head, rest: rest, time: eventTime)
        }
        if head.utf8Prefix("[ERROR]") { return pythonEvent(head, rest: rest, time: eventTime) }
        if let range = find(head, "Task timed out after") {
            let before = blankFields(head[..<range.lowerBound])
            return Event(
                requestId: before.last(where: isRequestId).map(String.init), time: eventTime, version: nil,
                type: "Task timed out", message: String(head[range.lowerBound...]).trimmedOfSpaces,
                stack: [])
        }
        if head.utf8Prefix("RequestId: "), let range = find(head, " Error: ") {
            let id = firstWord(head.dropFirst("RequestId: ".count))
            let type = rest.first.map { $0.trimmedOfSpaces }.flatMap { $0.isEmpty ? nil : $0 }
            return Event(
                requestId: String(id), time: eventTime, version: nil,
                type: type ?? "Runtime.ExitError", message: String(head[range.upperBound...]), stack: [])
        }
        // Node.js: <time>\t<request id>\tERROR\t<text>
        let fields = tabFields(head, maxSplits: 3)
        if fields.count == 4, fields[2] == "ERROR" || fields[2] == "FATAL" {
            return nodeEvent(
                fields[3], rest: rest, requestId: isRequestId(fields[1]) ? String(fields[1]) : nil,
                time: eventTime ?? Timestamp.parse(String(fields[0])))
        }
        if fields.count == 3, fields[1] == "ERROR" || fields[1] == "FATAL" {
            return nodeEvent(
                fields[2], rest: rest, requestId: isRequestId(fields[0]) ? String(fields[0]) : nil, time: eventTime)
        }
        return stackTraceEvent(head, rest: rest, time: eventTime)
    }

    /// `[ERROR] Type: message` + traceback, or `[ERROR]\t<time>\t<request id>\t<text>`.
    static func pythonEvent(_ head: Substring, rest: [Substring], time: Instant?) -> Event? {
        let body = head.dropFirst("[ERROR]".count)
        if body.utf8Prefix("\t") {
            let fields = tabFields(body.dropFirst(), maxSplits: 2)
            let requestId = fields.count > 1 && isRequestId(fields[1]) ? String(fields[1]) : nil
            let text = fields.count > 2 ? fields[2] : fields.last ?? ""
            let stamp = fields.count > 2 ? Timestamp.parse(String(fields[0])) : nil
            // logging.exception: the traceback's last line names the exception.
            if let last = rest.last(where: { !$0.utf8Prefix(" ") && !$0.isEmpty && !$0.utf8Prefix("Traceback") }),
                rest.contains(where: { $0.utf8Prefix("Traceback") }), let (type, message) = typed(last)
            {
                return Event(
                    requestId: requestId, time: time ?? stamp, version: nil, type: type, message: message,
                    stack: rest.map(String.init))
            }
            return Event(
                requestId: requestId, time: time ?? stamp, version: nil, type: "logged error", message: String(text),
                stack: rest.map(String.init))
        }
        let text = body.drop { $0 == " " }
        let (type, message) = typed(text) ?? ("logged error", String(text))
        // No request id: the runtime writes none; the event belongs to the open request.
        return Event(
            requestId: nil, time: time, version: nil, type: type, message: message, stack: rest.map(String.init))
    }

    /// The text's fields between tabs, at most `maxSplits + 1`, split on the bytes.
    static func tabFields(_ text: Substring, maxSplits: Int) -> [Substring] {
        var fields: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex, fields.count < maxSplits {
            if utf8[index] == 0x09 {
                fields.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        fields.append(text[start..<utf8.endIndex])
        return fields
    }

    /// The fields of a text separated by runs of spaces and tabs, split on its bytes.
    static func blankFields(_ text: Substring) -> [Substring] {
        var fields: [Substring] = []
        let utf8 = text.utf8
        var start: Substring.Index?
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let blank = utf8[index] == 0x20 || utf8[index] == 0x09
            if blank, let open = start {
                fields.append(text[open..<index])
                start = nil
            } else if !blank, start == nil {
                start = index
            }
            index = utf8.index(after: index)
        }
        if let open = start { fields.append(text[open..<utf8.endIndex]) }
        return fields
    }

    /// The text up to its first space, tab or line break.
    static func firstWord(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        let end = utf8.firstIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } ?? utf8.endIndex
        return text[..<end]
    }

    /// The lines of a text as Strings, without empty ones.
    static func nonEmptyLines(_ text: String) -> [String] { LambdaLogs.lines(text).map(String.init) }

    /// `Type: message`, where Type is an identifier (dots allowed): `KeyError: 'x'`.
    static func typed(_ text: Substring) -> (String, String)? {
        // An ASCII identifier with dots, `_` and `$`, starting with a letter, then a colon.
        let bytes = text.utf8
        var index = bytes.startIndex
        var length = 0
        while index != bytes.endIndex {
            let b = bytes[index]
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if b == 0x3A { break }
            guard letter || (length > 0 && ((b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x5F || b == 0x24)),
                length < 120
            else { return nil }
            length += 1
            index = bytes.index(after: index)
        }
        guard length > 0, index != bytes.endIndex else { return nil }
        let colon = index
        let type = text[..<colon]
        return (String(type), text[bytes.index(after: colon)...].trimmedOfSpaces)
    }

    /// Node.js's `Invoke Error \t{…}` and its kin, or a `console.error` text.
    static func nodeEvent(_ text: Substring, rest: [Substring], requestId: String?, time: Instant?) -> Event? {
        if let brace = text.utf8.firstIndex(of: 0x7B) {
            let json = ([text[brace...]] + rest).joined(separator: "\n")
            if let value = try? JSONParser.parse(Data(json.utf8)), case .object(let object) = value,
                var event = structured(object, time: time)
            {
                event.requestId = event.requestId ?? requestId
                return event
            }
        }
        let message = text.trimmedOfSpaces
        if let (type, detail) = typed(Substring(message)), type.hasSuffix("Error") || type.hasSuffix("Exception") {
            return Event(
                requestId: requestId, time: time, version: nil, type: type, message: detail,
                stack: rest.map(String.init))
        }
        return Event(
            requestId: requestId, time: time, version: nil, type: "logged error", message: message,
            stack: rest.map(String.init))
    }

    /// A JSON log record: an error when its level says so or it carries `errorType` and
    /// `errorMessage`; platform records are read by `LambdaLogs`.
    static func jsonEvent(_ head: Substring, rest: [Substring], time: Instant?) -> Event? {
        let text = rest.isEmpty ? String(head) : ([head] + rest).joined(separator: "\n")
        guard let value = try? JSONParser.parse(Data(text.utf8)), case .object(let object) = value else {
            return nil
        }
        if case .string(let type)? = object["type"], type.utf8Prefix("platform.") { return nil }
        var stamp = time
        for key in ["timestamp", "time"] {
            if case .string(let text)? = object[key], let parsed = Timestamp.parse(text) { stamp = stamp ?? parsed }
        }
        return structured(object, time: stamp, raw: head)
    }

    static func structured(_ object: JSONObject, time: Instant?, raw: Substring = "") -> Event? {
        func string(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { return text }
            return nil
        }
        func lines(_ value: JSONValue?) -> [String] {
            switch value {
            case .string(let text)?: return nonEmptyLines(text)
            case .array(let items)?: return items.compactMap(string).flatMap(nonEmptyLines)
            default: return []
            }
        }
        let level = (string(object["level"]) ?? string(object["levelname"]))?.uppercased()
        let requestId =
            string(object["requestId"]) ?? string(object["function_request_id"]) ?? string(object["awsRequestId"])
        // The runtimes' record, at the top or inside `message` (Node.js's JSON format).
        var record = object
        if case .object(let inner)? = object["message"], inner["errorType"] != nil { record = inner }
        if let type = string(record["errorType"]), let message = string(record["errorMessage"]) {
            var stack = lines(record["stackTrace"])
            if stack.isEmpty { stack = lines(record["stack"]) }
            if stack.isEmpty { stack = lines(record["trace"]) }
            return Event(requestId: requestId, time: time, version: nil, type: type, message: message, stack: stack)
        }
        guard let level, errorLevels.contains(level) else { return nil }
        // Powertools for Python.
        if let name = string(object["exception_name"]) {
            let trace = lines(object["exception"])
            let last = trace.last.flatMap { typed(Substring($0)) }
            return Event(
                requestId: requestId, time: time, version: nil, type: name,
                message: last?.1 ?? string(object["message"]) ?? "", stack: trace)
        }
        // Powertools for TypeScript.
        if case .object(let error)? = object["error"] {
            return Event(
                requestId: requestId, time: time, version: nil, type: string(error["name"]) ?? "Error",
                message: string(error["message"]) ?? string(object["message"]) ?? "", stack: lines(error["stack"]))
        }
        let message: String
        switch object["message"] {
        case .string(let text)?: message = text
        case .some, nil: message = String(raw)
        }
        return Event(
            requestId: requestId, time: time, version: nil, type: "logged error", message: message, stack: [])
    }

    /// A Java or .NET exception line with its frames.
    static func stackTraceEvent(_ head: Substring, rest: [Substring], time: Instant?) -> Event? {
        guard let next = rest.first,
            next.utf8Prefix("\tat ") || next.utf8Prefix("    at ") || next.utf8Prefix("   at "),
            let (type, message) = typed(
                head.utf8Prefix("Exception in thread ") ? head.drop { $0 != " " }.dropFirst() : head)
                ?? (head.hasSuffix("Exception") || head.hasSuffix("Error") ? (String(head), "") : nil)
        else { return nil }
        return Event(
            requestId: nil, time: time, version: nil, type: type, message: message, stack: rest.map(String.init))
    }

    static func isRequestId(_ token: Substring) -> Bool { LambdaLogs.isRequestId(token) }

    // MARK: - Kinds

    /// The kind of an error, from its type and message.
    static func kind(type: String, message: String) -> ErrorKind {
        let text = type + " " + message
        if type == "Task timed out" || type == "Sandbox.Timedout" { return .timeout }
        if type == "Runtime.OutOfMemory" || type == "MemoryError" || type == "java.lang.OutOfMemoryError"
            || has(text, "JavaScript heap out of memory")
        {
            return .outOfMemory
        }
        let configuration = [
            "Runtime.ImportModuleError", "Runtime.HandlerNotFound", "Runtime.UserCodeSyntaxError",
            "Runtime.InvalidEntrypoint", "Runtime.MalformedHandlerName", "Runtime.InvalidRuntime",
            "ModuleNotFoundError", "Cannot find module", "ClassNotFoundException",
        ]
        if configuration.contains(where: { has(text, $0) }) { return .configuration }
        if type.utf8Prefix("Runtime.") || message.utf8Prefix("Runtime exited") { return .crash }
        let permission = [
            "AccessDenied", "UnauthorizedOperation", "is not authorized to perform", "UnrecognizedClientException",
            "AuthorizationError", "KMSAccessDenied",
        ]
        if permission.contains(where: { has(text, $0) }) { return .permission }
        let throttling = [
            "Throttling", "TooManyRequests", "ProvisionedThroughputExceeded", "RequestLimitExceeded", "SlowDown",
            "Rate exceeded", "RequestThrottled", "ThrottledException",
        ]
        if throttling.contains(where: { has(text, $0) }) { return .throttling }
        return .application
    }

    // MARK: - Frames

    /// The innermost frame in the function's own code, without its line number: Python's
    /// `File "/var/task/app.py", line 9, in handler` is `app.py in handler`; Node.js's
    /// `at handler (file:///var/task/index.mjs:3:9)` is `index.mjs in handler`; Java's
    /// `at com.acme.Handler.handle(Handler.java:20)` is `com.acme.Handler.handle`. Frames of the
    /// runtime, of layers (`/opt`) and of dependencies (`site-packages`, `node_modules`, `java.`,
    /// `software.amazon`) are not the function's own.
    static func frame(_ stack: [String]) -> String? {
        var python: [String] = []
        var others: [String] = []
        for raw in stack {
            let line = raw.trimmedOfSpaces
            if line.utf8Prefix("File \""), let close = line.dropFirst(6).firstIndex(of: "\"") {
                let path = line[line.index(line.startIndex, offsetBy: 6)..<close]
                guard ownCode(path) else { continue }
                let function = line.range(of: ", in ").map { String(line[$0.upperBound...]) } ?? "?"
                python.append(shortPath(path) + " in " + function)
            } else if line.utf8Prefix("at ") {
                let body = line.dropFirst(3)
                if let open = body.lastIndex(of: "("), body.hasSuffix(")") {
                    let function = body[..<open].trimmedOfSpaces
                    let location = body[body.index(after: open)..<body.index(before: body.endIndex)]
                    if location.contains("/") {
                        guard ownCode(location) else { continue }
                        let file = location.split(separator: ":").dropLast(2).joined(separator: ":")
                        others.append(shortPath(Substring(file.isEmpty ? String(location) : file)) + " in " + function)
                    } else {
                        guard ownJava(function) else { continue }
                        others.append(function.split(separator: " ").last.map(String.init) ?? function)
                    }
                } else if body.contains("/") {
                    guard ownCode(body) else { continue }
                    let file = body.split(separator: ":").dropLast(2).joined(separator: ":")
                    others.append(shortPath(Substring(file)))
                }
            } else if !line.contains(" "), line.contains("("), line.hasSuffix(")") {
                // Java's stackTrace array in the runtime's record: `com.acme.Handler.handle(Handler.java:20)`.
                let function = String(line.prefix { $0 != "(" })
                if ownJava(function) { others.append(function) }
            }
        }
        // Python lists the innermost frame last; the others first.
        return python.last ?? others.first
    }

    static func ownCode(_ path: Substring) -> Bool {
        !(has(path, "/var/runtime") || has(path, "/var/lang") || path.utf8Prefix("/opt/")
            || has(path, "site-packages") || has(path, "node_modules") || path.utf8Prefix("node:")
            || path.utf8Prefix("file:///opt/") || has(path, "/usr/lib") || path.utf8Prefix("<"))
    }

    static func ownJava(_ function: String) -> Bool {
        let name = function.split(separator: " ").last.map(String.init) ?? function
        return ![
            "java.", "javax.", "jdk.", "sun.", "software.amazon.", "com.amazonaws.", "System.", "Microsoft.",
            "Amazon.Lambda.", "lambdainternal.",
        ]
        .contains(where: name.hasPrefix)
    }

    /// The path under the function's code folder: `/var/task/src/app.py` is `src/app.py`.
    static func shortPath(_ path: Substring) -> String {
        var text = String(path)
        for prefix in ["file:///var/task/", "/var/task/", "file://"] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
            break
        }
        return text
    }

    // MARK: - Normalising and redacting

    /// The message with its variable parts replaced, so that the same error with other ids is one
    /// group: ARNs `<arn>`, UUIDs `<uuid>`, ISO times `<time>`, quoted values `'<value>'`,
    /// numbers `<n>`, and words of 8 characters or more with a digit (ids, hashes, trace ids)
    /// `<id>`. White space runs become one space; the result is at most 300 characters.
    static func normalise(_ message: String) -> String {
        // A copy of the contiguous bytes (a memcpy) where there are any.
        let bytes =
            message.utf8.withContiguousStorageIfAvailable { Array($0.prefix(4096)) }
            ?? Array(message.utf8.prefix(4096))
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func isWord(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
                || b >= 0x80
        }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        while i < bytes.count {
            let b = bytes[i]
            let atStart = i == 0 || !isWord(bytes[i - 1])
            // ARNs
            if atStart, b == 0x61, bytes[i...].starts(with: "arn:".utf8) {
                while i < bytes.count,
                    !(bytes[i] == 0x20 || bytes[i] == 0x22 || bytes[i] == 0x27 || bytes[i] == 0x2C
                        || bytes[i] == 0x29 || bytes[i] == 0x5D || bytes[i] == 0x7D || bytes[i] == 0x09
                        || bytes[i] == 0x0A)
                {
                    i += 1
                }
                append("<arn>")
                continue
            }
            // Quoted values
            if (b == 0x27 || b == 0x22), atStart || (i > 0 && (bytes[i - 1] == 0x3D || bytes[i - 1] == 0x3A)) {
                var j = i + 1
                while j < bytes.count, j - i <= 200, bytes[j] != b, bytes[j] != 0x0A { j += 1 }
                if j < bytes.count, bytes[j] == b, j - i <= 200 {
                    out.append(b)
                    append("<value>")
                    out.append(b)
                    i = j + 1
                    continue
                }
            }
            // ISO times: 2026-10-06, 2026-10-06T09:25:14.313Z, 2026-10-06 09:25:14+00:00
            if atStart, isDigit(b), let end = isoEnd(bytes, i) {
                append("<time>")
                i = end
                continue
            }
            if isWord(b) {
                var j = i
                while j < bytes.count, isWord(bytes[j]) { j += 1 }
                // A decimal number goes on through its fraction.
                while j + 1 < bytes.count, bytes[j] == 0x2E, isDigit(bytes[j + 1]), bytes[i..<j].allSatisfy(isDigit) {
                    j += 1
                    while j < bytes.count, isDigit(bytes[j]) { j += 1 }
                }
                let word = bytes[i..<j]
                let digits = word.filter(isDigit).count
                if digits == 0 {
                    out.append(contentsOf: word)
                } else if word.allSatisfy({ isDigit($0) || $0 == 0x2E })
                    || (word.first == 0x2D && word.dropFirst().allSatisfy({ isDigit($0) || $0 == 0x2E }))
                {
                    append("<n>")
                } else if isUUID(word) {
                    append("<uuid>")
                } else if word.count >= 8 {
                    append("<id>")
                } else if isDigit(word.first!) {
                    // 500ms, 3x: the number, then its unit
                    var k = word.startIndex
                    while k < word.endIndex, isDigit(word[k]) || word[k] == 0x2E { k += 1 }
                    append("<n>")
                    out.append(contentsOf: word[k...])
                } else {
                    out.append(contentsOf: word)
                }
                i = j
                continue
            }
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                if let last = out.last, last != 0x20 { out.append(0x20) }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        while out.last == 0x20 { out.removeLast() }
        var text = out.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        if text.count > 300 { text = String(text.prefix(299)) + "…" }
        return text
    }

    static func isUUID(_ word: ArraySlice<UInt8>) -> Bool {
        guard word.count == 36 else { return false }
        for (offset, b) in word.enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard b == 0x2D else { return false }
            } else {
                guard (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46) else {
                    return false
                }
            }
        }
        return true
    }

    /// Where an ISO date (and time, and zone) starting at `i` ends, if one does.
    static func isoEnd(_ b: [UInt8], _ i: Int) -> Int? {
        func digits(_ at: Int, _ count: Int) -> Bool {
            at + count <= b.count && b[at..<at + count].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        guard digits(i, 4), i + 10 <= b.count, b[i + 4] == 0x2D, digits(i + 5, 2), b[i + 7] == 0x2D, digits(i + 8, 2)
        else { return nil }
        var j = i + 10
        if j + 6 <= b.count, b[j] == 0x54 || b[j] == 0x20, digits(j + 1, 2), b[j + 3] == 0x3A, digits(j + 4, 2) {
            j += 6
            if j + 3 <= b.count, b[j] == 0x3A, digits(j + 1, 2) {
                j += 3
                if j < b.count, b[j] == 0x2E || b[j] == 0x2C {
                    j += 1
                    while j < b.count, b[j] >= 0x30, b[j] <= 0x39 { j += 1 }
                }
            }
            if j < b.count, b[j] == 0x5A {
                j += 1
            } else if j + 6 <= b.count, b[j] == 0x2B || b[j] == 0x2D, digits(j + 1, 2), b[j + 3] == 0x3A,
                digits(j + 4, 2)
            {
                j += 6
            }
        }
        return j
    }

    /// Keys whose values are never shown, in lower case.
    static let secretKeys: [[UInt8]] = [
        "password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "authorization", "credential",
        "private_key", "privatekey", "session", "cookie", "signature",
    ].map { Array($0.utf8) }

    /// The text with secrets-like strings replaced by `[redacted]`: AWS access key ids, bearer
    /// tokens, JSON web tokens, the values of keys that name a secret (`password=…`,
    /// `"token": "…"`), and runs of 32 or more letters and digits (keys, hashes, signatures) that
    /// are not paths or dotted names. One pass over the bytes.
    static func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let redacted = Array("[redacted]".utf8)
        func isToken(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2B || b == 0x2F
                || b == 0x3D || b == 0x5F || b == 0x2D || b == 0x2E
        }
        func namesSecret(_ word: ArraySlice<UInt8>) -> Bool {
            let lower = word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
            return secretKeys.contains { has(lower, $0) }
        }
        var pending = false
        var i = 0
        while i < bytes.count {
            guard isToken(bytes[i]) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, isToken(bytes[end]) { end += 1 }
            let word = bytes[i..<end]
            defer { i = end }
            // `key=value` in one token: judge the key, redact the value.
            if let equals = word.firstIndex(of: 0x3D), equals != word.startIndex, equals + 1 < word.endIndex,
                namesSecret(word[..<equals])
            {
                out += word[...equals]
                out += redacted
                continue
            }
            if pending {
                out += redacted
                pending = false
                continue
            }
            if isSecretLike(word) {
                out += redacted
                continue
            }
            out += word
            let lower = word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
            if namesSecret(word) || lower == Array("bearer".utf8) || lower == Array("basic".utf8) {
                // The value follows after `: `, `=`, `": "` or a space (Bearer).
                var look = end
                while look < bytes.count, look - end < 4, [0x20, 0x3A, 0x3D, 0x22, 0x27].contains(bytes[look]) {
                    look += 1
                }
                if look > end, look < bytes.count, isToken(bytes[look]) {
                    out += bytes[end..<look]
                    end = look
                    pending = true
                }
            }
        }
        return out.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `needle` occurs in `haystack`, byte for byte.
    static func has<Bytes: RandomAccessCollection>(_ haystack: Bytes, _ needle: [UInt8]) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// Where `needle` first occurs in `text`, byte for byte (Foundation's search is far slower).
    static func find(_ text: Substring, _ needle: String) -> Range<Substring.Index>? {
        let bytes = Array(needle.utf8)
        let offset = text.utf8.withContiguousStorageIfAvailable { buffer -> Int? in
            guard let first = bytes.first, bytes.count <= buffer.count else { return nil }
            var i = 0
            while i <= buffer.count - bytes.count {
                if buffer[i] == first, buffer[i..<i + bytes.count].elementsEqual(bytes) { return i }
                i += 1
            }
            return nil
        }
        guard let found = offset ?? nil else {
            // Not contiguous (a bridged string): Foundation's search.
            return offset == nil ? text.range(of: needle) : nil
        }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: found)
        return start..<text.utf8.index(start, offsetBy: bytes.count)
    }

    /// Whether `needle` occurs in `text`, byte for byte (Foundation's search is far slower).
    static func has<Text: StringProtocol>(_ text: Text, _ needle: String) -> Bool {
        let bytes = Array(needle.utf8)
        return text.utf8.withContiguousStorageIfAvailable { has($0, bytes) } ?? has(Array(text.utf8), bytes)
    }

    static func isSecretLike(_ word: ArraySlice<UInt8>) -> Bool {
        let count = word.count
        if count == 20, word.starts(with: Array("AKIA".utf8)) || word.starts(with: Array("ASIA".utf8)) { return true }
        if word.starts(with: Array("eyJ".utf8)), word.filter({ $0 == 0x2E }).count == 2 { return true }
        // Paths and dotted names (`/var/lang/lib/python3.12/…`) are not secrets.
        guard count >= 32, word.first != 0x2F, !word.contains(0x2E) else { return false }
        let digit = word.contains { $0 >= 0x30 && $0 <= 0x39 }
        let letter = word.contains { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        return digit && letter && !isUUID(word)
    }

    // MARK: - Counting

    /// The events of one file counted per function, version, kind, type, normalised message and
    /// frame, per quarter hour (the normalised message is redacted too: it becomes the group's
    /// title), in the order of each record's first event. A record's sample is its
    /// earliest event.
    static func count(_ events: [Event], function: String?, source: String) -> [ErrorEvents] {
        struct Building {
            var record: ErrorEvents
            var quarters: [Int64: Int] = [:]
            var sample: Event
        }
        struct Key: Hashable {
            var version: String?
            var kind: ErrorKind
            /// The position of the type and redacted message in `messages`.
            var message: Int
            var frame: String?
        }
        struct Plain: Hashable {
            var type: String
            var message: String
        }
        var index: [Key: Int] = [:]
        var building: [Building] = []
        // Normalised messages repeat where raw ones do not: each (type, normalised message) is
        // redacted and given its kind once.
        var messages: [Plain: (number: Int, message: String, kind: ErrorKind)] = [:]
        var numbers: [Plain: Int] = [:]
        var frames: [[String]: String?] = [:]
        for event in events {
            // The first line: a message's later lines are detail (Node.js's require stack).
            let utf8 = event.message.utf8
            let line = event.message[..<(utf8.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? utf8.endIndex)]
            let plain = Plain(type: event.type, message: normalise(String(line)))
            let known: (number: Int, message: String, kind: ErrorKind)
            if let found = messages[plain] {
                known = found
            } else {
                let message = redact(plain.message)
                let number = numbers[Plain(type: event.type, message: message), default: numbers.count]
                numbers[Plain(type: event.type, message: message)] = number
                known = (number, message, LambdaErrors.kind(type: event.type, message: message))
                if messages.count < 100_000 { messages[plain] = known }
            }
            let message = known.message
            let kind = event.kind ?? known.kind
            let frame: String?
            if event.stack.isEmpty {
                frame = nil
            } else if let known = frames[event.stack] {
                frame = known
            } else {
                frame = LambdaErrors.frame(event.stack)
                if frames.count < 10_000 { frames[event.stack] = frame }
            }
            let key = Key(version: event.version, kind: kind, message: known.number, frame: frame)
            let position: Int
            if let known = index[key] {
                position = known
            } else {
                position = building.count
                index[key] = position
                building.append(
                    Building(
                        record: ErrorEvents(
                            function: function, version: event.version, kind: kind, type: event.type,
                            message: message, frame: frame, quarters: [],
                            sample: ErrorSample(requestId: nil, time: nil, message: "", stack: []), source: source),
                        sample: event))
            }
            guard let time = event.time else {
                building[position].record.undated += 1
                continue
            }
            if let sampleTime = building[position].sample.time, time < sampleTime {
                building[position].sample = event
            } else if building[position].sample.time == nil {
                building[position].sample = event
            }
            let start = time.seconds - ((time.seconds % 900) + 900) % 900
            if let at = building[position].quarters[start] {
                building[position].record.quarters[at].count += 1
                building[position].record.quarters[at].first = min(building[position].record.quarters[at].first, time)
                building[position].record.quarters[at].last = max(building[position].record.quarters[at].last, time)
            } else {
                building[position].quarters[start] = building[position].record.quarters.count
                building[position].record.quarters.append(
                    ErrorEvents.Quarter(start: Instant(seconds: start), count: 1, first: time, last: time))
            }
        }
        return building.map { item in
            var record = item.record
            record.quarters.sort { $0.start < $1.start }
            record.sample = sample(item.sample)
            return record
        }
    }

    /// The event as a page may show it: redacted, with at most 12 lines of stack of at most 300
    /// characters each.
    static func sample(_ event: Event) -> ErrorSample {
        func cut(_ text: String, _ limit: Int) -> String {
            text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        }
        return ErrorSample(
            requestId: event.requestId, time: event.time, message: cut(redact(event.message), 1000),
            stack: event.stack.prefix(12).map { cut(redact($0), 300) })
    }
}

extension StringProtocol {
    /// Whether the text starts with `prefix`, byte for byte (`hasPrefix` compares Characters, and
    /// log lines are read by the million).
    func utf8Prefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// Without the spaces and tabs at either end (Foundation's trimming is far slower).
    var trimmedOfSpaces: String {
        let bytes = utf8
        guard let start = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let end = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
