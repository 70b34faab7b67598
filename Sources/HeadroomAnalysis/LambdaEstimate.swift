import Foundation
import HeadroomModel

/// Lambda's cost for the report week estimated from usage, and its reconciliation with the bill.
public struct LambdaEstimate: Sendable, Equatable, Codable {
    public var priceVersion: String
    public var priceSource: String
    public var currency: String
    public var requests: Decimal
    /// Architecture → GB-seconds: Duration Sum (s) × memory (GB), per function.
    public var gbSeconds: [String: Decimal]
    /// GB-seconds of ephemeral storage above the free 512 MB.
    public var ephemeralGBSeconds: Decimal
    public var requestCost: Decimal
    /// Architecture → duration cost at the tiered price.
    public var durationCost: [String: Decimal]
    public var ephemeralCost: Decimal
    /// Architecture → GB-seconds of allocated provisioned concurrency over the week, its cost, and
    /// the GB-seconds of duration on provisioned instances with their cost.
    public var provisionedGBSeconds: [String: Decimal]
    public var provisionedCost: [String: Decimal]
    public var provisionedDurationGBSeconds: [String: Decimal]
    public var provisionedDurationCost: [String: Decimal]
    /// Assumptions worth a reader's attention.
    public var notes: [String]
    /// The week's share of the monthly free tier, deducted (0 when `freeTier: false`).
    public var freeTierCredit: Decimal
    public var total: Decimal
    /// Functions left out: no Duration Sum this week, or no memory size in the inventory.
    public var missing: [String]
    /// The bill's Lambda cost this week (services named like "Lambda"), when there is cost data.
    public var billed: Decimal?
    /// billed − total, and that as a % of the bill.
    public var difference: Decimal?
    public var differencePercent: Decimal?
    /// The bill's amounts this week include Cost Explorer estimates.
    public var billEstimated: Bool
    /// Each function's share of the estimate, most expensive first.
    public var functions: [FunctionCost] = []

    /// One function's share: its requests at the request price, its GB-seconds at its
    /// architecture's average tiered price (duration cost ÷ GB-seconds), its provisioned
    /// GB-seconds and provisioned duration at their prices, and its ephemeral storage. The free
    /// tier is not shared out, so the shares add up to `total + freeTierCredit`.
    public struct FunctionCost: Sendable, Equatable, Codable {
        public var name: String
        public var architecture: String
        public var requests: Decimal
        public var gbSeconds: Decimal
        public var cost: Decimal
    }
}

/// One function's usage in the week, for the estimate.
struct LambdaUsage {
    var name: String
    var invocations: Double?
    var durationMilliseconds: Double?
    /// Invocations served by provisioned instances (ProvisionedConcurrencyInvocations, Sum).
    var provisionedInvocations: Double?
    /// Allocated provisioned concurrency over the function's aliases and versions.
    var provisioned: Int
    var function: LambdaFunction?
}

