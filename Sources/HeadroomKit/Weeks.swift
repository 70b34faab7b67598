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
    /// Where the files thinned at reading are whole.
    let store: Store

    /// The records of the files known at the end of `week` (all of them for nil), in reading
    /// order, and the notes up to it. Files thinned where the report of `reading` reads every
    /// point (that week and the week before) are taken whole from the store.
    func dataset(through week: ISOWeek?, reading: ISOWeek?) throws(HeadroomError) -> Dataset {
        let zone = configuration.zone
        let whole = reading.map { $0.previous.interval(in: zone).lowerBound..<$0.interval(in: zone).upperBound }
        var dataset = Dataset()
        for file in files where week == nil || file.week.map({ $0 <= week! }) ?? true {
            if let removed = file.removed, let whole, removed.overlaps(whole) {
                dataset.append(try store.fragment(file.path))
            } else {
                dataset.append(file.fragment)
            }
        }
        dataset.notes = notes.filter { week == nil || $0.week <= week! }
        return dataset
    }

    /// The week's report; nil is the latest week with data (or the configured week), from every
    /// file and the notes up to that week.
    func analyse(_ week: ISOWeek?) throws(HeadroomError) -> Report {
        var configuration = configuration
        if let week { configuration.week = week }
        var reading = configuration.week
        if reading == nil {
            let zone = configuration.zone
            reading = Analysis.weeksWithData(try dataset(through: nil, reading: nil), zone: zone).last
        }
        var dataset = try dataset(through: configuration.week, reading: reading)
        // Notes of weeks after the latest week with data wait for their week, as in an earlier
        // week's report: the review week's report is the one it keeps once archived.
        if let reading { dataset.notes = notes.filter { $0.week <= reading } }
        return Analysis.report(dataset, configuration: configuration, catalog: catalog, prices: prices, rules: rules)
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
        var parts = [
            Data(
                "Headroom \(Headroom.version), output revision \(Headroom.outputRevision), parser \(Sources.parserVersion)"
                    .utf8)
        ]
        for (path, text) in BuiltIn.files { parts += [Data(path.utf8), Data(text.utf8)] }
        var paths = [configurationFile]
        if let prices = configuration.cost.lambdaPrices { paths.append(project.appending(path: prices)) }
        let checks = project.appending(path: configuration.checks.folder)
        if let enumerator = FileManager.default.enumerator(at: checks, includingPropertiesForKeys: nil) {
            paths += (enumerator.allObjects as? [URL] ?? []).sorted { $0.path < $1.path }
        }
        for url in paths {
            var info = stat()
            guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { continue }
            let shown = String(url.standardizedFileURL.path.dropFirst(project.standardizedFileURL.path.count))
            // A file the rules never read (a link out of the project, a FIFO) counts by its refusal.
            let data: Data
            do {
                data = try ProjectFile.read(
                    url.path, display: shown, root: project.path, limit: ConfigurationLoader.maximumSize,
                    stage: .configuration)
            } catch {
                data = Data(error.message.utf8)
            }
            parts += [Data(shown.utf8), data]
        }
        return Store.sha256(parts: parts)
    }
}

/// Reports as the history store keeps them: slim, as JSON packed with zlib (`Zlib.pack`).
enum FrozenReport {
    static func encode(_ report: Report) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        // Every part of a report encodes (the types are plain values); a failure is a bug.
        return Zlib.pack((try? encoder.encode(report.slim)) ?? Data())
    }

    /// nil when the bytes do not decode (a report written by another Headroom): it is made again.
    static func decode(_ data: Data) -> Report? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        guard let json = Zlib.unpack(data) else { return nil }
        return try? decoder.decode(Report.self, from: json)
    }
}

