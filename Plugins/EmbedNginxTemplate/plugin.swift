import PackagePlugin

/// Compiles `nginx/bls.conf.template` into `bls-fcgi` as `RunNginxTemplate.text`: the file
/// in the repository is the one source of the bundled template (the binary needs no file
/// beside it; `bls-fcgi run --nginx-template PATH` still reads another at run time).
@main
struct EmbedNginxTemplate: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let template = context.package.directoryURL.appending(path: "nginx/bls.conf.template")
    let output = context.pluginWorkDirectoryURL.appending(path: "RunNginxTemplate.swift")
    return [
      .buildCommand(
        displayName: "Embedding nginx/bls.conf.template",
        executable: try context.tool(named: "embed-text").url,
        arguments: [template.path(percentEncoded: false), output.path(percentEncoded: false), "RunNginxTemplate"],
        inputFiles: [template],
        outputFiles: [output])
    ]
  }
}
