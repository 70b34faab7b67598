import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `costs.html`: the week's cost, the months and the Lambda estimate.
struct CostsPage: PageKind {
    static let template = "pages/costs"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["costs.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<CostsPageView>] {
        let report = week.report
        return [
            PlannedPage(
                path: "costs.html", title: "Costs",
                view: CostsPageView(
                    weekLabel: week.weekLabel,
                    cost: report.cost.map { SiteBuilder.costView($0, charts: week.charts.costCharts($0)) },
                    lambdaEstimate: report.lambdaEstimate.map {
                        SiteBuilder.estimateView($0, report: report, pages: week.links)
                    },
                    months: report.costMonths.map { SiteBuilder.costMonthView($0) },
                    hasMonths: !report.costMonths.isEmpty))
        ]
    }
}

extension SiteBuilder {
    static func costMonthView(_ month: CostMonth) -> CostMonthView {
        let whole = month.days >= month.daysInMonth
        let basis: String =
            switch month.basis {
            case .monthly:
                whole ? "monthly records" : "monthly records, days 1 to \(month.days) of \(month.daysInMonth)"
            case .daily: "daily records, \(month.days) of \(month.daysInMonth) days"
            }
        return CostMonthView(
            month: month.month, amount: Format.money(month.amount, month.currency), basis: basis,
            estimated: month.estimated)
    }

    static func costView(_ cost: CostWeek, charts: [ChartView]) -> CostView {
        func row(_ service: CostWeek.Service) -> CostRowView {
            CostRowView(
                name: service.name, current: Format.money(service.current, cost.currency),
                previous: Format.money(service.previous, cost.currency),
                change: Format.moneyChange(from: service.previous, to: service.current, cost.currency),
                changePercent: Format.change(from: service.previous, to: service.current) ?? Format.missing)
        }
        func movers(_ list: [CostWeek.Service]) -> String {
            list.isEmpty
                ? "none"
                : list.map {
                    "\($0.name) \(Format.moneyChange(from: $0.previous, to: $0.current, cost.currency))"
                        + " (\(Format.change(from: $0.previous, to: $0.current) ?? Format.missing))"
                }.joined(separator: "; ")
        }
        let titles = ["ACCOUNT": "Cost by account", "REGION": "Cost by region", "FUNCTION": "Lambda cost by function"]
        return CostView(
            breakdowns: cost.breakdowns.map { breakdown in
                let title =
                    titles[breakdown.dimension]
                    ?? (breakdown.dimension.hasPrefix("TAG:")
                        ? "Cost by tag \(breakdown.dimension.dropFirst(4))" : "Cost by \(breakdown.dimension)")
                return BreakdownView(
                    title: title, rows: breakdown.rows.prefix(10).map(row),
                    more: breakdown.rows.count > 10 ? "and \(breakdown.rows.count - 10) more" : nil)
            },
            moversByAmount: movers(cost.moversByAmount), moversByPercent: movers(cost.moversByPercent),
            metric: cost.metric, total: Format.money(cost.total, cost.currency),
            previousTotal: Format.money(cost.previousTotal, cost.currency),
            change: Format.moneyChange(from: cost.previousTotal, to: cost.total, cost.currency),
            changePercent: Format.change(from: cost.previousTotal, to: cost.total) ?? Format.missing,
            days: "\(cost.days) of 7 days", estimated: cost.estimated,
            month: cost.month, monthToDate: Format.money(cost.monthToDate, cost.currency),
            monthForecast: Format.money(cost.monthForecast, cost.currency),
            lambdaPerMillion: Format.money(cost.lambdaCostPerMillionInvocations, cost.currency),
            perMillionSuccessful: Format.money(cost.costPerMillionSuccessfulInvocations, cost.currency),
            budget: cost.monthlyBudget.flatMap { budget -> String? in
                guard budget > 0 else { return nil }
                let share = NSDecimalNumber(decimal: cost.monthForecast / budget * 100).doubleValue
                return "Budget \(Format.money(budget, cost.currency)) for \(cost.month): the forecast is "
                    + Format.percent(share) + " of it"
            },
            budgetClass: cost.monthlyBudget.map { $0 > 0 && cost.monthForecast > $0 ? "critical" : "ok" } ?? "ok",
            spikes: cost.spikes.map { spike in
                SpikeView(
                    service: spike.service, day: spike.day, amount: Format.money(spike.amount, cost.currency),
                    baseline: Format.money(spike.baseline, cost.currency))
            },
            hasSpikes: !cost.spikes.isEmpty,
            services: cost.services.map(row), charts: charts)
    }