/// The archived pages a build keeps from the previous site.
enum KeptPages {
    /// SHA-256 of what the archived pages of a week are made from: its report's inputs, the
    /// theme, the generator, and the week before it with its pages (the week navigation links to
    /// the same page there), and whether its function pages are pruned (`archive.functionPageWeeks`).
    /// Nothing else of a later week is in it: adding a week changes no page published before but
    /// the function pages of the week it pushes beyond the setting.
    static func renderKey(
        inputKey: String, theme: String, generator: String, previous: (week: ISOWeek, paths: [String])?,
        pruned: Bool
    ) -> String {
        let lines =
            [
                inputKey, theme, generator,
                previous.map { "\($0.week): " + $0.paths.sorted().joined(separator: " ") } ?? "none",
            ] + (pruned ? ["function pages pruned"] : [])
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
    /// Slim (`Report.slim`).
    var reports: [Report]
    /// Whether each report was analysed by this build; the others came from the store.
    var analysed: [Bool]
    var inputKeys: [String]
    /// The store's weeks as this build found them.
    let stored: [String: Store.Week]
    /// The review week's input key, when its report is frozen too (`freeze(review:)`).
    var reviewKey: String?

    init(history: History, store: Store, weeks: [ISOWeek]) throws(HeadroomError) {
        self.history = history
        self.store = store
        let stored = try store.weeks()
        // What the build needs of the stored weeks besides their decoded reports.
        self.stored = stored.mapValues { week in
            var week = week
            week.report = Data()
            return week
        }
        let keys = weeks.map(history.inputKey)
        inputKeys = keys
        // Decoded on every core: the JSON decoder takes about 0.2 s a week at 1,000 functions.
        var found: [Report?] = try Array(weeks.indices).concurrentMapOfValues { index in
            guard let frozen = stored[weeks[index].description], frozen.inputKey == keys[index] else { return nil }
            return FrozenReport.decode(frozen.report)
        }
        let missing = found.indices.filter { found[$0] == nil }
        // Slim as soon as analysed: the whole reports are made again for the weeks rendered.
        let made = try missing.concurrentMap { index throws(HeadroomError) in try history.analyse(weeks[index]).slim }
        for (index, report) in zip(missing, made) {
            found[index] = report
            try store.freeze(
                week: weeks[index].description, inputKey: keys[index], report: FrozenReport.encode(report))
        }
        reports = found.map { $0! }
        analysed = weeks.indices.map { missing.contains($0) }
    }

    /// Week `index`'s whole report, for rendering its pages: analysed again (the archive holds slim
    /// reports, so that a build that renders many weeks holds few whole ones), with the findings'
    /// and error groups' life cycle and the changes that the build worked out.
    func whole(_ index: Int) throws(HeadroomError) -> Report {
        var report = try history.analyse(reports[index].week!.week)
        report.findings = reports[index].findings
        report.errors = reports[index].errors
        report.changes = reports[index].changes
        report.headline = reports[index].headline
        return report
    }

    /// Freezes the review week's report (before the findings' life cycle, as the earlier weeks'
    /// are), so that the build that adds the next week finds it and keeps its archived pages. Not
    /// when a file sits in a later week folder (one without data): the review week's report lists
    /// it, but the same week analysed as an earlier week would not.
    mutating func freeze(review report: Report) throws(HeadroomError) {
        guard let week = report.week?.week, history.files.allSatisfy({ $0.week.map { $0 <= week } ?? true })
        else { return }
        let key = history.inputKey(week)
        if stored[week.description]?.inputKey != key {
            try store.freeze(week: week.description, inputKey: key, report: FrozenReport.encode(report))
        }
        reviewKey = key
    }

    /// Records what the output now has of each week's archived pages, with the key they were
    /// made from, for the next build to keep: the earlier weeks and the review week (`renderKeys`
    /// has one more key then, the review week's).
    func published(renderKeys: [String], review: Report, output: URL) throws(HeadroomError) {
        let weeks = reports + (reviewKey == nil ? [] : [review])
        guard renderKeys.count >= weeks.count else { return }
        var items: [(week: String, renderKey: String?, pages: Data?)] = []
        for (index, report) in weeks.enumerated() {
            let week = report.week!.week
            let manifest = KeptPages.manifest(week: week, paths: SiteBuilder.pagePaths(report), output: output)
            items.append((week.description, manifest == nil ? nil : renderKeys[index], manifest))
        }
        try store.published(items)
    }
}
