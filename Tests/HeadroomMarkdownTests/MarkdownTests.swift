import Testing

@testable import HeadroomMarkdown

/// Examples from the GitHub Flavored Markdown spec's extension sections (tables, strikethrough,
/// autolinks, task lists, disallowed raw HTML), rendered in safe mode. Where the spec shows raw
/// HTML passing through, safe mode omits it: those expectations say so.
@Suite struct GFMExtensionTests {
    func html(_ markdown: String) throws -> String { try Markdown.html(markdown) }

    @Test func tables() throws {
        #expect(
            try html("| foo | bar |\n| --- | --- |\n| baz | bim |") == """
                <table>
                <thead>
                <tr>
                <th>foo</th>
                <th>bar</th>
                </tr>
                </thead>
                <tbody>
                <tr>
                <td>baz</td>
                <td>bim</td>
                </tr>
                </tbody>
                </table>

                """)
        #expect(
            try html("| abc | defghi |\n:-: | -----------:\nbar | baz") == """
                <table>
                <thead>
                <tr>
                <th align="center">abc</th>
                <th align="right">defghi</th>
                </tr>
                </thead>
                <tbody>
                <tr>
                <td align="center">bar</td>
                <td align="right">baz</td>
                </tr>
                </tbody>
                </table>

                """)
        // Escaped pipes inside cells, and inline formatting.
        #expect(
            try html("| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |") == """
                <table>
                <thead>
                <tr>
                <th>f|oo</th>
                </tr>
                </thead>
                <tbody>
                <tr>
                <td>b <code>|</code> az</td>
                </tr>
                <tr>
                <td>b <strong>|</strong> im</td>
                </tr>
                </tbody>
                </table>

                """)
        // The header row must match the delimiter row in the number of cells.
        #expect(try html("| abc | def |\n| --- |\n| bar |") == "<p>| abc | def |\n| --- |\n| bar |</p>\n")
        // Rows with fewer cells are padded; excess cells are ignored.
        #expect(
            try html("| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |") == """
                <table>
                <thead>
                <tr>
                <th>abc</th>
                <th>def</th>
                </tr>
                </thead>
                <tbody>
                <tr>
                <td>bar</td>
                <td></td>
                </tr>
                <tr>
                <td>bar</td>
                <td>baz</td>
                </tr>
                </tbody>
                </table>

                """)
    }

    /// cmark-gfm shares one table of special characters between parsers (github/cmark-gfm#176):
    /// texts rendered at once on many threads must each keep their strikethrough.
    @Test func parsesTheSameOnManyThreadsAtOnce() async throws {
        let text = "~~Hi~~ Hello, ~there~ world!"
        let expected = try html(text)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<400).map { _ in (try? Markdown.html(text)) ?? "" } }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == 3_200)
        #expect(results.filter { $0 != expected }.count == 0)
    }

    @Test func strikethrough() throws {
        #expect(try html("~~Hi~~ Hello, ~there~ world!") == "<p><del>Hi</del> Hello, <del>there</del> world!</p>\n")
        #expect(try html("This ~~has a\n\nnew paragraph~~.") == "<p>This ~~has a</p>\n<p>new paragraph~~.</p>\n")
        #expect(try html("This will ~~~not~~~ strike.") == "<p>This will ~~~not~~~ strike.</p>\n")
    }

    @Test func autolinks() throws {
        #expect(
            try html("www.commonmark.org") == "<p><a href=\"http://www.commonmark.org\">www.commonmark.org</a></p>\n")
        #expect(
            try html("Visit www.commonmark.org/help for more information.")
                == "<p>Visit <a href=\"http://www.commonmark.org/help\">www.commonmark.org/help</a> for more information.</p>\n"
        )
        #expect(
            try html("Visit www.commonmark.org.")
                == "<p>Visit <a href=\"http://www.commonmark.org\">www.commonmark.org</a>.</p>\n")
        #expect(
            try html("www.google.com/search?q=(business))+ok")
                == "<p><a href=\"http://www.google.com/search?q=(business))+ok\">www.google.com/search?q=(business))+ok</a></p>\n"
        )
        #expect(
            try html("www.google.com/search?q=Markup+(business)")
                == "<p><a href=\"http://www.google.com/search?q=Markup+(business)\">www.google.com/search?q=Markup+(business)</a></p>\n"
        )
        #expect(
            try html("https://www.commonmark.org/he<lp")
                == "<p><a href=\"https://www.commonmark.org/he\">https://www.commonmark.org/he</a>&lt;lp</p>\n")
        #expect(try html("foo@bar.baz") == "<p><a href=\"mailto:foo@bar.baz\">foo@bar.baz</a></p>\n")
        #expect(
            try html("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.")
                == "<p>hello@mail+xyz.example isn't valid, but <a href=\"mailto:hello+xyz@mail.example\">hello+xyz@mail.example</a> is.</p>\n"
        )
    }

    @Test func headingsCanBeMovedDown() throws {
        #expect(try Markdown.html("# A\n## B\n###### C", headingOffset: 2) == "<h3>A</h3>\n<h4>B</h4>\n<h6>C</h6>\n")
    }

    @Test func taskLists() throws {
        #expect(
            try html("- [ ] foo\n- [x] bar") == """
                <ul>
                <li><input type="checkbox" disabled="" aria-label="Not done" /> foo</li>
                <li><input type="checkbox" checked="" disabled="" aria-label="Done" /> bar</li>
                </ul>

                """)
    }

    /// The spec's tag-filter example: in safe mode all raw HTML is omitted, not just the
    /// disallowed tags; the Markdown around it still renders.
    @Test func disallowedRawHTML() throws {
        #expect(
            try html(
                "<strong> <title> <style> <em>\n\n<blockquote>\n  <xmp> is disallowed.  <XMP> is also disallowed.\n</blockquote>"
            ) == """
                <p><!-- raw HTML omitted --> <!-- raw HTML omitted --> <!-- raw HTML omitted --> <!-- raw HTML omitted --></p>
                <!-- raw HTML omitted -->

                """)
    }
}

