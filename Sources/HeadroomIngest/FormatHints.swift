import Foundation
import HeadroomModel

/// Why a file's format was not recognised: what the file looks like, the nearest format Headroom
/// reads and what it lacks, and what to do. Formats that other tools write and that users bring
/// by mistake (Sloth's specs, Prowler 3's outputs) are named.
enum FormatHints {
    struct Hint: Equatable {
        var message: String
        var remedy: String
    }

    static let setFormat =
        "set format: on the source in headroom.yml if detection is wrong, or move the file out of the sources"

    /// The hint for an input whose format detection found none; `list` is its parsed JSON when it
    /// is a top-level list.
    static func hint(_ input: InputFile, list: JSONValue?) -> Hint {
        switch input.family {
        case .yaml: return yaml((try? input.text()) ?? "")
        case .json:
            if let list { return jsonList(list) }
            let keys = (try? JSONParser.topLevelKeys(input.data)) ?? nil
            return jsonObject(keys ?? [])
        case .csv: return csv(CostExports.header(input.data) ?? [])
        case .text: return text()
        }
    }

    static let openSLORemedy =
        "Headroom reads OpenSLO v1 (apiVersion: openslo/v1, kind: SLO) whose indicators name CloudWatch metrics; "
        + "write the objective in that form (see the README's SLO section)"

