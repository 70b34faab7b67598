import CCmarkGFM

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A problem with a Markdown input, at a 1-based line of the text given.
public struct MarkdownError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var message: String
    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }
    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// GitHub-flavoured Markdown to safe HTML, through Debian's libcmark-gfm.
///
/// Safety: cmark-gfm's safe mode omits raw HTML; on top of it every link and image URL that is
/// not http(s), mailto or relative is emptied, whatever its spelling (`JaVaScRiPt:`, entity-encoded,
/// with embedded whitespace: cmark has decoded all of these before we look). Attribute values are
/// escaped by cmark. Debian's libcmark-gfm (0.29.0.gfm.6) has known quadratic-time inputs, so the
/// text is checked against `Limits` before it reaches the C library.
public enum Markdown {
    public struct Limits: Sendable {
        /// The largest input, in UTF-8 bytes.
        public var maximumBytes: Int
        /// The most block containers (block quotes and list items) one line may open.
        public var maximumNesting: Int
        /// The most `<!` sequences (comments, declarations, CDATA) in one text.
        public var maximumMarkupDeclarations: Int
        /// The most `|` on one line: a table row's cells are split at each.
        public var maximumColumns: Int
        /// The most table cells in one text, counted as columns × rows: cmark-gfm fills every row
        /// out to the header's columns.
        public var maximumTableCells: Int
        /// The most `[` in one paragraph (up to a blank line): unmatched link and image openers
        /// are searched again at each `]`.
        public var maximumBrackets: Int
        /// The most `www.` in one word: the autolink extension scans to the word's end from each.
        public var maximumWebAddressesPerWord: Int

        public init(
            maximumBytes: Int = 256 * 1024, maximumNesting: Int = 32, maximumMarkupDeclarations: Int = 200,
            maximumColumns: Int = 256, maximumTableCells: Int = 100_000, maximumBrackets: Int = 1_000,
            maximumWebAddressesPerWord: Int = 16
        ) {
            self.maximumBytes = maximumBytes
            self.maximumNesting = maximumNesting
            self.maximumMarkupDeclarations = maximumMarkupDeclarations
            self.maximumColumns = maximumColumns
            self.maximumTableCells = maximumTableCells
            self.maximumBrackets = maximumBrackets
            self.maximumWebAddressesPerWord = maximumWebAddressesPerWord
        }
    }

    public static let extensions = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// Renders `markdown` to an HTML fragment. Throws when the text exceeds `limits`.
    /// `headingOffset` moves headings down (1: `#` becomes `<h2>`) so that a fragment fits under
    /// the page's own headings; levels stop at 6.
    public static func html(
        _ markdown: String, headingOffset: Int = 0, limits: Limits = Limits()
    ) throws(MarkdownError) -> String {
        try check(markdown, limits: limits)
        return render(markdown, headingOffset: headingOffset)
    }

