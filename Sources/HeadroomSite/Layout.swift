import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel
import Mustache

extension SiteBuilder {
    /// The pages of a list split over `count` pages, on page `page`: `noun first–last of all`,
    /// and a link to each page (`file(n)`, relative to the page's folder).
    static func pageNav(_ noun: String, rows: Range<Int>, of all: Int, page: Int, count: Int, file: (Int) -> String)
        -> PageNavView?
    {
        guard count > 1 else { return nil }
        return PageNavView(
            label: "\(noun) \(Format.grouped(Int64(rows.lowerBound + 1)))–\(Format.grouped(Int64(rows.upperBound)))"
                + " of \(Format.grouped(Int64(all)))",
            pages: (1...count).map { PageLinkView(label: "\($0)", href: file($0), current: $0 == page) })
    }

    /// A page's content before the layout: its path within its week's folder, its title and its HTML.
    struct Body: Sendable {
        var path: String
        var title: String
        var html: String
    }

    /// The weeks of the site, oldest first, with the pages each has.
    struct WeekPages: Sendable {
        var week: ISOWeek?
        var paths: Set<String>
    }

    /// Where a week's pages are written: at the site root (the review week) or under `weeks/<week>/`.
    struct Location {
        var week: ISOWeek?
        var archived = false
        /// The week's index among the site's weeks.
        var index = 0
        var folder: String { archived ? "weeks/\(week!)/" : "" }
    }

    func body<View: Codable>(_ path: String, template: String, title: String, view: View)
        throws(HeadroomError) -> Body
    {
        guard let html = library.render(TemplateContext.make(view), withTemplate: template) else {
            throw HeadroomError(.render, file: path, "the template \(template) is missing")
        }
        return Body(path: path, title: title, html: html)
    }

    /// A template rendered alone, outside any page (a table row for `ServiceRowsFile`).
    func fragment<View: Codable>(_ template: String, view: View) throws(HeadroomError) -> String {
        guard let html = library.render(TemplateContext.make(view), withTemplate: template) else {
            throw HeadroomError(.render, "the template \(template) is missing")
        }
        return html
    }

    /// The page in the layout: navigation within its week, and the previous week's same page.
    /// `root` replaces the relative way to the site root, for the 404 page.
    func wrap(
        _ body: Body, at location: Location, site report: Report?, weeks: [WeekPages], root fixed: String? = nil
    ) throws(HeadroomError) -> SiteFile {
        let path = location.folder + body.path
        let root = fixed ?? String(repeating: "../", count: path.split(separator: "/").count - 1)
        let weekRoot = fixed ?? String(repeating: "../", count: body.path.split(separator: "/").count - 1)
        // The site's sections; the gallery stands alone and has none.
        let sections = [
            ("Overview", "index.html"), ("SLOs", "slos.html"), ("Costs", "costs.html"), ("Limits", "limits.html"),
            ("Errors", "errors.html"), ("Traces", "traces.html"), ("Checks", "checks.html"), ("Notes", "notes.html"),
            ("Sources", "sources.html"),
        ]
        /// The same page in another week, or that week's overview when the page does not exist there.
        func link(_ index: Int) -> WeekLinkView? {
            guard weeks.indices.contains(index), let week = weeks[index].week else { return nil }
            let page = weeks[index].paths.contains(body.path) ? body.path : "index.html"
            return WeekLinkView(label: week.description, href: root + "weeks/\(week)/" + page)
        }
        var weekView: WeekNavView?
        if report != nil, let week = location.week {
            weekView = WeekNavView(
                label: week.description, range: Self.range(of: week), previous: link(location.index - 1),
                archived: location.archived,
                latest: location.archived ? WeekLinkView(label: "", href: root + body.path) : nil)
        }
        let layout = LayoutView(
            siteTitle: report?.title ?? "Headroom", pageTitle: body.title, root: root,
            home: weekRoot + "index.html",
            week: weekView,
            nav: report == nil
                ? []
                : sections.map {
                    NavItemView(
                        label: $0.0, href: weekRoot + $0.1, current: $0.1 == body.path,
                        inSection: $0.1 != body.path && Self.section(of: body.path) == $0.1)
                },
            hasSearch: report != nil,
            nextStep: report != nil && report?.week == nil ? NextStepView() : nil,
            generator: generator,
            content: TrustedHTML(trusted: body.html))
        guard let html = library.render(TemplateContext.make(layout), withTemplate: "layout") else {
            throw HeadroomError(.render, file: path, "the layout template is missing")
        }
        return SiteFile(path: path, contents: Data(html.utf8))
    }

    /// The review week's page at the site root that sends the browser to its copy in the week's
    /// folder (`pages(week:report:plan:)`).
    func latest(_ body: Body, week: ISOWeek, siteTitle: String) throws(HeadroomError) -> SiteFile {
        let root = String(repeating: "../", count: body.path.split(separator: "/").count - 1)
        let view = LatestView(
            siteTitle: siteTitle, pageTitle: body.title, weekLabel: week.description,
            href: root + "weeks/\(week)/" + body.path, root: root, generator: generator)
        return try file(body.path, template: "latest", view: view)
    }

    /// The section a detail page belongs to: an SLO to the error budgets, the rest to the overview.
    static func section(of path: String) -> String? {
        if path.hasPrefix("slos/") { return "slos.html" }
        if path.hasPrefix("checks/") { return "checks.html" }
        if path.hasPrefix("errors/") { return "errors.html" }
        if path.hasPrefix("traces/") { return "traces.html" }
        if ["functions/", "resources/", "services/"].contains(where: path.hasPrefix) { return "index.html" }
        return nil
    }

    /// `Mon 16 Nov – Sun 22 Nov 2026`.
    static func range(of week: ISOWeek) -> String {
        DayLabel.day(week.mondayDays) + " – " + DayLabel.day(week.mondayDays + 6, year: true)
    }
}
