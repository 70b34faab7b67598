/// A Lambda function's configuration, from `list-functions`, `get-function-configuration` or
/// `get-function`. Environment variable values are never kept, only their names.
public struct LambdaFunction: Codable, Sendable, Equatable {
    public var name: String
    public var arn: String?
    /// nil for container images (`PackageType: Image`).
    public var runtime: String?
    public var handler: String?
    public var packageType: String
    public var memoryMB: Int?
    public var timeoutSeconds: Int?
    /// `x86_64` when the field is absent, as Lambda defines.
    public var architecture: String
    public var ephemeralStorageMB: Int?
    /// `Active` or `PassThrough`.
    public var tracingMode: String?
    public var deadLetterTarget: String?
    public var logFormat: String?
    public var applicationLogLevel: String?
    public var systemLogLevel: String?
    public var logGroup: String?
    /// True when the function is attached to subnets.
    public var inVPC: Bool
    public var layers: [String]
    public var snapStart: String?
    public var codeSize: Int?
    public var lastModified: String?
    public var description: String?
    /// Names only: values can hold secrets and are dropped while reading.
    public var environmentVariableNames: [String]
    /// From `get-function` (`list-functions` does not return tags).
    public var tags: [String: String] = [:]
    public var source: String

    public init(
        name: String, arn: String? = nil, runtime: String? = nil, handler: String? = nil, packageType: String = "Zip",
        memoryMB: Int? = nil, timeoutSeconds: Int? = nil, architecture: String = "x86_64",
        ephemeralStorageMB: Int? = nil,
        tracingMode: String? = nil, deadLetterTarget: String? = nil, logFormat: String? = nil,
        applicationLogLevel: String? = nil, systemLogLevel: String? = nil, logGroup: String? = nil, inVPC: Bool = false,
        layers: [String] = [], snapStart: String? = nil, codeSize: Int? = nil, lastModified: String? = nil,
        description: String? = nil, environmentVariableNames: [String] = [], source: String
    ) {
        self.name = name
        self.arn = arn
        self.runtime = runtime
        self.handler = handler
        self.packageType = packageType
        self.memoryMB = memoryMB
        self.timeoutSeconds = timeoutSeconds
        self.architecture = architecture
        self.ephemeralStorageMB = ephemeralStorageMB
        self.tracingMode = tracingMode
        self.deadLetterTarget = deadLetterTarget
        self.logFormat = logFormat
        self.applicationLogLevel = applicationLogLevel
        self.systemLogLevel = systemLogLevel
        self.logGroup = logGroup
        self.inVPC = inVPC
        self.layers = layers
        self.snapStart = snapStart
        self.codeSize = codeSize
        self.lastModified = lastModified
        self.description = description
        self.environmentVariableNames = environmentVariableNames
        self.source = source
    }
}

/// Lambda's account-level settings from `get-account-settings`.
public struct LambdaAccountSettings: Codable, Sendable, Equatable {
    public var concurrentExecutionsLimit: Int?
    public var unreservedConcurrentExecutions: Int?
    public var codeStorageLimitBytes: Int64?
    public var codeStorageUsedBytes: Int64?
    public var functionCount: Int?
    public var source: String

    public init(
        concurrentExecutionsLimit: Int? = nil, unreservedConcurrentExecutions: Int? = nil,
        codeStorageLimitBytes: Int64? = nil, codeStorageUsedBytes: Int64? = nil, functionCount: Int? = nil,
        source: String
    ) {
        self.concurrentExecutionsLimit = concurrentExecutionsLimit
        self.unreservedConcurrentExecutions = unreservedConcurrentExecutions
        self.codeStorageLimitBytes = codeStorageLimitBytes
        self.codeStorageUsedBytes = codeStorageUsedBytes
        self.functionCount = functionCount
        self.source = source
    }
}

/// A function's reserved concurrency from `get-function-concurrency`; nil means no reservation.
public struct ReservedConcurrency: Codable, Sendable, Equatable {
    public var function: String
    public var reserved: Int?
    public var source: String

    public init(function: String, reserved: Int?, source: String) {
        self.function = function
        self.reserved = reserved
        self.source = source
    }
}

/// A provisioned concurrency configuration from `list-provisioned-concurrency-configs`.
public struct ProvisionedConcurrency: Codable, Sendable, Equatable {
    public var function: String
    /// The alias or version it is configured on.
    public var qualifier: String?
    public var requested: Int
    /// Environments allocated (billed); nil when the output does not say.
    public var allocated: Int?
    /// `READY`, `IN_PROGRESS` or `FAILED`.
    public var status: String
    public var source: String

    public init(function: String, qualifier: String?, requested: Int, allocated: Int?, status: String, source: String) {
        self.function = function
        self.qualifier = qualifier
        self.requested = requested
        self.allocated = allocated
        self.status = status
        self.source = source
    }
}

/// A service quota from Service Quotas (`get-service-quota`, `list-service-quotas`,
/// `list-aws-default-service-quotas`).
public struct ServiceQuota: Codable, Sendable, Equatable {
    public var serviceCode: String
    public var serviceName: String?
    public var quotaCode: String
    public var quotaName: String
    public var value: Double?
    public var unit: String?
    public var adjustable: Bool?
    public var global: Bool?
    public var usageMetric: UsageMetric?
    /// For rate quotas: the period the value applies to, in seconds.
    public var periodSeconds: Int?
    public var arn: String?
    public var source: String

    public struct UsageMetric: Codable, Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var dimensions: [MetricDimension]
        public var statistic: String?

        public init(namespace: String, name: String, dimensions: [MetricDimension], statistic: String?) {
            self.namespace = namespace
            self.name = name
            self.dimensions = dimensions.sorted()
            self.statistic = statistic
        }
    }

    public init(
        serviceCode: String, serviceName: String? = nil, quotaCode: String, quotaName: String, value: Double?,
        unit: String? = nil, adjustable: Bool? = nil, global: Bool? = nil, usageMetric: UsageMetric? = nil,
        periodSeconds: Int? = nil, arn: String? = nil, source: String
    ) {
        self.serviceCode = serviceCode
        self.serviceName = serviceName
        self.quotaCode = quotaCode
        self.quotaName = quotaName
        self.value = value
        self.unit = unit
        self.adjustable = adjustable
        self.global = global
        self.usageMetric = usageMetric
        self.periodSeconds = periodSeconds
        self.arn = arn
        self.source = source
    }
}