    static func yaml(_ text: String) -> Hint {
        func value(of key: String) -> String? {
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix(key + ":") {
                let raw = line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
                return raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
            return nil
        }
        if value(of: "version") == "prometheus/v1" {
            return Hint(
                message: "a Sloth SLO spec (version: prometheus/v1), not OpenSLO: its indicators are PromQL queries",
                remedy: openSLORemedy)
        }
        if let apiVersion = value(of: "apiVersion") {
            let kind = value(of: "kind") ?? "no kind"
            if apiVersion.hasPrefix("sloth.slok.dev/") {
                return Hint(
                    message:
                        "a Sloth Kubernetes resource (\(apiVersion), \(kind)), not OpenSLO: its indicators are PromQL queries",
                    remedy: openSLORemedy)
            }
            return Hint(
                message: "a YAML document of apiVersion \(apiVersion) (\(kind)), not OpenSLO",
                remedy: openSLORemedy + "; or " + setFormat)
        }
        return Hint(
            message: "YAML without apiVersion: openslo/v1, the only YAML format Headroom reads (OpenSLO)",
            remedy: openSLORemedy + "; or " + setFormat)
    }

    static let prowlerRemedy =
        "run Prowler 4 or later with --output-formats json-ocsf (OCSF Detection Finding, class_uid 2004), which Headroom reads"

    static func jsonList(_ list: JSONValue) -> Hint {
        guard case .array(let items) = list, case .object(let first)? = items.first else {
            return Hint(
                message:
                    "a JSON list of \(listKind(list)), where Headroom reads only Prowler's OCSF findings as a list",
                remedy: prowlerRemedy + "; or " + setFormat)
        }
        let product = first["metadata"].flatMap { metadata -> String? in
            guard case .object(let object) = metadata, case .object(let product)? = object["product"],
                case .string(let name)? = product["name"]
            else { return nil }
            if case .string(let version)? = product["version"] { return "\(name) \(version)" }
            return name
        }
        if case .number(let uid)? = first["class_uid"], uid == 2001 || first["finding"] != nil {
            return Hint(
                message: "OCSF Security Finding (class_uid \(Int(exactly: uid).map(String.init) ?? "\(uid)")) output"
                    + (product.map { " from \($0)" } ?? "")
                    + ": Prowler 3's json-ocsf, with finding.uid where Prowler 4 writes finding_info and status_code",
                remedy: prowlerRemedy)
        }
        if first["CheckID"] != nil && (first["StatusExtended"] != nil || first["AssessmentStartTime"] != nil) {
            return Hint(
                message: "Prowler 3's native JSON output (CheckID, Status, StatusExtended), not OCSF",
                remedy: prowlerRemedy)
        }
        if first["Control ID"] != nil || first["Account Number"] != nil {
            return Hint(
                message: "Prowler 2's JSON output (Control ID, Account Number), not OCSF", remedy: prowlerRemedy)
        }
        let missing = ["status_code", "finding_info", "metadata"].filter { first[$0] == nil }
        return Hint(
            message: "a JSON list whose first item has none of the Prowler OCSF keys "
                + missing.joined(separator: ", ") + "; its keys: " + shortList(first.keys),
            remedy: prowlerRemedy + "; or " + setFormat)
    }

    /// The top-level key each JSON format is known by, as the AWS CLI (or Prometheus) writes it.
    static let signatures: [(key: String, format: SourceFormat)] = [
        ("MetricDataResults", .cloudWatchGetMetricData), ("Datapoints", .cloudWatchGetMetricStatistics),
        ("ResultsByTime", .costExplorer), ("Quotas", .serviceQuotas), ("Quota", .serviceQuotas),
        ("AccountLimit", .lambdaAccountSettings), ("AccountUsage", .lambdaAccountSettings),
        ("ReservedConcurrentExecutions", .lambdaFunctionConcurrency),
        ("ProvisionedConcurrencyConfigs", .lambdaProvisionedConcurrency), ("Functions", .lambdaFunctions),
        ("Configuration", .lambdaFunctions), ("events", .lambdaLogs), ("Findings", .securityHubASFF),
        ("LensReview", .wellArchitected), ("AnswerSummaries", .wellArchitected),
        ("ImprovementSummaries", .wellArchitected), ("checks", .trustedAdvisor), ("result", .trustedAdvisor),
        ("data", .prometheusQuery), ("ResultSet", .athenaQueryResults),
    ]

    /// Outputs of AWS commands that Headroom does not read, by a top-level key.
    static let knownOthers: [String: String] = [
        "MetricAlarms": "CloudWatch alarms (describe-alarms)", "CompositeAlarms": "CloudWatch alarms (describe-alarms)",
        "Metrics": "a CloudWatch metric list (list-metrics), which holds no data points",
        "logGroups": "a CloudWatch Logs group list (describe-log-groups), which holds no log events",
        "logStreams": "a CloudWatch Logs stream list (describe-log-streams), which holds no log events",
        "queryId": "a CloudWatch Logs Insights query id (start-query); save get-query-results or filter-log-events",
        "DimensionValues": "Cost Explorer dimension values (get-dimension-values), which hold no costs",
        "ServiceQuotaIncreaseRequestInReviewList": "quota increase requests, which hold no quota values",
    ]

    static func jsonObject(_ keys: [String]) -> Hint {
        let known = signatures.map(\.key)
        for key in keys {
            if let other = knownOthers[key] {
                return Hint(
                    message: "looks like \(other), not an input Headroom reads",
                    remedy: "the collector (scripts/collect-aws.sh) shows the commands whose output Headroom reads; "
                        + setFormat)
            }
        }
        if Set(keys).isSuperset(of: ["SchemaVersion", "ProductArn", "AwsAccountId"]) {
            return Hint(
                message: "one Security Hub finding in ASFF, where Headroom reads the output of get-findings",
                remedy: "save `aws securityhub get-findings` unchanged: its findings sit in a list under Findings")
        }
        for key in keys {
            if let near = Suggest.closest(to: key, in: known), near != key,
                let format = signatures.first(where: { $0.key == near })?.format
            {
                return Hint(
                    message: "the nearest format is \(format.rawValue), whose top-level key is \(near); "
                        + "this file has \(key)",
                    remedy: "save the AWS CLI output unchanged (--output json); or " + setFormat)
            }
        }
        return Hint(
            message: (keys.isEmpty
                ? "a JSON value that is neither an object nor a list"
                : "top-level keys "
                    + shortList(keys))
                + ", none of those the formats Headroom reads are known by ("
                + Array(Set(known)).sorted().joined(separator: ", ") + ")",
            remedy: "Headroom reads " + SourceFormat.allCases.map(\.rawValue).joined(separator: ", ") + "; "
                + setFormat)
    }

    static func csv(_ header: [String]) -> Hint {
        let focus = CostExports.focusRequired.filter { !header.contains($0) }
        let cur = CostExports.curRequired.filter { !header.contains($0) }
        let nearest =
            focus.count <= cur.count
            ? "FOCUS 1.0, which lacks " + focus.joined(separator: ", ")
            : "CUR 2.0, which lacks " + cur.joined(separator: ", ")
        return Hint(
            message: "a CSV file that is neither a FOCUS nor a CUR 2.0 export; the nearest is " + nearest,
            remedy: "export FOCUS 1.0 or CUR 2.0 with AWS Data Exports and keep its header row; or " + setFormat)
    }

    static func text() -> Hint {
        Hint(
            message: "text that is neither Lambda log lines (START, END or REPORT RequestId: …) "
                + "nor a Prometheus text exposition (# TYPE lines, name{labels} value timestamp)",
            remedy:
                "save logs with `aws logs filter-log-events` or as the raw lines, metrics from Prometheus' /metrics "
                + "or its query API; or " + setFormat)
    }

    static func listKind(_ list: JSONValue) -> String {
        guard case .array(let items) = list, let first = items.first else { return "nothing" }
        return first.typeName + "s"
    }

    /// At most six names, then how many more.
    static func shortList<S: Sequence<String>>(_ names: S) -> String {
        let all = Array(names)
        let shown = all.prefix(6).joined(separator: ", ")
        return all.count > 6 ? shown + " and \(all.count - 6) more" : shown
    }
}
