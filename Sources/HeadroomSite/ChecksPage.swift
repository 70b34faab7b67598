import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `checks.html`: the week's findings by state and rule, each rule with at most `ruleRows`
/// resources and a link to its own pages for the rest.
struct ChecksPage: PageKind {
    static let template = "pages/checks"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["checks.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<ChecksPageView>] {
        let states = try site.findingStates(week.report, pages: week.links, prefix: "")
        var view = try site.checksPage(week.report, states: states)
        for (index, state) in view.states.enumerated() {
            // What the review is about is what is new or back; the rest folds to one line per rule.
            for (position, rule) in state.rules.enumerated()
            where ![CheckFinding.State.new, .regressed].map(\.rawValue).contains(state.anchor) {
                let names = rule.items.prefix(3).map(\.resource)
                let more = rule.items.count - names.count
                view.states[index].rules[position].folded =
                    names.joined(separator: ", ") + (more > 0 ? " and \(Format.grouped(Int64(more))) more" : "")
            }
            for (position, rule) in state.rules.enumerated() where rule.items.count > SiteBuilder.ruleRows {
                view.states[index].rules[position].items = Array(rule.items.prefix(SiteBuilder.ruleRows))
                view.states[index].rules[position].cut = ListCutView(
                    text:
                        "The first \(SiteBuilder.ruleRows) of \(Format.grouped(Int64(rule.items.count))) resources, by name.",
                    href: SiteBuilder.rulePage(rule.anchor), linkText: "Every one on the rule's page")
            }
        }
        return [PlannedPage(path: "checks.html", title: "Checks", view: view)]
    }
}

/// `checks/<state>-<rule>.html` and `.page<n>.html`: every resource of a rule with more than
/// `ruleRows` findings in a state, `rulePageRows` to a page.
struct RulePage: PageKind {
    static let template = "pages/rule"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] {
        SiteBuilder.rulePages(report, pages: links).flatMap { rule in
            (1...rule.pages).map { SiteBuilder.rulePage(rule.anchor, page: $0) }
        }
    }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<RulePageView>] {
        // No rule can have more than `ruleRows` findings: no rule pages, nothing to group again.
        guard week.report.findings.count > SiteBuilder.ruleRows else { return [] }
        var pages: [PlannedPage<RulePageView>] = []
        for state in try site.findingStates(week.report, pages: week.links, prefix: "../") {
            for rule in state.rules where rule.items.count > SiteBuilder.ruleRows {
                let rows = SiteBuilder.rulePageRows
                let count = (rule.items.count + rows - 1) / rows
                for page in 1...count {
                    let range = (page - 1) * rows..<min(rule.items.count, page * rows)
                    var shown = rule
                    shown.items = Array(rule.items[range])
                    pages.append(
                        PlannedPage(
                            path: SiteBuilder.rulePage(rule.anchor, page: page),
                            title: rule.title + (page == 1 ? "" : ", page \(page)"),
                            view: RulePageView(
                                weekLabel: week.weekLabel, state: state.title, stateAnchor: state.anchor, rule: shown,
                                pageNav: SiteBuilder.pageNav(
                                    "Resources", rows: range, of: rule.items.count, page: page, count: count,
                                    file: {
                                        String(SiteBuilder.rulePage(rule.anchor, page: $0).dropFirst("checks/".count))
                                    }))))
                }
            }
        }
        return pages
    }
}

extension SiteBuilder {
    /// The open and muted findings on one resource, for its page (one folder below the week's root).
    static func findings(on name: String, kind: String, _ report: Report, pages: Pages) -> [PageFindingView] {
        report.findings.filter { $0.resource == name && $0.kind == kind && $0.state != .resolved }.map {
            PageFindingView(
                severity: $0.severity.rawValue, title: $0.title, evidence: $0.evidence, state: $0.state.rawValue,
                href: "../" + pages.finding(rule: $0.ruleId, state: $0.state.rawValue))
        }
    }