@Suite struct HostileMarkdownTests {
    func html(_ markdown: String) throws -> String { try Markdown.html(markdown) }

    @Test func rawHTMLIsOmitted() throws {
        for attack in [
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil></iframe>",
            "<svg onload=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>", "<style>body{}</style>",
        ] {
            let output = try html(attack + "\n\ntext " + attack)
            #expect(!output.contains("<script"), "\(attack)")
            #expect(!output.contains("onerror"), "\(attack)")
            #expect(!output.contains("onload"), "\(attack)")
            #expect(!output.contains("<iframe"), "\(attack)")
            #expect(!output.contains("<style"), "\(attack)")
            #expect(!output.contains("javascript:"), "\(attack)")
        }
    }

    @Test func dangerousLinkSchemesAreEmptiedInEverySpelling() throws {
        let urls = [
            "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "java&#x09;script:alert(1)",
            "javascript&colon;alert(1)", " javascript:alert(1)", "%6Aavascript:alert(1)", "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data:image/png;base64,iVBORw0KGgo=",
            "file:///etc/passwd", "jav\u{0}ascript:alert(1)",
        ]
        for url in urls {
            for markdown in ["[a](\(url))", "![a](\(url))", "[a][r]\n\n[r]: \(url)", "<\(url)>"] {
                let output = try html(markdown)
                let lowered = output.lowercased()
                #expect(
                    !lowered.contains("javascript:") || !lowered.contains("href=\"javascript"),
                    "\(markdown) → \(output)")
                for scheme in ["javascript:", "vbscript:", "data:", "file:"] {
                    #expect(
                        !lowered.contains("href=\"\(scheme)") && !lowered.contains("src=\"\(scheme)"),
                        "\(markdown) → \(output)")
                }
            }
        }
        #expect(try html("[ok](https://example.com/a?b=c)") == "<p><a href=\"https://example.com/a?b=c\">ok</a></p>\n")
        #expect(
            try html("[rel](../weeks/2026-W47.html#top)") == "<p><a href=\"../weeks/2026-W47.html#top\">rel</a></p>\n")
        #expect(try html("[mail](mailto:ops@example.com)") == "<p><a href=\"mailto:ops@example.com\">mail</a></p>\n")
    }

    @Test func attributesCannotBeBrokenOutOf() throws {
        let cases = [
            "[a](x\"onmouseover=\"alert(1))", "[a](x\" onmouseover=\"alert(1)\")", "[a](<x\" onclick=\"y>)",
            "![a\" onerror=\"alert(1)](x.png)", "[a](x 'title\" onmouseover=\"alert(1)')",
        ]
        for markdown in cases {
            let output = try html(markdown)
            // Whatever cmark makes of it, no attribute may start inside a value.
            #expect(!output.contains("\" onmouseover="), "\(markdown) → \(output)")
            #expect(!output.contains("\" onclick="), "\(markdown) → \(output)")
            #expect(!output.contains("\" onerror="), "\(markdown) → \(output)")
        }
        #expect(try html("[a](x\"onmouseover=\"alert(1))") == "<p><a href=\"x%22onmouseover=%22alert(1)\">a</a></p>\n")
    }

    @Test func schemeCheck() {
        #expect(Markdown.isAllowed(url: "https://x"))
        #expect(Markdown.isAllowed(url: "HTTP://x"))
        #expect(Markdown.isAllowed(url: "page.html"))
        #expect(Markdown.isAllowed(url: "#top"))
        #expect(Markdown.isAllowed(url: "a/b:c"))  // a colon after a slash is not a scheme
        #expect(!Markdown.isAllowed(url: "javascript:x"))
        #expect(!Markdown.isAllowed(url: "java\tscript:x"))
        #expect(!Markdown.isAllowed(url: "ftp://x"))
    }

    /// Inputs that are quadratic in libcmark-gfm 0.29.0.gfm.6 are refused before they reach it.
    @Test func pathologicalInputsAreRefused() {
        let cases: [(String, String)] = [
            (
                String(repeating: "> ", count: 5000) + "x",
                "block quotes and lists nested 5000 deep (two columns of indentation count as one); the limit is 32"
            ),
            (
                String(repeating: "- ", count: 3000) + "x",
                "block quotes and lists nested 3000 deep (two columns of indentation count as one); the limit is 32"
            ),
            (
                (0..<100).map { String(repeating: " ", count: $0 * 2) + "- x" }.joined(separator: "\n"),
                "block quotes and lists nested 33 deep (two columns of indentation count as one); the limit is 32"
            ),
            (String(repeating: "<![CDATA[", count: 6000), "more than 200 '<!' sequences (comments, CDATA)"),
            ("a" + String(repeating: "<!--", count: 15000), "more than 200 '<!' sequences (comments, CDATA)"),
            (String(repeating: "x", count: 300_000), "the text is 300000 bytes; the limit is 262144"),
        ]
        for (input, message) in cases {
            #expect(throws: MarkdownError.self) { try Markdown.html(input) }
            do {
                try Markdown.check(input, limits: .init())
            } catch {
                #expect(error.message == message)
            }
        }
        #expect((try? Markdown.html(String(repeating: "> ", count: 10) + "fine")) != nil)
    }

    /// Images become links to them: one from another host would be fetched by every reader's
    /// browser, and one beside the note is not published.
    @Test func imagesBecomeLinks() throws {
        #expect(
            try Markdown.html(#"![graph](https://cdn.example.com/g.png "Latency")"#)
                == "<p><a href=\"https://cdn.example.com/g.png\" title=\"Latency\">graph</a></p>\n")
        #expect(
            try Markdown.html("![](http://tracker.example/p.gif)")
                == "<p><a href=\"http://tracker.example/p.gif\">http://tracker.example/p.gif</a></p>\n")
        for url in ["//tracker.example/p.gif", #"/\tracker.example/p.gif"#, "HTTPS://x.example/a", "diagram.png"] {
            let html = try Markdown.html("a ![*alt*](\(url)) b")
            #expect(!html.contains("<img"), "\(url): \(html)")
            #expect(html.contains("<em>alt</em></a>"), "\(url): \(html)")
        }
        #expect(try Markdown.html("| a |\n|---|\n| ![x](d.png) |").contains(#"<td><a href="d.png">x</a></td>"#))
        #expect(try Markdown.html("![x](javascript:alert(1))") == "<p><a href=\"\">x</a></p>\n")
    }

    /// The wave-1 cases, each refused at its line: a table of 2,500 columns × 5,000 rows and one of
    /// 200 columns × 600 rows (cmark-gfm fills each row out to the header's columns), a line of 300
    /// pipes under a header, lists nested 62 deep by two spaces a level, `![[]()` and `www.a_`
    /// repeated.
    @Test func quadraticConstructsAreRefusedAtTheirLine() {
        func table(columns: Int, rows: Int) -> String {
            "|" + String(repeating: " a |", count: columns) + "\n|" + String(repeating: "---|", count: columns) + "\n"
                + String(repeating: "x\n", count: rows)
        }
        let cases: [(String, Int, String)] = [
            (table(columns: 2_500, rows: 5_000), 1, "more than 256 '|' (table columns) on one line"),
            (
                table(columns: 200, rows: 600), 501,
                "tables with more than 100000 cells (columns × rows, every row filled out to the header's columns)"
            ),
            ("a|b\n-|-\n" + String(repeating: "|", count: 300), 3, "more than 256 '|' (table columns) on one line"),
            (
                (0..<62).map { String(repeating: "  ", count: $0) + "- level" }.joined(separator: "\n"), 33,
                "block quotes and lists nested 33 deep (two columns of indentation count as one); the limit is 32"
            ),
            (
                "intro\n\n" + String(repeating: "![[]()", count: 1_000), 3,
                "more than 1000 '[' (links and images) in one paragraph; a blank line starts the next"
            ),
            (
                "see " + String(repeating: "www.a_", count: 4_000), 1,
                "more than 16 'www.' in one word; separate the addresses with spaces"
            ),
        ]
        for (input, line, message) in cases {
            #expect(throws: MarkdownError(line: line, message: message)) { try Markdown.check(input, limits: .init()) }
        }
    }

    /// The same constructs at a size a team writes render: each limit is far above real notes.
    @Test func realisticTablesListsAndLinksPass() throws {
        let table =
            "| function | errors |\n|---|--:|\n"
            + (0..<2_000).map { "| fn-\($0) | \($0) |" }.joined(separator: "\n")
        #expect(try Markdown.html(table).components(separatedBy: "<tr>").count == 2_002)
        let nested = (0..<16).map { String(repeating: "  ", count: $0) + "- level \($0)" }.joined(separator: "\n")
        #expect(try Markdown.html(nested).components(separatedBy: "<ul>").count == 17)
        let links = (0..<500).map { "[run \($0)](https://example.com/\($0)) www.example.com/\($0)" }
            .joined(separator: " ")
        #expect(try Markdown.html(links).components(separatedBy: "<a href").count == 1_001)
        let paragraphs = Array(repeating: String(repeating: "![[]()", count: 450), count: 20)
            .joined(separator: "\n\n")
        #expect(throws: Never.self) { try Markdown.check(paragraphs, limits: .init()) }
    }
}

