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
    var files: [Ingestion.File]
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
    /// The key the store's thinned fragments are kept for (`Ingestion.Result.keepKey`).
    let keepKey: String

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

    /// Thins every file's points before `start` as reading thins those before the week before the
    /// review week (`Analysis.thinned`, keeping `keep` whole): once the review week is analysed,
    /// the week before it is read whole again only where a week is analysed again, and then from
    /// the store (`dataset(through:reading:)`). So rendering and publishing do not hold it: at
    /// 1,000 functions, 0.4 GB.
    mutating func thinPoints(before start: Instant, keep: Analysis.WholeMetrics) throws(HeadroomError) {
        let whole = start..<Instant(seconds: .max)
        files = try files.concurrentMapOfValues { file in
            var file = file
            let (thinned, removed, _) = Analysis.thinned(file.fragment, whole: whole, keep: keep)
            if removed != nil { file.thinned(to: thinned, removing: removed) }
            return file
        }
    }

    /// Whether the week's report can be made (again): the store has every point of the files of
    /// that week and the week before it, which the report reads whole, or their snapshots.
    func canAnalyse(_ week: ISOWeek) -> Bool {
        !files.contains { $0.compacted && ($0.week == week || $0.week == week.previous) }
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

/// Reports as the history store keeps them: slim, in `BinaryCoding`'s form packed with zlib
/// (`Zlib.pack`). Reports an earlier Headroom stored as JSON still read: a week that can no longer
/// be analysed keeps the report it was built with.
enum FrozenReport {
    static func encode(_ report: Report) -> Data {
        // Every part of a report encodes (the types are plain values); a failure is a bug.
        Zlib.pack((try? BinaryCoding.encode(report.slim)) ?? Data())
    }

    /// nil when the bytes do not decode (a report written by another Headroom): it is made again.
    static func decode(_ data: Data) -> Report? {
        guard let bytes = Zlib.unpack(data) else { return nil }
        return try? BinaryCoding.decodeStored(Report.self, from: bytes)
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
    /// publishing: a line per page, sorted, its path (a page path has no tab or newline), a tab,
    /// then `size:seconds.nanoseconds`; nil when one is missing. Made for every stored week twice
    /// a build, so plain paths and text: through `URL` and `JSONEncoder` they cost 0.23 of the
    /// 20.4 billion instructions of adding week 13 onto 12 at 100 functions (callgrind).
    static func manifest(week: ISOWeek, paths: [String], output: URL) -> Data? {
        let folder = output.path + (output.path.hasSuffix("/") ? "" : "/") + "weeks/\(week)/"
        var text = ""
        for path in paths.sorted() {
            var info = stat()
            guard lstat(folder + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            text += "\(path)\t\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\n"
        }
        return Data(text.utf8)
    }
}

/// The earlier weeks of a build, oldest first: each week's report from the store when what it is
/// made from is unchanged, else analysed (and stored).
struct Archive {
    var history: History
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
    /// The weeks whose report is the one stored although what it is made from changed: the week
    /// can no longer be analysed (`History.canAnalyse`), so it stays as built.
    var asBuilt: Set<ISOWeek> = []

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
        // A week that cannot be analysed again keeps the report it was built with.
        for index in found.indices where found[index] == nil && !history.canAnalyse(weeks[index]) {
            guard let frozen = stored[weeks[index].description], let report = FrozenReport.decode(frozen.report) else {
                throw HeadroomError(
                    .ingest, file: Store.display,
                    "the report of \(weeks[index]) must be made again (this Headroom cannot read the stored one), and the store keeps only thinned points of that week",
                    remedy:
                        "restore the snapshots of \(weeks[index]) and \(weeks[index].previous) from their archive (tar -xzf snapshots-WEEK.tar.gz -C snapshots), then build again"
                )
            }
            found[index] = report
            asBuilt.insert(weeks[index])
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

/// A sealed week's pages as the store keeps them (`Store.seal`): each page's path and bytes, each
/// preceded by its length (UInt32, little-endian), packed with zlib at its fastest level.
enum SealedPages {
    static func encode(_ pages: [(path: String, contents: Data)]) -> Data {
        var bytes = Data()
        func length(_ count: Int) {
            var value = UInt32(count).littleEndian
            withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
        }
        for (path, contents) in pages {
            length(path.utf8.count)
            bytes.append(contentsOf: path.utf8)
            length(contents.count)
            bytes.append(contents)
        }
        // The fastest level, since every build seals a week: on a 100-function week's 6.3 MB of
        // pages, 0.07 s and 1.58 MB against the default's 0.21 s and 1.28 MB; a large-user week's
        // 64 MB of pages become 15.9 MB.
        return Zlib.pack(bytes, level: 1)
    }

    /// The pages, or nil when the bytes are damaged.
    static func decode(_ data: Data) -> [(path: String, contents: Data)]? {
        guard let bytes = Zlib.unpack(data) else { return nil }
        var pages: [(path: String, contents: Data)] = []
        var offset = bytes.startIndex
        func length() -> Int? {
            guard bytes.endIndex - offset >= 4 else { return nil }
            let value = bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            return bytes.endIndex - offset >= value ? value : nil
        }
        while offset < bytes.endIndex {
            // A path is relative and stays inside the week's folder, as the site builder names it.
            guard let count = length(), let path = String(data: bytes[offset..<offset + count], encoding: .utf8),
                !path.isEmpty, !path.hasPrefix("/"),
                !path.split(separator: "/", omittingEmptySubsequences: false).contains(where: {
                    $0 == ".." || $0.isEmpty
                })
            else { return nil }
            offset += count
            guard let size = length() else { return nil }
            pages.append((path, Data(bytes[offset..<offset + size])))
            offset += size
        }
        return pages
    }
}

extension Archive {
    /// After publishing: the store keeps the published pages of every earlier week whose
    /// snapshots are gone (it is sealed), and with `sealReview` (the build found no previous site) of
    /// the review week too when there is one such week (as in CI, where the next build finds
    /// neither this week's snapshots nor this site), and
    /// then only the thinned points of an earlier week's files, once neither its own pages nor
    /// those of the week after it can need them (it is compacted): the weeks before the review
    /// week's previous one. Returns how many weeks were sealed and files compacted.
    func seal(
        plan: SiteBuilder.Plan, renderKeys: [String], output: URL, keepKey: String, sealReview: Bool
    ) throws(HeadroomError) -> (sealed: Int, compacted: Int) {
        guard let review = plan.week(plan.review), renderKeys.count >= reports.count else { return (0, 0) }
        var sealed = Set(stored.filter { $0.value.sealedKey != nil }.keys)
        var count = (sealed: 0, compacted: 0)
        let storeOnly = Set(history.files.filter(\.storeOnly).compactMap(\.week))
        let sealing = storeOnly.isEmpty || !sealReview ? reports.indices : reports.indices.lowerBound..<renderKeys.count
        for index in sealing {
            guard let week = plan.week(index), storeOnly.contains(week) || index == reports.count else { continue }
            if stored[week.description]?.sealedKey == renderKeys[index] { continue }
            var pages: [(path: String, contents: Data)] = []
            for path in plan.paths(index) {
                guard
                    let data = FileManager.default.contents(
                        atPath: output.appending(path: "weeks/\(week)/" + path).path)
                else { break }
                pages.append((path, data))
            }
            guard pages.count == plan.paths(index).count else { continue }
            try store.seal(
                week: week.description, renderKey: renderKeys[index], pruned: plan.pruned(index),
                pages: SealedPages.encode(pages))
            sealed.insert(week.description)
            count.sealed += 1
        }
        let weeks = Set(reports.compactMap { $0.week?.week })
        for week in weeks where week < review.previous && sealed.contains(week.description) {
            guard !weeks.contains(week.next) || sealed.contains(week.next.description) else { continue }
            let paths = history.files.filter { $0.week == week && $0.storeOnly && !$0.compacted && $0.removed != nil }
                .map(\.path)
            count.compacted += try store.compact(paths, keepKey: keepKey)
        }
        if count.compacted > 0 { try store.shrinkWhenMostlyFree() }
        return count
    }
}
