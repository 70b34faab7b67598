/// Everything known for the report, normalised: the input to analysis.
public struct Dataset: Sendable {
    public var series: [MetricSeries]
    public var sources: [SourceFile]
    public var notes: [Note]

    public init(series: [MetricSeries] = [], sources: [SourceFile] = [], notes: [Note] = []) {
        self.series = series
        self.sources = sources
        self.notes = notes
    }
}

/// One input file and what became of it.
public struct SourceFile: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case read(SourceFormat)
        /// Parseable, but in a format this version does not read.
        case unrecognised
        /// Invalid and skipped (only with `onInvalidInput: warn`).
        case invalid(String)
    }
    /// Relative to the project.
    public var path: String
    public var status: Status
    public var seriesCount: Int
    public var warnings: [String]

    public init(path: String, status: Status, seriesCount: Int = 0, warnings: [String] = []) {
        self.path = path
        self.status = status
        self.seriesCount = seriesCount
        self.warnings = warnings
    }
}

/// A team's Markdown note for one week, front matter already split off.
public struct Note: Sendable, Equatable {
    public var week: ISOWeek
    public var path: String
    public var authors: [String]
    /// The Markdown body, unrendered.
    public var body: String

    public init(week: ISOWeek, path: String, authors: [String], body: String) {
        self.week = week
        self.path = path
        self.authors = authors
        self.body = body
    }
}
