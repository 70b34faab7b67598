import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

@Suite struct ServiceAssignmentTests {
    @Test func byPatternOrByEveryTag() {
        let services: [Configuration.Service] = [
            .init(name: "checkout", match: ["checkout-*"]),
            .init(name: "payments", match: [], tags: ["team": "payments", "env": "prod"]),
        ]
        #expect(Analysis.serviceName(for: "checkout-api", services: services) == "checkout")
        #expect(
            Analysis.serviceName(for: "psp", tags: ["team": "payments", "env": "prod", "x": "y"], services: services)
                == "payments")
        // Every tag must match.
        #expect(Analysis.serviceName(for: "psp", tags: ["team": "payments"], services: services) == "Unassigned")
        #expect(Analysis.serviceName(for: "other", services: services) == "Unassigned")
    }
}

@Suite struct GlobTests {
    @Test func matches() {
        #expect(Glob("checkout-*").matches("checkout-api"))
        #expect(Glob("checkout-*").matches("checkout-"))
        #expect(!Glob("checkout-*").matches("payment-checkout-api"))
        #expect(Glob("*-api").matches("orders-api"))
        #expect(Glob("a?c").matches("abc"))
        #expect(!Glob("a?c").matches("ac"))
        #expect(Glob("*a*b*c*").matches("xxaxxbxxcxx"))
        #expect(!Glob("*a*b*c*").matches("xxcxxbxxaxx"))
        #expect(Glob("exact").matches("exact"))
        #expect(!Glob("exact").matches("exactly"))
        #expect(Glob("*").matches(""))
    }
}

@Suite struct WeeklyFiguresTests {
    static let zone = "Europe/Berlin"
    static let week = ISOWeek(year: 2026, week: 47)
    static var interval: Range<Instant> { week.interval(in: TimeZone(identifier: zone)!) }

    static func lambda(
        _ function: String, _ metric: String, _ stat: String, period: Int = 3600, _ points: [(Int64, Double)]
    )
        -> MetricSeries
    {
        MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: "AWS/Lambda", metricName: metric,
                    dimensions: [MetricDimension(name: "FunctionName", value: function)],
                    stat: stat, period: period)),
            label: "\(function) \(metric)", points: points.map { Point(time: Instant(seconds: $0.0), value: $0.1) },
            source: "snapshots/\(function).json")
    }

    /// Hour `h` of the report week (0 = Monday 00:00 Berlin).
    static func hour(_ h: Int64) -> Int64 { interval.lowerBound.seconds + h * 3600 }

    func report(_ series: [MetricSeries], services: [Configuration.Service] = [], week: ISOWeek? = nil) -> Report {
        Analysis.report(
            Dataset(series: series),
            configuration: Configuration(timeZone: Self.zone, week: week, services: services))
    }

    @Test func computesWeeklyFiguresFromHourlySeries() throws {
        let series = [
            Self.lambda(
                "orders-api", "Invocations", "Sum", [(Self.hour(0), 100), (Self.hour(1), 300), (Self.hour(167), 600)]),
            Self.lambda("orders-api", "Errors", "Sum", [(Self.hour(0), 1), (Self.hour(1), 0), (Self.hour(167), 2)]),
            Self.lambda("orders-api", "Throttles", "Sum", [(Self.hour(1), 4)]),
            Self.lambda(
                "orders-api", "Duration", "p99", [(Self.hour(0), 120), (Self.hour(1), 480.5), (Self.hour(167), 200)]),
            // A point just before the week (Sunday 23:00 Berlin of W46) must not count.
            Self.lambda("orders-api", "ConcurrentExecutions", "Maximum", [(Self.hour(-1), 99), (Self.hour(1), 7)]),
        ]
        let report = report(series)
        #expect(report.week?.week == Self.week)
        #expect(report.week?.hours == 168)
        let function = try #require(report.functions.first)
        #expect(function.current.invocations == 1000)
        #expect(function.current.errors == 3)
        #expect(function.current.errorRate == 0.3)
        #expect(function.current.throttles == 4)
        #expect(function.current.p99 == WeeklyPercentile(value: 480.5, exact: false))
        #expect(function.current.peakConcurrency == 7)
        #expect(function.current.activeHours == 3)
        #expect(function.previous?.invocations == nil)  // nothing in W46 but a concurrency point
        #expect(function.sources == ["snapshots/orders-api.json"])
    }

    @Test func prefersTheWholeWeekPercentileAndNeverDoubleCountsSums() throws {
        let weekSeconds = Int(Self.interval.upperBound.seconds - Self.interval.lowerBound.seconds)
        let series = [
            Self.lambda("f", "Invocations", "Sum", [(Self.hour(0), 10), (Self.hour(5), 20)]),
            Self.lambda("f", "Invocations", "Sum", period: weekSeconds, [(Self.hour(0), 30)]),
            Self.lambda("f", "Duration", "p99", [(Self.hour(0), 900), (Self.hour(5), 100)]),
            Self.lambda("f", "Duration", "p99", period: weekSeconds, [(Self.hour(0), 640)]),
        ]
        let function = try #require(report(series).functions.first)
        #expect(function.current.invocations == 30)
        #expect(function.current.p99 == WeeklyPercentile(value: 640, exact: true))
    }

    @Test func gapsStayUnknownNeverZero() throws {
        let series = [
            Self.lambda("quiet", "Invocations", "Sum", [(Self.hour(3), 5)]),
            Self.lambda("quiet", "Errors", "Sum", []),
            Self.lambda("busy", "Invocations", "Sum", [(Self.hour(3), 0)]),
            Self.lambda("busy", "Errors", "Sum", [(Self.hour(3), 0)]),
        ]
        let report = report(series)
        let quiet = try #require(report.functions.first { $0.name == "quiet" })
        #expect(quiet.current.errors == nil)
        #expect(quiet.current.errorRate == nil)
        #expect(quiet.current.p99 == nil)
        let busy = try #require(report.functions.first { $0.name == "busy" })
        #expect(busy.current.invocations == 0)
        #expect(busy.current.errorRate == nil)  // 0 ÷ 0 is not a rate
    }

    @Test func groupsFunctionsIntoServicesInConfigurationOrder() {
        let series = ["checkout-api", "payment-capture", "search", "checkout-worker"].map {
            Self.lambda($0, "Invocations", "Sum", [(Self.hour(0), 10)])
        }
        let report = report(
            series,
            services: [
                Configuration.Service(name: "payments", match: ["payment-*"]),
                Configuration.Service(name: "checkout", match: ["checkout-*", "payment-*"]),
                Configuration.Service(name: "empty", match: ["nothing-*"]),
            ])
        #expect(report.services.map(\.name) == ["payments", "checkout", "Unassigned"])
        #expect(report.services[1].functions.map(\.name) == ["checkout-api", "checkout-worker"])
        #expect(report.services[1].totals.invocations == 20)
        #expect(report.services[2].functions.map(\.name) == ["search"])
    }

    @Test func picksTheLatestWeekWithDataOrTheConfiguredOne() throws {
        let series = [
            Self.lambda("f", "Invocations", "Sum", [(Self.hour(-24 * 7), 10), (Self.hour(2), 20)])
        ]
        #expect(report(series).weeksWithData == [ISOWeek(year: 2026, week: 46), Self.week])
        #expect(report(series).week?.week == Self.week)
        let earlier = report(series, week: ISOWeek(year: 2026, week: 46))
        #expect(earlier.functions.first?.current.invocations == 10)
        #expect(report([]).week == nil)
    }

    @Test func ignoresSeriesThatAreNotPerFunction() {
        var aliased = Self.lambda("f", "Invocations", "Sum", [(Self.hour(0), 10)])
        aliased.identity = .metric(
            MetricStat(
                namespace: "AWS/Lambda", metricName: "Invocations",
                dimensions: [
                    MetricDimension(name: "FunctionName", value: "f"),
                    MetricDimension(name: "Resource", value: "f:live"),
                ],
                stat: "Sum", period: 3600))
        #expect(report([aliased]).functions.isEmpty)
    }
}

