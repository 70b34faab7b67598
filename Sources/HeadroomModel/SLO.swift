/// A free-form value read from a document (an OpenSLO metric source's `spec`, for instance).
public indirect enum DataValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case text(String)
    case list([DataValue])
    case map([DataEntry])

    public subscript(key: String) -> DataValue? {
        if case .map(let entries) = self { return entries.first { $0.key == key }?.value }
        return nil
    }

    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}

public struct DataEntry: Codable, Sendable, Equatable {
    public var key: String
    public var value: DataValue
    public init(key: String, value: DataValue) {
        self.key = key
        self.value = value
    }
}

/// Where an OpenSLO indicator's numbers come from: `metricSource` with a type
/// (`CloudWatch`, `Prometheus`, …) and a type-specific spec.
public struct MetricSource: Codable, Sendable, Equatable {
    public var type: String
    public var ref: String?
    public var spec: DataValue

    public init(type: String, ref: String? = nil, spec: DataValue) {
        self.type = type
        self.ref = ref
        self.spec = spec
    }
}

/// An OpenSLO v1 SLI.
public struct ServiceLevelIndicator: Codable, Sendable, Equatable {
    public enum Kind: Codable, Sendable, Equatable {
        /// good ÷ total, or 1 − bad ÷ total.
        case ratio(good: MetricSource?, bad: MetricSource?, total: MetricSource, counter: Bool?)
        /// A precomputed ratio; `rawType` is `success` or `failure`.
        case rawRatio(rawType: String, raw: MetricSource)
        /// A value compared with each objective's `op` and `value`.
        case threshold(MetricSource)
    }

    public var name: String
    public var displayName: String?
    public var kind: Kind
    public var source: String
    public var line: Int?

    public init(name: String, displayName: String? = nil, kind: Kind, source: String, line: Int? = nil) {
        self.name = name
        self.displayName = displayName
        self.kind = kind
        self.source = source
        self.line = line
    }
}

/// The time window of an SLO: rolling (the last N units) or calendar-aligned.
public struct SLOWindow: Codable, Sendable, Equatable {
    public enum Unit: String, Codable, Sendable, Equatable {
        case minute = "m", hour = "h", day = "d", week = "w", month = "M", quarter = "Q", year = "Y"

        /// The most of this unit a window or time slice may count: a year (366 days), the history
        /// Headroom keeps. A longer window could never be filled, and would only cost time.
        public var maximumCount: Int {
            switch self {
            case .minute: 527_040
            case .hour: 8_784
            case .day: 366
            case .week: 52
            case .month: 12
            case .quarter: 4
            case .year: 1
            }
        }
    }
    public var count: Int
    public var unit: Unit
    public var isRolling: Bool
    /// `2026-11-01 00:00:00`, local to `timeZone`, for calendar windows.
    public var calendarStart: String?
    public var timeZone: String?

    public init(count: Int, unit: Unit, isRolling: Bool, calendarStart: String? = nil, timeZone: String? = nil) {
        self.count = count
        self.unit = unit
        self.isRolling = isRolling
        self.calendarStart = calendarStart
        self.timeZone = timeZone
    }

    /// The length in seconds for fixed units; nil for months, quarters and years.
    public var fixedSeconds: Int? {
        switch unit {
        case .minute: count * 60
        case .hour: count * 3600
        case .day: count * 86_400
        case .week: count * 604_800
        case .month, .quarter, .year: nil
        }
    }
}

public enum BudgetingMethod: String, Codable, Sendable, Equatable, CaseIterable {
    case occurrences = "Occurrences"
    case timeslices = "Timeslices"
    case ratioTimeslices = "RatioTimeslices"
}

public struct SLOObjective: Codable, Sendable, Equatable {
    public var displayName: String?
    /// `lt`, `lte`, `gt`, `gte`, for threshold indicators.
    public var op: String?
    public var value: Double?
    /// As a fraction in [0, 1), whether written as `target` or `targetPercent`.
    public var target: Double
    public var timeSliceTarget: Double?
    public var timeSliceWindowSeconds: Int?

    public init(
        displayName: String? = nil, op: String? = nil, value: Double? = nil, target: Double,
        timeSliceTarget: Double? = nil, timeSliceWindowSeconds: Int? = nil
    ) {
        self.displayName = displayName
        self.op = op
        self.value = value
        self.target = target
        self.timeSliceTarget = timeSliceTarget
        self.timeSliceWindowSeconds = timeSliceWindowSeconds
    }
}

/// An OpenSLO v1 SLO. The indicator is inline or named (`indicatorRef`), resolved by analysis
/// against the SLIs of every file.
public struct ServiceLevelObjective: Codable, Sendable, Equatable {
    public enum Indicator: Codable, Sendable, Equatable {
        case inline(ServiceLevelIndicator)
        case reference(String)
    }

    public var name: String
    public var displayName: String?
    public var description: String?
    public var service: String?
    public var indicator: Indicator
    public var window: SLOWindow
    public var budgeting: BudgetingMethod
    public var objectives: [SLOObjective]
    public var source: String
    public var line: Int?

    public init(
        name: String, displayName: String? = nil, description: String? = nil, service: String? = nil,
        indicator: Indicator, window: SLOWindow, budgeting: BudgetingMethod, objectives: [SLOObjective],
        source: String, line: Int? = nil
    ) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.service = service
        self.indicator = indicator
        self.window = window
        self.budgeting = budgeting
        self.objectives = objectives
        self.source = source
        self.line = line
    }
}

/// An OpenSLO v1 Service.
public struct SLOService: Codable, Sendable, Equatable {
    public var name: String
    public var displayName: String?
    public var description: String?
    public var source: String

    public init(name: String, displayName: String? = nil, description: String? = nil, source: String) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.source = source
    }
}