    /// Checks the inputs that make libcmark-gfm 0.29.0.gfm.6 slow, before it sees them. Each limit
    /// bounds a construct whose cost grows faster than its size (measured by the growth
    /// benchmark); the checks over-count rather than miss, so a refused text may be fine for cmark.
    public static func check(_ markdown: String, limits: Limits) throws(MarkdownError) {
        let bytes = markdown.utf8.count
        guard bytes <= limits.maximumBytes else {
            throw MarkdownError(line: nil, message: "the text is \(bytes) bytes; the limit is \(limits.maximumBytes)")
        }
        var declarations = 0
        var brackets = 0
        var tableColumns = 0  // the open table's columns, 0 outside a table
        var tableCells = 0
        var previousLine: Substring = ""
        var lineNumber = 0
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            func fail(_ message: String) -> MarkdownError { MarkdownError(line: lineNumber, message: message) }
            let depth = nesting(of: line)
            guard depth <= limits.maximumNesting else {
                throw fail(
                    "block quotes and lists nested \(depth) deep (two columns of indentation count as one); "
                        + "the limit is \(limits.maximumNesting)")
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                brackets = 0
                tableColumns = 0
            }
            var pipes = 0
            var addressesInWord = 0
            var previous: UInt8 = 0x20
            var beforePrevious: UInt8 = 0x20
            var third: UInt8 = 0x20
            for byte in line.utf8 {
                switch byte {
                case UInt8(ascii: "!") where previous == UInt8(ascii: "<"):
                    declarations += 1
                    guard declarations <= limits.maximumMarkupDeclarations else {
                        throw fail("more than \(limits.maximumMarkupDeclarations) '<!' sequences (comments, CDATA)")
                    }
                case UInt8(ascii: "|"):
                    pipes += 1
                    guard pipes <= limits.maximumColumns else {
                        throw fail("more than \(limits.maximumColumns) '|' (table columns) on one line")
                    }
                case UInt8(ascii: "["):
                    brackets += 1
                    guard brackets <= limits.maximumBrackets else {
                        throw fail(
                            "more than \(limits.maximumBrackets) '[' (links and images) in one paragraph; "
                                + "a blank line starts the next")
                    }
                case UInt8(ascii: "."):
                    if previous == UInt8(ascii: "w"), beforePrevious == UInt8(ascii: "w"), third == UInt8(ascii: "w") {
                        addressesInWord += 1
                        guard addressesInWord <= limits.maximumWebAddressesPerWord else {
                            throw fail(
                                "more than \(limits.maximumWebAddressesPerWord) 'www.' in one word; "
                                    + "separate the addresses with spaces")
                        }
                    }
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    addressesInWord = 0
                default:
                    break
                }
                third = beforePrevious
                beforePrevious = previous
                previous = byte
            }
            if tableColumns > 0 {
                tableCells += tableColumns
            } else if let columns = delimiterRowColumns(line), previousLine.contains("|") || columns > 1 {
                tableColumns = columns
                tableCells += 2 * columns  // the header and the delimiter row
            }
            guard tableCells <= limits.maximumTableCells else {
                throw fail(
                    "tables with more than \(limits.maximumTableCells) cells (columns × rows, "
                        + "every row filled out to the header's columns)")
            }
            previousLine = line
        }
    }

    /// The columns of a table's delimiter row (`| --- | :-: |`), or nil when the line is not one.
    static func delimiterRowColumns(_ line: Substring) -> Int? {
        var columns = 0
        var inCell = false
        var dashes = false
        for byte in line.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                dashes = true
                if !inCell { columns += 1 }
                inCell = true
            case UInt8(ascii: ":"):
                if !inCell { columns += 1 }
                inCell = true
            case UInt8(ascii: "|"):
                inCell = false
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                break
            default:
                return nil
            }
        }
        return dashes ? columns : nil
    }

    /// Containers a line opens: each `>` and list marker at its start, and every two columns of
    /// indentation before them. A nested list item needs at least two columns more than its
    /// parent (`- ` is the narrowest marker), so this never under-counts a list's depth.
    static func nesting(of line: Substring) -> Int {
        var depth = 0
        var indentation = 0
        var index = line.startIndex
        var atStart = true
        while index < line.endIndex {
            let character = line[index]
            if character == " " {
                if atStart { indentation += 1 }
                index = line.index(after: index)
            } else if character == "\t" {
                if atStart { indentation += 4 }
                index = line.index(after: index)
            } else if character == ">" {
                depth += 1
                atStart = false
                index = line.index(after: index)
            } else if character == "-" || character == "*" || character == "+" {
                let next = line.index(after: index)
                guard next == line.endIndex || line[next] == " " || line[next] == "\t" else { break }
                depth += 1
                atStart = false
                index = next
            } else if character.isASCII, character.isNumber {
                var end = index
                while end < line.endIndex, line[end].isASCII, line[end].isNumber { end = line.index(after: end) }
                guard end < line.endIndex, line[end] == "." || line[end] == ")" else { break }
                let after = line.index(after: end)
                guard after == line.endIndex || line[after] == " " else { break }
                depth += 1
                atStart = false
                index = after
            } else {
                break
            }
        }
        return depth + indentation / 2
    }

    /// Registers cmark-gfm's extensions once. Its own guard is a plain flag, and its registry a
    /// list that `cmark_find_syntax_extension` walks: two threads registering at once could leave
    /// one of them without an extension (a page without its table or links). A static let runs
    /// once, and the others wait for it.
    private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

    /// cmark-gfm keeps the inline parser's special characters in one global table, which each
    /// parser with extensions adds `~` and `|` to and removes them from as it parses
    /// (github/cmark-gfm#176): two texts parsed at once could lose each other's strikethrough or
    /// table. Parsing holds this lock; rendering the parsed tree does not need it.
    private static let parsing = ParseLock()

    /// The C part: every pointer is created and freed inside this function.
    private static func render(_ markdown: String, headingOffset: Int) -> String {
        _ = registered
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensions {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        var text = markdown
        let parsed = parsing.run { () -> OpaquePointer? in
            text.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    cmark_parser_feed(parser, chars.baseAddress, chars.count)
                }
            }
            return cmark_parser_finish(parser)
        }
        guard let document = parsed else { return "" }
        defer { cmark_node_free(document) }

        var images: [OpaquePointer] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                if type == CMARK_NODE_HEADING, headingOffset != 0 {
                    let level = cmark_node_get_heading_level(node) + Int32(headingOffset)
                    cmark_node_set_heading_level(node, min(max(level, 1), 6))
                }
                guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE else { continue }
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if !isAllowed(url: url) { cmark_node_set_url(node, "") }
                if type == CMARK_NODE_IMAGE { images.append(node) }
            }
        }
        // An image from another site would be fetched by every reader's browser (and tell that site
        // who reads the review), and one beside the note is not published with the site: each
        // becomes a link to the image, its alt text the link's text.
        for image in images { linkInstead(of: image) }

        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return ""
        }
        defer { free(html) }
        // Task-list checkboxes get a name for screen readers. Raw HTML in the text is escaped
        // (no CMARK_OPT_UNSAFE), so these exact tags can only come from the tasklist extension.
        return String(cString: html)
            .replacingOccurrences(
                of: #"<input type="checkbox" checked="" disabled="" />"#,
                with: #"<input type="checkbox" checked="" disabled="" aria-label="Done" />"#
            )
            .replacingOccurrences(
                of: #"<input type="checkbox" disabled="" />"#,
                with: #"<input type="checkbox" disabled="" aria-label="Not done" />"#)
    }

    /// Replaces an image node with a link to the same URL around the same alt text (or the URL
    /// when the alt text is empty).
    private static func linkInstead(of image: OpaquePointer) {
        guard let link = cmark_node_new(CMARK_NODE_LINK) else { return }
        cmark_node_set_url(link, cmark_node_get_url(image))
        cmark_node_set_title(link, cmark_node_get_title(image))
        if cmark_node_first_child(image) == nil, let text = cmark_node_new(CMARK_NODE_TEXT) {
            cmark_node_set_literal(text, cmark_node_get_url(image))
            cmark_node_append_child(link, text)
        }
        while let child = cmark_node_first_child(image) { cmark_node_append_child(link, child) }
        cmark_node_replace(image, link)
        cmark_node_free(image)
    }

    /// http, https and mailto URLs, and URLs without a scheme (relative paths, `#fragments`).
    public static func isAllowed(url: String) -> Bool {
        // cmark has already decoded entities and percent-encoded spaces; strip what browsers ignore.
        let trimmed = url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }
        var scheme = ""
        for scalar in trimmed {
            if scalar == ":" { break }
            if scalar == "/" || scalar == "?" || scalar == "#" { return true }  // no scheme: relative
            scheme.unicodeScalars.append(scalar)
        }
        if scheme.unicodeScalars.count == trimmed.count { return true }  // no colon at all
        return ["http", "https", "mailto"].contains(scheme.lowercased())
    }
}

/// A process-wide mutex around cmark-gfm's parsing.
final class ParseLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    func run<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
