import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomIngest

/// Error events of every runtime's format, their kinds, frames, normalising and redaction.
@Suite struct LambdaErrorsTests {
    static func summary(_ events: [ErrorEvents]) -> [String] {
        events.map {
            "\($0.kind.rawValue) | \($0.type) | \($0.message) | \($0.frame ?? "-") | \($0.version ?? "-") | \($0.count)"
        }
    }

    @Test func readsPythonErrorsJoinedWithTheirReportLines() throws {
        let (dataset, row) = try readFixture("lambda-logs", "shaped-filter-log-events-orders-api-errors.json")
        #expect(row.warnings.isEmpty)
        #expect(dataset.invocations.count == 8)
        #expect(
            Self.summary(dataset.errors) == [
                // Two unhandled KeyErrors with other keys: one record of 2.
                "application | KeyError | '<value>' | orders/handler.py in handle | $LATEST | 2",
                "application | logged error | Payment <n> failed for order <uuid>: card declined | - | $LATEST | 1",
                "permission | ClientError | An error occurred (AccessDeniedException) when calling the GetItem operation: User: <arn> is not authorized to perform: dynamodb:GetItem on resource: <arn> because no identity-based policy allows the dynamodb:GetItem action | orders/handler.py in handle | $LATEST | 1",
                "timeout | Task timed out | Task timed out after <n> seconds | - | $LATEST | 1",
                // signal: killed with Max Memory Used at Memory Size.
                "out of memory | Runtime.ExitError | Runtime exited with error: signal: killed | - | $LATEST | 1",
                // At init, on version 7; its REPORT's Status: error is the same error, not a second one.
                "configuration | Runtime.ImportModuleError | Unable to import module '<value>': No module named '<value>' | - | 7 | 1",
                "throttling | logged error | ThrottlingException calling SendMessage (token=<id>) key <id> | - | $LATEST | 1",
            ])
        let keyError = try #require(dataset.errors.first)
        #expect(keyError.sample.message == "'order_id'")
        #expect(keyError.sample.requestId == "3f9a2c1e-7b4d-4e2a-9c1f-0a1b2c3d4e5f")
        #expect(keyError.sample.time?.description == "2026-11-17T09:00:00Z")
        // One quarter hour with both, the first and last of them.
        #expect(
            keyError.quarters.map { "\($0.start) \($0.count) \($0.first) \($0.last)" } == [
                "2026-11-17T09:00:00Z 2 2026-11-17T09:00:00Z 2026-11-17T09:01:00Z"
            ])
        // Secrets never reach a sample.
        let throttled = try #require(dataset.errors.last)
        #expect(throttled.sample.message.contains("token=[redacted]"))
        #expect(!throttled.sample.message.contains("AKIA") && !throttled.sample.message.contains("ghp_"))
        #expect(dataset.logFiles.map(\.function) == ["orders-api"])
        #expect(dataset.logFiles.first?.first?.description == "2026-11-17T09:00:00Z")
    }

    @Test func readsNodeJavaPowertoolsAndTheJSONLogFormat() throws {
        let (dataset, row) = try readFixture("lambda-logs", "shaped-text-errors-node-java-and-json-format.log")
        #expect(
            row.warnings == [
                "1 error event without a time: read, but counted in no week; save aws logs filter-log-events output, which dates every event"
            ])
        #expect(
            Self.summary(dataset.errors) == [
                "application | TypeError | Cannot read properties of undefined (reading '<value>') | src/pricing.mjs in priceLine | $LATEST | 2",
                "configuration | Runtime.ImportModuleError | Error: Cannot find module '<value>' | - | - | 1",
                "throttling | ProvisionedThroughputExceededException | The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API. | - | - | 1",
                "application | ConnectionError | HTTPSConnectionPool(host='<value>', port=<n>): Max retries exceeded with url: /v1/receipts/<n> | receipts.py in publish | - | 1",
                "throttling | ClientError | An error occurred (ThrottlingException) when calling the PutEvents operation (reached max retries: <n>): Rate exceeded | receipts.py in publish | - | 1",
                "application | ValidationError | quantity must be positive, got <n> | sync.mjs in validate | - | 1",
                "application | com.acme.ledger.LedgerException | balance mismatch for account <n>: expected <n>, found <n> | com.acme.ledger.Reconciler.check | - | 1",
                "timeout | Task timed out | Task timed out after <n> seconds | - | - | 1",
                "out of memory | Runtime.ExitError | the invocation ended with status error (REPORT) | - | - | 1",
            ])
        // The Java trace has no time: read, in no quarter.
        #expect(dataset.errors.filter { $0.undated > 0 }.map(\.type) == ["com.acme.ledger.LedgerException"])
        #expect(dataset.errors.filter { $0.quarters.isEmpty }.count == 1)
    }

    @Test func normalisesTheVariableParts() {
        let cases: [(String, String)] = [
            ("Order 7f3e9a1c-2b4d-4e6f-8a0b-1c2d3e4f5a6b not found", "Order <uuid> not found"),
            ("arn:aws:dynamodb:eu-central-1:123456789012:table/orders, retry", "<arn>, retry"),
            ("at 2026-11-17T09:00:00.123Z and 2026-11-17 09:00:00+01:00", "at <time> and <time>"),
            ("took 1534ms, limit 3.5 s, delta -3", "took <n>ms, limit <n> s, delta <n>"),
            ("KeyError: 'order_id' and \"sku\"", "KeyError: '<value>' and \"<value>\""),
            ("trace 1-5759e988-bd862e3fe1be46a994272793 hash d41d8cd98f00b204", "trace <id> hash <id>"),
            ("don't   split\tS3 v2 words", "don't split S3 v2 words"),
        ]
        for (input, expected) in cases { #expect(LambdaErrors.normalise(input) == expected) }
        #expect(LambdaErrors.normalise(String(repeating: "a ", count: 400)).count == 300)
    }

    @Test func redactsSecretsLikeStrings() {
        #expect(LambdaErrors.redact("password=hunter2 user=bob") == "password=[redacted] user=bob")
        #expect(
            LambdaErrors.redact("{\"api_key\": \"abc123\", \"ok\": 1}") == "{\"api_key\": \"[redacted]\", \"ok\": 1}")
        #expect(
            LambdaErrors.redact("Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig")
                == "Authorization: [redacted] [redacted]")
        #expect(LambdaErrors.redact("key AKIAIOSFODNN7EXAMPLE used") == "key [redacted] used")
        #expect(LambdaErrors.redact("sig 0123456789abcdef0123456789abcdef01 end") == "sig [redacted] end")
        // Request ids are not secrets.
        #expect(
            LambdaErrors.redact("id 3f9a2c1e-7b4d-4e2a-9c1f-0a1b2c3d4e5f") == "id 3f9a2c1e-7b4d-4e2a-9c1f-0a1b2c3d4e5f")
    }

    @Test func kindsFromTypesAndMessages() {
        let cases: [(String, String, ErrorKind)] = [
            ("Task timed out", "Task timed out after 3.00 seconds", .timeout),
            ("Runtime.ExitError", "Runtime exited with error: exit status 1", .crash),
            ("Runtime.HandlerNotFound", "index.handler is undefined or not exported", .configuration),
            ("AccessDeniedException", "User is not authorized to perform: sqs:SendMessage", .permission),
            ("ProvisionedThroughputExceededException", "", .throttling),
            ("MemoryError", "", .outOfMemory),
            ("ValueError", "bad input", .application),
        ]
        for (type, message, kind) in cases {
            #expect(LambdaErrors.kind(type: type, message: message) == kind, "\(type)")
        }
    }

    @Test func aFileOfErrorsAloneIsLambdaLogs() throws {
        let text =
            "[ERROR] ValueError: bad\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 3, in handler\n"
        let (dataset, row) = try Sources.read(
            InputFile(display: "errors.log", data: Data(text.utf8), sidecar: nil), forced: nil)
        #expect(row.status == .read(.lambdaLogs))
        #expect(dataset.errors.map(\.frame) == ["app.py in handler"])
    }

    /// An event read twice (overlapping exports) counts once; another error of the same request
    /// counts, and so does the same message at another time.
    @Test func aRepeatedEventCountsOnceWithinItsRequest() throws {
        let id = "3f9a2c1e-7b4d-4e2a-9c1f-0a1b2c3d4e5f"
        let other = "0a1b2c3d-7b4d-4e2a-9c1f-3f9a2c1e4e5f"
        func line(_ time: String, _ request: String, _ text: String) -> String {
            "\(time)\t\(request)\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"\(text)\"}\n"
        }
        let text =
            line("2026-11-17T09:00:00.000Z", id, "x is 1") + line("2026-11-17T09:00:00.000Z", id, "x is 1")
            + line("2026-11-17T09:00:00.000Z", id, "y is 2") + line("2026-11-17T09:05:00.000Z", id, "x is 1")
            + line("2026-11-17T09:00:00.000Z", other, "x is 1")
        let (dataset, _) = try Sources.read(
            InputFile(display: "errors.log", data: Data(text.utf8), sidecar: nil), forced: nil)
        #expect(
            Self.summary(dataset.errors) == [
                "application | TypeError | x is <n> | - | - | 3", "application | TypeError | y is <n> | - | - | 1",
            ])
    }
}
