import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

@Suite struct CatalogLoaderTests {
    @Test func theBuiltInCatalogCoversEveryNamespaceOfTheAnalysis() throws {
        let catalog = try CatalogLoader.builtIn()
        #expect(
            catalog.namespaces.map(\.namespace) == [
                "AWS/Lambda", "AWS/ApiGateway", "AWS/States", "AWS/DynamoDB", "AWS/SQS", "AWS/Kinesis", "AWS/Firehose",
                "AWS/Events", "AWS/SNS", "AWS/S3", "AWS/ECS",
            ])
        // Spot checks against the CloudWatch documentation's metric names.
        let lambda = try #require(catalog.namespace("AWS/Lambda"))
        #expect(lambda.volume?.name == "Invocations")
        #expect(
            Set(lambda.metrics.map(\.name)).isSuperset(of: [
                "ConcurrentExecutions", "Invocations", "Errors", "Throttles", "Duration", "IteratorAge",
                "AsyncEventsDropped", "DeadLetterErrors",
            ]))
        #expect(lambda.metrics.first { $0.name == "ConcurrentExecutions" }?.account == true)
        let api = try #require(catalog.namespace("AWS/ApiGateway"))
        #expect(api.metrics.first { $0.name == "5XXError" }?.percentOf == "Count")
        let dynamo = try #require(catalog.namespace("AWS/DynamoDB"))
        #expect(dynamo.aggregate == ["Operation"])
        #expect(
            dynamo.metrics.first { $0.name == "ConsumedReadCapacityUnits" }?.against == "ProvisionedReadCapacityUnits")
        let sqs = try #require(catalog.namespace("AWS/SQS"))
        #expect(sqs.metrics.first { $0.name == "ApproximateAgeOfOldestMessage" }?.warning == 900)
        #expect(catalog.namespace("AWS/ECS")?.resource == ["ClusterName", "ServiceName"])
        // Every namespace with error counts has a volume to rate them against, except tables.
        for namespace in catalog.namespaces where namespace.namespace != "AWS/DynamoDB" {
            for metric in namespace.metrics where metric.role == .errors {
                #expect(metric.percentOf != nil, "\(namespace.namespace) \(metric.name)")
            }
        }
    }

    func error(_ yaml: String) -> HeadroomError? {
        do {
            _ = try CatalogLoader.parse(yaml, file: "catalog.yml")
            return nil
        } catch {
            return error
        }
    }

    @Test func refusesAnInvalidCatalogWithItsPosition() throws {
        let metric = "{name: Count, stat: Sum, unit: Count, role: volume, bad: none, rollup: sum}"
        let cases = [
            ("namespaces: []\nextra: 1", "unknown key 'extra' in the catalog"),
            ("namespaces:\n  - {namespace: A, kind: a, metrics: []}", "namespace A needs resource"),
            ("namespaces:\n  - {namespace: A, kind: a, resource: [], metrics: []}", "namespace A needs at least one"),
            (
                "namespaces:\n  - namespace: A\n    kind: a\n    resource: [X]\n    metrics:\n      - {name: C, stat: Sum, unit: Count, role: volum, bad: none, rollup: sum}",
                "role is 'volum'; use one of volume"
            ),
            (
                "namespaces:\n  - namespace: A\n    kind: a\n    resource: [X]\n    metrics:\n      - {name: C, stat: Sum, unit: Furlongs, role: volume, bad: none, rollup: sum}",
                "metric C of namespace A has unit 'Furlongs'"
            ),
            (
                "namespaces:\n  - namespace: A\n    kind: a\n    resource: [X]\n    metrics:\n      - \(metric)\n      - \(metric)",
                "Count appears twice in namespace A"
            ),
            (
                "namespaces:\n  - namespace: A\n    kind: a\n    resource: [X]\n    metrics:\n      - {name: E, stat: Sum, unit: Count, role: errors, bad: higher, rollup: sum, percentOf: Nope}",
                "E in namespace A refers to Nope"
            ),
            (
                "namespaces:\n  - namespace: A\n    kind: a\n    resource: [X]\n    metrics:\n      - {name: Age, stat: Maximum, unit: Seconds, role: backlog, bad: higher, rollup: max, warning: 10, critical: 5}",
                "metric Age of namespace A: the critical threshold must be worse"
            ),
            ("namespaces: [", "invalid YAML"),
        ]
        for (yaml, message) in cases {
            let problem = error(yaml)
            #expect(problem?.message.hasPrefix(message) == true, "\(yaml) → \(String(describing: problem?.message))")
            #expect(problem?.file == "catalog.yml")
        }
        let positioned = try #require(
            error("namespaces:\n  - namespace: A\n    kind: a\n    resource: [X]\n    metrics:\n      - {nme: C}"))
        #expect(positioned.position == .line(6, column: 15))  // the value of the unknown key
        #expect(positioned.message == "unknown key 'nme' in a metric; did you mean 'name'?")
    }
}

@Suite struct PriceTableLoaderTests {
    @Test func theBuiltInTableIsExactAndTiered() throws {
        let prices = try PriceTableLoader.builtIn()
        #expect(prices.currency == "USD")
        #expect(prices.requestsPerMillion == Decimal(exactly: "0.20"))
        #expect(prices.duration["x86_64"]?.first?.pricePerGBSecond == Decimal(exactly: "0.0000166667"))
        #expect(prices.duration["arm64"]?.count == 3)
        #expect(prices.duration["arm64"]?.last?.upTo == nil)
        #expect(prices.freeGBSeconds == 400_000)
    }

    @Test func refusesAnInvalidTableWithItsPosition() throws {
        let valid = """
            version: "1"
            currency: USD
            requestsPerMillion: "0.20"
            duration:
              x86_64:
                - {upTo: "10", price: "0.1"}
                - {price: "0.05"}
            """
        #expect(try PriceTableLoader.parse(valid, file: "p.yml").duration["x86_64"]?.count == 2)
        let cases = [
            (valid.replacingOccurrences(of: "\"0.20\"", with: "cheap"), "requestsPerMillion must be a decimal amount"),
            (valid.replacingOccurrences(of: "x86_64:", with: "x86:"), "duration has architecture 'x86'"),
            (
                valid.replacingOccurrences(of: "- {price: \"0.05\"}", with: "- {upTo: \"5\", price: \"0.05\"}"),
                "every tier but the last needs upTo"
            ),
            (valid + "\nprice: 1", "unknown key 'price' in the price table"),
            (valid.replacingOccurrences(of: "USD", with: "dollars"), "currency must be an ISO 4217 code"),
        ]
        for (yaml, message) in cases {
            do {
                _ = try PriceTableLoader.parse(yaml, file: "p.yml")
                Issue.record("accepted: \(message)")
            } catch {
                #expect(error.message.hasPrefix(message), "\(error.message)")
                #expect(error.file == "p.yml" && error.position != nil)
            }
        }
    }
}
