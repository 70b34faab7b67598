import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomIngest

@Suite struct FindingAdapterTests {
    @Test func securityHubDropsArchivedAndMapsStatus() throws {
        let (dataset, row) = try readFixture("security-hub-asff", "moto-get-findings.json")
        #expect(dataset.findings.count == 7)  // 9 findings, 2 ARCHIVED
        #expect(row.warnings.contains("2 ARCHIVED findings dropped"))
        #expect(dataset.findings.map(\.severity) == [.medium, .info, .critical, .low, .medium, .high, .medium])
        #expect(dataset.findings.map(\.status) == [.failed, .passed, .failed, .suppressed, .failed, .failed, .failed])
        #expect(dataset.findings.allSatisfy { $0.pillar == .security && $0.tool == .securityHub })
    }

    @Test func prowlerFourAndFiveReadAlike() throws {
        let (four, _) = try readFixture("prowler-ocsf", "prowler-4.6.2.ocsf.json")
        let (five, _) = try readFixture("prowler-ocsf", "prowler-5.46.0.ocsf.json")
        #expect(four.findings.count == 8)
        #expect(five.findings.count == 9)
        #expect(
            four.findings.map(\.status) == [.failed, .passed, .failed, .passed, .failed, .passed, .failed, .suppressed])
        #expect(five.findings.last?.status == .unknown)  // MANUAL
        let first = try #require(five.findings.first)
        #expect(first.ruleId == "awslambda_function_no_secrets_in_variables")
        #expect(first.severity == .critical)
        #expect(first.resource == "arn:aws:lambda:eu-central-1:123456789012:function:orders-api")
        #expect(first.account == "123456789012")
    }

    @Test func trustedAdvisorResultsAndCatalogue() throws {
        let (result, _) = try readFixture("trusted-advisor", "describe-trusted-advisor-check-result-L4dfs2Q4C5.json")
        #expect(result.findings.map(\.status) == [.failed, .failed, .suppressed])
        #expect(result.findings.map(\.severity) == [.high, .medium, .high])
        #expect(result.findings.first?.ruleId == "L4dfs2Q4C5")
        #expect(result.findings.first?.details.count == 8)
        let (catalogue, _) = try readFixture(
            "trusted-advisor", "describe-trusted-advisor-checks-lambda-and-limits.json")
        let check = try #require(catalogue.trustedAdvisorChecks.first { $0.id == "L4dfs2Q3C2" })
        #expect(check.name == "AWS Lambda Functions with High Error Rates")
        #expect(check.columns.count == 11)
    }

    @Test func wellArchitectedAnswersBecomeFindings() throws {
        let (answers, _) = try readFixture("wellarchitected", "list-answers-serverless-reliability-milestone-3.json")
        #expect(answers.findings.map(\.ruleId) == ["rel_q1", "rel_q2"])
        #expect(answers.findings.map(\.severity) == [.medium, .high])
        #expect(answers.findings.allSatisfy { $0.pillar == .reliability && $0.status == .failed })
        let (review, _) = try readFixture("wellarchitected", "get-lens-review-wellarchitected.json")
        let first = try #require(review.lensReviews.first)
        #expect(first.pillar == "operationalExcellence")
        #expect(first.riskCounts == ["UNANSWERED": 1, "HIGH": 2, "MEDIUM": 3, "NONE": 5, "NOT_APPLICABLE": 0])
        let (improvements, _) = try readFixture("wellarchitected", "list-lens-review-improvements-serverless.json")
        #expect(improvements.findings.first?.remediationURL?.hasPrefix("https://docs.aws.amazon.com/") == true)
    }

    @Test func onlyWebLinksAreKept() {
        let finding = Finding(
            tool: .prowler, id: "x", ruleId: "r", title: "t", pillar: nil, severity: .low, status: .failed,
            remediationURL: "javascript:alert(1)", source: "s")
        #expect(finding.remediationURL == nil)
    }
}

/// A listing cut short says so, for every paged command: its coverage of the week is then partial.
@Suite struct PagedListingTests {
    @Test func aNextTokenOrMarkerLeftInTheOutputIsAWarning() throws {
        let cut: [(String, String, String)] = [
            (
                "wellarchitected", "list-answers-wellarchitected-costOptimization-page1.json",
                "NextToken is set: later pages are missing, so questions may be missing"
            ),
            (
                "wellarchitected", "list-lens-review-improvements-wellarchitected-reliability-page1.json",
                "NextToken is set: later pages are missing, so questions may be missing"
            ),
            (
                "lambda-functions", "moto-list-functions-max-items-2-page-1.json",
                "NextToken is set: later pages are missing, so functions may be missing"
            ),
            (
                "lambda-functions", "shaped-list-functions-page-1-next-marker.json",
                "NextMarker is set: later pages are missing, so functions may be missing"
            ),
        ]
        for (folder, name, warning) in cut {
            let (_, row) = try readFixture(folder, name)
            #expect(row.warnings == [warning], "\(name)")
        }
        for (folder, name) in [
            ("wellarchitected", "get-lens-review-wellarchitected.json"),
            ("wellarchitected", "list-answers-serverless-operationalExcellence.json"),
        ] {
            let (_, row) = try readFixture(folder, name)
            #expect(row.warnings.isEmpty, "\(name): \(row.warnings)")
        }
    }

    /// get-lens-review pages its pillars with a NextToken inside LensReview.
    @Test func aLensReviewCutShortSaysSo() throws {
        var text = String(
            decoding: try TestSupport.fixtureData("wellarchitected/get-lens-review-wellarchitected.json"), as: UTF8.self
        )
        text = text.replacingOccurrences(
            of: "\"PillarReviewSummaries\": [",
            with: "\"NextToken\": \"eyJPZmZzZXQiOjN9\",\n        \"PillarReviewSummaries\": [")
        let (_, row) = try Sources.read(
            InputFile(display: "review.json", data: Data(text.utf8), sidecar: nil), forced: nil)
        #expect(row.warnings == ["LensReview.NextToken is set: later pages are missing, so pillars may be missing"])
    }
}
