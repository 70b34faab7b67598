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
