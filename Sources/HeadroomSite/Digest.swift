import Foundation
import HeadroomAnalysis
import HeadroomMarkdown
import HeadroomModel
import Mustache

/// The week in brief, for people who will not open the site: `summary.md` (rendered from the
/// theme's `summary.mustache`, which a project can override) and `slack.json` (a Slack Block Kit
/// message). Both show the same things, chosen here: the headline figures with their changes, what
/// changed, error budgets at risk, new critical and high findings, new and returning error groups,
/// quotas at risk, and links into
/// the site (absolute with `baseURL`, else relative to the site's root).
struct DigestView: Codable {
    var siteTitle: String
    var weekLabel: String
    var range: String
    var generator: String
    /// The site's address with a trailing `/`, or "" for links relative to the site's root.
    var base: String
    var overview: String
    var reviewFile: String
    /// "A critical week" and its reasons, as on the overview.
    var verdict: VerdictView
    var tiles: [TileView]
    var changes: [ChangeView]
    var hasChanges: Bool
    /// Changes beyond the first `DigestView.maximumChanges`.
    var moreChanges: Int
    var hasMoreChanges: Bool
    var budgets: [SLOView]
    var hasBudgets: Bool
    var findings: [FindingView]
    var hasFindings: Bool
    var quotas: [QuotaView]
    var hasQuotas: Bool
    /// Error groups new or back this week.
    var errors: [ErrorView]
    var hasErrors: Bool
    /// Whether any function's logs were read for the week: without them, no group means nothing.
    var errorsChecked: Bool
    /// How many budgets, findings, error groups and quotas at risk each list leaves out, with the
    /// page that has them all: a digest of 1,000 functions stays a digest.
    var moreBudgets: MoreView?
    var moreFindings: MoreView?
    var moreErrors: MoreView?
    var moreQuotas: MoreView?

    /// The most changes, and items of each other list, a digest shows.
    static let maximumChanges = 10

    struct MoreView: Codable {
        var count: String
        var href: String
    }

    /// The first `maximumChanges` of `items`, and how many more the page at `href` has.
    static func capped<T>(_ items: [T], href: String) -> ([T], MoreView?) {
        let more = items.count - maximumChanges
        return (
            Array(items.prefix(maximumChanges)),
            more > 0 ? MoreView(count: Format.grouped(Int64(more)), href: href) : nil
        )
    }

    struct ErrorView: Codable {
        var kind: String
        var state: String
        var title: String
        var events: String
        var functions: String
        var href: String
    }

    struct FindingView: Codable {
        var severity: String
        var state: String
        var title: String
        var resource: String
        var owner: String
        var href: String
    }

    init(_ report: Report, week: ReportWeek, generator: String) {
        let changes = report.changes
        let pages = SiteBuilder.Pages(report)
        let zone = TimeZone(identifier: week.timeZone) ?? TimeZone(identifier: "UTC")!
        let base = report.baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
        siteTitle = report.title
        weekLabel = week.week.description
        range = SiteBuilder.range(of: week.week)
        self.generator = generator
        self.base = base
        overview = base + "index.html"
        reviewFile = base + "review-\(week.week).html"
        verdict = SiteBuilder.verdictView(report.headline.verdict)
        tiles = SiteBuilder.tiles(report, pages: pages).map {
            var tile = $0
            tile.href = base + tile.href
            return tile
        }
        self.changes = changes.prefix(Self.maximumChanges).map {
            var change = SiteBuilder.changeView($0, report: report, pages: pages)
            change.href = base + change.href
            return change
        }
        hasChanges = !changes.isEmpty
        moreChanges = max(0, changes.count - Self.maximumChanges)
        hasMoreChanges = moreChanges > 0
        (budgets, moreBudgets) = Self.capped(
            report.slos.compactMap { slo in
                let view = SiteBuilder.sloView(slo, zone: zone, href: base + pages.slo(slo.name), charts: [])
                var runsOut = false
                if case .at = slo.exhaustion { runsOut = true }
                return view.statusClass == "critical" || view.statusClass == "warning" || runsOut ? view : nil
            }, href: base + "slos.html")
        hasBudgets = !budgets.isEmpty
        // Critical before high, each in the report's order.
        let fresh = report.findings.filter { ($0.state == .new || $0.state == .regressed) && $0.severity <= .high }
        (findings, moreFindings) = Self.capped(
            (fresh.filter { $0.severity == .critical } + fresh.filter { $0.severity != .critical }).map {
                FindingView(
                    severity: $0.severity.rawValue, state: $0.state == .new ? "new" : "back again", title: $0.title,
                    resource: $0.resource, owner: $0.owner ?? "no owner",
                    href: base + pages.finding(rule: $0.ruleId, state: $0.state.rawValue))
            }, href: base + "checks.html")
        hasFindings = !findings.isEmpty
        (quotas, moreQuotas) = Self.capped(
            report.quotas.filter { $0.status == .warning || $0.status == .critical }.map(SiteBuilder.quotaView),
            href: base + "limits.html")
        hasQuotas = !quotas.isEmpty
        let groups = report.errors.filter { [.new, .regressed].contains($0.state) && $0.count > 0 }
        (errors, moreErrors) = Self.capped(
            groups.map { group in
                let names = group.functions.map(\.function)
                return ErrorView(
                    kind: group.kind.rawValue, state: group.state == .new ? "new" : "back again", title: group.title,
                    events: Format.grouped(Int64(group.count)),
                    functions: names.prefix(3).joined(separator: ", ")
                        + (names.count > 3 ? " and \(Format.grouped(Int64(names.count - 3))) more" : ""),
                    href: base + pages.errorGroup(group.id))
            }, href: base + "errors.html")
        hasErrors = !errors.isEmpty
        errorsChecked = !report.errorLogFunctions.isEmpty
    }
}

