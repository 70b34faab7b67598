import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomIngest

@Suite struct CSVReaderTests {
    func records(_ text: String) throws -> [[String]] {
        try Data(text.utf8).withUnsafeBytes { raw in
            var reader = CSVReader(bytes: raw.bindMemory(to: UInt8.self))
            var result: [[String]] = []
            while let (fields, _) = try reader.next() { result.append(fields) }
            return result
        }
    }

    @Test func readsRFC4180() throws {
        #expect(
            try records("a,b,c\r\n1,\"x, \"\"y\"\"\",\n\n\"multi\nline\",2,3") == [
                ["a", "b", "c"], ["1", "x, \"y\"", ""], ["multi\nline", "2", "3"],
            ])
        #expect(try records("\u{FEFF}a,b\n") == [["a", "b"]])
        #expect(try records("a,\n") == [["a", ""]])
    }

    @Test func reportsBrokenQuotesWithTheirLine() {
        let cases = [
            ("a,b\n\"open,1\n2,3", 2), ("a,b\n1,x\"y\n", 2), ("a\n\"q\"x\n", 2), ("a,b\n1,2\n3,x\u{0}y\n", 3),
            ("a,b\n1,\"x\n\u{0}\"\n", 3),
        ]
        for (text, line) in cases {
            do {
                _ = try records(text)
                Issue.record("accepted \(text)")
            } catch let problem as CSVReader.Problem {
                #expect(problem.line == line, "\(text)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

@Suite struct CostExportTests {
    @Test func focusRowsBecomeExactEffectiveAndBilledCosts() throws {
        let (dataset, row) = try readFixture("focus-csv", "aws-focus-1.0.csv")
        #expect(row.status == .read(.focusCSV))
        let first = try #require(dataset.costs.first)
        #expect(first.metric == "EffectiveCost")
        #expect(first.amount == Decimal(exactly: "12.3456780000"))
        #expect(first.unit == "USD")
        #expect(first.start.description == "2026-11-16T00:00:00Z")
        #expect(first.end.description == "2026-11-17T00:00:00Z")
        #expect(first.groups["SERVICE"] == "AWS Lambda")
        #expect(first.groups["RESOURCE"] == "arn:aws:lambda:eu-central-1:123456789012:function:orders-api")
        #expect(first.groups["x_UsageType"] == "EUC1-Lambda-GB-Second")
        #expect(dataset.costs.contains { $0.amount < 0 })  // credits and refunds are kept
        for version in ["1.1", "1.2"] {
            let (other, _) = try readFixture("focus-csv", "aws-focus-\(version).csv")
            #expect(other.costs.count == dataset.costs.count, "\(version)")
        }
    }

    @Test func curLinesGiveCostUsageAndLambdaArchitecture() throws {
        let (dataset, row) = try readFixture("cur2-csv", "cur2-lambda.csv")
        #expect(row.status == .read(.cur2CSV))
        let compute = try #require(
            dataset.costs.first { $0.metric == "UsageQuantity" && $0.groups["USAGE_TYPE"] == "EUC1-Lambda-GB-Second" })
        #expect(compute.groups["ARCHITECTURE"] == "x86_64")
        #expect(compute.amount == Decimal(exactly: "740740.5"))
        #expect(compute.unit == "Lambda-GB-Second")
        #expect(dataset.costs.contains { $0.groups["ARCHITECTURE"] == "arm64" })
        #expect(
            dataset.costs.contains { $0.groups["USAGE_TYPE"] == "EUC1-Request" && $0.groups["ARCHITECTURE"] == nil })
    }

    @Test func columnOrderDoesNotMatter() throws {
        let (reordered, _) = try readFixture("focus-csv", "nasty-focus-1.2-reordered-bom-crlf.csv")
        #expect(reordered.costs.allSatisfy { $0.groups["SERVICE"] != nil })
    }

    @Test func aLegacyReportIsRefusedWithAWayOut() throws {
        do {
            _ = try readFixture("cur2-csv", "bad-legacy-cur-header.csv")
            Issue.record("accepted")
        } catch {
            #expect(error.remedy == "export CUR 2.0 or FOCUS with AWS Data Exports")
        }
    }
}

/// Data Exports deliver FOCUS and CUR 2.0 as gzip CSV (`*.csv.gz`): read as the CSV they hold.
@Suite struct CompressedExportTests {
    static let exports = [
        ("focus-csv", "aws-focus-1.2-part-00001.csv.gz", "aws-focus-1.2.csv"),
        ("cur2-csv", "cur2-lambda-part-00001.csv.gz", "cur2-lambda.csv"),
    ]

    /// `data` compressed by the real `gzip` (no name, no time: reproducible).
    func gzip(_ data: Data) throws -> Data {
        let folder = try TestSupport.temporaryDirectory("headroom-gzip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: "part")
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", "-9", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try Data(contentsOf: folder.appending(path: "part.gz"))
    }

    /// Every chunk of `data`'s stream, joined.
    func inflate(_ data: Data, display: String = "x.csv.gz", limit: Int, chunkSize: Int = 1 << 20) throws(HeadroomError)
        -> Data
    {
        let stream = try Gzip.Stream(data, display: display, limit: limit, chunkSize: chunkSize)
        var output = Data()
        while let chunk = try stream.next() { output.append(contentsOf: chunk) }
        return output
    }

    func failure(_ data: Data, limit: Int = Sources.maximumFileSize) -> HeadroomError? {
        do {
            _ = try inflate(data, display: "snapshots/2026-W47/focus.csv.gz", limit: limit)
            return nil
        } catch {
            return error
        }
    }

    @Test func aGzipExportReadsAsTheCSVItHolds() throws {
        for (folder, compressed, plain) in Self.exports {
            let (dataset, row) = try readFixture(folder, compressed)
            let (expected, plainRow) = try readFixture(folder, plain)
            #expect(row.status == plainRow.status && row.recordCount == plainRow.recordCount, "\(compressed)")
            #expect(!dataset.costs.isEmpty)
            #expect(dataset.costs.map(\.amount) == expected.costs.map(\.amount), "\(compressed)")
            #expect(dataset.costs.map(\.groups) == expected.costs.map(\.groups), "\(compressed)")
            #expect(dataset.costs.allSatisfy { $0.source == compressed })
        }
    }

    /// Members one after another (`cat a.gz b.gz`) are one file, as `gzip -d` reads them.
    @Test func membersOneAfterAnotherAreOneFile() throws {
        let text = try TestSupport.fixtureData("focus-csv/aws-focus-1.2.csv")
        let cut = try #require(text.firstIndex(of: UInt8(ascii: "\n"))) + 1
        let joined = try gzip(Data(text[..<cut])) + gzip(Data(text[cut...]))
        #expect(try inflate(joined, limit: 1 << 20) == text)
        #expect(try inflate(joined, limit: 1 << 20, chunkSize: 7) == text)
        // Zero padding after the last member, as some tools leave it, is not data.
        #expect(try inflate(joined + Data(count: 512), limit: 1 << 20) == text)
    }

    /// A FOCUS export of 40,000 rows (about 9 MB, nine chunks unpacked), with quoted fields that
    /// hold commas, quotes and line breaks, read as it unpacks: the same records as the plain
    /// file, and an error in its last row names that row's line, counted across every chunk.
    @Test func aLargeExportStreamsWithLinesCountedAcrossChunks() throws {
        let header =
            "ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ResourceId,x_Note\r\n"
        var text = header
        var lines = 1
        for row in 0..<40_000 {
            let day = 16 + row % 7
            let note = row % 5 == 0 ? "\"a, \"\"quoted\"\"\nnote \(row)\"" : "plain \(row)"
            text +=
                "2026-11-\(day)T00:00:00Z,2026-11-\(day + 1)T00:00:00Z,\(row).0000000001,\(row).5,USD,"
                + "AWS Lambda,arn:aws:lambda:eu-west-1:123456789012:function:f\(row % 97),\(note)\r\n"
            lines += row % 5 == 0 ? 2 : 1
        }
        let plain = Data(text.utf8)
        let compressed = try gzip(plain)
        let streamed = try CostExports.read(
            InputFile(display: "x.csv.gz", data: compressed, sidecar: nil), format: .focusCSV)
        let whole = try CostExports.read(InputFile(display: "x.csv", data: plain, sidecar: nil), format: .focusCSV)
        #expect(streamed.0.costs.count == 80_000)
        #expect(streamed.0.costs.map(\.amount) == whole.0.costs.map(\.amount))
        #expect(streamed.0.costs.map(\.groups) == whole.0.costs.map(\.groups))
        #expect(streamed.0.costs.map(\.start) == whole.0.costs.map(\.start))
        #expect(streamed.0.costs[2].groups["x_Note"] == "plain 1")
        #expect(streamed.0.costs[0].groups["x_Note"] == "a, \"quoted\"\nnote 0")
        // The last row's amount broken: the error is on its line (lines counts every line, the
        // header and the line breaks inside quotes too).
        let broken =
            text.dropLast(
                "39999.5,USD,AWS Lambda,arn:aws:lambda:eu-west-1:123456789012:function:f37,plain 39999\r\n".count)
            + "oops,USD,AWS Lambda,arn:aws:lambda:eu-west-1:123456789012:function:f37,plain 39999\r\n"
        let error = #expect(throws: HeadroomError.self) {
            try CostExports.read(
                InputFile(display: "x.csv.gz", data: try gzip(Data(broken.utf8)), sidecar: nil), format: .focusCSV)
        }
        #expect(error?.position == .line(lines, column: nil))
        #expect(error?.message.contains("column EffectiveCost") == true)
    }

    /// Blocks of whole records from chunks of any size read as the whole bytes do: the same
    /// records on the same lines, a quoted line break or a byte-order mark's bytes in a later
    /// chunk left as they are.
    @Test func recordsReadTheSameWhateverTheChunks() throws {
        let text = "\u{FEFF}a,b\r\n1,\"x\ny\"\n\n2,\"\u{FEFF}z,\"\"q\"\"\"\r\n3,\"\"\n4,last"
        let bytes = Array(text.utf8)
        var expected: [(fields: [String], line: Int)] = []
        try bytes.withUnsafeBufferPointer { all in
            var reader = CSVReader(bytes: all)
            while let record = try reader.next() { expected.append(record) }
        }
        #expect(expected.map(\.line) == [1, 2, 5, 6, 7])
        for size in 1...bytes.count {
            var offset = 0
            var stream = CSVStream { () -> [UInt8]? in
                guard offset < bytes.count else { return nil }
                defer { offset += size }
                return Array(bytes[offset..<min(offset + size, bytes.count)])
            }
            var records: [(fields: [String], line: Int)] = []
            while let record = try stream.next() { records.append(record) }
            #expect(records.map(\.fields) == expected.map(\.fields), "chunks of \(size)")
            #expect(records.map(\.line) == expected.map(\.line), "chunks of \(size)")
        }
    }

    @Test func aDamagedCutShortOrOversizedFileIsAnErrorNamingIt() throws {
        let good = try TestSupport.fixtureData("focus-csv/aws-focus-1.2-part-00001.csv.gz")
        let cases: [(Data, String)] = [
            (good.prefix(good.count - 9), "cut short: the gzip data ends before its end"),
            (good.prefix(40), "cut short"),
            (Data("AvailabilityZone,BilledCost\n".utf8), "not a gzip file"),
            (good + Data("trailing".utf8), "bytes after the end of the gzip data (at byte \(good.count) of the file)"),
        ]
        for (data, message) in cases {
            let error = try #require(failure(data), "\(message)")
            #expect(error.file == "snapshots/2026-W47/focus.csv.gz")
            #expect(error.message.contains(message), "\(error.message)")
        }
        // A changed byte inside the compressed data, or in the trailer's checksum.
        for offset in [good.count / 2, good.count - 6] {
            var damaged = good
            damaged[offset] ^= 0x5A
            let error = try #require(failure(damaged))
            #expect(error.message.hasPrefix("not valid gzip data") || error.message.hasPrefix("cut short"), "\(error)")
        }
        let large = try #require(failure(good, limit: 4_000))
        #expect(large.message.contains("unpacks to more than 4000 bytes"))
        #expect(large.remedy?.contains("Athena") == true)
        // Through the reader: the error names the file.
        let input = InputFile(display: "exports/focus.csv.gz", data: good.prefix(100), sidecar: nil)
        #expect(throws: HeadroomError.self) { try Sources.read(input, forced: nil) }
    }

    /// A project's `.csv.gz` is listed and read; other compressed files and Parquet are refused
    /// with what to do.
    @Test func aProjectReadsItsGzipExportsAndRefusesOtherCompressedFiles() throws {
        let project = try TestSupport.temporaryDirectory("headroom-gzip-project")
        defer { try? FileManager.default.removeItem(at: project) }
        let folder = project.appending(path: "snapshots/2026-W47")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try TestSupport.fixtureData("focus-csv/aws-focus-1.2-part-00001.csv.gz")
            .write(to: folder.appending(path: "focus-00001.csv.gz"))
        try gzip(Data("{}".utf8)).write(to: folder.appending(path: "metrics.json.gz"))
        try Data("PAR1".utf8).write(to: folder.appending(path: "focus.parquet"))
        var configuration = Configuration()
        configuration.sources = [Configuration.Source(path: "snapshots")]
        let rows = try Sources.read(
            configuration, projectDirectory: URL(fileURLWithPath: project.path, isDirectory: true)
        )
        .sources
        let byName = Dictionary(
            uniqueKeysWithValues: rows.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
        #expect(byName["focus-00001.csv.gz"]?.status == .read(.focusCSV))
        #expect((byName["focus-00001.csv.gz"]?.recordCount ?? 0) > 0)
        guard case .ignored(let gz)? = byName["metrics.json.gz"]?.status,
            case .ignored(let parquet)? = byName["focus.parquet"]?.status
        else {
            Issue.record("\(rows)")
            return
        }
        #expect(gz.contains("but for a gzip CSV export (.csv.gz); unpack it"))
        #expect(parquet.contains("query the export with Athena"))
    }
}

/// `aws athena get-query-results` over a FOCUS or CUR 2.0 table: the same records as the CSV export
/// with those columns, every value from a string, amounts exact.
@Suite struct AthenaResultsTests {
    @Test func aFocusQueryGivesExactCostsByAccountRegionServiceAndResource() throws {
        let (dataset, row) = try readFixture(
            "athena-query-results", "focus-week-by-day-account-region-service-resource.json")
        #expect(row.status == .read(.athenaQueryResults))
        #expect(row.warnings.isEmpty)
        // 9 rows below the header, two metrics each.
        #expect(dataset.costs.count == 18)
        let first = try #require(dataset.costs.first)
        #expect(first.metric == "EffectiveCost" && first.amount == Decimal(string: "11.9")!)
        #expect(first.start.description == "2026-11-16T00:00:00Z" && first.end.description == "2026-11-17T00:00:00Z")
        #expect(first.groups["ACCOUNT"] == "123456789012" && first.groups["REGION"] == "eu-central-1")
        #expect(first.groups["RESOURCE"] == "arn:aws:lambda:eu-central-1:123456789012:function:orders-api")
        // A NULL resource is no group; a credit is kept, negative.
        #expect(dataset.costs.contains { $0.groups["SERVICE"] == "Amazon CloudWatch" && $0.groups["RESOURCE"] == nil })
        #expect(dataset.costs.contains { $0.groups["CHARGE_CATEGORY"] == "Credit" && $0.amount == Decimal(-1.5) })
        // Recomputed from the file: the sum of every billedcost cell, as decimals.
        let json = try JSONSerialization.jsonObject(
            with: TestSupport.fixtureData("athena-query-results/focus-week-by-day-account-region-service-resource.json")
        )
        let rows = ((json as! [String: Any])["ResultSet"] as! [String: Any])["Rows"] as! [[String: Any]]
        let billed = rows.dropFirst().map { row -> Decimal in
            let cell = (row["Data"] as! [[String: String]])[8]
            return Decimal(string: cell["VarCharValue"]!)!
        }.reduce(0, +)
        #expect(dataset.costs.filter { $0.metric == "BilledCost" }.map(\.amount).reduce(0, +) == billed)
    }

    @Test func aCURQueryGivesUnblendedCostAndUsageWithArchitecture() throws {
        let (dataset, row) = try readFixture("athena-query-results", "cur2-lambda-usage-lines.json")
        #expect(row.status == .read(.athenaQueryResults))
        #expect(dataset.costs.count == 8)
        let arm = try #require(dataset.costs.first { $0.groups["USAGE_TYPE"] == "EUC1-Lambda-GB-Second-ARM" })
        #expect(arm.groups["ARCHITECTURE"] == "arm64" && arm.groups["ACCOUNT"] == "123456789012")
        let x86 = dataset.costs.first { $0.groups["USAGE_TYPE"] == "USE1-Lambda-GB-Second" }
        #expect(x86?.groups["ARCHITECTURE"] == "x86_64")
        #expect(
            dataset.costs.filter { $0.metric == "UnblendedCost" }.map(\.amount).reduce(0, +)
                == Decimal(string: "1.264008")!)
        // Athena prints a double below 0.001 in scientific notation: read exactly.
        #expect(dataset.costs.contains { $0.amount == Decimal(string: "0.000008")! })
    }

    @Test func pagesLeftAHeaderlessPageAndNoColumnInfoAreRead() throws {
        let (partial, row) = try readFixture("athena-query-results", "nasty-next-token-left-in.json")
        #expect(partial.costs.count == 4)
        // The words Analysis takes as "pages missing": a service absent that week is not known, not 0.
        #expect(row.warnings == ["NextToken is set: later pages are missing, so costs may be incomplete"])
        let (later, _) = try readFixture("athena-query-results", "nasty-later-page-without-header.json")
        #expect(later.costs.count == 4)
        let (plain, _) = try readFixture("athena-query-results", "nasty-no-column-info-iso-timestamps.json")
        #expect(plain.costs.map(\.amount) == [Decimal(string: "1.20")!, Decimal(string: "1.25")!])
        let (none, noneRow) = try readFixture("athena-query-results", "nasty-header-only.json")
        #expect(none.costs.isEmpty && noneRow.warnings == ["no rows below the header"])
    }

    @Test func errorsNameTheRowAndColumn() throws {
        let cases = [
            (
                "bad-non-numeric-cost.json", "$.ResultSet.Rows[2]",
                "column BilledCost: expected a decimal amount, found \"12,34\""
            ),
            ("bad-timestamp.json", "$.ResultSet.Rows[1]", "column ChargePeriodStart: expected a timestamp"),
            ("bad-wrong-field-count.json", "$.ResultSet.Rows[2]", "9 fields, but the header has 10 columns"),
            ("bad-missing-required-column.json", "$.ResultSet.Rows[0]", "lacks the required columns EffectiveCost"),
            ("bad-aws-cli-example-web-logs.json", "$.ResultSet.Rows[0]", "neither a FOCUS nor a CUR 2.0 export's"),
        ]
        for (name, path, message) in cases {
            #expect {
                _ = try readFixture("athena-query-results", name)
            } throws: { error in
                let error = error as? HeadroomError
                return error?.file == name && error?.position == .jsonPath(path)
                    && error?.message.contains(message) == true
            }
        }
    }
}
