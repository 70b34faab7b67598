import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomIngest

@Suite struct CostExplorerTests {
    @Test func groupsTagsAndExactAmounts() throws {
        let (dataset, row) = try readFixture("cost-explorer", "shaped-daily-by-service-and-tag.json")
        #expect(row.status == .read(.costExplorer))
        let first = try #require(dataset.costs.first)
        #expect(first.groups == ["SERVICE": "AWS Lambda", "TAG:team": "checkout"])
        #expect(first.amount == Decimal(string: "9.3381092204", locale: Locale(identifier: "en_US_POSIX")))
        #expect(first.start.description == "2026-11-17T00:00:00Z")
        #expect(first.end.description == "2026-11-18T00:00:00Z")
        #expect(dataset.costs.contains { $0.groups["TAG:team"] == "" && $0.amount == Decimal(string: "0.0000372")! })
        let estimated = dataset.costs.filter { $0.estimated }.count
        #expect(estimated > 0)
        #expect(row.warnings.contains("1 estimated period: amounts may still change"))
    }

    @Test func amountsNeverPassThroughFloatingPoint() throws {
        // 0.1 + 0.2 in Decimal is exactly 0.3; in Double it is not.
        #expect(Decimal(exactly: "0.1")! + Decimal(exactly: "0.2")! == Decimal(exactly: "0.3")!)
        #expect(Decimal(exactly: "-12.3400") == Decimal(string: "-12.34"))
        #expect(Decimal(exactly: "12,34") == nil)
        #expect(Decimal(exactly: "NaN") == nil)
        #expect(Decimal(exactly: "1" + String(repeating: "1", count: 38)) == nil)  // 39 digits
        #expect(Decimal(exactly: "1e400") == nil)
    }

    @Test func aLeftoverPageTokenIsAWarning() throws {
        let (_, row) = try readFixture("cost-explorer", "shaped-leftover-next-page-token.json")
        #expect(row.warnings.contains("NextPageToken is set: later pages are missing, so costs may be incomplete"))
    }
}

@Suite struct ServiceQuotaTests {
    @Test func readsRateQuotasWithTheirPeriodAndUsageMetric() throws {
        let (dataset, _) = try readFixture("service-quotas", "shaped-get-service-quota-lambda-getfunction-rate.json")
        let quota = try #require(dataset.quotas.first)
        #expect(quota.quotaCode == "L-37540937")
        #expect(quota.value == 100)
        #expect(quota.periodSeconds == 1)
        #expect(quota.adjustable == false)
        #expect(quota.usageMetric?.namespace == "AWS/Usage")
        #expect(quota.usageMetric?.statistic == "Sum")
        #expect(quota.usageMetric?.dimensions.map(\.name) == ["Class", "Resource", "Service", "Type"])
    }

    @Test func aQuotaWithoutAValueStaysUnknown() throws {
        let (dataset, row) = try readFixture("service-quotas", "shaped-list-service-quotas-error-reason-no-value.json")
        #expect(dataset.quotas.contains { $0.value == nil })
        #expect(row.warnings.contains { $0.hasSuffix(" without a Value") })
    }
}

@Suite struct LambdaInventoryTests {
    @Test func neverKeepsEnvironmentValues() throws {
        let (dataset, _) = try readFixture("lambda-functions", "nasty-secrets-in-many-spellings.json")
        let dump = String(describing: dataset.functions)
        for secret in ["fake-1", "fake-2", "fake-inline-password", "BEGIN FAKE KEY"] {
            #expect(!dump.contains(secret), "\(secret)")
        }
        #expect(dataset.functions.first?.environmentVariableNames.contains("db_password") == true)
        #expect(dataset.functions.first?.environmentVariableNames.contains("DATABASE_URL") == true)
    }

    @Test func readsEveryField() throws {
        let (dataset, _) = try readFixture(
            "lambda-functions", "shaped-get-function-configuration-billing-worker-arm64.json")
        let function = try #require(dataset.functions.first)
        #expect(function.architecture == "arm64")
        #expect(function.memoryMB != nil)
        #expect(function.timeoutSeconds != nil)
        let (image, _) = try readFixture("lambda-functions", "shaped-get-function-thumbnail-image.json")
        #expect(image.functions.first?.packageType == "Image")
        #expect(image.functions.first?.runtime == nil)
        let (minimal, _) = try readFixture("lambda-functions", "nasty-minimal-function.json")
        #expect(minimal.functions.first?.architecture == "x86_64")  // absent means x86_64
    }