@Suite struct FrontMatterTests {
    @Test func splitsAndParses() throws {
        let document = try MarkdownDocument(
            parsing: """
                ---
                week: 2026-W45
                authors: [Ana, "Bo <b>"]
                actions:
                  - title: Add alarm
                    done: false
                ---
                # Incident

                """)
        #expect(document.frontMatter?["week"] == .text("2026-W45"))
        #expect(document.frontMatter?["authors"] == .list([.text("Ana"), .text("Bo <b>")]))
        #expect(
            document.frontMatter?["actions"]
                == .list([
                    .map([
                        FrontMatterEntry(key: "title", value: .text("Add alarm"), line: 5),
                        FrontMatterEntry(key: "done", value: .text("false"), line: 6),
                    ])
                ]))
        #expect(document.body == "# Incident\n")
        #expect(document.bodyLine == 8)
        let plain = try MarkdownDocument(parsing: "# No front matter\n---\n")
        #expect(plain.frontMatter == nil)
        #expect(plain.bodyLine == 1)
    }

    @Test func reportsProblemsWithDocumentLines() {
        #expect(throws: MarkdownError(line: 1, message: "the front matter starting here is never closed with ---")) {
            try MarkdownDocument(parsing: "---\nweek: 1\n")
        }
        #expect(throws: MarkdownError(line: 2, message: "front matter must be a mapping of keys to values")) {
            try MarkdownDocument(parsing: "---\n- a\n---\n")
        }
        do {
            _ = try MarkdownDocument(parsing: "---\nweek: a\nweek: b\n---\n")
            Issue.record("duplicate keys accepted")
        } catch {
            #expect(error.message == "the key 'week' appears twice in the front matter")
        }
        do {
            _ = try MarkdownDocument(parsing: "---\nweek: [a\n---\n")
            Issue.record("invalid YAML accepted")
        } catch {
            #expect(error.message.hasPrefix("invalid front matter"))
            #expect((error.line ?? 0) >= 2)
        }
    }
}

