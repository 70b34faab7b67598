import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

@Suite struct CostBreakdownTests {
    static func record(_ date: String, _ groups: [String: String], _ amount: String, file: String) -> CostRecord {
        var record = CostWeekTests.day(date, "", amount, file: file)
        record.groups = groups
        return record
    }

    @Test func breaksTheWeekDownByAccountRegionTagAndFunction() throws {
        let lambdaARN = "arn:aws:lambda:eu-central-1:111122223333:function:orders-api"
        let costs = [
            Self.record("2026-11-16", ["SERVICE": "AWS Lambda"], "10", file: "a.json"),
            // A file grouped by tag only: no SERVICE, still broken down; untagged is named.
            Self.record("2026-11-16", ["TAG:team": "checkout"], "6", file: "b.json"),
            Self.record("2026-11-16", ["TAG:team": ""], "4", file: "b.json"),
            Self.record("2026-11-09", ["TAG:team": "checkout"], "5", file: "b.json"),
            // The same tag and day in a second file is not counted again.
            Self.record("2026-11-16", ["TAG:team": "checkout"], "6", file: "c.json"),
            // FOCUS-like rows: account, region and a Lambda resource id.
            Self.record(
                "2026-11-17", ["SERVICE": "AWS Lambda", "ACCOUNT": "111122223333", "RESOURCE": lambdaARN], "1.25",
                file: "d.csv"),
            Self.record(
                "2026-11-17", ["SERVICE": "Amazon S3", "LINKED_ACCOUNT": "111122223333", "REGION": "eu-central-1"],
                "0.75", file: "d.csv"),
        ]
        let cost = try #require(Analysis.costWeek(costs, week: CostWeekTests.week, currency: "USD"))
        #expect(cost.total == 12)  // 10 + 1.25 + 0.75: the tag-only rows are not services
        let byDimension = Dictionary(uniqueKeysWithValues: cost.breakdowns.map { ($0.dimension, $0.rows) })
        #expect(cost.breakdowns.map(\.dimension) == ["ACCOUNT", "FUNCTION", "REGION", "TAG:team"])
        #expect(byDimension["ACCOUNT"]?.map(\.current) == [2])
        #expect(byDimension["FUNCTION"]?.map(\.name) == ["orders-api"])
        #expect(byDimension["FUNCTION"]?.first?.current == Decimal(exactly: "1.25"))
        #expect(byDimension["REGION"]?.first?.current == Decimal(exactly: "0.75"))
        let team = try #require(byDimension["TAG:team"])
        #expect(team.map(\.name) == ["checkout", "(untagged)"])
        #expect(team.map(\.current) == [6, 4])
        #expect(team.map(\.previous) == [5, 0])
    }
}

/// The Lambda estimate, computed by hand from the price table.
@Suite struct LambdaEstimateTests {
    static let prices = LambdaPriceTable(
        version: "test", currency: "USD", requestsPerMillion: Decimal(exactly: "0.20")!,
        duration: [
            "x86_64": [
                .init(upTo: 1000, pricePerGBSecond: Decimal(exactly: "0.01")!),
                .init(upTo: nil, pricePerGBSecond: Decimal(exactly: "0.005")!),
            ],
            "arm64": [.init(upTo: nil, pricePerGBSecond: Decimal(exactly: "0.008")!)],
        ],
        ephemeralStoragePerGBSecond: Decimal(exactly: "0.001")!, freeRequests: 0, freeGBSeconds: 0, source: "p.yml")

    static func function(_ name: String, memory: Int, architecture: String, storage: Int? = nil) -> LambdaFunction {
        LambdaFunction(
            name: name, memoryMB: memory, architecture: architecture, ephemeralStorageMB: storage, source: "f.json")
    }

    static func usage(
        _ name: String, _ invocations: Double, _ duration: Double?, _ function: LambdaFunction,
        provisioned: Int = 0, provisionedInvocations: Double? = nil
    ) -> LambdaUsage {
        LambdaUsage(
            name: name, invocations: invocations, durationMilliseconds: duration,
            provisionedInvocations: provisionedInvocations, provisioned: provisioned, function: function)
    }

