import Foundation

/// Lambda's on-demand prices (`builtin/lambda-prices.yml`, or a project's override).
public struct LambdaPriceTable: Sendable, Equatable {
    public var version: String
    public var currency: String
    public var requestsPerMillion: Decimal
    /// Architecture (`x86_64`, `arm64`) → tiers by GB-seconds in the month, cheapest last.
    public var duration: [String: [Tier]]
    public var ephemeralStoragePerGBSecond: Decimal
    /// Architecture → price per GB-second of allocated provisioned concurrency, and of duration
    /// on provisioned instances.
    public var provisionedConcurrency: [String: Decimal]
    public var provisionedDuration: [String: Decimal]
    public var freeRequests: Decimal
    public var freeGBSeconds: Decimal
    /// The file the prices come from.
    public var source: String

    public struct Tier: Sendable, Equatable {
        /// The tier applies up to this many GB-seconds in the month; nil for the last tier.
        public var upTo: Decimal?
        public var pricePerGBSecond: Decimal
        public init(upTo: Decimal?, pricePerGBSecond: Decimal) {
            self.upTo = upTo
            self.pricePerGBSecond = pricePerGBSecond
        }
    }

    public init(
        version: String, currency: String, requestsPerMillion: Decimal, duration: [String: [Tier]],
        ephemeralStoragePerGBSecond: Decimal, provisionedConcurrency: [String: Decimal] = [:],
        provisionedDuration: [String: Decimal] = [:], freeRequests: Decimal, freeGBSeconds: Decimal, source: String
    ) {
        self.provisionedConcurrency = provisionedConcurrency
        self.provisionedDuration = provisionedDuration
        self.version = version
        self.currency = currency
        self.requestsPerMillion = requestsPerMillion
        self.duration = duration
        self.ephemeralStoragePerGBSecond = ephemeralStoragePerGBSecond
        self.freeRequests = freeRequests
        self.freeGBSeconds = freeGBSeconds
        self.source = source
    }
}
