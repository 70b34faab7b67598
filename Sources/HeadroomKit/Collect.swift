import Foundation
import HeadroomIngest
import HeadroomModel

/// What `scripts/collect-aws.sh` asks Headroom: the bounds of a week in the project's time zone,
/// and the CloudWatch requests for the catalog's metrics.
public enum Collect {
    /// The week named by `argument` (`2026-W47`, or `previous`: the last complete week as of `now`)
    /// and its half-open interval in the configuration's time zone, as UTC instants. `now` is only
    /// read for `previous`.
    public static func week(
        configuration path: String, argument: String, now: () throws(HeadroomError) -> Instant = Collect.now
    ) throws(HeadroomError) -> (week: ISOWeek, interval: Range<Instant>) {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let configuration = try ConfigurationLoader.load(from: url, display: path)
        let zone = configuration.zone
        let week: ISOWeek
        if argument == "previous" {
            week = ISOWeek.containing(try now(), in: zone).previous
        } else if let named = ISOWeek(argument) {
            week = named
        } else {
            throw HeadroomError(
                .usage, "'\(argument)' is not an ISO week", remedy: "give a week such as 2026-W47, or previous")
        }
        return (week, week.interval(in: zone))
    }

    /// The only clock Headroom reads: `SOURCE_DATE_EPOCH` (whole seconds since 1970, UTC) when it is
    /// set, as reproducible builds define it, and the system clock otherwise. It only decides which
    /// week is the previous one; a build reads no clock at all.
    public static func now() throws(HeadroomError) -> Instant {
        try now(environment: ProcessInfo.processInfo.environment, clock: Date())
    }

    static func now(environment: [String: String], clock: @autoclosure () -> Date) throws(HeadroomError) -> Instant {
        guard let text = environment["SOURCE_DATE_EPOCH"] else {
            return Instant(seconds: Int64(clock().timeIntervalSince1970.rounded(.down)))
        }
        guard let seconds = Int64(text), (0...253_402_300_799).contains(seconds) else {
            throw HeadroomError(
                .usage, "SOURCE_DATE_EPOCH is '\(text)', not a number of seconds since 1970",
                remedy: "set it to whole seconds such as 1764547200, or unset it to use the system clock")
        }
        return Instant(seconds: seconds)
    }

    /// The `get-metric-data` requests for `week`, from `aws cloudwatch list-metrics` outputs.
    public static func queries(
        configuration path: String, week argument: String, listMetrics paths: [String], period: Int
    ) throws(HeadroomError) -> (week: ISOWeek, requests: [MetricQueries.Request]) {
        let (week, interval) = try self.week(configuration: path, argument: argument)
        guard period >= 60, period % 60 == 0 else {
            throw HeadroomError(.usage, "--period must be a multiple of 60 seconds, found \(period)")
        }
        var files: [(data: Data, display: String)] = []
        // Named on the command line, so anywhere; still only regular files.
        for path in paths { files.append((try Sources.load(path, display: path, root: "/"), path)) }
        let requests = try MetricQueries.requests(
            listMetrics: files, catalog: try CatalogLoader.builtIn(), interval: interval, period: period)
        return (week, requests)
    }

    /// The catalog's namespaces, in catalog order.
    public static func namespaces() throws(HeadroomError) -> [String] {
        try CatalogLoader.builtIn().namespaces.map(\.namespace)
    }
}
