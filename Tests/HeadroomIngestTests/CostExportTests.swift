import Foundation
import HeadroomModel
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
