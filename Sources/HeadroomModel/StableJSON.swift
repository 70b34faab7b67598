import Foundation

extension JSONEncoder {
    /// The encoder of every JSON file Headroom writes (report.json, slack.json, CloudWatch
    /// requests): keys sorted, so the same value gives the same bytes, indented for diffs.
    public static var stable: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
