import Foundation
import HeadroomModel

/// Findings from the tools teams already run, on one severity and pillar scale.
enum FindingAdapters {
    // MARK: Security Hub

    /// `aws securityhub get-findings` (`{"Findings": [ASFF…]}`). ARCHIVED records are dropped.
    /// Severity comes from `Severity.Label`, or from `Severity.Normalized` for older records;
    /// SUPPRESSED workflows are suppressed, `Compliance.Status` PASSED passes, NOT_AVAILABLE is
    /// unknown, anything else is a failed check.
    static func securityHub(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var findings: [Finding] = []
        var archived = 0
        var unrated = 0
        for item in try root.require("Findings").array() {
            guard item.object != nil else { throw item.fail("expected a finding object, found \(item.value.typeName)") }
            if try item["RecordState"]?.string() == "ARCHIVED" {
                archived += 1
                continue
            }
            let id = try item.require("Id").string()
            let resources = try item.require("Resources").array()
            guard !resources.isEmpty else {
                throw try item.require("Resources").fail("a finding needs at least one resource")
            }
            for resource in resources where resource.object == nil {
                throw resource.fail("expected a resource object, found \(resource.value.typeName)")
            }
            var resource = resources[0]
            for candidate in resources where try candidate["Type"]?.string() == "AwsLambdaFunction" {
                resource = candidate
                break
            }
            let severityCursor = try item.object("Severity")
            let severity: Severity
            if severityCursor == nil {
                severity = .info
                unrated += 1
            } else if let severityCursor, let label = severityCursor["Label"] {
                let text = try label.string()
                switch text {
                case "CRITICAL": severity = .critical
                case "HIGH": severity = .high
                case "MEDIUM": severity = .medium
                case "LOW": severity = .low
                case "INFORMATIONAL": severity = .info
                default: throw label.fail("unknown severity label \"\(text)\"")
                }
            } else if let severityCursor, let normalized = severityCursor["Normalized"] ?? severityCursor["Product"] {
                let value = try normalized.number()
                guard (0...100).contains(value) else { throw normalized.fail("a normalized severity is 0 to 100") }
                severity =
                    value >= 90 ? .critical : value >= 70 ? .high : value >= 40 ? .medium : value >= 1 ? .low : .info
            } else {
                throw severityCursor!.fail("a severity needs Label or Normalized")
            }
            var status = Finding.Status.failed
            if try item.object("Workflow")?["Status"]?.string() == "SUPPRESSED" {
                status = .suppressed
            } else if let compliance = try item.object("Compliance")?["Status"]?.string() {
                status = compliance == "PASSED" ? .passed : compliance == "NOT_AVAILABLE" ? .unknown : .failed
            }
            let productFields = try item.object("ProductFields")
            let compliance = try item.object("Compliance")
            let recommendation = try item.object("Remediation")?.object("Recommendation")
            var observed: Instant?
            if let updated = item["UpdatedAt"] { observed = try updated.instant() }
            var ruleId = try compliance?["SecurityControlId"]?.string()
            if ruleId == nil { ruleId = try productFields?["ControlId"]?.string() }
            if ruleId == nil { ruleId = try item.require("GeneratorId").string() }
            var region = try resource.firstString("Region")
            if region == nil { region = try item.firstString("Region") }
            findings.append(
                Finding(
                    tool: .securityHub, id: id, ruleId: ruleId!,
                    title: try item.require("Title").string(), pillar: .security, severity: severity, status: status,
                    resource: try resource.require("Id").string(), resourceType: try resource["Type"]?.string(),
                    region: region,
                    account: try item["AwsAccountId"]?.string(), description: try item["Description"]?.string(),
                    remediation: try recommendation?["Text"]?.string(),
                    remediationURL: try recommendation?["Url"]?.string(),
                    observedAt: observed, source: input.display))
        }
        var warnings: [String] = []
        if archived > 0 { warnings.append(plural(archived, "ARCHIVED finding") + " dropped") }
        if unrated > 0 { warnings.append(plural(unrated, "finding") + " without a Severity rated info") }
        if root["NextToken"] != nil { warnings.append("NextToken is set: later pages are missing") }
        return (Dataset(findings: findings), warnings)
    }

    // MARK: Prowler

    static let prowlerSeverities: [String: Severity] = [
        "Critical": .critical, "High": .high, "Medium": .medium, "Low": .low, "Informational": .info,
        // OCSF also defines these two.
        "Fatal": .critical, "Unknown": .info,
    ]

