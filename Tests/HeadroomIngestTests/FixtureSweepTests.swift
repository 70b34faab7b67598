import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomIngest

/// Reads one fixture the way a build does: format detected by content, sidecar query included.
func readFixture(_ folder: String, _ name: String) throws(HeadroomError) -> (Dataset, SourceFile) {
    let url = TestSupport.fixture("\(folder)/\(name)")
    let data = try! Data(contentsOf: url)
    let sidecarURL = URL(fileURLWithPath: Sources.sidecarName(for: url.path))
    var sidecar: JSONCursor?
    if sidecarURL.path != url.path, let sidecarData = try? Data(contentsOf: sidecarURL) {
        sidecar = JSONCursor(
            try Sources.parseJSON(sidecarData, display: sidecarURL.lastPathComponent),
            file: sidecarURL.lastPathComponent)
    }
    return try Sources.read(InputFile(display: name, data: data, sidecar: sidecar), forced: nil)
}

/// Every fixture folder of a format this version reads: `bad-*` files fail with an error that
/// names the file (zero-byte ones are listed as empty instead), `other-*` files (outputs of other
/// commands) are refused as not recognised, and every other file is read as the folder's format.
@Suite struct FixtureSweepTests {
    static let folders: [(String, SourceFormat)] = [
        ("cloudwatch-get-metric-data", .cloudWatchGetMetricData),
        ("cloudwatch-get-metric-statistics", .cloudWatchGetMetricStatistics),
        ("cost-explorer", .costExplorer),
        ("service-quotas", .serviceQuotas),
        ("lambda-account-settings", .lambdaAccountSettings),
        ("lambda-function-concurrency", .lambdaFunctionConcurrency),
        ("lambda-provisioned-concurrency", .lambdaProvisionedConcurrency),
        ("lambda-functions", .lambdaFunctions),
        ("lambda-logs", .lambdaLogs),
        ("openslo", .openSLO),
        ("wellarchitected", .wellArchitected),
        ("trusted-advisor", .trustedAdvisor),
        ("security-hub-asff", .securityHubASFF),
        ("prowler-ocsf", .prowlerOCSF),
        ("focus-csv", .focusCSV),
        ("cur2-csv", .cur2CSV),
        ("athena-query-results", .athenaQueryResults),
        // Query API bodies; the .txt files in the folder are the exposition formats.
        ("prometheus", .prometheusQuery),
        ("xray-service-graph", .xrayServiceGraph),
        ("xray-trace-summaries", .xrayTraceSummaries),
        ("xray-traces", .xrayTraces),
    ]

    static func files(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.fixture(folder).path)) ?? []
        return names.filter { $0 != "README.md" && !$0.hasSuffix(".query.json") }.sorted()
    }

    @Test(arguments: folders.map(\.0))
    func badFixturesFailWithTheFileName(folder: String) throws {
        let bad = Self.files(folder).filter { $0.hasPrefix("bad-") }
        #expect(bad.count >= 5, "\(folder) has \(bad.count) malformed fixtures")
        for name in bad {
            do {
                let (_, row) = try readFixture(folder, name)
                let size =
                    (try? FileManager.default.attributesOfItem(atPath: TestSupport.fixture("\(folder)/\(name)").path)[
                        .size] as? Int) ?? -1
                #expect(row.status == .empty && size == 0, "\(folder)/\(name) was accepted as \(row.status)")
            } catch {
                let sidecar = URL(fileURLWithPath: Sources.sidecarName(for: name)).lastPathComponent
                #expect(error.file == name || error.file == sidecar, "\(folder)/\(name): \(error)")
                #expect(error.position != nil || error.remedy != nil, "\(folder)/\(name) has no position: \(error)")
            }
        }
    }

    @Test(arguments: folders)
    func otherFixturesAreReadAsTheirFormat(folder: String, format: SourceFormat) throws {
        for name in Self.files(folder) where name.hasPrefix("other-") {
            #expect(throws: HeadroomError.self, "\(folder)/\(name)") { try readFixture(folder, name) }
        }
        for name in Self.files(folder) where !name.hasPrefix("bad-") && !name.hasPrefix("other-") {
            do {
                let (_, row) = try readFixture(folder, name)
                let format = folder == "prometheus" && name.hasSuffix(".txt") ? .prometheusText : format
                if row.status != .read(format) {
                    // A file with nothing in it is listed as empty.
                    #expect(row.status == .empty, "\(folder)/\(name) read as \(row.status)")
                }
            } catch {
                Issue.record("\(folder)/\(name): \(error)")
            }
        }
    }
}
