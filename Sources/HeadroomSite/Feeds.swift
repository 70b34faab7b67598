import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// The site's machine-readable indexes, which need absolute URLs and so the configured `baseURL`:
/// `sitemap.xml` (every page) and `feed.xml` (Atom, one entry per week).
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

    /// Every page, with the end of the week it shows as its last modification.
    static func sitemap(_ pages: [(path: String, modified: Instant?)], base: String) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"# + "\n"
        for page in pages {
            xml += "<url><loc>\(SVG.escape(base + page.path))</loc>"
            if let modified = page.modified { xml += "<lastmod>\(timestamp(modified))</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// One entry per week, newest first: its headline figures and what changed, linking to the
    /// week's frozen copy. Updated at the end of each week, so the feed is the same on every build.
    static func atom(_ weeks: [(report: Report, summary: String)], title: String, base: String) -> String {
        let latest = weeks.compactMap { $0.report.week?.interval.upperBound }.max() ?? Instant(seconds: 0)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<feed xmlns="http://www.w3.org/2005/Atom">"# + "\n"
        xml += "<title>\(SVG.escape(title))</title>\n"
        xml += "<id>\(SVG.escape(base))</id>\n"
        xml += #"<link rel="alternate" type="text/html" href="\#(SVG.escape(base))index.html"/>"# + "\n"
        xml += #"<link rel="self" type="application/atom+xml" href="\#(SVG.escape(base))feed.xml"/>"# + "\n"
        xml += "<updated>\(timestamp(latest))</updated>\n"
        xml += "<author><name>\(SVG.escape(title))</name></author>\n"
        for (report, summary) in weeks.reversed() {
            guard let week = report.week else { continue }
            let url = base + "weeks/\(week.week)/index.html"
            xml += "<entry>\n"
            xml += "<title>Week \(week.week): \(SiteBuilder.range(of: week.week))</title>\n"
            xml += "<id>\(SVG.escape(url))</id>\n"
            xml += #"<link rel="alternate" type="text/html" href="\#(SVG.escape(url))"/>"# + "\n"
            xml += "<updated>\(timestamp(week.interval.upperBound))</updated>\n"
            xml += "<summary>\(SVG.escape(summary))</summary>\n"
            xml += "</entry>\n"
        }
        return xml + "</feed>\n"
    }
}
