import Foundation
import PackagePlugin

/// Compiles folders of built-in files into the target as Swift source, so that a copied `headroom`
/// binary carries them with it:
/// - HeadroomSite gets the default theme, `templates/`, as `EmbeddedTheme`;
/// - HeadroomIngest gets `builtin/` (the service catalog) as `EmbeddedData`;
/// - HeadroomKit gets what `headroom init` writes besides the configuration: `scaffold/` (the CI
///   examples), `scripts/collect-aws.sh` and `scripts/history.sh`, as `EmbeddedScaffold`; and the
///   example project that `headroom init --example` writes, `examples/acme` (19 MB of snapshots),
///   packed with zlib as `EmbeddedExample`.
/// A folder's files are keyed by their path inside it; a single file by its path in the package, or
/// in a packed set by its path inside the set's root.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    struct Embedding {
        var name: String
        var sources: [String]
        /// Packed sets are zlib-compressed into one base64 literal, keyed by path inside this root.
        var packedRoot: String? = nil
    }

    static let embeddings: [String: [Embedding]] = [
        "HeadroomSite": [Embedding(name: "EmbeddedTheme", sources: ["templates"])],
        "HeadroomIngest": [Embedding(name: "EmbeddedData", sources: ["builtin"])],
        "HeadroomKit": [
            Embedding(
                name: "EmbeddedScaffold", sources: ["scaffold", "scripts/collect-aws.sh", "scripts/history.sh"]),
            // What the example's README and `make site` use; its store and site (hidden, or not
            // listed) stay out.
            Embedding(
                name: "EmbeddedExample", sources: ["headroom.yml", "checks", "notes", "slos", "snapshots"],
                packedRoot: "examples/acme"),
        ],
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let embeddings = Self.embeddings[target.name] else {
            throw PluginError(message: "EmbedFiles has no folder for target \(target.name)")
        }
        let package = context.package.directoryURL
        return try embeddings.map { embedding in
            let output = context.pluginWorkDirectoryURL.appending(path: "\(embedding.name).swift")
            let base = embedding.packedRoot.map { package.appending(path: $0) } ?? package
            var inputs: [URL] = []
            for source in embedding.sources {
                let root = base.appending(path: source)
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
                    let enumerator = FileManager.default.enumerator(
                        at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
                else {
                    inputs.append(root)
                    continue
                }
                for case let url as URL in enumerator where !url.hasDirectoryPath { inputs.append(url) }
            }
            let mode = embedding.packedRoot.map { ["--packed", $0] } ?? []
            return .buildCommand(
                displayName: "Embedding \(embedding.sources.joined(separator: ", "))",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: mode + [output.path, embedding.name, package.path] + embedding.sources,
                inputFiles: inputs.sorted { $0.path < $1.path },
                outputFiles: [output])
        }
    }
}

struct PluginError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
