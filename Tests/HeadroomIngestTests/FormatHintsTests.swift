import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

/// A file whose format is not recognised says what it looks like, the nearest format Headroom
/// reads and what it lacks, and what to do; other tools' formats are refused by name.
@Suite struct FormatHintsTests {
    func fixture(_ folder: String, _ name: String) throws -> HeadroomError {
        do {
            let (_, row) = try readFixture(folder, name)
            Issue.record("\(name) was read as \(row.status)")
            throw CancellationError()
        } catch let error as HeadroomError {
            #expect(error.file == name)
            return error
        }
    }

    func refusal(_ name: String, text: String) -> HeadroomError? {
        do {
            _ = try Sources.read(InputFile(display: name, data: Data(text.utf8), sidecar: nil), forced: nil)
            return nil
        } catch {
            return error
        }
    }

    /// YAML that does not parse is an error at its position, not a format nobody recognises; a
    /// chain of merge keys that would expand to billions of entries is refused at the merge that
    /// passes the limit.
    @Test func brokenYAMLIsAnErrorAtItsPosition() throws {
        let deep = refusal("deep.yaml", text: "labels: " + String(repeating: "[", count: 100_000))
        #expect(deep?.message.hasPrefix("invalid YAML: ") == true, "\(String(describing: deep))")
        #expect(deep?.position == .line(1, column: 10), "\(String(describing: deep))")
        let tab = refusal("tab.yaml", text: "a:\n\t- b\n")
        #expect(tab?.message.hasPrefix("invalid YAML: ") == true, "\(String(describing: tab))")
        #expect(tab?.position != nil)

        var bomb = "apiVersion: openslo/v1\nkind: SLO\nx0: &m0 {a: 1}\n"
        for level in 1...9 {
            bomb +=
                "x\(level): &m\(level) {<<: [" + Array(repeating: "*m\(level - 1)", count: 9).joined(separator: ", ")
                + "]}\n"
        }
        bomb += "metadata:\n  <<: *m9\n  name: x\n"
        let merges = try #require(try YAMLCursor.document(bomb, file: "bomb.yaml", stage: .ingest))
        let metadata = try #require(merges["metadata"])
        #expect(throws: HeadroomError.self) { try metadata.mapping("metadata") }
        do {
            _ = try metadata.mapping("metadata")
        } catch {
            #expect(error.message == "merge keys (<<) bring in more than 1000 mappings, merges within merges counted")
            #expect(error.position == .line(4, column: 10))
        }
    }

    @Test func slothSpecsAreNamed() throws {
        let spec = try fixture("openslo", "other-sloth-prometheus-v1.yml")
        #expect(spec.message.contains("a Sloth SLO spec (version: prometheus/v1), not OpenSLO"))
        #expect(spec.remedy?.contains("apiVersion: openslo/v1, kind: SLO") == true)
        let resource = try fixture("openslo", "other-sloth-kubernetes.yml")
        #expect(resource.message.contains("a Sloth Kubernetes resource (sloth.slok.dev/v1, PrometheusServiceLevel)"))
        let manifest = refusal(
            "deploy.yaml", text: "apiVersion: apps/v1\nkind: Deployment\n")
        #expect(manifest?.message.hasSuffix("a YAML document of apiVersion apps/v1 (Deployment), not OpenSLO") == true)
    }

    @Test func prowlerThreeIsNamedWithTheWayForward() throws {
        let ocsf = try fixture("prowler-ocsf", "other-prowler-3.6.1.ocsf.json")
        #expect(ocsf.message.contains("OCSF Security Finding (class_uid 2001) output from Prowler 3.6.1"))
        #expect(ocsf.remedy?.contains("Prowler 4 or later with --output-formats json-ocsf") == true)
        let native = try fixture("prowler-ocsf", "other-prowler-3-native.json")
        #expect(native.message.contains("Prowler 3's native JSON output"))
        let list = refusal(
            "x.json", text: #"[{"id": 1}]"#)
        #expect(
            list?.message.contains("none of the Prowler OCSF keys status_code, finding_info, metadata; its keys: id")
                == true)
    }

    @Test func theNearestFormatAndWhatItLacks() {
        let typo = refusal(
            "cw.json", text: #"{"MetricDataResult": [], "Messages": []}"#)
        #expect(
            typo?.message
                == "the format of this file is not recognised: the nearest format is cloudwatch-get-metric-data, "
                + "whose top-level key is MetricDataResults; this file has MetricDataResult")
        let alarms = refusal(
            "alarms.json", text: #"{"MetricAlarms": []}"#)
        #expect(
            alarms?.message.hasSuffix("looks like CloudWatch alarms (describe-alarms), not an input Headroom reads")
                == true)
        let unknown = refusal(
            "x.json", text: #"{"Items": [], "Count": 0}"#)
        #expect(unknown?.message.contains("top-level keys Items, Count, none of those the formats") == true)
        let finding = refusal(
            "finding.json",
            text: #"{"SchemaVersion": "2018-10-08", "ProductArn": "arn", "AwsAccountId": "1", "Id": "x"}"#)
        #expect(
            finding?.message.hasSuffix(
                "one Security Hub finding in ASFF, where Headroom reads the output of get-findings") == true)
        let csv = refusal(
            "cost.csv", text: "ChargePeriodStart,ChargePeriodEnd,Cost\n2026-11-01,2026-11-02,1\n")
        #expect(
            csv?.message.hasSuffix(
                "the nearest is FOCUS 1.0, which lacks BilledCost, EffectiveCost, BillingCurrency, ServiceName") == true
        )
        let text = refusal(
            "notes.txt", text: "hello\n")
        #expect(text?.message.contains("neither Lambda log lines") == true)
    }
}