    @Test func getFunctionAlsoGivesReservedConcurrency() throws {
        let (dataset, _) = try readFixture("lambda-functions", "shaped-get-function-orders-api-with-concurrency.json")
        #expect(dataset.reservedConcurrency.count == 1)
        #expect(dataset.reservedConcurrency.first?.reserved != nil)
        #expect(dataset.functions.first?.tags == ["team": "checkout"])
    }

    @Test func provisionedConcurrencyPerAliasFromTheFunctionARN() throws {
        let (dataset, row) = try readFixture(
            "lambda-provisioned-concurrency", "awscli-example-list-provisioned-concurrency-configs.json")
        #expect(row.status == .read(.lambdaProvisionedConcurrency))
        #expect(dataset.provisionedConcurrency.map(\.function) == ["my-function", "my-function"])
        #expect(dataset.provisionedConcurrency.map(\.qualifier) == ["GREEN", "BLUE"])
        #expect(dataset.provisionedConcurrency.map(\.allocated) == [100, 100])
        let (failed, _) = try readFixture("lambda-provisioned-concurrency", "nasty-failed-with-reason.json")
        #expect(failed.provisionedConcurrency.first?.allocated == nil)
        #expect(failed.provisionedConcurrency.first?.status == "FAILED")
        for name in ["nasty-next-marker.json", "nasty-cli-max-items-next-token.json"] {
            let (_, incomplete) = try readFixture("lambda-provisioned-concurrency", name)
            #expect(incomplete.warnings.count == 1, "\(name)")
        }
        let (_, complete) = try readFixture("lambda-provisioned-concurrency", "shaped-one-ready-alias.json")
        #expect(complete.warnings.isEmpty)
    }

    @Test func emptyConcurrencyOutputMeansNoReservation() throws {
        for name in ["nasty-whitespace-only.json", "shaped-no-reservation-raw-body-braces.json"] {
            let (dataset, row) = try readFixture("lambda-function-concurrency", name)
            #expect(row.status == .read(.lambdaFunctionConcurrency), "\(name)")
            #expect(dataset.reservedConcurrency.count == 1, "\(name)")
            #expect(dataset.reservedConcurrency.first?.reserved == nil, "\(name)")
        }
        let (arn, _) = try readFixture("lambda-function-concurrency", "nasty-query-function-arn.json")
        #expect(arn.reservedConcurrency.first.map { !$0.function.hasPrefix("arn:") } == true)
    }

    @Test func accountSettings() throws {
        let (dataset, _) = try readFixture("lambda-account-settings", "awscli-example-get-account-settings.json")
        let settings = try #require(dataset.accountSettings.first)
        #expect(settings.concurrentExecutionsLimit != nil)
        #expect(settings.unreservedConcurrentExecutions != nil)
    }
}

@Suite struct LambdaLogTests {
    @Test func readsReportLinesAndJoinsTimeoutsAndTraces() throws {
        let (dataset, row) = try readFixture("lambda-logs", "shaped-text-orders-api-messages.log")
        #expect(row.status == .read(.lambdaLogs))
        #expect(dataset.invocations.count == 7)
        let cold = try #require(dataset.invocations.first { $0.requestId == "b1c322f6-5fdd-43f2-a4b6-cead0723bf95" })
        #expect(cold.durationMs == 102.25)
        #expect(cold.billedDurationMs == 103)
        #expect(cold.memorySizeMB == 1024)
        #expect(cold.maxMemoryUsedMB == 70)
        #expect(cold.initDurationMs == 223.54)
        #expect(cold.coldStart)
        #expect(cold.xrayTraceId == "1-6afad421-83f1535f99ab0bf4e9d02dfd")
        let timeout = try #require(dataset.invocations.first { $0.requestId == "cb8cc86c-3691-48c3-8792-902507622227" })
        #expect(timeout.timedOut)
        #expect(timeout.status == "timeout")
        #expect(timeout.initDurationMs == nil)
    }

