import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

@Suite struct CostWeekTests {
    static let week = ISOWeek(year: 2026, week: 47)

    static func day(
        _ date: String, _ service: String, _ amount: String, metric: String = "UnblendedCost",
        file: String = "a.json", estimated: Bool = false, days: Int64 = 1
    ) -> CostRecord {
        let parts = date.split(separator: "-").map { Int64($0)! }
        let start = Instant(seconds: Instant.days(year: parts[0], month: parts[1], day: parts[2]) * 86_400)
        return CostRecord(
            start: start, end: Instant(seconds: start.seconds + days * 86_400), metric: metric,
            amount: Decimal(exactly: amount)!, unit: "USD", groups: ["SERVICE": service], estimated: estimated,
            source: file)
    }

    /// A week whose Cost Explorer output lost its later pages: a service missing from it is not
    /// known, never 0 and never −100%.
    @Test func aServiceMissingFromACutShortWeekIsNotKnown() throws {
        let costs = [
            Self.day("2026-11-10", "AWS Lambda", "10", file: "w46.json"),
            Self.day("2026-11-10", "Amazon S3", "4", file: "w46.json"),
            Self.day("2026-11-17", "AWS Lambda", "11", file: "w47-page-1.json"),
        ]
        let complete = try #require(Analysis.costWeek(costs, week: Self.week, currency: "USD"))
        #expect(complete.services.map(\.current) == [11, 0])
        let cut = try #require(
            Analysis.costWeek(costs, week: Self.week, currency: "USD", incomplete: ["w47-page-1.json"]))
        #expect(cut.services.map(\.name) == ["AWS Lambda", "Amazon S3"])
        #expect(cut.services.map(\.current) == [11, nil])
        #expect(cut.services.map(\.previous) == [10, 4])
        #expect(cut.moversByAmount.map(\.name) == ["AWS Lambda"])
        // The week before is cut short instead: a service it lacks has no previous figure.
        let before = try #require(
            Analysis.costWeek(
                costs + [Self.day("2026-11-17", "Amazon SQS", "1", file: "w47-page-1.json")], week: Self.week,
                currency: "USD", incomplete: ["w46.json"]))
        #expect(before.services.first { $0.name == "Amazon SQS" }?.previous == nil)
    }

    @Test func sumsTheWeekAndTheWeekBeforeExactly() throws {
        let costs = [
            Self.day("2026-11-16", "AWS Lambda", "0.1"), Self.day("2026-11-22", "AWS Lambda", "0.2"),
            Self.day("2026-11-23", "AWS Lambda", "100"),  // the next week
            Self.day("2026-11-15", "AWS Lambda", "1.5"),  // the week before (Sunday)
            Self.day("2026-11-17", "Amazon S3", "5", estimated: true),
        ]
        let cost = try #require(Analysis.costWeek(costs, week: Self.week, currency: "USD"))
        #expect(cost.total == Decimal(exactly: "5.3"))  // 0.1 + 0.2 is 0.3 exactly in Decimal
        #expect(cost.previousTotal == Decimal(exactly: "1.5"))
        #expect(cost.services.map(\.name) == ["Amazon S3", "AWS Lambda"])
        #expect(cost.services[1].previous == Decimal(exactly: "1.5"))
        #expect(cost.services[0].previous == 0)
        #expect(cost.days == 3)
        #expect(cost.estimated)
    }

    @Test func countsADayFromOneFileOnlyAndSkipsMonthlyRecords() throws {
        let costs = [
            Self.day("2026-11-16", "AWS Lambda", "2", file: "cost-explorer.json"),
            Self.day("2026-11-16", "AWS Lambda", "2.0000001", file: "cur.csv"),
            // A second row of the same file adds.
            Self.day("2026-11-16", "AWS Lambda", "1", file: "cost-explorer.json"),
            Self.day("2026-11-01", "AWS Lambda", "60", days: 30),
        ]
        let cost = try #require(Analysis.costWeek(costs, week: Self.week, currency: "USD"))
        #expect(cost.total == 3)
    }

    @Test func prefersEffectiveCostAndTheConfiguredCurrency() throws {
        var euro = Self.day("2026-11-16", "AWS Lambda", "9")
        euro.unit = "EUR"
        let costs = [
            Self.day("2026-11-16", "AWS Lambda", "4", metric: "BilledCost"),
            Self.day("2026-11-16", "AWS Lambda", "3", metric: "EffectiveCost"), euro,
        ]
        let cost = try #require(Analysis.costWeek(costs, week: Self.week, currency: "USD"))
        #expect(cost.metric == "EffectiveCost")
        #expect(cost.total == 3)
        #expect(Analysis.costWeek(costs, week: Self.week.previous, currency: "USD") == nil)
    }

    @Test func monthToDateForecastAndUnitCosts() throws {
        // November 2026: the week's Sunday is the 22nd. 22 days of 1.00 each, plus October.
        var costs = (1...22).map { Self.day(String(format: "2026-11-%02d", $0), "AWS Lambda", "1") }
        costs.append(Self.day("2026-10-31", "AWS Lambda", "100"))
        let cost = try #require(Analysis.costWeek(costs, week: Self.week, currency: "USD"))
        #expect(cost.month == "2026-11")
        #expect(cost.monthToDate == 22)
        #expect(cost.monthForecast == 30)  // 22 ÷ 22 × 30 days
        let function = FunctionReport(
            name: "f", service: "s",
            current: FunctionWeek(
                invocations: 2_000_000, errors: 250_000, throttles: 0, errorRate: 12.5, p50: nil, p99: nil,
                peakConcurrency: nil, activeHours: 168),
            previous: nil, timeoutSeconds: nil, health: HealthStatus(level: .ok, reasons: []), signals: [], logs: nil,
            previousLogs: nil, sources: [],
            warnings: []
        )
        let unit = Analysis.withUnitCosts(cost, functions: [function])
        #expect(unit.lambdaCostPerMillionInvocations == Decimal(7) / 2)  // 7 USD this week ÷ 2 M invocations
        #expect(unit.costPerMillionSuccessfulInvocations == Decimal(7) / Decimal(1.75))
    }

    @Test func spikesAreJudgedAgainstTheSameWeekday() throws {
        // Four weeks of Thursdays at 10.00 and Mondays at 40.00 (a weekly batch), then this week:
        // Thursday 30.00 (a spike: +20.00, +200%), Monday 45.00 (not: only +12.5%), Friday 10.40
        // against 10.00 (+4%: below both thresholds).
        var costs: [CostRecord] = []
        for weeksBack in 1...4 {
            let monday = Self.week.mondayDays - Int64(weeksBack) * 7
            for (offset, amount) in [(0, "40"), (3, "10"), (4, "10")] {
                let (y, m, d) = Instant.civil(fromDays: monday + Int64(offset))
                costs.append(Self.day(String(format: "%04d-%02d-%02d", y, m, d), "AWS Lambda", amount))
            }
        }
        costs += [
            Self.day("2026-11-16", "AWS Lambda", "45"), Self.day("2026-11-19", "AWS Lambda", "30"),
            Self.day("2026-11-20", "AWS Lambda", "10.40"),
        ]
        let cost = try #require(Analysis.costWeek(costs, week: Self.week, currency: "USD"))
        #expect(cost.spikes == [CostWeek.Spike(service: "AWS Lambda", day: "2026-11-19", amount: 30, baseline: 10)])
        let strict = Configuration.CostRules(spikePercent: 300, spikeMinimum: 1)
        #expect(Analysis.costWeek(costs, week: Self.week, currency: "USD", rules: strict)?.spikes.isEmpty == true)
    }

    @Test func aWeekAcrossAMonthBoundary() throws {
        // 2026-W49 runs from Monday 30 November to Sunday 6 December: the week has 7 days of cost,
        // December to date only 6 of them.
        let week = ISOWeek(year: 2026, week: 49)
        let costs = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]
            .map { Self.day($0, "AWS Lambda", "2.50") }
        let cost = try #require(Analysis.costWeek(costs, week: week, currency: "USD"))
        #expect(cost.total == Decimal(exactly: "17.5"))
        #expect(cost.month == "2026-12")
        #expect(cost.monthToDate == 15)
        #expect(cost.monthForecast == Decimal(15) / 6 * 31)
    }
}

