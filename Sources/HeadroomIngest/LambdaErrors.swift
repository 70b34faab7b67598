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
        guard var head = lines.first.map({ $0.hasSuffix("\r") ? $0.dropLast() : $0 }) else { return nil }
        let rest = Array(lines.dropFirst())
        var eventTime = time
        // A plain export may put the event's time first, then a space.
        if head.first?.isNumber == true, let space = head.firstIndex(of: " "),
            let stamp = Timestamp.parse(String(head[..<space]))
        {
            let after = head[space...].drop { $0 == " " }
            if after.hasPrefix("[ERROR]") || after.hasPrefix("{") || after.hasPrefix("RequestId: ") {
                head = after
                eventTime = eventTime ?? stamp
            }
        }
        for platform in ["START ", "END ", "REPORT ", "XRAY ", "INIT_", "RESTORE_", "EXTENSION", "TELEMETRY"]
        where head.hasPrefix(platform) {
            return nil
        }
        if head.hasPrefix("{") {
            guard head.contains("rror") || head.contains("RROR") || head.contains("CRITICAL") || head.contains("FATAL")
            else { return nil }
            return jsonEvent(head, rest: rest, time: eventTime)
        }
        if head.hasPrefix("[ERROR]") { return pythonEvent(head, rest: rest, time: eventTime) }
        if let range = head.range(of: "Task timed out after") {
            let before = head[..<range.lowerBound].split(whereSeparator: { $0 == " " || $0 == "\t" })
            return Event(
                requestId: before.last(where: isRequestId).map(String.init), time: eventTime, version: nil,
                type: "Task timed out", message: String(head[range.lowerBound...]).trimmingCharacters(in: .whitespaces),
                stack: [])
        }
        if head.hasPrefix("RequestId: "), let range = head.range(of: " Error: ") {
            let id = head.dropFirst("RequestId: ".count).prefix { !$0.isWhitespace }
            let type = rest.first.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            return Event(
                requestId: String(id), time: eventTime, version: nil,
                type: type ?? "Runtime.ExitError", message: String(head[range.upperBound...]), stack: [])
        }
        // Node.js: <time>\t<request id>\tERROR\t<text>
        let fields = head.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
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
        if body.hasPrefix("\t") {
            let fields = body.dropFirst().split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            let requestId = fields.count > 1 && isRequestId(fields[1]) ? String(fields[1]) : nil
            let text = fields.count > 2 ? fields[2] : fields.last ?? ""
            let stamp = fields.count > 2 ? Timestamp.parse(String(fields[0])) : nil
            // logging.exception: the traceback's last line names the exception.
            if let last = rest.last(where: { !$0.hasPrefix(" ") && !$0.isEmpty && !$0.hasPrefix("Traceback") }),
                rest.contains(where: { $0.hasPrefix("Traceback") }), let (type, message) = typed(last)
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
        var requestId: String?
        if let id = rest.lazy.compactMap({ line in line.split(separator: " ").first(where: isRequestId) }).first {
            requestId = String(id)
        }
        return Event(
            requestId: requestId, time: time, version: nil, type: type, message: message, stack: rest.map(String.init))
    }

    /// `Type: message`, where Type is an identifier (dots allowed): `KeyError: 'x'`.
    static func typed(_ text: Substring) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let type = text[..<colon]
        guard !type.isEmpty, type.count <= 120,
            type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "$" }),
            type.first?.isLetter == true
        else { return nil }
        return (String(type), text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// Node.js's `Invoke Error \t{…}` and its kin, or a `console.error` text.
    static func nodeEvent(_ text: Substring, rest: [Substring], requestId: String?, time: Instant?) -> Event? {
        if let brace = text.firstIndex(of: "{") {
            let json = ([text[brace...]] + rest).joined(separator: "\n")
            if let value = try? JSONParser.parse(Data(json.utf8)), case .object(let object) = value,
                var event = structured(object, time: time)
            {
                event.requestId = event.requestId ?? requestId
                return event
            }
        }
        let message = text.trimmingCharacters(in: .whitespaces)
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
        if case .string(let type)? = object["type"], type.hasPrefix("platform.") { return nil }
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
            case .string(let text)?: return text.split(whereSeparator: \.isNewline).map(String.init)
            case .array(let items)?:
                return items.compactMap(string).flatMap { $0.split(whereSeparator: \.isNewline).map(String.init) }
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
        guard let next = rest.first, next.hasPrefix("\tat ") || next.hasPrefix("    at ") || next.hasPrefix("   at "),
            let (type, message) = typed(
                head.hasPrefix("Exception in thread ") ? head.drop { $0 != " " }.dropFirst() : head)
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
            || text.contains("JavaScript heap out of memory")
        {
            return .outOfMemory
        }
        let configuration = [
            "Runtime.ImportModuleError", "Runtime.HandlerNotFound", "Runtime.UserCodeSyntaxError",
            "Runtime.InvalidEntrypoint", "Runtime.MalformedHandlerName", "Runtime.InvalidRuntime",
            "ModuleNotFoundError", "Cannot find module", "ClassNotFoundException",
        ]
        if configuration.contains(where: { text.contains($0) }) { return .configuration }
        if type.hasPrefix("Runtime.") || message.hasPrefix("Runtime exited") { return .crash }
        let permission = [
            "AccessDenied", "UnauthorizedOperation", "is not authorized to perform", "UnrecognizedClientException",
            "AuthorizationError", "KMSAccessDenied",
        ]
        if permission.contains(where: { text.contains($0) }) { return .permission }
        let throttling = [
            "Throttling", "TooManyRequests", "ProvisionedThroughputExceeded", "RequestLimitExceeded", "SlowDown",
            "Rate exceeded", "RequestThrottled", "ThrottledException",
        ]
        if throttling.contains(where: { text.contains($0) }) { return .throttling }
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
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("File \""), let close = line.dropFirst(6).firstIndex(of: "\"") {
                let path = line[line.index(line.startIndex, offsetBy: 6)..<close]
                guard ownCode(path) else { continue }
                let function = line.range(of: ", in ").map { String(line[$0.upperBound...]) } ?? "?"
                python.append(shortPath(path) + " in " + function)
            } else if line.hasPrefix("at ") {
                let body = line.dropFirst(3)
                if let open = body.lastIndex(of: "("), body.hasSuffix(")") {
                    let function = body[..<open].trimmingCharacters(in: .whitespaces)
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
        !(path.contains("/var/runtime") || path.contains("/var/lang") || path.hasPrefix("/opt/")
            || path.contains("site-packages") || path.contains("node_modules") || path.hasPrefix("node:")
            || path.hasPrefix("file:///opt/") || path.contains("/usr/lib") || path.hasPrefix("<"))
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
        let bytes = Array(message.utf8.prefix(4096))
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
            if atStart, b == 0x61, bytes[i...].starts(with: Array("arn:".utf8)) {
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
        var text = String(decoding: out, as: UTF8.self)
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

    /// Keys whose values are never shown.
    static let secretKeys = [
        "password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "authorization", "credential",
        "private_key", "privatekey", "session", "cookie", "signature",
    ]

    /// The text with secrets-like strings replaced by `[redacted]`: AWS access key ids, bearer
    /// tokens, JSON web tokens, the values of keys that name a secret (`password=…`,
    /// `"token": "…"`), and runs of 32 or more letters and digits (keys, hashes, signatures) that
    /// are not paths or dotted names.
    static func redact(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        var pendingSecret = false
        var index = text.startIndex
        func isToken(_ c: Character) -> Bool {
            c.isASCII
                && (c.isLetter || c.isNumber || c == "+" || c == "/" || c == "=" || c == "_" || c == "-" || c == ".")
        }
        while index < text.endIndex {
            let c = text[index]
            guard isToken(c) else {
                result.append(c)
                index = text.index(after: index)
                continue
            }
            var end = index
            while end < text.endIndex, isToken(text[end]) { end = text.index(after: end) }
            let word = text[index..<end]
            // `key=value` in one token: judge the key, redact the value.
            if let equals = word.firstIndex(of: "="), equals != word.startIndex {
                let key = word[..<equals].lowercased()
                if secretKeys.contains(where: key.contains) {
                    result += word[...equals] + "[redacted]"
                    index = end
                    continue
                }
            }
            let lower = word.lowercased()
            if pendingSecret {
                result += "[redacted]"
                pendingSecret = false
            } else if isSecretLike(word) {
                result += "[redacted]"
            } else {
                result += word
                if secretKeys.contains(where: lower.contains) || lower == "bearer" || lower == "basic" {
                    // The value follows after `: `, `=`, `": "` or a space (Bearer).
                    var look = end
                    var separators = 0
                    while look < text.endIndex, " :=\"'".contains(text[look]), separators < 4 {
                        look = text.index(after: look)
                        separators += 1
                    }
                    if separators > 0, look < text.endIndex, isToken(text[look]) {
                        result += text[end..<look]
                        index = look
                        pendingSecret = true
                        continue
                    }
                }
            }
            index = end
        }
        return result
    }

    static func isSecretLike(_ word: Substring) -> Bool {
        if (word.hasPrefix("AKIA") || word.hasPrefix("ASIA")) && word.count == 20 { return true }
        if word.hasPrefix("eyJ") && word.filter({ $0 == "." }).count == 2 { return true }
        // Paths and dotted names (`/var/lang/lib/python3.12/…`) are not secrets.
        if word.hasPrefix("/") || word.contains(".") { return false }
        let core = word.filter { $0.isLetter || $0.isNumber }
        return word.count >= 32 && core.contains(where: \.isNumber) && core.contains(where: \.isLetter)
            && !isUUIDText(word)
    }

    static func isUUIDText(_ word: Substring) -> Bool { isUUID(ArraySlice(Array(word.utf8))) }

    // MARK: - Counting

    /// The events of one file counted per function (the message is redacted before it is
    /// normalised: it becomes the group's title), version, kind, type, normalised message,
    /// frame and quarter hour, in the order of each group's first event.
    static func count(_ events: [Event], function: String?, source: String) -> [ErrorEvents] {
        var index: [String: Int] = [:]
        var result: [ErrorEvents] = []
        var normalised: [String: String] = [:]
        for event in events {
            let message: String
            if let known = normalised[event.message] {
                message = known
            } else {
                // The first line: a message's later lines are detail (Node.js's require stack).
                let line = event.message.prefix { !$0.isNewline }
                message = normalise(redact(String(line)))
                if normalised.count < 100_000 { normalised[event.message] = message }
            }
            let frame = frame(event.stack)
            let kind = event.kind ?? kind(type: event.type, message: event.message)
            let quarter = event.time.map { Instant(seconds: $0.seconds - (($0.seconds % 900) + 900) % 900) }
            let key = [
                event.version ?? "", kind.rawValue, event.type, message, frame ?? "",
                quarter.map { String($0.seconds) } ?? "",
            ].joined(separator: "\u{0}")
            if let position = index[key] {
                result[position].count += 1
                if let time = event.time {
                    result[position].first = min(result[position].first ?? time, time)
                    result[position].last = max(result[position].last ?? time, time)
                    if let sampleTime = result[position].sample.time, time < sampleTime {
                        result[position].sample = sample(event)
                    }
                }
                continue
            }
            index[key] = result.count
            result.append(
                ErrorEvents(
                    function: function, version: event.version, kind: kind, type: event.type, message: message,
                    frame: frame, quarter: quarter, count: 1, first: event.time, last: event.time,
                    sample: sample(event), source: source))
        }
        return result
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