    /// `get-log-events --query 'events[].message' --output text` drops the events' times: the
    /// REPORT lines are read, and the Sources page says they count in no week.
    @Test func reportLinesWithoutATimeAreNamed() throws {
        let (dataset, row) = try readFixture("lambda-logs", "moto-get-log-events-query-messages-output-text.log")
        let undated = dataset.invocations.filter { $0.time == nil }.count
        #expect(undated > 0 && undated == dataset.invocations.count)
        #expect(
            row.warnings.contains {
                $0.hasPrefix(plural(undated, "REPORT record") + " without a time: read, but counted in no week")
            })
        let (dated, datedRow) = try readFixture("lambda-logs", "moto-filter-log-events-orders-api-all.json")
        #expect(dated.invocations.allSatisfy { $0.time != nil })
        #expect(!datedRow.warnings.contains { $0.contains("without a time") })
    }

    @Test func spacesWorkLikeTabs() throws {
        let (tabs, _) = try readFixture("lambda-logs", "shaped-text-orders-api-messages.log")
        let (spaces, _) = try readFixture("lambda-logs", "shaped-text-orders-api-space-separated.log")
        #expect(tabs.invocations.map(\.durationMs).sorted() == spaces.invocations.map(\.durationMs).sorted())
        #expect(tabs.invocations.map(\.maxMemoryUsedMB).count == spaces.invocations.count)
    }

    @Test func readsTheJSONLogFormat() throws {
        let (dataset, _) = try readFixture("lambda-logs", "shaped-json-format-billing-worker.log")
        #expect(dataset.invocations.count == 4)
        #expect(dataset.invocations.allSatisfy { $0.durationMs > 0 && $0.memorySizeMB != nil })
    }

    @Test func countsARequestReportedTwiceOnce() throws {
        let (dataset, row) = try readFixture("lambda-logs", "nasty-duplicate-lines-overlapping-exports.log")
        #expect(Set(dataset.invocations.map(\.requestId)).count == dataset.invocations.count)
        #expect(row.warnings.contains { $0.contains("counted once") })
    }

    @Test func namesTheFunctionFromTheQueryFile() throws {
        let log =
            "REPORT RequestId: 0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n"
        let sidecar = JSONCursor(
            try JSONParser.parse(Data(#"{"logGroupName": "/aws/lambda/orders-api"}"#.utf8)), file: "q")
        let (dataset, row) = try Sources.read(
            InputFile(display: "x.log", data: Data(log.utf8), sidecar: sidecar), forced: nil)
        #expect(dataset.invocations.first?.function == "orders-api")
        #expect(
            row.warnings == [
                "1 REPORT record without a time: read, but counted in no week; save aws logs filter-log-events output, which dates every event"
            ])
        do {
            _ = try Sources.read(
                InputFile(
                    display: "x.log",
                    data: Data("START RequestId: x\nREPORT RequestId: x\tBilled Duration: 2 ms\n".utf8), sidecar: nil),
                forced: nil)
            Issue.record("a REPORT line without Duration was accepted")
        } catch {
            #expect(error.position == .line(2, column: nil))
        }
    }
}

@Suite struct GetMetricStatisticsTests {
    @Test func oneSeriesPerStatisticAndMissingPercentilesAreGaps() throws {
        let (dataset, row) = try readFixture(
            "cloudwatch-get-metric-statistics", "shaped-duration-p99-p50-unsorted.json")
        #expect(row.status == .read(.cloudWatchGetMetricStatistics))
        for series in dataset.series {
            #expect(series.points.map(\.time) == series.points.map(\.time).sorted(), "\(series.label)")
        }
        let stats = Set(dataset.series.compactMap { $0.stat?.stat })
        #expect(stats.contains("p99"))
        #expect(stats.contains("p50"))
    }

    @Test func nonFiniteValuesAreGapsWithAWarning() throws {
        let (dataset, row) = try readFixture("cloudwatch-get-metric-statistics", "nasty-nan-and-infinity.json")
        #expect(dataset.series.allSatisfy { $0.points.allSatisfy { $0.value.isFinite } })
        #expect(
            row.warnings.contains {
                $0.contains("non-finite or out-of-range values (NaN, Infinity, beyond ±2^360) treated as gaps")
            })
    }
}

