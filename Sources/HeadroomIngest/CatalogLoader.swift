import HeadroomModel

/// Reads the service catalog. The built-in one is `builtin/catalog.yml`, compiled into the binary;
/// its format is described at the top of that file. Every key and value is checked.
public enum CatalogLoader {
    /// The catalog that ships with Headroom.
    public static func builtIn() throws(HeadroomError) -> ServiceCatalog {
        try parse(EmbeddedData.files["catalog.yml"] ?? "", file: "(built-in) catalog.yml")
    }

    public static func parse(_ text: String, file: String) throws(HeadroomError) -> ServiceCatalog {
        guard let document = try YAMLCursor.document(text, file: file, stage: .ingest) else {
            throw HeadroomError(.ingest, file: file, "the catalog is empty")
        }
        try document.checkKeys(["namespaces"], in: "the catalog")
        var namespaces: [ServiceCatalog.Namespace] = []
        for item in try document.require("namespaces", in: "the catalog").sequence("namespaces") {
            let namespace = try self.namespace(item)
            if namespaces.contains(where: { $0.namespace == namespace.namespace }) {
                throw item.fail("the namespace \(namespace.namespace) appears twice")
            }
            namespaces.append(namespace)
        }
        return ServiceCatalog(namespaces: namespaces)
    }

    private static func namespace(_ item: YAMLCursor) throws(HeadroomError) -> ServiceCatalog.Namespace {
        try item.checkKeys(["namespace", "kind", "resource", "aggregate", "metrics"], in: "a namespace")
        let name = try item.require("namespace", in: "a namespace").string("namespace")
        let what = "namespace \(name)"
        let resource = try item.require("resource", in: what).strings("resource")
        guard !resource.isEmpty else { throw item.fail("\(what) needs at least one resource dimension") }
        var metrics: [ServiceCatalog.Metric] = []
        for entry in try item.require("metrics", in: what).sequence("metrics") {
            let metric = try self.metric(entry, in: what)
            if metrics.contains(where: { $0.name == metric.name && $0.stat == metric.stat }) {
                throw entry.fail("\(metric.label) appears twice in \(what)")
            }
            metrics.append(metric)
        }
        for metric in metrics {
            for reference in [metric.percentOf, metric.against].compactMap({ $0 })
            where !metrics.contains(where: { $0.name == reference }) {
                throw item.fail("\(metric.label) in \(what) refers to \(reference), which the namespace does not list")
            }
        }
        return ServiceCatalog.Namespace(
            namespace: name, kind: try item.require("kind", in: what).string("kind"), resource: resource,
            aggregate: try item["aggregate"].map { c throws(HeadroomError) in try c.strings("aggregate") } ?? [],
            metrics: metrics)
    }

    private static func metric(_ entry: YAMLCursor, in what: String) throws(HeadroomError) -> ServiceCatalog.Metric {
        try entry.checkKeys(
            [
                "name", "stat", "unit", "role", "bad", "rollup", "percentOf", "against", "warning", "critical",
                "account",
            ], in: "a metric")
        let name = try entry.require("name", in: "a metric of \(what)").string("name")
        let context = "metric \(name) of \(what)"
        let unit = try entry.require("unit", in: context).string("unit")
        guard ServiceCatalog.units.contains(unit) else {
            throw entry.fail(
                "\(context) has unit '\(unit)'; use one of \(ServiceCatalog.units.joined(separator: ", "))")
        }
        let warning = try entry["warning"]?.number("warning")
        let critical = try entry["critical"]?.number("critical")
        let bad: ServiceCatalog.Metric.Direction = try choice(entry.require("bad", in: context), "bad")
        if let warning, let critical, bad == .higher ? critical < warning : critical > warning {
            throw entry.fail("\(context): the critical threshold must be worse than the warning one")
        }
        return ServiceCatalog.Metric(
            name: name, stat: try entry.require("stat", in: context).string("stat"), unit: unit,
            role: try choice(entry.require("role", in: context), "role"), bad: bad,
            rollup: try choice(entry.require("rollup", in: context), "rollup"),
            percentOf: try entry["percentOf"]?.string("percentOf"), against: try entry["against"]?.string("against"),
            warning: warning, critical: critical, account: try entry["account"]?.bool("account") ?? false)
    }

    private static func choice<T: RawRepresentable & CaseIterable>(_ cursor: YAMLCursor, _ what: String)
        throws(HeadroomError) -> T where T.RawValue == String
    {
        let text = try cursor.string(what)
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            throw cursor.fail(
                "\(what) is '\(text)'; use one of \(names.joined(separator: ", "))"
                    + (Suggest.closest(to: text, in: names).map { " (did you mean '\($0)'?)" } ?? ""))
        }
        return value
    }
}