    /// The week's findings: counts by pillar and severity, then each state's findings by rule.
    static let pillarNames: [Pillar: String] = [
        .operationalExcellence: "Operational excellence", .security: "Security", .reliability: "Reliability",
        .performance: "Performance efficiency", .costOptimization: "Cost optimization",
        .sustainability: "Sustainability",
    ]

    /// The order of the Checks page's sections.
    static let findingStates: [CheckFinding.State] = [.new, .regressed, .recurring, .muted, .unchecked, .resolved]

    /// The most resources a rule lists on the Checks page; a rule with more lists them all on
    /// its own page (`checks/<anchor>.html`), `rulePageRows` to a page.
    static let ruleRows = 25

    static let rulePageRows = 400

    /// The page of rule `anchor`'s findings (its `page`th).
    static func rulePage(_ anchor: String, page: Int = 1) -> String {
        "checks/\(anchor)" + (page == 1 ? "" : ".page\(page)") + ".html"
    }

    /// The rule pages of the week: the anchor of each rule and state with more than `ruleRows`
    /// findings, and its number of pages.
    static func rulePages(_ report: Report, pages: Pages) -> [(anchor: String, pages: Int)] {
        findingStates.flatMap { state in
            Dictionary(grouping: report.findings.filter { $0.state == state }, by: \.ruleId)
                .filter { $0.value.count > ruleRows }.sorted { $0.key < $1.key }.map { rule, findings in
                    (
                        pages.anchor(rule: rule, state: state.rawValue),
                        (findings.count + rulePageRows - 1) / rulePageRows
                    )
                }
        }
    }

    /// The findings by state and rule, each rule with every resource; links lead `prefix` away
    /// from the week's folder.
    func findingStates(_ report: Report, pages: Pages, prefix: String) throws(HeadroomError)
        -> [FindingStateView]
    {
        let findings = report.findings
        let functions = Set(report.functions.map(\.name))
        let resources = Dictionary(
            report.services.flatMap(\.resources).map { ("\($0.kind)\u{0}\($0.name)", $0) },
            uniquingKeysWith: { a, _ in a })
        func href(_ finding: CheckFinding) -> String? {
            if finding.kind == "function", functions.contains(finding.resource) {
                return prefix + pages.function(finding.resource)
            }
            return resources["\(finding.kind)\u{0}\(finding.resource)"].map { prefix + pages.resource($0) }
        }
        let intros: [CheckFinding.State: (String, String)] = [
            .new: ("New this week", "Not seen in any earlier week."),
            .regressed: ("Back again", "Seen in an earlier week, gone last week, back now."),
            .recurring: ("Still open", "Also present last week."),
            .muted: ("Muted", "Accepted in headroom.yml until the date given."),
            .resolved: ("Resolved this week", "Present last week, and gone from its source's report of this week."),
            .unchecked: (
                "Not checked this week",
                "Open when last seen, but their source sent nothing for this week (see Sources): whether they are still there is not known."
            ),
        ]
        var states: [FindingStateView] = []
        for state in Self.findingStates {
            let inState = findings.filter { $0.state == state }
            guard !inState.isEmpty else { continue }
            var rules: [RuleGroupView] = []
            for (_, group) in Dictionary(grouping: inState, by: \.ruleId).sorted(by: {
                ($0.value[0].severity, $0.key) < ($1.value[0].severity, $1.key)
            }) {
                let first = group[0]
                rules.append(
                    RuleGroupView(
                        anchor: pages.anchor(rule: first.ruleId, state: state.rawValue), ruleId: first.ruleId,
                        title: first.title, severity: first.severity.rawValue,
                        pillar: Self.pillarNames[first.pillar] ?? "",
                        origin: first.origin,
                        rationale: first.rationale.isEmpty
                            ? nil : try renderMarkdown(first.rationale, file: first.origin, headingOffset: 3),
                        remediation: first.remediation.isEmpty
                            ? nil : try renderMarkdown(first.remediation, file: first.origin, headingOffset: 3),
                        references: first.references,
                        items: group.sorted { $0.resource < $1.resource }.map { finding in
                            let weeks =
                                finding.history
                                + ([.resolved, .unchecked].contains(state) ? [] : report.week.map { [$0.week] } ?? [])
                            return FindingItemView(
                                resource: finding.resource, kind: finding.kind, href: href(finding),
                                evidence: finding.evidence,
                                history: state == .unchecked
                                    ? "last seen in \(finding.lastSeen?.description ?? "an earlier week"); "
                                        + finding.source.label + " sent nothing for this week"
                                    : state == .resolved
                                        ? "seen in " + weeks.map(\.description).joined(separator: ", ")
                                        : Self.openHistory(since: finding.since, weeks: weeks),
                                mute: finding.mute.map { mute in
                                    (finding.muteExpired ? "Mute expired on " : "Muted until ")
                                        + DayLabel.day(mute.expires, year: true) + " by \(mute.owner): \(mute.reason)"
                                },
                                owner: finding.owner,
                                acknowledged: finding.acknowledgement.map { "Acknowledged by \($0.by): \($0.note)" })
                        },
                        count: plural(group.count, "resource"), cut: nil))
            }
            let (title, intro) = intros[state]!
            states.append(
                FindingStateView(
                    title: "\(title) (\(inState.count))", anchor: state.rawValue, intro: intro, rules: rules))
        }
        return states
    }

