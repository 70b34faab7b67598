import Foundation
import HeadroomMarkdown
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomAnalysis
@testable import HeadroomSite

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct SiteBuilderTests {
    static let zone = TimeZone(identifier: "UTC")!
    static let start = ISOWeek(year: 2026, week: 47).interval(in: zone).lowerBound.seconds

    static func series(_ function: String, _ metric: String, _ stat: String, _ values: [Double]) -> MetricSeries {
        MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: "AWS/Lambda", metricName: metric,
                    dimensions: [MetricDimension(name: "FunctionName", value: function)],
                    stat: stat, period: 3600)),
            label: metric,
            points: values.enumerated().map {
                Point(time: Instant(seconds: start + Int64($0.offset) * 3600), value: $0.element)
            },
            source: "snapshots/\(function).json")
    }

    static func report(title: String = "Ops", service: String = "checkout", note: String? = nil) -> Report {
        let dataset = Dataset(
            series: [
                series("orders-api", "Invocations", "Sum", [1000, 2000]),
                series("orders-api", "Errors", "Sum", [5, 7]),
                series("orders-api", "Duration", "p99", [120, 250]),
                series("Orders-API", "Invocations", "Sum", [1]),
            ],
            sources: [
                SourceFile(path: "snapshots/orders-api.json", status: .read(.cloudWatchGetMetricData), seriesCount: 3)
            ],
            notes: note.map {
                [Note(week: ISOWeek(year: 2026, week: 47), path: "notes/2026-W47.md", authors: ["<Ann>"], body: $0)]
            } ?? [])
        return finished(
            dataset, configuration: Configuration(title: title, services: [.init(name: service, match: ["orders-*"])]))
    }

    /// 130 functions in one service: the costs page lists the 25 costliest and links to the
    /// service, whose two pages each list the estimates of their own functions.
    @Test func costTablesStayBoundedAtAnySize() throws {
        let names = (0..<130).map { "orders-" + String(1000 + $0).dropFirst() }
        let dataset = Dataset(
            series: names.map { Self.series($0, "Invocations", "Sum", [10, 20]) },
            sources: [SourceFile(path: "snapshots/a.json", status: .read(.cloudWatchGetMetricData), seriesCount: 130)])
        var report = Self.finished(
            dataset,
            configuration: Configuration(title: "Ops", services: [.init(name: "checkout", match: ["orders-*"])]))
        report.lambdaEstimate = LambdaEstimate(
            priceVersion: "test", priceSource: "test", currency: "USD", requests: 130, gbSeconds: [:],
            ephemeralGBSeconds: 0, requestCost: 0, durationCost: [:], ephemeralCost: 0, provisionedGBSeconds: [:],
            provisionedCost: [:], provisionedDurationGBSeconds: [:], provisionedDurationCost: [:], notes: [],
            freeTierCredit: 0, total: 8515, missing: [], billed: nil, difference: nil, differencePercent: nil,
            billEstimated: false,
            functions: names.enumerated().map {
                .init(name: $1, architecture: "arm64", requests: 1, gbSeconds: 1, cost: Decimal(130 - $0))
            })
        let site = try build(report)
        func rows(_ page: String) -> [String] {
            guard let table = page.components(separatedBy: "Lambda cost by function").dropFirst().first else {
                return []
            }
            return table.components(separatedBy: "</table>")[0].components(
                separatedBy: "<tr><th scope=\"row\"><a href=\""
            )
            .dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        let costs = try #require(site["costs.html"])
        #expect(rows(costs) == names.prefix(25).map { "functions/\($0).html" })
        #expect(costs.contains("The 25 costliest of 130 functions."))
        #expect(costs.contains(#"<li><a href="services/checkout.html">checkout</a></li>"#))
        let first = try #require(site["weeks/2026-W47/services/checkout.html"])
        let second = try #require(site["weeks/2026-W47/services/checkout.page2.html"])
        #expect(rows(first) == names.prefix(100).map { "../functions/\($0).html" })
        #expect(rows(second) == names.dropFirst(100).map { "../functions/\($0).html" })
        #expect(second.contains("The table holds this page&#39;s functions (Functions 101–130 of 130)."))
    }

    /// 130 distinct error groups on one function (messages nothing normalises alike): 50 get a
    /// page (the Errors page's first 50 of the state), the function's page lists 25 and counts
    /// the rest, and a group without a page is linked to its section of the Errors page.
    @Test func errorGroupPagesStayBoundedAtAnySize() throws {
        let week = ISOWeek(year: 2026, week: 47)
        let zone = TimeZone(identifier: "UTC")!
        let start = week.interval(in: zone).lowerBound.seconds + 86_400
        let words = ["alpha", "bravo", "delta", "gamma", "kappa", "omega", "sigma", "theta", "zulu", "echo", "lima"]
        let events = (0..<130).map { n in
            let at = Instant(seconds: start + Int64(n) * 60)
            return ErrorEvents(
                function: "orders-api", version: "$LATEST", kind: .application, type: "ValueError",
                message: "bad \(words[n % 11]) \(words[(n / 11) % 11]) \(words[n / 121]) record", frame: nil,
                quarters: [ErrorEvents.Quarter(start: at, count: 1 + n, first: at, last: at)],
                sample: ErrorSample(requestId: nil, time: at, message: "x", stack: []), source: "logs.json")
        }
        var dataset = Dataset(
            series: [Self.series("orders-api", "Invocations", "Sum", [1000, 2000])],
            sources: [SourceFile(path: "snapshots/a.json", status: .read(.cloudWatchGetMetricData), seriesCount: 1)])
        dataset.errors = events
        dataset.logFiles = [
            LogFile(
                source: "logs.json", function: "orders-api", first: week.interval(in: zone).lowerBound,
                last: Instant(seconds: week.interval(in: zone).upperBound.seconds - 1))
        ]
        var configuration = Configuration(title: "Ops", services: [.init(name: "checkout", match: ["orders-*"])])
        configuration.timeZone = "UTC"
        let report = Self.finished(dataset, configuration: configuration)
        #expect(report.errors.count == 130)
        let site = try build(report)
        let pages = site.keys.filter { $0.hasPrefix("weeks/2026-W47/errors/") }
        #expect(pages.count == 50)
        let errors = try #require(site["errors.html"])
        #expect(
            errors.contains("The first 50 of 130 groups by impact, each with its page; report.json lists every group."))
        let function = try #require(site["weeks/2026-W47/functions/orders-api.html"])
        #expect(function.components(separatedBy: "<span class=\"error-kind\">").count - 1 == 25)
        #expect(function.contains("And 105 more groups on this function"))
        // Every link to a group's page has the page; the others go to the Errors page's section.
        let linked = Set(
            site.values.flatMap { html in
                html.components(separatedBy: "errors/").dropFirst().compactMap { part -> String? in
                    let id = part.prefix { $0 != "." && $0 != "\"" }
                    return id.count == 12 ? String(id) : nil
                }
            })
        #expect(!linked.isEmpty)
        for id in linked { #expect(site["weeks/2026-W47/errors/\(id).html"] != nil, "\(id) has no page") }
        let overview = try #require(site["index.html"])
        #expect(overview.contains("href=\"errors.html#new\""))
    }

    /// A week's report as a build finishes it (`Analysis.weeks` sets its headline and changes).
    static func finished(_ dataset: Dataset, configuration: Configuration) -> Report {
        Analysis.weeks([Analysis.report(dataset, configuration: configuration)], configuration: configuration).last!
    }

    func build(_ report: Report) throws -> [String: String] {
        let files = try SiteBuilder(
            theme: try Theme.load(overrides: nil, display: "templates"), generator: "Headroom test"
        )
        .build(report)
        return Dictionary(uniqueKeysWithValues: files.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
    }

    @Test func aRuleWithManyFindingsListsThemAllOnItsOwnPages() throws {
        var report = Self.report()
        let count = SiteBuilder.ruleRows + SiteBuilder.rulePageRows + 3
        report.findings = (0..<count).map { index in
            var finding = CheckFinding(
                ruleId: "dlq", title: "DLQ <holds> messages", pillar: .reliability, severity: .high,
                resource: String(format: "queue-%04d", index), kind: "queue", service: nil, evidence: "7 messages",
                origin: "t", rationale: "", remediation: "", references: [], source: .metrics)
            finding.state = .new
            return finding
        }
        let site = try build(report)
        let paths = SiteBuilder.pagePaths(report)
        #expect(paths.filter { $0.hasPrefix("checks/") } == ["checks/new-dlq.html", "checks/new-dlq.page2.html"])
        for path in paths { #expect(site[path] != nil, "\(path) is planned but not written") }
        // The Checks page lists the first ruleRows by name and links to the rule's page.
        let checks = try #require(site["checks.html"])
        #expect(
            checks.components(separatedBy: #"<span class="path-kind">queue</span>"#).count - 1 == SiteBuilder.ruleRows)
        #expect(checks.contains("queue-0024") && !checks.contains("queue-0025"))
        #expect(
            checks.contains(
                #"<p class="list-cut">The first 25 of 428 resources, by name. <a href="checks/new-dlq.html">Every one on the rule&#39;s page</a></p>"#
            ))
        // The rule's pages hold every resource once, with links between the pages.
        let first = try #require(site["weeks/2026-W47/checks/new-dlq.html"])
        let second = try #require(site["weeks/2026-W47/checks/new-dlq.page2.html"])
        let listed = [first, second].map {
            $0.components(separatedBy: #"<span class="path-kind">queue</span>"#).count - 1
        }
        #expect(listed == [SiteBuilder.rulePageRows, count - SiteBuilder.rulePageRows])
        #expect(first.contains("Resources 1–400 of 428") && second.contains("Resources 401–428 of 428"))
        #expect(
            first.contains(#"<a href="new-dlq.page2.html">2</a>"#) && second.contains(#"<a href="new-dlq.html">1</a>"#))
        #expect(first.contains(#"<a href="../checks.html#new">Checks</a>"#))
        #expect(first.contains("DLQ &lt;holds&gt; messages"))
    }

    /// Services whose names slug alike get their own pages and their own sections on the overview.
    @Test func servicesWhoseNamesSlugAlikeKeepTheirOwnAnchors() throws {
        let dataset = Dataset(
            series: [
                Self.series("orders-api", "Invocations", "Sum", [1000, 2000]),
                Self.series("payments-api", "Invocations", "Sum", [10, 20]),
            ],
            sources: [
                SourceFile(path: "snapshots/a.json", status: .read(.cloudWatchGetMetricData), seriesCount: 2)
            ])
        let report = Self.finished(
            dataset,
            configuration: Configuration(
                title: "Ops",
                services: [.init(name: "a.b", match: ["orders-*"]), .init(name: "a-b", match: ["payments-*"])]
            ))
        let index = try #require(try build(report)["index.html"])
        #expect(index.contains(#"id="service-a-b""#) && index.contains(#"id="service-a-b-2""#))
        #expect(index.contains(#"href="services/a-b.html""#) && index.contains(#"href="services/a-b-2.html""#))
    }

    /// Rule ids that slug alike get their own anchors and rule pages, on every page that links them.
    @Test func rulesWhoseIdsSlugAlikeKeepTheirOwnPages() throws {
        var report = Self.report()
        report.findings = ["a.b", "a-b"].flatMap { rule in
            (0..<(SiteBuilder.ruleRows + 1)).map { index in
                var finding = CheckFinding(
                    ruleId: rule, title: "Rule \(rule)", pillar: .reliability, severity: .high,
                    resource: "queue-\(rule)-\(index)", kind: "queue", service: nil, evidence: "7 messages",
                    origin: "t", rationale: "", remediation: "", references: [], source: .metrics)
                finding.state = .new
                return finding
            }
        }
        let site = try build(report)
        #expect(
            SiteBuilder.pagePaths(report).filter { $0.hasPrefix("checks/") } == [
                "checks/new-a-b.html", "checks/new-a-b-2.html",
            ])
        let byRule = [
            "a-b": try #require(site["weeks/2026-W47/checks/new-a-b.html"]),
            "a.b": try #require(site["weeks/2026-W47/checks/new-a-b-2.html"]),
        ]
        for (rule, page) in byRule {
            #expect(page.contains("queue-\(rule)-25") && !page.contains("queue-\(rule == "a-b" ? "a.b" : "a-b")-"))
        }
        let checks = try #require(site["checks.html"])
        #expect(checks.contains(#"id="new-a-b""#) && checks.contains(#"id="new-a-b-2""#))
        let index = try #require(site["search-index.js"])
        #expect(index.contains(#""u":"checks.html#new-a-b-2""#) && index.contains(#""u":"checks.html#new-a-b""#))
    }

    @Test func writesTheOverviewAndOnePagePerFunction() throws {
        let site = try build(Self.report())
        let week = [
            "checks.html", "costs.html", "errors.html", "functions/Orders-API.html", "functions/orders-api-2.html",
            "index.html", "limits.html", "traces.html",
            "notes.html", "services/Unassigned.html", "services/checkout.html", "slos.html", "sources.html",
        ]
        // The week at the root, its frozen copy under weeks/, and the list of weeks.
        #expect(
            site.keys.sorted()
                == ([
                    "404.html", "assets/charts.js", "assets/search.js", "assets/sort.js", "assets/style.css",
                    "assets/theme.js", "report.json", "review-2026-W47.html", "search-index.js", "slack.json",
                    "summary.md",
                ]
                + week + week.map { "weeks/2026-W47/" + $0 } + ["weeks/index.html"]).sorted())
        let index = try #require(site["index.html"])
        // The navigation bar: every section, relative to the page, the current one marked.
        #expect(
            index.contains(
                #"<nav class="site-sections" aria-label="Site"><a href="index.html" aria-current="page">Overview</a> <a href="slos.html">SLOs</a> <a href="costs.html">Costs</a> <a href="limits.html">Limits</a> <a href="errors.html">Errors</a> <a href="traces.html">Traces</a> <a href="checks.html">Checks</a> <a href="notes.html">Notes</a> <a href="sources.html">Sources</a> </nav>"#
            ))
        // The week is written once: a function's page at the root sends the browser to the week's copy.
        let latest = try #require(site["functions/Orders-API.html"])
        #expect(
            latest.contains(
                #"<meta http-equiv="refresh" content="0; url=../weeks/2026-W47/functions/Orders-API.html">"#))
        #expect(
            latest.contains(#"<a href="../weeks/2026-W47/functions/Orders-API.html">Orders-API, week 2026-W47</a>"#))
        #expect(latest.utf8.count < 1_000)
        // The archived copy navigates within its week and takes its assets from the root.
        let archived = try #require(site["weeks/2026-W47/functions/Orders-API.html"])
        #expect(archived.contains(#"<a href="../limits.html">Limits</a>"#))
        #expect(archived.contains(#"<link rel="stylesheet" href="../../../assets/style.css">"#))
        #expect(archived.contains(#"<a href="../../../weeks/index.html">All weeks</a>"#))
        #expect(try #require(site["costs.html"]).contains("No daily cost data for week 2026-W47"))
        #expect(try #require(site["limits.html"]).contains("No quota with known usage in week 2026-W47"))
        #expect(try #require(site["slos.html"]).contains("No OpenSLO objectives among the sources"))
        #expect(
            index.contains(
                #"<a href="functions/orders-api-2.html">orders-api</a></th><td><span class="status status-warning" title="Errors at 0.40% of requests is above the 0.10% floor">Warning</span></td><td class="num">3,000</td><td class="num">12</td><td class="num">0.40%</td><td class="num" title="Upper bound: the highest hourly value; no whole-week statistic in the data">≤ 250 ms</td>"#
            ))
        #expect(index.contains(#"<section class="service" id="service-checkout""#))
        // Why a row is not OK is text under the table, not only the badge's tooltip; so is how
        // each tile is computed.
        #expect(
            index.contains(
                #"<li><a href="functions/orders-api-2.html">orders-api</a>: Errors at 0.40% of requests is above the 0.10% floor</li>"#
            ))
        #expect(index.contains("<dt>Errors</dt><dd>Errors ÷ Invocations × 100 over every function;"))
        // The week at a glance: every function's invocations and errors (no week before to compare).
        #expect(
            index.contains(
                #"<span class="tile-label">Invocations</span> <span class="tile-value">3,001</span> <span class="tile-note">of 2 functions</span>"#
            ))
        #expect(
            index.contains(
                #"<span class="tile-label">Errors</span> <span class="tile-value">0.40%</span> <span class="tile-note">12 errors</span>"#
            ))
        #expect(index.contains("Week <strong>2026-W47</strong> · Mon 16 Nov – Sun 22 Nov 2026 (UTC)"))
        let page = try #require(site["weeks/2026-W47/functions/orders-api-2.html"])
        #expect(page.contains(#"<link rel="stylesheet" href="../../../assets/style.css">"#))
        #expect(page.contains("<h1>orders-api</h1>"))
        #expect(page.contains(#"<th scope="row">Error rate</th><td class="num">0.40%</td>"#))
    }

    @Test func pagesCarryChartsWithTheirDataAndIncidentMarkers() throws {
        var report = Self.report()
        report.notes = [
            Note(
                week: ISOWeek(year: 2026, week: 47), path: "notes/2026-W47.md", authors: [], body: "",
                incidents: [Incident(title: "PSP <outage>", start: Instant(seconds: Self.start + 1800), end: nil)])
        ]
        let site = try build(report)
        let index = try #require(site["index.html"])
        // A sparkline in the function's row, as inline SVG with an accessible name.
        #expect(
            index.contains(#"<td class="spark"><svg xmlns="http://www.w3.org/2000/svg" class="chart chart-sparkline""#))
        #expect(
            index.contains("<title id=\"spark-orders-api-title\">orders-api: invocations per hour this week</title>"))
        let page = try #require(site["weeks/2026-W47/functions/orders-api-2.html"])
        #expect(page.contains(#"<h2 id="charts-title">This week in charts</h2>"#))
        #expect(page.contains(#"<figure class="chart-figure" id="invocations-figure">"#))
        #expect(page.contains(#"class="chart chart-bands""#))
        #expect(page.contains(#"class="chart chart-heatmap""#))
        // The data table behind the invocations chart: one row per hour, in the report's zone.
        #expect(page.contains(#"<tr><th scope="row">Mon 16 Nov 00:00</th><td>1,000</td>"#))
        #expect(page.contains(#"<tr><th scope="row">Mon 16 Nov 01:00</th><td>2,000</td>"#))
        // The note's incident is a marker on the time charts, escaped.
        #expect(page.contains("<text x=\"") && page.contains(">PSP &lt;outage&gt;</text>"))
        #expect(!page.contains("PSP <outage>"))
    }

    @Test func eachSLOHasItsOwnPageLinkedFromTheOverview() throws {
        func source(_ metric: String) -> MetricSource {
            MetricSource(
                type: "CloudWatch",
                spec: .map([
                    DataEntry(key: "namespace", value: .text("AWS/Lambda")),
                    DataEntry(key: "metricName", value: .text(metric)), DataEntry(key: "stat", value: .text("Sum")),
                    DataEntry(
                        key: "dimensions",
                        value: .list([
                            .map([
                                DataEntry(key: "name", value: .text("FunctionName")),
                                DataEntry(key: "value", value: .text("orders-api")),
                            ])
                        ])),
                ]))
        }
        let slo = ServiceLevelObjective(
            name: "orders <ok>", displayName: "Orders succeed",
            indicator: .inline(
                ServiceLevelIndicator(
                    name: "i",
                    kind: .ratio(good: nil, bad: source("Errors"), total: source("Invocations"), counter: false),
                    source: "slos/orders.yaml")),
            window: SLOWindow(count: 7, unit: .day, isRolling: true), budgeting: .occurrences,
            objectives: [SLOObjective(target: 0.99)], source: "slos/orders.yaml")
        let dataset = Dataset(
            series: [
                Self.series("orders-api", "Invocations", "Sum", [1000, 2000]),
                Self.series("orders-api", "Errors", "Sum", [5, 7]),
            ], slos: [slo])
        let site = try build(
            Self.finished(
                dataset,
                configuration: Configuration(title: "Ops", services: [.init(name: "checkout", match: ["orders-*"])])))
        let index = try #require(site["index.html"])
        #expect(index.contains(#"<a href="slos/orders--ok-.html">Orders succeed</a>"#))
        #expect(try #require(site["slos.html"]).contains(#"<a href="slos/orders--ok-.html">Orders succeed</a>"#))
        let page = try #require(site["weeks/2026-W47/slos/orders--ok-.html"])
        #expect(page.contains(#"<link rel="stylesheet" href="../../../assets/style.css">"#))
        #expect(page.contains("<h1>Orders succeed</h1>"))
        // 12 bad of 3,000 against 1% of 3,000 = 30 allowed: 60% left.
        #expect(page.contains(#"<dt>Budget left</dt><dd><span class="status status-ok">60.00%</span>"#))
        #expect(page.contains(#"class="chart chart-burn-down""#))
        #expect(page.contains("From slos/orders.yaml"))
    }

    @Test func theSearchIndexListsEveryPageAsEscapedJavaScript() throws {
        let site = try build(Self.report(service: "</script><b>\u{2028}\"x\\"))
        let index = try #require(site["search-index.js"])
        #expect(index.hasPrefix("window.HEADROOM_SEARCH = [\n"))
        #expect(
            index.contains(
                #"{"t":"\u003c/script\u003e\u003cb\u003e\u2028\"x\\","k":"service","d":"1 function","u":"services/--script--b---x-.html"}"#
            ))
        #expect(
            index.contains(#"{"t":"Orders-API","k":"function","d":"Unassigned · OK","u":"functions/Orders-API.html"}"#))
        #expect(!index.contains("</script>") && !index.contains("\u{2028}"))
        // Every page loads it and the script; the gallery, which stands alone, does not.
        #expect(
            try #require(site["weeks/2026-W47/functions/Orders-API.html"]).contains(
                #"<script src="../../../search-index.js" defer></script>"#))
        let gallery = try SiteBuilder(theme: try Theme.load(overrides: nil, display: "templates"), generator: "t")
            .gallery()
        #expect(!String(decoding: gallery[0].contents, as: UTF8.self).contains("search-index.js"))
    }

    @Test func withABaseURLTheSiteHasASitemapAFeedAndA404PageWithAbsoluteLinks() throws {
        var report = Self.report(title: "Ops & <review>")
        report.baseURL = "https://ops.example.com/review/"
        let site = try build(report)
        let sitemap = try #require(site["sitemap.xml"])
        let feed = try #require(site["feed.xml"])
        for xml in [sitemap, feed] {
            let parser = XMLParser(data: Data(xml.utf8))
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        }
        // Every page but the 404 page, at the end of its week (Monday 00:00 in the report's UTC).
        let pages = site.keys.filter {
            $0.hasSuffix(".html") && $0 != "404.html" && ($0.hasPrefix("weeks/") || !$0.contains("/"))
        }
        #expect(sitemap.components(separatedBy: "<url>").count - 1 == pages.count)
        #expect(
            sitemap.contains(
                "<url><loc>https://ops.example.com/review/weeks/2026-W47/index.html</loc>"
                    + "<lastmod>2026-11-23T00:00:00Z</lastmod></url>"))
        #expect(feed.contains("<title>Ops &amp; &lt;review&gt;</title>"))
        #expect(feed.contains("<id>https://ops.example.com/review/weeks/2026-W47/index.html</id>"))
        #expect(feed.contains("<updated>2026-11-23T00:00:00Z</updated>"))
        #expect(feed.components(separatedBy: "<entry>").count - 1 == 1)
        let notFound = try #require(site["404.html"])
        #expect(notFound.contains(#"<link rel="stylesheet" href="/review/assets/style.css">"#))
        #expect(notFound.contains(#"<a href="/review/index.html">The overview</a>"#))
        // Without a baseURL there is nothing absolute to say: no sitemap, no feed, links from the host's root.
        let plain = try build(Self.report())
        #expect(plain["sitemap.xml"] == nil && plain["feed.xml"] == nil)
        #expect(try #require(plain["404.html"]).contains(#"<link rel="stylesheet" href="/assets/style.css">"#))
    }

    @Test func theGalleryShowsEveryKindOfChart() throws {
        let files = try SiteBuilder(
            theme: try Theme.load(overrides: nil, display: "templates"), generator: "Headroom test"
        ).gallery()
        #expect(
            files.map(\.path) == [
                "index.html", "assets/charts.js", "assets/search.js", "assets/sort.js", "assets/style.css",
                "assets/theme.js",
            ])
        let page = String(decoding: files[0].contents, as: UTF8.self)
        for kind in [
            "line", "area", "stacked-area", "stacked-bars", "bars", "diverging", "sparkline", "burn-down", "burn-rate",
            "bullets", "quota-trend", "bands", "heatmap", "histogram",
        ] {
            #expect(page.contains("class=\"chart chart-\(kind)\""), "\(kind)")
        }
        #expect(page.components(separatedBy: "<details class=\"chart-data\">").count - 1 == 14)
    }

    @Test func escapesEveryInputString() throws {
        let hostile = #"<script>alert("x")</script>' onmouseover='x"#
        let site = try build(
            Self.report(
                title: hostile, service: hostile,
                note: "Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**"))
        for (path, html) in site where path.hasSuffix(".html") {
            // The only scripts are the site's own files.
            #expect(
                html.components(separatedBy: "<script").count - 1
                    == html.components(separatedBy: #"search-index.js" defer></script>"#).count - 1
                    + html.components(separatedBy: #"assets/search.js" defer></script>"#).count - 1
                    + html.components(separatedBy: #"assets/sort.js" defer></script>"#).count - 1
                    + html.components(separatedBy: #"assets/charts.js" defer></script>"#).count - 1
                    + html.components(separatedBy: #"assets/theme.js"></script>"#).count - 1, "\(path)")
            #expect(!html.contains("<script>"), "\(path)")
            #expect(!html.contains("' onmouseover='"), "\(path)")
            #expect(!html.contains("javascript:"), "\(path)")
        }
        let index = try #require(site["index.html"])
        #expect(index.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x"))
        #expect(index.contains("<strong>bold</strong>"))
        #expect(index.contains("By &lt;Ann&gt;"))
    }

    /// NUL and other control characters in a title, a name or a note reach no output file.
    @Test func controlCharactersReachNoFile() throws {
        let site = try build(
            Self.report(
                title: "Ops\u{0}review\u{1}\u{7F}", service: "orders\u{0}api",
                note: "Body \u{0} with NUL ![pixel](https://tracker.example/p.gif)"))
        // report.json and the search index escape them as JSON does (`\u0000`); no file holds one.
        for (path, text) in site {
            let allowed = path.hasSuffix(".json") || path.hasSuffix(".js") ? 0x7F : 0x7E
            #expect(
                !text.unicodeScalars.contains(where: { $0.value < 0x09 || $0.value > allowed && $0.value <= 0x7F }),
                "\(path)")
            #expect(!text.contains("<img src=\"https://tracker.example"), "\(path)")
        }
        #expect(try #require(site["index.html"]).contains("· Opsreview</title>"))
    }

    @Test func aHostileNoteFailsWithItsFileName() throws {
        do {
            _ = try build(Self.report(note: String(repeating: "> ", count: 1000)))
            Issue.record("accepted")
        } catch let error as HeadroomError {
            #expect(error.file == "notes/2026-W47.md")
            #expect(error.position == .line(1, column: nil))
        }
    }

    @Test func anEmptyReportStillBuilds() throws {
        let empty = Self.finished(Dataset(), configuration: Configuration())
        let site = try build(empty)
        #expect(site["index.html"]?.contains("No data yet") == true)
    }

    @Test func aProjectOverridesSingleThemeFiles() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appending(path: "pages"), withIntermediateDirectories: true)
        try Data("<p>Custom {{siteTitle}}</p>".utf8).write(to: folder.appending(path: "pages/overview.mustache"))
        let theme = try Theme.load(overrides: folder, display: "templates")
        let files = try SiteBuilder(theme: theme, generator: "t").build(Self.report())
        let index = String(decoding: try #require(files.first { $0.path == "index.html" }).contents, as: UTF8.self)
        #expect(index.contains("<p>Custom Ops</p>"))
        #expect(index.contains("<!DOCTYPE html>"))  // the layout is still the built-in one

        try Data("<p>{{siteTitel}}</p>".utf8).write(to: folder.appending(path: "pages/overview.mustache"))
        do {
            _ = try SiteBuilder(theme: try Theme.load(overrides: folder, display: "templates"), generator: "t")
            Issue.record("a missing key was accepted")
        } catch {
            #expect(error.file == "templates/pages/overview.mustache")
            #expect(error.message == "the view model has no key 'siteTitel'; did you mean 'siteTitle'?")
        }

        try FileManager.default.removeItem(at: folder.appending(path: "pages/overview.mustache"))
        try Data("x".utf8).write(to: folder.appending(path: "pages/overveiw.mustache"))
        do {
            _ = try Theme.load(overrides: folder, display: "templates")
            Issue.record("an override of nothing was accepted")
        } catch {
            #expect(error.file == "templates/pages/overveiw.mustache")
            #expect(error.remedy?.hasPrefix("did you mean templates/pages/overview.mustache?") == true)
        }
    }
}

@Suite struct SingleFileReviewTests {
    @Test func theStylesheetHashIsSHA256InBase64() {
        // printf 'body { color: red; }' | openssl dgst -sha256 -binary | base64
        #expect(CSP.hashSource("body { color: red; }") == "'sha256-XeYlw2NVzOfB1UCIJqCyGr+0n7bA4fFslFpvKu84IAw='")
    }

    @Test func linksLeadToTheSiteOrBecomeText() {
        let html =
            ##"<a href="functions/f.html">f</a> <a href="index.html#service-x">x</a> <a href="#changes">c</a> <a href="https://docs.aws.amazon.com/">d</a> href=&quot;z&quot;"##
        #expect(
            SiteBuilder.absolute(links: html, base: "https://ops.example.com/weeks/2026-W47/")
                == ##"<a href="https://ops.example.com/weeks/2026-W47/functions/f.html">f</a> <a href="#service-x">x</a> <a href="#changes">c</a> <a href="https://docs.aws.amazon.com/">d</a> href=&quot;z&quot;"##
        )
        #expect(
            SiteBuilder.absolute(links: html, base: nil)
                == ##"<a>f</a> <a href="#service-x">x</a> <a href="#changes">c</a> <a href="https://docs.aws.amazon.com/">d</a> href=&quot;z&quot;"##
        )
    }

    @Test func theReviewIsOneFileWithAHashedStylesheetAndNoScript() throws {
        var report = SiteBuilderTests.report()
        report.baseURL = "https://ops.example.com/"
        let files = try SiteBuilder(theme: try Theme.load(overrides: nil, display: "templates"), generator: "t")
            .build(report)
        let file = try #require(files.first { $0.path == "review-2026-W47.html" })
        let html = String(decoding: file.contents, as: UTF8.self)
        let css = try #require(
            html.components(separatedBy: "<style>").dropFirst().first?.components(separatedBy: "</style>").first)
        #expect(css.contains("--bg: light-dark("))
        #expect(html.contains("style-src \(CSP.hashSource(css));"))
        #expect(!html.contains("<script") && !html.contains(" src=") && !html.contains(" style="))
        #expect(!html.contains("<link "))
        // The overview lists the functions that are not OK: orders-api (Orders-API is OK).
        #expect(html.contains(#"<a href="https://ops.example.com/weeks/2026-W47/functions/orders-api-2.html">"#))
        #expect(!html.contains(#"functions/Orders-API.html"#))
        #expect(html.contains("orders-api</a>: Errors at 0.40% of requests is above the 0.10% floor</li>"))
        // Every link leads into the file or to the site.
        for href in html.components(separatedBy: #" href=""#).dropFirst() {
            #expect(href.hasPrefix("#") || href.hasPrefix("https://"), "\(href.prefix(60))")
        }
    }
}

