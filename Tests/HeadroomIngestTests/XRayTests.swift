import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomIngest

/// X-Ray's three outputs as the AWS CLI prints them.
@Suite struct XRayTests {
    @Test func readsTheServiceGraph() throws {
        let (dataset, row) = try readFixture("xray-service-graph", "shaped-get-service-graph-checkout-week.json")
        #expect(row.status == .read(.xrayServiceGraph) && row.warnings.isEmpty)
        let graph = try #require(dataset.serviceGraphs.first)
        #expect(graph.start?.description == "2026-11-16T00:00:00Z" && graph.end?.description == "2026-11-23T00:00:00Z")
        #expect(
            graph.nodes.map(\.name) == [
                "client", "checkout-api/prod", "checkout-create-order", "checkout-create-order", "orders",
                "orders-queue",
                "payments.example.com",
            ])
        let client = graph.nodes[0]
        #expect(client.root && client.type == "client")
        #expect(
            client.stats
                == RequestStats(ok: 9484, errors: 420, throttles: 35, faults: 61, total: 10000, totalResponseTime: 1200)
        )
        #expect(graph.nodes[3].edges.map(\.referenceId) == [4, 5, 6])
        #expect(graph.nodes[4].responseTimes.first == HistogramBin(value: 0.004, count: 8000))
        #expect(!graph.partial)
    }

    @Test func theCLIExampleHasAnEdgeToAServiceItDoesNotList() throws {
        let (dataset, row) = try readFixture("xray-service-graph", "awscli-example-get-service-graph.json")
        #expect(row.warnings == ["1 edge to a service the graph does not list: left out"])
        #expect(dataset.serviceGraphs.first?.nodes.map(\.name) == ["Scorekeep"])
        #expect(dataset.serviceGraphs.first?.nodes.first?.edges.isEmpty == true)
        #expect(dataset.serviceGraphs.first?.start?.description == "2019-09-18T19:36:32Z")
    }

    @Test func readsTraceSummaries() throws {
        let (dataset, _) = try readFixture("xray-trace-summaries", "shaped-get-trace-summaries-checkout-week.json")
        #expect(dataset.traceSummaries.count == 40)
        #expect(
            dataset.traceSummaries.filter(\.fault).count == 3 && dataset.traceSummaries.filter(\.throttle).count == 1)
        let first = try #require(dataset.traceSummaries.first)
        #expect(first.entry == "checkout-api/prod" && first.method == "POST" && first.status == 201)
        #expect(first.services == ["checkout-api/prod", "checkout-create-order", "orders"])
        // moto leaves out StartTime: read, counted in no week.
        let (moto, row) = try readFixture("xray-trace-summaries", "moto-get-trace-summaries-checkout-fault.json")
        #expect(moto.traceSummaries.first?.start == nil && moto.traceSummaries.first?.fault == true)
        #expect(row.warnings == ["1 trace summary without a StartTime: counted in no week"])
    }

    @Test func nestsSegmentsUnderTheSubsegmentsThatCalledThem() throws {
        let (dataset, _) = try readFixture("xray-traces", "moto-batch-get-traces-checkout-fault.json")
        let trace = try #require(dataset.traces.first)
        #expect(trace.spans.map(\.name) == ["checkout-api/prod"])
        let call = try #require(trace.spans.first?.children.first)
        #expect(call.name == "Lambda" && call.namespace == "aws" && call.resource == "checkout-create-order")
        let service = try #require(call.children.first)
        #expect(service.origin == "AWS::Lambda")
        let function = try #require(service.children.first)
        #expect(function.origin == "AWS::Lambda::Function")
        #expect(function.children.map(\.name) == ["Initialization", "Invocation", "Overhead"])
        #expect(function.cause == "ConditionalCheckFailedException: The conditional request failed")
        // Annotations as text; metadata (a card number) never read.
        #expect(function.annotations == ["order_kind": "express", "items": "3"])
        let stored = String(decoding: try JSONEncoder().encode(dataset), as: UTF8.self)
        #expect(!stored.contains("4111"))
        let dynamo = try #require(function.children[1].children.first)
        #expect(dynamo.error && dynamo.status == 400 && dynamo.operation == "PutItem" && dynamo.resource == "orders")
    }

    @Test func theCLIExampleTraceHangsTheInferredSegmentUnderItsCall() throws {
        let (dataset, row) = try readFixture("xray-traces", "awscli-example-batch-get-traces.json")
        #expect(row.warnings.isEmpty)
        let trace = try #require(dataset.traces.first)
        #expect(trace.id == "1-5d82881a-0a9126e92a73e971eed891b9" && trace.duration == 0.232)
        #expect(trace.spans.map(\.name) == ["Scorekeep"])
        let inferred = try #require(trace.spans.first?.children.first?.children.first)
        #expect(inferred.inferred && inferred.origin == "AWS::DynamoDB::Table" && inferred.resource == "scorekeep-user")
    }

    /// A request's method and URL path (the query, which may hold a token, is not kept), and a
    /// region from `aws.region` or a `resource_arn`.
    @Test func readsTheRequestRouteAndTheRegion() throws {
        let (example, _) = try readFixture("xray-traces", "awscli-example-batch-get-traces.json")
        let root = try #require(example.traces.first?.spans.first)
        #expect(root.method == "POST" && root.path == "/api/user" && root.region == nil)
        let api =
            #"{"id":"a1","name":"shop/prod","start_time":1794787757.0,"end_time":1794787758.0,"origin":"AWS::ApiGateway::Stage","http":{"request":{"method":"GET","url":"https://x.execute-api.eu-west-1.amazonaws.com/prod/orders/4711?token=s3cret#top"}},"resource_arn":"arn:aws:apigateway:eu-west-1::/restapis/x/stages/prod"}"#
        let call =
            #"{"id":"b2","name":"fn","start_time":1794787757.1,"end_time":1794787757.9,"origin":"AWS::Lambda::Function","subsegments":[{"id":"c3","name":"DynamoDB","start_time":1794787757.2,"end_time":1794787757.3,"namespace":"aws","aws":{"region":"eu-west-2","table_name":"t"}}]}"#
        // Each document as a JSON string inside the JSON, as batch-get-traces prints it.
        let documents = try [api, call].map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let file =
            "{\"Traces\":[{\"Id\":\"1-x\",\"Duration\":1,\"Segments\":["
            + documents.map { "{\"Id\":\"s\",\"Document\":\($0)}" }.joined(separator: ",") + "]}]}"
        let (dataset, row) = try Sources.read(
            InputFile(display: "xray-traces.json", data: Data(file.utf8), sidecar: nil), forced: nil)
        #expect(row.status == .read(.xrayTraces))
        let spans = try #require(dataset.traces.first?.spans)
        #expect(spans[0].method == "GET" && spans[0].path == "/prod/orders/4711" && spans[0].region == "eu-west-1")
        #expect(spans[1].region == nil && spans[1].children.first?.region == "eu-west-2")
        #expect(!String(decoding: try JSONEncoder().encode(dataset.traces), as: UTF8.self).contains("s3cret"))
        #expect(XRay.withoutQuery("https://h/p/a?token=s3cret#x") == "https://h/p/a")
    }
}