    /// When an open finding was seen: "since 2026-W41, 7 weeks" when it was seen every week since,
    /// and with the weeks named when it was not ("since 2026-W41, 3 of 7 weeks: W41 W45 W47").
    static func openHistory(since: ISOWeek?, weeks: [ISOWeek]) -> String {
        let seen = Array(Set(weeks)).sorted()
        guard let first = seen.first, let last = seen.last else { return "" }
        let span = Int((last.mondayDays - first.mondayDays) / 7) + 1
        let start = since.map { "since \($0), " } ?? ""
        guard span != seen.count else { return start + plural(seen.count, "week") }
        return start + "\(Format.grouped(Int64(seen.count))) of \(plural(span, "week")): "
            + seen.map { "W" + String($0.description.suffix(2)) }.joined(separator: " ")
    }

    /// The Checks page of `states` (every rule with every resource): the summary, the table by
    /// pillar and severity, and the states.
    func checksPage(_ report: Report, states: [FindingStateView]) throws(HeadroomError) -> ChecksPageView {
        let findings = report.findings
        let open = findings.filter { ![.resolved, .muted, .unchecked].contains($0.state) }
        let severities = Severity.allCases
        let counts = Dictionary(grouping: open, by: \.severity).mapValues(\.count)
        let checked = report.weekCoverage?.entries.contains { $0.level != .absent } ?? false
        let summary =
            open.isEmpty
            ? (checked || !findings.isEmpty ? "No open findings." : "")
            : plural(open.count, "open finding") + ": "
                + severities.compactMap { severity in counts[severity].map { "\($0) \(severity.rawValue)" } }
                .joined(separator: ", ") + "; "
                + "\(findings.filter { $0.state == .new }.count) new, "
                + "\(findings.filter { $0.state == .resolved }.count) resolved, "
                + "\(findings.filter { $0.state == .muted }.count) muted"
                + {
                    let unchecked = findings.filter { $0.state == .unchecked }.count
                    return unchecked == 0 ? "." : ", \(unchecked) not checked this week."
                }()
        return ChecksPageView(
            weekLabel: report.week?.week.description, summary: summary, hasFindings: !findings.isEmpty,
            checked: checked,
            coverage: SiteBuilder.coverageLine(report),
            severities: severities.map(\.rawValue),
            pillars: Pillar.allCases.map { pillar in
                let inPillar = open.filter { $0.pillar == pillar }
                return PillarRowView(
                    pillar: Self.pillarNames[pillar]!,
                    counts: severities.map { severity in
                        let count = inPillar.filter { $0.severity == severity }.count
                        return count == 0 ? Format.missing : "\(count)"
                    }, total: "\(inPillar.count)")
            }, states: states)
    }
}
