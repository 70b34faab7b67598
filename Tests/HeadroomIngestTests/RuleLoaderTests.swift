import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

@Suite struct RuleLoaderTests {
    @Test func theBuiltInPackCoversEveryPillarWithThirtyRulesOrMore() throws {
        let rules = try RuleLoader.builtIn()
        #expect(rules.count >= 30)
        #expect(Set(rules.map(\.pillar)) == Set(Pillar.allCases))
        #expect(Set(rules.map(\.id)).count == rules.count)
        #expect(rules.allSatisfy { !$0.rationale.isEmpty && !$0.remediation.isEmpty && !$0.references.isEmpty })
        // Every condition kind of the vocabulary is used at least once.
        var kinds: Set<String> = []
        for rule in rules {
            switch rule.condition {
            case .metric: kinds.insert("metric")
            case .ratio: kinds.insert("ratio")
            case .quota: kinds.insert("quota")
            case .sloBudget: kinds.insert("sloBudget")
            case .sloBurn: kinds.insert("sloBurn")
            case .costChange: kinds.insert("costChange")
            case .costSpike: kinds.insert("costSpike")
            case .inventory(let predicate): kinds.insert("\(predicate)".components(separatedBy: "(")[0])
            }
        }
        #expect(kinds.count == 7 + 14)
        let dlq = try #require(rules.first { $0.id == "sqs-dead-letter-messages" })
        #expect(dlq.source.hasPrefix("(built-in) checks.yml:"))
        #expect(dlq.condition == .metric(name: "ApproximateNumberOfMessagesVisible", statistic: nil, .above, 0))
    }

    /// The built-in table of runtimes is AWS's: every runtime it lists, with its dates.
    @Test func theDeprecatedRuntimeTableHasEveryRuntimeAndItsDates() throws {
        let rule = try #require(try RuleLoader.builtIn().first { $0.id == "lambda-deprecated-runtime" })
        guard case .inventory(.deprecatedRuntime(let table)) = rule.condition else {
            Issue.record("lambda-deprecated-runtime is \(rule.condition)")
            return
        }
        let day = { (text: String) in Timestamp.civilDays(text)! }
        #expect(
            table["nodejs12.x"]
                == RuntimeSupport(
                    deprecated: day("2023-03-31"), blockCreate: day("2023-03-31"), blockUpdate: day("2023-04-30")))
        #expect(table["python3.9"]?.deprecated == day("2025-12-15"))
        #expect(table["nodejs20.x"]?.deprecated == day("2026-04-30"))
        #expect(table["dotnet7"] == RuntimeSupport(deprecated: day("2024-05-14")))
        let families = ["nodejs", "python", "java", "dotnet", "ruby", "go", "provided"]
        for family in families { #expect(table.keys.contains { $0.hasPrefix(family) }, "\(family)") }
        #expect(table.count >= 48)
        // Where both blocks are known, creating is blocked no later than updating.
        for (runtime, support) in table {
            if let create = support.blockCreate, let update = support.blockUpdate {
                #expect(create <= update, "\(runtime)")
            }
        }
    }

