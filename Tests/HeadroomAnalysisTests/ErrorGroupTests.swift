import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

/// Grouping, fingerprint rules, the life cycle across weeks and the gate, on hand-made events.
@Suite struct ErrorGroupTests {
    static let zone = TimeZone(identifier: "UTC")!
    static let weeks = [45, 46, 47].map { ISOWeek(year: 2026, week: $0) }

    /// `count` events of `type` on `function`, an hour into the week's Tuesday.
    static func events(
        _ function: String, _ type: String, _ message: String, count: Int, week: ISOWeek, frame: String? = nil,
        kind: ErrorKind = .application, source: String = "a.json", version: String? = "$LATEST"
    ) -> ErrorEvents {
        let quarter = Instant(seconds: week.interval(in: zone).lowerBound.seconds + 86_400 + 3_600)
        return ErrorEvents(
            function: function, version: version, kind: kind, type: type, message: message, frame: frame,
            quarters: [
                ErrorEvents.Quarter(
                    start: quarter, count: count, first: quarter, last: Instant(seconds: quarter.seconds + 60))
            ],
            sample: ErrorSample(
                requestId: "r-\(function)", time: quarter, message: "DB_PASSWORD=hunter2 \(message)", stack: []),
            source: source)
    }

    static func logs(_ function: String, week: ISOWeek) -> LogFile {
        let interval = week.interval(in: zone)
        return LogFile(
            source: "logs-\(function).json", function: function, first: interval.lowerBound,
            last: Instant(seconds: interval.upperBound.seconds - 1))
    }

    static func configuration(_ edit: (inout Configuration) -> Void = { _ in }) -> Configuration {
        var configuration = Configuration()
        configuration.timeZone = "UTC"
        edit(&configuration)
        return configuration
    }

    /// Each week's report from the events and log files up to its end, then the life cycle.
    static func reports(_ dataset: Dataset, _ configuration: Configuration) -> [Report] {
        let reports = weeks.map { week in
            var configuration = configuration
            configuration.week = week
            var known = dataset
            known.errors = dataset.errors.filter {
                ($0.quarters.first?.start.seconds ?? 0) < week.interval(in: zone).upperBound.seconds
            }
            return Analysis.report(known, configuration: configuration)
        }
        return Analysis.weeks(reports, configuration: configuration)
    }

