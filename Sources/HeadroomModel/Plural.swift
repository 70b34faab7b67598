/// `1 page`, `2 pages`; `plural(3, "series", "series")`.
public func plural(_ count: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : pluralForm ?? singular + "s")
}
