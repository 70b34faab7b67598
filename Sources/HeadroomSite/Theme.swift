import Crypto
import Foundation
import HeadroomCharts
import HeadroomModel
import Mustache

/// The theme: Mustache templates (`layout`, `pages/…`, `partials/…`) and static assets (`assets/…`).
/// The default theme is compiled into the binary from the repository's `templates/` folder; a
/// report project's own `templates/` folder replaces single files of it.
public struct Theme: Sendable {
    struct File: Sendable {
        var text: String
        /// Where it came from, for error messages: `templates/pages/overview.mustache` or
        /// `(built-in) pages/overview.mustache`.
        var origin: String
    }

    var files: [String: File]

    /// The built-in theme, file paths relative to the theme root.
    public static var builtInPaths: [String] { EmbeddedTheme.files.keys.sorted() }

    /// The built-in theme with the overrides found in `directory` (if it exists), each read through
    /// `ProjectFile` inside `root` (the project). `display` is how to name that folder in messages.
    public static func load(overrides directory: URL?, display: String, root: URL? = nil) throws(HeadroomError)
        -> Theme
    {
        var files: [String: File] = [:]
        for (path, text) in EmbeddedTheme.files { files[path] = File(text: text, origin: "(built-in) \(path)") }
        guard let directory, FileManager.default.fileExists(atPath: directory.path) else { return Theme(files: files) }
        guard
            let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        else { return Theme(files: files) }
        let base = directory.standardizedFileURL.path
        var overrides: [URL] = []
        for case let url as URL in enumerator {
            var info = stat()
            if lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { continue }
            overrides.append(url)
        }
        for url in overrides.sorted(by: { $0.path < $1.path }) {
            let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            let shown = "\(display)/\(path)"
            guard files[path] != nil else {
                throw HeadroomError(
                    .configuration, file: shown, "this file overrides nothing in the built-in theme",
                    remedy: (Suggest.closest(to: path, in: builtInPaths).map { "did you mean \(display)/\($0)? " } ?? "")
                        + "files that can be overridden: " + builtInPaths.joined(separator: ", "))
            }
            let data = try ProjectFile.read(
                url.path, display: shown, root: (root ?? directory).path, limit: 1 << 20, stage: .configuration)
            files[path] = File(text: try ProjectFile.text(data, display: shown, stage: .configuration), origin: shown)
        }
        return Theme(files: files)
    }

    /// SHA-256 of every file's path and text: the theme's part in whether a rendered page would
    /// change.
    public var fingerprint: String {
        var hasher = SHA256()
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            for part in [path, file.text] {
                let bytes = Data(part.utf8)
                var length = UInt64(bytes.count).littleEndian
                withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
                hasher.update(data: bytes)
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Templates by name: the path without `.mustache`.
    var templates: [String: (text: String, file: String)] {
        var result: [String: (text: String, file: String)] = [:]
        for (path, file) in files where path.hasSuffix(".mustache") {
            result[String(path.dropLast(9))] = (file.text, file.origin)
        }
        return result
    }

    /// Static files copied to the site unchanged, sorted by path.
    var assets: [(path: String, text: String)] {
        files.filter { $0.key.hasPrefix("assets/") }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.text) }
    }

    /// Templates that write Markdown: `{{value}}` escapes for Markdown, not HTML, whether or not an
    /// override says so.
    static let markdownTemplates: Set<String> = ["summary"]

    /// A Mustache library with every template, parsed.
    func library() throws(HeadroomError) -> MustacheLibrary {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        MustacheContentTypes.register(HTMLTextContentType(), named: "HTML_TEXT")
        var library = MustacheLibrary()
        for (name, template) in templates.sorted(by: { $0.key < $1.key }) {
            // The pragma, on the first line without a line break, leaves line numbers as they are.
            let pragma =
                Self.markdownTemplates.contains(name)
                ? "{{% CONTENT_TYPE: MARKDOWN }}" : "{{% CONTENT_TYPE: HTML_TEXT }}"
            do {
                try library.register(pragma + template.text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw HeadroomError(
                    .render, file: template.file,
                    position: .line(error.context.lineNumber, column: error.context.columnNumber),
                    "invalid Mustache: \(error.error)")
            } catch {
                throw HeadroomError(.render, file: template.file, "invalid Mustache: \(error)")
            }
        }
        return library
    }
}

/// The escaping of `{{value}}` in every HTML and XML template: the five special characters become
/// references, and control characters (NUL among them) that no HTML or XML text may hold are
/// dropped, through the one escaper the charts use too. Mustache's own HTML escaping keeps them.
struct HTMLTextContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { SVG.escape(text) }
}