/// The Markdown escaping of `summary.mustache`: `{{value}}` is text, whatever it holds.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { Markdown.escape(text) }
}

/// A Slack message (Block Kit) with the digest's content; posted by `headroom build --notify-webhook`.
/// Text (and the notification's fallback) is Slack `mrkdwn`, where only `&`, `<` and `>` are special: they are escaped, so a name cannot
/// make a link or a mention. Blocks stay inside Slack's limits (50 blocks, 3,000 characters a section).
struct SlackMessage: Encodable {
    var text: String
    var blocks: [Block]

    struct Block: Encodable {
        var type: String
        var text: Text?
        var fields: [Text]?
        var elements: [Text]?
    }

    struct Text: Encodable {
        var type: String
        var text: String
        var emoji: Bool?
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `<url|text>` when the digest has absolute links, else the text alone.
    static func link(_ href: String, _ text: String, absolute: Bool) -> String {
        let shown = escape(text).replacingOccurrences(of: "|", with: "¦")
        guard absolute else { return shown }
        return "<\(escape(href))|\(shown)>"
    }

    init(_ digest: DigestView) {
        let absolute = !digest.base.isEmpty
        func section(_ lines: [String]) -> Block {
            var text = ""
            for line in lines {
                guard text.count + line.count + 1 <= 2900 else {
                    text += "\n…"
                    break
                }
                text += (text.isEmpty ? "" : "\n") + line
            }
            return Block(type: "section", text: Text(type: "mrkdwn", text: text))
        }
        let title = "\(digest.siteTitle) · \(digest.weekLabel)"
        // The fallback shows in notifications, and Slack reads it as mrkdwn too.
        text = Self.escape(
            "\(title): \(digest.verdict.title). "
                + digest.tiles.prefix(4).map { "\($0.label) \($0.value)" }.joined(separator: ", "))
        blocks = [
            Block(type: "header", text: Text(type: "plain_text", text: String(title.prefix(150)), emoji: false)),
            section(["*\(digest.verdict.title)*" + (digest.verdict.reasons.map { ": " + Self.escape($0) } ?? "")]),
            Block(
                type: "section", text: nil,
                fields: digest.tiles.prefix(10).map { tile in
                    Text(
                        type: "mrkdwn",
                        text: "*\(Self.link(tile.href, tile.label, absolute: absolute))*\n\(Self.escape(tile.value))"
                            + (tile.change.map { " (\(Self.escape($0)))" } ?? ""))
                }),
        ]
        if digest.hasChanges {
            blocks.append(
                section(
                    ["*What changed*"]
                        + digest.changes.map { "• \($0.impact): \(Self.link($0.href, $0.text, absolute: absolute))" }
                        + (digest.moreChanges > 0 ? ["and \(digest.moreChanges) more on the overview"] : [])))
        }
        if digest.hasBudgets {
            blocks.append(
                section(
                    ["*Error budgets at risk*"]
                        + digest.budgets.map {
                            "• \(Self.link($0.href, $0.name, absolute: absolute)): \(Self.escape($0.remaining)) left, "
                                + "burning at \(Self.escape($0.burnRate)), runs out \(Self.escape($0.exhaustion))"
                        }))
        }
        if digest.hasFindings {
            blocks.append(
                section(
                    ["*New critical and high findings*"]
                        + digest.findings.map {
                            "• \($0.severity), \($0.state): \(Self.link($0.href, $0.title, absolute: absolute)) "
                                + "on \(Self.escape($0.resource)) (\(Self.escape($0.owner)))"
                        }))
        }
        if digest.hasErrors {
            blocks.append(
                section(
                    ["*New and returning error groups*"]
                        + digest.errors.map {
                            "• \($0.kind), \($0.state): \(Self.link($0.href, $0.title, absolute: absolute)), "
                                + "\($0.events) events on \(Self.escape($0.functions))"
                        }))
        }
        if digest.hasQuotas {
            blocks.append(
                section(
                    ["*Quotas at risk*"]
                        + digest.quotas.map {
                            "• \(Self.escape($0.name)) (\(Self.escape($0.service))): \(Self.escape($0.utilisation)) "
                                + "of \(Self.escape($0.limit)); \(Self.escape($0.projection))"
                        }))
        }
        blocks.append(
            Block(
                type: "context", text: nil, fields: nil,
                elements: [
                    Text(
                        type: "mrkdwn",
                        text: (absolute ? "<\(Self.escape(digest.overview))|Open the review> · " : "")
                            + Self.escape(digest.generator))
                ]))
    }

    func data() -> Data {
        ((try? JSONEncoder.stable.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}
