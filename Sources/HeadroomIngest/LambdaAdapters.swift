import HeadroomModel

/// Lambda's own API outputs: the function inventory, account settings and reserved concurrency.
enum LambdaAdapters {
    /// `list-functions` (`{"Functions": [...], "NextMarker"?}`), `get-function-configuration`
    /// (one configuration) and `get-function` (`{"Configuration": {...}, "Concurrency"?}`).
    /// Environment variable values are dropped as they are read; only names are kept.
    static func readFunctions(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var dataset = Dataset()
        var warnings: [String] = []
        if let list = root["Functions"] {
            for item in try list.array() { dataset.functions.append(try function(item, input)) }
            // NextMarker in raw or --no-paginate output, NextToken when the CLI ran with --max-items.
            for key in ["NextMarker", "NextToken"] where root[key].map({ $0.value != .null }) ?? false {
                warnings.append("\(key) is set: later pages are missing, so functions may be missing")
            }
        } else if let configuration = root["Configuration"] {
            var function = try function(configuration, input)
            for (key, value) in try root.object("Tags")?.members() ?? [] { function.tags[key] = try value.string() }
            dataset.functions.append(function)
            if let concurrency = try root.object("Concurrency") {
                dataset.reservedConcurrency.append(
                    ReservedConcurrency(
                        function: function.name, reserved: try concurrency["ReservedConcurrentExecutions"]?.count(),
                        source: input.display))
            }
        } else {
            dataset.functions.append(try function(root, input))
        }
        return (dataset, warnings)
    }

    static func function(_ item: JSONCursor, _ input: InputFile) throws(HeadroomError) -> LambdaFunction {
        guard item.object != nil else {
            throw item.fail("expected a function configuration object, found \(item.value.typeName)")
        }
        let architectures = try item["Architectures"]?.array() ?? []
        let logging = try item.object("LoggingConfig")
        let subnets = try item.object("VpcConfig")?["SubnetIds"]?.array() ?? []
        if let modified = item["LastModified"], Timestamp.parse(try modified.string()) == nil {
            throw modified.fail("LastModified must be a timestamp such as 2026-11-16T10:00:00.000+0000")
        }
        return LambdaFunction(
            name: try item.require("FunctionName").string(),
            arn: try item["FunctionArn"]?.string(),
            runtime: try item["Runtime"]?.string(),
            handler: try item["Handler"]?.string(),
            packageType: try item["PackageType"]?.string() ?? "Zip",
            memoryMB: try item["MemorySize"]?.count(),
            timeoutSeconds: try item["Timeout"]?.count(),
            architecture: try architectures.first?.string() ?? "x86_64",
            ephemeralStorageMB: try item.object("EphemeralStorage")?["Size"]?.count(),
            tracingMode: try item.object("TracingConfig")?["Mode"]?.string(),
            deadLetterTarget: try item.object("DeadLetterConfig")?["TargetArn"]?.string(),
            logFormat: try logging?["LogFormat"]?.string(),
            applicationLogLevel: try logging?["ApplicationLogLevel"]?.string(),
            systemLogLevel: try logging?["SystemLogLevel"]?.string(),
            logGroup: try logging?["LogGroup"]?.string(),
            inVPC: !subnets.isEmpty,
            layers: try (item["Layers"]?.array() ?? []).map { layer throws(HeadroomError) in
                try layer.require("Arn").string()
            },
            snapStart: try item.object("SnapStart")?["ApplyOn"]?.string(),
            codeSize: try item["CodeSize"]?.count(),
            lastModified: try item["LastModified"]?.string(),
            description: try item["Description"]?.string(),
            environmentVariableNames: try (item.object("Environment")?["Variables"]?.members() ?? []).map(\.key)
                .sorted(),
            source: input.display)
    }

