import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

@Suite struct ConfigurationLoaderTests {
    func load(_ yaml: String) throws(HeadroomError) -> Configuration {
        try ConfigurationLoader.parse(Data(yaml.utf8), file: "headroom.yml")
    }

    func error(_ yaml: String) -> HeadroomError? {
        do {
            _ = try load(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheAthenaTableAndRefusesNamesThatCouldEndAQuote() throws {
        let athena = try load(
            """
            cost:
              athena: {database: focus_db, table: focus-export, export: cur2, workgroup: finops.v2,
                       outputLocation: "s3://org-athena-results/headroom/"}
            """
        ).cost.athena
        #expect(
            athena
                == .init(
                    database: "focus_db", table: "focus-export", export: .cur2, workgroup: "finops.v2",
                    outputLocation: "s3://org-athena-results/headroom/"))
        #expect(try load("cost: {athena: {database: d, table: t, export: focus}}").cost.athena?.workgroup == "primary")
        #expect(try load("title: t\n").cost.athena == nil)
        let refused: [(String, String)] = [
            (
                #"{database: d, table: 'x"; DROP TABLE y; --', export: focus}"#,
                "cost.athena.table 'x\"; DROP TABLE y; --' is not a Glue name"
            ),
            ("{database: \"d'\", table: t, export: focus}", "cost.athena.database 'd'' is not a Glue name"),
            (
                "{database: d, table: t, export: focus, workgroup: 'a b'}",
                "cost.athena.workgroup 'a b' is not an Athena workgroup name"
            ),
            ("{database: d, table: t, export: focus, outputLocation: 'https://x/'}", "is not an S3 location"),
            (
                "{database: d, table: t, export: parquet}",
                "cost.athena.export must be focus (FOCUS 1.x) or cur2 (CUR 2.0), not 'parquet'"
            ),
            ("{database: d, export: focus}", "cost.athena needs database and table"),
            ("{database: d, table: t}", "cost.athena needs export"),
            ("{database: d, table: t, export: focus, catalog: c}", "unknown key 'catalog' in cost.athena"),
        ]
        for (athena, message) in refused {
            let problem = error("cost:\n  athena: \(athena)\n")
            #expect(problem?.message.contains(message) == true, "\(athena): \(problem?.message ?? "accepted")")
            #expect(problem?.file == "headroom.yml" && problem?.position != nil)
        }
    }

    @Test func readsErrorRules() throws {
        let configuration = try load(
            """
            errors:
              owner: platform
              fingerprints:
                - type: ConnectionError
                  group: Upstream unreachable
                - message: "*timed out*"
                  function: "orders-*"
                  group: Upstream slow
              mutes:
                - group: f3e2b9058f2a
                  reason: waiting for the IAM change
                  owner: ana
                  expires: 2026-12-31
            gates:
              - when: {newErrorGroup: {kinds: [timeout, out of memory]}}
              - when: {newErrorGroup: {}}
            """)
        #expect(configuration.errors.owner == "platform")
        #expect(
            configuration.errors.fingerprints == [
                Configuration.Fingerprint(
                    type: "ConnectionError", message: nil, function: nil, group: "Upstream unreachable",
                    origin: "headroom.yml:4"),
                Configuration.Fingerprint(
                    type: nil, message: "*timed out*", function: "orders-*", group: "Upstream slow",
                    origin: "headroom.yml:6"),
            ])
        #expect(configuration.errors.mutes.map(\.resource) == ["f3e2b9058f2a"])
        #expect(
            configuration.gates.map(\.condition) == [.newErrorGroup([.timeout, .outOfMemory]), .newErrorGroup([])])
        #expect(
            configuration.gates.map(\.name) == [
                "a new error group of kind timeout, out of memory", "a new error group",
            ])
    }

    @Test func refusesBadErrorRules() {
        let cases: [(String, String)] = [
            ("errors:\n  fingerprints:\n    - type: X\n", "a fingerprint rule needs group"),
            ("errors:\n  fingerprints:\n    - group: G\n", "a fingerprint rule needs type, message or function"),
            ("errors:\n  mutes:\n    - group: x\n      reason: r\n      owner: o\n", "an error mute needs expires"),
            ("errors:\n  colour: red\n", "colour"),
            ("gates:\n  - when: {newErrorGroup: {kinds: [fatal]}}\n", "an error kind is one of application, timeout"),
        ]
        for (yaml, text) in cases {
            let failure = error(yaml)
            #expect(failure?.description.contains(text) == true, "\(yaml): \(String(describing: failure))")
            #expect(failure?.position != nil, "\(yaml)")
        }
    }

    @Test func readsEveryKey() throws {
        let configuration = try load(
            """
            title: "Acme <ops>"
            baseURL: https://ops.example.com/review
            timeZone: Europe/Berlin
            currency: EUR
            week: 2026-W47
            sources:
              - snapshots
              - path: extra/lambda.json
                format: cloudwatch-get-metric-data
            services:
              - name: checkout
                description: Orders
                match: ["checkout-*", "payment-*"]
              - name: misc
                match: "misc-*"
            notes: team-notes
            templates: theme
            onInvalidInput: warn
            """)
        #expect(
            configuration
                == Configuration(
                    title: "Acme <ops>", baseURL: "https://ops.example.com/review/", timeZone: "Europe/Berlin",
                    currency: "EUR",
                    week: ISOWeek(year: 2026, week: 47),
                    sources: [
                        .init(path: "snapshots"), .init(path: "extra/lambda.json", format: .cloudWatchGetMetricData),
                    ],
                    services: [
                        .init(name: "checkout", description: "Orders", match: ["checkout-*", "payment-*"]),
                        .init(name: "misc", match: ["misc-*"]),
                    ],
                    notes: "team-notes", templates: "theme", onInvalidInput: .warn))
        #expect(try load("") == Configuration())
        #expect(try load("week: latest").week == nil)
        #expect(try load("cost:\n  monthlyBudget: \"1500.10\"").cost.monthlyBudget == Decimal(string: "1500.10"))
        #expect(try load("health:\n  errorRateFloor: 0.5").health.errorRateFloor == 0.5)
        #expect(try load("quotas:\n  warning: 70").quotas.warning == 70)
    }

    @Test func servicesMatchByTags() throws {
        let configuration = try load("services:\n  - name: checkout\n    tags: {team: checkout, env: prod}\n")
        #expect(configuration.services.first?.tags == ["team": "checkout", "env": "prod"])
        #expect(configuration.services.first?.match == [])
    }

    @Test func readsCriticalPaths() throws {
        let configuration = try load(
            """
            paths:
              - name: checkout
                description: API to table
                steps: [checkout-api, "queue:orders", orders]
            """)
        #expect(
            configuration.paths == [
                .init(name: "checkout", description: "API to table", steps: ["checkout-api", "queue:orders", "orders"])
            ])
    }

    @Test func unknownKeysGetASuggestionAndAPosition() throws {
        let problem = try #require(error("title: x\ntimezone: UTC\n"))
        #expect(problem.position == .line(2, column: 1))
        #expect(problem.message == "unknown key 'timezone' in headroom.yml; did you mean 'timeZone'?")
        #expect(problem.exitCode == 2)
        let nested = try #require(error("services:\n  - name: a\n    mach: [a-*]\n"))
        #expect(nested.message == "unknown key 'mach' in a service; did you mean 'match'?")
        #expect(nested.position == .line(3, column: 5))
    }

    @Test func validatesValues() {
        let cases = [
            ("timeZone: Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
            ("currency: euro", "currency must be an ISO 4217 code such as USD or EUR"),
            (
                "baseURL: javascript:alert(1)",
                "baseURL must be an http(s) URL such as https://ops.example.com/review/, without spaces, quotes, '<', '>', '?' or '#' (percent-encode them)"
            ),
            (
                #"baseURL: "https://ops.example.com/a\"><img src=x onerror=alert(1)>/""#,
                "baseURL must be an http(s) URL such as https://ops.example.com/review/, without spaces, quotes, '<', '>', '?' or '#' (percent-encode them)"
            ),
            (
                "baseURL: https://ops.example.com/a b/",
                "baseURL must be an http(s) URL such as https://ops.example.com/review/, without spaces, quotes, '<', '>', '?' or '#' (percent-encode them)"
            ),
            (
                #"baseURL: "https://ops.example.com/\0/""#,
                "baseURL must be an http(s) URL such as https://ops.example.com/review/, without spaces, quotes, '<', '>', '?' or '#' (percent-encode them)"
            ),
            (
                "baseURL: https://ops.example.com/?q=1",
                "baseURL must be an http(s) URL such as https://ops.example.com/review/, without spaces, quotes, '<', '>', '?' or '#' (percent-encode them)"
            ),
            (
                "baseURL: https:///review/",
                "baseURL must be an http(s) URL such as https://ops.example.com/review/, without spaces, quotes, '<', '>', '?' or '#' (percent-encode them)"
            ),
            ("week: 2026-W60", "week must be an ISO week such as 2026-W47 (years 1970 to 2199), or latest"),
            ("sources:\n  - path: a\n    format: cloudwatch", "unknown format 'cloudwatch'"),
            (
                "services:\n  - name: a\n    match: [a]\n  - name: a\n    match: [b]",
                "the service 'a' is declared twice"
            ),
            ("services:\n  - name: a", "the service 'a' needs match: patterns such as checkout-*, or tags:"),
            ("title: [a, b]", "title must be text"),
            ("title: a\ntitle: b", "the key 'title' appears twice in one mapping"),
            ("- a\n- b", "headroom.yml must be a mapping of keys to values"),
            ("onInvalidInput: ignore", "onInvalidInput must be fail or warn"),
            ("cost:\n  monthlyBudget: lots", "monthlyBudget must be a decimal number of at least 0, such as 1500.00"),
            ("quotas:\n  warning: 90\n  critical: 80", "quotas.warning must not be above quotas.critical"),
            ("health:\n  lowVolume: 1.5", "lowVolume must be a whole number"),
            ("paths:\n  - name: p", "the path 'p' needs steps: resource names such as checkout-api"),
            ("paths:\n  - steps: [a]", "a path needs a name"),
            ("paths:\n  - {name: p, steps: [a]}\n  - {name: p, steps: [b]}", "the path 'p' is declared twice"),
            ("checks:\n  rules:\n    x: {severity: urgent}", "severity must be critical, high, medium, low or info"),
            (
                "checks:\n  rules:\n    x: {threshold: lots}",
                "threshold must be a number up to 10^15 in size, found 'lots'"
            ),
            ("checks:\n  mutes:\n    - {rule: x, resource: y, reason: z, owner: o}", "a mute needs expires"),
            (
                "checks:\n  mutes:\n    - {rule: x, resource: y, reason: z, owner: o, expires: soon}",
                "a mute's expires must be a date such as 2026-12-31, found 'soon'"
            ),
            ("checks:\n  mute: []", "unknown key 'mute'"),
            ("gates:\n  - level: warn", "a gate needs when:"),
            ("gates:\n  - when: {budgetExhausted: true, quotaAbove: 80}", "a gate's when holds one of"),
            ("gates:\n  - when: {quotaAbove: lots}", "quotaAbove must be a number (a percentage)"),
            ("gates:\n  - {when: {budgetExhausted: true}, level: maybe}", "level must be fail or warn"),
            ("checks:\n  acknowledgements:\n    - {rule: x, resource: y, by: z}", "an acknowledgement needs note"),
            (
                "archive:\n  functionPageWeeks: -1",
                "archive.functionPageWeeks must be a whole number of weeks, at least 0"
            ),
            ("archive:\n  functionPageWeeks: 2.5", "archive.functionPageWeeks must be a whole number of weeks"),
            ("archive:\n  functionPages: 2", "unknown key 'functionPages'"),
        ]
        for (yaml, message) in cases {
            #expect(
                error(yaml)?.message.hasPrefix(message) == true, "\(yaml) → \(String(describing: error(yaml)?.message))"
            )
        }
    }

    @Test func readsTheArchiveSetting() throws {
        #expect(try load("title: a").archive.functionPageWeeks == 6)
        #expect(try load("archive:\n  functionPageWeeks: 0").archive.functionPageWeeks == 0)
        #expect(try load("archive: {functionPageWeeks: 13}").archive.functionPageWeeks == 13)
        let error = error("title: a\narchive:\n  functionPageWeeks: many")
        #expect(error?.file == "headroom.yml" && error?.position == .line(3, column: 22))
    }

    @Test func readsChecks() throws {
        let configuration = try load(
            """
            checks:
              folder: rules
              disable: [lambda-text-logs]
              rules:
                lambda-error-rate: {severity: critical, threshold: 2.5}
              mutes:
                - rule: lambda-x86
                  resource: reports-*
                  reason: Native dependency has no arm64 build yet
                  owner: Aylin Demir
                  expires: 2026-12-31
              acknowledgements:
                - {rule: lambda-p99-near-timeout, resource: payment-*, by: Jonas, note: async in W49}
              aggregate: [lambda-tracing-off]
              owner: Platform team
            services:
              - {name: checkout, match: [checkout-*], owner: Jonas Richter}
            """)
        let checks = configuration.checks
        #expect(checks.folder == "rules" && checks.disable == ["lambda-text-logs"])
        #expect(checks.aggregate == ["lambda-tracing-off"] && checks.owner == "Platform team")
        #expect(
            checks.acknowledgements == [
                .init(rule: "lambda-p99-near-timeout", resource: "payment-*", by: "Jonas", note: "async in W49")
            ])
        #expect(configuration.services.first?.owner == "Jonas Richter")
        #expect(checks.overrides == ["lambda-error-rate": .init(severity: .critical, threshold: 2.5)])
        #expect(
            checks.mutes == [
                .init(
                    rule: "lambda-x86", resource: "reports-*", reason: "Native dependency has no arm64 build yet",
                    owner: "Aylin Demir", expires: Instant.days(year: 2026, month: 12, day: 31))
            ])
    }

    @Test func readsGates() throws {
        let gates = try load(
            """
            gates:
              - when: {budgetExhausted: true}
              - name: No new critical findings
                when: {newFinding: {severity: critical}}
              - when: {costGrowthAbove: 20}
              - {when: {quotaAbove: 90}, level: warn}
            """
        ).gates
        #expect(
            gates == [
                .init(name: "an error budget is exhausted", condition: .budgetExhausted),
                .init(name: "No new critical findings", condition: .newFinding(.critical)),
                .init(name: "cost grew more than 20% week over week", condition: .costGrowthAbove(20)),
                .init(name: "a quota is above 90%", condition: .quotaAbove(90), warnOnly: true),
            ])
    }

    @Test func reportsYAMLSyntaxErrorsWithAPosition() throws {
        let problem = try #require(error("title: a\nsources: [a, b\n"))
        #expect(problem.message.hasPrefix("invalid YAML"))
        guard case .line(let line, _) = problem.position else { Issue.record("no line"); return }
        #expect(line >= 2)
    }

    /// The classic "billion laughs": nine levels of nine aliases. Refused without expanding it.
    @Test func refusesABillionLaughs() throws {
        var yaml = "title: x\nservices:\n  - name: lol\n    match: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            yaml +=
                "  - name: lol\(level)\n    match: &l\(level) ["
                + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let problem = try #require(error(yaml))
        #expect(problem.message == "a match pattern must be text")
        // Yams resolves an alias to the anchored node, so the position is where *l0 was defined.
        #expect(problem.position == .line(4, column: 12))
    }

    /// Aliases that multiply a valid document past the node budget.
    @Test func refusesAliasAmplification() throws {
        let yaml = "sources:\n  - &p snapshots\n" + String(repeating: "  - *p\n", count: 120_000)
        let problem = try #require(error(yaml))
        #expect(problem.message == "the configuration expands to more than 100000 values")
    }

    @Test func refusesAnOversizedFile() throws {
        let big = "title: " + String(repeating: "x", count: ConfigurationLoader.maximumSize) + "\n"
        let problem = try #require(error(big))
        #expect(problem.message.hasPrefix("the file is"))
    }
}