    @Test func theSameErrorWithOtherIdsIsOneGroupAndTwoMessagesTwo() {
        let w = Self.weeks[0]
        let dataset = Dataset(
            functions: [
                LambdaFunction(
                    name: "orders", packageType: "Zip", architecture: "x86_64", inVPC: false, layers: [],
                    environmentVariableNames: ["DB_PASSWORD"], source: "list.json")
            ],
            errors: [
                Self.events("orders", "KeyError", "'<value>'", count: 3, week: w, frame: "app.py in handle"),
                // The same group in another file and function, on another version.
                Self.events(
                    "billing", "KeyError", "'<value>'", count: 2, week: w, frame: "app.py in handle", source: "b.json",
                    version: "7"),
                // Another message of the same type: another group.
                Self.events(
                    "orders", "KeyError", "'<value>' in <n> rows", count: 1, week: w, frame: "app.py in handle"),
                // Another frame: another group.
                Self.events("orders", "KeyError", "'<value>'", count: 4, week: w, frame: "db.py in load"),
            ],
            logFiles: [Self.logs("orders", week: w), Self.logs("billing", week: w)])
        var configuration = Self.configuration()
        configuration.week = w
        let report = Analysis.report(dataset, configuration: configuration)
        #expect(report.errors.map(\.count) == [5, 4, 1])
        let first = report.errors[0]
        #expect(
            first.functions.map { "\($0.function)=\($0.count) \($0.versions)" } == [
                "orders=3 [\"$LATEST\"]", "billing=2 [\"7\"]",
            ])
        #expect(first.title == "KeyError: '<value>'")
        #expect(first.fingerprint == "KeyError | '<value>' | app.py in handle | application")
        #expect(first.id == Analysis.fnv1a(first.fingerprint) && first.id.count == 12)
        #expect(first.sources == ["a.json", "b.json"])
        // Environment values of the function's inventory never show.
        #expect(first.sample.message == "DB_PASSWORD=[redacted] '<value>'")
        #expect(report.errorLogFunctions == ["billing", "orders"])
        #expect(
            first.query
                == "fields @timestamp, @requestId, @logStream, @message\n| filter @message like \"KeyError\"\n| sort @timestamp desc\n| limit 100"
        )
        #expect(Set(report.errors.map(\.id)).count == 3)
    }

    @Test func fingerprintRulesNameTheirGroup() {
        let w = Self.weeks[0]
        let dataset = Dataset(errors: [
            Self.events("orders", "ConnectionError", "host <value> refused", count: 2, week: w),
            Self.events("orders", "ReadTimeout", "read timed out after <n> s", count: 3, week: w),
            Self.events("orders", "ValueError", "bad", count: 1, week: w),
        ])
        var configuration = Self.configuration {
            $0.errors.fingerprints = [
                Configuration.Fingerprint(
                    type: "ConnectionError", message: nil, function: nil, group: "Upstream unreachable",
                    origin: "headroom.yml:20"),
                Configuration.Fingerprint(
                    type: nil, message: "*timed out*", function: "orders", group: "Upstream unreachable",
                    origin: "headroom.yml:22"),
            ]
        }
        configuration.week = w
        let report = Analysis.report(dataset, configuration: configuration)
        #expect(report.errors.map(\.title) == ["Upstream unreachable", "ValueError: bad"])
        #expect(report.errors[0].count == 5 && report.errors[0].rule != nil)
        #expect(report.errors[0].fingerprint == "rule: Upstream unreachable")
    }

    @Test func resolvedOnlyWhereTheLogsWereReadAndBackAsRegressed() {
        let (w45, w46, w47) = (Self.weeks[0], Self.weeks[1], Self.weeks[2])
        // Seen in W45; W46's logs were read without it (resolved); back in W47 (regressed).
        let read = Dataset(
            errors: [
                Self.events("orders", "ValueError", "bad", count: 4, week: w45),
                Self.events("orders", "ValueError", "bad", count: 2, week: w47),
            ],
            logFiles: Self.weeks.map { Self.logs("orders", week: $0) })
        let reports = Self.reports(read, Self.configuration())
        #expect(reports.map { $0.errors.map(\.state) } == [[.new], [.resolved], [.regressed]])
        #expect(reports[1].errors[0].count == 0 && reports[1].errors[0].lastSeen == w45)
        #expect(reports[2].errors[0].history.map(\.count) == [4, 0])
        #expect(reports[2].changes.contains { $0.area == "Errors" && $0.text.hasPrefix("Back application error") })

        // The same, without W46's logs: not checked, and W47's events are the same group still open.
        var unread = read
        unread.logFiles.remove(at: 1)
        let open = Self.reports(unread, Self.configuration())
        #expect(open.map { $0.errors.map(\.state) } == [[.new], [.unchecked], [.recurring]])
        #expect(open[2].errors[0].history.map(\.count) == [4, nil])
        #expect(open[2].errors[0].since == w45)
    }

    @Test func mutesHoldUntilTheyExpire() {
        let dataset = Dataset(
            errors: Self.weeks.map { Self.events("orders", "ValueError", "bad", count: 1, week: $0) },
            logFiles: Self.weeks.map { Self.logs("orders", week: $0) })
        let sunday46 = Self.weeks[1].mondayDays + 6
        let reports = Self.reports(
            dataset,
            Self.configuration {
                $0.errors.mutes = [
                    Configuration.Mute(
                        rule: "error", resource: "ValueError*", reason: "known", owner: "ana", expires: sunday46)
                ]
            })
        #expect(reports.map { $0.errors.map(\.state) } == [[.muted], [.muted], [.recurring]])
        #expect(reports[2].errors[0].muteExpired)
    }

    @Test func theGateFailsOnNewGroupsOfTheKindsNamed() {
        let w = Self.weeks[0]
        let dataset = Dataset(
            errors: [
                Self.events(
                    "orders", "Task timed out", "Task timed out after <n> seconds", count: 2, week: w, kind: .timeout),
                Self.events("orders", "ValueError", "bad", count: 1, week: w),
            ],
            logFiles: [Self.logs("orders", week: w)])
        let report = Self.reports(dataset, Self.configuration())[0]
        let gates = Analysis.gates(
            [
                Configuration.Gate(name: "timeouts", condition: .newErrorGroup([.timeout])),
                Configuration.Gate(name: "any", condition: .newErrorGroup([])),
                Configuration.Gate(name: "permission", condition: .newErrorGroup([.permission])),
            ], report: report)
        #expect(gates.map(\.failures.count) == [1, 2, 0])
        #expect(gates[0].failures[0].hasPrefix("timeout error group "))
    }

    @Test func theQueryUsesTheLongestConstantPart() {
        #expect(Analysis.constantPart("Payment <n> failed for order <uuid>: card declined") == "failed for order")
        #expect(Analysis.constantPart("'<value>'") == nil)
        #expect(
            Analysis.insightsQuery(type: "logged error", message: "Payment <n> failed for order <uuid>", rule: nil)
                == "fields @timestamp, @requestId, @logStream, @message\n| filter @message like \"failed for order\"\n| sort @timestamp desc\n| limit 100"
        )
    }
}