    /// `get-account-settings`: `AccountLimit` and `AccountUsage`.
    static func readAccountSettings(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> Dataset {
        let root = JSONCursor(json, file: input.display)
        guard root.object != nil else { throw root.fail("expected an object, found \(json.typeName)") }
        let limit = try root.object("AccountLimit")
        let usage = try root.object("AccountUsage")
        guard limit != nil else { throw root.fail("the required key \"AccountLimit\" is missing") }
        func int64(_ cursor: JSONCursor?) throws(HeadroomError) -> Int64? {
            guard let cursor else { return nil }
            return Int64(try cursor.count())
        }
        return Dataset(accountSettings: [
            LambdaAccountSettings(
                concurrentExecutionsLimit: try limit?["ConcurrentExecutions"]?.count(),
                unreservedConcurrentExecutions: try limit?["UnreservedConcurrentExecutions"]?.count(),
                codeStorageLimitBytes: try int64(limit?["TotalCodeSize"]),
                codeStorageUsedBytes: try int64(usage?["TotalCodeSize"]),
                functionCount: try usage?["FunctionCount"]?.count(),
                source: input.display)
        ])
    }

    /// `get-function-concurrency`: `{"ReservedConcurrentExecutions": n}`, or `{}` / no output at
    /// all when the function has no reservation. The function is named by the request beside it
    /// (`<stem>.query.json` with `FunctionName`, a name or an ARN).
    static func readConcurrency(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> Dataset {
        guard let nameCursor = input.sidecar?["FunctionName"] else {
            throw HeadroomError(
                .ingest, file: input.display, "get-function-concurrency output does not name its function",
                remedy: "save {\"FunctionName\": \"…\"} beside it as <name>.query.json")
        }
        let root = JSONCursor(json, file: input.display)
        guard root.object != nil else { throw root.fail("expected an object, found \(json.typeName)") }
        return Dataset(reservedConcurrency: [
            ReservedConcurrency(
                function: functionName(try nameCursor.string()),
                reserved: try root["ReservedConcurrentExecutions"]?.count(), source: input.display)
        ])
    }

    /// `list-provisioned-concurrency-configs`: one record per alias or version, the function named
    /// by its FunctionArn (required here, though the API model makes nothing required). Counts
    /// are whole numbers of at least 0; NextMarker or NextToken warns that later pages are missing.
    static func readProvisionedConcurrency(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (
        Dataset, [String]
    ) {
        let root = JSONCursor(json, file: input.display)
        var dataset = Dataset()
        for item in try root.require("ProvisionedConcurrencyConfigs").array() {
            guard item.object != nil else { throw item.fail("expected a configuration object") }
            let arnCursor = try item.require("FunctionArn")
            let arn = try arnCursor.string()
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 7, parts[0] == "arn", parts[2] == "lambda", parts[5] == "function" else {
                throw arnCursor.fail("\"\(arn)\" is not a Lambda function ARN")
            }
            dataset.provisionedConcurrency.append(
                ProvisionedConcurrency(
                    function: String(parts[6]), qualifier: parts.count > 7 ? String(parts[7]) : nil,
                    requested: try item.require("RequestedProvisionedConcurrentExecutions").count(),
                    allocated: try item["AllocatedProvisionedConcurrentExecutions"]?.count(),
                    status: try item["Status"]?.string() ?? "READY", source: input.display))
        }
        // NextMarker in raw or --no-paginate output, NextToken when the CLI ran with --max-items.
        let more = ["NextMarker", "NextToken"].contains { root[$0].map { $0.value != .null } ?? false }
        return (
            dataset, more ? ["the listing is incomplete (NextMarker or NextToken is set): later pages are missing"] : []
        )
    }

    /// `arn:aws:lambda:eu-central-1:123456789012:function:orders-api[:alias]` → `orders-api`.
    static func functionName(_ nameOrARN: String) -> String {
        let parts = nameOrARN.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 7, parts[0] == "arn", parts[5] == "function" { return String(parts[6]) }
        return nameOrARN
    }
}
