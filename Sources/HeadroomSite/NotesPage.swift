import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomMarkdown
import HeadroomModel

/// `notes.html`: the week's note and every action item still open.
struct NotesPage: PageKind {
    static let template = "pages/notes"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["notes.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<NotesPageView>] {
        let report = week.report
        return [
            PlannedPage(
                path: "notes.html", title: "Notes",
                view: NotesPageView(
                    weekLabel: week.weekLabel, weekRange: report.week.map { SiteBuilder.range(of: $0.week) },
                    note: try site.noteView(report), actions: SiteBuilder.actionViews(report),
                    hasActions: !report.actions.isEmpty, expected: "notes/\(week.weekLabel ?? "YYYY-Www").md"))
        ]
    }
}

extension SiteBuilder {
    func noteView(_ report: Report) throws(HeadroomError) -> NoteView? {
        guard let week = report.week?.week, let note = report.notes.first(where: { $0.week == week }) else {
            return nil
        }
        return NoteView(
            week: note.week.description, title: note.title ?? "Notes for \(note.week)",
            authors: note.authors.isEmpty ? nil : note.authors.joined(separator: ", "),
            html: try renderMarkdown(note.body, file: note.path), source: note.path)
    }

    /// The week's action items as a checklist: this week's note's items, then those still open from earlier notes.
    static func actionViews(_ report: Report) -> [ActionView] {
        let week = report.week?.week
        return report.actions.sorted { ($0.listed == week ? 0 : 1) < ($1.listed == week ? 0 : 1) }.map { action in
            ActionView(
                title: action.item.title, owner: action.item.owner,
                due: action.item.due.map { DayLabel.day($0, year: true) }, done: action.item.done,
                overdue: action.overdue,
                carried: action.listed == week ? nil : "open since \(action.since)")
        }
    }

    /// A note sits under an `<h2>`, so its headings start at `<h3>`.
    func renderMarkdown(_ text: String, file: String, headingOffset: Int = 2) throws(HeadroomError)
        -> TrustedHTML
    {
        do {
            return TrustedHTML(trusted: try Markdown.html(text, headingOffset: headingOffset))
        } catch {
            throw HeadroomError(
                .render, file: file, position: error.line.map { .line($0, column: nil) }, error.message,
                remedy: "shorten or flatten the note")
        }
    }
}
