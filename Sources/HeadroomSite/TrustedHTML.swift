import Mustache

/// HTML that Headroom itself produced (rendered Markdown, rendered templates). It is the only kind
/// of value a template may print unescaped with `{{{name}}}`; the template checker enforces that.
public struct TrustedHTML: Decodable, Sendable, Equatable, MustacheCustomRenderable {
    public let html: String

    /// Only for HTML built by Headroom's own renderers, never for input text.
    init(trusted html: String) { self.html = html }

    public init(from decoder: any Decoder) throws {
        self.html = try decoder.singleValueContainer().decode(String.self)
    }

    public var renderText: String { html }
    public var isNull: Bool { false }
}