/// `Markdown.escape`: whatever a name holds, cmark-gfm renders it back as that text, in a paragraph,
/// a list item, a table cell and a link's text, without adding a block, a link, code or markup.
@Suite struct MarkdownEscapeTests {
    static let hostile = [
        "payment-capture", "*bold* _it_ __strong__", "`code`", "[link](https://evil.example)", "![img](x.png)",
        "<script>alert(1)</script>", "&amp; &#x3c;", "a | b | c", "~~gone~~", "$x^2$", "# heading", "## two",
        "- item", "+ item", "1. first", "12) twelve", "---", "===", "> quote", "back\\slash\\", "line\nbreak\r\n",
        "tab\there", "12.3 M", "+8.3%", "−121.4% left (89.6% a week before)", "<https://evil.example>",
        "\\*not bold\\*", "{{mustache}}", "日本語 ✓",
    ]

    /// The text cmark-gfm shows for `html` (of the table's body cell for a table): tags removed,
    /// the entities it writes decoded.
    func text(_ html: String) -> String {
        let cell = html.components(separatedBy: "<td>").last!
        var text = cell.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What the text should show: line breaks and tabs as spaces.
    func shown(_ text: String) -> String {
        String(text.map { $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } ? " " : $0 })
            .trimmingCharacters(in: .whitespaces)
    }

