import Foundation
import GRDB
import HeadroomIngest
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomStore

/// Every input of `folder` (relative to the package), read as a build reads it, invalid ones as rows.
func fragments(_ folder: String) throws -> [Dataset] {
    var configuration = HeadroomModel.Configuration()
    configuration.sources = [Configuration.Source(path: folder)]
    configuration.onInvalidInput = .warn
    return try Sources.inputs(configuration, projectDirectory: TestSupport.packageRoot).map {
        try Sources.read($0, data: nil, policy: .warn)
    }
}

@Suite struct FragmentTests {
    /// Every fixture of every format and the whole example: what comes back from the store is what
    /// was read, record for record, and encodes to the same bytes again.
    @Test func everyRecordKindRoundTrips() throws {
        var all = Dataset()
        for fragment in try fragments("Tests/Fixtures") + fragments("examples/acme/snapshots")
            + fragments("examples/acme/slos")
        {
            let bytes = try Fragment.encode(fragment)
            let back = try Fragment.decode(bytes)
            #expect(try Fragment.encode(back) == bytes, "\(fragment.sources.map(\.path))")
            let hasNaN = fragment.series.contains { $0.points.contains { $0.value.isNaN } }
            if !hasNaN { #expect(back == fragment, "\(fragment.sources.map(\.path))") }
            all.append(back)
        }
        // Each kind of record is among them, so each kind was round-tripped.
        let kinds: [(String, Int)] = [
            ("series", all.series.count), ("points", all.series.reduce(0) { $0 + $1.points.count }),
            ("costs", all.costs.count), ("functions", all.functions.count),
            ("account settings", all.accountSettings.count), ("reserved", all.reservedConcurrency.count),
            ("provisioned", all.provisionedConcurrency.count), ("quotas", all.quotas.count),
            ("invocations", all.invocations.count), ("slos", all.slos.count), ("slis", all.slis.count),
            ("slo services", all.sloServices.count), ("findings", all.findings.count),
            ("trusted advisor checks", all.trustedAdvisorChecks.count), ("lens reviews", all.lensReviews.count),
            ("invalid files", all.sources.filter { if case .invalid = $0.status { true } else { false } }.count),
            ("empty files", all.sources.filter { $0.status == .empty }.count),
        ]
        for (kind, count) in kinds { #expect(count > 0, "no \(kind) among the fixtures") }
        // Exact decimals stay exact.
        #expect(all.costs.contains { $0.amount == Decimal(string: "0.0000000001") || $0.amount.exponent < -8 })
    }

    @Test func valuesComeBackBitForBit() throws {
        let values: [Double] = [
            .nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 1e308, -7,
        ]
        let times: [Int64] = [-62_135_596_800, 0, 1, 1_763_251_200, 1_763_251_200 + 300, 42, 253_402_300_799, -1, 7, 8]
        let series = MetricSeries(
            identity: .expression("e1", period: 300), label: "odd",
            points: zip(times, values).map { Point(time: Instant(seconds: $0), value: $1) }, source: "x.json")
        let back = try Fragment.decode(try Fragment.encode(Dataset(series: [series, series])))
        #expect(back.series.count == 2)
        for decoded in back.series {
            #expect(decoded.points.map(\.time.seconds) == times)
            #expect(decoded.points.map(\.value.bitPattern) == values.map(\.bitPattern))
        }
    }

    /// Decimals come back exactly from their digits, whatever their scale and sign, and a series
    /// with a value that is no short decimal keeps its bits.
    @Test func decimalsAndOtherValuesComeBackExactly() throws {
        let runs: [[Double]] = [
            [0, 1, 2, 3, 1_000_000, -5],
            [123.45, 0.01, 99.99, -0.5, 750.1],
            [0.000001, 1.5, 2.000001],
            [9_007_199_254_740_991, -9_007_199_254_740_991],
            [0.1 + 0.2, 1],
            [1e-7, 3],
            [9_007_199_254_740_993.0 * 4, 1],
            [1, -0.0],
        ]
        var series: [MetricSeries] = []
        for (index, values) in runs.enumerated() {
            series.append(
                MetricSeries(
                    identity: .expression("e\(index)", period: 300), label: "run \(index)",
                    points: values.enumerated().map {
                        Point(time: Instant(seconds: Int64(300 * $0.offset)), value: $0.element)
                    },
                    source: "x.json"))
        }
        let back = try Fragment.decode(try Fragment.encode(Dataset(series: series)))
        for (decoded, values) in zip(back.series, runs) {
            #expect(decoded.points.map(\.value.bitPattern) == values.map(\.bitPattern), "\(values)")
            #expect(decoded.points.map(\.time.seconds) == values.indices.map { Int64(300 * $0) })
        }
    }

    /// What a week of CloudWatch data costs in the store: a get-metric-data file's 500 series of
    /// 2,016 five-minute points with two decimals each (values below 750, random, as
    /// `scripts/bench_data.py` writes them) take at most 3 bytes a point: the times of every series
    /// after the first are one byte, and each value its digits as a varint.
    @Test func aWeekOfFiveMinuteDecimalsIsSmall() throws {
        var random = SplitMix(seed: 47)
        let start: Int64 = 1_763_251_200
        let times = (0..<2016).map { Instant(seconds: start + 300 * Int64($0)) }
        let series = (0..<500).map { index in
            let base = Double(random.next() % 50_000) / 100 + 1
            return MetricSeries(
                identity: .expression("m\(index)", period: 300), label: "bench-function \(index)",
                points: times.map { time in
                    let factor = 0.5 + Double(random.next() % 1_000_000) / 1_000_000
                    return Point(time: time, value: ((base * factor) * 100).rounded() / 100)
                }, source: "lambda-000.json")
        }
        let dataset = Dataset(series: series)
        let bytes = try Fragment.encode(dataset)
        let points = 500 * 2016
        #expect(Double(bytes.count) / Double(points) <= 3, "\(bytes.count) bytes for \(points) points")
        #expect(try Fragment.decode(bytes) == dataset)
    }

    /// Fragments written by an earlier Headroom (the first layout: JSON, then per point a time
    /// difference and 8 bytes of value) still read.
    @Test func theFirstLayoutStillReads() throws {
        let dataset = Dataset(series: [
            MetricSeries(
                identity: .expression("e", period: 60), label: "l",
                points: [
                    Point(time: Instant(seconds: 60), value: 0.5), Point(time: Instant(seconds: 120), value: .nan),
                ],
                source: "s")
        ])
        var skeleton = dataset
        skeleton.series[0].points = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(skeleton)
        var bytes = Array("HRF1".utf8)
        var length = UInt32(json.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes += json
        bytes.append(2)
        // Each time 60 s after the one before: a zigzag varint of 120, one byte.
        for value in [0.5, Double.nan] {
            bytes.append(120)
            var bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
        let back = try Fragment.decode(Data(bytes))
        #expect(back.series[0].points.map(\.time.seconds) == [60, 120])
        #expect(back.series[0].points.map(\.value.bitPattern) == [(0.5).bitPattern, Double.nan.bitPattern])
    }

    /// The store fuzz target's seeds are fragments this Headroom reads, in both layouts it writes
    /// or wrote, so that fuzzing starts from valid inputs.
    @Test func theFuzzSeedsRead() throws {
        let folder = TestSupport.fixture("fuzz/store")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("seed-") }
        #expect(seeds.filter { $0.hasPrefix("seed-hrf2-") }.count >= 5 && seeds.count >= 15)
        for seed in seeds {
            let bytes = try Data(contentsOf: folder.appending(path: seed))
            #expect(throws: Never.self, "\(seed)") { try Fragment.decode(bytes) }
        }
    }

    /// Fragments of the second layout (the records as JSON, packed with zlib) still read.
    @Test func theJSONLayoutStillReads() throws {
        let dataset = try #require(try fragments("examples/acme/snapshots").first { !$0.series.isEmpty })
        var skeleton = dataset
        for index in skeleton.series.indices { skeleton.series[index].points = [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        let json = try encoder.encode(skeleton)
        let packed = Zlib.compress(json)
        var bytes = Array("HRF2".utf8)
        for length in [json.count, packed.count] {
            var value = UInt32(length).littleEndian
            withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
        }
        bytes += packed
        var previous: [Point]?
        for series in dataset.series {
            Points.append(series.points, after: previous, to: &bytes)
            previous = series.points
        }
        let back = try Fragment.decode(Data(bytes))
        #expect(back == dataset)
        // Written again, it takes the current layout.
        #expect(try Fragment.encode(back).prefix(4) == Data("HRF3".utf8))
    }

    @Test func malformedBytesAreErrorsNotCrashes() throws {
        let bytes = try Fragment.encode(
            Dataset(series: [
                MetricSeries(
                    identity: .expression("e", period: nil), label: "l",
                    points: [Point(time: Instant(seconds: 5), value: 1)], source: "s")
            ]))
        for cut in [0, 3, 4, 7, 8, bytes.count / 2, bytes.count - 1] {
            #expect(throws: FragmentError.self) { try Fragment.decode(bytes.prefix(cut)) }
        }
        #expect(throws: FragmentError.self) { try Fragment.decode(bytes + Data([0])) }
        #expect(throws: FragmentError.self) { try Fragment.decode(Data("HRF1\u{FF}\u{FF}\u{FF}\u{7F}".utf8)) }
        #expect(throws: FragmentError.self) {
            try Fragment.decode(Data("HRF2\u{FF}\u{FF}\u{FF}\u{7F}\u{1}\u{0}\u{0}\u{0}x".utf8))
        }
        // Damaged point layouts: an unknown times byte, an unknown values byte, a count past the end.
        for tail: [UInt8] in [[1, 7, 0], [1, 0, 0, 99, 0], [200, 1, 1, 0]] {
            let packed = bytes[8..<12].reversed().reduce(0) { $0 << 8 | Int($1) }
            let head = bytes.prefix(12 + packed)
            #expect(throws: FragmentError.self) { try Fragment.decode(head + Data(tail)) }
        }
    }
}

@Suite struct StoreTests {
    func entry(_ path: String, week: String?, stamp: String = "s") -> Store.Entry {
        Store.Entry(
            path: path, week: week, stamp: stamp, contentHash: "h-\(path)", format: "costExplorer", rawBytes: 100,
            storedBytes: 0)
    }

    func sample(_ path: String) -> Dataset {
        Dataset(
            costs: [
                CostRecord(
                    start: Instant(seconds: 0), end: Instant(seconds: 86_400), metric: "UnblendedCost",
                    amount: Decimal(string: "12345678901234567890.123456789")!, unit: "USD", source: path)
            ], sources: [SourceFile(path: path, status: .read(.costExplorer), recordCount: 1)])
    }

    @Test func savesReadsRestampsAndForgets() throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        do {
            let store = try Store(project: project)
            try store.save(
                [
                    (entry("snapshots/2026-W46/ce.json", week: "2026-W46"), try Fragment.encode(sample("a"))),
                    (entry("snapshots/2026-W47/ce.json", week: "2026-W47"), try Fragment.encode(sample("b"))),
                ], stamps: [])
            try store.save([], stamps: [("snapshots/2026-W47/ce.json", "t")])
        }
        let store = try Store(project: project)
        let entries = try store.entries()
        #expect(entries.keys.sorted() == ["snapshots/2026-W46/ce.json", "snapshots/2026-W47/ce.json"])
        #expect(entries["snapshots/2026-W47/ce.json"]?.stamp == "t")
        #expect(entries["snapshots/2026-W46/ce.json"]?.storedBytes == Int64(try Fragment.encode(sample("a")).count))
        #expect(try store.fragment("snapshots/2026-W46/ce.json") == sample("a"))
        #expect(try store.forget(week: "2026-W46") == 1)
        #expect(try store.forget(week: "2026-W46") == 0)
        #expect(try store.entries().keys.sorted() == ["snapshots/2026-W47/ce.json"])
        #expect(try store.integrity() == "ok")
    }

    /// A week's frozen report and its published pages: stored, read back, replaced with the pages
    /// forgotten, checked against its SHA-256, and forgotten with the week's files.
    @Test func weeksRoundTrip() throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        let store = try Store(project: project)
        try store.freeze(week: "2026-W46", inputKey: "k1", report: Data("{\"a\":1}".utf8))
        try store.published([(week: "2026-W46", renderKey: "r1", pages: Data("{}".utf8))])
        #expect(
            try store.weeks()["2026-W46"]
                == Store.Week(
                    week: "2026-W46", inputKey: "k1", report: Data("{\"a\":1}".utf8), renderKey: "r1",
                    pages: Data("{}".utf8)))
        try store.freeze(week: "2026-W46", inputKey: "k2", report: Data("{\"a\":2}".utf8))
        #expect(try store.weeks()["2026-W46"]?.renderKey == nil)
        #expect(try store.weeks()["2026-W46"]?.inputKey == "k2")
        _ = try store.forget(week: "2026-W46")
        #expect(try store.weeks().isEmpty)
        try store.freeze(week: "2026-W47", inputKey: "k", report: Data("{}".utf8))
        let queue = try DatabaseQueue(path: project.appending(path: Store.display).path)
        try queue.write { db in try db.execute(sql: "UPDATE week SET report = X'7B7D20'") }
        #expect {
            try store.weeks()
        } throws: { error in
            (error as? HeadroomError)?.message.contains("does not match its SHA-256") == true
        }
    }

