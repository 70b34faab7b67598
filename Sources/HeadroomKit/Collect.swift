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
        try week(in: try load(path), argument: argument, now: now)
    }

    static func load(_ path: String) throws(HeadroomError) -> Configuration {
        try ConfigurationLoader.load(from: URL(fileURLWithPath: path).standardizedFileURL, display: path)
    }

    static func week(
        in configuration: Configuration, argument: String, now: () throws(HeadroomError) -> Instant
    ) throws(HeadroomError) -> (week: ISOWeek, interval: Range<Instant>) {
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

    /// The `aws athena start-query-execution --cli-input-json` request for the week's cost from the
    /// export table of `cost.athena`: a day's cost by account, region, service and resource (and,
    /// for CUR 2.0, by usage type and operation, which the Lambda estimate reconciles with), in the
    /// export's own column names, for the days of the ISO week (UTC dates, as the bill and Cost
    /// Explorer count them). `AthenaResults` reads what `get-query-results` returns.
    public static func athenaRequest(
        configuration path: String, week argument: String, now: () throws(HeadroomError) -> Instant = Collect.now
    ) throws(HeadroomError) -> (week: ISOWeek, request: Data) {
        let configuration = try load(path)
        guard let athena = configuration.cost.athena else {
            throw HeadroomError(
                .usage, file: path, "headroom.yml has no cost.athena: the export table to query",
                remedy: "add cost: {athena: {database: DB, table: TABLE, export: focus}} (or export: cur2)")
        }
        let (week, _) = try self.week(in: configuration, argument: argument, now: now)
        let request = AthenaRequest(
            QueryString: athenaQuery(athena, from: week.mondayDays, to: week.mondayDays + 7),
            QueryExecutionContext: .init(Database: athena.database), WorkGroup: athena.workgroup,
            ResultConfiguration: athena.outputLocation.map { .init(OutputLocation: $0) })
        return (week, (try? JSONEncoder.stable.encode(request)) ?? Data())
    }

    /// What the request sets of StartQueryExecution's input, by botocore's names.
    struct AthenaRequest: Encodable {
        struct Context: Encodable { var Database: String }
        struct Result: Encodable { var OutputLocation: String }
        var QueryString: String
        var QueryExecutionContext: Context
        var WorkGroup: String
        var ResultConfiguration: Result?
    }

    /// The SQL for the days `start` (inclusive) to `end` (exclusive), as days since 1970. The
    /// database and table are quoted, and `ConfigurationLoader` allows no quote in them.
    static func athenaQuery(_ athena: Configuration.AthenaTable, from start: Int64, to end: Int64) -> String {
        func day(_ days: Int64) -> String {
            "timestamp '" + Instant(seconds: days * 86_400).description.prefix(10) + " 00:00:00'"
        }
        let table = "\"\(athena.database)\".\"\(athena.table)\""
        switch athena.export {
        case .focus:
            return """
                SELECT date_trunc('day', chargeperiodstart) AS chargeperiodstart,
                  date_trunc('day', chargeperiodstart) + interval '1' day AS chargeperiodend,
                  subaccountid, regionid, servicename, resourceid, chargecategory, billingcurrency,
                  sum(billedcost) AS billedcost, sum(effectivecost) AS effectivecost
                FROM \(table)
                WHERE chargeperiodstart >= \(day(start)) AND chargeperiodstart < \(day(end))
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
                ORDER BY 1, 3, 4, 5, 6, 7, 8
                """
        case .cur2:
            return """
                SELECT date_trunc('day', line_item_usage_start_date) AS line_item_usage_start_date,
                  date_trunc('day', line_item_usage_start_date) + interval '1' day AS line_item_usage_end_date,
                  line_item_usage_account_id, product_region_code, line_item_product_code, line_item_usage_type,
                  line_item_operation, line_item_resource_id, line_item_line_item_type, pricing_unit,
                  line_item_currency_code,
                  sum(line_item_usage_amount) AS line_item_usage_amount,
                  sum(line_item_unblended_cost) AS line_item_unblended_cost
                FROM \(table)
                WHERE line_item_usage_start_date >= \(day(start)) AND line_item_usage_start_date < \(day(end))
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
                ORDER BY 1, 3, 4, 5, 6, 7, 8, 9, 10, 11
                """
        }
    }

    /// The catalog's namespaces, in catalog order.
    public static func namespaces() throws(HeadroomError) -> [String] {
        try CatalogLoader.builtIn().namespaces.map(\.namespace)
    }
}