extension Analysis {
    /// The estimate. Rules:
    /// - Requests: the week's Invocations. GB-seconds: the week's Duration Sum ÷ 1,000 × memory
    ///   (MB) ÷ 1,024, per function, by architecture (from the inventory). CloudWatch's Duration
    ///   is not rounded up to the billed millisecond, so the estimate is slightly low.
    /// - Duration prices are tiered by the month's GB-seconds: the week is scaled to the month
    ///   (× days in the month ÷ 7), priced through the tiers, and scaled back.
    /// - Ephemeral storage above 512 MB is charged per GB-second of duration.
    /// - Free tier: the week's share (× 7 ÷ days in the month) of the monthly free requests and
    ///   GB-seconds, deducted at the request price and the first duration tier (x86_64 first).
    /// - Provisioned concurrency: the allocated environments (the latest configuration of each
    ///   alias or version) are assumed configured all week: environments × memory (GB) × the
    ///   week's seconds, at the provisioned price. The share of duration served by them
    ///   (ProvisionedConcurrencyInvocations ÷ Invocations) is priced at the provisioned duration
    ///   price instead of the on-demand tiers; without that metric all duration is on demand.
    /// - The month is that of the report week's Sunday. Money is Decimal; usage is converted
    ///   from the metric's floating point with 6 decimals.
    static func lambdaEstimate(
        _ functions: [LambdaUsage], prices: LambdaPriceTable, freeTier: Bool, week: ISOWeek, weekSeconds: Int = 604_800,
        cost: CostWeek?
    ) -> LambdaEstimate? {
        func decimal(_ value: Double) -> Decimal { Decimal(string: String(format: "%.6f", value)) ?? 0 }
        var requests: Decimal = 0
        var gbSeconds: [String: Decimal] = [:]
        var ephemeral: Decimal = 0
        var missing: [String] = []
        var notes: [String] = []
        var provisioned: [String: Decimal] = [:]
        var provisionedDuration: [String: Decimal] = [:]
        /// Per function: architecture, requests, on-demand, provisioned and provisioned-duration GB-s, ephemeral GB-s.
        var usage: [(String, String, Decimal, Decimal, Decimal, Decimal, Decimal)] = []
        for item in functions {
            guard let milliseconds = item.durationMilliseconds, let memory = item.function?.memoryMB,
                let architecture = item.function?.architecture, prices.duration[architecture] != nil
            else {
                if item.invocations ?? 0 > 0 { missing.append(item.name) }
                continue
            }
            requests += decimal(item.invocations ?? 0)
            let seconds = decimal(milliseconds) / 1000
            let gigabytes = Decimal(memory) / 1024
            var onDemand = seconds * gigabytes
            if item.provisioned > 0 {
                provisioned[architecture, default: 0] += Decimal(item.provisioned) * gigabytes * Decimal(weekSeconds)
                if let served = item.provisionedInvocations, let total = item.invocations, total > 0 {
                    let share = decimal(min(1, served / total))
                    provisionedDuration[architecture, default: 0] += onDemand * share
                    onDemand -= onDemand * share
                } else {
                    notes.append("\(item.name): duration priced on demand (no ProvisionedConcurrencyInvocations)")
                }
            }
            gbSeconds[architecture, default: 0] += onDemand
            var storageGBSeconds: Decimal = 0
            if let storage = item.function?.ephemeralStorageMB, storage > 512 {
                storageGBSeconds = seconds * Decimal(storage - 512) / 1024
                ephemeral += storageGBSeconds
            }
            usage.append(
                (
                    item.name, architecture, decimal(item.invocations ?? 0), onDemand,
                    Decimal(item.provisioned) * gigabytes * Decimal(weekSeconds),
                    seconds * gigabytes - onDemand, storageGBSeconds
                ))
        }
        guard !gbSeconds.isEmpty else { return nil }
        let (year, month, _) = Instant.civil(fromDays: week.mondayDays + 6)
        let next =
            month == 12
            ? Instant.days(year: year + 1, month: 1, day: 1) : Instant.days(year: year, month: month + 1, day: 1)
        let monthDays = Decimal(next - Instant.days(year: year, month: month, day: 1))
        let share = 7 / monthDays
        var durationCost: [String: Decimal] = [:]
        for (architecture, used) in gbSeconds {
            durationCost[architecture] = tiered(used / share, prices.duration[architecture]!) * share
        }
        let requestCost = requests / 1_000_000 * prices.requestsPerMillion
        let ephemeralCost = ephemeral * prices.ephemeralStoragePerGBSecond
        var provisionedCost: [String: Decimal] = [:]
        var provisionedDurationCost: [String: Decimal] = [:]
        for (architecture, used) in provisioned {
            guard let price = prices.provisionedConcurrency[architecture] else {
                notes.append("no provisioned concurrency price for \(architecture) in the price table")
                continue
            }
            provisionedCost[architecture] = used * price
        }
        for (architecture, used) in provisionedDuration {
            provisionedDurationCost[architecture] = used * (prices.provisionedDuration[architecture] ?? 0)
        }
        var credit: Decimal = 0
        if freeTier {
            credit += min(requests, prices.freeRequests * share) / 1_000_000 * prices.requestsPerMillion
            var free = prices.freeGBSeconds * share
            for architecture in ["x86_64", "arm64"] {
                guard let used = gbSeconds[architecture], let first = prices.duration[architecture]?.first else {
                    continue
                }
                let covered = min(used, free)
                credit += covered * first.pricePerGBSecond
                free -= covered
            }
        }
        let total =
            requestCost + durationCost.values.reduce(0, +) + ephemeralCost + provisionedCost.values.reduce(0, +)
            + provisionedDurationCost.values.reduce(0, +) - credit
        func portion(_ amount: Decimal?, _ used: Decimal, of all: Decimal?) -> Decimal {
            guard let amount, let all, all > 0 else { return 0 }
            return amount * used / all
        }
        var perFunction: [LambdaEstimate.FunctionCost] = []
        for (name, architecture, calls, onDemand, reserved, onReserved, storage) in usage {
            var cost = calls / 1_000_000 * prices.requestsPerMillion
            cost += portion(durationCost[architecture], onDemand, of: gbSeconds[architecture])
            cost += portion(provisionedCost[architecture], reserved, of: provisioned[architecture])
            cost += portion(provisionedDurationCost[architecture], onReserved, of: provisionedDuration[architecture])
            cost += storage * prices.ephemeralStoragePerGBSecond
            perFunction.append(
                LambdaEstimate.FunctionCost(
                    name: name, architecture: architecture, requests: calls, gbSeconds: onDemand + onReserved,
                    cost: cost))
        }
        perFunction.sort { $0.cost != $1.cost ? $0.cost > $1.cost : $0.name < $1.name }
        var estimate = LambdaEstimate(
            priceVersion: prices.version, priceSource: prices.source, currency: prices.currency, requests: requests,
            gbSeconds: gbSeconds, ephemeralGBSeconds: ephemeral, requestCost: requestCost, durationCost: durationCost,
            ephemeralCost: ephemeralCost, provisionedGBSeconds: provisioned, provisionedCost: provisionedCost,
            provisionedDurationGBSeconds: provisionedDuration, provisionedDurationCost: provisionedDurationCost,
            notes: notes.sorted(), freeTierCredit: credit, total: total, missing: missing.sorted(), billed: nil,
            difference: nil, differencePercent: nil, billEstimated: false, functions: perFunction)
        if let cost, cost.currency == prices.currency, cost.services.contains(where: { $0.name.contains("Lambda") }) {
            let billed = cost.services.filter { $0.name.contains("Lambda") }.compactMap(\.current).reduce(0, +)
            estimate.billed = billed
            estimate.difference = billed - total
            estimate.differencePercent = billed == 0 ? nil : (billed - total) / billed * 100
            estimate.billEstimated = cost.estimated
        }
        return estimate
    }

    /// The cost of `amount` GB-seconds through the tiers.
    static func tiered(_ amount: Decimal, _ tiers: [LambdaPriceTable.Tier]) -> Decimal {
        var cost: Decimal = 0
        var floor: Decimal = 0
        for tier in tiers {
            let ceiling = tier.upTo.map { min($0, amount) } ?? amount
            guard ceiling > floor else { break }
            cost += (ceiling - floor) * tier.pricePerGBSecond
            floor = ceiling
        }
        return cost
    }
}