@Suite struct ActionItemTests {
    static let w45 = ISOWeek(year: 2026, week: 45)
    static let w46 = ISOWeek(year: 2026, week: 46)
    static let w47 = ISOWeek(year: 2026, week: 47)

    func note(_ week: ISOWeek, _ actions: [ActionItem]) -> Note {
        Note(week: week, path: "notes/\(week).md", authors: [], body: "", actions: actions)
    }

    func report(week: ISOWeek, notes: [Note]) -> Report {
        let zone = TimeZone(identifier: "UTC")!
        return Report(
            title: "t", week: ReportWeek(week: week, interval: week.interval(in: zone), timeZone: "UTC"),
            weeksWithData: [week], services: [], paths: [], cost: nil, lambdaEstimate: nil, slos: [], quotas: [],
            sources: [], notes: notes, warnings: [])
    }

    func item(_ title: String, due: Int64? = nil, done: Bool = false) -> ActionItem {
        ActionItem(title: title, owner: nil, due: due, done: done)
    }

    @Test func openItemsCarryOverUntilALaterNoteMarksThemDone() {
        // W47's Sunday is 22 Nov 2026.
        let sunday = Instant.days(year: 2026, month: 11, day: 22)
        let notes = [
            note(
                Self.w45,
                [item("alarm", due: sunday - 9), item("runbook", due: sunday + 1), item("breaker", done: true)]),
            note(Self.w46, [item("runbook", due: sunday + 1, done: true), item("retries", due: sunday)]),
            note(Self.w47, [item("reserve", due: sunday + 2)]),
            // A later week's note does not leak into W47's review.
            note(ISOWeek(year: 2026, week: 48), [item("alarm", done: true)]),
        ]
        let actions = report(week: Self.w47, notes: notes).actions
        // The runbook was closed in W46 and the breaker in W45: both gone. The alarm and the
        // retries are open and due by Sunday: overdue, carried over from their first week.
        #expect(actions.map(\.item.title) == ["alarm", "retries", "reserve"])
        #expect(actions.map(\.since) == [Self.w45, Self.w46, Self.w47])
        #expect(actions.map(\.overdue) == [true, true, false])
        // In W46's own review, the runbook is listed as done that week, and the breaker is not.
        let w46 = report(week: Self.w46, notes: notes).actions
        #expect(w46.map(\.item.title) == ["alarm", "runbook", "retries"])
        #expect(w46.first { $0.item.title == "runbook" }?.item.done == true)
        #expect(w46.first { $0.item.title == "runbook" }?.since == Self.w45)
    }
}

@Suite struct ConcurrentMapTests {
    @Test func keepsTheOrderAndThrowsTheFirstErrorByIndex() throws {
        let numbers = Array(0..<1000)
        #expect(try numbers.concurrentMap { $0 * 2 } == numbers.map { $0 * 2 })
        do {
            _ = try numbers.concurrentMap { number throws(HeadroomError) in
                if number % 300 == 299 { throw HeadroomError(.render, file: "\(number)", "fails") }
                return number
            }
            Issue.record("no error")
        } catch {
            #expect(error.file == "299")
        }
    }
}
