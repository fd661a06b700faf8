import ArgumentParser

@main
struct Profint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profint",
        abstract: "PROFINT Guide: a rule-based guidance bot for professionals who accompany migrants and refugees.",
        subcommands: [ReplCommand.self, CheckCommand.self, ClassifyCommand.self, EvalCommand.self, TestCommand.self, IndexCommand.self, BenchCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}