    /// Prowler's JSON-OCSF output (v4 and v5): a list of OCSF Detection Findings.
    /// `status_code` FAIL fails, PASS passes, MANUAL is unknown; muted findings are suppressed.
    static func prowler(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var findings: [Finding] = []
        for item in try root.array() {
            guard item.object != nil else { throw item.fail("expected a finding object, found \(item.value.typeName)") }
            let statusCursor = try item.require("status_code")
            var status: Finding.Status
            switch try statusCursor.string() {
            case "FAIL": status = .failed
            case "PASS": status = .passed
            case "MANUAL": status = .unknown
            case let other:
                throw statusCursor.fail("unknown status_code \"\(other)\"; Prowler writes PASS, FAIL or MANUAL")
            }
            let muted = try item.object("unmapped")?["muted"]?.bool() == true
            if try item["status"]?.string() == "Suppressed" || muted { status = .suppressed }
            let severityCursor = try item.require("severity")
            let severityText = try severityCursor.string()
            guard let severity = prowlerSeverities[severityText] else {
                throw severityCursor.fail(
                    "unknown severity \"\(severityText)\"; Prowler writes "
                        + prowlerSeverities.keys.sorted().joined(separator: ", "))
            }
            let info = try item.require("finding_info")
            guard info.object != nil else { throw info.fail("expected an object, found \(info.value.typeName)") }
            let metadata = try item.require("metadata")
            guard metadata.object != nil else {
                throw metadata.fail("expected an object, found \(metadata.value.typeName)")
            }
            let resources = try item["resources"]?.array() ?? []
            let resource = resources.first
            if let resource, resource.object == nil { throw resource.fail("expected a resource object") }
            let remediation = try item.object("remediation")
            let references = try remediation?["references"]?.array() ?? []
            var observed: Instant?
            if let time = item["time"] { observed = try time.instant() }
            findings.append(
                Finding(
                    tool: .prowler, id: try info.require("uid").string(),
                    ruleId: try metadata.require("event_code").string(),
                    title: try info.require("title").string(), pillar: .security, severity: severity, status: status,
                    resource: try resource?["uid"]?.string(), resourceType: try resource?["type"]?.string(),
                    region: try resource?["region"]?.string(),
                    account: try item.object("cloud")?.object("account")?["uid"]?.string(),
                    description: try info["desc"]?.string(), remediation: try remediation?["desc"]?.string(),
                    remediationURL: try references.first?.string(), observedAt: observed, source: input.display))
        }
        return (Dataset(findings: findings), [])
    }

    // MARK: Trusted Advisor

    static let trustedAdvisorPillars: [String: Pillar] = [
        "cost_optimizing": .costOptimization, "security": .security, "fault_tolerance": .reliability,
        "performance": .performance, "service_limits": .reliability, "operational_excellence": .operationalExcellence,
    ]

    /// `describe-trusted-advisor-checks` (the catalogue: names and metadata columns) and
    /// `describe-trusted-advisor-check-result` (flagged resources with positional metadata).
    /// A flagged resource's status `error` is high, `warning` medium, `ok` passes; suppressed
    /// resources are suppressed. Names and pillars come from the catalogue, matched by check id,
    /// which is also where the metadata's column count is checked (the catalogue may be in
    /// another file).
    static func trustedAdvisor(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var dataset = Dataset()
        if let checks = root["checks"] {
            for check in try checks.array() {
                guard check.object != nil else {
                    throw check.fail("expected a check object, found \(check.value.typeName)")
                }
                let columns = try check.require("metadata").array().map { column throws(HeadroomError) in
                    try column.string()
                }
                dataset.trustedAdvisorChecks.append(
                    TrustedAdvisorCheck(
                        id: try check.require("id").string(), name: try check.require("name").string(),
                        category: try check.require("category").string(), columns: columns, source: input.display))
            }
        }
        if let result = try root.object("result") {
            let checkId = try result.require("checkId").string()
            var observed: Instant?
            if let time = result["timestamp"] { observed = try time.instant() }
            _ = try result.require("status").string()
            for resource in try result["flaggedResources"]?.array() ?? [] {
                guard resource.object != nil else { throw resource.fail("expected a resource object") }
                let statusCursor = try resource.require("status")
                let statusText = try statusCursor.string()
                let (severity, status): (Severity, Finding.Status)
                switch statusText {
                case "error": (severity, status) = (.high, .failed)
                case "warning": (severity, status) = (.medium, .failed)
                case "ok": (severity, status) = (.info, .passed)
                default: throw statusCursor.fail("unknown status \"\(statusText)\"; expected ok, warning or error")
                }
                var details: [DataEntry] = []
                for (index, value) in (try resource["metadata"]?.array() ?? []).enumerated() {
                    let text: DataValue = value.value == .null ? .null : .text(try value.string())
                    details.append(DataEntry(key: String(index), value: text))
                }
                let resourceId = try resource.require("resourceId").string()
                dataset.findings.append(
                    Finding(
                        tool: .trustedAdvisor, id: "\(checkId):\(resourceId)", ruleId: checkId, title: checkId,
                        pillar: nil,
                        severity: severity, status: try resource["isSuppressed"]?.bool() == true ? .suppressed : status,
                        resource: resourceId, region: try resource["region"]?.string(), observedAt: observed,
                        details: details, source: input.display))
            }
        }
        guard root["checks"] != nil || root["result"] != nil else {
            throw root.fail("expected \"checks\" or \"result\"")
        }
        return (dataset, [])
    }