    /// A file's records: one metric series with `points`.
    static func oneSeries(_ path: String, points: [Point]) -> Dataset {
        Dataset(series: [
            MetricSeries(
                identity: .metric(MetricStat(namespace: "N", metricName: "M", dimensions: [], stat: "Sum", period: 60)),
                label: "m", points: points, source: path)
        ])
    }

    /// A thinned fragment comes back for its key while the file is unchanged and all its points
    /// are before the asked time; a file stored again, removed or forgotten loses it.
    @Test func thinnedFragmentsRoundTrip() throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        let store = try Store(project: project)
        let path = "snapshots/2026-W45/a.json"
        let dataset = Self.oneSeries(path, points: [Point(time: Instant(seconds: 100), value: .nan)])
        let entry = Store.Entry(
            path: path, week: "2026-W45", stamp: "s", contentHash: "h", format: "json", rawBytes: 1, storedBytes: 0)
        try store.save([(entry, try Fragment.encode(dataset))], stamps: [])
        let removed = Instant(seconds: 10)...Instant(seconds: 90)
        try store.saveThinned(
            path, keepKey: "k", fragment: try Fragment.encode(dataset), removed: removed,
            latest: Instant(seconds: 100))
        let back = try #require(try store.thinned(path, keepKey: "k", before: Instant(seconds: 101)))
        #expect(try Fragment.encode(back.fragment) == Fragment.encode(dataset))
        #expect(back.removed == removed)
        #expect(try store.thinned(path, keepKey: "k", before: Instant(seconds: 100)) == nil)
        #expect(try store.thinned(path, keepKey: "other", before: Instant(seconds: 101)) == nil)
        try store.save([(entry, try Fragment.encode(dataset))], stamps: [])
        #expect(try store.thinned(path, keepKey: "k", before: Instant(seconds: 101)) == nil)
        try store.saveThinned(path, keepKey: "k", fragment: try Fragment.encode(dataset), removed: nil, latest: nil)
        let whole = try #require(try store.thinned(path, keepKey: "k", before: Instant(seconds: 0)))
        #expect(whole.removed == nil)
        _ = try store.forget(week: "2026-W45")
        #expect(try store.thinned(path, keepKey: "k", before: Instant(seconds: 101)) == nil)
        #expect(try store.setting("x") == nil)
        try store.setSetting("x", Data("1".utf8))
        try store.setSetting("x", Data("2".utf8))
        #expect(try store.setting("x") == Data("2".utf8))
    }

    /// A store file that is not SQLite, is cut short, or whose fragment bytes were changed: an
    /// error that names the store and says how to rebuild it, never a crash or wrong data.
    @Test func damageIsAClearError() throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        let file = project.appending(path: Store.display)
        func fill() throws {
            let store = try Store(project: project, rebuild: true)
            let big = Dataset(series: [
                MetricSeries(
                    identity: .expression("e", period: 60), label: "l",
                    points: (0..<20_000).map { Point(time: Instant(seconds: Int64($0) * 60), value: Double($0)) },
                    source: "s")
            ])
            try store.save(
                (0..<8).map {
                    (entry("snapshots/2026-W4\($0)/m.json", week: "2026-W4\($0)"), try Fragment.encode(big))
                },
                stamps: [])
        }
        func expectDamage(_ what: String) {
            do {
                let store = try Store(project: project)
                for path in try store.entries().keys.sorted() { _ = try store.fragment(path) }
                Issue.record("\(what): no error")
            } catch {
                #expect(error.file == Store.display, "\(what)")
                #expect(error.remedy?.contains("--rebuild-store") == true, "\(what)")
            }
        }
        // Truncated to half.
        try fill()
        let whole = try Data(contentsOf: file)
        try whole.prefix(whole.count / 2).write(to: file)
        expectDamage("truncated")
        // Not SQLite at all.
        try Data(repeating: 0x41, count: 4096).write(to: file)
        expectDamage("not a database")
        // A fragment's bytes changed under SQLite's feet: its SHA-256 no longer matches.
        try fill()
        do {
            let queue = try DatabaseQueue(path: file.path)
            try queue.write { db in
                try db.execute(sql: "UPDATE file SET fragment = zeroblob(length(fragment)) WHERE week = '2026-W43'")
            }
        }
        expectDamage("changed fragment")
        // --rebuild-store is the way out.
        let rebuilt = try Store(project: project, rebuild: true)
        #expect(try rebuilt.entries().isEmpty)
    }

    /// A sealed week keeps its pages; a compacted file keeps only its thinned points, which is an
    /// error naming the week's snapshot archive wherever its whole points are asked for, until
    /// it is stored whole again.
    @Test func compactedFilesAndSealedWeeksRoundTrip() throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        let store = try Store(project: project)
        let path = "snapshots/2026-W45/a.json"
        let dataset = Self.oneSeries(
            path, points: (0..<2_000).map { Point(time: Instant(seconds: 60 * $0), value: Double($0)) })
        var thinned = dataset
        thinned.series[0].points = [dataset.series[0].points[0], dataset.series[0].points[1_999]]
        let entry = Store.Entry(
            path: path, week: "2026-W45", stamp: "s", contentHash: "h", format: "json", rawBytes: 1, storedBytes: 0)
        let whole = try Fragment.encode(dataset)
        try store.save([(entry, whole)], stamps: [])
        try store.saveThinned(
            path, keepKey: "k", fragment: try Fragment.encode(thinned),
            removed: Instant(seconds: 60)...Instant(seconds: 119_880),
            latest: Instant(seconds: 119_940))
        try store.freeze(week: "2026-W45", inputKey: "i", report: Data("report".utf8))
        #expect(try store.sealedPages(week: "2026-W45") == nil)
        try store.seal(week: "2026-W45", renderKey: "r", pruned: true, pages: Data("pages".utf8))
        let week = try #require(try store.weeks()["2026-W45"])
        #expect(week.sealedKey == "r" && week.sealedPruned)
        #expect(try store.sealedPages(week: "2026-W45") == Data("pages".utf8))

        #expect(try store.compact([path, "snapshots/2026-W45/none.json"], keepKey: "other") == 0)
        #expect(try store.entries()[path]?.compacted == false)
        #expect(try store.compact([path], keepKey: "k") == 1)
        let compacted = try #require(try store.entries()[path])
        let thinnedBytes = Int64(try Fragment.encode(thinned).count)
        #expect(compacted.compacted && compacted.storedBytes == thinnedBytes)
        #expect(compacted.storedBytes * 4 < Int64(whole.count))
        let error = try #require(throws: HeadroomError.self) { try store.fragment(path) }
        #expect(error.message.contains("keeps only thinned points of snapshots/2026-W45/a.json"))
        #expect(error.remedy?.contains("tar -xzf snapshots-2026-W45.tar.gz -C snapshots") == true)
        #expect(throws: HeadroomError.self) {
            try store.kept([(path, true)], keepKey: "another", before: Instant(seconds: 160_000))
        }
        #expect(try store.compactedFragment(path) == thinned)
        guard
            case .thinned(let kept, _)? = try store.kept(
                [(path, true)], keepKey: "k", before: Instant(seconds: 160_000))[0]
        else {
            Issue.record("the thinned fragment is what a compacted file keeps")
            return
        }
        #expect(kept == thinned)
        // Read again from its snapshot: whole again.
        try store.save([(entry, whole)], stamps: [])
        #expect(try store.entries()[path]?.compacted == false)
        #expect(try store.fragment(path) == dataset)

        // Damaged pages are an error, not other pages.
        let queue = try DatabaseQueue(path: project.appending(path: Store.display).path)
        try queue.write { db in try db.execute(sql: "UPDATE week SET sealedPages = X'00'") }
        #expect(throws: HeadroomError.self) { try store.sealedPages(week: "2026-W45") }
    }

    /// Compacting most of the store frees most of its file, which is then given back; less free
    /// space stays for the next weeks to reuse.
    @Test func mostlyFreeSpaceIsGivenBack() throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        let store = try Store(project: project)
        let paths = (0..<20).map { "snapshots/2026-W40/\($0).json" }
        for path in paths {
            let entry = Store.Entry(
                path: path, week: "2026-W40", stamp: "s", contentHash: "h", format: "json", rawBytes: 1, storedBytes: 0)
            try store.save([(entry, Data(repeating: 7, count: 200_000))], stamps: [])
            try store.saveThinned(path, keepKey: "k", fragment: Data([1]), removed: nil, latest: nil)
        }
        let full = store.fileBytes
        #expect(try store.compact(paths, keepKey: "k") == 20)
        #expect(try store.freeBytes() * 2 > full)
        try store.shrinkWhenMostlyFree()
        #expect(store.fileBytes * 4 < full)
        #expect(try store.freeBytes() * 2 <= store.fileBytes)
        try store.shrinkWhenMostlyFree()
    }

    /// A store written by this schema's first version (committed as a fixture) opens, migrates and
    /// reads; one with a migration this version does not know is refused.
    @Test func storesOfOtherVersions() throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        try FileManager.default.createDirectory(
            at: project.appending(path: Store.folderName), withIntermediateDirectories: true)
        let file = project.appending(path: Store.display)
        try FileManager.default.copyItem(at: TestSupport.fixture("store/v1.sqlite"), to: file)
        do {
            let store = try Store(project: project)
            let entries = try store.entries()
            #expect(entries.keys.sorted() == ["snapshots/2026-W47/cost-explorer.json"])
            let dataset = try store.fragment("snapshots/2026-W47/cost-explorer.json")
            #expect(dataset.costs.count == 6)
            #expect(dataset.sources.map(\.path) == ["snapshots/2026-W47/cost-explorer.json"])
            // Migrated to the weeks table, empty, and to compaction: nothing compacted.
            #expect(try store.weeks().isEmpty)
            #expect(entries.values.allSatisfy { !$0.compacted })
        }
        do {
            let queue = try DatabaseQueue(path: file.path)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
            }
        }
        #expect {
            try Store(project: project)
        } throws: { error in
            (error as? HeadroomError)?.message.contains("newer Headroom") == true
        }
    }

    /// A second opener waits for the first to close, and says it is waiting.
    @Test func oneBuildAtATime() async throws {
        let project = try TestSupport.temporaryDirectory("headroom-store")
        defer { try? FileManager.default.removeItem(at: project) }
        var first: Store? = try Store(project: project)
        let waited = Mutex(false)
        let clock = ContinuousClock()
        let opened = Task.detached {
            _ = try Store(project: project) { waited.set(true) }
            return clock.now
        }
        // Release only once the second opener says it waits (a busy machine may start it late).
        let deadline = clock.now + .seconds(120)
        while !waited.get() && clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(waited.get())
        let released = clock.now
        first = nil
        _ = first
        let openedAt = try await opened.value
        #expect(openedAt >= released)
    }
}

/// A seeded generator (SplitMix64), so that generated data is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A Bool shared with a detached task.
final class Mutex<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ new: Value) { lock.withLock { value = new } }
}
