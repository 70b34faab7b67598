import HeadroomModel
import Testing

@testable import HeadroomAnalysis

@Suite struct HealthTests {
    func week(invocations: Double?, errors: Double? = 0, throttles: Double? = 0, p99: Double? = nil) -> FunctionWeek {
        var rate: Double?
        if let invocations, let errors, invocations > 0 { rate = errors / invocations * 100 }
        return FunctionWeek(
            invocations: invocations, errors: errors, throttles: throttles, errorRate: rate, p50: nil,
            p99: p99.map { WeeklyPercentile(value: $0, exact: true) }, peakConcurrency: nil, activeHours: 0)
    }

    let rules = Configuration.HealthRules()

    @Test func noInvocationsIsNoDataNeverOK() {
        #expect(Analysis.health(week(invocations: nil), timeoutSeconds: 6, rules: rules).level == .noData)
        #expect(Analysis.health(week(invocations: 0), timeoutSeconds: 6, rules: rules).level == .noData)
    }

    /// A rule without its data is not checked, and the page never says it passed.
    @Test func aRuleWithoutDataIsNotCheckedNotPassed() {
        let all = Analysis.health(week(invocations: 1000, p99: 300), timeoutSeconds: 6, rules: rules)
        #expect(all.level == .ok)
        #expect(all.passed == ["errors within the floor", "no throttles", "p99 at 5.00% of the timeout"])
        #expect(all.unchecked.isEmpty)
        let bare = Analysis.health(
            week(invocations: 1000, errors: nil, throttles: nil), timeoutSeconds: nil, rules: rules)
        #expect(bare.level == .ok)
        #expect(bare.passed.isEmpty)
        #expect(
            bare.unchecked == [
                "errors (no Errors data)", "throttles (no Throttles data)",
                "p99 against the timeout (no Duration p99 data)",
            ])
        let noTimeout = Analysis.health(week(invocations: 1000, p99: 300), timeoutSeconds: nil, rules: rules)
        #expect(noTimeout.unchecked == ["p99 against the timeout (no timeout in the inventory)"])
    }

    @Test func errorsScaleWithVolume() {
        // Low volume: a single error in 200 invocations warns (0.5% would be "above the floor" anyway,
        // so use 1 in 999: 0.1001%, which matters only because every error counts).
        let low = Analysis.health(week(invocations: 999, errors: 1), timeoutSeconds: nil, rules: rules)
        #expect(low.level == .warning)
        #expect(low.reasons == ["Errors: 1 at low volume (999 requests; every error counts)"])
        // High volume: 0.05% is below the 0.1% floor: transient noise.
        #expect(Analysis.health(week(invocations: 100_000, errors: 50), timeoutSeconds: nil, rules: rules).level == .ok)
        // 0.5% is above the floor; 1% is ten times the floor.
        let above = Analysis.health(week(invocations: 100_000, errors: 500), timeoutSeconds: nil, rules: rules)
        #expect(above.level == .warning)
        #expect(above.reasons == ["Errors at 0.50% of requests is above the 0.10% floor"])
        #expect(
            Analysis.health(week(invocations: 100_000, errors: 1000), timeoutSeconds: nil, rules: rules).level
                == .critical)
    }

    @Test func throttlesAndTimeoutsCount() {
        let throttled = Analysis.health(week(invocations: 10_000, throttles: 25), timeoutSeconds: nil, rules: rules)
        #expect(throttled.reasons == ["25 throttles (2.50 per 1,000 invocations)"])
        let close = Analysis.health(week(invocations: 10_000, p99: 5_600), timeoutSeconds: 6, rules: rules)
        #expect(close.level == .warning)
        #expect(close.reasons == ["p99 duration is 93.33% of the 6 s timeout"])
        #expect(
            Analysis.health(week(invocations: 10_000, p99: 5_700), timeoutSeconds: 6, rules: rules).level == .critical)
        #expect(Analysis.health(week(invocations: 10_000, p99: 4_700), timeoutSeconds: 6, rules: rules).level == .ok)
        let custom = Configuration.HealthRules(timeoutWarning: 50, timeoutCritical: 60)
        #expect(
            Analysis.health(week(invocations: 10_000, p99: 3_100), timeoutSeconds: 6, rules: custom).level == .warning)
    }

    @Test func theWorstRuleSetsTheLevel() {
        let status = Analysis.health(
            week(invocations: 100_000, errors: 2000, throttles: 3, p99: 5_000), timeoutSeconds: 6, rules: rules)
        #expect(status.level == .critical)
        #expect(status.reasons.count == 3)
    }
}
