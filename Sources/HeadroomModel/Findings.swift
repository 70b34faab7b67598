/// The six pillars of the AWS Well-Architected Framework.
public enum Pillar: String, Codable, Sendable, Equatable, CaseIterable {
    case operationalExcellence, security, reliability, performance, costOptimization, sustainability
}

public enum Severity: String, Codable, Sendable, Equatable, Comparable, CaseIterable {
    case critical, high, medium, low, info

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    /// `critical` first.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One finding from a checking tool, on Headroom's severity and pillar scale.
public struct Finding: Codable, Sendable, Equatable {
    public enum Tool: String, Codable, Sendable, Equatable {
        case wellArchitected = "well-architected", trustedAdvisor = "trusted-advisor", securityHub = "security-hub"
        case prowler
    }

    public enum Status: String, Codable, Sendable, Equatable {
        /// The check failed for this resource: a finding to act on.
        case failed
        case passed
        /// Suppressed in the tool itself.
        case suppressed
        /// The tool could not decide (Prowler MANUAL, Security Hub NOT_AVAILABLE, unanswered questions).
        case unknown
    }

    public var tool: Tool
    /// Stable across weeks, for the life cycle: the tool's own id for the finding.
    public var id: String
    /// The check, control or question.
    public var ruleId: String
    public var title: String
    public var pillar: Pillar?
    public var severity: Severity
    public var status: Status
    public var resource: String?
    public var resourceType: String?
    public var region: String?
    public var account: String?
    public var description: String?
    public var remediation: String?
    /// Links only when http(s).
    public var remediationURL: String?
    public var observedAt: Instant?
    /// Tool-specific details worth showing, such as Trusted Advisor's metadata columns.
    public var details: [DataEntry]
    public var source: String

    public init(
        tool: Tool, id: String, ruleId: String, title: String, pillar: Pillar?, severity: Severity, status: Status,
        resource: String? = nil, resourceType: String? = nil, region: String? = nil, account: String? = nil,
        description: String? = nil, remediation: String? = nil, remediationURL: String? = nil,
        observedAt: Instant? = nil, details: [DataEntry] = [], source: String
    ) {
        self.tool = tool
        self.id = id
        self.ruleId = ruleId
        self.title = title
        self.pillar = pillar
        self.severity = severity
        self.status = status
        self.resource = resource
        self.resourceType = resourceType
        self.region = region
        self.account = account
        self.description = description
        self.remediation = remediation
        self.remediationURL = remediationURL.flatMap { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil }
        self.observedAt = observedAt
        self.details = details
        self.source = source
    }
}

/// A Trusted Advisor check from `describe-trusted-advisor-checks`: names what the positional
/// metadata of its results mean.
public struct TrustedAdvisorCheck: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var category: String
    public var columns: [String]
    public var source: String

    public init(id: String, name: String, category: String, columns: [String], source: String) {
        self.id = id
        self.name = name
        self.category = category
        self.columns = columns
        self.source = source
    }
}

/// A Well-Architected lens review's risk counts per pillar (`get-lens-review`).
public struct LensReviewSummary: Codable, Sendable, Equatable {
    public var lens: String
    public var pillar: String
    /// `HIGH`, `MEDIUM`, `NONE`, `UNANSWERED`, `NOT_APPLICABLE` → count.
    public var riskCounts: [String: Int]
    public var source: String

    public init(lens: String, pillar: String, riskCounts: [String: Int], source: String) {
        self.lens = lens
        self.pillar = pillar
        self.riskCounts = riskCounts
        self.source = source
    }
}