    @Test(arguments: hostile) func rendersAsTheSameText(_ value: String) throws {
        let escaped = Markdown.escape(value)
        #expect(!escaped.contains("\n"))
        for (markdown, element) in [
            (escaped, "<p>"), ("- \(escaped)", "<li>"), ("| h |\n|---|\n| \(escaped) |", "<td>"),
            ("[\(escaped)](https://ok.example)", "<a href=\"https://ok.example\">"),
        ] {
            let html = try Markdown.html(markdown)
            #expect(html.contains(element), "\(markdown) → \(html)")
            #expect(text(html) == shown(value), "\(markdown) → \(html)")
            for tag in ["<em>", "<strong>", "<code>", "<del>", "<h1>", "<h2>", "<blockquote>", "<ol>", "<hr", "<img"] {
                #expect(!html.contains(tag), "\(markdown) → \(html)")
            }
            // GitHub links bare web addresses in text (its autolink extension), escaped or not;
            // never inside a link's text.
            let links = element.hasPrefix("<a") || value.contains("https://") ? 1 : 0
            #expect(html.components(separatedBy: "<a ").count == links + 1, "\(html)")
        }
    }

    /// Plain names stay readable in the source: no escapes where nothing needs one.
    @Test func leavesPlainTextAlone() {
        for plain in ["payment-capture", "12.3 M", "+8.3%", "2026-W47", "(89.6% a week before)", "a.b-c:d/e"] {
            #expect(Markdown.escape(plain) == plain)
        }
    }
}
