import Foundation
import HeadroomModel

/// Lambda's platform log lines, in plain log files or in `aws logs filter-log-events` /
/// `get-log-events` output (`{"events": [{"timestamp": ms, "message": …}]}`).
///
/// - `REPORT RequestId: …` lines give Duration, Billed Duration, Memory Size, Max Memory Used,
///   Init Duration (cold starts only), Restore Duration (SnapStart), Status and Error Type; fields
///   may be separated by tabs or spaces. An `XRAY TraceId: …` line belongs to the REPORT before it.
/// - `Task timed out after N seconds` lines mark their request as timed out.
/// - With the JSON log format, `platform.report` records give the same figures.
/// - Records are joined by request id; a request reported twice (overlapping exports) counts once.
/// - A REPORT line or platform.report record that cannot be read is an error at its line (or its
///   event's JSON path); other lines are the application's and are skipped.
/// - Application lines are skipped. A plain line may start with an ISO timestamp.
/// - The function comes from the request beside the file (`<stem>.query.json` with
///   `logGroupName: /aws/lambda/<function>` or `FunctionName`).
enum LambdaLogs {
    /// Whether a text looks like Lambda logs: a platform line, a timeout, a crash or a runtime's
    /// unhandled error within its first 200 lines.
    static func matches(_ text: String) -> Bool {
        var count = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.contains("REPORT RequestId:") || line.contains("START RequestId:")
                || line.contains("\"type\":\"platform.") || line.contains("\"type\": \"platform.")
                || line.contains("Task timed out after") || line.utf8Prefix("[ERROR] ")
                || line.contains("\tERROR\tInvoke Error") || line.contains("Runtime exited with error")
            {
                return true
            }
            count += 1
            if count >= 200 { break }
        }
        return false
    }

    static func read(_ json: JSONValue?, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        var parser = Parser(source: input.display, function: try function(input))
        if let json {
            let root = JSONCursor(json, file: input.display)
            for event in try root.require("events").array() {
                let messageCursor = try event.require("message")
                let message = try messageCursor.string()
                var time: Instant?
                if let stamp = event["timestamp"] {
                    guard let instant = Timestamp.epoch(try stamp.number() / 1000) else {
                        throw stamp.fail("expected epoch milliseconds, in \(Instant.yearsText)")
                    }
                    time = instant
                }
                let lines = LambdaLogs.lines(message)
                for line in lines {
                    try parser.line(line, time: time, position: .jsonPath(messageCursor.path))
                }
                var version: String?
                var streamName = ""
                if case .string(let stream)? = event["logStreamName"]?.value {
                    streamName = stream
                    let bytes = stream.utf8
                    if let open = bytes.firstIndex(of: 0x5B), let close = bytes[open...].firstIndex(of: 0x5D) {
                        version = String(stream[bytes.index(after: open)..<close])
                    }
                }
                // The version a reported request ran, from its REPORT's log stream.
                if let version, let last = parser.lastReport, parser.versions[parser.reports[last].requestId] == nil {
                    parser.versions[parser.reports[last].requestId] = version
                }
                parser.event(lines, time: time, version: version, stream: streamName)
            }
        } else {
            var pending: [Substring] = []
            var pendingTime: Instant?
            var traceback = false
            for (number, line) in try input.text().split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            {
                var text = line
                var time: Instant?
                // An exported line may start with its timestamp.
                if let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }),
                    let stamp = Timestamp.parse(String(text[..<space]))
                {
                    let rest = text[space...].drop { $0 == " " || $0 == "\t" }
                    if rest.utf8Prefix("START ") || rest.utf8Prefix("END ") || rest.utf8Prefix("REPORT ")
                        || rest.utf8Prefix("XRAY ") || rest.utf8Prefix("{")
                    {
                        text = rest
                        time = stamp
                    }
                }
                try parser.line(text, time: time, position: .line(number + 1, column: nil))
                // Lines that go on an event (a traceback, frames) join it, its first 200 kept; any
                // other line starts one.
                if !pending.isEmpty, LambdaLogs.continues(text, after: pending.last!, traceback: traceback) {
                    if pending.count < 200 { pending.append(text) }
                    traceback = traceback || text.utf8Prefix("Traceback")
                } else {
                    if !pending.isEmpty { parser.event(pending, time: pendingTime, version: nil, stream: "") }
                    pending = text.isEmpty ? [] : [text]
                    pendingTime = time
                    traceback = text.utf8Prefix("Traceback")
                }
            }
            if !pending.isEmpty { parser.event(pending, time: pendingTime, version: nil, stream: "") }
        }
        return parser.finish()
    }

    /// Whether a plain log line goes on the event before it (`last` is the event's last line so
    /// far; `traceback` whether it has a `Traceback` line): indented lines (frames), a traceback's
    /// header and its closing `Type: message` line, `Runtime.ExitError` after `Runtime exited`, and
    /// Java's `Caused by:`.
    static func continues(_ line: Substring, after last: Substring, traceback: Bool) -> Bool {
        guard let first = line.first else { return false }
        if first == " " || first == "\t" { return true }
        if line.utf8Prefix("Traceback (most recent call last)") || line.utf8Prefix("Caused by")
            || line.utf8Prefix("During handling of") || line.utf8Prefix("The above exception")
        {
            return true
        }
        if line.utf8Prefix("Runtime."), last.contains("Runtime exited") { return true }
        // The last line of a Python traceback: `KeyError: 'x'`, after indented frames.
        return traceback && last.first == " " && LambdaErrors.typed(line) != nil
    }

    static func function(_ input: InputFile) throws(HeadroomError) -> String? {
        guard let sidecar = input.sidecar else { return nil }
        if let name = sidecar["FunctionName"] { return LambdaAdapters.functionName(try name.string()) }
        for key in ["logGroupName", "logGroupIdentifier"] {
            if let group = sidecar[key] {
                let text = try group.string()
                if let range = text.range(of: "/aws/lambda/") { return String(text[range.upperBound...]) }
                return text
            }
        }
        return nil
    }

    struct Parser {
        let source: String
        let function: String?
        var reports: [InvocationReport] = []
        var index: [String: Int] = [:]
        var timeouts: Set<String> = []
        var duplicates = 0
        var lastReport: Int?
        var errors: [LambdaErrors.Event] = []
        /// The request between its START and END lines, per log stream.
        var openRequests: [String: String] = [:]
        /// The version each request ran, from its START line.
        var versions: [String: String] = [:]
        var first: Instant?
        var last: Instant?

        init(source: String, function: String?) {
            self.source = source
            self.function = function
        }

        /// One line; `position` is made only for an error (the path of a message is not formatted
        /// per line).
        mutating func line(
            _ raw: Substring, time: Instant?, position: @autoclosure () -> HeadroomError.Position
        ) throws(HeadroomError) {
            let line = raw.utf8.last == 0x0D ? raw.dropLast() : raw
            if let time {
                first = min(first ?? time, time)
                last = max(last ?? time, time)
            }
            if line.utf8Prefix("START RequestId:") {
                let fields = LambdaErrors.blankFields(line)
                if fields.count >= 5, fields[3] == "Version:" { versions[String(fields[2])] = String(fields[4]) }
                lastReport = nil
            } else if line.utf8Prefix("REPORT RequestId:") {
                guard let report = LambdaLogs.report(line, time: time, function: function, source: source) else {
                    throw HeadroomError(
                        .ingest, file: source, position: position(),
                        "a REPORT line without a request id and a Duration in ms")
                }
                add(report)
            } else if line.utf8Prefix("XRAY TraceId:"), let last = lastReport {
                let fields = LambdaErrors.blankFields(line)
                if fields.count >= 3 { reports[last].xrayTraceId = String(fields[2]) }
            } else if let range = LambdaErrors.find(line, "Task timed out after") {
                let before = LambdaErrors.blankFields(line[..<range.lowerBound])
                if let id = before.last(where: LambdaLogs.isRequestId) { timeouts.insert(String(id)) }
            } else if line.utf8Prefix("{"), LambdaLogs.isPlatformReport(line) {
                guard let report = LambdaLogs.platformReport(line, function: function, source: source) else {
                    throw HeadroomError(
                        .ingest, file: source, position: position(),
                        "a platform.report record without valid JSON, a record.requestId and record.metrics.durationMs")
                }
                add(report)
            } else {
                lastReport = nil
            }
        }

        /// An event (its lines) that may be an error. An error without a request id of its own
        /// belongs to the request open on its log stream (between its START and END lines), as
        /// Python's unhandled exceptions do.
        mutating func event(_ lines: [Substring], time: Instant?, version: String?, stream: String) {
            if let head = lines.first, head.utf8Prefix("START RequestId: ") {
                let id = LambdaErrors.firstWord(head.dropFirst("START RequestId: ".count))
                openRequests[stream] = String(id)
                return
            }
            if let head = lines.first, head.utf8Prefix("END RequestId: ") || head.utf8Prefix("REPORT RequestId: ") {
                openRequests[stream] = nil
                return
            }
            guard var error = LambdaErrors.event(lines, time: time) else { return }
            error.version = version
            error.requestId = error.requestId ?? openRequests[stream]
            if let time = error.time {
                first = min(first ?? time, time)
                last = max(last ?? time, time)
            }
            errors.append(error)
        }

        mutating func add(_ report: InvocationReport) {
            if index[report.requestId] != nil {
                duplicates += 1
                lastReport = nil
                return
            }
            index[report.requestId] = reports.count
            lastReport = reports.count
            reports.append(report)
        }

        func finish() -> (Dataset, [String]) {
            var reports = reports
            var orphanTimeouts = 0
            for id in timeouts.sorted() {
                if let position = index[id] {
                    reports[position].timedOut = true
                    if reports[position].status == "success" { reports[position].status = "timeout" }
                } else {
                    orphanTimeouts += 1
                }
            }
            var warnings: [String] = []
            if function == nil && !reports.isEmpty {
                warnings.append(
                    "the function is unknown: save {\"logGroupName\": \"/aws/lambda/<function>\"} beside the file as <name>.query.json"
                )
            }
            if duplicates > 0 {
                warnings.append("\(duplicates) REPORT records repeated a request id and were counted once")
            }
            if orphanTimeouts > 0 { warnings.append("\(orphanTimeouts) timeouts without a REPORT record") }
            let undatedErrors = errors.filter { $0.time == nil }.count
            if undatedErrors > 0 {
                warnings.append(
                    plural(undatedErrors, "error event")
                        + " without a time: read, but counted in no week; save aws logs filter-log-events output, which dates every event"
                )
            }
            let undated = reports.filter { $0.time == nil }.count
            if undated > 0 {
                warnings.append(
                    plural(undated, "REPORT record")
                        + " without a time: read, but counted in no week; save aws logs filter-log-events output, which dates every event"
                )
            }
            return (
                Dataset(
                    invocations: reports, errors: countErrors(reports),
                    logFiles: [LogFile(source: source, function: function, first: first, last: last)]),
                warnings
            )
        }

        /// The error events joined with their requests' REPORT records, then counted. A request
        /// whose REPORT says error or timeout and that logged no error of its own counts as one
        /// event of its Error Type (or as a timeout); a crash at the memory size is out of memory;
        /// an event repeated by overlapping exports counts once.
        func countErrors(_ reports: [InvocationReport]) -> [ErrorEvents] {
            var events: [LambdaErrors.Event] = []
            // The events kept per request id: a repeat (same time, type and message) is dropped.
            // Keyed by the id alone, so a message is compared only within its request.
            var seen: [String: [(time: Instant?, index: Int)]] = [:]
            // Errors outside any request (at init: an import error), by type: each stands for the
            // error a REPORT of that Error Type reports.
            var unbound: [String: Int] = [:]
            for event in errors where event.requestId == nil { unbound[event.type, default: 0] += 1 }
            for var event in errors {
                if let id = event.requestId {
                    let earlier = seen[id, default: []]
                    guard
                        !earlier.contains(where: {
                            $0.time == event.time && events[$0.index].type == event.type
                                && events[$0.index].message == event.message
                        })
                    else { continue }
                    seen[id, default: []].append((event.time, events.count))
                    event.version = event.version ?? versions[id]
                    if let position = index[id] {
                        let report = reports[position]
                        event.time = event.time ?? report.time
                        if let used = report.maxMemoryUsedMB, let size = report.memorySizeMB, used >= size,
                            [.crash, .application].contains(
                                LambdaErrors.kind(type: event.type, message: event.message)),
                            event.type.utf8Prefix("Runtime.") || event.message.contains("signal: killed")
                        {
                            event.kind = .outOfMemory
                        }
                    }
                }
                events.append(event)
            }
            for report in reports where seen[report.requestId] == nil {
                let status = report.timedOut ? "timeout" : report.status
                guard status != "success" else { continue }
                if let type = report.errorType, let left = unbound[type], left > 0 {
                    unbound[type] = left - 1
                    continue
                }
                var event = LambdaErrors.Event(
                    requestId: report.requestId, time: report.time, version: versions[report.requestId],
                    type: report.errorType ?? (status == "timeout" ? "Task timed out" : "Status: \(status)"),
                    message: status == "timeout"
                        ? "Task timed out after \(Format.fixed(report.durationMs / 1000, 2)) seconds"
                        : "the invocation ended with status \(status) (REPORT)", stack: [])
                if status == "timeout" { event.type = "Task timed out" }
                if let used = report.maxMemoryUsedMB, let size = report.memorySizeMB, used >= size, status != "timeout"
                {
                    event.kind = .outOfMemory
                }
                events.append(event)
            }
            return LambdaErrors.count(events, function: function, source: source)
        }
    }

    /// `8-4-4-4-12` hex digits.
    static func isRequestId(_ token: Substring) -> Bool {
        let bytes = token.utf8
        guard bytes.count == 36 else { return false }
        for (offset, byte) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == 0x2D else { return false }
            } else {
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
                else { return false }
            }
        }
        return true
    }

    /// The non-empty lines of a text, split at `\n`, `\r\n` or `\r` on its bytes (faster than by Character).
    static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        // The ends of the lines as byte offsets, found on the contiguous bytes where they are.
        func ranges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
            var ranges: [Range<Int>] = []
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x0D {
                    if start != index { ranges.append(start..<index) }
                    index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                    start = index
                } else {
                    index += 1
                }
            }
            if start != bytes.count { ranges.append(start..<bytes.count) }
            return ranges
        }
        let found = utf8.withContiguousStorageIfAvailable(ranges) ?? Array(utf8).withUnsafeBufferPointer(ranges)
        return found.map { range in
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            return text[start..<utf8.index(start, offsetBy: range.count)]
        }
    }

    static let labels = [
        "RequestId:", "Billed Duration:", "Init Duration:", "Restore Duration:", "Duration:", "Memory Size:",
        "Max Memory Used:", "Status:", "Error Type:",
    ]

    /// Parses `REPORT RequestId: id<TAB>Duration: 1.00 ms<TAB>…` into its fields.
    static func report(_ line: Substring, time: Instant?, function: String?, source: String) -> InvocationReport? {
        let body = line.dropFirst("REPORT ".count)
        // Find each label where it starts a field: at the beginning or after white space.
        var found: [(label: String, range: Range<Substring.Index>)] = []
        var position = body.startIndex
        while position < body.endIndex {
            let atFieldStart = position == body.startIndex || body[body.index(before: position)].isWhitespace
            if atFieldStart, let label = labels.first(where: { body[position...].hasPrefix($0) }) {
                let end = body.index(position, offsetBy: label.count)
                found.append((label, position..<end))
                position = end
            } else {
                position = body.index(after: position)
            }
        }
        var fields: [String: String] = [:]
        for (offset, item) in found.enumerated() {
            let end = offset + 1 < found.count ? found[offset + 1].range.lowerBound : body.endIndex
            fields[item.label] = body[item.range.upperBound..<end].trimmingCharacters(in: .whitespaces)
        }
        func number(_ label: String, unit: String) -> Double? {
            guard var text = fields[label] else { return nil }
            if text.hasSuffix(unit) { text = String(text.dropLast(unit.count)).trimmingCharacters(in: .whitespaces) }
            guard let value = Double(text), Point.isStorable(value), value >= 0 else { return nil }
            return value
        }
        guard let id = fields["RequestId:"], !id.isEmpty, let duration = number("Duration:", unit: "ms") else {
            return nil
        }
        return InvocationReport(
            function: function, requestId: id, time: time, durationMs: duration,
            billedDurationMs: number("Billed Duration:", unit: "ms"),
            memorySizeMB: number("Memory Size:", unit: "MB").flatMap { Int(exactly: $0.rounded()) },
            maxMemoryUsedMB: number("Max Memory Used:", unit: "MB").flatMap { Int(exactly: $0.rounded()) },
            initDurationMs: number("Init Duration:", unit: "ms"),
            restoreDurationMs: number("Restore Duration:", unit: "ms"),
            status: fields["Status:"] ?? "success", errorType: fields["Error Type:"], source: source)
    }

    /// Whether a JSON-format line is a `platform.report` record: its top-level `type` says so, or
    /// it is not valid JSON but reads like one (a broken record, not an application's line).
    static func isPlatformReport(_ line: Substring) -> Bool {
        guard LambdaErrors.has(line, "platform.report") else { return false }
        guard let json = try? JSONParser.parse(Data(line.utf8)) else {
            return line.contains("\"type\":\"platform.report\"") || line.contains("\"type\": \"platform.report\"")
        }
        if case .object(let object) = json { return object["type"] == .string("platform.report") }
        return false
    }

    /// A JSON-format `platform.report` record.
    static func platformReport(_ line: Substring, function: String?, source: String) -> InvocationReport? {
        guard let json = try? JSONParser.parse(Data(line.utf8)), case .object(let object) = json,
            object["type"] == .string("platform.report"), case .object(let record)? = object["record"],
            case .string(let id)? = record["requestId"], case .object(let metrics)? = record["metrics"],
            case .number(let duration)? = metrics["durationMs"]
        else { return nil }
        func number(_ key: String) -> Double? {
            if case .number(let value)? = metrics[key], Point.isStorable(value) { return value }
            return nil
        }
        var time: Instant?
        if case .string(let text)? = object["time"] { time = Timestamp.parse(text) }
        var trace: String?
        if case .object(let tracing)? = record["tracing"], case .string(let value)? = tracing["value"] {
            trace =
                value.split(separator: ";").first { $0.utf8Prefix("Root=") }.map { String($0.dropFirst(5)) } ?? value
        }
        var status = "success"
        if case .string(let value)? = record["status"] { status = value }
        var errorType: String?
        if case .string(let value)? = record["errorType"] { errorType = value }
        return InvocationReport(
            function: function, requestId: id, time: time, durationMs: duration,
            billedDurationMs: number("billedDurationMs"),
            memorySizeMB: number("memorySizeMB").flatMap { Int(exactly: $0.rounded()) },
            maxMemoryUsedMB: number("maxMemoryUsedMB").flatMap { Int(exactly: $0.rounded()) },
            initDurationMs: number("initDurationMs"),
            restoreDurationMs: number("restoreDurationMs"), status: status, errorType: errorType, xrayTraceId: trace,
            timedOut: status == "timeout", source: source)
    }
}
