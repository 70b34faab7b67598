import Foundation
import HeadroomModel
import Testing

@testable import HeadroomSite

private struct Row: Decodable {
    var name: String
    var count: Int
}

private struct Item: Decodable {
    var title: String?
}

private struct Page: Decodable {
    var items: [Item]
    var title: String
    var visible: Bool
    var rows: [Row]
    var note: String?
    var body: TrustedHTML
    var child: Row
}

@Suite struct ShapeTests {
    @Test func derivesTheShapeFromTheTypeAlone() {
        #expect(
            Shape.of(Page.self)
                == .object([
                    "items": .array(.object(["title": .optional(.text)])), "title": .text, "visible": .bool,
                    "rows": .array(.object(["name": .text, "count": .number])),
                    "note": .optional(.text), "body": .html, "child": .object(["name": .text, "count": .number]),
                ]))
    }

    @Test func coversEveryViewModelOfTheTheme() {
        guard case .object(let keys) = Shape.of(OverviewView.self),
            case .array(.object(let service)) = keys["services"],
            case .array(.object(let row)) = service["functions"]
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(row["p99Note"] == .optional(.text))
        #expect(
            keys["note"]
                == .optional(
                    .object([
                        "week": .text, "title": .text, "authors": .optional(.text), "html": .html, "source": .text,
                    ])))
    }
}

@Suite struct TemplateCheckerTests {
    func check(_ template: String, partials: [String: String] = [:]) -> HeadroomError? {
        var templates = ["page": (text: template, file: "templates/page.mustache")]
        for (name, text) in partials { templates[name] = (text, "templates/\(name).mustache") }
        do {
            try TemplateChecker(templates: templates).check("page", against: Shape.of(Page.self))
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsAValidTemplate() {
        #expect(
            check(
                """
                <h1>{{title}}</h1>{{#visible}}yes{{/visible}}{{^visible}}no{{/visible}}
                {{#rows}}<p>{{name}} {{count}} {{title}}</p>{{/rows}}{{^rows}}none{{/rows}}
                {{#note}}{{note}} {{.}}{{/note}}{{{body}}}{{&body}}{{child.name}}{{#child}}{{count}}{{/child}}
                {{! a comment naming {{nothing}} }}{{> part}}
                """, partials: ["part": "{{title}}{{#rows}}{{name}}{{/rows}}"]) == nil)
    }

    @Test func aMissingKeyIsAnErrorWithFileLineAndSuggestion() throws {
        let error = try #require(check("<h1>{{title}}</h1>\n  {{#rows}}{{nmae}}{{/rows}}"))
        #expect(error.file == "templates/page.mustache")
        #expect(error.position == .line(2, column: 12))
        #expect(error.message == "the view model has no key 'nmae'; did you mean 'name'?")
        #expect(error.stage == .render)
    }

    @Test func checksEmptyListsAndNilOptionalsToo() throws {
        // Not data-dependent: keys inside sections are checked against the element type.
        #expect(check("{{#rows}}{{missing}}{{/rows}}")?.message == "the view model has no key 'missing'")
        #expect(check("{{#note}}{{missing}}{{/note}}")?.message == "the view model has no key 'missing'")
    }

    @Test func refusesUnsafeOrMeaninglessUses() {
        let cases: [(String, String)] = [
            ("{{{title}}}", "'title' is text; only TrustedHTML may be printed unescaped"),
            ("{{&note}}", "'note' is an optional text; only TrustedHTML may be printed unescaped"),
            ("{{body}}", "'body' is TrustedHTML and would be escaped twice"),
            ("{{rows}}", "'rows' is a list and cannot be printed"),
            ("{{#title}}x{{/title}}", "'title' is text; a section needs a Bool, an optional, a list or an object"),
            ("{{#rows}}x", "the section 'rows' is never closed"),
            ("{{#rows}}x{{/visible}}", "{{/visible}} closes 'rows', opened on line 1"),
            ("x{{/rows}}", "{{/rows}} closes a section that was never opened"),
            ("{{> nowhere}}", "the partial 'nowhere' does not exist"),
            ("{{=<% %>=}}", "the tag {{=<% %>=}} is not supported in Headroom templates"),
            ("{{title", "a tag opened here is never closed"),
            ("{{child.nope}}", "'child.nope': an object has no key 'nope'"),
            ("{{uppercased(title)}}", "'uppercased(title)' is not a valid name in a tag"),
            (
                "{{#items}}{{title}}{{/items}}",
                "'title' is optional here and also exists in an outer context, which would show through when it is nil"
            ),
        ]
        for (template, message) in cases {
            #expect(check(template)?.message == message, "\(template)")
        }
        #expect(check("{{> part}}", partials: ["part": "\n{{oops}}"])?.file == "templates/part.mustache")
        #expect(check("{{> part}}", partials: ["part": "\n{{oops}}"])?.position == .line(2, column: 1))
    }

    @Test func theBuiltInThemePassesItsOwnChecks() throws {
        let theme = try Theme.load(overrides: nil, display: "templates")
        _ = try SiteBuilder(theme: theme, generator: "test")
        #expect(Theme.builtInPaths.contains("layout.mustache"))
        #expect(Theme.builtInPaths.contains("assets/style.css"))
    }
}
