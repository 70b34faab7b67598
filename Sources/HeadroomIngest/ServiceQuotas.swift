import HeadroomModel

/// Service Quotas output: `get-service-quota` (`{"Quota": {...}}`), `list-service-quotas` and
/// `list-aws-default-service-quotas` (`{"Quotas": [...], "NextToken"?}`).
/// A quota without a `Value` keeps nil (unknown), never 0. `Period` applies to rate quotas.
enum ServiceQuotas {
    static let secondsPerUnit: [String: Double] = [
        "MICROSECOND": 1e-6, "MILLISECOND": 1e-3, "SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86_400,
        "WEEK": 604_800,
    ]

    static func read(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var items: [JSONCursor] = []
        if let quota = root["Quota"] { items.append(quota) }
        if let quotas = root["Quotas"] { items += try quotas.array() }
        var quotas: [ServiceQuota] = []
        for item in items {
            var usage: ServiceQuota.UsageMetric?
            guard item.object != nil else { throw item.fail("expected a quota object, found \(item.value.typeName)") }
            if let metric = try item.object("UsageMetric"), metric["MetricName"] != nil {
                var dimensions: [MetricDimension] = []
                for (name, value) in try metric["MetricDimensions"]?.members() ?? [] {
                    dimensions.append(MetricDimension(name: name, value: try value.string()))
                }
                usage = ServiceQuota.UsageMetric(
                    namespace: try metric.require("MetricNamespace").string(),
                    name: try metric.require("MetricName").string(), dimensions: dimensions,
                    statistic: try metric["MetricStatisticRecommendation"]?.string())
            }
            var periodSeconds: Int?
            if let period = try item.object("Period") {
                let value = try period.require("PeriodValue").number()
                let unitCursor = try period.require("PeriodUnit")
                let unit = try unitCursor.string()
                guard let seconds = secondsPerUnit[unit] else {
                    throw unitCursor.fail("unknown PeriodUnit \"\(unit)\"")
                }
                guard let whole = Int(exactly: (value * seconds).rounded()), whole >= 0 else {
                    throw unitCursor.fail(
                        "a quota period must be a non-negative number of units up to 2^63 seconds, found \(value)")
                }
                periodSeconds = whole
            }
            var value: Double?
            if let cursor = item["Value"] {
                let number = try cursor.number()
                guard number.isFinite, number >= 0 else {
                    throw cursor.fail("a quota value must be a finite, non-negative number")
                }
                value = number
            }
            quotas.append(
                ServiceQuota(
                    serviceCode: try item.require("ServiceCode").string(),
                    serviceName: try item["ServiceName"]?.string(),
                    quotaCode: try item.require("QuotaCode").string(),
                    quotaName: try item.require("QuotaName").string(),
                    value: value, unit: try item["Unit"]?.string(), adjustable: try item["Adjustable"]?.bool(),
                    global: try item["GlobalQuota"]?.bool(), usageMetric: usage, periodSeconds: periodSeconds,
                    arn: try item["QuotaArn"]?.string(), source: input.display))
        }
        var warnings: [String] = []
        if root["NextToken"] != nil { warnings.append("NextToken is set: later pages are missing") }
        let unknown = quotas.filter { $0.value == nil }.count
        if unknown > 0 { warnings.append(plural(unknown, "quota") + " without a Value") }
        return (Dataset(quotas: quotas), warnings)
    }
}