    @Test func pricesProvisionedConcurrencyAndTheDurationItServes() throws {
        var prices = Self.prices
        prices.provisionedConcurrency = ["x86_64": Decimal(exactly: "0.000004")!]
        prices.provisionedDuration = ["x86_64": Decimal(exactly: "0.002")!]
        let estimate = try #require(
            Analysis.lambdaEstimate(
                [
                    // 2 environments of 512 MB for a 604,800 s week = 604,800 GB-s; a quarter of the
                    // 400 GB-s of duration (800 s at 512 MB) ran on them.
                    Self.usage(
                        "p", 1000, 800_000, Self.function("p", memory: 512, architecture: "x86_64"), provisioned: 2,
                        provisionedInvocations: 250),
                    // Provisioned but without the invocations metric: all duration on demand, and said.
                    Self.usage(
                        "q", 10, 2_000, Self.function("q", memory: 1024, architecture: "x86_64"), provisioned: 1),
                ], prices: prices, freeTier: false, week: Self.week, cost: nil))
        #expect(Self.close(estimate.provisionedGBSeconds["x86_64"], 604_800 + 604_800))
        #expect(Self.close(estimate.provisionedCost["x86_64"], Decimal(1_209_600) * Decimal(exactly: "0.000004")!))
        #expect(estimate.provisionedDurationGBSeconds["x86_64"] == 100)
        #expect(Self.close(estimate.provisionedDurationCost["x86_64"], Decimal(exactly: "0.2")!))
        #expect(Self.close(estimate.gbSeconds["x86_64"], 300 + 2))
        #expect(estimate.notes == ["q: duration priced on demand (no ProvisionedConcurrencyInvocations)"])
    }

    /// 2026-W49 ends on Sunday 6 December: a 31-day month, so the week is 7/31 of it.
    static let week = ISOWeek(year: 2026, week: 49)

    /// Equal up to Decimal's rounding of repeating fractions (38 digits).
    static func close(_ a: Decimal?, _ b: Decimal) -> Bool {
        guard let a else { return false }
        return (a - b).magnitude < Decimal(string: "1e-25")!
    }

    @Test func pricesRequestsTieredDurationAndStorage() throws {
        let estimate = try #require(
            Analysis.lambdaEstimate(
                [
                    // 2,000,000 requests; 100,000 s at 1 GB = 100,000 GB-s x86_64, 1,536 MB storage.
                    Self.usage(
                        "a", 2_000_000, 100_000_000,
                        Self.function("a", memory: 1024, architecture: "x86_64", storage: 1536)),
                    // 50 s at 512 MB = 25 GB-s arm64.
                    Self.usage("b", 1_000_000, 50_000, Self.function("b", memory: 512, architecture: "arm64")),
                    // No Duration Sum: left out and named.
                    Self.usage("c", 10, nil, Self.function("c", memory: 128, architecture: "arm64")),
                ], prices: Self.prices, freeTier: false, week: Self.week, cost: nil))
        #expect(estimate.requests == 3_000_000)
        #expect(estimate.requestCost == Decimal(exactly: "0.6"))
        #expect(estimate.gbSeconds == ["x86_64": 100_000, "arm64": 25])
        // x86_64: the month is 100,000 × 31/7 GB-s; the first 1,000 at 0.01, the rest at 0.005,
        // scaled back by 7/31: (10 + (100,000 × 31/7 − 1,000) × 0.005) × 7/31 = 500 + 5 × 7/31 … exactly:
        let monthly = Decimal(100_000) / (Decimal(7) / 31)
        let expected = (Decimal(10) + (monthly - 1000) * Decimal(exactly: "0.005")!) * (Decimal(7) / 31)
        #expect(estimate.durationCost["x86_64"] == expected)
        #expect(
            estimate.durationCost["arm64"]! == Decimal(25) / (Decimal(7) / 31) * Decimal(exactly: "0.008")!
                * (Decimal(7) / 31))
        // Storage: 100,000 s × (1,536 − 512) / 1,024 GB = 100,000 GB-s at 0.001.
        #expect(estimate.ephemeralGBSeconds == 100_000)
        #expect(estimate.ephemeralCost == 100)
        #expect(estimate.missing == ["c"])
        #expect(Self.close(estimate.total, Decimal(exactly: "0.6")! + expected + Decimal(exactly: "0.2")! + 100))
        #expect(estimate.billed == nil)
        // Each function's share: its requests, its architecture's duration cost in proportion to its
        // GB-seconds (each is alone on its architecture, so all of it), and its own storage.
        #expect(estimate.functions.map(\.name) == ["a", "b"])
        #expect(Self.close(estimate.functions[0].cost, Decimal(exactly: "0.4")! + expected + 100))
        #expect(Self.close(estimate.functions[1].cost, Decimal(exactly: "0.2")! + Decimal(exactly: "0.2")!))
        #expect(estimate.functions[0].gbSeconds == 100_000 && estimate.functions[0].requests == 2_000_000)
    }

    @Test func functionSharesAddUpToTheEstimateBeforeTheFreeTier() throws {
        var prices = Self.prices
        prices.freeRequests = 1_000_000
        prices.freeGBSeconds = 400_000
        prices.provisionedConcurrency = ["x86_64": Decimal(exactly: "0.000004")!]
        prices.provisionedDuration = ["x86_64": Decimal(exactly: "0.002")!]
        let estimate = try #require(
            Analysis.lambdaEstimate(
                [
                    Self.usage("a", 3_000_000, 90_000_000, Self.function("a", memory: 1024, architecture: "x86_64")),
                    Self.usage("b", 1_000_000, 30_000_000, Self.function("b", memory: 512, architecture: "x86_64")),
                    Self.usage(
                        "c", 5_000, 700_000, Self.function("c", memory: 2048, architecture: "x86_64", storage: 2048),
                        provisioned: 1, provisionedInvocations: 1_000),
                    Self.usage("d", 42, 9_000, Self.function("d", memory: 128, architecture: "arm64")),
                ], prices: prices, freeTier: true, week: Self.week, cost: nil))
        #expect(estimate.freeTierCredit > 0)
        let shares = estimate.functions.map(\.cost).reduce(0, +)
        #expect(Self.close(shares, estimate.total + estimate.freeTierCredit))
        // x86_64's tiered duration cost is shared by on-demand GB-seconds: b has 30,000 s × 0.5 GB = 15,000
        // of the 90,000 + 15,000 + c's 1,120 (700 s × 2 GB, less the fifth served by provisioned instances).
        let b = try #require(estimate.functions.first { $0.name == "b" })
        let onDemand = try #require(estimate.gbSeconds["x86_64"])
        #expect(onDemand == 106_120)
        let duration = try #require(estimate.durationCost["x86_64"])
        #expect(Self.close(b.cost, Decimal(exactly: "0.2")! + duration * 15_000 / onDemand))
        #expect(estimate.functions.map(\.name) == ["a", "b", "c", "d"])
    }

    @Test func deductsTheWeeksShareOfTheFreeTierAndReconcilesWithTheBill() throws {
        var prices = Self.prices
        prices.freeRequests = 1_000_000
        prices.freeGBSeconds = 400_000
        let bill = CostWeek(
            metric: "UnblendedCost", currency: "USD", total: 50, previousTotal: nil,
            services: [
                .init(name: "AWS Lambda", current: 40, previous: nil),
                .init(name: "Amazon S3", current: 10, previous: nil),
            ],
            days: 7, estimated: true, month: "2026-12", monthToDate: 0, monthForecast: 0,
            lambdaCostPerMillionInvocations: nil, costPerMillionSuccessfulInvocations: nil, monthlyBudget: nil,
            spikes: [])
        let estimate = try #require(
            Analysis.lambdaEstimate(
                [Self.usage("a", 31_000_000, 3_100_000_000, Self.function("a", memory: 1024, architecture: "x86_64"))],
                prices: prices, freeTier: true, week: Self.week, cost: bill))
        // The week's share: 1,000,000 × 7/31 requests and 400,000 × 7/31 GB-s at the first tier.
        let share = Decimal(7) / 31
        let credit =
            1_000_000 * share / 1_000_000 * Decimal(exactly: "0.20")! + 400_000 * share * Decimal(exactly: "0.01")!
        #expect(Self.close(estimate.freeTierCredit, credit))
        #expect(estimate.billed == 40)
        #expect(estimate.difference == 40 - estimate.total)
        #expect(estimate.billEstimated)
    }
}

@Suite struct CostMoverTests {
    @Test func moversByAmountAndByShareOfASufficientBase() {
        let services: [CostWeek.Service] = [
            .init(name: "Lambda", current: 70, previous: 130),  // −60, −46 %
            .init(name: "API", current: 176, previous: 162),  // +14, +8.6 %
            .init(name: "KMS", current: 3, previous: 1),  // +2, +200 %, but a base under 10
            .init(name: "S3", current: 12, previous: 22),  // −10, −45.5 %
            .init(name: "SQS", current: 5, previous: 5),  // no change: left out
            .init(name: "New", current: 9, previous: nil),  // no week before: left out
        ]
        #expect(Analysis.movers(services, by: nil).map(\.name) == ["Lambda", "API", "S3", "KMS"])
        #expect(Analysis.movers(services, by: 10).map(\.name) == ["Lambda", "S3", "API"])
    }
}
