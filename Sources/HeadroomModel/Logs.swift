/// One invocation as Lambda's platform logs describe it: a REPORT line (text format) or a
/// `platform.report` record (JSON format), joined by request id with START, END, timeout and
/// XRAY lines.
public struct InvocationReport: Codable, Sendable, Equatable {
    /// From the source's query file (`logGroupName: /aws/lambda/<function>`), when known.
    public var function: String?
    public var requestId: String
    /// When the log event was written; nil in plain log files without timestamps.
    public var time: Instant?
    public var durationMs: Double
    public var billedDurationMs: Double?
    public var memorySizeMB: Int?
    public var maxMemoryUsedMB: Int?
    /// Present on cold starts only.
    public var initDurationMs: Double?
    /// SnapStart restores.
    public var restoreDurationMs: Double?
    /// `success`, `timeout`, `error`, … (`success` when the line has no Status field).
    public var status: String
    public var errorType: String?
    public var xrayTraceId: String?
    public var timedOut: Bool
    public var source: String

    public init(
        function: String? = nil, requestId: String, time: Instant? = nil, durationMs: Double,
        billedDurationMs: Double? = nil, memorySizeMB: Int? = nil, maxMemoryUsedMB: Int? = nil,
        initDurationMs: Double? = nil, restoreDurationMs: Double? = nil, status: String = "success",
        errorType: String? = nil, xrayTraceId: String? = nil, timedOut: Bool = false, source: String
    ) {
        self.function = function
        self.requestId = requestId
        self.time = time
        self.durationMs = durationMs
        self.billedDurationMs = billedDurationMs
        self.memorySizeMB = memorySizeMB
        self.maxMemoryUsedMB = maxMemoryUsedMB
        self.initDurationMs = initDurationMs
        self.restoreDurationMs = restoreDurationMs
        self.status = status
        self.errorType = errorType
        self.xrayTraceId = xrayTraceId
        self.timedOut = timedOut
        self.source = source
    }

    public var coldStart: Bool { initDurationMs != nil }
}

/// What kind of failure an error is, by its type and message (`LambdaErrors.kind`).
public enum ErrorKind: String, Codable, Sendable, CaseIterable, Comparable {
    case application
    case timeout
    case outOfMemory = "out of memory"
    case crash
    case configuration
    case permission
    case throttling

    public static func < (a: ErrorKind, b: ErrorKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One error event as a page may show it: redacted (see `LambdaErrors.redact`), with the first
/// lines of its stack.
public struct ErrorSample: Codable, Sendable, Equatable {
    public var requestId: String?
    public var time: Instant?
    public var message: String
    public var stack: [String]

    public init(requestId: String?, time: Instant?, message: String, stack: [String]) {
        self.requestId = requestId
        self.time = time
        self.message = message
        self.stack = stack
    }
}

/// The error events of one file that share a function, version, kind, type, normalised message
/// and top in-app frame, counted per quarter hour (UTC): every time zone's week starts on a quarter
/// hour, so each week counts its own. Undated events (plain files without timestamps) count in
/// no week.
public struct ErrorEvents: Codable, Sendable, Equatable {
    public var function: String?
    /// `$LATEST`, a version number or an alias, when the log stream or START line names it.
    public var version: String?
    public var kind: ErrorKind
    /// `KeyError`, `Runtime.ExitError`, `Task timed out`, …
    public var type: String
    /// The message with its variable parts replaced (`LambdaErrors.normalise`).
    public var message: String
    /// The innermost frame in the function's own code, without its line number.
    public var frame: String?
    /// The quarter hours with events, in time order.
    public var quarters: [Quarter]
    public var undated: Int
    /// The file's earliest event of the kind.
    public var sample: ErrorSample
    public var source: String

    /// One quarter hour's events: stored as `[start, count, first, last]` (the first and last
    /// event in seconds after the start).
    public struct Quarter: Codable, Sendable, Equatable {
        public var start: Instant
        public var count: Int
        public var first: Instant
        public var last: Instant

        public init(start: Instant, count: Int, first: Instant, last: Instant) {
            self.start = start
            self.count = count
            self.first = first
            self.last = last
        }

        public init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            start = Instant(seconds: try c.decode(Int64.self))
            count = try c.decode(Int.self)
            first = Instant(seconds: start.seconds + (try c.decode(Int64.self)))
            last = Instant(seconds: start.seconds + (try c.decode(Int64.self)))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(start.seconds)
            try c.encode(count)
            try c.encode(first.seconds - start.seconds)
            try c.encode(last.seconds - start.seconds)
        }
    }

    public init(
        function: String?, version: String?, kind: ErrorKind, type: String, message: String, frame: String?,
        quarters: [Quarter], undated: Int = 0, sample: ErrorSample, source: String
    ) {
        self.function = function
        self.version = version
        self.kind = kind
        self.type = type
        self.message = message
        self.frame = frame
        self.quarters = quarters
        self.undated = undated
        self.sample = sample
        self.source = source
    }

    /// Every event, dated or not.
    public var count: Int { quarters.reduce(undated) { $0 + $1.count } }

    /// The events whose quarter starts in `interval`, and the first and last of them.
    public func events(in interval: Range<Instant>) -> (count: Int, first: Instant?, last: Instant?) {
        var count = 0
        var first: Instant?
        var last: Instant?
        for quarter in quarters where interval.contains(quarter.start) {
            count += quarter.count
            first = min(first ?? quarter.first, quarter.first)
            last = max(last ?? quarter.last, quarter.last)
        }
        return (count, first, last)
    }
}

/// A file of a function's logs, and the span of its events: what says that the function's logs
/// were collected in a week even when they hold no error.
public struct LogFile: Codable, Sendable, Equatable {
    public var source: String
    public var function: String?
    public var first: Instant?
    public var last: Instant?

    public init(source: String, function: String?, first: Instant?, last: Instant?) {
        self.source = source
        self.function = function
        self.first = first
        self.last = last
    }
}
