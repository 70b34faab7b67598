import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `sources.html`: coverage per kind of source, then every input file.
struct SourcesPage: PageKind {
    static let template = "pages/sources"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["sources.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<SourcesPageView>] {
        [PlannedPage(path: "sources.html", title: "Sources", view: site.sourcesPage(week.report))]
    }
}

extension SiteBuilder {
    static func totals(_ sources: [SourceFile]) -> SourcesView {
        let read = sources.filter { if case .read = $0.status { true } else { false } }.count
        let invalid = sources.filter { if case .invalid = $0.status { true } else { false } }.count
        let ignored = sources.filter { if case .ignored = $0.status { true } else { false } }.count
        return SourcesView(
            read: read, invalid: invalid == 0 ? nil : invalid, ignored: ignored == 0 ? nil : ignored,
            series: sources.reduce(0) { $0 + $1.seriesCount })
    }

    func sourcesPage(_ report: Report) -> SourcesPageView {
        let shownCoverage = Array(
            report.coverage.filter { week in report.week.map { week.week <= $0.week } ?? false }
                .suffix(Self.coverageWeeksShown))
        func cell(_ level: Coverage.Level?, files: Int) -> CoverageCellView {
            switch level ?? .absent {
            case .complete: CoverageCellView(level: "complete", text: plural(files, "file"))
            case .partial: CoverageCellView(level: "partial", text: "partial, " + plural(files, "file"))
            case .absent: CoverageCellView(level: "absent", text: "none")
            }
        }
        let namespaces = Array(Set(shownCoverage.flatMap { $0.namespaces.map(\.name) })).sorted()
        let coverageRows = Coverage.Kind.allCases.flatMap { kind in
            let row = CoverageRowView(
                kind: kind.label,
                cells: shownCoverage.map { week in
                    let entry = week.entries.first { $0.kind == kind }
                    return cell(entry?.level, files: entry?.files.count ?? 0)
                })
            guard kind == .metrics else { return [row] }
            return [row]
                + namespaces.map { name in
                    CoverageRowView(
                        kind: name,
                        cells: shownCoverage.map { week in
                            let found = week.namespaces.first { $0.name == name }
                            return cell(found?.level, files: found?.files.count ?? 0)
                        }, part: true)
                }
        }
        let reasons =
            shownCoverage.last?.entries.flatMap { entry in entry.reasons.map { "\(entry.kind.label): \($0)" } } ?? []
        return SourcesPageView(
            files: report.sources.map { source in
                let (format, status): (String, String) =
                    switch source.status {
                    case .read(let format): (format.rawValue, "read")
                    case .empty: ("empty file", "empty")
                    case .ignored: ("not read", "ignored")
                    case .invalid: ("invalid, skipped", "invalid")
                    }
                var warnings = source.warnings
                if case .invalid(let reason) = source.status { warnings.insert(reason, at: 0) }
                if case .ignored(let reason) = source.status { warnings.insert(reason, at: 0) }
                return SourceRowView(
                    path: source.path, format: format, status: status, series: Format.count(Double(source.seriesCount)),
                    points: Format.count(Double(source.pointCount)), records: Format.count(Double(source.recordCount)),
                    warnings: warnings, hasWarnings: !warnings.isEmpty)
            },
            hasFiles: !report.sources.isEmpty, totals: Self.totals(report.sources),
            coverageWeeks: shownCoverage.map(\.week.description), coverageRows: coverageRows,
            hasCoverage: !shownCoverage.isEmpty, coverageReasons: reasons, hasCoverageReasons: !reasons.isEmpty)
    }

    /// The weeks the Sources page shows the coverage of: the report's week and up to 7 before it.
    static let coverageWeeksShown = 8

    /// "This week rests on metrics, …; partly on cost; not on Prowler, …": for the overview.
    static func coverageLine(_ report: Report) -> String? {
        guard let coverage = report.weekCoverage else {
            return nil
        }
        func names(_ level: Coverage.Level) -> String? {
            let kinds = coverage.entries.filter { $0.level == level }.map(\.kind.label)
            return kinds.isEmpty ? nil : kinds.joined(separator: ", ")
        }
        var parts: [String] = []
        if let complete = names(.complete) { parts.append("This week's figures rest on " + complete) }
        if let partial = names(.partial) {
            parts.append((parts.isEmpty ? "This week's figures rest partly on " : "partly on ") + partial)
        }
        if let absent = names(.absent) {
            parts.append((parts.isEmpty ? "No source covered this week: not " : "not on ") + absent)
        }
        return parts.joined(separator: "; ") + "."
    }
}
