/// The data files compiled into Headroom (catalog, check rules, price table), for fingerprints
/// of what a report is made from.
public enum BuiltIn {
    /// Path and text of each, sorted by path.
    public static var files: [(path: String, text: String)] {
        EmbeddedData.files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