@Suite struct OpenSLOTests {
    /// A metric source's spec nested deeper than the history store reads back is refused where
    /// it is read, naming the file; a deep but reasonable spec is kept.
    @Test func aSpecNestedTooDeeplyIsAnError() throws {
        let text = try String(
            contentsOf: TestSupport.fixture("openslo/slo-raw-ratio.yaml"), encoding: .utf8)
        func nested(_ levels: Int) -> String {
            text.replacingOccurrences(
                of: "          region: eu-central-1",
                with: "          region: " + String(repeating: "[", count: levels)
                    + String(repeating: "]", count: levels))
        }
        let (kept, _) = try Sources.read(
            InputFile(display: "slos/deep.yaml", data: Data(nested(20).utf8), sidecar: nil), forced: nil)
        #expect(kept.slis.count == 1)
        #expect {
            _ = try Sources.read(
                InputFile(display: "slos/deep.yaml", data: Data(nested(40).utf8), sidecar: nil), forced: nil)
        } throws: { error in
            let error = error as? HeadroomError
            return error?.file == "slos/deep.yaml" && error?.message.contains("nested more than 32 levels deep") == true
        }
    }

    @Test func readsAnInlineRatioSLO() throws {
        let (dataset, row) = try readFixture("openslo", "slo-ratio-cloudwatch-occurrences-28d.yaml")
        #expect(row.status == .read(.openSLO))
        let slo = try #require(dataset.slos.first)
        #expect(slo.name == "orders-api-availability")
        #expect(slo.service == "orders-api")
        #expect(slo.window == SLOWindow(count: 28, unit: .day, isRolling: true))
        #expect(slo.window.fixedSeconds == 28 * 86_400)
        #expect(slo.budgeting == .occurrences)
        #expect(slo.objectives == [SLOObjective(displayName: "Available", target: 0.999)])
        guard case .inline(let indicator) = slo.indicator,
            case .ratio(let good, let bad, let total, let counter) = indicator.kind
        else {
            Issue.record("not an inline ratio")
            return
        }
        #expect(bad == nil)
        #expect(counter == false)
        #expect(good?.type == "CloudWatch")
        #expect(total.spec["region"] == .text("eu-central-1"))
        if case .list(let queries)? = good?.spec["metricDataQueries"] {
            #expect(queries.count == 3)
            #expect(queries[2]["expression"] == .text("inv - err"))
        } else {
            Issue.record("no queries")
        }
    }

    @Test func readsStreamsListsAndReferences() throws {
        let (stream, streamRow) = try readFixture("openslo", "multi-doc-service-sli-slo.yaml")
        #expect(stream.sloServices.map(\.name) == ["checkout"])
        #expect(stream.slis.map(\.name) == ["checkout-success-ratio"])
        #expect(stream.slos.first?.indicator == .reference("checkout-success-ratio"))
        #expect(streamRow.warnings.contains { $0.contains("other kinds") })
        let (list, _) = try readFixture("openslo", "list-of-documents.yaml")
        #expect(list.slos.count == 1)
        #expect(list.slis.count == 1)
    }

    @Test func readsTimeslicesPercentTargetsAndCalendarWindows() throws {
        let (timeslices, _) = try readFixture("openslo", "slo-threshold-timeslices.yaml")
        #expect(
            timeslices.slos.first?.objectives.first
                == SLOObjective(
                    displayName: "Fresh", op: "lte", value: 120, target: 0.99, timeSliceTarget: 0.95,
                    timeSliceWindowSeconds: 60))
        let (percent, _) = try readFixture("openslo", "slo-target-percent-latency-threshold.yaml")
        #expect(percent.slos.first?.objectives.first?.target == 0.995)
        let (calendar, _) = try readFixture("openslo", "slo-calendar-month.yaml")
        #expect(
            calendar.slos.first?.window
                == SLOWindow(
                    count: 1, unit: .month, isRolling: false, calendarStart: "2026-11-01 00:00:00",
                    timeZone: "Europe/Berlin"))
        let (extremes, _) = try readFixture("openslo", "nasty-extremes-far-future.yaml")
        // A bare number is minutes: `timeSliceWindow: 5` is 300 s.
        #expect(extremes.slos.first?.objectives.contains { $0.timeSliceWindowSeconds == 300 } == true)
    }

    @Test func refusesTheOldFormatWithAWayOut() throws {
        do {
            _ = try readFixture("openslo", "bad-v1alpha.yaml")
            Issue.record("v1alpha accepted")
        } catch {
            #expect(error.message == "openslo/v1alpha is the old draft format")
            #expect(error.remedy?.hasPrefix("convert it to openslo/v1") == true)
            #expect(error.position == .line(2, column: 13))
        }
    }

    @Test func mergeKeysAndAnchorsWork() throws {
        let (dataset, _) = try readFixture("openslo", "nasty-anchors-merge-unicode.yaml")
        #expect(dataset.slos.count == 1)
    }
}

@Suite struct MonthlyCostTests {
    @Test func monthlyPeriodsAreNamedAsNotUsed() throws {
        let (dataset, row) = try readFixture("cost-explorer", "shaped-monthly-by-service.json")
        #expect(!dataset.costs.isEmpty)
        #expect(
            row.warnings.contains {
                $0.hasSuffix(
                    "longer than a day (MONTHLY): used for the month totals on the Costs page; the week's figures need daily periods (collect with --granularity DAILY as well)"
                )
            })
        let (_, daily) = try readFixture("cost-explorer", "shaped-daily-by-service-and-tag.json")
        #expect(!daily.warnings.contains { $0.contains("MONTHLY") })
    }
}
