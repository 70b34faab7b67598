import Foundation
import PackagePlugin

/// Compiles a folder of built-in text files into the target as Swift source, so that a copied
/// `headroom` binary carries them with it:
/// - HeadroomSite gets the default theme, `templates/`, as `EmbeddedTheme`;
/// - HeadroomIngest gets `builtin/` (the service catalog) as `EmbeddedData`;
/// - HeadroomKit gets what `headroom init` writes besides the configuration: `scaffold/` (the CI
///   examples), `scripts/collect-aws.sh` and `scripts/history.sh`, as `EmbeddedScaffold`.
/// A folder's files are keyed by their path inside it; a single file by its path in the package.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    static let sources = [
        "HeadroomSite": (["templates"], "EmbeddedTheme"), "HeadroomIngest": (["builtin"], "EmbeddedData"),
        "HeadroomKit": (["scaffold", "scripts/collect-aws.sh", "scripts/history.sh"], "EmbeddedScaffold"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let (sources, name) = Self.sources[target.name] else {
            throw PluginError(message: "EmbedFiles has no folder for target \(target.name)")
        }
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        var inputs: [URL] = []
        for source in sources {
            let root = package.appending(path: source)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
                let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
            else {
                inputs.append(root)
                continue
            }
            for case let url as URL in enumerator where !url.hasDirectoryPath { inputs.append(url) }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(sources.joined(separator: ", "))",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path, name, package.path] + sources,
                inputFiles: inputs.sorted { $0.path < $1.path },
                outputFiles: [output])
        ]
    }
}

struct PluginError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