    // MARK: Well-Architected

    static let risks: Set<String> = ["HIGH", "MEDIUM", "NONE", "UNANSWERED", "NOT_APPLICABLE"]

    /// `get-lens-review` (risk counts per pillar), `list-answers` and `list-lens-review-improvements`
    /// (one finding per question: HIGH and MEDIUM risks fail, NONE passes, UNANSWERED is unknown,
    /// NOT_APPLICABLE is left out).
    static func wellArchitected(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var dataset = Dataset()
        let workload = try root["WorkloadId"]?.string() ?? ""
        if let review = try root.object("LensReview") {
            guard let lens = try review.firstString("LensAlias", "LensArn") else {
                throw review.fail("the required key \"LensAlias\" is missing")
            }
            for pillar in try review["PillarReviewSummaries"]?.array() ?? [] {
                var counts: [String: Int] = [:]
                for (risk, count) in try pillar.require("RiskCounts").members() {
                    guard risks.contains(risk) else { throw count.fail("unknown risk \(risk)") }
                    counts[risk] = try count.count()
                }
                dataset.lensReviews.append(
                    LensReviewSummary(
                        lens: lens, pillar: try pillar.require("PillarId").string(), riskCounts: counts,
                        source: input.display))
            }
        }
        let lens = try root.firstString("LensAlias", "LensArn") ?? ""
        for key in ["AnswerSummaries", "ImprovementSummaries"] {
            guard let list = root[key] else { continue }
            for item in try list.array() {
                guard item.object != nil else { throw item.fail("expected an object, found \(item.value.typeName)") }
                let questionId = try item.require("QuestionId").string()
                let pillarId = try item.require("PillarId").string()
                let riskCursor = try item.require("Risk")
                let risk = try riskCursor.string()
                guard risks.contains(risk) else {
                    throw riskCursor.fail(
                        "unknown risk \"\(risk)\"; expected " + risks.sorted().joined(separator: ", "))
                }
                if risk == "NOT_APPLICABLE" { continue }
                let (severity, status): (Severity, Finding.Status) =
                    switch risk {
                    case "HIGH": (.high, .failed)
                    case "MEDIUM": (.medium, .failed)
                    case "NONE": (.info, .passed)
                    default: (.info, .unknown)
                    }
                dataset.findings.append(
                    Finding(
                        tool: .wellArchitected, id: "\(workload):\(lens):\(questionId)", ruleId: questionId,
                        title: try item["QuestionTitle"]?.string() ?? questionId, pillar: Pillar(rawValue: pillarId),
                        severity: severity, status: status, resource: workload.isEmpty ? nil : workload,
                        resourceType: "Workload", remediationURL: try item["ImprovementPlanUrl"]?.string(),
                        source: input.display))
            }
        }
        guard root["LensReview"] != nil || root["AnswerSummaries"] != nil || root["ImprovementSummaries"] != nil else {
            throw root.fail("expected LensReview, AnswerSummaries or ImprovementSummaries")
        }
        // list-answers and list-lens-review-improvements page with a top-level NextToken,
        // get-lens-review its pillar summaries with LensReview.NextToken.
        var warnings: [String] = []
        if root["NextToken"].map({ $0.value != .null }) ?? false {
            warnings.append("NextToken is set: later pages are missing, so questions may be missing")
        }
        if try root.object("LensReview")?["NextToken"].map({ $0.value != .null }) ?? false {
            warnings.append("LensReview.NextToken is set: later pages are missing, so pillars may be missing")
        }
        return (dataset, warnings)
    }
}