@Suite struct TemplateContextTests {
    struct Row: Codable {
        var name: String
        var note: String?
    }
    struct View: Codable {
        var title: String
        var count: Int
        var ratio: Double
        var shown: Bool
        var rows: [Row]
        var labels: [String]
        var html: TrustedHTML
        var missing: Row?
    }

    @Test func aViewBecomesDictionariesArraysAndPlainValues() throws {
        let view = View(
            title: "t", count: 3, ratio: 0.5, shown: false,
            rows: [Row(name: "a", note: nil), Row(name: "b", note: "n")],
            labels: ["x", "y"], html: TrustedHTML(trusted: "<b>x</b>"), missing: nil)
        let tree = try #require(TemplateContext.make(view) as? [String: Any])
        #expect(tree.keys.sorted() == ["count", "html", "labels", "ratio", "rows", "shown", "title"])
        #expect(tree["title"] as? String == "t" && tree["count"] as? Int == 3 && tree["shown"] as? Bool == false)
        #expect(tree["ratio"] as? Double == 0.5 && tree["labels"] as? [String] == ["x", "y"])
        #expect((tree["html"] as? TrustedHTML)?.html == "<b>x</b>")
        let rows = try #require(tree["rows"] as? [[String: Any]])
        // A nil optional is absent, as Mustache treats a missing key: false in a section.
        #expect(rows.map { $0.keys.sorted() } == [["name"], ["name", "note"]])
    }
}

