import Foundation
import HeadroomMarkdown
import HeadroomModel

/// Reads `notes/<ISO week>.md`: YAML front matter (`week`, `authors`, `title`, `actions`) and a
/// Markdown body, checked against the Markdown limits so a hostile note fails here, by name.
public enum NoteReader {
    static let keys = ["week", "authors", "title", "actions"]

    public static func read(folder: URL, display: String) throws(HeadroomError) -> [Note] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var notes: [Note] = []
        for name in names.sorted() where name.hasSuffix(".md") && !name.hasPrefix(".") {
            let path = "\(display)/\(name)"
            guard let week = ISOWeek(String(name.dropLast(3))) else {
                throw HeadroomError(
                    .ingest, file: path, "a note's file name must be its ISO week",
                    remedy: "rename it like 2026-W47.md")
            }
            guard let data = try? Data(contentsOf: folder.appending(path: name)),
                let text = String(data: data, encoding: .utf8)
            else {
                throw HeadroomError(.ingest, file: path, "cannot read the note as UTF-8 text")
            }
            notes.append(try parse(text, week: week, path: path))
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
        return Note(week: week, path: path, authors: authors, body: document.body)
    }
}
