import Foundation
import HeadroomIngest
import HeadroomMarkdown
import HeadroomModel

/// Reads `notes/<ISO week>.md`: YAML front matter (`week`, `authors`, `title`, `actions`,
/// `incidents`) and a
/// Markdown body, checked against the Markdown limits so a hostile note fails here, by name.
public enum NoteReader {
    static let keys = ["week", "authors", "title", "actions", "incidents"]

    /// Every `*.md` of `folder`, read through `ProjectFile` inside `root` (the project): a note
    /// that links out of the project, or is a FIFO or a device, is an error, never read.
    public static func read(folder: URL, display: String, root: URL) throws(HeadroomError) -> [Note] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var notes: [Note] = []
        for name in names.sorted() where name.hasSuffix(".md") && !name.hasPrefix(".") {
            let path = "\(display)/\(name)"
            guard let week = ISOWeek(String(name.dropLast(3))) else {
                throw HeadroomError(
                    .ingest, file: path, "a note's file name must be its ISO week",
                    remedy: "rename it like 2026-W47.md")
            }
            let data = try ProjectFile.read(
                folder.appending(path: name).path, display: path, root: root.path,
                limit: Markdown.Limits().maximumBytes, stage: .ingest)
            notes.append(try parse(try ProjectFile.text(data, display: path, stage: .ingest), week: week, path: path))
        }
        return notes
    }

    public static func parse(_ text: String, week: ISOWeek, path: String) throws(HeadroomError) -> Note {
        func fail(_ line: Int?, _ message: String, remedy: String? = nil) -> HeadroomError {
            HeadroomError(.ingest, file: path, position: line.map { .line($0, column: nil) }, message, remedy: remedy)
        }
        let document: MarkdownDocument
        do {
            document = try MarkdownDocument(parsing: text)
        } catch {
            throw fail(error.line, error.message)
        }
        var authors: [String] = []
        var incidents: [Incident] = []
        var title: String?
        var actions: [ActionItem] = []
        if case .map(let entries) = document.frontMatter {
            for entry in entries {
                guard keys.contains(entry.key) else {
                    throw fail(
                        entry.line,
                        "unknown front-matter key '\(entry.key)'"
                            + (Suggest.closest(to: entry.key, in: keys).map { "; did you mean '\($0)'?" } ?? ""),
                        remedy: "keys: " + keys.joined(separator: ", "))
                }
                switch (entry.key, entry.value) {
                case ("week", .text(let value)):
                    guard ISOWeek(value) == week else {
                        throw fail(entry.line, "week: \(value) does not match the file name's week \(week)")
                    }
                case ("week", _):
                    throw fail(entry.line, "week must be an ISO week such as \(week)")
                case ("authors", .text(let value)):
                    authors = [value]
                case ("authors", .list(let values)):
                    authors = try values.map { value throws(HeadroomError) in
                        guard let text = value.text else { throw fail(entry.line, "authors must be a list of names") }
                        return text
                    }
                case ("authors", _):
                    throw fail(entry.line, "authors must be a list of names")
                case ("incidents", .list(let items)):
                    incidents = try items.map { item throws(HeadroomError) in try incident(item, line: entry.line, fail)
                    }
                case ("incidents", _):
                    throw fail(entry.line, "incidents must be a list of {title, start, end}")
                case ("title", .text(let value)):
                    title = value
                case ("title", _):
                    throw fail(entry.line, "title must be text")
                case ("actions", .list(let items)):
                    actions = try items.map { item throws(HeadroomError) in try action(item, line: entry.line, fail) }
                case ("actions", _):
                    throw fail(entry.line, "actions must be a list of {title, owner, due, done}")
                default:
                    break
                }
            }
        }
        do {
            try Markdown.check(document.body, limits: Markdown.Limits())
        } catch {
            throw fail(
                error.line.map { $0 + document.bodyLine - 1 }, error.message, remedy: "shorten or flatten the note")
        }
        return Note(
            week: week, path: path, authors: authors, body: document.body, incidents: incidents, title: title,
            actions: actions)
    }

    /// `{title: …, owner: …, due: 2026-11-24, done: false}`; only `title` is required.
    static func action(
        _ item: FrontMatterValue, line: Int, _ fail: (Int?, String, String?) -> HeadroomError
    ) throws(HeadroomError) -> ActionItem {
        let format =
            "each action needs a title, e.g. {title: Raise the reserved concurrency, owner: Marco Berger, due: 2026-11-24, done: false}"
        guard case .map(let entries) = item, let title = item["title"]?.text, !title.isEmpty else {
            throw fail(line, format, nil)
        }
        var owner: String?
        var due: Int64?
        var done = false
        for entry in entries {
            switch (entry.key, entry.value.text) {
            case ("title", _): break
            case ("owner", let text?): owner = text
            case ("due", let text?) where Timestamp.civilDays(text) != nil: due = Timestamp.civilDays(text)
            case ("done", "true"): done = true
            case ("done", "false"): done = false
            case ("owner", nil): throw fail(entry.line, "an action's owner must be a name", nil)
            case ("due", let text):
                throw fail(
                    entry.line, "an action's due date must be a date such as 2026-11-24, found '\(text ?? "a list")'",
                    nil)
            case ("done", let text):
                throw fail(entry.line, "an action's done must be true or false, found '\(text ?? "a list")'", nil)
            default:
                throw fail(entry.line, "unknown action key '\(entry.key)'", "keys: title, owner, due, done")
            }
        }
        return ActionItem(title: title, owner: owner, due: due, done: done)
    }

    /// `{title: …, start: 2026-11-19T10:00:00+01:00, end: …}`; `end` is optional and not before `start`.
    static func incident(
        _ item: FrontMatterValue, line: Int, _ fail: (Int?, String, String?) -> HeadroomError
    ) throws(HeadroomError) -> Incident {
        let format =
            "each incident needs a title and a start, e.g. {title: Payment provider outage, start: 2026-11-19T10:00:00+01:00, end: 2026-11-19T14:00:00+01:00}"
        guard case .map(let entries) = item, let title = item["title"]?.text, !title.isEmpty,
            let startText = item["start"]?.text
        else { throw fail(line, format, nil) }
        for entry in entries where !["title", "start", "end"].contains(entry.key) {
            throw fail(entry.line, "unknown incident key '\(entry.key)'", "keys: title, start, end")
        }
        guard let start = Timestamp.parse(startText) else {
            throw fail(
                line, "incident start '\(startText)' is not an ISO 8601 time with a zone in \(Instant.yearsText)", nil
            )
        }
        var end: Instant?
        if let endText = item["end"]?.text {
            guard let parsed = Timestamp.parse(endText), parsed >= start else {
                throw fail(
                    line,
                    "incident end '\(endText)' is not an ISO 8601 time with a zone, in \(Instant.yearsText), at or after its start",
                    nil)
            }
            end = parsed
        }
        return Incident(title: title, start: start, end: end)
    }
}