@Suite struct JUnitTests {
    @Test func gatesAndFindingsAsJUnitSuites() throws {
        var open = CheckFinding(
            ruleId: "dlq", title: "DLQ <holds> messages", pillar: .reliability, severity: .high, resource: "orders-dlq",
            kind: "queue", service: nil, evidence: "7 messages & more", origin: "t", rationale: "", remediation: "",
            references: [], source: .metrics)
        open.state = .new
        var muted = open
        muted.resource = "b"
        muted.state = .muted
        muted.mute = .init(rule: "dlq", resource: "b", reason: "known", owner: "Ann", expires: 0)
        var resolved = open
        resolved.resource = "c"
        resolved.state = .resolved
        var unchecked = open
        unchecked.resource = "d"
        unchecked.state = .unchecked
        unchecked.lastSeen = ISOWeek(year: 2026, week: 46)
        let xml = JUnit.xml(
            week: ISOWeek(year: 2026, week: 47),
            gates: [
                GateResult(gate: .init(name: "budget", condition: .budgetExhausted), failures: ["API: −4%"]),
                GateResult(
                    gate: .init(name: "quota", condition: .quotaAbove(90), warnOnly: true), failures: ["Stacks"]),
                GateResult(gate: .init(name: "cost", condition: .costGrowthAbove(20)), failures: []),
            ],
            findings: [open, muted, resolved, unchecked])
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse())
        #expect(xml.contains(#"<testsuites name="headroom 2026-W47" tests="6" failures="2">"#))
        #expect(xml.contains(#"<testsuite name="gates" tests="3" failures="1" errors="0" skipped="0">"#))
        #expect(xml.contains(#"<testsuite name="findings" tests="3" failures="1" errors="0" skipped="2">"#))
        #expect(xml.contains(#"<failure message="1 failure" type="gate">API: −4%</failure>"#))
        #expect(xml.contains("<system-out>warning: Stacks</system-out>"))
        #expect(
            xml.contains(
                #"<testcase classname="dlq" name="queue:orders-dlq"><failure message="high: DLQ &lt;holds&gt; messages" type="new">7 messages &amp; more</failure></testcase>"#
            ))
        #expect(xml.contains(#"<skipped message="muted: known"/>"#))
        // Not checked is neither a failure nor a pass.
        #expect(
            xml.contains(
                #"<testcase classname="dlq" name="queue:d"><skipped message="not checked: Metrics sent nothing this week; last seen in 2026-W46"/></testcase>"#
            ))
        #expect(!xml.contains("queue:c"))
    }
}