    static func estimateView(_ estimate: LambdaEstimate, report: Report, pages: Pages) -> EstimateView {
        let currency = estimate.currency
        func amount(_ value: Decimal) -> String {
            Format.count(NSDecimalNumber(decimal: value).doubleValue)
        }
        var rows = [
            EstimateRowView(
                item: "Requests", usage: amount(estimate.requests), cost: Format.money(estimate.requestCost, currency))
        ]
        for architecture in estimate.gbSeconds.keys.sorted() {
            rows.append(
                EstimateRowView(
                    item: "Duration, \(architecture) (tiered)",
                    usage: amount(estimate.gbSeconds[architecture]!) + " GB-s",
                    cost: Format.money(estimate.durationCost[architecture], currency)))
        }
        for architecture in estimate.provisionedGBSeconds.keys.sorted() {
            rows.append(
                EstimateRowView(
                    item: "Provisioned concurrency, \(architecture)",
                    usage: amount(estimate.provisionedGBSeconds[architecture]!) + " GB-s",
                    cost: Format.money(estimate.provisionedCost[architecture], currency)))
            if let used = estimate.provisionedDurationGBSeconds[architecture] {
                rows.append(
                    EstimateRowView(
                        item: "Duration on provisioned instances, \(architecture)", usage: amount(used) + " GB-s",
                        cost: Format.money(estimate.provisionedDurationCost[architecture], currency)))
            }
        }
        if estimate.ephemeralGBSeconds > 0 {
            rows.append(
                EstimateRowView(
                    item: "Ephemeral storage above 512 MB", usage: amount(estimate.ephemeralGBSeconds) + " GB-s",
                    cost: Format.money(estimate.ephemeralCost, currency)))
        }
        if estimate.freeTierCredit > 0 {
            rows.append(
                EstimateRowView(
                    item: "Free tier (the week's share)", usage: "",
                    cost: Format.money(-estimate.freeTierCredit, currency)))
        }
        var reconciliation: String?
        if let billed = estimate.billed, let difference = estimate.difference {
            reconciliation =
                "The bill shows \(Format.money(billed, currency)) for Lambda this week: "
                + "\(Format.money(difference.magnitude, currency)) \(difference >= 0 ? "more" : "less") than the estimate"
                + (estimate.differencePercent.map {
                    " (" + Format.percent(NSDecimalNumber(decimal: $0).doubleValue) + " of the bill)"
                } ?? "") + (estimate.billEstimated ? "; the bill's amounts are still estimates." : ".")
        }
        return EstimateView(
            total: Format.money(estimate.total, currency), priceVersion: estimate.priceVersion,
            priceSource: estimate.priceSource, rows: rows, reconciliation: reconciliation,
            missing: estimate.missing.isEmpty && estimate.notes.isEmpty
                ? nil
                : ((estimate.missing.isEmpty
                    ? [] : ["Left out (no Duration Sum or memory size): " + estimate.missing.joined(separator: ", ")])
                    + estimate.notes).joined(separator: ". "),
            costs: Array(functionCosts(estimate, report: report, pages: pages, prefix: "").prefix(costRows)),
            hasCosts: !estimate.functions.isEmpty,
            costsCut: estimate.functions.count > costRows
                ? "The \(costRows) costliest of \(Format.grouped(Int64(estimate.functions.count))) functions."
                    + " Each service's page lists the estimate of each of its functions:" : nil,
            costServices: estimate.functions.count > costRows
                ? report.services.map { PageLinkView(label: $0.name, href: pages.service($0.name), current: false) }
                : [],
            costFormula: functionCostFormula)
    }
}