/// The monthly trend: monthly records where a month has them, else its daily ones with the days
/// counted; each checked against sums written out by hand.
@Suite struct CostMonthTests {
    static func days(_ text: String) -> Int64 {
        let parts = text.split(separator: "-").map { Int64($0)! }
        return Instant.days(year: parts[0], month: parts[1], day: parts[2])
    }
    static func day(_ text: String) -> Instant { Instant(seconds: days(text) * 86_400) }

    static func record(
        _ start: String, _ end: String, _ service: String, _ amount: String, unit: String = "USD",
        metric: String = "UnblendedCost", source: String = "a.json"
    ) -> CostRecord {
        CostRecord(
            start: day(start), end: day(end), metric: metric, amount: Decimal(string: amount)!, unit: unit,
            groups: ["SERVICE": service], source: source)
    }

    @Test func monthlyRecordsWinAndDailyOnesCountTheirDays() {
        let costs = [
            // September from monthly records; the same month and service in a later file is ignored.
            Self.record("2026-09-01", "2026-10-01", "Lambda", "400.10"),
            Self.record("2026-09-01", "2026-10-01", "DynamoDB", "0.0000001"),
            Self.record("2026-09-01", "2026-10-01", "Lambda", "999", source: "b.json"),
            // October: three days of daily records (and one in EUR, which is another currency).
            Self.record("2026-10-01", "2026-10-02", "Lambda", "10.01"),
            Self.record("2026-10-02", "2026-10-03", "Lambda", "10.02"),
            Self.record("2026-10-31", "2026-11-01", "DynamoDB", "3.3"),
            Self.record("2026-10-05", "2026-10-06", "Lambda", "77", unit: "EUR"),
            // November: the month so far as a monthly record, plus daily records it stands for.
            Self.record("2026-11-01", "2026-11-20", "Lambda", "190"),
            Self.record("2026-11-02", "2026-11-03", "Lambda", "10"),
            // December is after the report week's Sunday (22 Nov).
            Self.record("2026-12-01", "2026-12-02", "Lambda", "5"),
        ]
        let months = Analysis.costMonths(costs, through: Self.days("2026-11-22"), currency: "USD")
        #expect(months.map(\.month) == ["2026-09", "2026-10", "2026-11"])
        #expect(months[0].amount == Decimal(string: "400.1000001")! && months[0].basis == .monthly)
        #expect(months[0].days == 30 && months[0].daysInMonth == 30)
        #expect(months[1].amount == Decimal(string: "23.33")! && months[1].basis == .daily)
        #expect(months[1].days == 3 && months[1].daysInMonth == 31)
        #expect(months[2].amount == 190 && months[2].basis == .monthly && months[2].days == 19)
        // Nothing in the currency: no months, never a row of zeros.
        #expect(Analysis.costMonths(costs, through: Self.days("2026-11-22"), currency: "JPY").isEmpty)
    }
}
