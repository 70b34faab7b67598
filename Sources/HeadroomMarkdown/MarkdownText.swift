extension Markdown {
    /// `text` as Markdown that renders as exactly that text, on one line, wherever a template puts it:
    /// in a paragraph, a list item, a table cell or a link's text. Emphasis, code, links, images,
    /// raw HTML, entities, table pipes, math and strikethrough are backslash-escaped everywhere;
    /// heading, quote, list and thematic-break markers only where they would start a line. Line breaks and
    /// other control characters become spaces, so that a value cannot start a block of its own.
    /// Characters that cannot change the structure (`-`, `.`, `(`, `%`, …) are left as they are, so
    /// the source stays readable.
    public static func escape(_ text: String) -> String {
        let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", "|", "~", "&", "$"]
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
                result.append(" ")
            } else {
                if special.contains(character) { result.append("\\") }
                result.append(character)
            }
        }
        // A value at the start of a line could open a heading, a list or a setext underline.
        if result.first == "#" || result.first == ">" {
            result = "\\" + result
        } else if let first = result.first, "-+=".contains(first) {
            let rest = result.dropFirst()
            if rest.isEmpty || rest.first == " " || rest.allSatisfy({ $0 == first || $0 == " " }) {
                result = "\\" + result
            }
        }
        if let dot = result.firstIndex(where: { !$0.isASCII || !$0.isNumber }), dot != result.startIndex,
            result[dot] == "." || result[dot] == ")",
            result.index(after: dot) == result.endIndex || result[result.index(after: dot)] == " "
        {
            result.insert("\\", at: dot)
        }
        return result
    }
}
