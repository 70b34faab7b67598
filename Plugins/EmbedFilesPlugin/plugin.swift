import Foundation
import PackagePlugin

/// Compiles a folder of built-in text files into the target as Swift source, so that a copied
/// `headroom` binary carries them with it:
/// - HeadroomSite gets the default theme, `templates/`, as `EmbeddedTheme`;
/// - HeadroomIngest gets `builtin/` (the service catalog) as `EmbeddedData`.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    static let folders = [
        "HeadroomSite": ("templates", "EmbeddedTheme"), "HeadroomIngest": ("builtin", "EmbeddedData"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let (folder, name) = Self.folders[target.name] else {
            throw PluginError(message: "EmbedFiles has no folder for target \(target.name)")
        }
        let root = context.package.directoryURL.appending(path: folder)
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        var inputs: [URL] = []
        if let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) {
            for case let url as URL in enumerator where !url.hasDirectoryPath { inputs.append(url) }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(folder)/",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [root.path, output.path, name],
                inputFiles: inputs.sorted { $0.path < $1.path },
                outputFiles: [output])
        ]
    }
}

struct PluginError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