@Suite struct ReportJSONTests {
    @Test func theWeekForMachinesWithGapsLeftOut() throws {
        let site = try SiteBuilder(theme: try Theme.load(overrides: nil, display: "templates"), generator: "Headroom t")
            .build(SiteBuilderTests.report())
        let file = try #require(site.first { $0.path == "report.json" })
        let json = try #require(try JSONSerialization.jsonObject(with: file.contents) as? [String: Any])
        #expect(json["schemaVersion"] as? String == "1.4" && json["week"] as? String == "2026-W47")
        #expect(json["generator"] as? String == "Headroom t")
        let functions = try #require(json["functions"] as? [[String: Any]])
        #expect(functions.map { $0["name"] as? String } == ["orders-api", "Orders-API"])
        // A figure that is not known is absent, not 0: these functions have no timeout in the data.
        #expect(functions.allSatisfy { $0["timeoutSeconds"] == nil })
        #expect(json["cost"] == nil)
        // The same report gives the same bytes.
        let again = try SiteBuilder(
            theme: try Theme.load(overrides: nil, display: "templates"), generator: "Headroom t"
        )
        .build(SiteBuilderTests.report())
        #expect(again.first { $0.path == "report.json" }?.contents == file.contents)
    }

    /// The digest in Markdown: hostile names stay text, links lead into the site, a project's
    /// `summary.mustache` replaces the built-in one and is escaped for Markdown all the same.
    @Test func theDigestIsMarkdownWithEveryNameEscaped() throws {
        let hostile = "*x* [y](javascript:z) <b>|"
        var report = SiteBuilderTests.report(title: hostile, service: hostile)
        report.baseURL = "https://ops.example.com/review"
        let site = try SiteBuilderTests().build(report)
        let summary = try #require(site["summary.md"])
        #expect(summary.hasPrefix("# \\*x\\* \\[y\\](javascript:z) \\<b>\\| · 2026-W47\n"))
        #expect(summary.contains("[Open the review](https://ops.example.com/review/index.html)"))
        #expect(summary.contains("| [Invocations](https://ops.example.com/review/index.html#service-"))
        #expect(summary.contains("## Error budgets at risk\n\nNone"))
        let html = try Markdown.html(summary)
        #expect(!html.contains("<em>") && !html.contains("<b>") && !html.contains("href=\"javascript"))
        #expect(html.contains("<h1>*x* [y](javascript:z) &lt;b&gt;| · 2026-W47</h1>"))

        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("Week {{weekLabel}} of {{siteTitle}}{{#tiles}}\n- {{label}}{{/tiles}}\n".utf8).write(
            to: folder.appending(path: "summary.mustache"))
        let files = try SiteBuilder(theme: try Theme.load(overrides: folder, display: "templates"), generator: "t")
            .build(report)
        let custom = String(decoding: try #require(files.first { $0.path == "summary.md" }).contents, as: UTF8.self)
        #expect(custom.hasPrefix("Week 2026-W47 of \\*x\\* \\[y\\](javascript:z) \\<b>\\|\n- Invocations\n"))
    }

    /// A week with many new findings: the digest lists ten, critical first, and says how many more
    /// the Checks page has (at 1,000 functions it listed 3,997 in 0.5 MB).
    @Test func theDigestListsTenFindingsAndCountsTheRest() throws {
        var report = SiteBuilderTests.report()
        report.baseURL = "https://ops.example.com/review/"
        report.findings = (0..<23).map { index in
            var finding = CheckFinding(
                ruleId: "dlq", title: "DLQ holds messages", pillar: .reliability,
                severity: index % 4 == 3 ? .critical : .high, resource: String(format: "queue-%02d", index),
                kind: "queue", service: nil, evidence: "7 messages", origin: "t", rationale: "", remediation: "",
                references: [], source: .metrics)
            finding.state = .new
            return finding
        }
        let summary = try #require(try SiteBuilderTests().build(report)["summary.md"])
        let lines = summary.split(separator: "\n").filter {
            $0.hasPrefix("- **critical**, new") || $0.hasPrefix("- **high**, new")
        }
        // Five critical (3, 7, 11, 15, 19), then the first five high ones.
        #expect(lines.count == 10)
        #expect(lines.prefix(5).allSatisfy { $0.hasPrefix("- **critical**") } && lines[4].contains("queue-19"))
        #expect(lines[5].contains("queue-00") && lines[9].contains("queue-05"))
        #expect(summary.contains("- and 13 more [on the Checks page](https://ops.example.com/review/checks.html)\n"))
        // Ten or fewer: no such line.
        report.findings = Array(report.findings.prefix(10))
        #expect(
            !(try #require(try SiteBuilderTests().build(report)["summary.md"])).contains("more [on the Checks page]"))
    }

    /// The Slack message: Block Kit JSON whose text cannot link or mention, with links into the site.
    @Test func theSlackMessageIsBlockKitWithEscapedText() throws {
        var report = SiteBuilderTests.report(title: "<!channel> & co", service: "<https://evil.example|x>")
        report.baseURL = "https://ops.example.com/review/"
        let file = try #require(
            try SiteBuilder(theme: try Theme.load(overrides: nil, display: "templates"), generator: "Headroom t")
                .build(report).first { $0.path == "slack.json" })
        let json = try #require(try JSONSerialization.jsonObject(with: file.contents) as? [String: Any])
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.count <= 50)
        #expect(blocks.first?["type"] as? String == "header")
        #expect((blocks.first?["text"] as? [String: Any])?["text"] as? String == "<!channel> & co · 2026-W47")
        let fallback = try #require(json["text"] as? String)
        #expect(fallback.hasPrefix("&lt;!channel&gt; &amp; co · 2026-W47: A "), "\(fallback)")
        #expect(fallback.contains(". Invocations "), "\(fallback)")
        let verdict = try #require((blocks.dropFirst().first?["text"] as? [String: Any])?["text"] as? String)
        #expect(["*A critical week*", "*A week with warnings*", "*All checks OK*"].contains { verdict.hasPrefix($0) })
        let text = String(decoding: file.contents, as: UTF8.self)
        // mrkdwn: &, < and > are escaped everywhere but in the header (plain text).
        let mrkdwn = blocks.dropFirst().flatMap { block -> [String] in
            let texts =
                [block["text"] as Any] + ((block["fields"] as? [Any]) ?? []) + ((block["elements"] as? [Any]) ?? [])
            return texts.compactMap { ($0 as? [String: Any])?["text"] as? String }
        }
        #expect(!mrkdwn.isEmpty)
        for line in mrkdwn {
            let outsideLinks = line.replacingOccurrences(
                of: "<https://ops\\.example\\.com/review/[^|>]*\\|[^>]*>", with: "", options: .regularExpression)
            #expect(!outsideLinks.contains("<") && !outsideLinks.contains(">"), "\(line)")
        }
        #expect(text.contains("<https://ops.example.com/review/index.html#service-"))
        #expect(text.contains("|Open the review>"))
    }
}

