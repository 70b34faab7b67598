import Mustache

/// HTML that Headroom itself produced (rendered Markdown, rendered templates). It is the only kind
/// of value a template may print unescaped with `{{{name}}}`; the template checker enforces that.
public struct TrustedHTML: Codable, Sendable, Equatable, MustacheCustomRenderable {
    public let html: String

    /// Only for HTML built by Headroom's own renderers, never for input text.
    init(trusted html: String) { self.html = html }

    public init(from decoder: any Decoder) throws {
        self.html = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(html)
    }

    public var renderText: String { html }
    public var isNull: Bool { false }
}
