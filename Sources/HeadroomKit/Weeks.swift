import Foundation
import HeadroomAnalysis
import HeadroomIngest
import HeadroomModel
import HeadroomSite
import HeadroomStore

#if canImport(Glibc)
    import Glibc
#endif

/// The weeks of a build: each week's report is made from what was known at the end of that week
/// (the files in week folders up to it, the files outside week folders, the notes up to it), so
/// adding a week changes no earlier week. An earlier week's report is frozen in the history store
/// under the SHA-256 of everything it is made from, and analysed again only when that changes;
/// its archived pages are kept from the previous site when their key is unchanged too.
struct History: Sendable {
    let files: [Ingestion.File]
    let notes: [Note]
    let configuration: Configuration
    let catalog: ServiceCatalog
    let prices: LambdaPriceTable
    let rules: [Rule]
    /// What every report is made from besides the files and notes: Headroom's version and
    /// built-in data, headroom.yml, the project's check rules and price table.
    let fingerprint: String

    /// The records of the files known at the end of `week` (all of them for nil), in reading
    /// order, and the notes up to it.
    func dataset(through week: ISOWeek?) -> Dataset {
        var dataset = Dataset()
        for file in files where week == nil || file.week.map({ $0 <= week! }) ?? true {
            dataset.append(file.fragment)
        }
        dataset.notes = notes.filter { week == nil || $0.week <= week! }
        return dataset
    }

    /// The week's report; nil is the latest week with data (or the configured week).
    func analyse(_ week: ISOWeek?) -> Report {
        var configuration = configuration
        if let week { configuration.week = week }
        return Analysis.report(
            dataset(through: configuration.week), configuration: configuration, catalog: catalog, prices: prices,
            rules: rules)
    }

    /// SHA-256 of everything the report of `week` is made from.
    func inputKey(_ week: ISOWeek) -> String {
        var lines = ["week \(week)", fingerprint]
        for file in files where file.week.map({ $0 <= week }) ?? true {
            lines.append("file \(file.path) \(file.contentHash)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let notes = (try? encoder.encode(notes.filter { $0.week <= week })) ?? Data()
        return Store.sha256(Data(lines.joined(separator: "\n").utf8), notes)
    }

    /// The fingerprint of what every report is made from besides files and notes.
    static func fingerprint(
        configurationFile: URL, configuration: Configuration, project: URL
    ) throws(HeadroomError) -> String {
        var parts = [Data("Headroom \(Headroom.version), parser \(Sources.parserVersion)".utf8)]
        for (path, text) in BuiltIn.files { parts += [Data(path.utf8), Data(text.utf8)] }
        var paths = [configurationFile]
        if let prices = configuration.cost.lambdaPrices { paths.append(project.appending(path: prices)) }
        let checks = project.appending(path: configuration.checks.folder)
        if let enumerator = FileManager.default.enumerator(at: checks, includingPropertiesForKeys: nil) {
            paths += (enumerator.allObjects as? [URL] ?? []).sorted { $0.path < $1.path }
        }
        for url in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue
            else { continue }
            guard let data = try? Data(contentsOf: url) else {
                throw HeadroomError(.configuration, file: url.lastPathComponent, "cannot read the file")
            }
            parts += [Data(url.standardizedFileURL.path.dropFirst(project.standardizedFileURL.path.count).utf8), data]
        }
        return Store.sha256(parts: parts)
    }
}

/// Reports as the history store keeps them: slim, as JSON.
enum FrozenReport {
    static func encode(_ report: Report) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        // Every part of a report encodes (the types are plain values); a failure is a bug.
        return (try? encoder.encode(report.slim)) ?? Data()
    }

    /// nil when the bytes do not decode (a report written by another Headroom): it is made again.
    static func decode(_ data: Data) -> Report? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode(Report.self, from: data)
    }
}

/// The archived pages a build keeps from the previous site.
enum KeptPages {
    /// SHA-256 of what the archived pages of `week` are made from: its report's inputs, the theme,
    /// the generator, and the weeks before and after it with their pages (the week navigation).
    static func renderKey(
        inputKey: String, theme: String, generator: String, neighbours: [(week: ISOWeek, paths: [String])?]
    ) -> String {
        var lines = [inputKey, theme, generator]
        for neighbour in neighbours {
            lines.append(neighbour.map { "\($0.week): " + $0.paths.sorted().joined(separator: " ") } ?? "none")
        }
        return Store.sha256(Data(lines.joined(separator: "\n").utf8))
    }

    /// Size and modification time of each of the week's pages in `output`, as stored after
    /// publishing; nil when one is missing.
    static func manifest(week: ISOWeek, paths: [String], output: URL) -> Data? {
        var stamps: [String: String] = [:]
        for path in paths {
            let full = output.appending(path: "weeks/\(week)/" + path).path
            var info = stat()
            guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            stamps[path] = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try? encoder.encode(stamps)
    }
}

/// The earlier weeks of a build, oldest first: each week's report from the store when what it is
/// made from is unchanged, else analysed (and stored).
struct Archive {
    let history: History
    let store: Store
    var reports: [Report]
    /// Whether each report was analysed by this build; the others are the store's slim ones.
    var analysed: [Bool]
    var inputKeys: [String]
    /// The store's weeks as this build found them.
    let stored: [String: Store.Week]

    init(history: History, store: Store, weeks: [ISOWeek]) throws(HeadroomError) {
        self.history = history
        self.store = store
        let stored = try store.weeks()
        self.stored = stored
        let keys = weeks.map(history.inputKey)
        inputKeys = keys
        var found: [Report?] = weeks.indices.map { index in
            guard let frozen = stored[weeks[index].description], frozen.inputKey == keys[index] else { return nil }
            return FrozenReport.decode(frozen.report)
        }
        let missing = found.indices.filter { found[$0] == nil }
        let made = try missing.concurrentMap { index throws(HeadroomError) in history.analyse(weeks[index]) }
        for (index, report) in zip(missing, made) {
            found[index] = report
            try store.freeze(
                week: weeks[index].description, inputKey: keys[index], report: FrozenReport.encode(report))
        }
        reports = found.map { $0! }
        analysed = weeks.indices.map { missing.contains($0) }
    }

    /// Analyses again, whole, every week that is rendered (not in `kept`) but whose report came
    /// slim from the store; it keeps the findings' life cycle that the build worked out.
    mutating func complete(except kept: Set<Int>) throws(HeadroomError) {
        let needed = reports.indices.filter { !kept.contains($0) && !analysed[$0] }
        let history = history
        let weeks = needed.map { reports[$0].week!.week }
        let made = try weeks.concurrentMap { week throws(HeadroomError) in history.analyse(week) }
        for (index, report) in zip(needed, made) {
            var report = report
            report.findings = reports[index].findings
            reports[index] = report
            analysed[index] = true
        }
    }

    /// Records what the output now has of each week's archived pages, with the key they were
    /// made from, for the next build to keep.
    func published(renderKeys: [String], output: URL) throws(HeadroomError) {
        guard renderKeys.count == reports.count else { return }
        var items: [(week: String, renderKey: String?, pages: Data?)] = []
        for (index, report) in reports.enumerated() {
            let week = report.week!.week
            let manifest = KeptPages.manifest(week: week, paths: SiteBuilder.pagePaths(report), output: output)
            items.append((week.description, manifest == nil ? nil : renderKeys[index], manifest))
        }
        try store.published(items)
    }
}
