/// Shell-style patterns: `*` matches any run of characters, `?` exactly one.
public struct Glob: Sendable, Equatable {
    public let pattern: String
    private let characters: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern)
    }

    public func matches(_ text: String) -> Bool {
        let text = Array(text)
        // Iterative matching with backtracking to the last star: linear for typical patterns.
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < characters.count, characters[p] == "?" || characters[p] == text[t] {
                p += 1
                t += 1
            } else if p < characters.count, characters[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
