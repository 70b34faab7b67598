import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// The site's machine-readable indexes, which need absolute URLs and so the configured `baseURL`:
/// `sitemap.xml` (every page) and `feed.xml` (Atom, one entry per week), as the views of the
/// `sitemap` and `feed` templates. Text is escaped for XML here (control characters dropped) and
/// printed as it is.
enum Feeds {
    /// `2026-11-22T23:00:00Z`.
    static func timestamp(_ instant: Instant) -> String {
        let seconds = instant.seconds
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = Instant.civil(fromDays: days)
        let time = Int(seconds - days * 86_400)
        return "\(year)-\(DayLabel.twoDigits(Int(month)))-\(DayLabel.twoDigits(Int(day)))T"
            + [time / 3600, time / 60 % 60, time % 60].map(DayLabel.twoDigits).joined(separator: ":") + "Z"
    }

    private static func xml(_ text: String) -> TrustedHTML { TrustedHTML(trusted: SVG.escape(text)) }

    /// Every page, with the end of the week it shows as its last modification.
    static func sitemap(_ pages: [(path: String, modified: Instant?)], base: String) -> SitemapView {
        SitemapView(pages: pages.map { SitemapPageView(loc: xml(base + $0.path), lastmod: $0.modified.map(timestamp)) })
    }

    /// One entry per week, newest first: its headline figures and what changed, linking to the
    /// week's frozen copy. Updated at the end of each week, so the feed is the same on every build.
    static func atom(_ weeks: [(report: Report, summary: String)], title: String, base: String) -> FeedView {
        let latest = weeks.compactMap { $0.report.week?.interval.upperBound }.max() ?? Instant(seconds: 0)
        return FeedView(
            title: xml(title), base: xml(base), updated: timestamp(latest),
            entries: weeks.reversed().compactMap { report, summary in
                guard let week = report.week else { return nil }
                return FeedEntryView(
                    week: week.week.description, range: SiteBuilder.range(of: week.week),
                    url: xml(base + "weeks/\(week.week)/index.html"), updated: timestamp(week.interval.upperBound),
                    summary: xml(summary))
            })
    }
}

struct SitemapView: Codable {
    var pages: [SitemapPageView]
}

struct SitemapPageView: Codable {
    var loc: TrustedHTML
    var lastmod: String?
}

struct FeedView: Codable {
    var title: TrustedHTML
    var base: TrustedHTML
    var updated: String
    var entries: [FeedEntryView]
}

struct FeedEntryView: Codable {
    var week: String
    var range: String
    var url: TrustedHTML
    var updated: String
    var summary: TrustedHTML
}