@Suite struct SlugTests {
    @Test func slugsAreSafeAndUniqueOnCaseInsensitiveFileSystems() {
        let slugs = Slugs(["orders-api", "Orders-API", "a/b", "a?b", "é"])
        #expect(slugs["Orders-API"] == "Orders-API")
        #expect(slugs["orders-api"] == "orders-api-2")
        #expect(slugs["a/b"] == "a-b")
        #expect(slugs["a?b"] == "a-b-2")
        #expect(slugs["é"] == "-")
    }

    /// Names up to DynamoDB's 255 characters give bounded file names that stay apart.
    @Test func longNamesGiveBoundedDistinctSlugs() {
        let long = (0..<4).map { String(repeating: "t", count: 251) + "-\($0)" } + [String(repeating: "é", count: 255)]
        let slugs = Slugs(long)
        let made = long.map { slugs[$0] }
        #expect(Set(made.map { $0.lowercased() }).count == long.count)
        for slug in made { #expect(slug.count == Slugs.maximumLength, "\(slug)") }
        #expect(made[0].hasPrefix(String(repeating: "t", count: 83) + "-"))
        #expect(Slugs(["orders-api"])["orders-api"] == "orders-api")
    }
}

@Suite struct FindingHistoryTests {
    let w = { (week: Int) in ISOWeek(year: 2026, week: week) }

    @Test func weeksAreNamedOnlyWhenAFindingSkippedSome() {
        #expect(SiteBuilder.openHistory(since: w(41), weeks: (41...47).map(w)) == "since 2026-W41, 7 weeks")
        #expect(SiteBuilder.openHistory(since: w(47), weeks: [w(47)]) == "since 2026-W47, 1 week")
        #expect(
            SiteBuilder.openHistory(since: w(41), weeks: [w(41), w(45), w(47)])
                == "since 2026-W41, 3 of 7 weeks: W41 W45 W47")
        // Across a year's end (2026 has 53 ISO weeks): W52, W53, W01 are three weeks in a row.
        let turn = [ISOWeek(year: 2026, week: 52), ISOWeek(year: 2026, week: 53), ISOWeek(year: 2027, week: 1)]
        #expect(SiteBuilder.openHistory(since: turn[0], weeks: turn) == "since 2026-W52, 3 weeks")
        #expect(SiteBuilder.openHistory(since: nil, weeks: [w(44), w(44), w(45)]) == "2 weeks")
    }
}