    @Test func parsesOneRuleOrAList() throws {
        let one = try RuleLoader.parse(
            """
            id: orders-dlq
            title: Orders DLQ holds messages
            pillar: reliability
            severity: critical
            scope: queue
            match: ["orders-dlq"]
            when: {metric: {name: ApproximateNumberOfMessagesVisible, statistic: Maximum, above: 0}}
            rationale: Orders wait.
            """, file: "checks/orders.yml")
        #expect(one.count == 1)
        #expect(
            one[0].match == ["orders-dlq"] && one[0].severity == .critical && one[0].source == "checks/orders.yml:1")
        #expect(
            one[0].condition == .metric(name: "ApproximateNumberOfMessagesVisible", statistic: "Maximum", .above, 0))
        let two = try RuleLoader.parse(
            """
            - {id: a, title: A, pillar: security, severity: low, scope: function, when: {tracingOff: true}}
            - {id: b, title: B, pillar: costOptimization, severity: info, scope: account, when: {costChange: {below: -50}}}
            """, file: "checks/two.yml")
        #expect(two.map(\.condition) == [.inventory(.tracingOff), .costChange(.below, -50)])
    }

    func problem(_ yaml: String) -> HeadroomError? {
        do {
            _ = try RuleLoader.parse(yaml, file: "checks/x.yml")
            return nil
        } catch {
            return error
        }
    }

    @Test func anInvalidRuleNamesTheFileAndLine() {
        let base = "id: x\ntitle: X\npillar: reliability\nseverity: high\nscope: function\n"
        let pillar = problem(
            "id: x\ntitle: X\npillar: reliablity\nseverity: high\nscope: function\nwhen: {x86: true}\n")
        #expect(pillar?.message.hasPrefix("pillar 'reliablity' is not one of") == true)
        #expect(pillar?.message.hasSuffix("did you mean 'reliability'?") == true)
        #expect(pillar?.file == "checks/x.yml" && pillar?.position == .line(3, column: 9))
        #expect(
            problem(base + "when: {x86: true}\nowner: me\n")?.message.hasPrefix("unknown key 'owner' in a rule") == true
        )
        #expect(
            problem(base + "when: {x86: true, tracingOff: true}\n")?.message == "when must hold exactly one condition")
        #expect(
            problem(base + "when: {quotaUsed: {above: 80}}\n")?.message
                == "quotaUsed applies to scope account, not function")
        #expect(problem(base + "when: {metric: {name: Errors}}\n")?.message == "metric needs either above or below")
        #expect(problem(base + "when: {metric: {name: Errors, above: lots}}\n")?.message == "above must be a number")
        #expect(problem(base + "when: {tracingOf: true}\n")?.message.hasPrefix("unknown condition 'tracingOf'") == true)
        #expect(
            problem(base + "when: {deprecatedRuntime: {python3.8: soon}}\n")?.message
                == "the end of support of python3.8 must be a date such as 2026-06-30, found 'soon'")
        #expect(
            problem(base + "when: {deprecatedRuntime: {python3.8: {deprecated: 2024-10-14, blockUpdate: later}}}\n")?
                .message == "the update block of python3.8 must be a date such as 2026-06-30, found 'later'")
        #expect(
            problem(base + "when: {deprecatedRuntime: {python3.8: {blockCreate: 2024-10-14}}}\n")?.message
                == "python3.8 needs deprecated: its end-of-support date")
        #expect(
            problem(base + "when: {deprecatedRuntime: {python3.8: {deprecated: 2024-10-14, blocked: 2025-01-01}}}\n")?
                .message == "unknown key 'blocked' for python3.8; use deprecated, blockCreate and blockUpdate")
        #expect(
            problem(base + "when: {x86: true}\nreferences: [javascript:alert(1)]\n")?.message
                == "a reference must be an http(s) link, found 'javascript:alert(1)'")
        #expect(
            problem(
                "- " + "{id: a, title: A, pillar: security, severity: low, scope: function, when: {x86: true}}\n"
                    + "- {id: a, title: A, pillar: security, severity: low, scope: function, when: {x86: true}}\n")?
                .message == "the rule a appears twice")
        #expect(
            problem(base.replacingOccurrences(of: "id: x", with: "id: 'a b'") + "when: {x86: true}\n")?.message
                .hasPrefix("a rule's id must be") == true)
    }

    @Test func thresholdsCanBeReplaced() {
        #expect(
            Rule.Condition.ratio(of: "E", to: "I", .above, 1, minimumVolume: 10).with(threshold: 2)
                == .ratio(of: "E", to: "I", .above, 2, minimumVolume: 10))
        #expect(
            Rule.Condition.inventory(.timeoutAbove(seconds: 300)).with(threshold: 60)
                == .inventory(.timeoutAbove(seconds: 60)))
        #expect(Rule.Condition.inventory(.x86).with(threshold: 1) == nil)
        #expect(Rule.Condition.costSpike.threshold == nil && Rule.Condition.quota(.above, 80).threshold == 80)
    }
}
